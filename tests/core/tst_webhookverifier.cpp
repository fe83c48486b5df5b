// The webhook signature schemes against their publishers' test vectors and examples: Standard Webhooks
// (the spec libraries' signing vector), GitHub ("Testing the webhook payload validation" in GitHub's
// docs) and Stripe-style (Stripe publishes the method, not a vector: the row's MAC was computed with
// Python's hmac module, an implementation independent of this one). Each with the ways a delivery goes
// wrong: wrong secret, tampered body, stale or future timestamp, a replay under a new id or time,
// missing headers, several signatures of which one matches. Then the sandbox's signer, a second
// implementation, is accepted for every scheme.
#include "core/sync/webhookverifier.h"
#include "sandbox/webhooksender.h"

#include <QTest>

using namespace transom;
using sync::WebhookScheme;
using sync::WebhookVerifier;

Q_DECLARE_METATYPE(transom::sync::WebhookScheme)

class TestWebhookVerifier : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void deliveries_data();
    void deliveries();
    void unusableSecrets_data();
    void unusableSecrets();
    void schemeNames();
    void sandboxSignaturesAreAccepted_data();
    void sandboxSignaturesAreAccepted();
};

namespace {

// Standard Webhooks: the signing vector of the spec's reference libraries.
const QByteArray swSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const QByteArray swId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const QByteArray swTime = "1614265330";
const QByteArray swBody = R"({"test": 2432232314})";
const QByteArray swSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
const QByteArray swOther = "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc="; // a well-formed MAC that does not match

// GitHub's documented example.
const QByteArray ghSecret = "It's a Secret to Everybody";
const QByteArray ghBody = "Hello, World!";
const QByteArray ghSignature = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
const QByteArray ghDelivery = "72d3162e-cc78-11e3-81ab-4c9367dc0958";

// Stripe-style: Stripe's libraries' test secret and event, t from Stripe's documented header example.
const QByteArray stSecret = "whsec_test_secret";
const QByteArray stTime = "1492774577";
const QByteArray stBody = R"({"id":"evt_test_webhook","object":"event"})";
const QByteArray stMac = "88a022085c6bdb887b02cb26ff76dd681234d9675c0f22844059f55552a8883a";
const QByteArray stOther = "5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd";

WebhookVerifier::Headers headersFrom(const QList<QByteArray> &lines)
{
    WebhookVerifier::Headers headers;
    for (const QByteArray &line : lines) {
        const qsizetype colon = line.indexOf(':');
        headers.append({line.left(colon), line.mid(colon + 1).trimmed()});
    }
    return headers;
}

QByteArray h(const QByteArray &name, const QByteArray &value)
{
    return name + ": " + value;
}

} // namespace

void TestWebhookVerifier::deliveries_data()
{
    QTest::addColumn<WebhookScheme>("scheme");
    QTest::addColumn<QByteArray>("secret");
    QTest::addColumn<QList<QByteArray>>("headers");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<qint64>("now");
    QTest::addColumn<QByteArray>("eventId"); ///< expected; "!" when refused
    QTest::addColumn<qint64>("signedAt");
    QTest::addColumn<QString>("reason"); ///< a part of the refusal

    const auto sw = WebhookScheme::StandardWebhooks;
    const qint64 swAt = swTime.toLongLong();
    const QList<QByteArray> swHeaders{h("webhook-id", swId), h("webhook-timestamp", swTime),
                                      h("webhook-signature", swSignature)};
    const QString mismatch = QStringLiteral("does not match");
    const QString tolerance = QStringLiteral("outside the 300 s tolerance");
    QTest::newRow("standard: published vector")
        << sw << swSecret << swHeaders << swBody << swAt << swId << swAt << QString();
    QTest::newRow("standard: secret without whsec_")
        << sw << swSecret.mid(6) << swHeaders << swBody << swAt << swId << swAt << QString();
    QTest::newRow("standard: header names in another case")
        << sw << swSecret
        << QList<QByteArray>{h("Webhook-Id", swId), h("WEBHOOK-TIMESTAMP", swTime), h("Webhook-Signature", swSignature)}
        << swBody << swAt << swId << swAt << QString();
    QTest::newRow("standard: several signatures, one matches")
        << sw << swSecret
        << QList<QByteArray>{h("webhook-id", swId), h("webhook-timestamp", swTime),
                             h("webhook-signature", swOther + " v1a,AAAA " + swSignature + " " + swOther)}
        << swBody << swAt << swId << swAt << QString();
    QTest::newRow("standard: several signatures, none matches")
        << sw << swSecret
        << QList<QByteArray>{h("webhook-id", swId), h("webhook-timestamp", swTime),
                             h("webhook-signature", swOther + " " + swOther)}
        << swBody << swAt << QByteArray("!") << qint64(0) << mismatch;
    QTest::newRow("standard: wrong secret") << sw << QByteArray("whsec_dHJhbnNvbS1zYW5kYm94LXdlYmhvb2tz") << swHeaders
                                            << swBody << swAt << QByteArray("!") << qint64(0) << mismatch;
    QTest::newRow("standard: tampered body") << sw << swSecret << swHeaders << QByteArray(R"({"test": 2432232315})")
                                             << swAt << QByteArray("!") << qint64(0) << mismatch;
    QTest::newRow("standard: replayed under a new id")
        << sw << swSecret
        << QList<QByteArray>{h("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJel"), h("webhook-timestamp", swTime),
                             h("webhook-signature", swSignature)}
        << swBody << swAt << QByteArray("!") << qint64(0) << mismatch;
    QTest::newRow("standard: replayed with a fresh timestamp")
        << sw << swSecret
        << QList<QByteArray>{h("webhook-id", swId), h("webhook-timestamp", "1614269000"),
                             h("webhook-signature", swSignature)}
        << swBody << qint64(1614269000) << QByteArray("!") << qint64(0) << mismatch;
    QTest::newRow("standard: at the edge of the tolerance")
        << sw << swSecret << swHeaders << swBody << swAt + 300 << swId << swAt << QString();
    QTest::newRow("standard: stale") << sw << swSecret << swHeaders << swBody << swAt + 301 << QByteArray("!")
                                     << qint64(0) << tolerance;
    QTest::newRow("standard: a day old") << sw << swSecret << swHeaders << swBody << swAt + 86400 << QByteArray("!")
                                         << qint64(0) << tolerance;
    QTest::newRow("standard: from the future")
        << sw << swSecret << swHeaders << swBody << swAt - 301 << QByteArray("!") << qint64(0) << tolerance;
    QTest::newRow("standard: no webhook-id")
        << sw << swSecret << QList<QByteArray>{h("webhook-timestamp", swTime), h("webhook-signature", swSignature)}
        << swBody << swAt << QByteArray("!") << qint64(0) << QStringLiteral("needs webhook-id");
    QTest::newRow("standard: no webhook-timestamp")
        << sw << swSecret << QList<QByteArray>{h("webhook-id", swId), h("webhook-signature", swSignature)} << swBody
        << swAt << QByteArray("!") << qint64(0) << QStringLiteral("needs webhook-id");
    QTest::newRow("standard: no webhook-signature")
        << sw << swSecret << QList<QByteArray>{h("webhook-id", swId), h("webhook-timestamp", swTime)} << swBody << swAt
        << QByteArray("!") << qint64(0) << QStringLiteral("needs webhook-id");
    QTest::newRow("standard: signature without its version")
        << sw << swSecret
        << QList<QByteArray>{h("webhook-id", swId), h("webhook-timestamp", swTime),
                             h("webhook-signature", swSignature.mid(3))}
        << swBody << swAt << QByteArray("!") << qint64(0) << mismatch;
    QTest::newRow("standard: truncated signature")
        << sw << swSecret
        << QList<QByteArray>{h("webhook-id", swId), h("webhook-timestamp", swTime),
                             h("webhook-signature", swSignature.left(30))}
        << swBody << swAt << QByteArray("!") << qint64(0) << mismatch;
    QTest::newRow("standard: no headers") << sw << swSecret << QList<QByteArray>{} << swBody << swAt << QByteArray("!")
                                          << qint64(0) << QStringLiteral("needs webhook-id");

    const auto gh = WebhookScheme::GitHub;
    const qint64 anyTime = 1765000000;
    QTest::newRow("github: documented example")
        << gh << ghSecret
        << QList<QByteArray>{h("X-Hub-Signature-256", ghSignature), h("X-GitHub-Delivery", ghDelivery),
                             h("X-GitHub-Event", "push")}
        << ghBody << anyTime << ghDelivery << qint64(0) << QString();
    QTest::newRow("github: no delivery id (the body's id is used)")
        << gh << ghSecret << QList<QByteArray>{h("x-hub-signature-256", ghSignature)} << ghBody << anyTime
        << QByteArray() << qint64(0) << QString();
    QTest::newRow("github: upper-case hex")
        << gh << ghSecret << QList<QByteArray>{h("X-Hub-Signature-256", "sha256=" + ghSignature.mid(7).toUpper())}
        << ghBody << anyTime << QByteArray() << qint64(0) << QString();
    QTest::newRow("github: wrong secret")
        << gh << QByteArray("It's a Secret to Everybody!") << QList<QByteArray>{h("X-Hub-Signature-256", ghSignature)}
        << ghBody << anyTime << QByteArray("!") << qint64(0) << mismatch;
    QTest::newRow("github: tampered body")
        << gh << ghSecret << QList<QByteArray>{h("X-Hub-Signature-256", ghSignature)} << QByteArray("Hello, World?")
        << anyTime << QByteArray("!") << qint64(0) << mismatch;
    QTest::newRow("github: no prefix") << gh << ghSecret
                                       << QList<QByteArray>{h("X-Hub-Signature-256", ghSignature.mid(7))} << ghBody
                                       << anyTime << QByteArray("!") << qint64(0) << mismatch;
    QTest::newRow("github: SHA-1 header only")
        << gh << ghSecret << QList<QByteArray>{h("X-Hub-Signature", "sha1=0123456789abcdef0123456789abcdef01234567")}
        << ghBody << anyTime << QByteArray("!") << qint64(0) << QStringLiteral("needs an X-Hub-Signature-256");
    QTest::newRow("github: not hex") << gh << ghSecret
                                     << QList<QByteArray>{h("X-Hub-Signature-256", "sha256=" + QByteArray(64, 'z'))}
                                     << ghBody << anyTime << QByteArray("!") << qint64(0) << mismatch;

    const auto st = WebhookScheme::Stripe;
    const qint64 stAt = stTime.toLongLong();
    const QList<QByteArray> stHeaders{h("Stripe-Signature", "t=" + stTime + ",v1=" + stMac)};
    QTest::newRow("stripe: signature") << st << stSecret << stHeaders << stBody << stAt << QByteArray() << stAt
                                       << QString();
    QTest::newRow("stripe: several v1, one matches, and a v0")
        << st << stSecret
        << QList<QByteArray>{h("Stripe-Signature",
                               "t=" + stTime + ",v1=" + stOther + ",v0=" + stOther + ",v1=" + stMac)}
        << stBody << stAt + 10 << QByteArray() << stAt << QString();
    QTest::newRow("stripe: v0 only") << st << stSecret
                                     << QList<QByteArray>{h("Stripe-Signature", "t=" + stTime + ",v0=" + stMac)}
                                     << stBody << stAt << QByteArray("!") << qint64(0) << QStringLiteral("no v1=");
    QTest::newRow("stripe: wrong secret") << st << QByteArray("whsec_test_secreT") << stHeaders << stBody << stAt
                                          << QByteArray("!") << qint64(0) << mismatch;
    QTest::newRow("stripe: tampered body")
        << st << stSecret << stHeaders << QByteArray(R"({"id":"evt_test_webhook","object":"evenT"})") << stAt
        << QByteArray("!") << qint64(0) << mismatch;
    QTest::newRow("stripe: replayed with a fresh t")
        << st << stSecret << QList<QByteArray>{h("Stripe-Signature", "t=1492775000,v1=" + stMac)} << stBody
        << qint64(1492775000) << QByteArray("!") << qint64(0) << mismatch;
    QTest::newRow("stripe: stale") << st << stSecret << stHeaders << stBody << stAt + 301 << QByteArray("!")
                                   << qint64(0) << tolerance;
    QTest::newRow("stripe: no t") << st << stSecret << QList<QByteArray>{h("Stripe-Signature", "v1=" + stMac)} << stBody
                                  << stAt << QByteArray("!") << qint64(0) << QStringLiteral("no t=");
    QTest::newRow("stripe: no header") << st << stSecret << QList<QByteArray>{} << stBody << stAt << QByteArray("!")
                                       << qint64(0) << QStringLiteral("needs a Stripe-Signature");
}

void TestWebhookVerifier::deliveries()
{
    QFETCH(WebhookScheme, scheme);
    QFETCH(QByteArray, secret);
    QFETCH(QList<QByteArray>, headers);
    QFETCH(QByteArray, body);
    QFETCH(qint64, now);
    QFETCH(QByteArray, eventId);
    QFETCH(qint64, signedAt);
    QFETCH(QString, reason);
    const auto verifier = WebhookVerifier::create(scheme, secret);
    QVERIFY2(verifier.ok(), qPrintable(verifier.ok() ? QString() : verifier.error().message));
    const auto delivery = verifier->verify(headersFrom(headers), body, now);
    if (eventId == "!") {
        QVERIFY(!delivery.ok());
        QVERIFY2(delivery.error().message.contains(reason), qPrintable(delivery.error().message));
        QVERIFY(!delivery.error().message.contains(QString::fromLatin1(secret)));
        return;
    }
    QVERIFY2(delivery.ok(), qPrintable(delivery.ok() ? QString() : delivery.error().message));
    QCOMPARE(delivery->eventId, eventId);
    QCOMPARE(delivery->signedAt, signedAt);
}

void TestWebhookVerifier::unusableSecrets_data()
{
    QTest::addColumn<WebhookScheme>("scheme");
    QTest::addColumn<QByteArray>("secret");
    QTest::addColumn<int>("tolerance");
    QTest::addColumn<QString>("reason"); ///< empty: usable
    QTest::newRow("standard: whsec_ base64") << WebhookScheme::StandardWebhooks << swSecret << 300 << QString();
    QTest::newRow("standard: not base64") << WebhookScheme::StandardWebhooks << QByteArray("sandbox-webhook-secret")
                                          << 300 << QStringLiteral("whsec_ followed by base64");
    QTest::newRow("standard: prefix only") << WebhookScheme::StandardWebhooks << QByteArray("whsec_") << 300
                                           << QStringLiteral("whsec_ followed by base64");
    QTest::newRow("github: any text") << WebhookScheme::GitHub << ghSecret << 300 << QString();
    QTest::newRow("stripe: empty") << WebhookScheme::Stripe << QByteArray() << 300 << QStringLiteral("empty");
    QTest::newRow("no tolerance") << WebhookScheme::Stripe << stSecret << 0 << QStringLiteral("tolerance_seconds");
    QTest::newRow("tolerance of a week") << WebhookScheme::StandardWebhooks << swSecret << 7 * 86400
                                         << QStringLiteral("tolerance_seconds");
}

void TestWebhookVerifier::unusableSecrets()
{
    QFETCH(WebhookScheme, scheme);
    QFETCH(QByteArray, secret);
    QFETCH(int, tolerance);
    QFETCH(QString, reason);
    const auto verifier = WebhookVerifier::create(scheme, secret, tolerance);
    QCOMPARE(verifier.ok(), reason.isEmpty());
    if (!verifier.ok()) {
        QVERIFY2(verifier.error().message.contains(reason), qPrintable(verifier.error().message));
        if (secret.size() > 8) // the message names the whsec_ form, never a secret
            QVERIFY(!verifier.error().message.contains(QString::fromLatin1(secret)));
    }
}

void TestWebhookVerifier::schemeNames()
{
    for (const auto scheme : {WebhookScheme::StandardWebhooks, WebhookScheme::GitHub, WebhookScheme::Stripe})
        QVERIFY(sync::webhookSchemeFromName(sync::webhookSchemeName(scheme)) == scheme);
    QCOMPARE(sync::webhookSchemeName(WebhookScheme::StandardWebhooks), QStringLiteral("standard-webhooks"));
    QVERIFY(!sync::webhookSchemeFromName(QStringLiteral("transom-legacy")));
    QVERIFY(!sync::webhookSchemeFromName(QString()));
}

void TestWebhookVerifier::sandboxSignaturesAreAccepted_data()
{
    QTest::addColumn<QString>("scheme");
    QTest::addColumn<QByteArray>("secret");
    QTest::addColumn<QByteArray>("eventId"); ///< what the verifier reports (Stripe's id is in the body)
    QTest::newRow("standard-webhooks") << QStringLiteral("standard-webhooks") << swSecret << QByteArray("evt-7");
    QTest::newRow("github") << QStringLiteral("github") << ghSecret << QByteArray("evt-7");
    QTest::newRow("stripe") << QStringLiteral("stripe") << stSecret << QByteArray();
}

void TestWebhookVerifier::sandboxSignaturesAreAccepted()
{
    QFETCH(QString, scheme);
    QFETCH(QByteArray, secret);
    QFETCH(QByteArray, eventId);
    const QByteArray body = R"({"id":"evt-7","type":"lead.created"})";
    const qint64 now = 1765100000;
    const auto headers = sandbox::WebhookSender::signatureHeaders(scheme, secret, body, "evt-7", now - 20);
    QVERIFY(sandbox::WebhookSender::checkSigning(scheme, secret).isEmpty());
    const auto verifier = WebhookVerifier::create(*sync::webhookSchemeFromName(scheme), secret);
    QVERIFY(verifier.ok());
    const auto delivery = verifier->verify(headers, body, now);
    QVERIFY2(delivery.ok(), qPrintable(delivery.ok() ? QString() : delivery.error().message));
    QCOMPARE(delivery->eventId, eventId);
    QCOMPARE(delivery->signedAt, scheme == QLatin1String("github") ? 0 : now - 20);
    // Signed with another key (a forgery), refused.
    const auto forged =
        sandbox::WebhookSender::signatureHeaders(scheme, "whsec_bm90LXRoZS1zaGFyZWQtc2VjcmV0", body, "evt-7", now);
    QVERIFY(!verifier->verify(forged, body, now).ok());
}

QTEST_APPLESS_MAIN(TestWebhookVerifier)
#include "tst_webhookverifier.moc"
