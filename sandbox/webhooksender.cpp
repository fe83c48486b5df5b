#include "sandbox/webhooksender.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>

#include <optional>

namespace transom::sandbox {

WebhookSender::WebhookSender(Counters &counters, QObject *parent)
    : QObject(parent), m_counters(counters), m_network(new QNetworkAccessManager(this))
{}

namespace {

QByteArray hmacSha256(const QByteArray &key, const QByteArray &message)
{
    return QMessageAuthenticationCode::hash(message, key, QCryptographicHash::Sha256);
}

/// A Standard Webhooks secret's key: the bytes the base64 after "whsec_" encodes.
std::optional<QByteArray> standardKey(const QByteArray &secret)
{
    const QByteArray encoded = secret.startsWith("whsec_") ? secret.mid(6) : secret;
    const auto key = QByteArray::fromBase64Encoding(encoded, QByteArray::AbortOnBase64DecodingErrors);
    if (!key || key.decoded.isEmpty())
        return std::nullopt;
    return key.decoded;
}

} // namespace

QString WebhookSender::checkSigning(const QString &scheme, const QByteArray &secret)
{
    if (secret.isEmpty())
        return QStringLiteral("give a secret");
    if (scheme == QLatin1String("standard-webhooks"))
        return standardKey(secret) ? QString()
                                   : QStringLiteral("a Standard Webhooks secret is whsec_ followed by base64");
    if (scheme == QLatin1String("github") || scheme == QLatin1String("stripe"))
        return {};
    return QStringLiteral("scheme is standard-webhooks, github or stripe");
}

WebhookSender::Headers WebhookSender::signatureHeaders(const QString &scheme, const QByteArray &secret,
                                                       const QByteArray &body, const QByteArray &eventId,
                                                       qint64 timestamp)
{
    const QByteArray t = QByteArray::number(timestamp);
    if (scheme == QLatin1String("github"))
        return {{"X-Hub-Signature-256", "sha256=" + hmacSha256(secret, body).toHex()},
                {"X-GitHub-Delivery", eventId},
                {"X-GitHub-Event", "lead"}};
    if (scheme == QLatin1String("stripe"))
        return {{"Stripe-Signature", "t=" + t + ",v1=" + hmacSha256(secret, t + '.' + body).toHex()}};
    // A secret that is not base64 signs with its own bytes: the subscriber refuses it, as it should.
    const QByteArray key = standardKey(secret).value_or(secret);
    return {{"webhook-id", eventId},
            {"webhook-timestamp", t},
            {"webhook-signature", "v1," + hmacSha256(key, eventId + '.' + t + '.' + body).toBase64()}};
}

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
    // A forgery: someone without the secret signs with a key of their own, in the subscriber's scheme.
    const QByteArray secret = forge ? QByteArrayLiteral("whsec_bm90LXRoZS1zaGFyZWQtc2VjcmV0") : m_subscription.secret;
    for (const auto &[name, value] :
         signatureHeaders(m_subscription.scheme, secret, body, eventId.toUtf8(), QDateTime::currentSecsSinceEpoch()))
        request.setRawHeader(name, value);
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
