// Issue 21: a vendor none of the presets describes, set up through connection settings alone: a lead
// feed with page numbers (page, per_page) behind OAuth client credentials, and a contacts CRM whose batch
// endpoint takes a bare JSON array and answers per-record results out of order. Single and batch jobs run
// end to end over loopback against the sandbox, and every lead arrives exactly once, also when the
// vendor's batch reply leaves records out or garbles them.
#include "core/sync/jobrunner.h"
#include "sandboxfixture.h"

#include <QSignalSpy>
#include <QTemporaryDir>

using namespace transom;
using namespace transom::testing;

class TestPlainRest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyLeadArrivesOnce_data();
    void everyLeadArrivesOnce();
};

namespace {

/// The project: no preset anywhere, every vendor detail a connection setting.
QJsonObject project(const QString &base, bool batch)
{
    const QJsonObject unlimited{{QStringLiteral("windows"), QJsonArray{}}, {QStringLiteral("max_in_flight"), 8}};
    const QJsonObject leads{
        {QStringLiteral("connector"), QStringLiteral("rest")},
        {QStringLiteral("kind"), QStringLiteral("source")},
        {QStringLiteral("base_url"), base},
        {QStringLiteral("auth"), QJsonObject{{QStringLiteral("style"), QStringLiteral("oauth_client_credentials")},
                                             {QStringLiteral("token_url"), base + QStringLiteral("/oauth/token")},
                                             {QStringLiteral("client_id"), QStringLiteral("transom-demo")}}},
        {QStringLiteral("settings"), QJsonObject{{QStringLiteral("url"), base + QStringLiteral("/leads")},
                                                 {QStringLiteral("records_path"), QStringLiteral("data")},
                                                 {QStringLiteral("paging"), QStringLiteral("page")},
                                                 {QStringLiteral("page_param"), QStringLiteral("page")},
                                                 {QStringLiteral("page_size_param"), QStringLiteral("per_page")},
                                                 {QStringLiteral("page_size"), 30}}},
        {QStringLiteral("limits"), unlimited}};
    const QJsonObject contacts{
        {QStringLiteral("connector"), QStringLiteral("rest")},
        {QStringLiteral("kind"), QStringLiteral("sink")},
        {QStringLiteral("base_url"), base},
        {QStringLiteral("auth"), QJsonObject{{QStringLiteral("style"), QStringLiteral("api_key_header")},
                                             {QStringLiteral("header"), QStringLiteral("X-Api-Key")}}},
        {QStringLiteral("settings"),
         QJsonObject{{QStringLiteral("mode"), QStringLiteral("create")},
                     {QStringLiteral("create_url"), base + QStringLiteral("/contacts")},
                     {QStringLiteral("find_url"), base + QStringLiteral("/contacts?external_id={external_id}")},
                     {QStringLiteral("find_records_path"), QStringLiteral("data")},
                     {QStringLiteral("batch_url"), base + QStringLiteral("/contacts/batch")},
                     {QStringLiteral("batch_size"), 40},
                     {QStringLiteral("batch_body"), QStringLiteral("array")},
                     {QStringLiteral("batch_match"), QStringLiteral("id")},
                     {QStringLiteral("batch_result_id_path"), QStringLiteral("external_id")},
                     {QStringLiteral("batch_result_error_path"), QStringLiteral("error")}}},
        {QStringLiteral("limits"), unlimited}};
    const QJsonObject job{
        {QStringLiteral("name"), QStringLiteral("leads")},
        {QStringLiteral("source"), QStringLiteral("feed")},
        {QStringLiteral("sink"), QStringLiteral("contacts")},
        {QStringLiteral("mapping"), QStringLiteral(TRANSOM_TEST_DATA "/jobs/portal-leads-to-contact.json")},
        {QStringLiteral("external_id_field"), QStringLiteral("external_id")},
        {QStringLiteral("batch"), batch},
        {QStringLiteral("retry"), QJsonObject{{QStringLiteral("max_attempts"), 6},
                                              {QStringLiteral("base_ms"), 10},
                                              {QStringLiteral("cap_ms"), 100}}}};
    return {{QStringLiteral("transom_project"), 1},
            {QStringLiteral("name"), QStringLiteral("plain-rest")},
            {QStringLiteral("connections"),
             QJsonObject{{QStringLiteral("feed"), leads}, {QStringLiteral("contacts"), contacts}}},
            {QStringLiteral("jobs"), QJsonArray{job}}};
}

sync::SecretAccess secrets()
{
    sync::SecretAccess s;
    s.read = [](const QString &connection, const QString &key) {
        if (connection == QLatin1String("feed") && key == QLatin1String("client_secret"))
            return QStringLiteral("sandbox-client-secret");
        if (connection == QLatin1String("contacts") && key == QLatin1String("api_key"))
            return QStringLiteral("sandbox-api-key");
        return QString();
    };
    s.write = [](const QString &, const QString &, const QString &) { return true; };
    return s;
}

} // namespace

void TestPlainRest::everyLeadArrivesOnce_data()
{
    QTest::addColumn<bool>("batch");
    QTest::addColumn<QString>("quirk");
    QTest::addColumn<qint64>("minBatchCalls");
    QTest::newRow("single") << false << QString() << qint64(0);
    QTest::newRow("batch") << true << QString() << qint64(5);
    QTest::newRow("batch, a result left out of each reply") << true << QStringLiteral("short") << qint64(5);
    QTest::newRow("batch, a garbled result in each reply") << true << QStringLiteral("not_objects") << qint64(5);
}

void TestPlainRest::everyLeadArrivesOnce()
{
    QFETCH(bool, batch);
    QFETCH(QString, quirk);
    QFETCH(qint64, minBatchCalls);
    sandbox::SandboxConfig config;
    config.contactsBatchReply = quirk;
    SandboxFixture s(config);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("project.json"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QJsonDocument(project(s.server.baseUrl(), batch)).toJson());
    file.close();
    auto loaded = sync::Project::load(path);
    QVERIFY2(loaded.ok(), qPrintable(loaded.ok() ? QString() : loaded.error().toString()));
    sync::JobRunner runner(loaded.value(), *loaded->job(QStringLiteral("leads")), connect::PresetLibrary(), secrets());
    QString error;
    QVERIFY2(runner.prepare(&error), qPrintable(error));
    QSignalSpy finished(&runner, &sync::JobRunner::finished);
    runner.start(sync::JobRunner::Mode::Pull);
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.first().first().toString(), QStringLiteral("completed"));

    const QList<QJsonObject> &leads = s.server.portal().leads();
    QCOMPARE(leads.size(), 200);
    QCOMPARE(runner.counts().received, 200);
    QCOMPARE(runner.counts().created, 200);
    QCOMPARE(runner.counts().deadLettered, 0);
    QCOMPARE(s.server.plainRest().contacts().size(), 200);
    for (const QJsonObject &lead : leads) {
        const QString id = lead.value(QStringLiteral("lead_id")).toString();
        QVERIFY2(s.server.plainRest().storedTimes(id) == 1, qPrintable(id));
    }
    QCOMPARE(s.server.counters().value(QStringLiteral("contacts.duplicates.stored")), 0);
    // Paged by page number, signed with a client-credentials token: 7 pages of 30, the last one short.
    QCOMPARE(s.server.counters().value(QStringLiteral("requests.plain.leads")), 7);
    const qint64 batches = s.server.counters().value(QStringLiteral("requests.contacts.batch"));
    QVERIFY2(batch ? batches >= minBatchCalls : batches == 0, qPrintable(QString::number(batches)));
    QCOMPARE(s.server.counters().value(QStringLiteral("requests.contacts.create")), batch ? 0 : 200);
    // A result the reply did not account for (one per batch) was looked up, found, and not sent again.
    QCOMPARE(s.server.counters().value(QStringLiteral("requests.contacts.find")), quirk.isEmpty() ? 0 : batches);
}

QTEST_GUILESS_MAIN(TestPlainRest)
#include "tst_plainrest.moc"
