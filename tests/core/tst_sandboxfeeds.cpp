// The sandbox's listing feed (RESO Web API / OData) and lead portal over loopback.
#include "sandboxfixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QUrlQuery>

using namespace transom;
using namespace transom::testing;

class TestSandboxFeeds : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void odataPagesWithNextLink_data();
    void odataPagesWithNextLink();
    void odataFilters_data();
    void odataFilters();
    void odataQuotas();
    void portalCursorPaging();
    void portalSchemaSwitch();
    void portalPagesAreWhatQJsonDocumentWrites();
};

namespace {

QString pathOf(const QString &link)
{
    const QUrl url(link);
    return url.path() + QLatin1Char('?') + url.query(QUrl::FullyEncoded);
}

} // namespace

void TestSandboxFeeds::odataPagesWithNextLink_data()
{
    QTest::addColumn<int>("top");
    QTest::addColumn<int>("maxTop");
    QTest::addColumn<int>("pages");
    QTest::newRow("50 a page") << 50 << 1000 << 4;
    QTest::newRow("all at once") << 1000 << 1000 << 1;
    QTest::newRow("capped by the server") << 200 << 30 << 7;
}

void TestSandboxFeeds::odataPagesWithNextLink()
{
    QFETCH(int, top);
    QFETCH(int, maxTop);
    QFETCH(int, pages);
    sandbox::SandboxConfig config;
    config.odataMaxTop = maxTop;
    SandboxFixture s(config);
    const QByteArray bearer = "Bearer " + s.clientCredentialsToken().toLatin1();
    QString path = QStringLiteral("/odata/Property?$top=%1").arg(top);
    QSet<QString> keys;
    int seen = 0;
    while (!path.isEmpty()) {
        const net::HttpResponse r = s.call("GET", path, {}, {{"Authorization", bearer}});
        QCOMPARE(r.status, 200);
        const QJsonObject page = SandboxFixture::json(r);
        const QJsonArray value = page.value(QStringLiteral("value")).toArray();
        QVERIFY(value.size() <= std::min(top, maxTop));
        for (const QJsonValue &v : value)
            keys.insert(v.toObject().value(QStringLiteral("ListingKey")).toString());
        const QString next = page.value(QStringLiteral("@odata.nextLink")).toString();
        path = next.isEmpty() ? QString() : pathOf(next);
        ++seen;
    }
    QCOMPARE(seen, pages);
    QCOMPARE(keys.size(), 200);
}

void TestSandboxFeeds::odataFilters_data()
{
    QTest::addColumn<QString>("filter");
    QTest::addColumn<int>("status");
    QTest::newRow("gt") << QStringLiteral("ModificationTimestamp gt %1") << 200;
    QTest::newRow("ge") << QStringLiteral("ModificationTimestamp ge %1") << 200;
    QTest::newRow("window") << QStringLiteral(
                                   "ModificationTimestamp gt %1 and ModificationTimestamp le 2030-01-01T00:00:00Z")
                            << 200;
    QTest::newRow("unsupported") << QStringLiteral("ListPrice gt 5") << 400;
    QTest::newRow("bad timestamp") << QStringLiteral("ModificationTimestamp gt yesterday") << 400;
}

void TestSandboxFeeds::odataFilters()
{
    QFETCH(QString, filter);
    QFETCH(int, status);
    SandboxFixture s;
    const QJsonObject pivot = s.server.listings().properties.at(100);
    const QString at = pivot.value(QStringLiteral("ModificationTimestamp")).toString();
    const QByteArray bearer = "Bearer " + s.clientCredentialsToken().toLatin1();
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("$filter"), QString::fromLatin1(QUrl::toPercentEncoding(
                                                  filter.contains(QLatin1String("%1")) ? filter.arg(at) : filter)));
    q.addQueryItem(QStringLiteral("$top"), QStringLiteral("1000"));
    const net::HttpResponse r = s.call("GET", QStringLiteral("/odata/Property?") + q.toString(QUrl::FullyEncoded), {},
                                       {{"Authorization", bearer}});
    QCOMPARE(r.status, status);
    if (status != 200)
        return;
    int expected = 0;
    for (const QJsonObject &p : s.server.listings().properties) {
        const QString ts = p.value(QStringLiteral("ModificationTimestamp")).toString();
        expected += filter.contains(QLatin1String(" ge ")) ? ts >= at : ts > at;
    }
    QCOMPARE(SandboxFixture::json(r).value(QStringLiteral("value")).toArray().size(), expected);
    QVERIFY(expected <= 100 && expected > 50);
}

void TestSandboxFeeds::odataQuotas()
{
    sandbox::SandboxConfig config;
    config.odataMinuteQuota = 3;
    config.odataHourQuota = 100;
    SandboxFixture s(config);
    const QByteArray bearer = "Bearer " + s.clientCredentialsToken().toLatin1();
    QCOMPARE(s.call("GET", QStringLiteral("/odata/Member"), {}, {}).status, 401);
    for (int i = 0; i < 3; ++i) {
        const net::HttpResponse r = s.call("GET", QStringLiteral("/odata/Member"), {}, {{"Authorization", bearer}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("Minute-Quota-Limit"), QByteArray("3"));
        QCOMPARE(r.header("Hour-Quota-Limit"), QByteArray("100"));
        QVERIFY(r.header("Hour-Quota-ResetTime").endsWith("Z"));
    }
    const net::HttpResponse limited = s.call("GET", QStringLiteral("/odata/Member"), {}, {{"Authorization", bearer}});
    QCOMPARE(limited.status, 429);
    QVERIFY(limited.header("Retry-After").toInt() >= 1);
    QCOMPARE(limited.header("Minute-Quota-Available"), QByteArray("0"));
    QCOMPARE(s.call("POST", QStringLiteral("/_admin/clock"), R"({"advance_seconds": 61})").status, 200);
    QCOMPARE(s.call("GET", QStringLiteral("/odata/Member"), {}, {{"Authorization", bearer}}).status, 200);
}

void TestSandboxFeeds::portalCursorPaging()
{
    SandboxFixture s;
    const net::HeaderList key = {{"X-Api-Key", "sandbox-api-key"}};
    QCOMPARE(s.call("GET", QStringLiteral("/portal/leads")).status, 401);
    QString cursor;
    QSet<QString> ids;
    int pages = 0;
    do {
        const net::HttpResponse r = s.call("GET",
                                           QStringLiteral("/portal/leads?limit=64") +
                                               (cursor.isEmpty() ? QString() : QStringLiteral("&cursor=") + cursor),
                                           {}, key);
        QCOMPARE(r.status, 200);
        const QJsonObject page = SandboxFixture::json(r);
        for (const QJsonValue &lead : page.value(QStringLiteral("leads")).toArray())
            ids.insert(lead.toObject().value(QStringLiteral("lead_id")).toString());
        cursor = page.value(QStringLiteral("next_cursor")).toString();
        ++pages;
    } while (!cursor.isEmpty());
    QCOMPARE(pages, 4);
    QCOMPARE(ids.size(), 200);
    // updated_since is inclusive: leads sharing the pivot's timestamp come back too.
    const QString since = s.server.portal().leads().at(150).value(QStringLiteral("updated_at")).toString();
    const net::HttpResponse newer = s.call("GET",
                                           QStringLiteral("/portal/leads?limit=100&updated_since=") +
                                               QString::fromLatin1(QUrl::toPercentEncoding(since)),
                                           {}, key);
    int expected = 0;
    for (const QJsonObject &lead : s.server.portal().leads())
        expected += lead.value(QStringLiteral("updated_at")).toString() >= since;
    QCOMPARE(SandboxFixture::json(newer).value(QStringLiteral("leads")).toArray().size(), expected);
    QCOMPARE(s.call("GET", QStringLiteral("/portal/leads?updated_since=tuesday"), {}, key).status, 400);
    QCOMPARE(s.call("GET", QStringLiteral("/portal/leads/ZL-100007"), {}, key).status, 200);
    QCOMPARE(s.call("GET", QStringLiteral("/portal/leads/ZL-999"), {}, key).status, 404);
}

void TestSandboxFeeds::portalSchemaSwitch()
{
    SandboxFixture s;
    const net::HeaderList key = {{"X-Api-Key", "sandbox-api-key"}};
    QJsonObject v1 = SandboxFixture::json(s.call("GET", QStringLiteral("/portal/leads/ZL-100001"), {}, key));
    QVERIFY(v1.contains(QStringLiteral("phone")));
    QCOMPARE(s.call("POST", QStringLiteral("/_admin/portal"), R"({"schema_version": 2})").status, 200);
    QJsonObject v2 = SandboxFixture::json(s.call("GET", QStringLiteral("/portal/leads/ZL-100001"), {}, key));
    QVERIFY(!v2.contains(QStringLiteral("phone")));
    QCOMPARE(v2.value(QStringLiteral("phone_number")), v1.value(QStringLiteral("phone")));
    QVERIFY(v2.value(QStringLiteral("consent")).isObject());
}

// The portal writes its pages from each lead's JSON written once: the bytes are exactly those of the
// page built as a QJsonObject, after a schema switch and after new leads arrive too.
void TestSandboxFeeds::portalPagesAreWhatQJsonDocumentWrites()
{
    SandboxFixture s;
    const net::HeaderList key = {{"X-Api-Key", "sandbox-api-key"}};
    const auto &portal = s.server.portal();
    auto expectedPage = [&](qsizetype from, qsizetype count, const QJsonValue &cursor) {
        QJsonArray leads;
        for (qsizetype i = from; i < from + count; ++i)
            leads.append(portal.present(portal.leads().at(i)));
        return QJsonDocument(QJsonObject{{QStringLiteral("leads"), leads}, {QStringLiteral("next_cursor"), cursor}})
            .toJson(QJsonDocument::Compact);
    };
    auto cursorAfter = [](qsizetype n) {
        return QJsonValue(QString::fromLatin1(QByteArray::number(n).toBase64(QByteArray::Base64UrlEncoding)));
    };
    QCOMPARE(s.call("GET", QStringLiteral("/portal/leads?limit=30"), {}, key).body,
             expectedPage(0, 30, cursorAfter(30)));
    // A forged negative cursor ("-1") reads from the start.
    QCOMPARE(s.call("GET", QStringLiteral("/portal/leads?limit=30&cursor=LTE"), {}, key).body,
             expectedPage(0, 30, cursorAfter(30)));
    QCOMPARE(s.call("POST", QStringLiteral("/_admin/portal"), R"({"schema_version": 2})").status, 200);
    QCOMPARE(s.call("GET", QStringLiteral("/portal/leads?limit=30"), {}, key).body,
             expectedPage(0, 30, cursorAfter(30)));
    const qsizetype before = portal.leads().size();
    QCOMPARE(s.call("POST", QStringLiteral("/_admin/portal/leads"), R"({"count": 3})").status, 200);
    QCOMPARE(portal.leads().size(), before + 3);
    const qsizetype last = before + 3 - 10;
    const net::HttpResponse tail =
        s.call("GET", QStringLiteral("/portal/leads?limit=10&cursor=") + cursorAfter(last).toString(), {}, key);
    QCOMPARE(tail.body, expectedPage(last, 10, QJsonValue(QJsonValue::Null)));
    QCOMPARE(SandboxFixture::json(tail)
                 .value(QStringLiteral("leads"))
                 .toArray()
                 .last()
                 .toObject()
                 .value(QStringLiteral("lead_id")),
             portal.leads().last().value(QStringLiteral("lead_id")));
}

QTEST_GUILESS_MAIN(TestSandboxFeeds)
#include "tst_sandboxfeeds.moc"
