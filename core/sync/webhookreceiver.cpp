#include "core/sync/webhookreceiver.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QHttpServerRequest>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>

#include <sys/socket.h>

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
    if (const QJsonValue max = hook.value(QLatin1String("max_body_bytes")); !max.isUndefined()) {
        e.maxBodyBytes = max.toInteger(0);
        if (e.maxBodyBytes < 1 || e.maxBodyBytes > WebhookEndpoint::kLargestMaxBodyBytes)
            return Error(QStringLiteral("connection \"%1\": the webhook setting \"max_body_bytes\" must be a number of "
                                        "bytes from 1 to %2")
                             .arg(source->name)
                             .arg(WebhookEndpoint::kLargestMaxBodyBytes));
    }
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

/// Takes the connections of one address: each gets its socket watched (WebhookReceiver::read, connected
/// before Qt's server connects its own reader) before the server sees it.
class WebhookReceiver::Listener : public QTcpServer {
public:
    explicit Listener(WebhookReceiver *receiver) : QTcpServer(receiver), m_receiver(receiver) {}
    void take(QTcpSocket *socket) { addPendingConnection(socket); }

protected:
    void incomingConnection(qintptr descriptor) override { m_receiver->acceptConnection(this, descriptor); }

private:
    WebhookReceiver *m_receiver;
};

/// What is known of a connection's bytes as they arrive: where the request stands, how much of its body
/// may still come, and the deadline of what it is waiting for. A child of the socket: it goes with it.
struct WebhookReceiver::Connection : QObject {
    enum class Phase { Head, Body, Chunks, Refused };
    enum class Chunk { Size, Data, DataEnd, Trailer };
    Connection(QTcpSocket *s, WebhookReceiver *r) : QObject(s), socket(s), receiver(r) { timer.setSingleShot(true); }
    ~Connection() override
    {
        if (receiver)
            receiver->m_connections.remove(socket);
    }
    QTcpSocket *socket;
    QPointer<WebhookReceiver> receiver;
    Phase phase = Phase::Head;
    QByteArray head; ///< the request head read so far
    QByteArray path; ///< of the request being read
    QByteArray line; ///< chunked: the size or trailer line read so far
    Chunk chunk = Chunk::Size;
    qint64 bodyLeft = 0; ///< bytes of the body (or of the current chunk) still to come
    qint64 bodySeen = 0; ///< chunked: the bytes of data announced so far
    qint64 bodyLimit = 0;
    int awaiting = 0; ///< requests read whole and not answered yet
    QTimer timer;     ///< the deadline of what is awaited: a head, a body, an answer
};

namespace {

/// A request path as it may be printed: percent-encoded (a decoded "%0A" wrote a line of its own into
/// serve's output and log), printable ASCII only, at most 200 characters.
QString shownPath(const QByteArray &path)
{
    QByteArray encoded;
    encoded.reserve(path.size());
    for (const char ch : path) {
        const auto byte = static_cast<unsigned char>(ch);
        if (byte > 0x20 && byte < 0x7F)
            encoded.append(ch); // printable ASCII, an escape already written ("%0A") included
        else
            encoded.append('%').append(QByteArray::number(byte, 16).rightJustified(2, '0').toUpper());
    }
    return encoded.size() > 200 ? QString::fromLatin1(encoded.left(200)) + QStringLiteral("…")
                                : QString::fromLatin1(encoded);
}

constexpr int kLingerMs = 2000;

QByteArray statusLine(int status)
{
    const QByteArray reason = status == 200   ? "OK"
                              : status == 400 ? "Bad Request"
                              : status == 401 ? "Unauthorized"
                              : status == 404 ? "Not Found"
                              : status == 405 ? "Method Not Allowed"
                              : status == 408 ? "Request Timeout"
                              : status == 413 ? "Payload Too Large"
                              : status == 431 ? "Request Header Fields Too Large"
                                              : "Service Unavailable";
    return "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason + "\r\n";
}

void writeResponse(QTcpSocket *socket, int status, const QByteArray &body, const QByteArray &extraHeaders)
{
    socket->write(statusLine(status) + "Content-Type: application/json\r\n" + extraHeaders +
                  "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body);
}

QByteArray errorBody(const QString &why)
{
    return QJsonDocument(QJsonObject{{QStringLiteral("error"), why}}).toJson(QJsonDocument::Compact);
}

/// Ends a connection whose request is not read: what was written goes out, then the sending side is
/// closed and what the client still sends is read and thrown away (closing with unread bytes would
/// reset the connection, and the client could lose the answer) until it closes, for at most a moment.
void closeAfterAnswer(QTcpSocket *socket)
{
    QObject::disconnect(socket, &QTcpSocket::readyRead, nullptr, nullptr);
    if (socket->isTransactionStarted())
        socket->commitTransaction(); // what Qt's reader held is let go
    QObject::connect(socket, &QTcpSocket::readyRead, socket, [socket] { socket->skip(socket->bytesAvailable()); });
    socket->skip(socket->bytesAvailable());
    auto shutWrite = [socket] {
        if (socket->bytesToWrite() == 0 && socket->state() == QAbstractSocket::ConnectedState)
            ::shutdown(int(socket->socketDescriptor()), SHUT_WR);
    };
    QObject::connect(socket, &QTcpSocket::bytesWritten, socket, shutWrite);
    QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    socket->flush();
    shutWrite();
    QTimer::singleShot(kLingerMs, socket, [socket] {
        socket->abort();
        socket->deleteLater();
    });
}

} // namespace

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
    auto *listener = new Listener(this);
    if (!listener->listen(address, port)) {
        delete listener;
        return 0;
    }
    bind(listener);
    return listener->serverPort();
}

void WebhookReceiver::acceptConnection(Listener *listener, qintptr descriptor)
{
    auto *socket = new QTcpSocket(listener);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    if (m_connections.size() >= m_limits.maxConnections) {
        writeResponse(socket, 503, errorBody(QStringLiteral("too many connections; try again later")),
                      "Retry-After: " + QByteArray::number(kBusyRetryAfterSeconds) + "\r\nConnection: close\r\n");
        closeAfterAnswer(socket);
        if (!m_saidFull) { // once until a connection is taken again, not once per refused connection
            m_saidFull = true;
            Q_EMIT rejected(QString(), 503,
                            QStringLiteral("%1 connections are open, the most allowed: new ones are answered 503 "
                                           "until some close")
                                .arg(m_limits.maxConnections));
        }
        return;
    }
    m_saidFull = false;
    auto *c = new Connection(socket, this);
    m_connections.insert(socket, c);
    connect(socket, &QTcpSocket::readyRead, c, [this, c] { read(c); });
    connect(&c->timer, &QTimer::timeout, c, [this, c] { timedOut(c); });
    c->timer.start(m_limits.headerTimeoutMs);
    listener->take(socket); // Qt's server connects its reader now: after ours
}

qint64 WebhookReceiver::bodyLimitFor(QByteArrayView path) const
{
    if (const auto it = m_routes.constFind(QString::fromUtf8(path)); it != m_routes.cend())
        return it.value()->endpoint.maxBodyBytes;
    qint64 largest = WebhookEndpoint::kDefaultMaxBodyBytes;
    for (const auto &route : m_routes)
        largest = std::max(largest, route->endpoint.maxBodyBytes);
    return largest;
}

// Runs before Qt's reader, which reads everything available each time: what is available now is what
// arrived since. It is looked at (never taken) to follow the request, so that a body too large or too
// slow is refused before Qt's server holds it.
void WebhookReceiver::read(Connection *c)
{
    if (c->phase == Connection::Phase::Refused)
        return;
    const QByteArray data = c->socket->peek(c->socket->bytesAvailable());
    m_bytesRead += data.size();
    QByteArrayView rest(data);
    while (!rest.isEmpty()) {
        switch (c->phase) {
        case Connection::Phase::Head:
            if (!readHead(c, rest))
                return;
            break;
        case Connection::Phase::Body: {
            const qint64 take = std::min<qint64>(rest.size(), c->bodyLeft);
            c->bodyLeft -= take;
            rest = rest.sliced(take);
            if (c->bodyLeft == 0)
                requestRead(c);
            break;
        }
        case Connection::Phase::Chunks:
            if (!readChunks(c, rest))
                return;
            break;
        case Connection::Phase::Refused:
            return;
        }
    }
}

bool WebhookReceiver::readHead(Connection *c, QByteArrayView &data)
{
    const qsizetype before = c->head.size();
    const qsizetype room = qsizetype(m_limits.maxHeaderBytes) + 4 - before;
    c->head.append(data.first(std::min(data.size(), std::max<qsizetype>(room, 0))));
    qsizetype end = c->head.indexOf("\r\n\r\n", std::max<qsizetype>(0, before - 3));
    qsizetype endLength = 4;
    if (end < 0) {
        end = c->head.indexOf("\n\n", std::max<qsizetype>(0, before - 1));
        endLength = 2;
    }
    if (end < 0) {
        if (c->head.size() > m_limits.maxHeaderBytes) {
            refuseEarly(c, 431,
                        QStringLiteral("the request head is larger than %1 bytes").arg(m_limits.maxHeaderBytes));
            return false;
        }
        data = {};
        return true;
    }
    data = data.sliced(end + endLength - before);
    const QList<QByteArray> lines = c->head.left(end).split('\n');
    c->head.clear();
    const QList<QByteArray> request = lines.value(0).trimmed().split(' ');
    c->path = request.value(1);
    if (const qsizetype query = c->path.indexOf('?'); query >= 0)
        c->path.truncate(query);
    qint64 length = 0;
    bool chunked = false;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray &line = lines.at(i);
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        if (name == "content-length") {
            bool ok = false;
            length = value.toLongLong(&ok);
            if (!ok || length < 0) {
                refuseEarly(c, 400, QStringLiteral("the Content-Length is not a number of bytes"));
                return false;
            }
        } else if (name == "transfer-encoding") {
            chunked = value.toLower().contains("chunked");
        }
    }
    c->bodyLimit = bodyLimitFor(c->path);
    if (chunked) {
        c->phase = Connection::Phase::Chunks;
        c->chunk = Connection::Chunk::Size;
        c->line.clear();
        c->bodySeen = 0;
        c->timer.start(m_limits.bodyTimeoutMs);
    } else if (length > c->bodyLimit) {
        refuseEarly(c, 413, QStringLiteral("the body is larger than %1 bytes").arg(c->bodyLimit));
        return false;
    } else if (length > 0) {
        c->phase = Connection::Phase::Body;
        c->bodyLeft = length;
        c->timer.start(m_limits.bodyTimeoutMs);
    } else {
        requestRead(c);
    }
    return true;
}

bool WebhookReceiver::readChunks(Connection *c, QByteArrayView &data)
{
    constexpr qsizetype kMaxLine = 4096;
    while (!data.isEmpty()) {
        if (c->chunk == Connection::Chunk::Data) {
            const qint64 take = std::min<qint64>(data.size(), c->bodyLeft);
            c->bodyLeft -= take;
            data = data.sliced(take);
            if (c->bodyLeft == 0)
                c->chunk = Connection::Chunk::DataEnd;
            continue;
        }
        // The other steps read a line: a chunk's size, the CRLF after its data, a trailer.
        const qsizetype newline = data.indexOf('\n');
        const qsizetype take = newline < 0 ? data.size() : newline + 1;
        c->line.append(data.first(take));
        data = data.sliced(take);
        if (c->line.size() > kMaxLine) {
            refuseEarly(c, 400, QStringLiteral("a line of the chunked body is too long"));
            return false;
        }
        if (newline < 0)
            return true;
        const QByteArray line = c->line.trimmed();
        c->line.clear();
        switch (c->chunk) {
        case Connection::Chunk::Size: {
            const qsizetype extension = line.indexOf(';');
            const QByteArray hex = (extension < 0 ? line : line.left(extension)).trimmed();
            bool ok = false;
            const qint64 size = hex.size() <= 15 ? hex.toLongLong(&ok, 16) : -1;
            if (hex.size() > 15 || (ok && size > c->bodyLimit - c->bodySeen)) {
                refuseEarly(c, 413, QStringLiteral("the body is larger than %1 bytes").arg(c->bodyLimit));
                return false;
            }
            if (!ok || size < 0) {
                refuseEarly(c, 400, QStringLiteral("the chunked body is malformed"));
                return false;
            }
            c->bodySeen += size;
            c->bodyLeft = size;
            c->chunk = size == 0 ? Connection::Chunk::Trailer : Connection::Chunk::Data;
            break;
        }
        case Connection::Chunk::DataEnd:
            c->chunk = Connection::Chunk::Size;
            break;
        case Connection::Chunk::Trailer:
            if (line.isEmpty()) {
                requestRead(c);
                return true; // what follows is the next request's head
            }
            break;
        case Connection::Chunk::Data:
            break;
        }
    }
    return true;
}

void WebhookReceiver::requestRead(Connection *c)
{
    c->phase = Connection::Phase::Head;
    ++c->awaiting;
    c->timer.start(m_limits.bodyTimeoutMs); // Qt's server has it whole: the answer is due
}

void WebhookReceiver::refuseEarly(Connection *c, int status, const QString &why)
{
    c->phase = Connection::Phase::Refused;
    c->timer.stop();
    writeResponse(c->socket, status, errorBody(why), "Connection: close\r\n");
    closeAfterAnswer(c->socket);
    Q_EMIT rejected(shownPath(c->path), status, why);
}

void WebhookReceiver::timedOut(Connection *c)
{
    if (c->phase == Connection::Phase::Refused)
        return;
    if (c->awaiting > 0 || (c->phase == Connection::Phase::Head && c->head.isEmpty())) {
        // No answer came in time (Qt's server could not read the request), or a kept-alive connection
        // is idle: closed without a word.
        c->phase = Connection::Phase::Refused;
        closeAfterAnswer(c->socket);
        return;
    }
    const bool head = c->phase == Connection::Phase::Head;
    refuseEarly(c, 408,
                head ? QStringLiteral("the request head did not arrive within %1 ms").arg(m_limits.headerTimeoutMs)
                     : QStringLiteral("the body did not arrive within %1 ms").arg(m_limits.bodyTimeoutMs));
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

void WebhookReceiver::setLimits(const Limits &limits)
{
    m_limits = limits;
    m_commitTimer.setInterval(std::max(0, limits.groupDeliveriesMs));
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
    writeResponse(socket, status, body, extraHeaders);
    Connection *c = m_connections.value(socket);
    if (c && c->awaiting > 0 && --c->awaiting == 0 && c->phase == Connection::Phase::Head)
        c->timer.start(m_limits.headerTimeoutMs); // the next request, on a kept-alive connection
}

bool WebhookReceiver::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    const QString path = request.url().path();
    const QString shown = shownPath(request.url().path(QUrl::FullyEncoded).toUtf8());
    auto refuse = [&](int status, const QString &why, const QByteArray &extraHeaders = {}) {
        reply(socket, status, QJsonDocument(QJsonObject{{QStringLiteral("error"), why}}).toJson(QJsonDocument::Compact),
              extraHeaders);
        Q_EMIT rejected(shown, status, why);
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
        Q_EMIT rejected(shown, 503, QStringLiteral("job \"%1\" cannot run: %2").arg(endpoint.job, why));
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
    if (qsizetype(m_pending.size()) >= m_limits.maxPendingDeliveries ||
        m_pendingBytes + body.size() > m_limits.maxPendingBytes)
        return refuse(503, QStringLiteral("too many deliveries are waiting to be stored; send this one again later"),
                      "Retry-After: " + QByteArray::number(kBusyRetryAfterSeconds) + "\r\n");
    auto pending = std::make_unique<Pending>();
    pending->socket = socket;
    pending->event = {
        0, endpoint.job, QString::fromUtf8(eventId), body, QDateTime::currentMSecsSinceEpoch(), delivery->signedAt};
    m_pending.push_back(std::move(pending));
    m_pendingBytes += body.size();
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
    m_pendingBytes = 0;
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
