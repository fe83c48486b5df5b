#pragma once

#include "sandbox/sandboxstate.h"

#include <QJsonObject>
#include <QObject>
#include <QUrl>

class QNetworkAccessManager;

namespace transom::sandbox {

/// Pushes events to a subscriber the way lead portals do: JSON POSTs signed with HMAC-SHA256 over the
/// raw body (header `X-Transom-Signature: sha256=<hex>`, plus `X-Transom-Event-Id` and
/// `X-Transom-Timestamp`), retried with exponential backoff on failure, and the subscription disabled
/// after too many deliveries in a row fail.
class WebhookSender : public QObject {
    Q_OBJECT
public:
    struct Subscription {
        QUrl url;
        QByteArray secret;
        QByteArray signatureHeader = QByteArrayLiteral("X-Transom-Signature");
        int maxAttempts = 4;          ///< per event
        int baseDelayMs = 500;        ///< first retry; doubles each time
        int disableAfterFailures = 3; ///< events in a row that exhausted their attempts
        bool active = false;
        int failedInARow = 0;
    };

    WebhookSender(Counters &counters, QObject *parent = nullptr);

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
