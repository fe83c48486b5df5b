#pragma once

#include "sandbox/sandboxstate.h"

#include <QJsonObject>
#include <QObject>
#include <QUrl>

class QNetworkAccessManager;

namespace transom::sandbox {

/// Pushes events to a subscriber the way vendors do: JSON POSTs signed with HMAC-SHA256 in one of the
/// published schemes (Standard Webhooks by default: `webhook-id`, `webhook-timestamp` and
/// `webhook-signature: v1,<base64>` over id.timestamp.body with a `whsec_<base64>` secret; or GitHub's
/// `X-Hub-Signature-256` with `X-GitHub-Delivery`; or Stripe's `Stripe-Signature: t=…,v1=…`), each
/// attempt signed afresh with the same event id, retried with exponential backoff on failure, and the
/// subscription disabled after too many deliveries in a row fail.
class WebhookSender : public QObject {
    Q_OBJECT
public:
    using Headers = QList<QPair<QByteArray, QByteArray>>;

    struct Subscription {
        QUrl url;
        /// As the subscriber holds it (whsec_<base64> for Standard Webhooks).
        QByteArray secret;
        /// "standard-webhooks", "github" or "stripe".
        QString scheme = QStringLiteral("standard-webhooks");
        int maxAttempts = 4;          ///< per event
        int baseDelayMs = 500;        ///< first retry; doubles each time
        int disableAfterFailures = 3; ///< events in a row that exhausted their attempts
        bool active = false;
        int failedInARow = 0;
    };

    WebhookSender(Counters &counters, QObject *parent = nullptr);

    /// Why `scheme` and `secret` cannot sign (an unknown scheme, a Standard Webhooks secret that is not
    /// whsec_ and base64); empty when they can.
    static QString checkSigning(const QString &scheme, const QByteArray &secret);
    /// The headers that sign `body` as event `eventId` at `timestamp` (Unix seconds) in `scheme`.
    static Headers signatureHeaders(const QString &scheme, const QByteArray &secret, const QByteArray &body,
                                    const QByteArray &eventId, qint64 timestamp);

    void subscribe(const Subscription &subscription);
    const Subscription &subscription() const { return m_subscription; }

    /// Sends one event; `forgeSignature` signs it with the wrong key (a forged delivery).
    void send(const QJsonObject &event, bool forgeSignature = false);
    int pending() const { return m_pending; }

Q_SIGNALS:
    void delivered(const QString &eventId, int attempts);
    void gaveUp(const QString &eventId);
    void subscriptionDisabled();

private:
    void attempt(const QByteArray &body, const QString &eventId, bool forge, int attemptNumber);

    Counters &m_counters;
    QNetworkAccessManager *m_network;
    Subscription m_subscription;
    int m_pending = 0;
};

} // namespace transom::sandbox
