// WebhookVerifier on an arbitrary delivery, written as text:
//   <scheme> <now, Unix seconds> [sign]      e.g. "stripe 1700000000 sign"
//   Header-Name: value                        as many as given, up to an empty line
//   <body>
// With "sign", the harness adds the signature the scheme's publisher would send (computed here with the
// fixed secret), so the fuzzer also reaches what comes after the MAC check: ids and timestamps. A
// delivery the verifier takes must carry what it says it does.
#include "core/sync/webhookverifier.h"
#include "tests/fuzz/fuzzsupport.h"

#include <QCryptographicHash>
#include <QMessageAuthenticationCode>

using transom::sync::WebhookScheme;
using transom::sync::WebhookVerifier;

namespace {

const QByteArray kStandardSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const QByteArray kSecret = "It's a Secret to Everybody";

QByteArray hmac(const QByteArray &key, const QByteArray &message)
{
    return QMessageAuthenticationCode::hash(message, key, QCryptographicHash::Sha256);
}

/// The publisher's signature header for the delivery, put first so that it is the one read.
void sign(WebhookScheme scheme, WebhookVerifier::Headers &headers, const QByteArray &body)
{
    switch (scheme) {
    case WebhookScheme::StandardWebhooks: {
        const QByteArray key = QByteArray::fromBase64(kStandardSecret.mid(6));
        const QByteArray message = WebhookVerifier::header(headers, "webhook-id") + '.' +
                                   WebhookVerifier::header(headers, "webhook-timestamp") + '.' + body;
        headers.prepend({"webhook-signature", "v1," + hmac(key, message).toBase64()});
        break;
    }
    case WebhookScheme::GitHub:
        headers.prepend({"X-Hub-Signature-256", "sha256=" + hmac(kSecret, body).toHex()});
        break;
    case WebhookScheme::Stripe: {
        // The delivery's own header with a v1= for its first t= appended (or a t= of the given time).
        QByteArray value = WebhookVerifier::header(headers, "Stripe-Signature");
        QByteArray t;
        for (const QByteArray &element : value.split(','))
            if (element.trimmed().startsWith("t=")) {
                t = element.trimmed().mid(2).trimmed();
                break;
            }
        if (t.isEmpty()) {
            t = "1700000000";
            value = "t=" + t + (value.isEmpty() ? "" : "," + value);
        }
        headers.prepend({"Stripe-Signature", value + ",v1=" + hmac(kSecret, t + '.' + body).toHex()});
        break;
    }
    }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    transom::fuzz::quietQtMessages();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input = transom::fuzz::bytes(data, size);
    qsizetype pos = input.indexOf('\n');
    const QList<QByteArray> first = input.left(pos < 0 ? input.size() : pos).split(' ');
    const WebhookScheme scheme =
        transom::sync::webhookSchemeFromName(QString::fromUtf8(first.value(0))).value_or(WebhookScheme(size % 3));
    // A clock somewhere in 2001..2128: verify() is given the wall clock, never a time near the ends of qint64.
    const qint64 now = 1000000000 + qint64(first.value(1).toULongLong() % 5000000000ULL);
    const bool signIt = first.contains("sign");

    WebhookVerifier::Headers headers;
    while (pos >= 0 && pos < input.size()) {
        const qsizetype end = input.indexOf('\n', pos + 1);
        const QByteArray line = input.mid(pos + 1, (end < 0 ? input.size() : end) - pos - 1);
        pos = end;
        if (line.isEmpty() || line == "\r")
            break;
        const qsizetype colon = line.indexOf(':');
        if (colon < 0)
            headers.append({line, {}});
        else
            headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
    }
    const QByteArray body = pos < 0 ? QByteArray() : input.mid(pos + 1);
    if (signIt)
        sign(scheme, headers, body);

    const auto verifier =
        WebhookVerifier::create(scheme, scheme == WebhookScheme::StandardWebhooks ? kStandardSecret : kSecret, 300);
    FUZZ_CHECK(verifier.ok());
    const auto delivery = verifier->verify(headers, body, now);
    if (!delivery) {
        FUZZ_CHECK(!delivery.error().message.isEmpty());
        return 0;
    }
    switch (scheme) {
    case WebhookScheme::StandardWebhooks:
        FUZZ_CHECK(delivery->eventId == WebhookVerifier::header(headers, "webhook-id"));
        FUZZ_CHECK(std::abs(delivery->signedAt - now) <= 300);
        break;
    case WebhookScheme::GitHub:
        FUZZ_CHECK(delivery->eventId == WebhookVerifier::header(headers, "X-GitHub-Delivery"));
        FUZZ_CHECK(delivery->signedAt == 0);
        break;
    case WebhookScheme::Stripe:
        FUZZ_CHECK(delivery->eventId.isEmpty());
        FUZZ_CHECK(std::abs(delivery->signedAt - now) <= 300);
        break;
    }
    return 0;
}
