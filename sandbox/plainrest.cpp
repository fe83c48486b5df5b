#include "sandbox/plainrest.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

namespace transom::sandbox {

PlainRest::PlainRest(const SandboxConfig &config, const SandboxClock &clock, Counters &counters,
                     const OAuthProvider &oauth, const LeadPortal &leads)
    : m_config(config), m_clock(clock), m_counters(counters), m_oauth(oauth), m_leads(leads)
{}

void PlainRest::addRoutes(Router &router)
{
    auto guarded = [this](Reply (PlainRest::*work)(const Request &)) {
        return [this, work](const Request &r, const auto &) {
            if (!authorized(r))
                return Reply::error(401, QStringLiteral("unauthorized"),
                                    QStringLiteral("a bearer token or X-Api-Key is required"));
            return (this->*work)(r);
        };
    };
    router.add("POST", "/contacts", "contacts.create", guarded(&PlainRest::create));
    router.add("POST", "/contacts/batch", "contacts.batch", guarded(&PlainRest::batch));
    router.add("GET", "/contacts", "contacts.find", [this](const Request &r, const auto &) {
        return authorized(r) ? find(r)
                             : Reply::error(401, QStringLiteral("unauthorized"),
                                            QStringLiteral("a bearer token or X-Api-Key is required"));
    });
    router.add("GET", "/leads", "plain.leads", [this](const Request &r, const auto &) {
        return authorized(r) ? leads(r)
                             : Reply::error(401, QStringLiteral("unauthorized"),
                                            QStringLiteral("a bearer token or X-Api-Key is required"));
    });
}

void PlainRest::clear()
{
    m_contacts.clear();
    m_timesStored.clear();
    m_nextId = 1;
}

bool PlainRest::authorized(const Request &request) const
{
    const QByteArray auth = request.header("authorization");
    if (auth.startsWith("Bearer "))
        return m_oauth.accessTokenValid(auth.mid(7).trimmed());
    return request.header("x-api-key") == m_config.apiKey.toUtf8();
}

QJsonObject PlainRest::take(const QJsonValue &value)
{
    const QJsonObject contact = value.toObject();
    const QString externalId = contact.value(QLatin1String("external_id")).toString();
    QJsonObject result{{QStringLiteral("external_id"), externalId}};
    QString error;
    if (!value.isObject())
        error = QStringLiteral("a contact must be a JSON object");
    else if (contact.value(QLatin1String("name")).toString().trimmed().isEmpty())
        error = QStringLiteral("name is required");
    else if (externalId.isEmpty())
        error = QStringLiteral("external_id is required");
    if (!error.isEmpty()) {
        m_counters.add(QStringLiteral("contacts.rejected"));
        result.insert(QStringLiteral("status"), QStringLiteral("error"));
        result.insert(QStringLiteral("error"), error);
        return result;
    }
    QJsonObject stored = contact;
    const int id = m_nextId++;
    stored.insert(QStringLiteral("id"), id);
    stored.insert(QStringLiteral("created_at"), m_clock.now().toString(Qt::ISODate));
    m_contacts.append(stored);
    if (++m_timesStored[externalId] > 1)
        m_counters.add(QStringLiteral("contacts.duplicates.stored"));
    m_counters.add(QStringLiteral("contacts.stored"));
    result.insert(QStringLiteral("status"), QStringLiteral("created"));
    result.insert(QStringLiteral("id"), id);
    return result;
}

Reply PlainRest::create(const Request &request)
{
    const QJsonDocument doc = QJsonDocument::fromJson(request.body);
    if (!doc.isObject())
        return Reply::error(400, QStringLiteral("bad_request"), QStringLiteral("the body is not a JSON object"));
    const QJsonObject result = take(doc.object());
    if (result.contains(QLatin1String("error")))
        return Reply::json(422, QJsonObject{{QStringLiteral("message"), result.value(QLatin1String("error"))}});
    return Reply::json(201, result);
}

Reply PlainRest::batch(const Request &request)
{
    QJsonArray contacts;
    if (request.header("content-type").startsWith("application/x-ndjson")) {
        for (const QByteArray &line : request.body.split('\n')) {
            if (line.trimmed().isEmpty())
                continue;
            const QJsonDocument doc = QJsonDocument::fromJson(line);
            if (!doc.isObject())
                return Reply::error(400, QStringLiteral("bad_request"), QStringLiteral("a line is not a JSON object"));
            contacts.append(doc.object());
        }
    } else {
        const QJsonDocument doc = QJsonDocument::fromJson(request.body);
        if (!doc.isArray())
            return Reply::error(400, QStringLiteral("bad_request"),
                                QStringLiteral("expected a JSON array of contacts, [{...}, ...]"));
        contacts = doc.array();
    }
    if (contacts.size() > 100)
        return Reply::error(400, QStringLiteral("bad_request"), QStringLiteral("at most 100 contacts per batch"));
    QJsonArray failed, created;
    for (const QJsonValue &contact : std::as_const(contacts)) {
        const QJsonObject result = take(contact);
        (result.contains(QLatin1String("error")) ? failed : created).append(result);
    }
    // Failures first: the results are not in the order sent, so they must be matched by external id.
    QJsonArray results = failed;
    for (const QJsonValue &r : std::as_const(created))
        results.append(r);
    return Reply::json(200, QJsonObject{{QStringLiteral("results"), misbehave(results)}});
}

QJsonArray PlainRest::misbehave(QJsonArray results) const
{
    const QString quirk = m_config.contactsBatchReply;
    if (results.isEmpty() || quirk.isEmpty())
        return results;
    if (quirk == QLatin1String("short"))
        results.removeLast();
    else if (quirk == QLatin1String("no_ids"))
        results[0] = [o = results.at(0).toObject()]() mutable {
            o.remove(QStringLiteral("external_id"));
            return o;
        }();
    else if (quirk == QLatin1String("not_objects"))
        results[0] = QStringLiteral("ok");
    else if (quirk == QLatin1String("unknown_id"))
        results[0] = [o = results.at(0).toObject()]() mutable {
            o.insert(QStringLiteral("external_id"), QStringLiteral("not-sent"));
            return o;
        }();
    else if (quirk == QLatin1String("duplicate_id"))
        results.append(results.at(0));
    else if (quirk == QLatin1String("no_status"))
        results[0] = [o = results.at(0).toObject()]() mutable {
            o.remove(QStringLiteral("status"));
            return o;
        }();
    return results;
}

Reply PlainRest::find(const Request &request) const
{
    const QString externalId = request.query.queryItemValue(QStringLiteral("external_id"), QUrl::FullyDecoded);
    QJsonArray data;
    for (const QJsonObject &c : m_contacts)
        if (c.value(QLatin1String("external_id")).toString() == externalId)
            data.append(c);
    return Reply::json(200, QJsonObject{{QStringLiteral("data"), data}});
}

Reply PlainRest::leads(const Request &request) const
{
    const int page = std::max(1, request.query.queryItemValue(QStringLiteral("page")).toInt());
    const int perPage = std::clamp(request.query.hasQueryItem(QStringLiteral("per_page"))
                                       ? request.query.queryItemValue(QStringLiteral("per_page")).toInt()
                                       : 25,
                                   1, 100);
    const QList<QJsonObject> &all = m_leads.leads();
    QJsonArray data;
    for (qsizetype i = qsizetype(page - 1) * perPage; i < all.size() && i < qsizetype(page) * perPage; ++i)
        data.append(m_leads.present(all.at(i)));
    m_counters.add(QStringLiteral("plain.leads.served"), data.size());
    return Reply::json(200, QJsonObject{{QStringLiteral("data"), data},
                                        {QStringLiteral("page"), page},
                                        {QStringLiteral("per_page"), perPage},
                                        {QStringLiteral("total"), all.size()}});
}

} // namespace transom::sandbox
