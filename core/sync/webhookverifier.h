#pragma once

#include "core/common/expected.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

#include <optional>

namespace transom::sync {

/// The published signature schemes a webhook endpoint accepts (named in a preset's or connection's
/// "webhook": {"scheme": ...} or a webhook trigger's "scheme").
enum class WebhookScheme {
    StandardWebhooks, ///< "standard-webhooks" (the default): id, timestamp and body signed
    GitHub,           ///< "github": the body signed; the delivery id is not
    Stripe,           ///< "stripe": timestamp and body signed; the event id is the body's "id"
};

std::optional<WebhookScheme> webhookSchemeFromName(const QString &name);
QString webhookSchemeName(WebhookScheme scheme);

/// What a delivery with a valid signature says about itself.
struct SignedDelivery {
    QByteArray eventId;  ///< from the scheme's id header; empty: the receiver takes it from the body
    qint64 signedAt = 0; ///< the signed timestamp (Unix seconds); 0 when the scheme signs none (GitHub)
};

/// Checks a delivery's signature the way its scheme's publisher specifies it, with HMAC-SHA256 and a
/// constant-time comparison of the MAC bytes:
/// - Standard Webhooks: `webhook-signature: v1,<base64>` (several, space-separated: one must match)
///   over `<webhook-id>.<webhook-timestamp>.<body>`, keyed by the bytes a `whsec_<base64>` secret encodes;
/// - GitHub: `X-Hub-Signature-256: sha256=<hex>` over the body, keyed by the secret as typed;
///   `X-GitHub-Delivery` is the event id (unsigned: the inbox uses it to recognise redeliveries);
/// - Stripe: `Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>...]` over `<t>.<body>`, keyed by the secret
///   as typed (whsec_ included).
/// A timestamp further than the tolerance from now, in either direction, is refused, so a captured
/// delivery cannot be replayed later, and, id and time being signed, not under a new id either.
class WebhookVerifier {
public:
    using Headers = QList<QPair<QByteArray, QByteArray>>; ///< as QHttpServerRequest::headers() gives them

    static constexpr int kDefaultToleranceSeconds = 300;

    /// Fails, with a message naming the expected form, when the secret cannot be used with the scheme
    /// (empty, or a Standard Webhooks secret that is not base64) or the tolerance is not 1 s to a day.
    static Expected<WebhookVerifier> create(WebhookScheme scheme, const QByteArray &secret,
                                            int toleranceSeconds = kDefaultToleranceSeconds);

    /// The delivery's signed id and time, or why it is refused (never quoting the secret or a MAC).
    Expected<SignedDelivery> verify(const Headers &headers, const QByteArray &body, qint64 nowSeconds) const;

    WebhookScheme scheme() const { return m_scheme; }
    int toleranceSeconds() const { return m_toleranceSeconds; }

    /// The first value of a header, its name compared case-insensitively; empty when absent.
    static QByteArray header(const Headers &headers, QByteArrayView name);

private:
    WebhookVerifier(WebhookScheme scheme, QByteArray key, int toleranceSeconds)
        : m_scheme(scheme), m_key(std::move(key)), m_toleranceSeconds(toleranceSeconds)
    {}
    Expected<SignedDelivery> verifyStandard(const Headers &headers, const QByteArray &body, qint64 now) const;
    Expected<SignedDelivery> verifyGitHub(const Headers &headers, const QByteArray &body) const;
    Expected<SignedDelivery> verifyStripe(const Headers &headers, const QByteArray &body, qint64 now) const;
    /// The Unix time in `text` (digits only), or why it is refused (unreadable, or outside the tolerance).
    Expected<qint64> checkTimestamp(const QByteArray &text, qint64 now) const;
    QByteArray mac(const QByteArray &message) const;

    WebhookScheme m_scheme;
    QByteArray m_key;
    int m_toleranceSeconds;
};

} // namespace transom::sync
