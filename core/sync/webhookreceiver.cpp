#include "core/sync/webhookreceiver.h"

#include <QDateTime>
#include <QHttpServerRequest>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QPointer>
#include <QTcpSocket>

namespace transom::sync {

struct WebhookReceiver::Pending {
    QPointer<QTcpSocket> socket;
    store::InboxEvent event;
};

WebhookReceiver::WebhookReceiver(const QString &storePath, QObject *parent) : QAbstractHttpServer(parent)
{
    auto store = store::openStorage(storePath);
    if (store)
        m_store = std::move(store.value());
    else
        m_storeError = store.error().toString();
    m_commitTimer.setSingleShot(true);
    m_commitTimer.setInterval(1); // group the deliveries of about a millisecond into one commit
    connect(&m_commitTimer, &QTimer::timeout, this, &WebhookReceiver::commitPending);
}

WebhookReceiver::~WebhookReceiver()
{
    commitPending();
}

bool WebhookReceiver::isReady(QString *error) const
{
    if (error)
        *error = m_storeError;
    return m_store != nullptr;
}

void WebhookReceiver::addEndpoint(const WebhookEndpoint &endpoint)
{
    m_endpoints.insert(endpoint.path, endpoint);
}

quint16 WebhookReceiver::start(quint16 port, const QHostAddress &address)
{
    return listen(address, port);
}

bool WebhookReceiver::verify(const WebhookEndpoint &endpoint, const QByteArray &body, const QByteArray &signature)
{
    if (!signature.startsWith(endpoint.signaturePrefix))
        return false;
    const QByteArray mac = QMessageAuthenticationCode::hash(body, endpoint.secret, QCryptographicHash::Sha256);
    const QByteArray expected = endpoint.base64 ? mac.toBase64() : mac.toHex();
    const QByteArray given = signature.mid(endpoint.signaturePrefix.size()).trimmed();
    // Constant time: look at every byte whatever the first difference.
    unsigned char diff = given.size() == expected.size() ? 0 : 1;
    for (qsizetype i = 0; i < expected.size(); ++i)
        diff |= static_cast<unsigned char>(expected.at(i) ^ (i < given.size() ? given.at(i) : 0));
    return diff == 0;
}

void WebhookReceiver::reply(QTcpSocket *socket, int status, const QByteArray &body)
{
    const QByteArray reason = status == 200   ? "OK"
                              : status == 400 ? "Bad Request"
                              : status == 401 ? "Unauthorized"
                              : status == 404 ? "Not Found"
                              : status == 405 ? "Method Not Allowed"
                              : status == 413 ? "Payload Too Large"
                                              : "Service Unavailable";
    socket->write("HTTP/1.1 " + QByteArray::number(status) + ' ' + reason +
                  "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) +
                  "\r\n\r\n" + body);
}

bool WebhookReceiver::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    const QString path = request.url().path();
    auto refuse = [&](int status, const QString &why) {
        reply(socket, status,
              QJsonDocument(QJsonObject{{QStringLiteral("error"), why}}).toJson(QJsonDocument::Compact));
        Q_EMIT rejected(path, status, why);
        return true;
    };
    const auto it = m_endpoints.constFind(path);
    if (it == m_endpoints.cend())
        return refuse(404, QStringLiteral("no webhook is configured at this path"));
    const WebhookEndpoint &endpoint = it.value();
    if (request.method() != QHttpServerRequest::Method::Post)
        return refuse(405, QStringLiteral("webhooks are POSTed"));
    const QByteArray body = request.body();
    if (body.size() > endpoint.maxBodyBytes)
        return refuse(413, QStringLiteral("the body is larger than %1 bytes").arg(endpoint.maxBodyBytes));
    if (!verify(endpoint, body, request.value(endpoint.signatureHeader)))
        return refuse(401, QStringLiteral("the signature does not match"));
    if (!endpoint.timestampHeader.isEmpty()) {
        bool ok = false;
        const qint64 sent = request.value(endpoint.timestampHeader).toLongLong(&ok);
        if (!ok || std::abs(QDateTime::currentSecsSinceEpoch() - sent) > endpoint.toleranceSeconds)
            return refuse(401, QStringLiteral("the timestamp is missing or outside the %1 s tolerance")
                                   .arg(endpoint.toleranceSeconds));
    }
    QJsonParseError e;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &e);
    if (e.error != QJsonParseError::NoError || !doc.isObject())
        return refuse(400, QStringLiteral("the body is not a JSON object"));
    if (!m_store)
        return refuse(503, QStringLiteral("the inbox is not available"));
    QByteArray eventId = request.value(endpoint.eventIdHeader);
    if (eventId.isEmpty())
        eventId = doc.object().value(endpoint.eventIdPath).toVariant().toString().toUtf8();
    if (eventId.isEmpty())
        eventId = QCryptographicHash::hash(body, QCryptographicHash::Sha256).toHex();
    auto pending = std::make_unique<Pending>();
    pending->socket = socket;
    pending->event = {0, endpoint.job, QString::fromUtf8(eventId), body, QDateTime::currentMSecsSinceEpoch()};
    m_pending.push_back(std::move(pending));
    if (!m_commitTimer.isActive())
        m_commitTimer.start();
    return true;
}

void WebhookReceiver::missingHandler(const QHttpServerRequest &, QTcpSocket *socket)
{
    reply(socket, 404, R"({"error":"not found"})");
}

void WebhookReceiver::commitPending()
{
    if (m_pending.empty())
        return;
    std::vector<std::unique_ptr<Pending>> batch;
    batch.swap(m_pending);
    QList<store::InboxEvent> events;
    for (const auto &p : batch)
        events.append(p->event);
    const auto added = m_store->inboxAdd(events);
    QHash<QString, int> stored;
    for (size_t i = 0; i < batch.size(); ++i) {
        QTcpSocket *socket = batch[i]->socket;
        if (!added) {
            if (socket)
                reply(socket, 503, R"({"error":"the event could not be stored; send it again"})");
            continue;
        }
        const bool isNew = added->at(qsizetype(i));
        if (isNew)
            ++stored[batch[i]->event.job];
        if (socket)
            reply(socket, 200,
                  isNew ? QByteArrayLiteral(R"({"stored":true})")
                        : QByteArrayLiteral(R"({"stored":false,"duplicate":true})"));
    }
    for (auto it = stored.cbegin(); it != stored.cend(); ++it)
        Q_EMIT eventsStored(it.key(), it.value());
}

} // namespace transom::sync
