// The sync engine's job runner end to end against the sandbox over loopback: clean runs, reruns that
// write nothing, faults and lost acknowledgements without duplicates, 429 storms, token expiry mid-run,
// a vendor's schema change parked in dead letters and replayed, the webhook inbox, stop requests; a store
// that fails or fills up mid-run (nothing sent without a durable intent, nothing duplicated after), and
// changed records on a sink that creates (an update by id, or a dead letter: never a second create).
#include "core/sync/commands.h"
#include "core/sync/jobrunner.h"
#include "failingstorage.h"
#include "sandboxfixture.h"

#include <QJsonArray>
#include <QSet>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>

using namespace transom;
using namespace transom::testing;

class TestJobRunner : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void cleanRunThenNothingToWrite();
    void faultsAndLostAcksNeverDuplicate();
    void aFailedRunDoesNotFailTheNext();
    void rateLimitStormIsPaced();
    void tokenExpiryMidRun();
    void schemaChangeWaitsInDeadLettersThenReplays();
    void removedStageIsFixedAndRetried();
    void inboxEventsOnceEach();
    void unreadableRecordsAreDeadLettered();
    void batchesWhereTheVendorHasThem();
    void missingSecretIsNamed();
    void failingStoreStopsSending_data();
    void failingStoreStopsSending();
    void fullStoreStopsSendingAndTheNextRunSettles();
    void changedRecordIsUpdatedByIdOnce();
    void changedRecordOnACreateOnlySinkIsDeadLettered();
    void aConflictNamingTheRecordSettlesLostAnswers();
    void aSinkThatCannotSettleALostAnswerIsRefused();
    void anOlderVersionNeverOverwritesANewer();
    void anOlderSignedEventNeverOverwritesANewer();
    void aDestinationOutageIsCountedAndNamed();

private:
    struct Setup {
        QTemporaryDir dir;
        QString projectPath;
    };
    static void writeProject(Setup &setup, const SandboxFixture &s, const QString &sinkPreset,
                             const QJsonObject &sinkOverrides, const QString &mapping,
                             const QJsonObject &jobExtra = {});
    static QString run(sync::JobRunner &runner, sync::JobRunner::Mode mode = sync::JobRunner::Mode::Pull);
    static std::unique_ptr<sync::JobRunner> runner(const Setup &setup, const QString &job = QStringLiteral("leads"),
                                                   std::unique_ptr<store::SyncStorage> storage = {});
    /// Every person the sandbox CRM holds has an intent or an outcome in the ledger at `storePath`:
    /// nothing was sent that the store did not know of first. Returns the ids that were not.
    static QStringList sentWithoutIntent(SandboxFixture &s, const QString &storePath);
};

namespace {

sync::SecretAccess sandboxSecrets()
{
    sync::SecretAccess secrets;
    secrets.read = [](const QString &, const QString &key) {
        if (key == QLatin1String("api_key"))
            return QStringLiteral("sandbox-api-key");
        if (key == QLatin1String("client_secret"))
            return QStringLiteral("sandbox-client-secret");
        return QString();
    };
    secrets.write = [](const QString &, const QString &, const QString &) { return true; };
    return secrets;
}

connect::PresetLibrary presets()
{
    return connect::PresetLibrary::load({QStringLiteral(TRANSOM_RESOURCES "/presets")});
}

const QString personMapping = QStringLiteral(TRANSOM_TEST_DATA "/jobs/portal-leads-to-crm-person.json");

QJsonObject peopleSink(const SandboxFixture &s)
{
    // A CRM intake that keeps whatever it is sent: a blind re-send would be a duplicate contact.
    return {{QStringLiteral("auth"), QJsonObject{{QStringLiteral("style"), QStringLiteral("basic_api_key")}}},
            {QStringLiteral("settings"),
             QJsonObject{{QStringLiteral("mode"), QStringLiteral("create")},
                         {QStringLiteral("create_url"), s.server.baseUrl() + QStringLiteral("/v1/people")},
                         {QStringLiteral("find_url"),
                          s.server.baseUrl() + QStringLiteral("/v1/people?externalId={external_id}")},
                         {QStringLiteral("batch_url"), QString()}}}};
}

} // namespace

void TestJobRunner::writeProject(Setup &setup, const SandboxFixture &s, const QString &sinkPreset,
                                 const QJsonObject &sinkOverrides, const QString &mapping, const QJsonObject &jobExtra)
{
    // The presets' real vendor budgets (100/min) would make a test take minutes: lift them unless a
    // test sets its own.
    const QJsonObject unlimited{{QStringLiteral("windows"), QJsonArray{}}, {QStringLiteral("max_in_flight"), 16}};
    QJsonObject sink = sinkOverrides;
    if (!sink.contains(QStringLiteral("limits")))
        sink.insert(QStringLiteral("limits"), unlimited);
    sink.insert(QStringLiteral("preset"), sinkPreset);
    sink.insert(QStringLiteral("base_url"), s.server.baseUrl());
    QJsonObject job{{QStringLiteral("name"), QStringLiteral("leads")},
                    {QStringLiteral("source"), QStringLiteral("portal")},
                    {QStringLiteral("sink"), QStringLiteral("crm")},
                    {QStringLiteral("mapping"), mapping},
                    {QStringLiteral("external_id_field"), QStringLiteral("externalId")},
                    {QStringLiteral("retry"), QJsonObject{{QStringLiteral("max_attempts"), 8},
                                                          {QStringLiteral("base_ms"), 10},
                                                          {QStringLiteral("cap_ms"), 200}}}};
    for (auto it = jobExtra.begin(); it != jobExtra.end(); ++it)
        job.insert(it.key(), it.value());
    const QJsonObject project{
        {QStringLiteral("transom_project"), 1},
        {QStringLiteral("name"), QStringLiteral("test")},
        {QStringLiteral("store"), QStringLiteral("transom.db")},
        {QStringLiteral("logs"), QStringLiteral("logs")},
        {QStringLiteral("connections"),
         QJsonObject{
             {QStringLiteral("portal"), QJsonObject{{QStringLiteral("preset"), QStringLiteral("webhook-lead-portal")},
                                                    {QStringLiteral("limits"), unlimited},
                                                    {QStringLiteral("base_url"), s.server.baseUrl()}}},
             {QStringLiteral("crm"), sink}}},
        {QStringLiteral("jobs"), QJsonArray{job}}};
    setup.projectPath = setup.dir.filePath(QStringLiteral("project.json"));
    QFile f(setup.projectPath);
    if (!f.open(QIODevice::WriteOnly))
        qFatal("cannot write the project");
    f.write(QJsonDocument(project).toJson());
}

std::unique_ptr<sync::JobRunner> TestJobRunner::runner(const Setup &setup, const QString &job,
                                                       std::unique_ptr<store::SyncStorage> storage)
{
    auto project = sync::Project::load(setup.projectPath);
    if (!project)
        qFatal("%s", qPrintable(project.error().toString()));
    auto r = std::make_unique<sync::JobRunner>(project.value(), *project->job(job), presets(), sandboxSecrets());
    if (storage)
        r->useStorage(std::move(storage));
    QString error;
    if (!r->prepare(&error))
        qFatal("%s", qPrintable(error));
    return r;
}

QStringList TestJobRunner::sentWithoutIntent(SandboxFixture &s, const QString &storePath)
{
    auto store = store::SyncStore::open(storePath);
    if (!store)
        qFatal("%s", qPrintable(store.error().toString()));
    QStringList ids;
    for (const QJsonObject &person : s.server.crm().people())
        ids.append(person.value(QStringLiteral("externalId")).toString());
    const auto known = store.value()->ledger(QStringLiteral("leads"), ids);
    if (!known)
        qFatal("%s", qPrintable(known.error().toString()));
    QStringList missing;
    for (const QString &id : std::as_const(ids))
        if (!known->contains(id))
            missing.append(id);
    return missing;
}

QString TestJobRunner::run(sync::JobRunner &runner, sync::JobRunner::Mode mode)
{
    QSignalSpy finished(&runner, &sync::JobRunner::finished);
    if (qEnvironmentVariableIsSet("TRANSOM_TEST_VERBOSE"))
        QObject::connect(&runner, &sync::JobRunner::logLine, [](const QJsonObject &line) {
            qDebug("%s", QJsonDocument(line).toJson(QJsonDocument::Compact).constData());
        });
    runner.start(mode);
    if (!finished.wait(60000) && finished.isEmpty())
        qFatal("the run did not finish");
    return finished.first().first().toString();
}

void TestJobRunner::cleanRunThenNothingToWrite()
{
    SandboxFixture s;
    Setup setup;
    writeProject(setup, s, QStringLiteral("oauth-crm"), peopleSink(s), personMapping);
    auto first = runner(setup);
    QCOMPARE(run(*first), QStringLiteral("completed"));
    const sync::RunCounts c = first->counts();
    QCOMPARE(c.received, 200);
    QCOMPARE(c.fieldErrors, 4); // "555-xxxx" phones without an area code
    QCOMPARE(c.created, 196);
    QCOMPARE(c.deadLettered, 4);
    QCOMPARE(s.server.crm().people().size(), 196);
    QCOMPARE(s.server.crm().duplicatesStored(), 0);
    const auto letters = first->store()->deadLetters({});
    QCOMPARE(letters->size(), 4);
    QCOMPARE(letters->first().errorClass, QStringLiteral("field"));
    QVERIFY(letters->first().message.contains(QStringLiteral("phones[0].value")));
    QVERIFY(!letters->first().sourceRecord.isEmpty());
    const qint64 writes = s.server.counters().value(QStringLiteral("requests.crm.people.create"));
    // Again with the checkpoint: the portal is asked once and nothing is written.
    auto second = runner(setup);
    QCOMPARE(run(*second), QStringLiteral("completed"));
    QCOMPARE(second->counts().created, 0);
    QCOMPARE(s.server.counters().value(QStringLiteral("requests.crm.people.create")), writes);
    // Without the checkpoint every lead comes again: the ledger skips them all, still no writes.
    store::WriteBatch reset;
    reset.checkpoint(QStringLiteral("leads"), {});
    QVERIFY(second->store()->commit(reset).ok());
    auto third = runner(setup);
    QCOMPARE(run(*third), QStringLiteral("completed"));
    QCOMPARE(third->counts().received, 200);
    QCOMPARE(third->counts().skipped, 196);
    QCOMPARE(s.server.counters().value(QStringLiteral("requests.crm.people.create")), writes);
    // The log tells each lead's story.
    const QList<QJsonObject> trace =
        log::EventLog::search(setup.dir.filePath(QStringLiteral("logs")), QStringLiteral("\"ZL-100005\""));
    QStringList events;
    for (const QJsonObject &line : trace)
        events.append(line.value(QStringLiteral("event")).toString());
    QVERIFY2(events.mid(0, 4) == (QStringList{QStringLiteral("received"), QStringLiteral("mapped"),
                                              QStringLiteral("sent"), QStringLiteral("delivered")}),
             qPrintable(events.join(QLatin1Char(','))));
    QVERIFY(events.contains(QStringLiteral("skipped")));
}

void TestJobRunner::faultsAndLostAcksNeverDuplicate()
{
    SandboxFixture s;
    QCOMPARE(
        s.call(
             "POST", QStringLiteral("/_admin/faults"),
             R"({"endpoint": "crm.people.create", "rate_503": 0.1, "rate_429": 0.05, "retry_after": 0, "rate_lost_ack": 0.08, "rate_drop": 0.03})")
            .status,
        200);
    QCOMPARE(
        s.call("POST", QStringLiteral("/_admin/faults"), R"({"endpoint": "portal.leads", "rate_503": 0.2})").status,
        200);
    Setup setup;
    writeProject(setup, s, QStringLiteral("oauth-crm"), peopleSink(s), personMapping);
    auto r = runner(setup);
    QCOMPARE(run(*r), QStringLiteral("completed"));
    QCOMPARE(r->counts().created + r->counts().updated, 196);
    QVERIFY(r->counts().retried > 0);
    QVERIFY(r->counts().lookedUp > 0);
    QVERIFY(s.server.counters().value(QStringLiteral("faults.lost_ack")) > 0);
    QCOMPARE(s.server.crm().people().size(), 196);  // nothing lost
    QCOMPARE(s.server.crm().duplicatesStored(), 0); // nothing twice
}

// The engine keeps its runners: a run after one whose source failed starts clean.
void TestJobRunner::aFailedRunDoesNotFailTheNext()
{
    SandboxFixture s;
    QCOMPARE(s.call("POST", QStringLiteral("/_admin/faults"), R"({"endpoint": "portal.leads", "rate_503": 1})").status,
             200);
    Setup setup;
    writeProject(setup, s, QStringLiteral("oauth-crm"), peopleSink(s), personMapping);
    auto r = runner(setup);
    QCOMPARE(run(*r), QStringLiteral("failed"));
    QCOMPARE(s.call("POST", QStringLiteral("/_admin/faults"), R"({"endpoint": "portal.leads", "rate_503": 0})").status,
             200);
    QCOMPARE(run(*r), QStringLiteral("completed"));
    QCOMPARE(r->counts().created, 196);
}

void TestJobRunner::rateLimitStormIsPaced()
{
    sandbox::SandboxConfig config;
    config.crmRateLimit = 40;
    config.crmRateWindowSeconds = 1;
    config.leads = 120;
    SandboxFixture s(config);
    Setup setup;
    QJsonObject sink = peopleSink(s);
    sink.insert(QStringLiteral("limits"),
                QJsonObject{{QStringLiteral("windows"),
                             QJsonArray{QJsonObject{{QStringLiteral("limit"), 40},
                                                    {QStringLiteral("per"), QStringLiteral("second")}}}},
                            {QStringLiteral("max_in_flight"), 8}});
    writeProject(setup, s, QStringLiteral("oauth-crm"), sink, personMapping);
    auto r = runner(setup);
    QCOMPARE(run(*r), QStringLiteral("completed"));
    QCOMPARE(s.server.crm().people().size(), 117); // three of 120 have phones without an area code
    QVERIFY2(s.server.counters().value(QStringLiteral("crm.rate_limited")) <= 2,
             qPrintable(QString::number(s.server.counters().value(QStringLiteral("crm.rate_limited")))));
}

void TestJobRunner::tokenExpiryMidRun()
{
    SandboxFixture s;
    Setup setup;
    QJsonObject sink = peopleSink(s);
    sink.insert(QStringLiteral("auth"),
                QJsonObject{{QStringLiteral("style"), QStringLiteral("oauth_client_credentials")},
                            {QStringLiteral("client_id"), QStringLiteral("transom-demo")},
                            {QStringLiteral("token_url"), QStringLiteral("{base}/oauth/token")}});
    writeProject(setup, s, QStringLiteral("oauth-crm"), sink, personMapping);
    auto r = runner(setup);
    bool expired = false;
    connect(r.get(), &sync::JobRunner::progress, this, [&](const sync::RunProgress &progress) {
        if (!expired && progress.counts.created >= 50) {
            expired = true;
            s.server.oauth().expireAccessTokens(); // the vendor ends the token early
        }
    });
    QCOMPARE(run(*r), QStringLiteral("completed"));
    QVERIFY(expired);
    QCOMPARE(s.server.crm().people().size(), 196);
    QVERIFY(s.server.counters().value(QStringLiteral("oauth.access_tokens.issued")) >= 2);
    QCOMPARE(r->counts().deadLettered, 4); // only the four bad phones
}

void TestJobRunner::schemaChangeWaitsInDeadLettersThenReplays()
{
    SandboxFixture s;
    QCOMPARE(s.call("POST", QStringLiteral("/_admin/portal"), R"({"schema_version": 2})").status, 200);
    Setup setup;
    writeProject(setup, s, QStringLiteral("oauth-crm"), peopleSink(s), personMapping);
    auto r = runner(setup);
    QCOMPARE(run(*r), QStringLiteral("completed"));
    QCOMPARE(r->counts().created, 0);
    QCOMPARE(r->counts().deadLettered, 200); // nothing lost: every lead waits with its reason
    const auto letters = r->store()->deadLetters({});
    QVERIFY(letters->first().message.contains(
        QStringLiteral("phones[0].value: a value is required but the source field is missing")));
    // The admin updates the mapping to read phone_number, then replays the dead letters.
    QFile original(personMapping);
    QVERIFY(original.open(QIODevice::ReadOnly));
    QByteArray fixed = original.readAll();
    fixed.replace(R"("from": "phone")", R"("from": ["phone_number", "phone"])");
    fixed.replace(R"("revision": 1)", R"("revision": 2)");
    const QString fixedPath = setup.dir.filePath(QStringLiteral("fixed.json"));
    QFile out(fixedPath);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(fixed);
    out.close();
    writeProject(setup, s, QStringLiteral("oauth-crm"), peopleSink(s), fixedPath);
    auto replay = runner(setup);
    QList<qint64> ids;
    for (const store::DeadLetter &d : letters.value())
        ids.append(d.id);
    QSignalSpy finished(replay.get(), &sync::JobRunner::finished);
    replay->retryDeadLetters(ids, true);
    QVERIFY(finished.wait(30000));
    QCOMPARE(s.server.crm().people().size(), 196);
    QCOMPARE(replay->store()->deadLetters({}).value().size(), 4); // the bad phones stay, with their reason
    store::DeadLetterFilter resolved;
    resolved.status = QStringLiteral("resolved");
    QCOMPARE(replay->store()->deadLetters(resolved).value().size(), 196);
}

void TestJobRunner::removedStageIsFixedAndRetried()
{
    SandboxFixture s;
    QCOMPARE(s.call("POST", QStringLiteral("/_admin/crm"),
                    R"({"stages": ["Lead", "Cold", "Warm", "Appointment Set", "Nurture"]})")
                 .status,
             200);
    Setup setup;
    writeProject(setup, s, QStringLiteral("oauth-crm"), peopleSink(s), personMapping);
    auto r = runner(setup);
    QCOMPARE(run(*r), QStringLiteral("completed"));
    store::DeadLetterFilter permanent;
    permanent.errorClass = QStringLiteral("permanent");
    const QList<store::DeadLetter> letters = r->store()->deadLetters(permanent).value();
    QVERIFY(letters.size() > 10);
    QCOMPARE(letters.first().httpStatus, 422);
    QVERIFY(letters.first().message.contains(QStringLiteral("Stage 'Hot Prospect' does not exist")));
    const qint64 before = s.server.crm().people().size();
    // The CRM admin brings the stage back; retry that kind of failure as it was mapped.
    QCOMPARE(s.call("POST", QStringLiteral("/_admin/crm"),
                    R"({"stages": ["Lead", "Cold", "Warm", "Hot Prospect", "Appointment Set", "Nurture"]})")
                 .status,
             200);
    QList<qint64> ids;
    for (const store::DeadLetter &d : letters)
        ids.append(d.id);
    auto retry = runner(setup);
    QSignalSpy finished(retry.get(), &sync::JobRunner::finished);
    retry->retryDeadLetters(ids, false);
    QVERIFY(finished.wait(30000));
    QCOMPARE(s.server.crm().people().size(), before + letters.size());
    QCOMPARE(s.server.crm().duplicatesStored(), 0);
    QCOMPARE(retry->store()->deadLetters(permanent).value().size(), 0);
}

void TestJobRunner::inboxEventsOnceEach()
{
    SandboxFixture s;
    Setup setup;
    writeProject(setup, s, QStringLiteral("oauth-crm"), peopleSink(s), personMapping,
                 {{QStringLiteral("trigger"), QJsonObject{{QStringLiteral("kind"), QStringLiteral("webhook")},
                                                          {QStringLiteral("record_path"), QStringLiteral("lead")}}}});
    auto r = runner(setup);
    QList<store::InboxEvent> events;
    for (int i = 0; i < 10; ++i) {
        const QJsonObject lead = s.server.portal().leads().at(i);
        events.append({0, QStringLiteral("leads"), QStringLiteral("evt-%1").arg(i),
                       QJsonDocument(QJsonObject{{QStringLiteral("lead"), lead}}).toJson(QJsonDocument::Compact), 0});
    }
    QVERIFY(r->store()->inboxAdd(events).ok());
    QCOMPARE(r->store()->inboxAdd(events.mid(0, 3)).value(), (QList<bool>{false, false, false})); // the vendor re-sends
    QCOMPARE(run(*r, sync::JobRunner::Mode::Inbox), QStringLiteral("completed"));
    QCOMPARE(s.server.crm().people().size(), 10);
    QCOMPARE(r->counts().received, 10); // each event once through the engine: no second pass, no lookups
    QCOMPARE(r->counts().lookedUp, 0);
    QCOMPARE(s.server.counters().value(QStringLiteral("requests.crm.people.find")), 0);
    QCOMPARE(r->store()->inboxPending(QStringLiteral("leads"), 100).value().size(), 0);
}

// A pushed body that is JSON but not a record (a list, a bare string) is kept whole in the dead letters
// with the reason; the good event beside it goes through.
void TestJobRunner::unreadableRecordsAreDeadLettered()
{
    SandboxFixture s;
    Setup setup;
    writeProject(setup, s, QStringLiteral("oauth-crm"), peopleSink(s), personMapping,
                 {{QStringLiteral("trigger"), QJsonObject{{QStringLiteral("kind"), QStringLiteral("webhook")}}}});
    auto r = runner(setup);
    const QByteArray good = QJsonDocument(s.server.portal().leads().at(0)).toJson(QJsonDocument::Compact);
    const QList<QByteArray> bad = {QByteArrayLiteral("[1, 2]"), QByteArrayLiteral("\"call me\"")};
    QList<store::InboxEvent> events{{0, QStringLiteral("leads"), QStringLiteral("evt-good"), good, 0}};
    for (qsizetype i = 0; i < bad.size(); ++i)
        events.append({0, QStringLiteral("leads"), QStringLiteral("evt-bad-%1").arg(i), bad.at(i), 0});
    QVERIFY(r->store()->inboxAdd(events).ok());
    QCOMPARE(run(*r, sync::JobRunner::Mode::Inbox), QStringLiteral("completed"));
    QCOMPARE(s.server.crm().people().size(), 1);
    const QList<store::DeadLetter> letters = r->store()->deadLetters({}).value();
    QCOMPARE(letters.size(), 2);
    QList<QByteArray> kept;
    for (const store::DeadLetter &letter : letters) {
        QVERIFY2(letter.message.contains(QLatin1String("not a JSON object")), qPrintable(letter.message));
        QCOMPARE(letter.errorClass, QStringLiteral("field"));
        kept.append(letter.sourceRecord);
    }
    std::sort(kept.begin(), kept.end());
    QList<QByteArray> expected = bad;
    std::sort(expected.begin(), expected.end());
    QCOMPARE(kept, expected);
    QCOMPARE(r->store()->inboxPending(QStringLiteral("leads"), 100).value().size(), 0);
}

void TestJobRunner::batchesWhereTheVendorHasThem()
{
    SandboxFixture s;
    Setup setup;
    QJsonObject sink = peopleSink(s);
    QJsonObject settings = sink.value(QStringLiteral("settings")).toObject();
    settings.insert(QStringLiteral("batch_url"), s.server.baseUrl() + QStringLiteral("/v1/people/batch"));
    sink.insert(QStringLiteral("settings"), settings);
    writeProject(setup, s, QStringLiteral("oauth-crm"), sink, personMapping, {{QStringLiteral("batch"), true}});
    auto r = runner(setup);
    QCOMPARE(run(*r), QStringLiteral("completed"));
    QCOMPARE(r->counts().created, 196);
    QCOMPARE(s.server.crm().people().size(), 196);
    QVERIFY(s.server.counters().value(QStringLiteral("requests.crm.people.batch")) <= 4);
    QCOMPARE(s.server.counters().value(QStringLiteral("requests.crm.people.create")), 0);
}

void TestJobRunner::missingSecretIsNamed()
{
    SandboxFixture s;
    Setup setup;
    writeProject(setup, s, QStringLiteral("oauth-crm"), peopleSink(s), personMapping);
    auto project = sync::Project::load(setup.projectPath);
    sync::JobRunner r(project.value(), *project->job(QStringLiteral("leads")), presets(), {});
    QString error;
    QVERIFY(!r.prepare(&error));
    QVERIFY2(error.contains(QStringLiteral("needs its api key")) &&
                 error.contains(QStringLiteral("TRANSOM_SECRET_PORTAL_API_KEY")),
             qPrintable(error));
}

void TestJobRunner::failingStoreStopsSending_data()
{
    QTest::addColumn<int>("commitsBeforeFailing");
    QTest::addColumn<int>("ledgerReadsBeforeFailing");
    QTest::newRow("a commit fails mid-run") << 3 << -1;
    QTest::newRow("a commit fails at once") << 0 << -1;
    QTest::newRow("a ledger read fails mid-run") << -1 << 1;
}

// The store refuses a group commit or a ledger read: nothing more goes out (the requests in flight
// settle), the run fails with the store's words, and the next run settles what was in flight: every
// lead once at the CRM, none twice.
void TestJobRunner::failingStoreStopsSending()
{
    QFETCH(int, commitsBeforeFailing);
    QFETCH(int, ledgerReadsBeforeFailing);
    SandboxFixture s;
    QCOMPARE(s.call("POST", QStringLiteral("/_admin/faults"),
                    R"({"endpoint": "crm.people.create", "rate_lost_ack": 0.05, "rate_503": 0.05})")
                 .status,
             200);
    Setup setup;
    QJsonObject sink = peopleSink(s);
    sink.insert(QStringLiteral("limits"),
                QJsonObject{{QStringLiteral("windows"), QJsonArray{}}, {QStringLiteral("max_in_flight"), 4}});
    writeProject(setup, s, QStringLiteral("oauth-crm"), sink, personMapping);
    const QString storePath = setup.dir.filePath(QStringLiteral("transom.db"));
    auto real = store::openStorage(storePath);
    QVERIFY(real.ok());
    auto failing =
        std::make_unique<FailingStorage>(std::move(real.value()), commitsBeforeFailing, ledgerReadsBeforeFailing);
    qint64 sentAtFailure = -1;
    const auto sent = [&s] {
        return s.server.counters().value(QStringLiteral("requests.crm.people.create")) +
               s.server.counters().value(QStringLiteral("requests.crm.people.find"));
    };
    failing->onFirstFailure = [&] { sentAtFailure = sent(); };
    FailingStorage *double_ = failing.get();
    auto first = runner(setup, QStringLiteral("leads"), std::move(failing));
    QSignalSpy finished(first.get(), &sync::JobRunner::finished);
    first->start(sync::JobRunner::Mode::Pull);
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.first().at(0).toString(), QStringLiteral("failed"));
    const QString message = finished.first().at(1).toString();
    QVERIFY2(message.contains(QLatin1String(FailingStorage::reason)) && message.contains(QLatin1String("sync store")),
             qPrintable(message));
    QVERIFY(double_->failures() > 0);
    QVERIFY(sentAtFailure >= 0);
    // At most the requests already on their way (4 in flight) reached the CRM after the failure.
    QVERIFY2(sent() - sentAtFailure <= 4, qPrintable(QStringLiteral("%1 → %2").arg(sentAtFailure).arg(sent())));
    QVERIFY(s.server.crm().people().size() < 196);
    QCOMPARE(sentWithoutIntent(s, storePath), QStringList());
    QCOMPARE(s.server.crm().duplicatesStored(), 0);
    first.reset();
    // The store works again: the next run looks up what was in flight and sends the rest, once.
    auto second = runner(setup);
    QCOMPARE(run(*second), QStringLiteral("completed"));
    QCOMPARE(s.server.crm().people().size(), 196);
    QCOMPARE(s.server.crm().duplicatesStored(), 0);
}

// A real full store: SQLite's max_page_count caps the file a few pages above its empty size, so a
// commit fails with "database or disk is full" part way through 600 leads.
void TestJobRunner::fullStoreStopsSendingAndTheNextRunSettles()
{
    sandbox::SandboxConfig config;
    config.leads = 600;
    SandboxFixture s(config);
    Setup setup;
    QJsonObject sink = peopleSink(s);
    sink.insert(QStringLiteral("limits"),
                QJsonObject{{QStringLiteral("windows"), QJsonArray{}}, {QStringLiteral("max_in_flight"), 4}});
    writeProject(setup, s, QStringLiteral("oauth-crm"), sink, personMapping);
    const QString storePath = setup.dir.filePath(QStringLiteral("transom.db"));
    int emptyPages = 0;
    {
        auto created = runner(setup); // the store and its tables, as a run finds them
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("pages"));
        db.setDatabaseName(storePath);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("PRAGMA page_count")) && q.next());
        emptyPages = q.value(0).toInt();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("pages"));
    QVERIFY(emptyPages > 0);
    qputenv("TRANSOM_STORE_MAX_PAGES", QByteArray::number(emptyPages + 4));
    auto first = runner(setup);
    qunsetenv("TRANSOM_STORE_MAX_PAGES");
    QSignalSpy finished(first.get(), &sync::JobRunner::finished);
    first->start(sync::JobRunner::Mode::Pull);
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.first().at(0).toString(), QStringLiteral("failed"));
    const QString message = finished.first().at(1).toString();
    QVERIFY2(message.contains(QLatin1String("database or disk is full")), qPrintable(message));
    const qint64 createdBefore = s.server.crm().people().size();
    QVERIFY2(createdBefore > 0 && createdBefore < 500, qPrintable(QString::number(createdBefore)));
    QCOMPARE(sentWithoutIntent(s, storePath), QStringList());
    QCOMPARE(s.server.crm().duplicatesStored(), 0);
    first.reset();
    // Room again: the second run completes; every lead is at the CRM once or waits in dead letters.
    auto second = runner(setup);
    QCOMPARE(run(*second), QStringLiteral("completed"));
    QCOMPARE(s.server.crm().duplicatesStored(), 0);
    const qint64 waiting = second->store()->deadLetterCount({}).value();
    QVERIFY(waiting > 0);
    QCOMPARE(s.server.crm().people().size() + waiting, 600);
}

namespace {

/// One webhook event carrying `lead` (under "lead", as the portal sends it).
store::InboxEvent leadEvent(const QString &eventId, const QJsonObject &lead)
{
    return {0, QStringLiteral("leads"), eventId,
            QJsonDocument(QJsonObject{{QStringLiteral("lead"), lead}}).toJson(QJsonDocument::Compact), 0};
}

/// The first lead the CRM holds (leads with unusable phones never reach it).
QJsonObject deliveredLead(SandboxFixture &s)
{
    QSet<QString> there;
    for (const QJsonObject &person : s.server.crm().people())
        there.insert(person.value(QStringLiteral("externalId")).toString());
    for (const QJsonObject &lead : s.server.portal().leads())
        if (there.contains(lead.value(QStringLiteral("lead_id")).toString()))
            return lead;
    qFatal("no lead reached the CRM");
}

const QJsonObject webhookTrigger{
    {QStringLiteral("trigger"), QJsonObject{{QStringLiteral("kind"), QStringLiteral("webhook")},
                                            {QStringLiteral("record_path"), QStringLiteral("lead")}}}};

} // namespace

// A lead that changed, on a sink in "create" mode whose vendor can update by id: one PUT to the
// person it created, no second person, and the counts say "1 updated". One event, one pass.
void TestJobRunner::changedRecordIsUpdatedByIdOnce()
{
    SandboxFixture s;
    Setup setup;
    writeProject(setup, s, QStringLiteral("oauth-crm"), peopleSink(s), personMapping, webhookTrigger);
    auto first = runner(setup);
    QCOMPARE(run(*first), QStringLiteral("completed"));
    QCOMPARE(s.server.crm().people().size(), 196);
    first.reset();
    QJsonObject lead = deliveredLead(s);
    lead.insert(QStringLiteral("last_name"), QStringLiteral("Changed-Name"));
    const qint64 creates = s.server.counters().value(QStringLiteral("requests.crm.people.create"));
    auto second = runner(setup);
    QVERIFY(second->store()->inboxAdd({leadEvent(QStringLiteral("evt-changed"), lead)}).ok());
    QCOMPARE(run(*second, sync::JobRunner::Mode::Inbox), QStringLiteral("completed"));
    QCOMPARE(second->counts().received, 1); // one event, one pass through the engine
    QCOMPARE(second->counts().updated, 1);
    QCOMPARE(second->counts().created, 0);
    QCOMPARE(second->counts().lookedUp, 0);
    QCOMPARE(s.server.counters().value(QStringLiteral("requests.crm.people.create")), creates);
    QCOMPARE(s.server.counters().value(QStringLiteral("requests.crm.people.update")), 1);
    QCOMPARE(s.server.counters().value(QStringLiteral("requests.crm.people.find")), 0);
    QCOMPARE(s.server.crm().people().size(), 196);
    QCOMPARE(s.server.crm().duplicatesStored(), 0);
    const QString leadId = lead.value(QStringLiteral("lead_id")).toString();
    int withNewName = 0;
    for (const QJsonObject &person : s.server.crm().people())
        if (person.value(QStringLiteral("externalId")).toString() == leadId)
            withNewName += person.value(QStringLiteral("lastName")).toString() == QLatin1String("Changed-Name");
    QCOMPARE(withNewName, 1);
    QCOMPARE(second->store()->inboxPending(QStringLiteral("leads"), 10).value().size(), 0);
}

// The same on a sink that can only create (no update_url): the change waits in dead letters as
// update_unsupported, saying so; nothing is sent.
void TestJobRunner::changedRecordOnACreateOnlySinkIsDeadLettered()
{
    SandboxFixture s;
    Setup setup;
    QJsonObject sink = peopleSink(s);
    QJsonObject settings = sink.value(QStringLiteral("settings")).toObject();
    settings.insert(QStringLiteral("update_url"), QString());
    sink.insert(QStringLiteral("settings"), settings);
    writeProject(setup, s, QStringLiteral("oauth-crm"), sink, personMapping, webhookTrigger);
    auto first = runner(setup);
    QCOMPARE(run(*first), QStringLiteral("completed"));
    first.reset();
    QJsonObject lead = deliveredLead(s);
    lead.insert(QStringLiteral("last_name"), QStringLiteral("Changed-Name"));
    const qint64 requests = s.server.counters().value(QStringLiteral("requests.total"));
    for (int pass = 0; pass < 2; ++pass) { // a second change later: still one open letter
        lead.insert(QStringLiteral("message"), QStringLiteral("pass %1").arg(pass));
        auto again = runner(setup);
        QVERIFY(again->store()->inboxAdd({leadEvent(QStringLiteral("evt-changed-%1").arg(pass), lead)}).ok());
        QCOMPARE(run(*again, sync::JobRunner::Mode::Inbox), QStringLiteral("completed"));
        QCOMPARE(again->counts().received, 1);
        QCOMPARE(again->counts().deadLettered, 1);
        QCOMPARE(again->counts().created + again->counts().updated, 0);
    }
    QCOMPARE(s.server.counters().value(QStringLiteral("requests.total")), requests); // not one call
    QCOMPARE(s.server.crm().people().size(), 196);
    QCOMPARE(s.server.crm().duplicatesStored(), 0);
    auto check = runner(setup);
    store::DeadLetterFilter unsupported;
    unsupported.errorClass = store::deadLetterClassName(store::DeadLetterClass::UpdateUnsupported);
    const QList<store::DeadLetter> letters = check->store()->deadLetters(unsupported).value();
    QCOMPARE(letters.size(), 1);
    QCOMPARE(letters.first().errorClass, QStringLiteral("update_unsupported"));
    QCOMPARE(letters.first().sourceId, lead.value(QStringLiteral("lead_id")).toString());
    QVERIFY2(letters.first().message.contains(QLatin1String("can only create")), qPrintable(letters.first().message));
    QCOMPARE(letters.first().attempts, 2);
}

// A CRM without a lookup that answers a second create with 409 and the person's id: every create whose
// answer was lost is sent again and the 409 settles it. No lookups, nothing dead-lettered but the
// bad phones, every lead once.
void TestJobRunner::aConflictNamingTheRecordSettlesLostAnswers()
{
    sandbox::SandboxConfig config;
    config.crmRejectDuplicates = true;
    SandboxFixture s(config);
    QCOMPARE(s.call("POST", QStringLiteral("/_admin/faults"),
                    R"({"endpoint": "crm.people.create", "rate_lost_ack": 0.1, "rate_503": 0.05})")
                 .status,
             200);
    Setup setup;
    QJsonObject sink = peopleSink(s);
    QJsonObject settings = sink.value(QStringLiteral("settings")).toObject();
    settings.insert(QStringLiteral("find_url"), QString());
    settings.insert(QStringLiteral("duplicate_is_delivered"), true);
    sink.insert(QStringLiteral("settings"), settings);
    writeProject(setup, s, QStringLiteral("oauth-crm"), sink, personMapping);
    auto r = runner(setup);
    QCOMPARE(run(*r), QStringLiteral("completed"));
    QCOMPARE(r->counts().created, 196);
    QCOMPARE(r->counts().deadLettered, 4);
    QVERIFY(s.server.counters().value(QStringLiteral("faults.lost_ack")) > 0);
    QVERIFY(s.server.counters().value(QStringLiteral("crm.duplicates.rejected")) > 0);
    QCOMPARE(s.server.counters().value(QStringLiteral("requests.crm.people.find")), 0);
    QCOMPARE(s.server.crm().people().size(), 196);
}

void TestJobRunner::aSinkThatCannotSettleALostAnswerIsRefused()
{
    SandboxFixture s;
    Setup setup;
    QJsonObject sink = peopleSink(s);
    QJsonObject settings = sink.value(QStringLiteral("settings")).toObject();
    settings.insert(QStringLiteral("find_url"), QString());
    sink.insert(QStringLiteral("settings"), settings);
    writeProject(setup, s, QStringLiteral("oauth-crm"), sink, personMapping);
    auto project = sync::Project::load(setup.projectPath);
    QVERIFY(project.ok());
    sync::JobRunner r(project.value(), *project->job(QStringLiteral("leads")), presets(), sandboxSecrets());
    QString error;
    QVERIFY(!r.prepare(&error));
    QVERIFY2(error.contains(QLatin1String("find_url")) &&
                 error.contains(QLatin1String("a way to tell whether a create whose answer was lost arrived")),
             qPrintable(error));
    QCOMPARE(s.server.counters().value(QStringLiteral("requests.total")), 0);
}

namespace {

QString stageOf(SandboxFixture &s, const QString &leadId)
{
    QStringList stages;
    for (const QJsonObject &person : s.server.crm().people())
        if (person.value(QStringLiteral("externalId")).toString() == leadId)
            stages.append(person.value(QStringLiteral("stage")).toString());
    return stages.join(QLatin1Char('|')); // more than one: a duplicate
}

} // namespace

// A delayed or replayed webhook carrying an older version of a lead (by its updated_at, the portal
// connection's watermark field, in any zone) never reverts the CRM: it is skipped, its event processed,
// and a newer version still updates.
void TestJobRunner::anOlderVersionNeverOverwritesANewer()
{
    QCOMPARE(sync::recordVersionMs(mapping::Value(QString(QStringLiteral("2026-03-01T12:30:00+02:00")))),
             sync::recordVersionMs(mapping::Value(QString(QStringLiteral("2026-03-01T10:30:00Z")))));
    QCOMPARE(sync::recordVersionMs(mapping::Value(QString(QStringLiteral("2026-03-01T10:30:00")))),
             sync::recordVersionMs(mapping::Value(qint64(1772361000))));
    QCOMPARE(sync::recordVersionMs(mapping::Value(1772361000123.0)), 1772361000123);
    QCOMPARE(sync::recordVersionMs(mapping::Value(QString(QStringLiteral("1772361000")))), 1772361000000);
    QCOMPARE(sync::recordVersionMs(mapping::Value(QString(QStringLiteral("not a time")))), 0);
    QCOMPARE(sync::recordVersionMs(mapping::Value()), 0);

    SandboxFixture s;
    Setup setup;
    writeProject(setup, s, QStringLiteral("oauth-crm"), peopleSink(s), personMapping, webhookTrigger);
    auto first = runner(setup);
    QCOMPARE(run(*first), QStringLiteral("completed"));
    first.reset();
    const QJsonObject v1 = deliveredLead(s);
    const QString leadId = v1.value(QStringLiteral("lead_id")).toString();
    const QDateTime t1 = QDateTime::fromString(v1.value(QStringLiteral("updated_at")).toString(), Qt::ISODate);
    QVERIFY(t1.isValid());
    const auto at = [](const QDateTime &t, int offsetHours) { // the same instant, written in another zone
        return t.toOffsetFromUtc(offsetHours * 3600).toString(Qt::ISODate);
    };
    const auto version = [&](const QString &status, const QString &updatedAt) {
        QJsonObject lead = v1;
        lead.insert(QStringLiteral("status"), status);
        lead.insert(QStringLiteral("updated_at"), updatedAt);
        return lead;
    };
    const auto deliver = [&](const QString &eventId, const QJsonObject &lead) {
        auto r = runner(setup);
        if (!r->store()->inboxAdd({leadEvent(eventId, lead)}).ok())
            qFatal("inbox");
        if (run(*r, sync::JobRunner::Mode::Inbox) != QLatin1String("completed"))
            qFatal("the run did not complete");
        if (r->store()->inboxPending(QStringLiteral("leads"), 10).value().size() != 0)
            qFatal("an event stayed in the inbox");
        return r->counts();
    };
    // v2, an hour later: Hot Prospect.
    sync::RunCounts counts =
        deliver(QStringLiteral("evt-v2"), version(QStringLiteral("_hot_lead_prospect_"), at(t1.addSecs(3600), 2)));
    QCOMPARE(counts.updated, 1);
    QCOMPARE(stageOf(s, leadId), QStringLiteral("Hot Prospect"));
    const qint64 updates = s.server.counters().value(QStringLiteral("requests.crm.people.update"));
    // v1 replayed (a captured request, a late retry), half an hour before v2 and written in another zone:
    // skipped, not one call.
    const qint64 requests = s.server.counters().value(QStringLiteral("requests.total"));
    counts = deliver(QStringLiteral("evt-v1-replayed"), version(QStringLiteral("_new_"), at(t1.addSecs(1800), -5)));
    QCOMPARE(counts.received, 1);
    QCOMPARE(counts.skipped, 1);
    QCOMPARE(counts.updated + counts.created + counts.deadLettered, 0);
    QCOMPARE(s.server.counters().value(QStringLiteral("requests.total")), requests);
    QCOMPARE(stageOf(s, leadId), QStringLiteral("Hot Prospect"));
    // The same version with other content still updates (a correction without a new time).
    counts = deliver(QStringLiteral("evt-v2b"), version(QStringLiteral("_warm_lead_"), at(t1.addSecs(3600), 0)));
    QCOMPARE(counts.updated, 1);
    QCOMPARE(stageOf(s, leadId), QStringLiteral("Warm"));
    // v3, newer: goes through.
    counts = deliver(QStringLiteral("evt-v3"), version(QStringLiteral("_appointment_set_"), at(t1.addSecs(7200), 1)));
    QCOMPARE(counts.updated, 1);
    QCOMPARE(counts.skipped, 0);
    QCOMPARE(stageOf(s, leadId), QStringLiteral("Appointment Set"));
    QCOMPARE(s.server.counters().value(QStringLiteral("requests.crm.people.update")), updates + 2);
    // Two versions in one drain (v4 then a late v2 behind it): only the newest goes, whatever the order.
    {
        auto r = runner(setup);
        QVERIFY(r->store()
                    ->inboxAdd({leadEvent(QStringLiteral("evt-v4"),
                                          version(QStringLiteral("_nurture_"), at(t1.addSecs(9000), 0))),
                                leadEvent(QStringLiteral("evt-v2-late"),
                                          version(QStringLiteral("_cold_lead_"), at(t1.addSecs(3600), 0)))})
                    .ok());
        QCOMPARE(run(*r, sync::JobRunner::Mode::Inbox), QStringLiteral("completed"));
        QCOMPARE(r->counts().updated, 1);
        QCOMPARE(r->counts().skipped, 1);
    }
    QCOMPARE(stageOf(s, leadId), QStringLiteral("Nurture"));
    QCOMPARE(s.server.crm().duplicatesStored(), 0);
    // A record without a version is sent as before (nothing to compare it with).
    QJsonObject unversioned = version(QStringLiteral("_cold_lead_"), QString());
    unversioned.remove(QStringLiteral("updated_at"));
    counts = deliver(QStringLiteral("evt-unversioned"), unversioned);
    QCOMPARE(counts.updated, 1);
    QCOMPARE(stageOf(s, leadId), QStringLiteral("Cold"));
}

// Without a version field in the records (version_field ""), webhook events compare the time their
// signature covers: an event signed earlier than the one delivered is skipped.
void TestJobRunner::anOlderSignedEventNeverOverwritesANewer()
{
    SandboxFixture s;
    Setup setup;
    QJsonObject job = webhookTrigger;
    job.insert(QStringLiteral("version_field"), QString());
    writeProject(setup, s, QStringLiteral("oauth-crm"), peopleSink(s), personMapping, job);
    auto first = runner(setup);
    QCOMPARE(run(*first), QStringLiteral("completed"));
    first.reset();
    QJsonObject lead = deliveredLead(s);
    const QString leadId = lead.value(QStringLiteral("lead_id")).toString();
    const qint64 signedNow = QDateTime::currentSecsSinceEpoch();
    const auto signedEvent = [&](const QString &eventId, const QString &status, qint64 signedAt) {
        QJsonObject l = lead;
        l.insert(QStringLiteral("status"), status);
        l.insert(QStringLiteral("updated_at"), QStringLiteral("2001-01-01T00:00:00Z")); // not compared
        store::InboxEvent e = leadEvent(eventId, l);
        e.signedAt = signedAt;
        return e;
    };
    auto second = runner(setup);
    QVERIFY(second->store()
                ->inboxAdd({signedEvent(QStringLiteral("evt-new"), QStringLiteral("_hot_lead_prospect_"), signedNow)})
                .ok());
    QCOMPARE(run(*second, sync::JobRunner::Mode::Inbox), QStringLiteral("completed"));
    QCOMPARE(second->counts().updated, 1);
    second.reset();
    auto third = runner(setup);
    QVERIFY(third->store()
                ->inboxAdd({signedEvent(QStringLiteral("evt-old"), QStringLiteral("_new_"), signedNow - 60)})
                .ok());
    QCOMPARE(run(*third, sync::JobRunner::Mode::Inbox), QStringLiteral("completed"));
    QCOMPARE(third->counts().skipped, 1);
    QCOMPARE(third->counts().updated, 0);
    QCOMPARE(stageOf(s, leadId), QStringLiteral("Hot Prospect"));
    QCOMPARE(third->store()->inboxPending(QStringLiteral("leads"), 10).value().size(), 0);
    third.reset();
    auto fourth = runner(setup);
    QVERIFY(fourth->store()
                ->inboxAdd({signedEvent(QStringLiteral("evt-newer"), QStringLiteral("_nurture_"), signedNow + 5)})
                .ok());
    QCOMPARE(run(*fourth, sync::JobRunner::Mode::Inbox), QStringLiteral("completed"));
    QCOMPARE(fourth->counts().updated, 1);
    QCOMPARE(stageOf(s, leadId), QStringLiteral("Nurture"));
}

namespace {

/// A loopback port in front of the sandbox that can be taken down (connections refused) and brought back
/// on the same port: a destination outage.
class Outage : public QObject {
public:
    explicit Outage(quint16 target) : m_target(target)
    {
        if (!m_server.listen(QHostAddress::LocalHost))
            qFatal("no port for the outage proxy");
        m_port = m_server.serverPort();
        m_server.close(); // down from the start: connections to the port are refused
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *client = m_server.nextPendingConnection()) {
                auto *upstream = new QTcpSocket(client);
                upstream->connectToHost(QHostAddress::LocalHost, m_target);
                connect(client, &QTcpSocket::readyRead, upstream,
                        [client, upstream] { upstream->write(client->readAll()); });
                connect(upstream, &QTcpSocket::readyRead, client,
                        [client, upstream] { client->write(upstream->readAll()); });
                connect(upstream, &QTcpSocket::disconnected, client, &QTcpSocket::disconnectFromHost);
                connect(client, &QTcpSocket::disconnected, client, &QObject::deleteLater);
            }
        });
    }
    quint16 port() const { return m_port; }
    bool up() { return m_server.listen(QHostAddress::LocalHost, m_port); }

private:
    QTcpServer m_server;
    quint16 m_port = 0;
    quint16 m_target = 0;
};

} // namespace

// The CRM refuses connections for the first ~400 ms of a run, then answers again: every lead goes
// through once, and the counts and the summary say how long it was unreachable and how many calls it refused.
void TestJobRunner::aDestinationOutageIsCountedAndNamed()
{
    SandboxFixture s;
    Outage outage(quint16(QUrl(s.server.baseUrl()).port()));
    const QString crmUrl = QStringLiteral("http://127.0.0.1:%1").arg(outage.port());
    QJsonObject sink = peopleSink(s);
    QJsonObject settings = sink.value(QStringLiteral("settings")).toObject();
    settings.insert(QStringLiteral("create_url"), crmUrl + QStringLiteral("/v1/people"));
    settings.insert(QStringLiteral("find_url"), crmUrl + QStringLiteral("/v1/people?externalId={external_id}"));
    sink.insert(QStringLiteral("settings"), settings);
    Setup setup;
    writeProject(setup, s, QStringLiteral("oauth-crm"), sink, personMapping,
                 {{QStringLiteral("retry"), QJsonObject{{QStringLiteral("max_attempts"), 1000},
                                                        {QStringLiteral("base_ms"), 5},
                                                        {QStringLiteral("cap_ms"), 40}}}});
    auto r = runner(setup);
    QElapsedTimer clock;
    clock.start();
    QTimer::singleShot(400, &outage, [&outage] {
        if (!outage.up())
            qFatal("the outage proxy could not listen again");
    });
    QList<sync::RunProgress> reports;
    connect(r.get(), &sync::JobRunner::progress, this, [&reports](const sync::RunProgress &p) { reports.append(p); });
    QCOMPARE(run(*r), QStringLiteral("completed"));
    QVERIFY(clock.elapsed() >= 400);
    const sync::RunCounts c = r->counts();
    QCOMPARE(c.created, 196);    // nothing lost
    QCOMPARE(c.deadLettered, 4); // the bad phones only
    QCOMPARE(s.server.crm().people().size(), 196);
    QCOMPARE(s.server.crm().duplicatesStored(), 0); // nothing duplicated
    QVERIFY(sentWithoutIntent(s, QDir(setup.dir.path()).filePath(QStringLiteral("transom.db"))).isEmpty());
    QVERIFY2(c.refused >= 16, qPrintable(QString::number(c.refused)));
    QCOMPARE(c.outages, 1);
    QVERIFY(!c.unreachableNow);
    QVERIFY2(c.unreachableMs >= 250 && c.unreachableMs < 10000, qPrintable(QString::number(c.unreachableMs)));
    QCOMPARE(c.retried >= c.refused, true); // each refused call was tried again
    // The counts as the run panel and the run history read them.
    const QJsonObject unreachable = c.toJson().value(QStringLiteral("unreachable")).toObject();
    QCOMPARE(unreachable.value(QStringLiteral("connection")).toString(), QStringLiteral("crm"));
    QCOMPARE(unreachable.value(QStringLiteral("refused")).toInteger(), c.refused);
    QCOMPARE(unreachable.value(QStringLiteral("ms")).toInteger(), c.unreachableMs);
    QCOMPARE(unreachable.value(QStringLiteral("resumed")).toBool(), true);
    bool sawOngoing = false;
    for (const sync::RunProgress &p : std::as_const(reports))
        sawOngoing = sawOngoing || (p.counts.refused > 0 && p.counts.unreachableNow);
    QVERIFY(sawOngoing); // progress said so while it lasted
    QVERIFY(reports.last().counts.refused > 0 && !reports.last().counts.unreachableNow);
    QCOMPARE(reports.last().counts.unreachableMs, c.unreachableMs); // the last report has the final counts
    const QString summary = sync::commands::describeCounts(c.toJson());
    qInfo("%s", qPrintable(summary));
    QVERIFY2(summary.contains(QStringLiteral("; crm unreachable for ")) &&
                 summary.contains(QStringLiteral(" refused connections), resumed")),
             qPrintable(summary));
    QVERIFY2(summary.contains(QLocale(QLocale::English).toString(c.refused) + QStringLiteral(" refused")),
             qPrintable(summary));
    // A run without an outage says nothing of one.
    auto again = runner(setup);
    QCOMPARE(run(*again), QStringLiteral("completed"));
    QCOMPARE(again->counts().refused, 0);
    QVERIFY(!again->counts().toJson().contains(QStringLiteral("unreachable")));
    QVERIFY(!sync::commands::describeCounts(again->counts().toJson()).contains(QStringLiteral("unreachable")));
}

QTEST_GUILESS_MAIN(TestJobRunner)
#include "tst_jobrunner.moc"
