// transom-run's engine commands as real processes against the sandbox (in this test's process):
// kill -9 mid-run and restart with lost acknowledgements (no duplicate, no loss), SIGTERM settles and
// exits 3, the dead-letter commands (paged, with a true total), trace by e-mail, an unsafe credentials
// file refused, a store that fills up mid-run (exit 2 with SQLite's words, no duplicate after), and
// serve: signed webhooks until SIGTERM, 503 with the reason for a job that cannot run, a retired
// setting refused.
#include "core/auth/secretstore.h"
#include "core/store/rateusagestore.h"
#include "core/store/syncstore.h"
#include "core/sync/commands.h"
#include "leadsproject.h"
#include "sandboxfixture.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QProcess>
#include <QProcessEnvironment>
#include <QScopeGuard>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTemporaryDir>

#include <algorithm>
#include <csignal>

using namespace transom;
using namespace transom::testing;

class TestEngineCommands : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void listenTakesAddressesAndHostNames_data();
    void listenTakesAddressesAndHostNames();
    void killNineThenRestartNeitherLosesNorDuplicates();
    void runnersShareOneRotatingRefreshToken();
    void sigtermSettlesAndExits3();
    void deadLetterCommandsAndTrace();
    void unsafeCredentialsAreRefused();
    void serveReceivesWebhooksUntilSigterm();
    void fullStoreExits2AndTheNextRunDuplicatesNothing();
    void unwritableStoreIndexSaysSoAndExits2();
    void serveAnswers503WhileAJobCannotRun();
    void serveRefusesUnusableWebhookSettings_data();
    void serveRefusesUnusableWebhookSettings();

private:
    struct Run {
        int exitCode = -1;
        QByteArray out, err;
    };
    QString writeProject(const SandboxFixture &s, const QTemporaryDir &dir, int perSecond);
    Run transomRun(const QStringList &args, int timeoutMs = 60000, const QProcessEnvironment &env = {});
    /// The project of writeProject with its job fed by webhooks at /hooks/portal, and credentials with
    /// `credentials` (JSON, mode 0600); returns the project's path.
    QString writeWebhookProject(const SandboxFixture &s, const QTemporaryDir &dir, const QByteArray &credentials,
                                const QJsonObject &portalWebhook = {});
    static quint16 freePort();
};

QString TestEngineCommands::writeWebhookProject(const SandboxFixture &s, const QTemporaryDir &dir,
                                                const QByteArray &credentials, const QJsonObject &portalWebhook)
{
    const QString projectPath = writeProject(s, dir, 0);
    QFile f(projectPath);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read the project");
    QJsonObject project = QJsonDocument::fromJson(f.readAll()).object();
    f.close();
    QJsonArray jobs = project.value(QStringLiteral("jobs")).toArray();
    QJsonObject job = jobs.first().toObject();
    job.insert(QStringLiteral("trigger"), QJsonObject{{QStringLiteral("kind"), QStringLiteral("webhook")},
                                                      {QStringLiteral("path"), QStringLiteral("/hooks/portal")},
                                                      {QStringLiteral("record_path"), QStringLiteral("lead")}});
    jobs[0] = job;
    project.insert(QStringLiteral("jobs"), jobs);
    if (!portalWebhook.isEmpty()) {
        QJsonObject connections = project.value(QStringLiteral("connections")).toObject();
        QJsonObject portal = connections.value(QStringLiteral("portal")).toObject();
        portal.insert(QStringLiteral("webhook"), portalWebhook);
        connections.insert(QStringLiteral("portal"), portal);
        project.insert(QStringLiteral("connections"), connections);
    }
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        qFatal("cannot write the project");
    f.write(QJsonDocument(project).toJson());
    f.close();
    QFile file(dir.filePath(QStringLiteral("credentials.json")));
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        qFatal("cannot write the credentials");
    file.write(credentials);
    file.close();
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    return projectPath;
}

quint16 TestEngineCommands::freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost))
        qFatal("no free port");
    return probe.serverPort();
}

QString TestEngineCommands::writeProject(const SandboxFixture &s, const QTemporaryDir &dir, int perSecond)
{
    testing::LeadsProject project{s.server.baseUrl()};
    if (perSecond > 0)
        project.sinkWindows = {testing::LeadsProject::window(perSecond, "second")};
    project.retry = testing::LeadsProject::retryEvery(20, 200, 10);
    return project.write(dir.path());
}

TestEngineCommands::Run TestEngineCommands::transomRun(const QStringList &args, int timeoutMs,
                                                       const QProcessEnvironment &env)
{
    QProcess p;
    if (!env.isEmpty())
        p.setProcessEnvironment(env);
    p.start(QStringLiteral(TRANSOM_RUN_BINARY), args);
    // The sandbox answers from this process: keep its event loop turning while the child works.
    if (!QTest::qWaitFor([&] { return p.state() == QProcess::NotRunning; }, timeoutMs))
        qFatal("transom-run did not finish: %s", qPrintable(args.join(QLatin1Char(' '))));
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

void TestEngineCommands::killNineThenRestartNeitherLosesNorDuplicates()
{
    SandboxFixture s;
    // A CRM that keeps what it is sent, and acknowledgements that get lost.
    QCOMPARE(s.call("POST", QStringLiteral("/_admin/faults"),
                    R"({"endpoint": "crm.people.create", "rate_lost_ack": 0.05, "rate_503": 0.05})")
                 .status,
             200);
    QTemporaryDir dir;
    const QString project = writeProject(s, dir, 60);
    QProcess first;
    first.start(QStringLiteral(TRANSOM_RUN_BINARY), {QStringLiteral("run"), project});
    QVERIFY(QTest::qWaitFor([&] { return s.server.crm().people().size() >= 60; }, 30000));
    ::kill(pid_t(first.processId()), SIGKILL); // the laptop lid closes
    QVERIFY(QTest::qWaitFor([&] { return first.state() == QProcess::NotRunning; }, 10000));
    QCOMPARE(first.exitStatus(), QProcess::CrashExit);
    const qint64 halfway = s.server.crm().people().size();
    QVERIFY(halfway < 196);
    const Run second = transomRun({QStringLiteral("run"), project});
    QCOMPARE(second.exitCode, 1); // the four leads with unusable phones wait in dead letters
    QVERIFY2(second.out.contains("completed"), second.out.constData());
    QCOMPARE(s.server.crm().people().size(), 196);
    QCOMPARE(s.server.crm().duplicatesStored(), 0);
    // Each of them once, however often the restarted run met them again.
    const Run letters = transomRun({QStringLiteral("deadletters"), project, QStringLiteral("list")});
    QCOMPARE(letters.out.trimmed().split('\n').size(), 4);
    QVERIFY2(letters.err.startsWith("all 4 dead letters: 4 field"), letters.err.constData());
}

void TestEngineCommands::sigtermSettlesAndExits3()
{
    SandboxFixture s;
    QTemporaryDir dir;
    const QString project = writeProject(s, dir, 40);
    QProcess p;
    p.start(QStringLiteral(TRANSOM_RUN_BINARY), {QStringLiteral("run"), project});
    QVERIFY(QTest::qWaitFor([&] { return s.server.crm().people().size() >= 30; }, 30000));
    p.terminate();
    QVERIFY(QTest::qWaitFor([&] { return p.state() == QProcess::NotRunning; }, 30000));
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QCOMPARE(p.exitCode(), 3);
    QVERIFY(p.readAllStandardOutput().contains("stopped"));
    const Run again = transomRun({QStringLiteral("run"), project});
    QCOMPARE(again.exitCode, 1);
    QCOMPARE(s.server.crm().people().size(), 196);
    QCOMPARE(s.server.crm().duplicatesStored(), 0);
}

void TestEngineCommands::deadLetterCommandsAndTrace()
{
    SandboxFixture s;
    QCOMPARE(s.call("POST", QStringLiteral("/_admin/crm"),
                    R"({"stages": ["Lead", "Cold", "Warm", "Appointment Set", "Nurture"]})")
                 .status,
             200);
    QTemporaryDir dir;
    const QString project = writeProject(s, dir, 0);
    QCOMPARE(transomRun({QStringLiteral("run"), project}).exitCode, 1);
    const Run list = transomRun({QStringLiteral("deadletters"), project, QStringLiteral("list"),
                                 QStringLiteral("--class"), QStringLiteral("permanent")});
    QCOMPARE(list.exitCode, 0);
    const QList<QByteArray> rows = list.out.trimmed().split('\n');
    QVERIFY(rows.size() > 10);
    QVERIFY2(list.err.startsWith(QStringLiteral("all %1 dead letters: %1 permanent").arg(rows.size()).toUtf8()),
             list.err.constData());
    // A page of them, and the true total.
    const Run page = transomRun({QStringLiteral("deadletters"), project, QStringLiteral("list"),
                                 QStringLiteral("--class"), QStringLiteral("permanent"), QStringLiteral("--limit"),
                                 QStringLiteral("5"), QStringLiteral("--offset"), QStringLiteral("5")});
    QCOMPARE(page.exitCode, 0);
    QCOMPARE(page.out.trimmed().split('\n'), rows.mid(5, 5));
    QVERIFY2(page.err.startsWith(QStringLiteral("showing 6–10 of %1 dead letters: %1 permanent (next: --offset 10)")
                                     .arg(rows.size())
                                     .toUtf8()),
             page.err.constData());
    const Run everyClass = transomRun({QStringLiteral("deadletters"), project, QStringLiteral("list"),
                                       QStringLiteral("--limit"), QStringLiteral("1")});
    QVERIFY2(everyClass.err.startsWith(QStringLiteral("showing 1–1 of %1 dead letters: 4 field, %2 permanent")
                                           .arg(rows.size() + 4)
                                           .arg(rows.size())
                                           .toUtf8()),
             everyClass.err.constData());
    QVERIFY(rows.first().contains("422"));
    QVERIFY(rows.first().contains("Stage 'Hot Prospect' does not exist"));
    const QByteArray firstId = rows.first().split('\t').first();
    // The 8 PM call: the agent gives the lead's e-mail address.
    const QString email = QJsonDocument::fromJson(transomRun({QStringLiteral("deadletters"), project,
                                                              QStringLiteral("show"), QString::fromLatin1(firstId)})
                                                      .out)
                              .object()
                              .value(QStringLiteral("source_record"))
                              .toObject()
                              .value(QStringLiteral("email"))
                              .toString();
    QVERIFY(!email.isEmpty());
    const Run trace = transomRun({QStringLiteral("trace"), project, email});
    QCOMPARE(trace.exitCode, 0);
    QVERIFY2(trace.out.contains("received") && trace.out.contains("HTTP 422") && trace.out.contains("dead_lettered"),
             trace.out.constData());
    // Fix one by hand and send it as edited; put the stage back and retry the rest of that kind.
    const Run edit = transomRun({QStringLiteral("deadletters"), project, QStringLiteral("edit"),
                                 QString::fromLatin1(firstId), QStringLiteral("--set"), QStringLiteral("stage=Lead")});
    QCOMPARE(edit.exitCode, 0);
    QCOMPARE(transomRun({QStringLiteral("deadletters"), project, QStringLiteral("retry"), QString::fromLatin1(firstId)})
                 .exitCode,
             0);
    QCOMPARE(s.call("POST", QStringLiteral("/_admin/crm"),
                    R"({"stages": ["Lead", "Cold", "Warm", "Hot Prospect", "Appointment Set", "Nurture"]})")
                 .status,
             200);
    const Run retry = transomRun({QStringLiteral("deadletters"), project, QStringLiteral("retry"),
                                  QStringLiteral("--class"), QStringLiteral("permanent")});
    QCOMPARE(retry.exitCode, 0);
    QCOMPARE(s.server.crm().people().size(), 196);
    QCOMPARE(s.server.crm().duplicatesStored(), 0);
    const Run discard =
        transomRun({QStringLiteral("deadletters"), project, QStringLiteral("discard"), QStringLiteral("1")});
    QCOMPARE(discard.exitCode, 64); // a reason is required
    QCOMPARE(transomRun({QStringLiteral("deadletters"), project, QStringLiteral("discard"), QStringLiteral("1"),
                         QStringLiteral("--reason"), QStringLiteral("test lead")})
                 .exitCode,
             0);
    const Run history =
        transomRun({QStringLiteral("deadletters"), project, QStringLiteral("show"), QString::fromLatin1(firstId)});
    QVERIFY(history.out.contains("\"action\": \"edit\"") && history.out.contains("\"action\": \"retry\""));
}

void TestEngineCommands::unsafeCredentialsAreRefused()
{
    SandboxFixture s;
    QTemporaryDir dir;
    const QString project = writeProject(s, dir, 0);
    QFile::setPermissions(dir.filePath(QStringLiteral("credentials.json")),
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadOther);
    const Run refused = transomRun({QStringLiteral("run"), project});
    QCOMPARE(refused.exitCode, 2);
    QVERIFY2(refused.err.contains("chmod 600"), refused.err.constData());
    QVERIFY(!refused.err.contains("sandbox-api-key"));
    QCOMPARE(s.server.crm().people().size(), 0);
}

void TestEngineCommands::serveReceivesWebhooksUntilSigterm()
{
    SandboxFixture s;
    QTemporaryDir dir;
    const QString projectPath = writeWebhookProject(
        s, dir,
        R"({"connections": {"portal": {"api_key": "sandbox-api-key", "webhook_secret": "whsec_c2VydmUtdGVzdC1zZWNyZXQ="}, "crm": {"api_key": "sandbox-api-key"}}})");
    const quint16 port = freePort();
    QProcess serve;
    serve.start(QStringLiteral(TRANSOM_RUN_BINARY), {QStringLiteral("serve"), projectPath, QStringLiteral("--listen"),
                                                     QStringLiteral("127.0.0.1:%1").arg(port)});
    QByteArray said;
    QVERIFY(QTest::qWaitFor(
        [&] {
            said += serve.readAllStandardOutput();
            return said.contains("listening") || serve.state() == QProcess::NotRunning;
        },
        20000));
    QVERIFY2(said.contains("listening"), (said + serve.readAllStandardError()).constData());
    QVERIFY2(said.contains("leads: webhooks at /hooks/portal (standard-webhooks signatures)"), said.constData());
    // The sandbox signs as the preset says by default: Standard Webhooks.
    QCOMPARE(s.call("POST", QStringLiteral("/_admin/webhooks"),
                    QStringLiteral("{\"url\": \"http://127.0.0.1:%1/hooks/portal\", "
                                   "\"secret\": \"whsec_c2VydmUtdGVzdC1zZWNyZXQ=\"}")
                        .arg(port)
                        .toUtf8())
                 .status,
             200);
    s.server.sendLeadEvents(30, 10, 5);
    int badPhones = 0;
    for (int i = 200; i < 230; ++i)
        badPhones += i % 50 == 17 ? 1 : 0;
    QVERIFY(QTest::qWaitFor([&] { return s.server.crm().people().size() == 30 - badPhones; }, 30000));
    QCOMPARE(s.server.counters().value(QStringLiteral("webhooks.forged_rejected")), 5);
    serve.terminate();
    QVERIFY(QTest::qWaitFor([&] { return serve.state() == QProcess::NotRunning; }, 30000));
    QCOMPARE(serve.exitStatus(), QProcess::NormalExit);
    QCOMPARE(serve.exitCode(), 0);
    QCOMPARE(s.server.crm().duplicatesStored(), 0);
}

// The store fills up part way (SQLite's max_page_count stands for a small disk): transom-run stops
// sending, says why and exits 2; with room again the next run completes, and the CRM holds each lead
// once. The store's folder did not exist before the first run.
void TestEngineCommands::fullStoreExits2AndTheNextRunDuplicatesNothing()
{
    sandbox::SandboxConfig config;
    config.leads = 600;
    SandboxFixture s(config);
    QTemporaryDir dir;
    testing::LeadsProject leads{s.server.baseUrl()};
    leads.store = QStringLiteral("state/sync/transom.db");
    leads.sinkInFlight = 4;
    const QString project = leads.write(dir.path());
    const QString storePath = dir.filePath(QStringLiteral("state/sync/transom.db"));
    QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("state"))));
    int emptyPages = 0;
    {
        QVERIFY(store::SyncStore::open(storePath).ok()); // its folder made on the way
        QVERIFY(store::RateUsageStore::open(storePath).ok());
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("pages"));
        db.setDatabaseName(storePath);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("PRAGMA page_count")) && q.next());
        emptyPages = q.value(0).toInt();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("pages"));
    QProcessEnvironment small = QProcessEnvironment::systemEnvironment();
    small.insert(QStringLiteral("TRANSOM_STORE_MAX_PAGES"), QString::number(emptyPages + 4));
    const Run full = transomRun({QStringLiteral("run"), project}, 60000, small);
    QCOMPARE(full.exitCode, 2);
    QVERIFY2(full.out.contains("leads: failed"), full.out.constData());
    QVERIFY2(full.err.contains("database or disk is full") && full.err.contains("nothing more was sent"),
             full.err.constData());
    const qint64 before = s.server.crm().people().size();
    QVERIFY2(before > 0 && before < 500, qPrintable(QString::number(before)));
    QCOMPARE(s.server.crm().duplicatesStored(), 0);
    const Run again = transomRun({QStringLiteral("run"), project});
    QCOMPARE(again.exitCode, 1); // completed; the leads with unusable phones wait in dead letters
    QCOMPARE(s.server.crm().duplicatesStored(), 0);
    const Run letters = transomRun({QStringLiteral("deadletters"), project, QStringLiteral("list"),
                                    QStringLiteral("--limit"), QStringLiteral("0")});
    QCOMPARE(letters.exitCode, 0);
    QCOMPARE(s.server.crm().people().size() + letters.out.trimmed().split('\n').size(), 600);
}

// The store's WAL index (transom.db-shm, mapped into memory by SQLite) made immutable under a running
// engine: the write that follows is a SIGBUS. transom-run says what happened and exits 2; the next
// run settles what was in flight, without a duplicate. (Needs chattr and the right to use it: root on
// ext4, as in CI's container; skipped elsewhere.)
void TestEngineCommands::unwritableStoreIndexSaysSoAndExits2()
{
    sandbox::SandboxConfig config;
    config.leads = 1000;
    SandboxFixture s(config);
    QTemporaryDir dir;
    testing::LeadsProject leads{s.server.baseUrl()};
    leads.sinkWindows = {testing::LeadsProject::window(200, "second")};
    leads.sinkInFlight = 4;
    const QString project = leads.write(dir.path());
    const QString index = dir.filePath(QStringLiteral("transom.db-shm"));
    QProcess p;
    p.start(QStringLiteral(TRANSOM_RUN_BINARY), {QStringLiteral("run"), project});
    QVERIFY(QTest::qWaitFor([&] { return s.server.crm().people().size() >= 100; }, 30000));
    const auto unlock = qScopeGuard([&] {
        QProcess::execute(QStringLiteral("chattr"), {QStringLiteral("-i"), index});
    });
    if (QProcess::execute(QStringLiteral("chattr"), {QStringLiteral("+i"), index}) != 0) {
        p.kill();
        p.waitForFinished();
        QSKIP("chattr +i is not available here (not root, or a file system without the attribute)");
    }
    QVERIFY(QTest::qWaitFor([&] { return p.state() == QProcess::NotRunning; }, 30000));
    const QByteArray said = p.readAllStandardError();
    QCOMPARE(p.exitStatus(), QProcess::NormalExit); // not killed by the signal
    QCOMPARE(p.exitCode(), 2);
    QVERIFY2(said.contains("the sync store could not be written") && said.contains(".db-shm"), said.constData());
    const qint64 before = s.server.crm().people().size();
    QVERIFY2(before < 980, qPrintable(QString::number(before)));
    QCOMPARE(s.server.crm().duplicatesStored(), 0);
    QProcess::execute(QStringLiteral("chattr"), {QStringLiteral("-i"), index});
    const Run again = transomRun({QStringLiteral("run"), project});
    QCOMPARE(again.exitCode, 1);
    QCOMPARE(s.server.crm().duplicatesStored(), 0);
    const Run letters = transomRun({QStringLiteral("deadletters"), project, QStringLiteral("list"),
                                    QStringLiteral("--limit"), QStringLiteral("0")});
    QCOMPARE(s.server.crm().people().size() + letters.out.trimmed().split('\n').size(), 1000);
}

// A webhook job whose source connection has no API key cannot run: serve says why (its output and a
// job_unavailable line in the log), answers the vendor 503 with Retry-After (the vendor keeps the
// events), stores nothing; once the key is there, the vendor's next attempt finds the job running and
// every event is delivered once.
void TestEngineCommands::serveAnswers503WhileAJobCannotRun()
{
    SandboxFixture s;
    QTemporaryDir dir;
    const QByteArray secret = "whsec_c2VydmUtdGVzdC1zZWNyZXQ=";
    const QString projectPath = writeWebhookProject(
        s, dir,
        R"({"connections": {"portal": {"webhook_secret": "whsec_c2VydmUtdGVzdC1zZWNyZXQ="}, "crm": {"api_key": "sandbox-api-key"}}})");
    const quint16 port = freePort();
    QProcess serve;
    serve.start(QStringLiteral(TRANSOM_RUN_BINARY), {QStringLiteral("serve"), projectPath, QStringLiteral("--listen"),
                                                     QStringLiteral("127.0.0.1:%1").arg(port)});
    QByteArray out, err;
    QVERIFY(QTest::qWaitFor(
        [&] {
            out += serve.readAllStandardOutput();
            err += serve.readAllStandardError();
            return out.contains("listening") || serve.state() == QProcess::NotRunning;
        },
        20000));
    QVERIFY2(out.contains("listening"), (out + err).constData());
    QVERIFY2(err.contains("leads: cannot run: connection \"portal\" needs its api key"), err.constData());
    QVERIFY2(err.contains("answered 503"), err.constData());
    // The reason is in the log, as a structured line.
    const QString logPath = dir.filePath(QStringLiteral("logs/transom.jsonl"));
    QJsonObject unavailable;
    QVERIFY(QTest::qWaitFor(
        [&] {
            QFile log(logPath);
            if (!log.open(QIODevice::ReadOnly))
                return false;
            for (const QByteArray &line : log.readAll().split('\n')) {
                const QJsonObject o = QJsonDocument::fromJson(line).object();
                if (o.value(QStringLiteral("event")).toString() == QLatin1String("job_unavailable"))
                    unavailable = o;
            }
            return !unavailable.isEmpty();
        },
        10000));
    QCOMPARE(unavailable.value(QStringLiteral("job")).toString(), QStringLiteral("leads"));
    QCOMPARE(unavailable.value(QStringLiteral("level")).toString(), QStringLiteral("error"));
    QVERIFY2(unavailable.value(QStringLiteral("message")).toString().contains(QStringLiteral("needs its api key")),
             QJsonDocument(unavailable).toJson().constData());

    // A delivery now: 503 with Retry-After, not stored.
    net::HttpClient http;
    net::HttpRequest r;
    r.method = "POST";
    r.url = QUrl(QStringLiteral("http://127.0.0.1:%1/hooks/portal").arg(port));
    r.body = R"({"id":"evt-direct","lead":{"lead_id":"ZL-9"}})";
    r.headers = sandbox::WebhookSender::signatureHeaders(QStringLiteral("standard-webhooks"), secret, r.body,
                                                         "evt-direct", QDateTime::currentSecsSinceEpoch());
    const net::HttpResponse refused = http.sendAndWait(r);
    QCOMPARE(refused.status, 503);
    bool retryAfter = false;
    for (const auto &[name, value] : refused.headers)
        retryAfter = retryAfter || (name.compare("retry-after", Qt::CaseInsensitive) == 0 && value.toInt() > 0);
    QVERIFY(retryAfter);
    QVERIFY(QTest::qWaitFor(
        [&] {
            err += serve.readAllStandardError();
            return err.contains("refused (503)");
        },
        5000));

    // The sandbox's events meet the same answer until the key is there.
    QCOMPARE(s.call("POST", QStringLiteral("/_admin/webhooks"),
                    QStringLiteral("{\"url\": \"http://127.0.0.1:%1/hooks/portal\", \"secret\": \"%2\", "
                                   "\"max_attempts\": 12, \"base_delay_ms\": 200}")
                        .arg(port)
                        .arg(QString::fromLatin1(secret))
                        .toUtf8())
                 .status,
             200);
    s.server.sendLeadEvents(3);
    QVERIFY(QTest::qWaitFor([&] { return s.server.counters().value(QStringLiteral("webhooks.failed_attempts")) >= 3; },
                            10000));
    QCOMPARE(s.server.counters().value(QStringLiteral("webhooks.delivered")), 0);
    QCOMPARE(s.server.crm().people().size(), 0);
    {
        auto store = store::openStorage(dir.filePath(QStringLiteral("transom.db")));
        QVERIFY(store.ok());
        QCOMPARE(store.value()->inboxPending(QStringLiteral("leads"), 100).value().size(), 0);
    }
    QFile credentials(dir.filePath(QStringLiteral("credentials.json")));
    QVERIFY(credentials.open(QIODevice::WriteOnly | QIODevice::Truncate));
    credentials.write(
        R"({"connections": {"portal": {"api_key": "sandbox-api-key", "webhook_secret": "whsec_c2VydmUtdGVzdC1zZWNyZXQ="}, "crm": {"api_key": "sandbox-api-key"}}})");
    credentials.close();
    QVERIFY2(QTest::qWaitFor(
                 [&] {
                     out += serve.readAllStandardOutput();
                     err += serve.readAllStandardError();
                     return s.server.crm().people().size() == 3;
                 },
                 30000),
             (out + err).constData());
    QCOMPARE(s.server.counters().value(QStringLiteral("webhooks.delivered")), 3);
    out += serve.readAllStandardOutput();
    QVERIFY2(out.contains("leads: can run again"), out.constData());
    serve.terminate();
    QVERIFY(QTest::qWaitFor([&] { return serve.state() == QProcess::NotRunning; }, 30000));
    QCOMPARE(serve.exitCode(), 0);
    QCOMPARE(s.server.crm().duplicatesStored(), 0);
}

void TestEngineCommands::serveRefusesUnusableWebhookSettings_data()
{
    QTest::addColumn<QByteArray>("secret");
    QTest::addColumn<QJsonObject>("webhook");
    QTest::addColumn<QString>("reason");
    const QByteArray good = "whsec_c2VydmUtdGVzdC1zZWNyZXQ=";
    QTest::newRow("retired body-only settings")
        << good
        << QJsonObject{{QStringLiteral("signature_header"), QStringLiteral("X-Transom-Signature")},
                       {QStringLiteral("timestamp_header"), QStringLiteral("X-Transom-Timestamp")}}
        << QStringLiteral("belongs to the retired body-only signature");
    QTest::newRow("unknown scheme") << good << QJsonObject{{QStringLiteral("scheme"), QStringLiteral("transom-legacy")}}
                                    << QStringLiteral("unknown webhook signature scheme \"transom-legacy\"");
    QTest::newRow("Standard Webhooks secret not base64")
        << QByteArray("sandbox-webhook-secret") << QJsonObject{}
        << QStringLiteral("a Standard Webhooks secret is whsec_ followed by base64");
    QTest::newRow("no secret") << QByteArray() << QJsonObject{} << QStringLiteral("has no webhook secret");
}

void TestEngineCommands::serveRefusesUnusableWebhookSettings()
{
    QFETCH(QByteArray, secret);
    QFETCH(QJsonObject, webhook);
    QFETCH(QString, reason);
    SandboxFixture s;
    QTemporaryDir dir;
    const QByteArray credentials =
        secret.isEmpty()
            ? QByteArray(
                  R"({"connections": {"portal": {"api_key": "sandbox-api-key"}, "crm": {"api_key": "sandbox-api-key"}}})")
            : R"({"connections": {"portal": {"api_key": "sandbox-api-key", "webhook_secret": ")" + secret +
                  R"("}, "crm": {"api_key": "sandbox-api-key"}}})";
    const QString projectPath = writeWebhookProject(s, dir, credentials, webhook);
    const Run r = transomRun({QStringLiteral("serve"), projectPath, QStringLiteral("--listen"),
                              QStringLiteral("127.0.0.1:%1").arg(freePort())},
                             20000);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(reason.toUtf8()), r.err.constData());
    if (!secret.isEmpty())
        QVERIFY(!r.err.contains(secret));
    QVERIFY(!r.out.contains("listening"));
}

void TestEngineCommands::listenTakesAddressesAndHostNames_data()
{
    QTest::addColumn<QString>("listen");
    QTest::addColumn<QString>("address"); ///< empty: refused
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("shownOrError");
    QTest::newRow("address") << "127.0.0.1:8787"
                             << "127.0.0.1" << 8787 << "127.0.0.1";
    QTest::newRow("port only: loopback") << ":0"
                                         << "127.0.0.1" << 0 << "127.0.0.1";
    QTest::newRow("host name") << "localhost:8787"
                               << "127.0.0.1" << 8787 << "localhost (127.0.0.1)";
    QTest::newRow("IPv6") << "[::1]:8787"
                          << "::1" << 8787 << "[::1]";
    QTest::newRow("no port") << "127.0.0.1"
                             << "" << 0 << "write HOST:PORT";
    QTest::newRow("port out of range") << "127.0.0.1:70000"
                                       << "" << 0 << "is not a port";
    QTest::newRow("unknown host") << "no-such-host.invalid:8787"
                                  << "" << 0 << "cannot be resolved";
    QTest::newRow("IPv6 without brackets' end") << "[::1:8787"
                                                << "" << 0 << "[::1]:8787";
}

void TestEngineCommands::listenTakesAddressesAndHostNames()
{
    QFETCH(QString, listen);
    QFETCH(QString, address);
    QFETCH(int, port);
    QFETCH(QString, shownOrError);
    const auto parsed = sync::commands::parseListen(listen);
    if (address.isEmpty()) {
        QVERIFY(!parsed.ok());
        QVERIFY2(parsed.error().message.contains(shownOrError), qPrintable(parsed.error().message));
        return;
    }
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message));
    QCOMPARE(parsed->address, QHostAddress(address));
    QCOMPARE(int(parsed->port), port);
    QCOMPARE(parsed->shown(), shownOrError);
}

void TestEngineCommands::runnersShareOneRotatingRefreshToken()
{
    // Issue 17 item 4: two transom-run processes (two projects, one credentials file; the first running
    // two jobs on the connection at once) sign in to one CRM account whose refresh token rotates on every
    // refresh and is refused once used, with access tokens that live one second: each process refreshes
    // over and over, at the same time as the other.
    SandboxFixture s;
    QCOMPARE(s.call("POST", QStringLiteral("/_admin/oauth"),
                    R"({"token_lifetime_seconds": 1, "rotate_refresh_tokens": true})")
                 .status,
             200);
    QTemporaryDir shared;
    const QString credentials = shared.filePath(QStringLiteral("credentials.json"));
    {
        QFile f(credentials);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QJsonDocument(
                    QJsonObject{
                        {QStringLiteral("connections"),
                         QJsonObject{
                             {QStringLiteral("portal"),
                              QJsonObject{{QStringLiteral("api_key"), QStringLiteral("sandbox-api-key")}}},
                             {QStringLiteral("crm"),
                              QJsonObject{{QStringLiteral("client_secret"), QStringLiteral("sandbox-client-secret")},
                                          {QStringLiteral("refresh_token"),
                                           s.server.oauth().issueRefreshToken(QStringLiteral("transom-demo"))}}}}}})
                    .toJson());
        f.close();
        QVERIFY(f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner));
    }
    QTemporaryDir first, second;
    QStringList projects;
    for (const QTemporaryDir *dir : {&first, &second}) {
        testing::LeadsProject leads{s.server.baseUrl()};
        leads.sinkInFlight = 2;
        leads.retry = testing::LeadsProject::retryEvery(20, 200, 10);
        QJsonObject project = leads.json();
        QJsonObject connections = project.value(QStringLiteral("connections")).toObject();
        QJsonObject crm = connections.value(QStringLiteral("crm")).toObject();
        crm.insert(QStringLiteral("auth"),
                   QJsonObject{{QStringLiteral("style"), QStringLiteral("oauth_authorization_code")},
                               {QStringLiteral("client_id"), QStringLiteral("transom-demo")}});
        connections.insert(QStringLiteral("crm"), crm);
        project.insert(QStringLiteral("connections"), connections);
        if (dir == &first) { // a second job on the same connection, in the same process
            QJsonArray jobs = project.value(QStringLiteral("jobs")).toArray();
            QJsonObject again = jobs.first().toObject();
            again.insert(QStringLiteral("name"),
                         again.value(QStringLiteral("name")).toString() + QStringLiteral("-again"));
            jobs.append(again);
            project.insert(QStringLiteral("jobs"), jobs);
        }
        const QString path = dir->filePath(QStringLiteral("project.json"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QJsonDocument(project).toJson());
        projects.append(path);
    }
    std::vector<std::unique_ptr<QProcess>> runs;
    for (const QString &project : std::as_const(projects)) {
        auto run = std::make_unique<QProcess>();
        run->start(QStringLiteral(TRANSOM_RUN_BINARY),
                   {QStringLiteral("run"), project, QStringLiteral("--credentials"), credentials});
        runs.push_back(std::move(run));
    }
    QByteArray said;
    QVERIFY(QTest::qWaitFor(
        [&] {
            return std::all_of(runs.begin(), runs.end(),
                               [](const auto &r) { return r->state() == QProcess::NotRunning; });
        },
        120000));
    for (auto &run : runs) {
        said += run->readAllStandardOutput() + run->readAllStandardError();
        QVERIFY2(run->exitCode() <= 1, said.constData()); // 1: some leads carry field errors
    }
    QVERIFY2(!said.contains("Sign in again") && !said.contains("revoked"), said.constData());
    const sandbox::Counters &counters = s.server.counters();
    QCOMPARE(counters.value(QStringLiteral("oauth.refresh.rejected")), 0);
    QVERIFY2(counters.value(QStringLiteral("oauth.refresh.accepted")) >= 4,
             qPrintable(QString::number(counters.value(QStringLiteral("oauth.refresh.accepted")))));
    // The token stored last is the one the vendor takes now: none was lost on the way.
    const auto last =
        auth::CredentialsFileStore(credentials).readNow(QStringLiteral("crm"), QStringLiteral("refresh_token"));
    QVERIFY(last.ok() && last.value());
    QCOMPARE(s.refreshStatus(*last.value()), 200);
}

QTEST_GUILESS_MAIN(TestEngineCommands)
#include "tst_enginecommands.moc"
