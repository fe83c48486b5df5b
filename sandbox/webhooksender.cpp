#include "sandbox/webhooksender.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>

namespace transom::sandbox {

WebhookSender::WebhookSender(Counters &counters, QObject *parent)
    : QObject(parent), m_counters(counters), m_network(new QNetworkAccessManager(this))
{}

void WebhookSender::subscribe(const Subscription &subscription)
{
    m_subscription = subscription;
    m_subscription.active = true;
    m_subscription.failedInARow = 0;
}

void WebhookSender::send(const QJsonObject &event, bool forgeSignature)
{
    if (!m_subscription.active) {
        m_counters.add(QStringLiteral("webhooks.skipped_inactive"));
        return;
    }
    ++m_pending;
    m_counters.add(QStringLiteral("webhooks.events"));
    attempt(QJsonDocument(event).toJson(QJsonDocument::Compact), event.value(QLatin1String("id")).toString(),
            forgeSignature, 1);
}

void WebhookSender::attempt(const QByteArray &body, const QString &eventId, bool forge, int attemptNumber)
{
    QNetworkRequest request(m_subscription.url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    const QByteArray key = forge ? QByteArrayLiteral("not-the-shared-secret") : m_subscription.secret;
    const QByteArray signature = QMessageAuthenticationCode::hash(body, key, QCryptographicHash::Sha256).toHex();
    request.setRawHeader(m_subscription.signatureHeader, "sha256=" + signature);
    request.setRawHeader("X-Transom-Event-Id", eventId.toUtf8());
    request.setRawHeader("X-Transom-Timestamp", QByteArray::number(QDateTime::currentSecsSinceEpoch()));
    request.setTransferTimeout(10000);
    m_counters.add(QStringLiteral("webhooks.attempts"));
    QNetworkReply *reply = m_network->post(request, body);
    connect(reply, &QNetworkReply::finished, this, [this, reply, body, eventId, forge, attemptNumber] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (reply->error() == QNetworkReply::NoError && status >= 200 && status < 300) {
            m_counters.add(QStringLiteral("webhooks.delivered"));
            m_subscription.failedInARow = 0;
            --m_pending;
            Q_EMIT delivered(eventId, attemptNumber);
            return;
        }
        if (forge) { // a forgery is the attacker's, not the subscription's, failure
            m_counters.add(QStringLiteral("webhooks.forged_rejected"));
            --m_pending;
            return;
        }
        m_counters.add(QStringLiteral("webhooks.failed_attempts"));
        // A subscriber that rejects the signature will not change its mind: no retry for 4xx.
        const bool retryable = status == 0 || status == 408 || status == 429 || status >= 500;
        if (retryable && attemptNumber < m_subscription.maxAttempts && m_subscription.active) {
            const int delay = m_subscription.baseDelayMs << (attemptNumber - 1);
            QTimer::singleShot(delay, this, [this, body, eventId, forge, attemptNumber] {
                attempt(body, eventId, forge, attemptNumber + 1);
            });
            return;
        }
        --m_pending;
        m_counters.add(QStringLiteral("webhooks.gave_up"));
        Q_EMIT gaveUp(eventId);
        if (++m_subscription.failedInARow >= m_subscription.disableAfterFailures && m_subscription.active) {
            m_subscription.active = false;
            m_counters.add(QStringLiteral("webhooks.subscription_disabled"));
            Q_EMIT subscriptionDisabled();
        }
    });
}

} // namespace transom::sandbox
