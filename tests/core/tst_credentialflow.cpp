// Credentials through a whole job: an MLS feed whose next link points at another listener. The job
// takes the first page, then stops, "failed", with the link named; the listener never sees a connection,
// so the bearer token never leaves the connection's origin.
#include "core/sync/jobrunner.h"
#include "sandboxfixture.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>

using namespace transom;
using namespace transom::testing;

class TestCredentialFlow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aNextLinkElsewhereStopsTheJob_data();
    void aNextLinkElsewhereStopsTheJob();
};

namespace {

sync::SecretAccess sandboxSecrets()
{
    sync::SecretAccess secrets;
    secrets.read = [](const QString &, const QString &key) {
        return key == QLatin1String("api_key")         ? QStringLiteral("sandbox-api-key")
               : key == QLatin1String("client_secret") ? QStringLiteral("sandbox-client-secret")
                                                       : QString();
    };
    return secrets;
}

/// Writes the project: listings from the sandbox's OData feed (75 a page) to the CRM's people.
QString writeProject(const QTemporaryDir &dir, const QString &base)
{
    const QJsonObject unlimited{{QStringLiteral("windows"), QJsonArray{}}, {QStringLiteral("max_in_flight"), 4}};
    QFile mapping(dir.filePath(QStringLiteral("listing-agents.json")));
    if (!mapping.open(QIODevice::WriteOnly))
        qFatal("cannot write the mapping");
    mapping.write(R"({"transom_mapping": 1, "name": "listing agents", "source": {"id_field": "ListingKey"},
        "fields": [{"target": "firstName", "from": "ListAgentFullName"}, {"target": "externalId", "from": "ListingKey"}]})");
    mapping.close();
    const QJsonObject project{
        {QStringLiteral("transom_project"), 1},
        {QStringLiteral("name"), QStringLiteral("links")},
        {QStringLiteral("connections"),
         QJsonObject{
             {QStringLiteral("mls"),
              QJsonObject{
                  {QStringLiteral("preset"), QStringLiteral("reso-web-api")},
                  {QStringLiteral("base_url"), base},
                  {QStringLiteral("auth"), QJsonObject{{QStringLiteral("client_id"), QStringLiteral("transom-demo")}}},
                  {QStringLiteral("settings"), QJsonObject{{QStringLiteral("page_size"), 75}}},
                  {QStringLiteral("limits"), unlimited}}},
             {QStringLiteral("crm"),
              QJsonObject{
                  {QStringLiteral("preset"), QStringLiteral("oauth-crm")},
                  {QStringLiteral("base_url"), base},
                  {QStringLiteral("auth"), QJsonObject{{QStringLiteral("style"), QStringLiteral("basic_api_key")}}},
                  {QStringLiteral("settings"), QJsonObject{{QStringLiteral("mode"), QStringLiteral("create")},
                                                           {QStringLiteral("batch_url"), QString()}}},
                  {QStringLiteral("limits"), unlimited}}}}},
        {QStringLiteral("jobs"),
         QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("listings")},
                                {QStringLiteral("source"), QStringLiteral("mls")},
                                {QStringLiteral("sink"), QStringLiteral("crm")},
                                {QStringLiteral("mapping"), mapping.fileName()},
                                {QStringLiteral("external_id_field"), QStringLiteral("externalId")}}}}};
    QFile f(dir.filePath(QStringLiteral("project.json")));
    if (!f.open(QIODevice::WriteOnly))
        qFatal("cannot write the project");
    f.write(QJsonDocument(project).toJson());
    return f.fileName();
}

} // namespace

void TestCredentialFlow::aNextLinkElsewhereStopsTheJob_data()
{
    QTest::addColumn<QString>("linkBase"); ///< {trap}: the other listener's host:port
    QTest::newRow("another port") << QStringLiteral("http://{trap}");
    QTest::newRow("https on another port") << QStringLiteral("https://{trap}");
}

void TestCredentialFlow::aNextLinkElsewhereStopsTheJob()
{
    QFETCH(QString, linkBase);
    QTcpServer trap;
    QVERIFY(trap.listen(QHostAddress::LocalHost));
    int trapped = 0;
    connect(&trap, &QTcpServer::newConnection, &trap, [&] {
        while (QTcpSocket *socket = trap.nextPendingConnection()) {
            ++trapped;
            socket->abort();
        }
    });
    linkBase.replace(QLatin1String("{trap}"), QStringLiteral("127.0.0.1:%1").arg(trap.serverPort()));
    SandboxFixture s;
    QCOMPARE(s.call("POST", QStringLiteral("/_admin/odata"),
                    QJsonDocument(QJsonObject{{QStringLiteral("next_link_base"), linkBase}}).toJson())
                 .status,
             200);
    QTemporaryDir dir;
    auto project = sync::Project::load(writeProject(dir, s.server.baseUrl()));
    QVERIFY2(project.ok(), qPrintable(project.ok() ? QString() : project.error().toString()));
    sync::JobRunner runner(project.value(), *project->job(QStringLiteral("listings")),
                           connect::PresetLibrary::load({QStringLiteral(TRANSOM_RESOURCES "/presets")}),
                           sandboxSecrets());
    QString error;
    QVERIFY2(runner.prepare(&error), qPrintable(error));
    QSignalSpy finished(&runner, &sync::JobRunner::finished);
    runner.start(sync::JobRunner::Mode::Pull);
    QVERIFY(finished.wait(60000) || !finished.isEmpty());
    QTest::qWait(200); // time for a stray connection to show up at the trap
    QCOMPARE(trapped, 0);
    QCOMPARE(finished.first().at(0).toString(), QStringLiteral("failed"));
    const QString message = finished.first().at(1).toString();
    QVERIFY2(message.contains(QStringLiteral("the feed's next link \"%1/odata/Property?").arg(linkBase)),
             qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("not followed")), qPrintable(message));
    QCOMPARE(runner.counts().received, 75); // the first page, from the connection's own origin, was taken
    const QJsonObject counters = SandboxFixture::json(s.call("GET", QStringLiteral("/_admin/counters")));
    QCOMPARE(counters.value(QLatin1String("requests.odata.property")).toInteger(), 1);
}

QTEST_GUILESS_MAIN(TestCredentialFlow)
#include "tst_credentialflow.moc"
