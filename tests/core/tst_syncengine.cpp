// The engine on worker threads and the webhook receiver, against the sandbox over loopback:
// a webhook storm (resends, forgeries) lands once per event; a run stopped halfway resumes with no
// duplicate; the receiver's refusals.
#include "core/mapping/mappingdocument.h"
#include "core/store/syncstore.h"
#include "core/sync/syncengine.h"
#include "core/sync/webhookreceiver.h"
#include "leadsproject.h"
#include "sandboxfixture.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTemporaryDir>

using namespace transom;
using namespace transom::testing;

class TestSyncEngine : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void receiverRefusals_data();
    void receiverRefusals();
    void webhookStormLandsOncePerEvent();
    void aJobThatCannotRunSaysWhy();
    void stoppedRunResumesWithoutDuplicates();
    void remappedRetryUsesTheMappingAsSavedNow();

private:
    QTemporaryDir m_dir;
};

namespace {

sync::SecretAccess secrets()
{
    return {[](const QString &, const QString &key) {
                return key == QLatin1String("api_key") ? QStringLiteral("sandbox-api-key") : QString();
            },
            {}};
}

sync::Project project(const SandboxFixture &s, const QString &dir, int leadsPerSecond)
{
    testing::LeadsProject leads{s.server.baseUrl()};
    leads.job = QStringLiteral("poll");
    if (leadsPerSecond > 0)
        leads.sinkWindows = {testing::LeadsProject::window(leadsPerSecond, "second")};
    QJsonObject root = leads.json();
    root.insert(QStringLiteral("store"), dir + QStringLiteral("/transom.db"));
    root.insert(QStringLiteral("logs"), dir + QStringLiteral("/logs"));
    // The same job fed by webhooks.
    leads.job = QStringLiteral("hooks");
    QJsonObject hooks = leads.jobJson();
    hooks.insert(QStringLiteral("trigger"), QJsonObject{{QStringLiteral("kind"), QStringLiteral("webhook")},
                                                        {QStringLiteral("record_path"), QStringLiteral("lead")}});
    QJsonArray jobs = root.value(QStringLiteral("jobs")).toArray();
    jobs.append(hooks);
    root.insert(QStringLiteral("jobs"), jobs);
    auto p = sync::Project::parse(QJsonDocument(root).toJson(), dir + QStringLiteral("/project.json"));
    if (!p)
        qFatal("%s", qPrintable(p.error().toString()));
    return p.value();
}

} // namespace

void TestSyncEngine::receiverRefusals_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<qint64>("signedAt");
    QTest::addColumn<bool>("sign");
    QTest::addColumn<int>("status");
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    QTest::newRow("stored") << QByteArray("POST") << "/hooks/portal" << QByteArray(R"({"id":"e1","lead":{}})") << now
                            << true << 200;
    QTest::newRow("unsigned") << QByteArray("POST") << "/hooks/portal" << QByteArray(R"({"id":"e2"})") << now << false
                              << 401;
    QTest::newRow("stale") << QByteArray("POST") << "/hooks/portal" << QByteArray(R"({"id":"e3"})") << now - 3600
                           << true << 401;
    QTest::newRow("not JSON") << QByteArray("POST") << "/hooks/portal" << QByteArray("lead=1") << now << true << 400;
    QTest::newRow("too large") << QByteArray("POST") << "/hooks/portal" << QByteArray(2 * 1024 * 1024, 'x') << now
                               << true << 413;
    QTest::newRow("GET") << QByteArray("GET") << "/hooks/portal" << QByteArray() << now << true << 405;
    QTest::newRow("unknown path") << QByteArray("POST") << "/hooks/else" << QByteArray("{}") << now << true << 404;
}

void TestSyncEngine::receiverRefusals()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QByteArray, body);
    QFETCH(qint64, signedAt);
    QFETCH(bool, sign);
    QFETCH(int, status);
    const QByteArray secret = "whsec_dGVzdC1yZWZ1c2Fscy1zZWNyZXQtMTIz";
    sync::WebhookReceiver receiver(m_dir.filePath(QStringLiteral("refusals.db")));
    QVERIFY(receiver.isReady());
    sync::WebhookEndpoint e;
    e.path = QStringLiteral("/hooks/portal");
    e.job = QStringLiteral("hooks");
    e.secret = secret;
    QVERIFY(receiver.addEndpoint(e).ok());
    const quint16 port = receiver.start();
    QVERIFY(port != 0);
    net::HttpClient http;
    net::HttpRequest r;
    r.method = method;
    r.url = QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(port).arg(path));
    r.body = body;
    const QByteArray id = QByteArray(QTest::currentDataTag()).replace(' ', '-');
    r.headers = sandbox::WebhookSender::signatureHeaders(
        QStringLiteral("standard-webhooks"), sign ? secret : QByteArray("whsec_Z3Vlc3M="), body, id, signedAt);
    QSignalSpy rejected(&receiver, &sync::WebhookReceiver::rejected);
    const net::HttpResponse resp = http.sendAndWait(r);
    QCOMPARE(resp.status, status);
    QCOMPARE(rejected.size(), status == 200 ? 0 : 1);
    if (status != 200)
        QVERIFY(!rejected.first().at(2).toString().contains(QString::fromLatin1(secret)));
}

void TestSyncEngine::webhookStormLandsOncePerEvent()
{
    SandboxFixture s;
    const QString dir = m_dir.filePath(QStringLiteral("storm"));
    QDir().mkpath(dir);
    sync::Project p = project(s, dir, 0);
    sync::WebhookReceiver receiver(p.storePath);
    sync::WebhookEndpoint e;
    e.path = QStringLiteral("/hooks/portal");
    e.job = QStringLiteral("hooks");
    e.secret = "whsec_c3Rvcm0tc2VjcmV0LWZvci10aGUtdGVzdA==";
    QVERIFY(receiver.addEndpoint(e).ok());
    const quint16 port = receiver.start();
    QCOMPARE(s.call("POST", QStringLiteral("/_admin/webhooks"),
                    QStringLiteral("{\"url\": \"http://127.0.0.1:%1/hooks/portal\", "
                                   "\"secret\": \"whsec_c3Rvcm0tc2VjcmV0LWZvci10aGUtdGVzdA==\"}")
                        .arg(port)
                        .toUtf8())
                 .status,
             200);
    sync::SyncEngine engine(p, connect::PresetLibrary::load({QStringLiteral(TRANSOM_RESOURCES "/presets")}), secrets());
    QSignalSpy finished(&engine, &sync::SyncEngine::jobFinished);
    int stored = 0;
    bool storedWhileRunning = false;
    connect(&receiver, &sync::WebhookReceiver::eventsStored, this, [&](const QString &job, int count) {
        stored += count;
        if (!engine.isRunning(job))
            engine.startJob(job, sync::JobRunner::Mode::Inbox);
        else
            storedWhileRunning = true;
    });
    // As `transom-run serve` does: a job drains again when events were stored while it ran (after its
    // look at the inbox) or when its drain took events.
    connect(&engine, &sync::SyncEngine::jobFinished, this,
            [&](const QString &job, const QString &status, const QString &, const QJsonObject &counts) {
                const bool again =
                    std::exchange(storedWhileRunning, false) || counts.value(QLatin1String("received")).toInteger() > 0;
                if (status == QLatin1String("completed") && again)
                    engine.startJob(job, sync::JobRunner::Mode::Inbox);
            });
    // A day of events in a burst: 150 leads, 40 of them sent twice, 25 forged.
    s.server.sendLeadEvents(150, 40, 25);
    QTRY_COMPARE_WITH_TIMEOUT(s.server.webhooks().pending(), 0, 30000);
    QCOMPARE(stored, 150);
    QCOMPARE(s.server.counters().value(QStringLiteral("webhooks.forged_rejected")), 25);
    QCOMPARE(s.server.counters().value(QStringLiteral("webhooks.delivered")), 190); // resends answered 200, as no-ops
    int badPhones = 0;
    for (int i = 200; i < 350; ++i)
        badPhones += i % 50 == 17 ? 1 : 0;
    QTRY_VERIFY_WITH_TIMEOUT(
        !engine.isRunning(QStringLiteral("hooks")) && s.server.crm().people().size() == 150 - badPhones, 60000);
    QCOMPARE(s.server.crm().people().size(), 150 - badPhones);
    QCOMPARE(s.server.crm().duplicatesStored(), 0);
}

// A job whose connection lacks its API key cannot be opened: the engine says so (jobUnavailable, then
// jobFinished "failed" with the same reason), and the job is not left running.
void TestSyncEngine::aJobThatCannotRunSaysWhy()
{
    SandboxFixture s;
    const QString dir = m_dir.filePath(QStringLiteral("unavailable"));
    QDir().mkpath(dir);
    sync::SyncEngine engine(project(s, dir, 0),
                            connect::PresetLibrary::load({QStringLiteral(TRANSOM_RESOURCES "/presets")}),
                            {[](const QString &, const QString &) { return QString(); }, {}});
    QSignalSpy unavailable(&engine, &sync::SyncEngine::jobUnavailable);
    QSignalSpy started(&engine, &sync::SyncEngine::jobStarted);
    QSignalSpy finished(&engine, &sync::SyncEngine::jobFinished);
    engine.startJob(QStringLiteral("hooks"), sync::JobRunner::Mode::Inbox);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
    QCOMPARE(unavailable.size(), 1);
    QCOMPARE(unavailable.first().at(0).toString(), QStringLiteral("hooks"));
    const QString reason = unavailable.first().at(1).toString();
    QVERIFY2(reason.contains(QStringLiteral("needs its api key")), qPrintable(reason));
    QCOMPARE(finished.first().at(1).toString(), QStringLiteral("failed"));
    QCOMPARE(finished.first().at(2).toString(), reason);
    QCOMPARE(started.size(), 0);
    QVERIFY(!engine.isRunning(QStringLiteral("hooks")));
}

void TestSyncEngine::stoppedRunResumesWithoutDuplicates()
{
    SandboxFixture s;
    const QString dir = m_dir.filePath(QStringLiteral("stop"));
    QDir().mkpath(dir);
    sync::Project p = project(s, dir, 50); // 50 a second: slow enough to stop halfway
    sync::SyncEngine engine(p, connect::PresetLibrary::load({QStringLiteral(TRANSOM_RESOURCES "/presets")}), secrets());
    QSignalSpy finished(&engine, &sync::SyncEngine::jobFinished);
    int delivered = 0; // the live log reaches a listener on the engine's thread
    connect(&engine, &sync::SyncEngine::jobLog, this, [&](const QString &job, const QJsonObject &line) {
        QCOMPARE(job, QStringLiteral("poll"));
        delivered += line.value(QStringLiteral("event")).toString() == QLatin1String("delivered") ? 1 : 0;
    });
    bool asked = false;
    connect(&engine, &sync::SyncEngine::jobProgress, this, [&](const QString &, const sync::RunProgress &progress) {
        if (!asked && progress.counts.created >= 40) {
            asked = true;
            engine.stopAll();
        }
    });
    engine.startJob(QStringLiteral("poll"), sync::JobRunner::Mode::Pull);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);
    QCOMPARE(finished.first().at(1).toString(), QStringLiteral("stopped"));
    const qint64 halfway = s.server.crm().people().size();
    QVERIFY(halfway < 196);
    engine.startJob(QStringLiteral("poll"), sync::JobRunner::Mode::Pull);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 60000);
    QCOMPARE(finished.at(1).at(1).toString(), QStringLiteral("completed"));
    QCOMPARE(s.server.crm().people().size(), 196);
    QTRY_COMPARE(delivered, 196);
    QCOMPARE(s.server.crm().duplicatesStored(), 0);
}

void TestSyncEngine::remappedRetryUsesTheMappingAsSavedNow()
{
    // The studio keeps one engine per project: a mapping fixed and saved after a run must be the one a
    // re-mapped retry (and the next run) uses.
    SandboxFixture s;
    const QString dir = m_dir.filePath(QStringLiteral("remap"));
    QDir().mkpath(dir);
    const QString mappingPath = dir + QStringLiteral("/mapping.json");
    QVERIFY(QFile::copy(QStringLiteral(TRANSOM_TEST_DATA "/jobs/portal-leads-to-crm-person.json"), mappingPath));
    QFile::setPermissions(mappingPath, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    sync::Project p = project(s, dir, 0);
    p.jobs[0].mapping = mappingPath;
    sync::SyncEngine engine(p, connect::PresetLibrary::load({QStringLiteral(TRANSOM_RESOURCES "/presets")}), secrets());
    QSignalSpy finished(&engine, &sync::SyncEngine::jobFinished);
    engine.startJob(QStringLiteral("poll"), sync::JobRunner::Mode::Pull);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);
    QCOMPARE(s.server.crm().people().size(), 196); // four leads carry phone numbers that cannot be real

    auto store = store::SyncStore::open(p.storePath);
    QVERIFY(store.ok());
    store::DeadLetterFilter filter;
    filter.job = QStringLiteral("poll");
    const QList<store::DeadLetter> letters = store.value()->deadLetters(filter).value();
    QCOMPARE(letters.size(), 4);
    QList<qint64> ids;
    for (const store::DeadLetter &l : letters)
        ids.append(l.id);

    // A change saved a moment later (a new modification time) is what the re-mapped retry uses.
    auto saveMapping = [&](const std::function<void(mapping::MappingDocument &)> &change) {
        auto doc = mapping::MappingDocument::load(mappingPath);
        QVERIFY(doc.ok());
        change(doc.value());
        ++doc.value().revision;
        QTest::qWait(20);
        QFile file(mappingPath);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(doc.value().toJsonText());
    };
    // First attempt: keep the number as the portal sent it. The CRM refuses it, and each letter now
    // shows that latest failure rather than the first one.
    saveMapping([](mapping::MappingDocument &d) {
        for (mapping::FieldMapping &f : d.fields)
            if (f.target == QLatin1String("phones[0].value"))
                f.rules = QJsonArray{QJsonObject{{QStringLiteral("rule"), QStringLiteral("trim")}}};
    });
    engine.retryDeadLetters(QStringLiteral("poll"), ids, true);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 60000);
    QCOMPARE(s.server.crm().people().size(), 196);
    QList<store::DeadLetter> again = store.value()->deadLetters(filter).value();
    QCOMPARE(again.size(), 4);
    for (const store::DeadLetter &l : again) {
        QCOMPARE(l.errorClass, QStringLiteral("permanent"));
        QCOMPARE(l.httpStatus, 422);
        QVERIFY2(l.message.contains(QLatin1String("is not an E.164 phone number")), qPrintable(l.message));
        QVERIFY(l.mappedRecord.contains("\"phones\""));
        QCOMPARE(l.mappingRevision, 2);
        QVERIFY(l.attempts >= 2);
    }
    // Second attempt: leave the phone out when it is not a real number.
    saveMapping([](mapping::MappingDocument &d) {
        for (qsizetype i = d.fields.size() - 1; i >= 0; --i)
            if (d.fields.at(i).target == QLatin1String("phones[0].value"))
                d.fields.removeAt(i);
    });
    engine.retryDeadLetters(QStringLiteral("poll"), ids, true);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 3, 60000);
    QCOMPARE(s.server.crm().people().size(), 200);
    QCOMPARE(store.value()->deadLetters(filter).value().size(), 0);
    QCOMPARE(s.server.crm().duplicatesStored(), 0);
}

QTEST_GUILESS_MAIN(TestSyncEngine)
#include "tst_syncengine.moc"
