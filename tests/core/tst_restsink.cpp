// RestSink against the sandbox CRM over loopback, and the response classifier's rules.
#include "core/connect/connectorregistry.h"
#include "core/connect/responseclassifier.h"
#include "core/connect/restsink.h"
#include "sandboxfixture.h"

using namespace transom;
using namespace transom::testing;
using connect::DeliveryResult;

class TestRestSink : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void classify_data();
    void classify();
    void createUpdateAndFind();
    void eventsIntakeWithBodyTemplate();
    void upsertLooksUpBeforeCreating();
    void fileSourceReadsInPages();
    void putByKeyIsIdempotent();
    void permanentFailuresKeepTheServersWords();
    void lostAcknowledgementIsUnknownNotRetriedBlindly();
    void batchesReportPerRecord();
    void presetsAllLoadAndBuild();
    void badSettingsNameTheSetting_data();
    void badSettingsNameTheSetting();
    void localErrorsAreNotRetried();
    void waysToSettleALostAnswer_data();
    void waysToSettleALostAnswer();
    void batchBodies_data();
    void batchBodies();
    void untrustedBatchReplies_data();
    void untrustedBatchReplies();
    void noCallToAMissingUrl_data();
    void noCallToAMissingUrl();

private:
    static DeliveryResult deliver(connect::Sink &sink, const connect::SinkRecord &record);
};

DeliveryResult TestRestSink::deliver(connect::Sink &sink, const connect::SinkRecord &record)
{
    DeliveryResult out;
    bool done = false;
    sink.deliver(record, [&](const DeliveryResult &r) {
        out = r;
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, 20000))
        qFatal("no delivery result");
    return out;
}

void TestRestSink::classify_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("retryAfter");
    QTest::addColumn<int>("outcome");
    QTest::addColumn<QString>("message");
    QTest::addColumn<qint64>("retryMs");
    using O = DeliveryResult::Outcome;
    QTest::newRow("201") << 201 << QByteArray(R"({"id": 5})") << QByteArray() << int(O::Created) << QString()
                         << qint64(-1);
    QTest::newRow("200") << 200 << QByteArray() << QByteArray() << int(O::Updated) << QString() << qint64(-1);
    QTest::newRow("network") << 0 << QByteArray() << QByteArray() << int(O::Retryable) << QString() << qint64(-1);
    QTest::newRow("408") << 408 << QByteArray() << QByteArray() << int(O::Retryable) << QStringLiteral("HTTP 408")
                         << qint64(-1);
    QTest::newRow("429 seconds") << 429 << QByteArray(R"({"errorMessage": "Rate limit exceeded"})") << QByteArray("12")
                                 << int(O::Retryable) << QStringLiteral("Rate limit exceeded") << qint64(12000);
    QTest::newRow("503 http-date") << 503 << QByteArray("<html>down</html>")
                                   << QByteArray("Mon, 30 Nov 2026 08:00:30 GMT") << int(O::Retryable)
                                   << QStringLiteral("<html>down</html>") << qint64(30000);
    QTest::newRow("500") << 500 << QByteArray(R"({"message": "boom"})") << QByteArray() << int(O::Retryable)
                         << QStringLiteral("boom") << qint64(-1);
    QTest::newRow("400") << 400 << QByteArray(R"({"error": "bad json"})") << QByteArray() << int(O::Permanent)
                         << QStringLiteral("bad json") << qint64(-1);
    QTest::newRow("401 after refresh") << 401
                                       << QByteArray(R"({"error": "invalid_token", "error_description": "expired"})")
                                       << QByteArray() << int(O::Permanent) << QStringLiteral("expired") << qint64(-1);
    QTest::newRow("403") << 403 << QByteArray() << QByteArray() << int(O::Permanent) << QStringLiteral("HTTP 403")
                         << qint64(-1);
    QTest::newRow("404") << 404 << QByteArray(R"({"error": {"message": "no such person"}})") << QByteArray()
                         << int(O::Permanent) << QStringLiteral("no such person") << qint64(-1);
    QTest::newRow("409 duplicate") << 409 << QByteArray(R"({"errorMessage": "exists", "id": 5001})") << QByteArray()
                                   << int(O::Permanent) << QStringLiteral("exists") << qint64(-1);
    QTest::newRow("422 fields")
        << 422
        << QByteArray(
               R"({"errorMessage": "Validation failed", "errors": [{"field": "stage", "message": "Stage 'Hot Prospect' does not exist"}]})")
        << QByteArray() << int(O::Permanent)
        << QStringLiteral("Validation failed; stage: Stage 'Hot Prospect' does not exist") << qint64(-1);
    QTest::newRow("huge Retry-After is capped at a day")
        << 429 << QByteArray() << QByteArray("9223372036854775807") << int(O::Retryable) << QStringLiteral("HTTP 429")
        << qint64(24LL * 3600 * 1000);
    QTest::newRow("garbage Retry-After") << 429 << QByteArray() << QByteArray("soon") << int(O::Retryable)
                                         << QStringLiteral("HTTP 429") << qint64(-1);
}

void TestRestSink::classify()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, retryAfter);
    QFETCH(int, outcome);
    QFETCH(QString, message);
    QFETCH(qint64, retryMs);
    net::HttpResponse r;
    r.status = status;
    r.body = body;
    if (status == 0)
        r.transportError = QStringLiteral("Connection refused");
    if (!retryAfter.isEmpty())
        r.headers.append({"Retry-After", retryAfter});
    const qint64 now = QDateTime(QDate(2026, 11, 30), QTime(8, 0), Qt::UTC).toMSecsSinceEpoch();
    const DeliveryResult d = connect::classifyResponse(r, now);
    QCOMPARE(int(d.outcome), outcome);
    QCOMPARE(d.httpStatus, status);
    if (status == 0)
        QCOMPARE(d.message, QStringLiteral("Connection refused"));
    else
        QCOMPARE(d.message, message);
    QCOMPARE(d.retryAfterMs, retryMs);
    QCOMPARE(d.duplicate, status == 409);
    if (status == 409)
        QCOMPARE(d.destinationId, QStringLiteral("5001"));
}

void TestRestSink::createUpdateAndFind()
{
    SandboxFixture s;
    auth::AuthorizedClient client(s.client, auth::RequestSigner::basic(QStringLiteral("sandbox-api-key"), QString()));
    connect::RestSinkSettings settings;
    settings.mode = connect::RestSinkSettings::Mode::Upsert;
    settings.createUrl = s.server.baseUrl() + QStringLiteral("/v1/people");
    settings.updateUrl = s.server.baseUrl() + QStringLiteral("/v1/people/{destination_id}");
    settings.findUrl = s.server.baseUrl() + QStringLiteral("/v1/people?externalId={external_id}");
    connect::RestSink sink(settings, client);
    connect::SinkRecord record{
        QStringLiteral("ZL-1"), QStringLiteral("ZL-1"), QString(), R"({"firstName":"Maria","externalId":"ZL-1"})", {}};
    const DeliveryResult created = deliver(sink, record);
    QVERIFY(created.outcome == DeliveryResult::Outcome::Created);
    QCOMPARE(created.destinationId, QStringLiteral("5000"));
    record.destinationId = created.destinationId;
    record.body = R"({"firstName":"María","externalId":"ZL-1"})";
    const DeliveryResult updated = deliver(sink, record);
    QVERIFY(updated.outcome == DeliveryResult::Outcome::Updated);
    QCOMPARE(s.server.crm().people().size(), 1);
    QCOMPARE(s.server.crm().people().first().value(QStringLiteral("firstName")).toString(), QStringLiteral("María"));
    bool found = false, done = false;
    QString id;
    sink.find(QStringLiteral("ZL-1"), [&](bool f, const QString &destination, const DeliveryResult &) {
        found = f;
        id = destination;
        done = true;
    });
    QTRY_VERIFY(done);
    QVERIFY(found);
    QCOMPARE(id, QStringLiteral("5000"));
    done = false;
    sink.find(QStringLiteral("ZL-404"), [&](bool f, const QString &, const DeliveryResult &) {
        found = f;
        done = true;
    });
    QTRY_VERIFY(done);
    QVERIFY(!found);
    QCOMPARE(sink.requestsMade(), 4);
}

void TestRestSink::eventsIntakeWithBodyTemplate()
{
    SandboxFixture s;
    auth::AuthorizedClient client(s.client, auth::RequestSigner::basic(QStringLiteral("sandbox-api-key"), QString()));
    connect::RestSinkSettings settings;
    settings.createUrl = s.server.baseUrl() + QStringLiteral("/v1/events");
    settings.bodyTemplate = QStringLiteral(R"({"source": "Zillow", "type": "Property Inquiry", "person": $record})");
    connect::RestSink sink(settings, client);
    const DeliveryResult first = deliver(sink, {QStringLiteral("ZL-1"),
                                                QStringLiteral("ZL-1"),
                                                {},
                                                R"({"firstName":"Maria","emails":[{"value":"m@x.com"}]})",
                                                {}});
    QVERIFY(first.outcome == DeliveryResult::Outcome::Created);
    const DeliveryResult again = deliver(sink, {QStringLiteral("ZL-1"),
                                                QStringLiteral("ZL-1"),
                                                {},
                                                R"({"firstName":"Maria","emails":[{"value":"m@x.com"}]})",
                                                {}});
    QVERIFY(again.outcome == DeliveryResult::Outcome::Updated); // the intake matched her by e-mail
    QCOMPARE(s.server.crm().people().size(), 1);
}

void TestRestSink::upsertLooksUpBeforeCreating()
{
    SandboxFixture s;
    auth::AuthorizedClient client(s.client, auth::RequestSigner::basic(QStringLiteral("sandbox-api-key"), QString()));
    QCOMPARE(s.crm("POST", QStringLiteral("/v1/people"),
                   {{QStringLiteral("firstName"), QStringLiteral("Old")},
                    {QStringLiteral("externalId"), QStringLiteral("ZL-7")}})
                 .status,
             201);
    const QString base = s.server.baseUrl();
    auto sink = connect::ConnectorRegistry::builtin().createSink(
        QStringLiteral("rest"),
        {{QStringLiteral("mode"), QStringLiteral("upsert")},
         {QStringLiteral("create_url"), base + QStringLiteral("/v1/people")},
         {QStringLiteral("update_url"), base + QStringLiteral("/v1/people/{destination_id}")},
         {QStringLiteral("find_url"), base + QStringLiteral("/v1/people?externalId={external_id}")},
         {QStringLiteral("find_before_create"), true}},
        client);
    QVERIFY(sink.ok());
    const DeliveryResult existing =
        deliver(*sink.value(),
                {QStringLiteral("ZL-7"), QStringLiteral("ZL-7"), {}, R"({"firstName":"New","externalId":"ZL-7"})", {}});
    QVERIFY(existing.outcome == DeliveryResult::Outcome::Updated);
    QCOMPARE(existing.destinationId, QStringLiteral("5000"));
    const DeliveryResult fresh = deliver(
        *sink.value(),
        {QStringLiteral("ZL-8"), QStringLiteral("ZL-8"), {}, R"({"firstName":"Liam","externalId":"ZL-8"})", {}});
    QVERIFY(fresh.outcome == DeliveryResult::Outcome::Created);
    QCOMPARE(s.server.crm().people().size(), 2);
    QCOMPARE(s.server.crm().people().first().value(QStringLiteral("firstName")).toString(), QStringLiteral("New"));
    QCOMPARE(sink.value()->requestsMade(), 4); // two lookups, one update, one create
}

void TestRestSink::fileSourceReadsInPages()
{
    net::HttpClient http;
    auth::AuthorizedClient client(http, auth::RequestSigner::none());
    auto source = connect::ConnectorRegistry::builtin().createSource(
        QStringLiteral("file"),
        {{QStringLiteral("path"), QStringLiteral(TRANSOM_TEST_DATA "/mappings/field-errors/source.ndjson")},
         {QStringLiteral("page_size"), 4}},
        client);
    QVERIFY(source.ok());
    source.value()->start({});
    QList<connect::SourcePage> pages;
    bool last = false;
    while (!last) {
        source.value()->next([&](const connect::SourcePage &p) {
            pages.append(p);
            last = p.last;
        });
    }
    QCOMPARE(pages.size(), 2);
    QCOMPARE(pages.at(0).records.size(), 4);
    QCOMPARE(pages.at(1).records.size(), 0);
    QCOMPARE(pages.at(1).problems.size(), 2);
    QVERIFY(pages.at(1).problems.first().contains(QStringLiteral("source.ndjson:5")));
    auto missing = connect::ConnectorRegistry::builtin().createSource(
        QStringLiteral("file"), {{QStringLiteral("path"), QStringLiteral("/nonexistent.json")}}, client);
    missing.value()->start({});
    QString error;
    missing.value()->next([&](const connect::SourcePage &p) { error = p.error; });
    QVERIFY(error.contains(QStringLiteral("cannot open the input")));
}

void TestRestSink::putByKeyIsIdempotent()
{
    SandboxFixture s;
    auth::AuthorizedClient client(s.client, auth::RequestSigner::apiKey("X-Api-Key", "sandbox-api-key"));
    connect::PresetLibrary presets = connect::PresetLibrary::load({QStringLiteral(TRANSOM_RESOURCES "/presets")});
    auto sink = connect::ConnectorRegistry::builtin().createSink(
        QStringLiteral("rest"), presets.find(QStringLiteral("uuid-crm"))->settingsFor(s.server.baseUrl()), client);
    QVERIFY(sink.ok());
    const connect::SinkRecord record{QStringLiteral("ZL-1"),
                                     QStringLiteral("6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b"),
                                     {},
                                     R"({"firstName":"Maria"})",
                                     {}};
    QVERIFY(deliver(*sink.value(), record).outcome == DeliveryResult::Outcome::Created);
    QVERIFY(deliver(*sink.value(), record).outcome == DeliveryResult::Outcome::Updated);
    QCOMPARE(s.server.crm().people().size(), 1);
}

void TestRestSink::permanentFailuresKeepTheServersWords()
{
    SandboxFixture s;
    auth::AuthorizedClient client(s.client, auth::RequestSigner::basic(QStringLiteral("sandbox-api-key"), QString()));
    connect::RestSinkSettings settings;
    settings.createUrl = s.server.baseUrl() + QStringLiteral("/v1/people");
    connect::RestSink sink(settings, client);
    QCOMPARE(s.call("POST", QStringLiteral("/_admin/crm"), R"({"stages": ["Lead", "Cold"]})").status, 200);
    const DeliveryResult r = deliver(
        sink,
        {QStringLiteral("ZL-9"), QStringLiteral("ZL-9"), {}, R"({"firstName":"Maria","stage":"Hot Prospect"})", {}});
    QVERIFY(r.outcome == DeliveryResult::Outcome::Permanent);
    QCOMPARE(r.httpStatus, 422);
    QCOMPARE(r.message, QStringLiteral("Validation failed; stage: Stage 'Hot Prospect' does not exist"));
}

void TestRestSink::lostAcknowledgementIsUnknownNotRetriedBlindly()
{
    SandboxFixture s;
    auth::AuthorizedClient client(s.client, auth::RequestSigner::basic(QStringLiteral("sandbox-api-key"), QString()));
    connect::RestSinkSettings settings;
    settings.createUrl = s.server.baseUrl() + QStringLiteral("/v1/people");
    settings.findUrl = s.server.baseUrl() + QStringLiteral("/v1/people?externalId={external_id}");
    connect::RestSink sink(settings, client);
    sandbox::FaultPlan plan;
    plan.lostAck = 1.0;
    s.server.setFaults(QStringLiteral("crm.people.create"), plan);
    for (int i = 0; i < 6; ++i) {
        const QString id = QStringLiteral("ZL-%1").arg(i);
        const DeliveryResult r =
            deliver(sink, {id, id, {}, QStringLiteral(R"({"firstName":"M","externalId":"%1"})").arg(id).toUtf8(), {}});
        QVERIFY(r.outcome == DeliveryResult::Outcome::Retryable);
        QVERIFY(r.outcomeUnknown || r.httpStatus == 503);
    }
    QCOMPARE(s.server.crm().people().size(), 6); // stored once each, never twice
    QCOMPARE(s.server.crm().duplicatesStored(), 0);
    bool found = false, done = false;
    sink.find(QStringLiteral("ZL-3"), [&](bool f, const QString &, const DeliveryResult &) {
        found = f;
        done = true;
    });
    QTRY_VERIFY(done);
    QVERIFY(found); // the lookup that settles the unknown outcome
}

void TestRestSink::batchesReportPerRecord()
{
    SandboxFixture s;
    auth::AuthorizedClient client(s.client, auth::RequestSigner::basic(QStringLiteral("sandbox-api-key"), QString()));
    connect::RestSinkSettings settings;
    settings.createUrl = s.server.baseUrl() + QStringLiteral("/v1/people");
    settings.batchUrl = s.server.baseUrl() + QStringLiteral("/v1/people/batch");
    connect::RestSink sink(settings, client);
    QVERIFY(sink.supportsBatch());
    const QList<connect::SinkRecord> records = {
        {QStringLiteral("a"), QStringLiteral("a"), {}, R"({"firstName":"A"})", {}},
        {QStringLiteral("b"), QStringLiteral("b"), {}, R"({"firstName":""})", {}},
        {QStringLiteral("c"), QStringLiteral("c"), {}, R"({"firstName":"C"})", {}}};
    QList<DeliveryResult> results;
    sink.deliverBatch(records, [&](const QList<DeliveryResult> &r) { results = r; });
    QTRY_COMPARE(results.size(), 3);
    QVERIFY(results.at(0).outcome == DeliveryResult::Outcome::Created);
    QCOMPARE(results.at(0).destinationId, QStringLiteral("5000"));
    QVERIFY(results.at(1).outcome == DeliveryResult::Outcome::Permanent);
    QVERIFY(results.at(1).message.contains(QStringLiteral("firstName")));
    QVERIFY(results.at(2).outcome == DeliveryResult::Outcome::Created);
    QCOMPARE(sink.requestsMade(), 1);
    // Every record accepted (the rule, read without QJsonDocument): each gets its own id, in order.
    results.clear();
    sink.deliverBatch(
        {records.at(0), records.at(2), {QStringLiteral("d"), QStringLiteral("d"), {}, R"({"firstName":"D"})", {}}},
        [&](const QList<DeliveryResult> &r) { results = r; });
    QTRY_COMPARE(results.size(), 3);
    for (const DeliveryResult &r : std::as_const(results))
        QVERIFY(r.outcome == DeliveryResult::Outcome::Created);
    QCOMPARE(results.at(0).destinationId, QStringLiteral("5002"));
    QCOMPARE(results.at(1).destinationId, QStringLiteral("5003"));
    QCOMPARE(results.at(2).destinationId, QStringLiteral("5004"));
    QCOMPARE(sink.requestsMade(), 2);
}

void TestRestSink::presetsAllLoadAndBuild()
{
    QList<Error> errors;
    const connect::PresetLibrary presets =
        connect::PresetLibrary::load({QStringLiteral(TRANSOM_RESOURCES "/presets")}, &errors);
    QVERIFY(errors.isEmpty());
    QStringList ids;
    net::HttpClient http;
    auth::AuthorizedClient client(http, auth::RequestSigner::none());
    for (const connect::Preset &p : presets.presets()) {
        ids.append(p.id);
        QVERIFY2(!p.fields.isEmpty(), qPrintable(p.id));
        QVERIFY2(p.limits.value(QStringLiteral("windows")).isArray(), qPrintable(p.id));
        const QJsonObject settings = p.settingsFor(QStringLiteral("http://127.0.0.1:1"));
        if (p.kind == QLatin1String("source")) {
            auto source = connect::ConnectorRegistry::builtin().createSource(p.connector, settings, client);
            QVERIFY2(source.ok(),
                     qPrintable(p.id + QLatin1Char(' ') + (source.ok() ? QString() : source.error().toString())));
        } else {
            auto sink = connect::ConnectorRegistry::builtin().createSink(p.connector, settings, client);
            QVERIFY2(sink.ok(),
                     qPrintable(p.id + QLatin1Char(' ') + (sink.ok() ? QString() : sink.error().toString())));
        }
    }
    ids.sort();
    QCOMPARE(ids,
             (QStringList{QStringLiteral("events-crm"), QStringLiteral("oauth-crm"), QStringLiteral("reso-web-api"),
                          QStringLiteral("uuid-crm"), QStringLiteral("webhook-lead-portal")}));
    // A user's own preset with the same id replaces the shipped one; a broken one is reported by file.
    QTemporaryDir user;
    QFile mine(user.filePath(QStringLiteral("mine.json")));
    QVERIFY(mine.open(QIODevice::WriteOnly));
    mine.write(
        R"({"transom_preset": 1, "id": "uuid-crm", "name": "Our CRM", "kind": "sink", "settings": {"mode": "put_by_key", "put_url": "{base}/x/{key}"}})");
    mine.close();
    QFile broken(user.filePath(QStringLiteral("broken.json")));
    QVERIFY(broken.open(QIODevice::WriteOnly));
    broken.write("{nope");
    broken.close();
    errors.clear();
    const connect::PresetLibrary merged =
        connect::PresetLibrary::load({QStringLiteral(TRANSOM_RESOURCES "/presets"), user.path()}, &errors);
    QCOMPARE(merged.find(QStringLiteral("uuid-crm"))->name, QStringLiteral("Our CRM"));
    QCOMPARE(errors.size(), 1);
    QVERIFY(errors.first().file.endsWith(QStringLiteral("broken.json")));
    QVERIFY(
        connect::ConnectorRegistry::builtin().find(QStringLiteral("sink"), QStringLiteral("rest"))->settings.size() >
        5);
}

void TestRestSink::badSettingsNameTheSetting_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("setting");
    QTest::newRow("mode typo") << QByteArray(R"({"mode": "insert"})") << "mode";
    QTest::newRow("no create url") << QByteArray(R"({"mode": "create"})") << "create_url";
    QTest::newRow("upsert without id")
        << QByteArray(R"({"mode": "upsert", "create_url": "http://x", "update_url": "http://x/y"})") << "update_url";
    QTest::newRow("put without key") << QByteArray(R"({"mode": "put_by_key", "put_url": "http://x/y"})") << "put_url";
    QTest::newRow("template without record")
        << QByteArray(R"({"create_url": "http://x", "body_template": "{}"})") << "body_template";
    QTest::newRow("find without id") << QByteArray(R"({"create_url": "http://x", "find_url": "http://x?q=1"})")
                                     << "find_url";
    QTest::newRow("nothing settles a lost answer") << QByteArray(R"({"create_url": "http://x"})") << "find_url";
    QTest::newRow("upsert, nothing settles a lost answer")
        << QByteArray(R"({"mode": "upsert", "create_url": "http://x", "update_url": "http://x/{destination_id}"})")
        << "find_url";
    QTest::newRow("wrapped batch without a key")
        << QByteArray(
               R"({"create_url": "http://x", "duplicate_is_delivered": true, "batch_body": "wrapped", "batch_wrapper": ""})")
        << "batch_wrapper";
    QTest::newRow("batch body typo")
        << QByteArray(R"({"create_url": "http://x", "duplicate_is_delivered": true, "batch_body": "list"})")
        << "batch_body";
    QTest::newRow("match by id without its path")
        << QByteArray(R"({"create_url": "http://x", "duplicate_is_delivered": true, "batch_match": "id"})")
        << "batch_result_id_path";
    QTest::newRow("match typo")
        << QByteArray(R"({"create_url": "http://x", "duplicate_is_delivered": true, "batch_match": "order"})")
        << "batch_match";
    QTest::newRow("no status path")
        << QByteArray(R"({"create_url": "http://x", "duplicate_is_delivered": true, "batch_result_status_path": ""})")
        << "batch_result_status_path";
    QTest::newRow("ndjson with a template on two lines")
        << QByteArray(
               R"({"create_url": "http://x", "duplicate_is_delivered": true, "batch_body": "ndjson", "body_template": "{\"c\":\n$record}"})")
        << "body_template";
    QTest::newRow("headers not an object")
        << QByteArray(R"({"create_url": "http://x", "duplicate_is_delivered": true, "headers": "X-System: Transom"})")
        << "headers";
    QTest::newRow("update without id")
        << QByteArray(
               R"({"create_url": "http://x", "find_url": "http://x?q={external_id}", "update_url": "http://x/1"})")
        << "update_url";
}

void TestRestSink::badSettingsNameTheSetting()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, setting);
    net::HttpClient http;
    auth::AuthorizedClient client(http, auth::RequestSigner::none());
    auto sink = connect::ConnectorRegistry::builtin().createSink(QStringLiteral("rest"),
                                                                 QJsonDocument::fromJson(json).object(), client);
    QVERIFY(!sink.ok());
    QCOMPARE(sink.error().path, setting);
}

// A request that cannot be made (a bad URL, a missing setting) fails at once as permanent, with words
// that point at the settings: it is not retried as if the network were down.
void TestRestSink::localErrorsAreNotRetried()
{
    net::HttpResponse bad;
    bad.transportError = QStringLiteral("URL using bad/illegal format or missing URL");
    bad.localError = true;
    const DeliveryResult classified = connect::classifyResponse(bad, 0);
    QVERIFY(classified.outcome == DeliveryResult::Outcome::Permanent);
    QVERIFY(!classified.outcomeUnknown);
    QVERIFY2(classified.message.contains(QLatin1String("could not be made")) &&
                 classified.message.contains(QLatin1String("bad/illegal format")),
             qPrintable(classified.message));
    net::HttpClient http;
    auth::AuthorizedClient client(http, auth::RequestSigner::none());
    connect::RestSinkSettings settings;
    settings.createUrl = QStringLiteral("htp://127.0.0.1:1/v1/people"); // a typo in the scheme
    settings.duplicateIsDelivered = true;
    connect::RestSink sink(settings, client);
    const DeliveryResult sent = deliver(sink, {QStringLiteral("ZL-1"), QStringLiteral("ZL-1"), {}, "{}", {}});
    QVERIFY(sent.outcome == DeliveryResult::Outcome::Permanent);
    QVERIFY(!sent.outcomeUnknown);
    QVERIFY2(sent.message.contains(QLatin1String("could not be made")), qPrintable(sent.message));
    // A lookup without a find_url (the settings were built by hand, past the check at load).
    settings.duplicateIsDelivered = false;
    connect::RestSink noLookup(settings, client);
    DeliveryResult failure;
    bool done = false;
    noLookup.find(QStringLiteral("ZL-1"), [&](bool, const QString &, const DeliveryResult &f) {
        failure = f;
        done = true;
    });
    QTRY_VERIFY(done);
    QVERIFY(failure.outcome == DeliveryResult::Outcome::Permanent);
    QVERIFY2(failure.message.contains(QLatin1String("no find_url")), qPrintable(failure.message));
    QCOMPARE(noLookup.requestsMade(), 0);
}

void TestRestSink::waysToSettleALostAnswer_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::newRow("a lookup") << QByteArray(R"({"create_url": "http://x", "find_url": "http://x?id={external_id}"})");
    QTest::newRow("an idempotency key") << QByteArray(
        R"({"create_url": "http://x", "idempotency_key_header": "Idempotency-Key"})");
    QTest::newRow("a 409 naming it") << QByteArray(R"({"create_url": "http://x", "duplicate_is_delivered": true})");
    QTest::newRow("an intake that merges") << QByteArray(R"({"create_url": "http://x", "update_by_create": true})");
    QTest::newRow("a PUT by key") << QByteArray(R"({"mode": "put_by_key", "put_url": "http://x/{key}"})");
}

void TestRestSink::waysToSettleALostAnswer()
{
    QFETCH(QByteArray, json);
    net::HttpClient http;
    auth::AuthorizedClient client(http, auth::RequestSigner::none());
    auto sink = connect::ConnectorRegistry::builtin().createSink(QStringLiteral("rest"),
                                                                 QJsonDocument::fromJson(json).object(), client);
    QVERIFY2(sink.ok(), qPrintable(sink.ok() ? QString() : sink.error().toString()));
}

namespace {

QJsonObject contactsSink(const SandboxFixture &s, const QJsonObject &extra)
{
    QJsonObject settings{
        {QStringLiteral("create_url"), s.server.baseUrl() + QStringLiteral("/contacts")},
        {QStringLiteral("find_url"), s.server.baseUrl() + QStringLiteral("/contacts?external_id={external_id}")},
        {QStringLiteral("find_records_path"), QStringLiteral("data")},
        {QStringLiteral("batch_url"), s.server.baseUrl() + QStringLiteral("/contacts/batch")},
        {QStringLiteral("batch_wrapper"), QString()},
        {QStringLiteral("batch_match"), QStringLiteral("id")},
        {QStringLiteral("batch_result_id_path"), QStringLiteral("external_id")},
        {QStringLiteral("batch_result_error_path"), QStringLiteral("error")}};
    for (auto it = extra.begin(); it != extra.end(); ++it)
        settings.insert(it.key(), it.value());
    return settings;
}

connect::SinkRecord contact(const char *id, const char *name)
{
    const QString text = QString::fromLatin1(id);
    return {text,
            text,
            {},
            QStringLiteral(R"({"external_id":"%1","name":"%2"})").arg(text, QLatin1String(name)).toUtf8(),
            {}};
}

QList<DeliveryResult> deliverBatch(connect::Sink &sink, const QList<connect::SinkRecord> &records)
{
    QList<DeliveryResult> results;
    bool done = false;
    sink.deliverBatch(records, [&](const QList<DeliveryResult> &r) {
        results = r;
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, 20000))
        qFatal("no batch result");
    return results;
}

/// C created, U updated, P permanent, ? outcome unknown (retryable, to be looked up), R other retryable.
QString outcomes(const QList<DeliveryResult> &results)
{
    QString out;
    for (const DeliveryResult &r : results)
        out += r.outcome == DeliveryResult::Outcome::Created     ? u'C'
               : r.outcome == DeliveryResult::Outcome::Updated   ? u'U'
               : r.outcome == DeliveryResult::Outcome::Permanent ? u'P'
                                                                 : (r.outcomeUnknown ? u'?' : u'R');
    return out;
}

} // namespace

// A batch is a wrapped list, a bare JSON array or NDJSON, set through the connection's settings alone.
void TestRestSink::batchBodies_data()
{
    QTest::addColumn<QByteArray>("settings");
    QTest::addColumn<QString>("expected");
    QTest::newRow("bare array") << QByteArray(R"({"batch_body": "array"})") << QStringLiteral("CPC");
    QTest::newRow("empty wrapper means a bare array") << QByteArray("{}") << QStringLiteral("CPC");
    QTest::newRow("ndjson") << QByteArray(R"({"batch_body": "ndjson"})") << QStringLiteral("CPC");
}

void TestRestSink::batchBodies()
{
    QFETCH(QByteArray, settings);
    QFETCH(QString, expected);
    SandboxFixture s;
    auth::AuthorizedClient client(s.client, auth::RequestSigner::apiKey("X-Api-Key", "sandbox-api-key"));
    auto sink = connect::ConnectorRegistry::builtin().createSink(
        QStringLiteral("rest"), contactsSink(s, QJsonDocument::fromJson(settings).object()), client);
    QVERIFY2(sink.ok(), qPrintable(sink.ok() ? QString() : sink.error().toString()));
    QVERIFY(sink.value()->supportsBatch());
    const QList<DeliveryResult> results =
        deliverBatch(*sink.value(), {contact("c-1", "Ana"), contact("c-2", ""), contact("c-3", "Bo")});
    QCOMPARE(outcomes(results), expected);
    // The vendor lists failures first: matched by external id, each record has its own id and words.
    QCOMPARE(results.at(0).destinationId, QStringLiteral("1"));
    QCOMPARE(results.at(2).destinationId, QStringLiteral("2"));
    QCOMPARE(results.at(1).message, QStringLiteral("name is required"));
    QCOMPARE(s.server.plainRest().contacts().size(), 2);
    QCOMPARE(s.server.counters().value(QStringLiteral("requests.contacts.batch")), 1);
    QCOMPARE(sink.value()->requestsMade(), 1);
}

// The vendor's batch reply is untrusted: a record it does not clearly account for is never "delivered";
// its outcome is unknown (looked up before it is sent again), and nothing crashes.
void TestRestSink::untrustedBatchReplies_data()
{
    QTest::addColumn<QString>("match");
    QTest::addColumn<QString>("quirk");
    QTest::addColumn<QStringList>("names");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<int>("stored");
    const QStringList withInvalid{QStringLiteral("Ana"), QString(), QStringLiteral("Bo")};
    const QStringList allValid{QStringLiteral("Ana"), QStringLiteral("Bo"), QStringLiteral("Cy")};
    // By id: the results come back [c-2 (error), c-1, c-3]; the quirks spoil the first or drop the last.
    QTest::newRow("id: as it should be") << "id"
                                         << "" << withInvalid << "CPC" << 2;
    QTest::newRow("id: one result missing") << "id"
                                            << "short" << withInvalid << "CP?" << 2;
    QTest::newRow("id: a result without its id") << "id"
                                                 << "no_ids" << withInvalid << "C?C" << 2;
    QTest::newRow("id: a result that is not an object") << "id"
                                                        << "not_objects" << withInvalid << "C?C" << 2;
    QTest::newRow("id: a result naming an id not sent") << "id"
                                                        << "unknown_id" << withInvalid << "C?C" << 2;
    QTest::newRow("id: an id named twice") << "id"
                                           << "duplicate_id" << withInvalid << "C?C" << 2;
    QTest::newRow("id: a result without a status") << "id"
                                                   << "no_status" << withInvalid << "C?C" << 2;
    // By position (every record valid, so the vendor's order is the order sent).
    QTest::newRow("position: as it should be") << "position"
                                               << "" << allValid << "CCC" << 3;
    QTest::newRow("position: one result short") << "position"
                                                << "short" << allValid << "???" << 3;
    QTest::newRow("position: one result too many") << "position"
                                                   << "duplicate_id" << allValid << "???" << 3;
    QTest::newRow("position: a result that is not an object") << "position"
                                                              << "not_objects" << allValid << "?CC" << 3;
    QTest::newRow("position: a result without a status") << "position"
                                                         << "no_status" << allValid << "?CC" << 3;
}

void TestRestSink::untrustedBatchReplies()
{
    QFETCH(QString, match);
    QFETCH(QString, quirk);
    QFETCH(QStringList, names);
    QFETCH(QString, expected);
    QFETCH(int, stored);
    sandbox::SandboxConfig config;
    config.contactsBatchReply = quirk;
    SandboxFixture s(config);
    auth::AuthorizedClient client(s.client, auth::RequestSigner::apiKey("X-Api-Key", "sandbox-api-key"));
    auto sink = connect::ConnectorRegistry::builtin().createSink(
        QStringLiteral("rest"), contactsSink(s, {{QStringLiteral("batch_match"), match}}), client);
    QVERIFY2(sink.ok(), qPrintable(sink.ok() ? QString() : sink.error().toString()));
    const QList<DeliveryResult> results =
        deliverBatch(*sink.value(), {contact("c-1", names.at(0).toUtf8().constData()),
                                     contact("c-2", names.at(1).toUtf8().constData()),
                                     contact("c-3", names.at(2).toUtf8().constData())});
    QCOMPARE(outcomes(results), expected);
    for (const DeliveryResult &r : results) {
        if (r.outcomeUnknown) {
            QVERIFY(r.destinationId.isEmpty());
            QVERIFY2(r.message.startsWith(QLatin1String("the batch reply does not say what became of this record")),
                     qPrintable(r.message));
        }
    }
    QCOMPARE(int(s.server.plainRest().contacts().size()), stored);
    // An unknown outcome is settled by the lookup the engine makes before sending again.
    for (qsizetype i = 0; i < results.size(); ++i) {
        if (!results.at(i).outcomeUnknown || names.at(i).isEmpty())
            continue;
        bool found = false, done = false;
        sink.value()->find(QStringLiteral("c-%1").arg(i + 1), [&](bool f, const QString &, const DeliveryResult &) {
            found = f;
            done = true;
        });
        QTRY_VERIFY(done);
        QVERIFY(found);
    }
}

// Issue 21: a sink missing a URL it needs never calls an empty address ("URL using bad/illegal format or
// missing URL"); the error names the setting and what to do.
void TestRestSink::noCallToAMissingUrl_data()
{
    QTest::addColumn<QString>("call");
    QTest::addColumn<QString>("createUrl");
    QTest::addColumn<QString>("updateUrl");
    QTest::addColumn<QStringList>("messageParts");
    QTest::newRow("lookup without find_url")
        << "find"
        << "http://127.0.0.1:1/v1/people" << QString()
        << QStringList{QStringLiteral("no find_url"), QStringLiteral("Set find_url in the connection's settings"),
                       QStringLiteral("{external_id}")};
    QTest::newRow("create without create_url")
        << "create" << QString() << QString()
        << QStringList{QStringLiteral("setting \"create_url\" is empty"), QStringLiteral("connection's settings")};
    QTest::newRow("update_url without a host")
        << "update"
        << "http://127.0.0.1:1/v1/people"
        << "/v1/people/{destination_id}"
        << QStringList{QStringLiteral("setting \"update_url\""), QStringLiteral("is not a full URL"),
                       QStringLiteral("correct it in the connection's settings")};
}

void TestRestSink::noCallToAMissingUrl()
{
    QFETCH(QString, call);
    QFETCH(QString, createUrl);
    QFETCH(QString, updateUrl);
    QFETCH(QStringList, messageParts);
    net::HttpClient http;
    auth::AuthorizedClient client(http, auth::RequestSigner::none());
    connect::RestSinkSettings settings; // built by hand: past the checks a connection's JSON gets at load
    settings.createUrl = createUrl;
    settings.updateUrl = updateUrl;
    connect::RestSink sink(settings, client);
    DeliveryResult result;
    if (call == QLatin1String("find")) {
        bool done = false;
        sink.find(QStringLiteral("ZL-1"), [&](bool, const QString &, const DeliveryResult &f) {
            result = f;
            done = true;
        });
        QTRY_VERIFY(done);
    } else {
        result = deliver(sink, {QStringLiteral("ZL-1"),
                                QStringLiteral("ZL-1"),
                                call == QLatin1String("update") ? QStringLiteral("5000") : QString(),
                                "{}",
                                {}});
    }
    QVERIFY(result.outcome == DeliveryResult::Outcome::Permanent);
    QVERIFY(!result.outcomeUnknown);
    for (const QString &part : messageParts)
        QVERIFY2(result.message.contains(part), qPrintable(result.message));
    QVERIFY2(!result.message.contains(QLatin1String("bad/illegal")), qPrintable(result.message));
    QCOMPARE(sink.requestsMade(), 0);
}

QTEST_GUILESS_MAIN(TestRestSink)
#include "tst_restsink.moc"
