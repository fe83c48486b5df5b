// The webhook receiver over loopback HTTP: a resend of an event (as captured, or signed again by the
// vendor) is a 200 that stores nothing; a captured delivery replayed under a new id, with a fresh
// timestamp or after the tolerance is refused; each scheme's event id and signed time are what the inbox
// keeps; a job that cannot run is answered 503 with Retry-After and nothing is stored.
#include "core/net/httpclient.h"
#include "core/store/syncstore.h"
#include "core/sync/webhookreceiver.h"
#include "sandbox/webhooksender.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace transom;

Q_DECLARE_METATYPE(transom::sync::WebhookScheme)

class TestWebhookReceiver : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void replaysAreRefusedResendsAreNoOps_data();
    void replaysAreRefusedResendsAreNoOps();
    void inboxKeepsEventIdAndSignedTime_data();
    void inboxKeepsEventIdAndSignedTime();
    void jobThatCannotRunIsAnswered503();

private:
    QString newStore() { return m_dir.filePath(QStringLiteral("inbox-%1.db").arg(++m_stores)); }
    QTemporaryDir m_dir;
    int m_stores = 0;
};

namespace {

const QByteArray kSecret = "whsec_cmVjZWl2ZXItdGVzdC1zZWNyZXQtMDAx";

using Headers = net::HeaderList;

struct Fixture {
    QString storePath;
    sync::WebhookReceiver receiver;
    quint16 port = 0;

    Fixture(const QString &path, sync::WebhookScheme scheme, const QByteArray &secret) : storePath(path), receiver(path)
    {
        sync::WebhookEndpoint e;
        e.path = QStringLiteral("/hooks/portal");
        e.job = QStringLiteral("leads");
        e.scheme = scheme;
        e.secret = secret;
        if (!receiver.addEndpoint(e).ok())
            qFatal("the endpoint was refused");
        port = receiver.start();
    }

    net::HttpResponse post(const Headers &headers, const QByteArray &body) const
    {
        net::HttpClient http;
        net::HttpRequest r;
        r.method = "POST";
        r.url = QUrl(QStringLiteral("http://127.0.0.1:%1/hooks/portal").arg(port));
        r.headers = headers;
        r.body = body;
        return http.sendAndWait(r);
    }

    QList<store::InboxEvent> inbox() const
    {
        auto store = store::openStorage(storePath);
        if (!store)
            qFatal("%s", qPrintable(store.error().toString()));
        return store.value()->inboxPending(QStringLiteral("leads"), 100).value();
    }
};

Headers signedHeaders(const QString &scheme, const QByteArray &secret, const QByteArray &body, const QByteArray &id,
                      qint64 at)
{
    return sandbox::WebhookSender::signatureHeaders(scheme, secret, body, id, at);
}

Headers with(Headers headers, const QByteArray &name, const QByteArray &value)
{
    for (auto &[key, v] : headers)
        if (key == name)
            v = value;
    return headers;
}

QByteArray lead(const char *id, const char *status)
{
    return QJsonDocument(QJsonObject{{QStringLiteral("id"), QString::fromLatin1(id)},
                                     {QStringLiteral("lead"),
                                      QJsonObject{{QStringLiteral("lead_id"), QStringLiteral("ZL-1")},
                                                  {QStringLiteral("status"), QString::fromLatin1(status)}}}})
        .toJson(QJsonDocument::Compact);
}

} // namespace

void TestWebhookReceiver::replaysAreRefusedResendsAreNoOps_data()
{
    // First, the vendor delivers evt-1 (Standard Webhooks, signed 200 s ago). Then this row's delivery.
    QTest::addColumn<QString>("kind");
    QTest::addColumn<int>("status");
    QTest::addColumn<bool>("stored");
    QTest::newRow("the same request again") << QStringLiteral("resend") << 200 << false;
    QTest::newRow("the vendor's retry, signed again") << QStringLiteral("retry") << 200 << false;
    QTest::newRow("captured, replayed under a new id") << QStringLiteral("new id") << 401 << false;
    QTest::newRow("captured, replayed with a fresh timestamp") << QStringLiteral("fresh time") << 401 << false;
    QTest::newRow("an older version signed 400 s ago") << QStringLiteral("stale") << 401 << false;
    QTest::newRow("an older version under a new id and old time")
        << QStringLiteral("new id, resigned old time") << 401 << false;
    QTest::newRow("a new event") << QStringLiteral("new event") << 200 << true;
}

void TestWebhookReceiver::replaysAreRefusedResendsAreNoOps()
{
    QFETCH(QString, kind);
    QFETCH(int, status);
    QFETCH(bool, stored);
    Fixture f(newStore(), sync::WebhookScheme::StandardWebhooks, kSecret);
    QVERIFY(f.port != 0);
    const QString sw = QStringLiteral("standard-webhooks");
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const QByteArray body = lead("evt-1", "Hot Prospect");
    const Headers first = signedHeaders(sw, kSecret, body, "evt-1", now - 200);
    QSignalSpy storedEvents(&f.receiver, &sync::WebhookReceiver::eventsStored);
    const net::HttpResponse accepted = f.post(first, body);
    QCOMPARE(accepted.status, 200);
    QVERIFY(accepted.body.contains(R"("stored":true)"));
    QCOMPARE(storedEvents.size(), 1);

    Headers second = first;
    QByteArray secondBody = body;
    const QByteArray older = lead("evt-0", "Lead"); // an older version of the same lead
    if (kind == QLatin1String("retry"))
        second = signedHeaders(sw, kSecret, body, "evt-1", now);
    else if (kind == QLatin1String("new id"))
        second = with(first, "webhook-id", "evt-999");
    else if (kind == QLatin1String("fresh time"))
        second = with(first, "webhook-timestamp", QByteArray::number(now));
    else if (kind == QLatin1String("stale"))
        second = signedHeaders(sw, kSecret, secondBody = older, "evt-0", now - 400);
    else if (kind == QLatin1String("new id, resigned old time"))
        second = with(signedHeaders(sw, kSecret, secondBody = older, "evt-0", now - 400), "webhook-id", "evt-1000");
    else if (kind == QLatin1String("new event"))
        second = signedHeaders(sw, kSecret, secondBody = lead("evt-2", "Client"), "evt-2", now);
    QSignalSpy rejected(&f.receiver, &sync::WebhookReceiver::rejected);
    const net::HttpResponse answer = f.post(second, secondBody);
    QCOMPARE(answer.status, status);
    QCOMPARE(rejected.size(), status == 200 ? 0 : 1);
    if (status == 200)
        QVERIFY(answer.body.contains(stored ? R"("stored":true)" : R"("duplicate":true)"));
    QCOMPARE(storedEvents.size(), stored ? 2 : 1);
    const QList<store::InboxEvent> inbox = f.inbox();
    QCOMPARE(inbox.size(), stored ? 2 : 1);
    QCOMPARE(inbox.first().eventId, QStringLiteral("evt-1"));
    QCOMPARE(inbox.first().body, body); // the first version, untouched
    QCOMPARE(inbox.first().signedAt, now - 200);
}

void TestWebhookReceiver::inboxKeepsEventIdAndSignedTime_data()
{
    QTest::addColumn<sync::WebhookScheme>("scheme");
    QTest::addColumn<QByteArray>("secret");
    QTest::addColumn<bool>("deliveryHeader"); ///< GitHub: send X-GitHub-Delivery
    QTest::addColumn<QString>("eventId");     ///< kept in the inbox
    QTest::addColumn<bool>("timeSigned");
    QTest::newRow("standard-webhooks: webhook-id")
        << sync::WebhookScheme::StandardWebhooks << kSecret << true << QStringLiteral("msg-header") << true;
    QTest::newRow("github: X-GitHub-Delivery")
        << sync::WebhookScheme::GitHub << QByteArray("It's a Secret to Everybody") << true
        << QStringLiteral("msg-header") << false;
    QTest::newRow("github without a delivery id: the body's id")
        << sync::WebhookScheme::GitHub << QByteArray("It's a Secret to Everybody") << false
        << QStringLiteral("evt-body") << false;
    QTest::newRow("stripe: the body's id")
        << sync::WebhookScheme::Stripe << QByteArray("whsec_test_secret") << true << QStringLiteral("evt-body") << true;
}

void TestWebhookReceiver::inboxKeepsEventIdAndSignedTime()
{
    QFETCH(sync::WebhookScheme, scheme);
    QFETCH(QByteArray, secret);
    QFETCH(bool, deliveryHeader);
    QFETCH(QString, eventId);
    QFETCH(bool, timeSigned);
    Fixture f(newStore(), scheme, secret);
    const QString name = sync::webhookSchemeName(scheme);
    const QByteArray body = lead("evt-body", "Lead");
    const qint64 at = QDateTime::currentSecsSinceEpoch() - 30;
    auto headers = [&](qint64 signedAt) {
        Headers h = signedHeaders(name, secret, body, "msg-header", signedAt);
        if (!deliveryHeader)
            h.removeIf([](const auto &header) { return header.first == "X-GitHub-Delivery"; });
        return h;
    };
    const net::HttpResponse first = f.post(headers(at), body);
    QCOMPARE(first.status, 200);
    QVERIFY(first.body.contains(R"("stored":true)"));
    // The vendor sends it again later, signed afresh (Stripe: a new t; the id stays in the body).
    const net::HttpResponse again = f.post(headers(at + 20), body);
    QCOMPARE(again.status, 200);
    QVERIFY(again.body.contains(R"("duplicate":true)"));
    const QList<store::InboxEvent> inbox = f.inbox();
    QCOMPARE(inbox.size(), 1);
    QCOMPARE(inbox.first().eventId, eventId);
    QCOMPARE(inbox.first().signedAt, timeSigned ? at : 0);
    QCOMPARE(inbox.first().job, QStringLiteral("leads"));
}

void TestWebhookReceiver::jobThatCannotRunIsAnswered503()
{
    Fixture f(newStore(), sync::WebhookScheme::StandardWebhooks, kSecret);
    const QString sw = QStringLiteral("standard-webhooks");
    const QString why = QStringLiteral("connection \"portal\" needs its api key");
    f.receiver.setJobUnavailable(QStringLiteral("leads"), why);
    QCOMPARE(f.receiver.unavailableReason(QStringLiteral("leads")), why);
    QSignalSpy rejected(&f.receiver, &sync::WebhookReceiver::rejected);
    QSignalSpy wanted(&f.receiver, &sync::WebhookReceiver::deliveryForUnavailableJob);
    const QByteArray body = lead("evt-1", "Lead");
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const net::HttpResponse refused = f.post(signedHeaders(sw, kSecret, body, "evt-1", now), body);
    QCOMPARE(refused.status, 503);
    QByteArray retryAfter;
    for (const auto &[name, value] : refused.headers)
        if (name.compare("Retry-After", Qt::CaseInsensitive) == 0)
            retryAfter = value;
    QCOMPARE(retryAfter.toInt(), sync::WebhookReceiver::kRetryAfterSeconds);
    QVERIFY(!refused.body.contains("api key")); // the reason is for the log, not for the vendor
    QCOMPARE(rejected.size(), 1);
    QCOMPARE(rejected.first().at(1).toInt(), 503);
    QVERIFY(rejected.first().at(2).toString().contains(why));
    QCOMPARE(wanted.size(), 1);
    QCOMPARE(wanted.first().at(0).toString(), QStringLiteral("leads"));
    // A forgery is still a forgery: 401, and it does not count as the vendor asking.
    QCOMPARE(f.post(signedHeaders(sw, "whsec_Z3Vlc3M=", body, "evt-1", now), body).status, 401);
    QCOMPARE(wanted.size(), 1);
    QVERIFY(f.inbox().isEmpty());
    // The job can run again: the vendor's next attempt is stored.
    f.receiver.setJobAvailable(QStringLiteral("leads"));
    QVERIFY(f.receiver.unavailableReason(QStringLiteral("leads")).isEmpty());
    QCOMPARE(f.post(signedHeaders(sw, kSecret, body, "evt-1", now + 1), body).status, 200);
    QCOMPARE(f.inbox().size(), 1);
}

QTEST_GUILESS_MAIN(TestWebhookReceiver)
#include "tst_webhookreceiver.moc"
