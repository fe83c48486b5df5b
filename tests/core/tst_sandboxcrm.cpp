// The sandbox CRM over loopback: create, validate, find, update, batch, events dedupe, UUID leads,
// duplicates, rate limits, and injected faults as counted on the wire.
#include "sandboxfixture.h"

#include <QJsonArray>

using namespace transom;
using namespace transom::testing;

class TestSandboxCrm : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void validation_data();
    void validation();
    void authIsRequired();
    void eventsDedupeByEmailAndPhone();
    void uuidLeadsAreIdempotent();
    void duplicatesAreCountedOrRejected();
    void batchReportsEachItem();
    void pagingWalksEveryone();
    void rateLimitAnnouncesAndEnforces();
    void faultsAreCounted();
    void noLookupEndpoint();
    void injected429sSayBudgetLeft_data();
    void injected429sSayBudgetLeft();
    void lostAcknowledgementStoresTheRecord();
};

namespace {
QJsonObject person(const char *first, const char *email, const char *phone = "+15125550142")
{
    return {{QStringLiteral("firstName"), QString::fromUtf8(first)},
            {QStringLiteral("emails"), QJsonArray{QJsonObject{{QStringLiteral("value"), QString::fromUtf8(email)}}}},
            {QStringLiteral("phones"), QJsonArray{QJsonObject{{QStringLiteral("value"), QString::fromUtf8(phone)}}}}};
}
} // namespace

void TestSandboxCrm::validation_data()
{
    QTest::addColumn<QJsonObject>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("field");
    QTest::newRow("valid") << person("Maria", "m@x.com") << 201 << QString();
    QJsonObject noName = person("", "m@x.com");
    QTest::newRow("no name") << noName << 422 << QStringLiteral("firstName");
    QJsonObject badStage = person("Maria", "m@x.com");
    badStage.insert(QStringLiteral("stage"), QStringLiteral("Hot Potato"));
    QTest::newRow("unknown stage") << badStage << 422 << QStringLiteral("stage");
    QTest::newRow("phone not E.164") << person("Maria", "m@x.com", "(512) 555-0142") << 422
                                     << QStringLiteral("phones[0].value");
    QTest::newRow("bad email") << person("Maria", "not-an-email") << 422 << QStringLiteral("emails[0].value");
    QJsonObject cents = person("Maria", "m@x.com");
    cents.insert(QStringLiteral("customBudgetCents"), 12.5);
    QTest::newRow("fractional cents") << cents << 422 << QStringLiteral("customBudgetCents");
}

void TestSandboxCrm::validation()
{
    QFETCH(QJsonObject, body);
    QFETCH(int, status);
    QFETCH(QString, field);
    SandboxFixture s;
    const net::HttpResponse r = s.crm("POST", QStringLiteral("/v1/people"), body);
    QCOMPARE(r.status, status);
    if (!field.isEmpty()) {
        const QJsonArray errors = SandboxFixture::json(r).value(QStringLiteral("errors")).toArray();
        QVERIFY(!errors.isEmpty());
        QCOMPARE(errors.first().toObject().value(QStringLiteral("field")).toString(), field);
        QVERIFY(!errors.first().toObject().value(QStringLiteral("message")).toString().isEmpty());
        QVERIFY(s.server.crm().people().isEmpty());
    }
}

void TestSandboxCrm::authIsRequired()
{
    SandboxFixture s;
    QCOMPARE(s.call("GET", QStringLiteral("/v1/people")).status, 401);
    QCOMPARE(
        s.call("GET", QStringLiteral("/v1/people"), {}, {{"Authorization", "Basic " + QByteArray("wrong:").toBase64()}})
            .status,
        401);
    QCOMPARE(s.call("GET", QStringLiteral("/v1/people"), {}, {{"Authorization", "Bearer made-up"}}).status, 401);
    QCOMPARE(s.call("GET", QStringLiteral("/v1/people"), {}, {{"X-Api-Key", "sandbox-api-key"}}).status, 200);
}

void TestSandboxCrm::eventsDedupeByEmailAndPhone()
{
    SandboxFixture s;
    auto event = [&](const QJsonObject &p) {
        return s.crm("POST", QStringLiteral("/v1/events"),
                     {{QStringLiteral("source"), QStringLiteral("Zillow")},
                      {QStringLiteral("type"), QStringLiteral("Property Inquiry")},
                      {QStringLiteral("person"), p}});
    };
    QCOMPARE(event(person("Maria", "maria@x.com", "+15125550142")).status, 201);
    const net::HttpResponse sameEmail = event(person("Maria", "MARIA@x.com", "+15125550100"));
    QCOMPARE(sameEmail.status, 200);
    QVERIFY(SandboxFixture::json(sameEmail).value(QStringLiteral("deduped")).toBool());
    QCOMPARE(event(person("M", "other@x.com", "+15125550142")).status, 200); // same phone
    QCOMPARE(event(person("Liam", "liam@x.com", "+15125550134")).status, 201);
    QCOMPARE(s.server.crm().people().size(), 2);
    QCOMPARE(s.server.counters().value(QStringLiteral("crm.events.deduped")), 2);
}

void TestSandboxCrm::uuidLeadsAreIdempotent()
{
    SandboxFixture s;
    const QString path = QStringLiteral("/v2/leads/3f2c9a4e-1b7d-4c55-9a61-0d5e8b2f7a10");
    QCOMPARE(s.crm("PUT", path, person("Maria", "m@x.com")).status, 201);
    QCOMPARE(s.crm("PUT", path, person("Maria", "m@x.com")).status, 200);
    QCOMPARE(s.crm("PUT", path, person("María", "m@x.com")).status, 200);
    QCOMPARE(s.server.crm().people().size(), 1);
    QCOMPARE(s.server.crm().people().first().value(QStringLiteral("firstName")).toString(), QStringLiteral("María"));
}

void TestSandboxCrm::duplicatesAreCountedOrRejected()
{
    SandboxFixture s;
    QJsonObject p = person("Maria", "m@x.com");
    p.insert(QStringLiteral("externalId"), QStringLiteral("ZL-1"));
    QCOMPARE(s.crm("POST", QStringLiteral("/v1/people"), p).status, 201);
    QCOMPARE(s.crm("POST", QStringLiteral("/v1/people"), p).status, 201); // this CRM keeps a blind re-send
    QCOMPARE(s.server.crm().duplicatesStored(), 1);
    QCOMPARE(s.call("POST", QStringLiteral("/_admin/crm"), R"({"reject_duplicates": true})").status, 200);
    const net::HttpResponse conflict = s.crm("POST", QStringLiteral("/v1/people"), p);
    QCOMPARE(conflict.status, 409);
    QCOMPARE(SandboxFixture::json(conflict).value(QStringLiteral("id")).toInt(), 5000);
    QCOMPARE(SandboxFixture::json(conflict).value(QStringLiteral("existingId")).toInt(), 5000);
    const QString message = SandboxFixture::json(conflict).value(QStringLiteral("errorMessage")).toString();
    QVERIFY2(message.contains(QLatin1String("5000")) && message.contains(QLatin1String("ZL-1")), qPrintable(message));
    QCOMPARE(s.server.counters().value(QStringLiteral("crm.duplicates.rejected")), 1);
}

void TestSandboxCrm::batchReportsEachItem()
{
    SandboxFixture s;
    const QJsonArray items{person("A", "a@x.com"), person("", "b@x.com"), person("C", "c@x.com")};
    const net::HttpResponse r = s.crm("POST", QStringLiteral("/v1/people/batch"), {{QStringLiteral("people"), items}});
    QCOMPARE(r.status, 200);
    const QJsonArray results = SandboxFixture::json(r).value(QStringLiteral("results")).toArray();
    QCOMPARE(results.size(), 3);
    QCOMPARE(results.at(0).toObject().value(QStringLiteral("status")).toInt(), 201);
    QCOMPARE(results.at(1).toObject().value(QStringLiteral("status")).toInt(), 422);
    QCOMPARE(results.at(2).toObject().value(QStringLiteral("status")).toInt(), 201);
    QCOMPARE(s.server.crm().people().size(), 2);
}

void TestSandboxCrm::pagingWalksEveryone()
{
    SandboxFixture s;
    for (int i = 0; i < 23; ++i)
        QCOMPARE(s.crm("POST", QStringLiteral("/v1/people"), person("P", "p@x.com")).status, 201);
    QString path = QStringLiteral("/v1/people?limit=10");
    QSet<int> ids;
    int pages = 0;
    while (!path.isEmpty()) {
        const QJsonObject page = SandboxFixture::json(s.crm("GET", path));
        for (const QJsonValue &p : page.value(QStringLiteral("people")).toArray())
            ids.insert(p.toObject().value(QStringLiteral("id")).toInt());
        const QString next =
            page.value(QStringLiteral("_metadata")).toObject().value(QStringLiteral("nextLink")).toString();
        path = next.isEmpty() ? QString() : QUrl(next).path() + QLatin1Char('?') + QUrl(next).query();
        ++pages;
    }
    QCOMPARE(pages, 3);
    QCOMPARE(ids.size(), 23);
}

void TestSandboxCrm::rateLimitAnnouncesAndEnforces()
{
    sandbox::SandboxConfig config;
    config.crmRateLimit = 5;
    config.crmRateWindowSeconds = 3600; // one window for the whole test
    SandboxFixture s(config);
    for (int i = 0; i < 5; ++i) {
        const net::HttpResponse r = s.crm("GET", QStringLiteral("/v1/people"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("X-RateLimit-Limit"), QByteArray("5"));
        QCOMPARE(r.header("X-RateLimit-Remaining").toInt(), 4 - i);
        QCOMPARE(r.header("X-RateLimit-Window"), QByteArray("3600"));
    }
    const net::HttpResponse limited = s.crm("GET", QStringLiteral("/v1/people"));
    QCOMPARE(limited.status, 429);
    QVERIFY(limited.header("Retry-After").toInt() > 0);
    QCOMPARE(s.server.counters().value(QStringLiteral("crm.rate_limited")), 1);
}

void TestSandboxCrm::faultsAreCounted()
{
    SandboxFixture s;
    QCOMPARE(
        s.call(
             "POST", QStringLiteral("/_admin/faults"),
             R"({"endpoint": "crm.people.find", "rate_503": 0.3, "rate_429": 0.2, "retry_after": 2, "rate_malformed": 0.1})")
            .status,
        200);
    int ok = 0, unavailable = 0, tooMany = 0, malformed = 0;
    for (int i = 0; i < 200; ++i) {
        const net::HttpResponse r = s.crm("GET", QStringLiteral("/v1/people"));
        if (r.status == 503)
            ++unavailable;
        else if (r.status == 429) {
            ++tooMany;
            QCOMPARE(r.header("Retry-After"), QByteArray("2"));
        } else if (r.status == 200 && QJsonDocument::fromJson(r.body).isNull())
            ++malformed;
        else if (r.status == 200)
            ++ok;
    }
    QCOMPARE(ok + unavailable + tooMany + malformed, 200);
    QCOMPARE(unavailable, int(s.server.counters().value(QStringLiteral("faults.503"))));
    QCOMPARE(tooMany, int(s.server.counters().value(QStringLiteral("faults.429"))));
    QCOMPARE(malformed, int(s.server.counters().value(QStringLiteral("faults.malformed"))));
    QVERIFY(unavailable > 30 && unavailable < 90); // ~60 expected
    QVERIFY(tooMany > 15 && tooMany < 70);         // ~40 expected
    QCOMPARE(s.server.counters().value(QStringLiteral("requests.crm.people.find.503")), unavailable);
}

void TestSandboxCrm::noLookupEndpoint()
{
    SandboxFixture s;
    QJsonObject p = person("Maria", "m@x.com");
    p.insert(QStringLiteral("externalId"), QStringLiteral("ZL-1"));
    QCOMPARE(s.crm("POST", QStringLiteral("/v1/people"), p).status, 201);
    const QString lookup = QStringLiteral("/v1/people?externalId=ZL-1");
    const net::HttpResponse found = s.crm("GET", lookup);
    QCOMPARE(found.status, 200);
    QCOMPARE(SandboxFixture::json(found).value(QStringLiteral("people")).toArray().size(), 1);
    QCOMPARE(s.call("POST", QStringLiteral("/_admin/crm"), R"({"no_lookup": true})").status, 200);
    QCOMPARE(s.crm("GET", lookup).status, 404);
    QCOMPARE(s.crm("GET", QStringLiteral("/v1/people?externalId=")).status, 404);
    QCOMPARE(s.crm("GET", QStringLiteral("/v1/people")).status, 200); // listing still works
    QCOMPARE(s.crm("GET", QStringLiteral("/v1/people/5000")).status, 200);
    QCOMPARE(s.server.counters().value(QStringLiteral("crm.lookup.unsupported")), 2);
    QCOMPARE(s.call("POST", QStringLiteral("/_admin/crm"), R"({"no_lookup": false})").status, 200);
    QCOMPARE(s.crm("GET", lookup).status, 200);
}

void TestSandboxCrm::injected429sSayBudgetLeft_data()
{
    QTest::addColumn<int>("rateLimit");
    QTest::addColumn<QByteArray>("plan");
    QTest::addColumn<QByteArray>("limit");     // X-RateLimit-Limit expected; empty: none
    QTest::addColumn<QByteArray>("remaining"); // X-RateLimit-Remaining expected; empty: none
    QTest::newRow("no CRM budget: a large budget with calls left")
        << 0 << QByteArray(R"({"endpoint": "crm.people.find", "rate_429": 1})") << QByteArray("100000")
        << QByteArray("99999");
    QTest::newRow("a CRM budget: the real one, calls left")
        << 100 << QByteArray(R"({"endpoint": "crm.people.find", "rate_429": 1})") << QByteArray("100")
        << QByteArray("100");
    QTest::newRow("rate_429_budget_left false: a bare 429")
        << 0 << QByteArray(R"({"endpoint": "crm.people.find", "rate_429": 1, "rate_429_budget_left": false})")
        << QByteArray() << QByteArray();
}

void TestSandboxCrm::injected429sSayBudgetLeft()
{
    QFETCH(int, rateLimit);
    QFETCH(QByteArray, plan);
    QFETCH(QByteArray, limit);
    QFETCH(QByteArray, remaining);
    sandbox::SandboxConfig config;
    config.crmRateLimit = rateLimit;
    config.crmRateWindowSeconds = 3600;
    SandboxFixture s(config);
    QCOMPARE(s.call("POST", QStringLiteral("/_admin/faults"), plan).status, 200);
    for (int i = 0; i < 3; ++i) {
        const net::HttpResponse r = s.crm("GET", QStringLiteral("/v1/people"));
        QCOMPARE(r.status, 429);
        QCOMPARE(r.header("Retry-After"), QByteArray("1"));
        QCOMPARE(r.header("X-RateLimit-Limit"), limit);
        QCOMPARE(r.header("X-RateLimit-Remaining"), remaining); // injected 429s spend no budget
    }
    QCOMPARE(s.server.counters().value(QStringLiteral("faults.429")), 3);
    QCOMPARE(s.server.counters().value(QStringLiteral("crm.rate_limited")), 0);
}

void TestSandboxCrm::lostAcknowledgementStoresTheRecord()
{
    SandboxFixture s;
    sandbox::FaultPlan plan;
    plan.lostAck = 1.0;
    s.server.setFaults(QStringLiteral("crm.people.create"), plan);
    int failed = 0;
    for (int i = 0; i < 10; ++i) {
        const net::HttpResponse r = s.crm("POST", QStringLiteral("/v1/people"), person("Maria", "m@x.com"));
        QVERIFY(!r.ok()); // a 503 or a dropped connection: the client cannot tell it was stored
        ++failed;
    }
    QCOMPARE(failed, 10);
    QCOMPARE(s.server.crm().people().size(), 10);
    QCOMPARE(s.server.counters().value(QStringLiteral("faults.lost_ack")), 10);
}

QTEST_GUILESS_MAIN(TestSandboxCrm)
#include "tst_sandboxcrm.moc"
