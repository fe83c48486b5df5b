#include "core/sync/webhookreceiver.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QHttpServerRequest>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>

namespace transom::sync {

Expected<WebhookEndpoint> webhookEndpointFor(const Project &project, const JobConfig &job,
                                             const connect::PresetLibrary &presets, const SecretAccess &secrets)
{
    const ConnectionConfig *source = project.connection(job.source);
    if (!source)
        return Error(QStringLiteral("job \"%1\": the project has no connection \"%2\"").arg(job.name, job.source));
    const connect::Preset *preset = presets.find(source->preset);
    QJsonObject hook = preset ? preset->webhook : QJsonObject();
    for (auto it = source->webhook.begin(); it != source->webhook.end(); ++it)
        hook.insert(it.key(), it.value());
    // The body-only signature with its own header names (Transom 0.1) signed neither the time nor the
    // event id: a captured delivery could be replayed for ever. Say so rather than ignore the settings.
    for (const char *retired :
         {"signature_header", "signature_prefix", "encoding", "event_id_header", "timestamp_header"})
        if (hook.contains(QLatin1String(retired)))
            return Error(
                QStringLiteral(
                    "connection \"%1\" (or its preset): the webhook setting \"%2\" belongs to the retired body-only "
                    "signature, which signs neither the time nor the event id; remove it and set "
                    "\"scheme\" to \"standard-webhooks\", \"github\" or \"stripe\", as the vendor "
                    "signs")
                    .arg(source->name, QLatin1String(retired)));
    const QString schemeName = !job.trigger.scheme.isEmpty()
                                   ? job.trigger.scheme
                                   : hook.value(QLatin1String("scheme")).toString(QStringLiteral("standard-webhooks"));
    const auto scheme = webhookSchemeFromName(schemeName);
    if (!scheme)
        return Error(QStringLiteral("job \"%1\": unknown webhook signature scheme \"%2\" (standard-webhooks, github "
                                    "or stripe)")
                         .arg(job.name, schemeName));
    WebhookEndpoint e;
    e.path = job.trigger.path.isEmpty() ? QStringLiteral("/hooks/%1").arg(job.name) : job.trigger.path;
    e.job = job.name;
    e.scheme = *scheme;
    e.toleranceSeconds = job.trigger.toleranceSeconds > 0
                             ? job.trigger.toleranceSeconds
                             : hook.value(QLatin1String("tolerance_seconds")).toInt(e.toleranceSeconds);
    e.secret = secrets.read ? secrets.read(source->name, QStringLiteral("webhook_secret")).toUtf8() : QByteArray();
    if (e.secret.isEmpty())
        return Error(QStringLiteral("job \"%1\" receives webhooks but connection \"%2\" has no webhook secret")
                         .arg(job.name, source->name));
    if (auto verifier = WebhookVerifier::create(e.scheme, e.secret, e.toleranceSeconds); !verifier)
        return Error(QStringLiteral("connection \"%1\", webhook_secret or tolerance (%2): %3")
                         .arg(source->name, schemeName, verifier.error().message));
    return e;
}

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

Expected<bool> WebhookReceiver::addEndpoint(const WebhookEndpoint &endpoint)
{
    auto verifier = WebhookVerifier::create(endpoint.scheme, endpoint.secret, endpoint.toleranceSeconds);
    if (!verifier)
        return verifier.error();
    m_routes.insert(endpoint.path, std::make_shared<const Route>(Route{endpoint, std::move(verifier).value()}));
    return true;
}

quint16 WebhookReceiver::start(quint16 port, const QHostAddress &address)
{
    return listen(address, port);
}

void WebhookReceiver::holdConnections(bool hold)
{
    for (QTcpServer *server : servers()) {
        if (hold)
            server->pauseAccepting();
        else
            server->resumeAccepting();
    }
}

void WebhookReceiver::setJobUnavailable(const QString &job, const QString &reason)
{
    m_unavailable.insert(job, reason.isEmpty() ? QStringLiteral("it cannot run") : reason);
}

void WebhookReceiver::setJobAvailable(const QString &job)
{
    m_unavailable.remove(job);
}

void WebhookReceiver::reply(QTcpSocket *socket, int status, const QByteArray &body, const QByteArray &extraHeaders)
{
    const QByteArray reason = status == 200   ? "OK"
                              : status == 400 ? "Bad Request"
                              : status == 401 ? "Unauthorized"
                              : status == 404 ? "Not Found"
                              : status == 405 ? "Method Not Allowed"
                              : status == 413 ? "Payload Too Large"
                                              : "Service Unavailable";
    socket->write("HTTP/1.1 " + QByteArray::number(status) + ' ' + reason + "\r\nContent-Type: application/json\r\n" +
                  extraHeaders + "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body);
}

bool WebhookReceiver::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    const QString path = request.url().path();
    auto refuse = [&](int status, const QString &why, const QByteArray &extraHeaders = {}) {
        reply(socket, status, QJsonDocument(QJsonObject{{QStringLiteral("error"), why}}).toJson(QJsonDocument::Compact),
              extraHeaders);
        Q_EMIT rejected(path, status, why);
        return true;
    };
    const auto it = m_routes.constFind(path);
    if (it == m_routes.cend())
        return refuse(404, QStringLiteral("no webhook is configured at this path"));
    const WebhookEndpoint &endpoint = it.value()->endpoint;
    if (request.method() != QHttpServerRequest::Method::Post)
        return refuse(405, QStringLiteral("webhooks are POSTed"));
    const QByteArray body = request.body();
    if (body.size() > endpoint.maxBodyBytes)
        return refuse(413, QStringLiteral("the body is larger than %1 bytes").arg(endpoint.maxBodyBytes));
    const auto delivery = it.value()->verifier.verify(request.headers(), body, QDateTime::currentSecsSinceEpoch());
    if (!delivery)
        return refuse(401, delivery.error().message);
    if (const QString why = m_unavailable.value(endpoint.job); !why.isEmpty()) {
        // Not stored: the vendor keeps the event and sends it again, by when the job may run.
        reply(socket, 503,
              QJsonDocument(
                  QJsonObject{{QStringLiteral("error"),
                               QStringLiteral("this webhook's job cannot run now; send the event again later")}})
                  .toJson(QJsonDocument::Compact),
              "Retry-After: " + QByteArray::number(kRetryAfterSeconds) + "\r\n");
        Q_EMIT rejected(path, 503, QStringLiteral("job \"%1\" cannot run: %2").arg(endpoint.job, why));
        Q_EMIT deliveryForUnavailableJob(endpoint.job);
        return true;
    }
    QJsonParseError e;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &e);
    if (e.error != QJsonParseError::NoError || !doc.isObject())
        return refuse(400, QStringLiteral("the body is not a JSON object"));
    if (!m_store)
        return refuse(503, QStringLiteral("the inbox is not available"));
    QByteArray eventId = delivery->eventId;
    if (eventId.isEmpty())
        eventId = doc.object().value(endpoint.eventIdPath).toVariant().toString().toUtf8();
    if (eventId.isEmpty())
        eventId = QCryptographicHash::hash(body, QCryptographicHash::Sha256).toHex();
    auto pending = std::make_unique<Pending>();
    pending->socket = socket;
    pending->event = {
        0, endpoint.job, QString::fromUtf8(eventId), body, QDateTime::currentMSecsSinceEpoch(), delivery->signedAt};
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
