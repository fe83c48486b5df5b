// The sandbox's webhook sender against a receiver in the test: signatures in each scheme (checked here
// by the schemes' own recipes, not by Transom's verifier), duplicates, forgeries, retries with backoff,
// and a subscription disabled after repeated failures.
#include "sandboxfixture.h"

#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QSignalSpy>

using namespace transom;
using namespace transom::testing;

class TestSandboxWebhooks : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void signedDeliveriesDuplicatesAndForgeries_data();
    void signedDeliveriesDuplicatesAndForgeries();
    void unusableSigningIsRefused_data();
    void unusableSigningIsRefused();
    void retriesThenDisables();
};

namespace {

QByteArray hmac(const QByteArray &key, const QByteArray &message)
{
    return QMessageAuthenticationCode::hash(message, key, QCryptographicHash::Sha256);
}

/// The event id a delivery carries when its signature is right in `scheme`; empty otherwise.
QByteArray checkedEventId(const QString &scheme, const QByteArray &secret, const QHttpServerRequest &r)
{
    const QByteArray body = r.body();
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    if (scheme == QLatin1String("github"))
        return r.value("X-Hub-Signature-256") == "sha256=" + hmac(secret, body).toHex() ? r.value("X-GitHub-Delivery")
                                                                                        : QByteArray();
    if (scheme == QLatin1String("stripe")) {
        const QList<QByteArray> parts = r.value("Stripe-Signature").split(',');
        if (parts.size() != 2 || !parts[0].startsWith("t=") || std::abs(parts[0].mid(2).toLongLong() - now) > 60)
            return {};
        if (parts[1] != "v1=" + hmac(secret, parts[0].mid(2) + '.' + body).toHex())
            return {};
        return QJsonDocument::fromJson(body).object().value(QLatin1String("id")).toString().toUtf8();
    }
    const QByteArray id = r.value("webhook-id");
    const QByteArray t = r.value("webhook-timestamp");
    const QByteArray key = QByteArray::fromBase64(secret.mid(6)); // whsec_<base64>
    if (std::abs(t.toLongLong() - now) > 60 ||
        r.value("webhook-signature") != "v1," + hmac(key, id + '.' + t + '.' + body).toBase64())
        return {};
    return id;
}

struct Receiver {
    QHttpServer http;
    int valid = 0;
    int forged = 0;
    QStringList eventIds;
    int failWith = 0; ///< answer every delivery with this status when set
    quint16 port = 0;

    Receiver(const QString &scheme, const QByteArray &secret)
    {
        http.route(QStringLiteral("/hook"), QHttpServerRequest::Method::Post,
                   [this, scheme, secret](const QHttpServerRequest &r) {
                       if (failWith)
                           return QHttpServerResponse(QHttpServerResponder::StatusCode(failWith));
                       const QByteArray id = checkedEventId(scheme, secret, r);
                       if (id.isEmpty()) {
                           ++forged;
                           return QHttpServerResponse(QHttpServerResponder::StatusCode::Unauthorized);
                       }
                       ++valid;
                       eventIds.append(QString::fromUtf8(id));
                       return QHttpServerResponse(QHttpServerResponder::StatusCode::Ok);
                   });
        port = http.listen(QHostAddress::LocalHost);
    }
};

QByteArray subscription(quint16 port, const QString &scheme, const QByteArray &secret, const QByteArray &more = {})
{
    return QStringLiteral("{\"url\": \"http://127.0.0.1:%1/hook\", \"scheme\": \"%2\", \"secret\": \"%3\"%4}")
        .arg(port)
        .arg(scheme, QString::fromLatin1(secret), QString::fromLatin1(more))
        .toUtf8();
}

} // namespace

void TestSandboxWebhooks::signedDeliveriesDuplicatesAndForgeries_data()
{
    QTest::addColumn<QString>("scheme");
    QTest::addColumn<QByteArray>("secret");
    QTest::newRow("standard-webhooks") << QStringLiteral("standard-webhooks")
                                       << QByteArray("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    QTest::newRow("github") << QStringLiteral("github") << QByteArray("It's a Secret to Everybody");
    QTest::newRow("stripe") << QStringLiteral("stripe") << QByteArray("whsec_test_secret");
}

void TestSandboxWebhooks::signedDeliveriesDuplicatesAndForgeries()
{
    QFETCH(QString, scheme);
    QFETCH(QByteArray, secret);
    SandboxFixture s;
    Receiver receiver(scheme, secret);
    QVERIFY(receiver.port != 0);
    QCOMPARE(s.call("POST", QStringLiteral("/_admin/webhooks"), subscription(receiver.port, scheme, secret)).status,
             200);
    QCOMPARE(s.call("POST", QStringLiteral("/_admin/webhooks/send"), "{\"count\": 5, \"duplicates\": 2, \"forged\": 3}")
                 .status,
             200);
    QTRY_COMPARE_WITH_TIMEOUT(receiver.valid + receiver.forged, 10, 10000);
    QCOMPARE(receiver.valid, 7);
    QCOMPARE(receiver.forged, 3);
    QCOMPARE(QSet<QString>(receiver.eventIds.begin(), receiver.eventIds.end()).size(),
             5);                                     // two resends of the same event, with the same id
    QCOMPARE(s.server.portal().leads().size(), 205); // the events' leads can be fetched from the portal
    QTRY_COMPARE(s.server.webhooks().pending(), 0);
    QVERIFY(s.server.webhooks().subscription().active);
}

void TestSandboxWebhooks::unusableSigningIsRefused_data()
{
    QTest::addColumn<QString>("scheme");
    QTest::addColumn<QByteArray>("secret");
    QTest::addColumn<QString>("reason");
    QTest::newRow("standard-webhooks, not base64")
        << QStringLiteral("standard-webhooks") << QByteArray("sandbox-webhook-secret")
        << QStringLiteral("whsec_ followed by base64");
    QTest::newRow("unknown scheme") << QStringLiteral("transom-legacy") << QByteArray("whsec-test")
                                    << QStringLiteral("standard-webhooks, github or stripe");
    QTest::newRow("no secret") << QStringLiteral("github") << QByteArray() << QStringLiteral("give a secret");
}

void TestSandboxWebhooks::unusableSigningIsRefused()
{
    QFETCH(QString, scheme);
    QFETCH(QByteArray, secret);
    QFETCH(QString, reason);
    SandboxFixture s;
    const auto r = s.call("POST", QStringLiteral("/_admin/webhooks"), subscription(8, scheme, secret));
    QCOMPARE(r.status, 400);
    QVERIFY2(r.body.contains(reason.toUtf8()), r.body.constData());
    QVERIFY(!s.server.webhooks().subscription().active);
}

void TestSandboxWebhooks::retriesThenDisables()
{
    SandboxFixture s;
    const QByteArray secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    Receiver receiver(QStringLiteral("standard-webhooks"), secret);
    receiver.failWith = 500;
    QCOMPARE(s.call("POST", QStringLiteral("/_admin/webhooks"),
                    subscription(receiver.port, QStringLiteral("standard-webhooks"), secret,
                                 R"(, "max_attempts": 3, "base_delay_ms": 20, "disable_after_failures": 2)"))
                 .status,
             200);
    QSignalSpy disabled(&s.server.webhooks(), &sandbox::WebhookSender::subscriptionDisabled);
    s.server.sendLeadEvents(2);
    QTRY_COMPARE_WITH_TIMEOUT(disabled.size(), 1, 10000);
    QCOMPARE(s.server.counters().value(QStringLiteral("webhooks.attempts")), 6); // 2 events × 3 attempts
    QCOMPARE(s.server.counters().value(QStringLiteral("webhooks.gave_up")), 2);
    QVERIFY(!s.server.webhooks().subscription().active);
    s.server.sendLeadEvents(1);
    QCOMPARE(s.server.counters().value(QStringLiteral("webhooks.skipped_inactive")), 1);
}

QTEST_GUILESS_MAIN(TestSandboxWebhooks)
#include "tst_sandboxwebhooks.moc"
