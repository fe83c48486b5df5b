// RestSource against the sandbox over loopback: every paging style, incremental polling across restarts
// with an overlap window, and faults.
#include "core/connect/connectorregistry.h"
#include "core/connect/restsource.h"
#include "sandboxfixture.h"

#include <QJsonArray>
#include <QSet>
#include <QTcpServer>
#include <QTcpSocket>

#include <optional>

using namespace transom;
using namespace transom::testing;

class TestRestSource : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void pagingStyles_data();
    void pagingStyles();
    void incrementalPollingAcrossRestarts();
    void manyRecordsSharingOneTime_data();
    void manyRecordsSharingOneTime();
    void odataIncremental();
    void faultsAreReportedNotFatal_data();
    void faultsAreReportedNotFatal();
    void badSettingsNameTheSetting_data();
    void badSettingsNameTheSetting();
    void feedTimeReadsWhatQDateTimeReads_data();
    void feedTimeReadsWhatQDateTimeReads();
    void theNextPageIsOnItsWayWhileThisOneIsRead();
    void nextLinksKeepTheConnectionsOrigin_data();
    void nextLinksKeepTheConnectionsOrigin();
    void aByteThatIsNotUtf8CostsItsRecord();
};

namespace {

struct Pull {
    QList<QJsonObject> records;
    int pages = 0;
    int skipped = 0;
    QStringList errors;
    QStringList problems; ///< records that could not be read
};

Pull pullAll(connect::Source &source, const QJsonObject &checkpoint = {})
{
    Pull out;
    source.start(checkpoint);
    bool last = false;
    while (!last) {
        bool answered = false;
        source.next([&](const connect::SourcePage &page) {
            out.records.append(page.objects());
            out.skipped += page.skippedAsSeen;
            if (!page.error.isEmpty())
                out.errors.append(page.error);
            out.problems.append(page.problems);
            last = page.last || !page.error.isEmpty();
            answered = true;
        });
        if (!QTest::qWaitFor([&] { return answered; }, 20000))
            qFatal("a page never came");
        ++out.pages;
    }
    return out;
}

QJsonObject settings(const QString &base, const char *json)
{
    QJsonObject o = QJsonDocument::fromJson(QByteArray(json)).object();
    for (auto it = o.begin(); it != o.end(); ++it)
        if (it.value().isString())
            it.value() = it.value().toString().replace(QLatin1String("{base}"), base);
    return o;
}

} // namespace

void TestRestSource::pagingStyles_data()
{
    QTest::addColumn<QByteArray>("settingsJson");
    QTest::addColumn<QString>("auth");
    QTest::addColumn<int>("pages");
    QTest::addColumn<QString>("idField");
    QTest::newRow("cursor (portal)")
        << QByteArray(R"({"url": "{base}/portal/leads", "records_path": "leads", "paging": "cursor", "page_size": 64})")
        << "apikey" << 4 << "lead_id";
    QTest::newRow("page numbers (portal)")
        << QByteArray(R"({"url": "{base}/portal/leads", "records_path": "leads", "paging": "page", "page_size": 50})")
        << "apikey" << 5 << "lead_id";
    QTest::newRow("next link (OData)")
        << QByteArray(
               R"({"url": "{base}/odata/Property", "records_path": "value", "paging": "next_link", "page_size": 75, "page_size_param": "$top"})")
        << "oauth" << 3 << "ListingKey";
    QTest::newRow("offset (OData $skip)")
        << QByteArray(
               R"({"url": "{base}/odata/Property", "records_path": "value", "paging": "offset", "page_size": 40, "page_size_param": "$top", "offset_param": "$skip"})")
        << "oauth" << 6 << "ListingKey";
    QTest::newRow("next link in _metadata (CRM)")
        << QByteArray(
               R"({"url": "{base}/v1/people", "records_path": "people", "paging": "next_link", "next_link_path": "_metadata.nextLink", "page_size": 7})")
        << "crm" << 4 << "id";
}

void TestRestSource::pagingStyles()
{
    QFETCH(QByteArray, settingsJson);
    QFETCH(QString, auth);
    QFETCH(int, pages);
    QFETCH(QString, idField);
    SandboxFixture s;
    for (int i = 0; i < 25 && auth == QLatin1String("crm"); ++i)
        s.crm("POST", QStringLiteral("/v1/people"), {{QStringLiteral("firstName"), QStringLiteral("P%1").arg(i)}});
    auth::OAuthSettings o;
    o.tokenUrl = QUrl(s.server.baseUrl() + QStringLiteral("/oauth/token"));
    o.clientId = QStringLiteral("transom-demo");
    o.clientSecret = QStringLiteral("sandbox-client-secret");
    auth::OAuthSession session(o, s.client);
    const auth::RequestSigner signer = auth == QLatin1String("oauth") ? auth::RequestSigner::oauth(&session)
                                       : auth == QLatin1String("crm")
                                           ? auth::RequestSigner::basic(QStringLiteral("sandbox-api-key"), QString())
                                           : auth::RequestSigner::apiKey("X-Api-Key", "sandbox-api-key");
    auth::AuthorizedClient client(s.client, signer);
    auto source = connect::ConnectorRegistry::builtin().createSource(
        QStringLiteral("rest"), settings(s.server.baseUrl(), settingsJson.constData()), client);
    QVERIFY2(source.ok(), qPrintable(source.ok() ? QString() : source.error().toString()));
    const Pull pulled = pullAll(*source.value());
    QVERIFY2(pulled.errors.isEmpty(), qPrintable(pulled.errors.join(QLatin1Char('\n'))));
    QSet<QString> ids;
    for (const QJsonObject &r : pulled.records)
        ids.insert(r.value(idField).toVariant().toString());
    const int expected = auth == QLatin1String("crm") ? 25 : 200;
    QCOMPARE(ids.size(), expected);
    QCOMPARE(pulled.records.size(), expected);
    QCOMPARE(pulled.pages, pages);
    QCOMPARE(source.value()->requestsMade(), pages);
}

void TestRestSource::incrementalPollingAcrossRestarts()
{
    SandboxFixture s;
    auth::AuthorizedClient client(s.client, auth::RequestSigner::apiKey("X-Api-Key", "sandbox-api-key"));
    const QJsonObject config = settings(s.server.baseUrl(), R"({"url": "{base}/portal/leads", "records_path": "leads",
        "paging": "cursor", "page_size": 100, "watermark_field": "updated_at", "since_param": "updated_since",
        "overlap_seconds": 300, "id_field": "lead_id"})");
    QJsonObject checkpoint;
    {
        auto first = connect::ConnectorRegistry::builtin().createSource(QStringLiteral("rest"), config, client);
        const Pull pulled = pullAll(*first.value());
        QCOMPARE(pulled.records.size(), 200);
        checkpoint = first.value()->checkpoint();
        QVERIFY(!checkpoint.value(QStringLiteral("window")).toArray().isEmpty());
    }
    // A restart: a new source from the saved checkpoint. Nothing changed: one call, nothing new.
    auto second = connect::ConnectorRegistry::builtin().createSource(QStringLiteral("rest"), config, client);
    const Pull again = pullAll(*second.value(), checkpoint);
    QCOMPARE(again.records.size(), 0);
    QVERIFY(again.skipped > 0); // the overlap window came back and was recognised
    QCOMPARE(second.value()->requestsMade(), 1);
    {
        // A checkpoint written before 0.9 kept the window as an object {id: time}: still read.
        QJsonObject old = checkpoint;
        QJsonObject byId;
        const QJsonArray flat = checkpoint.value(QStringLiteral("window")).toArray();
        for (qsizetype i = 0; i + 1 < flat.size(); i += 2)
            byId.insert(flat.at(i).toString(), flat.at(i + 1));
        old.insert(QStringLiteral("window"), byId);
        auto fromOld = connect::ConnectorRegistry::builtin().createSource(QStringLiteral("rest"), config, client);
        const Pull pulled = pullAll(*fromOld.value(), old);
        QCOMPARE(pulled.records.size(), 0);
        QCOMPARE(pulled.skipped, again.skipped);
    }
    checkpoint = second.value()->checkpoint();
    // Five new leads, two of them sharing a timestamp with the watermark's neighbours.
    QCOMPARE(s.call("POST", QStringLiteral("/_admin/portal/leads"), R"({"count": 5})").status, 200);
    auto third = connect::ConnectorRegistry::builtin().createSource(QStringLiteral("rest"), config, client);
    const Pull fresh = pullAll(*third.value(), checkpoint);
    QCOMPARE(fresh.records.size(), 5);
    QCOMPARE(fresh.records.first().value(QStringLiteral("lead_id")).toString(), QStringLiteral("ZL-100200"));
}

void TestRestSource::manyRecordsSharingOneTime_data()
{
    QTest::addColumn<bool>("keyset");
    QTest::addColumn<int>("callsWithNothingNew");
    // 3,000 leads changed in the same second (a bulk import): with only an overlap, every poll reads them
    // all again (30 pages of 100, each record recognised and skipped); resuming after the last id read
    // costs one call whatever the data looks like.
    QTest::newRow("overlap window") << false << 30;
    QTest::newRow("resume after the last id") << true << 1;
}

void TestRestSource::manyRecordsSharingOneTime()
{
    QFETCH(bool, keyset);
    QFETCH(int, callsWithNothingNew);
    SandboxFixture s;
    QCOMPARE(s.call("POST", QStringLiteral("/_admin/portal/leads"), R"({"count": 3000})").status, 200);
    auth::AuthorizedClient client(s.client, auth::RequestSigner::apiKey("X-Api-Key", "sandbox-api-key"));
    QJsonObject config = settings(s.server.baseUrl(), R"({"url": "{base}/portal/leads", "records_path": "leads",
        "paging": "cursor", "page_size": 100, "watermark_field": "updated_at", "since_param": "updated_since",
        "overlap_seconds": 60, "id_field": "lead_id"})");
    if (keyset)
        config.insert(QStringLiteral("after_id_param"), QStringLiteral("after_id"));
    auto poll = [&](const QJsonObject &checkpoint, QJsonObject &next, int &calls) {
        auto source = connect::ConnectorRegistry::builtin().createSource(QStringLiteral("rest"), config, client);
        const Pull pulled = pullAll(*source.value(), checkpoint);
        next = source.value()->checkpoint();
        calls = source.value()->requestsMade();
        return pulled;
    };
    QJsonObject checkpoint;
    int calls = 0;
    const Pull first = poll({}, checkpoint, calls);
    QCOMPARE(first.records.size(), 3200);
    QVERIFY2(first.errors.isEmpty(), qPrintable(first.errors.join(QLatin1Char('\n'))));
    if (keyset) // the checkpoint is the last record read, not a window of 3,000 ids
        QCOMPARE(checkpoint.value(QStringLiteral("after_id")).toString(), QStringLiteral("ZL-103199"));
    // Nothing new: nothing delivered again, and what it costs.
    const Pull again = poll(checkpoint, checkpoint, calls);
    QCOMPARE(again.records.size(), 0);
    QCOMPARE(calls, callsWithNothingNew);
    // Three more, in that second or the next: each comes once.
    QCOMPARE(s.call("POST", QStringLiteral("/_admin/portal/leads"), R"({"count": 3})").status, 200);
    const Pull more = poll(checkpoint, checkpoint, calls);
    QCOMPARE(more.records.size(), 3);
    QCOMPARE(more.records.first().value(QStringLiteral("lead_id")).toString(), QStringLiteral("ZL-103200"));
    QCOMPARE(poll(checkpoint, checkpoint, calls).records.size(), 0);
}

void TestRestSource::odataIncremental()
{
    SandboxFixture s;
    auth::OAuthSettings o;
    o.tokenUrl = QUrl(s.server.baseUrl() + QStringLiteral("/oauth/token"));
    o.clientId = QStringLiteral("transom-demo");
    o.clientSecret = QStringLiteral("sandbox-client-secret");
    auth::OAuthSession session(o, s.client);
    auth::AuthorizedClient client(s.client, auth::RequestSigner::oauth(&session));
    connect::PresetLibrary presets = connect::PresetLibrary::load({QStringLiteral(TRANSOM_RESOURCES "/presets")});
    const connect::Preset *reso = presets.find(QStringLiteral("reso-web-api"));
    QVERIFY(reso);
    auto source = connect::ConnectorRegistry::builtin().createSource(reso->connector,
                                                                     reso->settingsFor(s.server.baseUrl()), client);
    QVERIFY(source.ok());
    QCOMPARE(pullAll(*source.value()).records.size(), 200);
    const QJsonObject checkpoint = source.value()->checkpoint();
    auto next = connect::ConnectorRegistry::builtin().createSource(reso->connector,
                                                                   reso->settingsFor(s.server.baseUrl()), client);
    const Pull none = pullAll(*next.value(), checkpoint);
    QCOMPARE(none.records.size(), 0);
    QCOMPARE(next.value()->requestsMade(), 1);
}

void TestRestSource::faultsAreReportedNotFatal_data()
{
    QTest::addColumn<QByteArray>("fault");
    QTest::addColumn<bool>("retryable");
    QTest::addColumn<QString>("words");
    QTest::newRow("503") << QByteArray(R"({"endpoint": "portal.leads", "rate_503": 1})") << true
                         << QStringLiteral("HTTP 503");
    QTest::newRow("429") << QByteArray(R"({"endpoint": "portal.leads", "rate_429": 1, "retry_after": 7})") << true
                         << QStringLiteral("HTTP 429");
    QTest::newRow("malformed JSON") << QByteArray(R"({"endpoint": "portal.leads", "rate_malformed": 1})") << true
                                    << QStringLiteral("not JSON");
}

void TestRestSource::faultsAreReportedNotFatal()
{
    QFETCH(QByteArray, fault);
    QFETCH(bool, retryable);
    QFETCH(QString, words);
    SandboxFixture s;
    QCOMPARE(s.call("POST", QStringLiteral("/_admin/faults"), fault).status, 200);
    auth::AuthorizedClient client(s.client, auth::RequestSigner::apiKey("X-Api-Key", "sandbox-api-key"));
    auto source = connect::ConnectorRegistry::builtin().createSource(
        QStringLiteral("rest"),
        settings(s.server.baseUrl(), R"({"url": "{base}/portal/leads", "records_path": "leads", "paging": "cursor"})"),
        client);
    source.value()->start({});
    connect::SourcePage got;
    bool answered = false;
    source.value()->next([&](const connect::SourcePage &p) {
        got = p;
        answered = true;
    });
    QTRY_VERIFY(answered);
    QVERIFY(got.error.contains(words));
    QCOMPARE(got.retryable, retryable);
    QVERIFY(!got.last);
    if (words.contains(QLatin1String("429")))
        QCOMPARE(got.retryAfterMs, 7000);
}

void TestRestSource::badSettingsNameTheSetting_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("setting");
    QTest::newRow("no url") << QByteArray(R"({"paging": "cursor"})") << "url";
    QTest::newRow("paging typo") << QByteArray(R"({"url": "http://x/y", "paging": "cursors"})") << "paging";
    QTest::newRow("bad path") << QByteArray(R"({"url": "http://x/y", "records_path": "a..b"})") << "records_path";
    QTest::newRow("watermark without since")
        << QByteArray(R"({"url": "http://x/y", "watermark_field": "updated_at"})") << "since_param";
    QTest::newRow("page size 0") << QByteArray(R"({"url": "http://x/y", "page_size": 0})") << "page_size";
    QTest::newRow("after id without an id field")
        << QByteArray(
               R"({"url": "http://x/y", "watermark_field": "t", "since_param": "since", "after_id_param": "after"})")
        << "after_id_param";
}

void TestRestSource::badSettingsNameTheSetting()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, setting);
    net::HttpClient http;
    auth::AuthorizedClient client(http, auth::RequestSigner::none());
    auto source = connect::ConnectorRegistry::builtin().createSource(QStringLiteral("rest"),
                                                                     QJsonDocument::fromJson(json).object(), client);
    QVERIFY(!source.ok());
    QCOMPARE(source.error().path, setting);
    QVERIFY(source.error().message.contains(QStringLiteral("setting \"%1\"").arg(setting)));
}

void TestRestSource::feedTimeReadsWhatQDateTimeReads_data()
{
    QTest::addColumn<QString>("text");
    // The shapes read without QDateTime, and their neighbours that are left to it.
    for (const char *text : {"2026-03-14T09:26:53Z",
                             "2026-03-14T09:26:53.5Z",
                             "2026-03-14T09:26:53.58Z",
                             "2026-03-14T09:26:53.589Z",
                             "2026-03-14T09:26:53.5897Z",
                             "2026-03-14T09:26:53+05:30",
                             "2026-03-14T09:26:53.120-08:00",
                             "2026-03-14T00:00:00-00:00",
                             "2024-02-29T23:59:59Z",
                             "2023-02-29T12:00:00Z",
                             "2026-04-31T12:00:00Z",
                             "2026-13-01T00:00:00Z",
                             "2026-03-14T24:00:00Z",
                             "2026-03-14T09:60:00Z",
                             "2026-03-14T09:26:60Z",
                             "2026-03-14T09:26:53",
                             "2026-03-14T09:26:53.Z",
                             "2026-03-14T09:26:53+0530",
                             "2026-03-14T09:26:53+05",
                             "2026-03-14 09:26:53Z",
                             "2026-03-14t09:26:53z",
                             "2026-03-14T09:26:53+25:00",
                             "1969-12-31T23:59:59.999Z",
                             "0001-01-01T00:00:00Z",
                             "9999-12-31T23:59:59Z",
                             "2026-3-14T09:26:53Z",
                             "2026-03-14T09:26:53ZZ",
                             "2026-03-14T09:26:53.12a",
                             "not a date",
                             ""})
        QTest::newRow(*text ? text : "empty") << QString::fromUtf8(text);
}

void TestRestSource::feedTimeReadsWhatQDateTimeReads()
{
    QFETCH(QString, text);
    const QByteArray utf8 = text.toUtf8();
    const QDateTime fast =
        connect::feedTime(mapping::Value::fromUtf8(std::string_view(utf8.constData(), size_t(utf8.size()))));
    const QDateTime qt = QDateTime::fromString(text, Qt::ISODateWithMs).toUTC();
    QCOMPARE(fast.isValid(), qt.isValid());
    if (qt.isValid()) {
        QCOMPARE(fast.toMSecsSinceEpoch(), qt.toMSecsSinceEpoch());
        QCOMPARE(fast.timeSpec(), Qt::UTC);
    }
    QCOMPARE(connect::feedTime(mapping::Value(text)), fast); // the QString form agrees
}

void TestRestSource::theNextPageIsOnItsWayWhileThisOneIsRead()
{
    SandboxFixture s;
    auth::AuthorizedClient client(s.client, auth::RequestSigner::apiKey("X-Api-Key", "sandbox-api-key"));
    auto made = connect::ConnectorRegistry::builtin().createSource(
        QStringLiteral("rest"),
        settings(s.server.baseUrl(),
                 R"({"url": "{base}/portal/leads", "records_path": "leads", "paging": "cursor", "page_size": 50})"),
        client);
    connect::Source &source = *made.value();
    auto nextPage = [&source] {
        std::optional<connect::SourcePage> got;
        source.next([&got](const connect::SourcePage &page) { got = page; });
        if (!QTest::qWaitFor([&got] { return got.has_value(); }, 20000))
            qFatal("a page never came");
        return *got;
    };
    auto served = [&s] {
        return QJsonDocument::fromJson(s.call("GET", QStringLiteral("/_admin/counters")).body)
            .object()
            .value(QLatin1String("requests.portal.leads"))
            .toInteger();
    };
    source.start({});
    const connect::SourcePage first = nextPage();
    QCOMPARE(first.records.size(), 50);
    // Page 2 was asked for before page 1 was handed over, and arrives without another next().
    QCOMPARE(source.requestsMade(), 2);
    QVERIFY(QTest::qWaitFor([&] { return served() == 2; }, 20000));
    const connect::SourcePage second = nextPage();
    QCOMPARE(second.records.size(), 50);
    QCOMPARE(QJsonDocument::fromJson(second.records.first()).object().value(QLatin1String("lead_id")).toString(),
             QStringLiteral("ZL-100050"));
    QCOMPARE(source.requestsMade(), 3);
    // A new start() while page 3 is on its way: that page is never handed over; the feed starts again.
    source.start({});
    const connect::SourcePage again = nextPage();
    QCOMPARE(again.records, first.records);
    const connect::SourcePage secondAgain = nextPage();
    QCOMPARE(secondAgain.records, second.records);
    // The last page: nothing further is asked for.
    nextPage();
    const connect::SourcePage last = nextPage();
    QVERIFY(last.last);
    QCOMPARE(source.requestsMade(), 3 + 4);
}

void TestRestSource::nextLinksKeepTheConnectionsOrigin_data()
{
    // Where the feed's @odata.nextLink points: {sandbox} is the sandbox's host:port, {trap} another
    // listener's. Only a link that keeps the scheme, host and port of the connection's URL is followed.
    QTest::addColumn<QString>("linkBase");
    QTest::addColumn<bool>("followed");
    QTest::newRow("same origin") << QStringLiteral("http://{sandbox}") << true;
    QTest::newRow("another port") << QStringLiteral("http://{trap}") << false;
    QTest::newRow("another scheme (https)") << QStringLiteral("https://{trap}") << false;
    QTest::newRow("another scheme, same host and port") << QStringLiteral("https://{sandbox}") << false;
    QTest::newRow("another host name for the same listener")
        << QStringLiteral("http://localhost:{sandboxPort}") << false;
    QTest::newRow("scheme-relative link to another port") << QStringLiteral("//{trap}") << false;
    QTest::newRow("user name slipped in") << QStringLiteral("http://evil@{sandbox}") << false;
    QTest::newRow("ftp") << QStringLiteral("ftp://{trap}") << false;
}

void TestRestSource::nextLinksKeepTheConnectionsOrigin()
{
    QFETCH(QString, linkBase);
    QFETCH(bool, followed);
    // A second listener that records every connection made to it: no request may reach it.
    QTcpServer trap;
    QVERIFY(trap.listen(QHostAddress::LocalHost));
    int trapped = 0;
    QByteArray trappedBytes;
    connect(&trap, &QTcpServer::newConnection, &trap, [&] {
        while (QTcpSocket *socket = trap.nextPendingConnection()) {
            ++trapped;
            connect(socket, &QTcpSocket::readyRead, socket, [&, socket] { trappedBytes += socket->readAll(); });
        }
    });
    SandboxFixture s;
    const QUrl sandboxUrl(s.server.baseUrl());
    linkBase.replace(QLatin1String("{sandbox}"), QStringLiteral("127.0.0.1:%1").arg(sandboxUrl.port()))
        .replace(QLatin1String("{trap}"), QStringLiteral("127.0.0.1:%1").arg(trap.serverPort()))
        .replace(QLatin1String("{sandboxPort}"), QString::number(sandboxUrl.port()));
    QCOMPARE(s.call("POST", QStringLiteral("/_admin/odata"),
                    QJsonDocument(QJsonObject{{QStringLiteral("next_link_base"), linkBase}}).toJson())
                 .status,
             200);
    auth::OAuthSettings o;
    o.tokenUrl = QUrl(s.server.baseUrl() + QStringLiteral("/oauth/token"));
    o.clientId = QStringLiteral("transom-demo");
    o.clientSecret = QStringLiteral("sandbox-client-secret");
    auth::OAuthSession session(o, s.client);
    auth::AuthorizedClient client(s.client, auth::RequestSigner::oauth(&session));
    auto source = connect::ConnectorRegistry::builtin().createSource(
        QStringLiteral("rest"),
        settings(
            s.server.baseUrl(),
            R"({"url": "{base}/odata/Property", "records_path": "value", "paging": "next_link", "page_size": 75, "page_size_param": "$top"})"),
        client);
    QVERIFY(source.ok());
    const Pull pulled = pullAll(*source.value());
    QTest::qWait(200); // time for a stray connection to show up at the trap
    QCOMPARE(trapped, 0);
    QVERIFY(trappedBytes.isEmpty());
    if (followed) {
        QVERIFY2(pulled.errors.isEmpty(), qPrintable(pulled.errors.join(QLatin1Char('\n'))));
        QCOMPARE(pulled.records.size(), 200);
        return;
    }
    // The first page's records are delivered; the run stops at the link, which the error names.
    QCOMPARE(pulled.records.size(), 75);
    QCOMPARE(pulled.errors.size(), 1);
    const QString error = pulled.errors.first();
    QVERIFY2(error.contains(QStringLiteral("next link \"%1/odata/Property?").arg(linkBase)), qPrintable(error));
    QVERIFY2(error.contains(QStringLiteral("leads away from http://127.0.0.1:%1").arg(sandboxUrl.port())),
             qPrintable(error));
    QVERIFY2(error.contains(QStringLiteral("not followed")), qPrintable(error));
    QCOMPARE(source.value()->requestsMade(), 1); // the refused page was never asked for
    const QJsonObject counters = SandboxFixture::json(s.call("GET", QStringLiteral("/_admin/counters")));
    QCOMPARE(counters.value(QLatin1String("requests.odata.property")).toInteger(), 1);
}

void TestRestSource::aByteThatIsNotUtf8CostsItsRecord()
{
    // Every page of the portal comes with a byte that is not UTF-8 in its first lead.
    SandboxFixture s;
    QCOMPARE(
        s.call("POST", QStringLiteral("/_admin/faults"), R"({"endpoint": "portal.leads", "rate_bad_utf8": 1})").status,
        200);
    auth::AuthorizedClient client(s.client, auth::RequestSigner::apiKey("X-Api-Key", "sandbox-api-key"));
    auto source = connect::ConnectorRegistry::builtin().createSource(
        QStringLiteral("rest"),
        settings(s.server.baseUrl(),
                 R"({"url": "{base}/portal/leads", "records_path": "leads", "paging": "cursor", "page_size": 64})"),
        client);
    const Pull pulled = pullAll(*source.value());
    QVERIFY2(pulled.errors.isEmpty(), qPrintable(pulled.errors.join(QLatin1Char('\n'))));
    QCOMPARE(pulled.pages, 4);
    QCOMPARE(pulled.records.size(), 200 - 4); // one lead per page, and only that one
    QCOMPARE(pulled.problems.size(), 4);
    for (const QString &problem : pulled.problems) {
        QVERIFY2(problem.startsWith(s.server.baseUrl() + QStringLiteral("/portal/leads: record 1 of the page: not "
                                                                        "valid UTF-8 at byte offset ")),
                 qPrintable(problem));
        QVERIFY2(!problem.contains(QStringLiteral("cursor")), qPrintable(problem)); // no query in it
    }
    QSet<QString> ids;
    for (const QJsonObject &r : pulled.records) {
        ids.insert(r.value(QStringLiteral("lead_id")).toString());
        for (auto it = r.begin(); it != r.end(); ++it) // nothing was decoded into U+FFFD
            QVERIFY(!it.value().toString().contains(QChar(0xFFFD)));
    }
    QCOMPARE(ids.size(), 196);
    QVERIFY(!ids.contains(QStringLiteral("ZL-100000"))); // the first lead of the first page
    QVERIFY(ids.contains(QStringLiteral("ZL-100001")));
}

QTEST_GUILESS_MAIN(TestRestSource)
#include "tst_restsource.moc"
