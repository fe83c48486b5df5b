#include "core/sync/webhookverifier.h"

#include <QMessageAuthenticationCode>

#include <cctype>
#include <cstdlib>

namespace transom::sync {

namespace {

constexpr qsizetype kMacBytes = 32; // SHA-256
constexpr qsizetype kMaxIdBytes = 256;

/// Equal MACs, looking at every byte whatever the first difference (both are kMacBytes long here;
/// a length difference, which says nothing about the key, is allowed to end the comparison early).
bool sameMac(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a.at(i) ^ b.at(i));
    return diff == 0;
}

/// Lower-case or upper-case hex of exactly one MAC, decoded; empty otherwise (QByteArray::fromHex
/// skips what is not hex, which would let a malformed signature through to the comparison).
QByteArray macFromHex(QByteArrayView hex)
{
    if (hex.size() != 2 * kMacBytes)
        return {};
    for (char c : hex)
        if (!std::isxdigit(static_cast<unsigned char>(c)))
            return {};
    return QByteArray::fromHex(hex.toByteArray());
}

QByteArray macFromBase64(QByteArrayView text)
{
    const auto decoded = QByteArray::fromBase64Encoding(text.toByteArray(), QByteArray::AbortOnBase64DecodingErrors);
    return decoded && decoded.decoded.size() == kMacBytes ? decoded.decoded : QByteArray();
}

bool onlyDigits(QByteArrayView text)
{
    if (text.isEmpty() || text.size() > 12)
        return false;
    for (char c : text)
        if (c < '0' || c > '9')
            return false;
    return true;
}

/// Printable ASCII without spaces, as ids and delivery GUIDs are; anything else is refused rather
/// than stored as a key.
bool usableId(QByteArrayView id)
{
    if (id.isEmpty() || id.size() > kMaxIdBytes)
        return false;
    for (char c : id)
        if (c <= ' ' || c > '~')
            return false;
    return true;
}

Error refused(const QString &why)
{
    return Error(why);
}

} // namespace

std::optional<WebhookScheme> webhookSchemeFromName(const QString &name)
{
    if (name == QLatin1String("standard-webhooks"))
        return WebhookScheme::StandardWebhooks;
    if (name == QLatin1String("github"))
        return WebhookScheme::GitHub;
    if (name == QLatin1String("stripe"))
        return WebhookScheme::Stripe;
    return std::nullopt;
}

QString webhookSchemeName(WebhookScheme scheme)
{
    switch (scheme) {
    case WebhookScheme::StandardWebhooks:
        return QStringLiteral("standard-webhooks");
    case WebhookScheme::GitHub:
        return QStringLiteral("github");
    case WebhookScheme::Stripe:
        return QStringLiteral("stripe");
    }
    return {};
}

Expected<WebhookVerifier> WebhookVerifier::create(WebhookScheme scheme, const QByteArray &secret, int toleranceSeconds)
{
    if (toleranceSeconds < 1 || toleranceSeconds > 86400)
        return Error(QStringLiteral("tolerance_seconds must be between 1 and 86400, not %1").arg(toleranceSeconds));
    if (secret.isEmpty())
        return Error(QStringLiteral("the webhook secret is empty"));
    if (scheme != WebhookScheme::StandardWebhooks)
        return WebhookVerifier(scheme, secret, toleranceSeconds);
    // Standard Webhooks: the key is what the base64 after "whsec_" encodes (the prefix is optional).
    QByteArray encoded = secret.trimmed();
    if (encoded.startsWith("whsec_"))
        encoded.remove(0, 6);
    const auto key = QByteArray::fromBase64Encoding(encoded, QByteArray::AbortOnBase64DecodingErrors);
    if (!key || key.decoded.isEmpty())
        return Error(QStringLiteral("a Standard Webhooks secret is whsec_ followed by base64 (as the vendor shows "
                                    "it, e.g. whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw); this one is not"));
    return WebhookVerifier(scheme, key.decoded, toleranceSeconds);
}

QByteArray WebhookVerifier::header(const Headers &headers, QByteArrayView name)
{
    for (const auto &[key, value] : headers)
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    return {};
}

QByteArray WebhookVerifier::mac(const QByteArray &message) const
{
    return QMessageAuthenticationCode::hash(message, m_key, QCryptographicHash::Sha256);
}

Expected<qint64> WebhookVerifier::checkTimestamp(const QByteArray &text, qint64 now) const
{
    if (!onlyDigits(text))
        return refused(QStringLiteral("the signed timestamp is missing or not a Unix time in seconds"));
    const qint64 at = text.toLongLong();
    if (std::llabs(now - at) > m_toleranceSeconds)
        return refused(QStringLiteral("the signed timestamp is %1 s from now, outside the %2 s tolerance (a replay, "
                                      "or a clock that is off)")
                           .arg(now - at)
                           .arg(m_toleranceSeconds));
    return at;
}

Expected<SignedDelivery> WebhookVerifier::verify(const Headers &headers, const QByteArray &body,
                                                 qint64 nowSeconds) const
{
    switch (m_scheme) {
    case WebhookScheme::StandardWebhooks:
        return verifyStandard(headers, body, nowSeconds);
    case WebhookScheme::GitHub:
        return verifyGitHub(headers, body);
    case WebhookScheme::Stripe:
        return verifyStripe(headers, body, nowSeconds);
    }
    return refused(QStringLiteral("unknown signature scheme"));
}

Expected<SignedDelivery> WebhookVerifier::verifyStandard(const Headers &headers, const QByteArray &body,
                                                         qint64 now) const
{
    const QByteArray id = header(headers, "webhook-id");
    const QByteArray timestamp = header(headers, "webhook-timestamp");
    const QByteArray signatures = header(headers, "webhook-signature");
    if (id.isEmpty() || timestamp.isEmpty() || signatures.isEmpty())
        return refused(QStringLiteral("a Standard Webhooks delivery needs webhook-id, webhook-timestamp and "
                                      "webhook-signature headers"));
    if (!usableId(id))
        return refused(
            QStringLiteral("the webhook-id is not an id (printable ASCII, at most %1 bytes)").arg(kMaxIdBytes));
    // The signature first: an attacker learns nothing about the clock from a forged delivery.
    const QByteArray expected = mac(id + '.' + timestamp + '.' + body);
    bool match = false;
    for (const QByteArray &candidate : signatures.split(' ')) {
        if (!candidate.startsWith("v1,"))
            continue; // another version (v1a: asymmetric), or the separator doubled
        const QByteArray given = macFromBase64(QByteArrayView(candidate).sliced(3));
        match = sameMac(given, expected) || match; // every candidate looked at
    }
    if (!match)
        return refused(QStringLiteral("the signature does not match"));
    const auto at = checkTimestamp(timestamp, now);
    if (!at)
        return at.error();
    return SignedDelivery{id, at.value()};
}

Expected<SignedDelivery> WebhookVerifier::verifyGitHub(const Headers &headers, const QByteArray &body) const
{
    const QByteArray signature = header(headers, "X-Hub-Signature-256");
    if (signature.isEmpty())
        return refused(QStringLiteral("a GitHub delivery needs an X-Hub-Signature-256 header"));
    const QByteArray given =
        signature.startsWith("sha256=") ? macFromHex(QByteArrayView(signature).sliced(7)) : QByteArray();
    if (!sameMac(given, mac(body)))
        return refused(QStringLiteral("the signature does not match"));
    const QByteArray delivery = header(headers, "X-GitHub-Delivery");
    if (!delivery.isEmpty() && !usableId(delivery))
        return refused(QStringLiteral("the X-GitHub-Delivery id is not an id"));
    return SignedDelivery{delivery, 0};
}

Expected<SignedDelivery> WebhookVerifier::verifyStripe(const Headers &headers, const QByteArray &body, qint64 now) const
{
    const QByteArray value = header(headers, "Stripe-Signature");
    if (value.isEmpty())
        return refused(QStringLiteral("a Stripe-style delivery needs a Stripe-Signature header"));
    QByteArray timestamp;
    QList<QByteArray> signatures;
    for (const QByteArray &element : value.split(',')) {
        const qsizetype eq = element.indexOf('=');
        if (eq <= 0)
            continue;
        const QByteArray key = element.left(eq).trimmed();
        const QByteArray item = element.mid(eq + 1).trimmed();
        if (key == "t" && timestamp.isEmpty())
            timestamp = item;
        else if (key == "v1")
            signatures.append(item); // v0 and other schemes are not accepted
    }
    if (timestamp.isEmpty() || signatures.isEmpty())
        return refused(QStringLiteral("the Stripe-Signature header has no t= or no v1= element"));
    const QByteArray expected = mac(timestamp + '.' + body);
    bool match = false;
    for (const QByteArray &candidate : std::as_const(signatures))
        match = sameMac(macFromHex(candidate), expected) || match;
    if (!match)
        return refused(QStringLiteral("the signature does not match"));
    const auto at = checkTimestamp(timestamp, now);
    if (!at)
        return at.error();
    return SignedDelivery{{}, at.value()};
}

} // namespace transom::sync
