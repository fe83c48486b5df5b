#include "sandbox/sandboxserver.h"

#include <QHttpServerRequest>
#include <QJsonArray>
#include <QTcpSocket>
#include <QTimer>

namespace transom::sandbox {

namespace {

QByteArray reason(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 204:
        return "No Content";
    case 302:
        return "Found";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 409:
        return "Conflict";
    case 422:
        return "Unprocessable Entity";
    case 429:
        return "Too Many Requests";
    case 503:
        return "Service Unavailable";
    default:
        return status < 400 ? "OK" : "Error";
    }
}

QByteArray methodName(QHttpServerRequest::Method m)
{
    switch (m) {
    case QHttpServerRequest::Method::Get:
        return "GET";
    case QHttpServerRequest::Method::Post:
        return "POST";
    case QHttpServerRequest::Method::Put:
        return "PUT";
    case QHttpServerRequest::Method::Delete:
        return "DELETE";
    case QHttpServerRequest::Method::Patch:
        return "PATCH";
    case QHttpServerRequest::Method::Head:
        return "HEAD";
    case QHttpServerRequest::Method::Options:
        return "OPTIONS";
    default:
        return "OTHER";
    }
}

} // namespace

SandboxServer::SandboxServer(SandboxConfig config, QObject *parent)
    : QAbstractHttpServer(parent)
    , m_config(std::move(config))
    , m_faultRng(m_config.seed ^ 0xfa17u)
    , m_data(m_config.seed)
    , m_oauth(m_config, m_clock, m_counters)
    , m_listings(m_config, m_clock, m_counters, m_oauth)
    , m_portal(m_config, m_counters)
    , m_crm(m_config, m_clock, m_counters, m_oauth)
    , m_plainRest(m_config, m_clock, m_counters, m_oauth, m_portal)
    , m_webhooks(m_counters, this)
{
    m_oauth.addRoutes(m_router);
    m_listings.addRoutes(m_router);
    m_portal.addRoutes(m_router);
    m_crm.addRoutes(m_router);
    m_plainRest.addRoutes(m_router);
    addAdminRoutes();
    reseed();
}

SandboxServer::~SandboxServer() = default;

quint16 SandboxServer::start(quint16 port, const QHostAddress &address)
{
    const quint16 bound = listen(address, port);
    if (bound != 0)
        m_baseUrl = QStringLiteral("http://%1:%2").arg(address.toString()).arg(bound);
    return bound;
}

void SandboxServer::reseed()
{
    m_data = DataGenerator(m_config.seed);
    m_portal.setLeads(m_data.leads(m_config.leads));
    m_listings.members = m_data.agents(m_config.agents);
    m_listings.properties = m_data.listings(m_config.listings, m_config.agents);
    m_nextEvent = 0;
}

void SandboxServer::setFaults(const QString &endpoint, const FaultPlan &plan)
{
    m_faults.insert(endpoint, plan);
}

QString SandboxServer::setFaults(const QJsonObject &body)
{
    const QString endpoint = body.value(QLatin1String("endpoint")).toString(QStringLiteral("*"));
    setFaults(endpoint, FaultPlan::fromJson(body));
    return endpoint;
}

QJsonObject SandboxServer::saveState() const
{
    return {{QStringLiteral("crm"), m_crm.saveState()}, {QStringLiteral("counters"), m_counters.toJson()}};
}

void SandboxServer::loadState(const QJsonObject &state)
{
    m_crm.loadState(state.value(QLatin1String("crm")).toObject());
    const QJsonObject counters = state.value(QLatin1String("counters")).toObject();
    for (auto it = counters.begin(); it != counters.end(); ++it)
        m_counters.add(it.key(), it.value().toInteger());
}

void SandboxServer::sendLeadEvents(int count, int duplicates, int forged)
{
    auto event = [this](const QJsonObject &lead) {
        const QString id = lead.value(QLatin1String("lead_id")).toString();
        return QJsonObject{{QStringLiteral("id"), QStringLiteral("evt-%1").arg(++m_nextEvent)},
                           {QStringLiteral("type"), QStringLiteral("lead.created")},
                           {QStringLiteral("created_at"), m_clock.now().toString(Qt::ISODateWithMs)},
                           {QStringLiteral("data"),
                            QJsonObject{{QStringLiteral("lead_id"), id},
                                        {QStringLiteral("uri"), m_baseUrl + QStringLiteral("/portal/leads/") + id}}},
                           {QStringLiteral("lead"), m_portal.present(lead)}};
    };
    for (int i = 0; i < count; ++i) {
        QJsonObject lead = m_data.lead(int(m_portal.leads().size()));
        lead.insert(QStringLiteral("updated_at"), m_clock.now().toString(Qt::ISODate));
        m_portal.appendLead(lead);
        const QJsonObject e = event(lead);
        m_webhooks.send(e);
        if (i < duplicates)
            m_webhooks.send(e);
    }
    for (int i = 0; i < forged; ++i)
        m_webhooks.send(event(m_data.lead(1000000 + i)), true);
}

Request SandboxServer::toRequest(const QHttpServerRequest &request, const QString &baseUrl)
{
    Request r;
    r.method = methodName(request.method());
    r.path = request.url().path();
    r.query = request.query();
    for (const auto &[name, value] : request.headers())
        r.headers.insert(name.toLower(), value);
    r.body = request.body();
    r.baseUrl = baseUrl;
    return r;
}

const FaultPlan *SandboxServer::planFor(const QString &endpoint) const
{
    auto it = m_faults.constFind(endpoint);
    if (it == m_faults.cend())
        it = m_faults.constFind(QStringLiteral("*"));
    return it == m_faults.cend() ? nullptr : &it.value();
}

Reply SandboxServer::dispatch(const Request &request, const Router::Match &match, const FaultPlan *plan)
{
    if (!match.handler) {
        return match.pathKnown
                   ? Reply::error(405, QStringLiteral("method_not_allowed"),
                                  QStringLiteral("%1 is not allowed here").arg(QString::fromLatin1(request.method)))
                   : Reply::error(404, QStringLiteral("not_found"),
                                  QStringLiteral("no such endpoint: %1").arg(request.path));
    }
    if (plan) {
        const double roll = m_faultRng.generateDouble();
        if (roll < plan->serverError) {
            m_counters.add(QStringLiteral("faults.503"));
            return Reply::json(
                503, QJsonObject{{QStringLiteral("errorMessage"), QStringLiteral("Service temporarily unavailable")}});
        }
        if (roll < plan->serverError + plan->tooMany) {
            m_counters.add(QStringLiteral("faults.429"));
            Reply reply =
                Reply::json(429, QJsonObject{{QStringLiteral("errorMessage"), QStringLiteral("Too many requests")}});
            reply.header("Retry-After", QByteArray::number(plan->retryAfterSeconds));
            if (plan->tooManyBudgetLeft)
                m_crm.budgetLeftHeaders(reply); // a 429 unrelated to the rate: budget remains
            return reply;
        }
    }
    return (*match.handler)(request, match.captures);
}

bool SandboxServer::handleRequest(const QHttpServerRequest &httpRequest, QTcpSocket *socket)
{
    const Request request = toRequest(httpRequest, m_baseUrl);
    const bool close = request.header("connection").toLower() == "close";
    m_counters.add(QStringLiteral("requests.total"));
    const bool admin = request.path.startsWith(QLatin1String("/_admin/"));
    const Router::Match match = (admin ? m_admin : m_router).find(request);
    const QString endpoint = match.handler ? match.endpoint : QStringLiteral("unknown");
    const FaultPlan *plan = admin || !match.handler ? nullptr : planFor(endpoint);
    if (plan && plan->drop > 0 && m_faultRng.generateDouble() < plan->drop) {
        m_counters.add(QStringLiteral("faults.drop"));
        QTimer::singleShot(0, socket, [socket] { socket->abort(); });
        return true;
    }
    Reply reply = dispatch(request, match, plan);
    m_counters.add(QStringLiteral("requests.%1").arg(endpoint));
    int delayMs = 0;
    if (plan) {
        if (reply.status < 300 && plan->lostAck > 0 && m_faultRng.generateDouble() < plan->lostAck) {
            // The work is done and stored; the acknowledgement never arrives.
            m_counters.add(QStringLiteral("faults.lost_ack"));
            if (m_faultRng.bounded(2) == 0) {
                QTimer::singleShot(0, socket, [socket] { socket->abort(); });
                return true;
            }
            reply = Reply::json(
                503, QJsonObject{{QStringLiteral("errorMessage"), QStringLiteral("Gateway timeout upstream")}});
        }
        if (reply.status < 300 && plan->malformed > 0 && m_faultRng.generateDouble() < plan->malformed) {
            m_counters.add(QStringLiteral("faults.malformed"));
            reply.status = 200;
            reply.body = reply.body.left(reply.body.size() / 2) + "<html>upstream error";
        }
        if (reply.status < 300 && plan->badUtf8 > 0 && m_faultRng.generateDouble() < plan->badUtf8) {
            // A byte that is not UTF-8 (as a Latin-1 "é" would be) inside the first record of the list.
            const qsizetype list = reply.body.indexOf("[{");
            const qsizetype value = list < 0 ? -1 : reply.body.indexOf("\":\"", list);
            if (value >= 0) {
                m_counters.add(QStringLiteral("faults.bad_utf8"));
                reply.body.insert(value + 3, '\xE9');
            }
        }
        if (plan->slow > 0 && m_faultRng.generateDouble() < plan->slow) {
            m_counters.add(QStringLiteral("faults.slow"));
            delayMs = plan->slowMs;
        }
    }
    m_counters.add(QStringLiteral("requests.%1.%2").arg(endpoint).arg(reply.status));
    respond(socket, reply, delayMs, close);
    return true;
}

void SandboxServer::missingHandler(const QHttpServerRequest &, QTcpSocket *socket)
{
    respond(socket, Reply::error(404, QStringLiteral("not_found"), QStringLiteral("no such endpoint")), 0, false);
}

void SandboxServer::respond(QTcpSocket *socket, const Reply &reply, int delayMs, bool close)
{
    QByteArray bytes = "HTTP/1.1 " + QByteArray::number(reply.status) + ' ' + reason(reply.status) + "\r\n";
    for (const auto &[name, value] : reply.headers)
        bytes += name + ": " + value + "\r\n";
    bytes += "Content-Length: " + QByteArray::number(reply.body.size()) + "\r\n";
    bytes += close ? "Connection: close\r\n\r\n" : "Connection: keep-alive\r\n\r\n";
    bytes += reply.body;
    auto write = [socket, bytes, close] {
        socket->write(bytes);
        if (close)
            socket->disconnectFromHost();
    };
    if (delayMs > 0)
        QTimer::singleShot(delayMs, socket, write); // the socket as context: no write after it is gone
    else
        write();
}

} // namespace transom::sandbox
