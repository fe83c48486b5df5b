#include "sandbox/crm.h"

#include <QJsonArray>
#include <QRegularExpression>

#include <algorithm>

namespace transom::sandbox {

Crm::Crm(const SandboxConfig &config, const SandboxClock &clock, Counters &counters, const OAuthProvider &oauth)
    : stages{QStringLiteral("Lead"),
             QStringLiteral("Cold"),
             QStringLiteral("Warm"),
             QStringLiteral("Hot Prospect"),
             QStringLiteral("Appointment Set"),
             QStringLiteral("Nurture"),
             QStringLiteral("Prospect"),
             QStringLiteral("Under Contract"),
             QStringLiteral("Closed")}
    , m_config(config)
    , m_clock(clock)
    , m_counters(counters)
    , m_oauth(oauth)
{}

void Crm::addRoutes(Router &router)
{
    router.add("POST", "/v1/people", "crm.people.create",
               [this](const Request &r, const auto &) { return guarded(r, [&] { return create(r); }); });
    router.add("GET", "/v1/people", "crm.people.find",
               [this](const Request &r, const auto &) { return guarded(r, [&] { return find(r); }); });
    router.add("POST", "/v1/people/batch", "crm.people.batch",
               [this](const Request &r, const auto &) { return guarded(r, [&] { return batch(r); }); });
    router.add("PUT", "/v1/people/(\\d+)", "crm.people.update",
               [this](const Request &r, const QRegularExpressionMatch &m) {
                   return guarded(r, [&] { return update(r, m.captured(1).toInt()); });
               });
    router.add("GET", "/v1/people/(\\d+)", "crm.people.get",
               [this](const Request &r, const QRegularExpressionMatch &m) {
                   return guarded(r, [&] { return get(m.captured(1).toInt()); });
               });
    router.add("POST", "/v1/events", "crm.events",
               [this](const Request &r, const auto &) { return guarded(r, [&] { return event(r); }); });
    router.add("PUT", "/v2/leads/([0-9a-fA-F-]{8,64})", "crm.leads.put",
               [this](const Request &r, const QRegularExpressionMatch &m) {
                   return guarded(r, [&] { return putLead(r, m.captured(1).toLower()); });
               });
}

void Crm::clear()
{
    m_people.clear();
    m_byExternalId.clear();
    m_byEmail.clear();
    m_byPhone.clear();
    m_byUuid.clear();
    m_nextId = 5000;
}

QJsonObject Crm::saveState() const
{
    QJsonArray people;
    for (const QJsonObject &p : m_people)
        people.append(p);
    return {{QStringLiteral("people"), people}, {QStringLiteral("next_id"), m_nextId}};
}

void Crm::loadState(const QJsonObject &state)
{
    clear();
    for (const QJsonValue &v : state.value(QLatin1String("people")).toArray()) {
        const QJsonObject person = v.toObject();
        m_people.append(person);
        const int row = int(m_people.size() - 1);
        index(row);
        if (const QString uuid = person.value(QLatin1String("uuid")).toString(); !uuid.isEmpty())
            m_byUuid.insert(uuid, row);
    }
    m_nextId = std::max(m_nextId, state.value(QLatin1String("next_id")).toInt(m_nextId));
}

qint64 Crm::duplicatesStored() const
{
    return m_counters.value(QStringLiteral("crm.duplicates.stored"));
}

bool Crm::authorized(const Request &request) const
{
    const QByteArray auth = request.header("authorization");
    if (auth.startsWith("Bearer "))
        return m_oauth.accessTokenValid(auth.mid(7).trimmed());
    if (auth.startsWith("Basic ")) {
        const QByteArray pair = QByteArray::fromBase64(auth.mid(6));
        return pair.left(pair.indexOf(':')) == m_config.apiKey.toUtf8();
    }
    return request.header("x-api-key") == m_config.apiKey.toUtf8();
}

bool Crm::spendBudget(Reply &reply)
{
    if (m_config.crmRateLimit <= 0)
        return true;
    const qint64 windowMs = qint64(m_config.crmRateWindowSeconds) * 1000;
    const qint64 now = m_clock.nowMs();
    if (now - m_windowStartMs >= windowMs) {
        m_windowStartMs = now - now % windowMs;
        m_windowUsed = 0;
    }
    if (m_windowUsed >= m_config.crmRateLimit) {
        const qint64 waitMs = m_windowStartMs + windowMs - now;
        reply = Reply::json(429, QJsonObject{{QStringLiteral("errorMessage"), QStringLiteral("Rate limit exceeded")}});
        reply.header("Retry-After", QByteArray::number((waitMs + 999) / 1000));
        rateHeaders(reply);
        m_counters.add(QStringLiteral("crm.rate_limited"));
        return false;
    }
    ++m_windowUsed;
    return true;
}

void Crm::rateHeaders(Reply &reply) const
{
    if (m_config.crmRateLimit <= 0)
        return;
    const qint64 windowMs = qint64(m_config.crmRateWindowSeconds) * 1000;
    reply.header("X-RateLimit-Limit", QByteArray::number(m_config.crmRateLimit));
    reply.header("X-RateLimit-Remaining", QByteArray::number(std::max(0, m_config.crmRateLimit - m_windowUsed)));
    reply.header("X-RateLimit-Window", QByteArray::number(m_config.crmRateWindowSeconds));
    reply.header("X-RateLimit-Reset", QByteArray::number((m_windowStartMs + windowMs) / 1000));
}

void Crm::budgetLeftHeaders(Reply &reply) const
{
    if (m_config.crmRateLimit > 0 && m_windowUsed < m_config.crmRateLimit) {
        rateHeaders(reply);
        return;
    }
    reply.header("X-RateLimit-Limit", "100000");
    reply.header("X-RateLimit-Remaining", "99999");
}

Reply Crm::guarded(const Request &request, const std::function<Reply()> &work)
{
    if (!authorized(request))
        return Reply::error(401, QStringLiteral("invalid_token"),
                            QStringLiteral("missing, unknown or expired credentials"))
            .header("WWW-Authenticate", "Bearer realm=\"sandbox-crm\", error=\"invalid_token\"");
    Reply limited;
    if (!spendBudget(limited))
        return limited;
    Reply reply = work();
    rateHeaders(reply);
    return reply;
}

QString Crm::externalIdOf(const QJsonObject &person) const
{
    for (const char *key : {"externalId", "customWebsiteLeadId"}) {
        const QString id = person.value(QLatin1String(key)).toString();
        if (!id.isEmpty())
            return id;
    }
    return {};
}

QJsonArray Crm::validate(const QJsonObject &person) const
{
    static const QRegularExpression e164(QStringLiteral("^\\+[1-9]\\d{6,14}$"));
    QJsonArray errors;
    auto fail = [&errors](const QString &field, const QString &message) {
        errors.append(QJsonObject{{QStringLiteral("field"), field}, {QStringLiteral("message"), message}});
    };
    if (person.value(QLatin1String("firstName")).toString().trimmed().isEmpty() &&
        person.value(QLatin1String("lastName")).toString().trimmed().isEmpty())
        fail(QStringLiteral("firstName"), QStringLiteral("firstName or lastName is required"));
    if (person.contains(QLatin1String("stage")) && !stages.contains(person.value(QLatin1String("stage")).toString()))
        fail(QStringLiteral("stage"),
             QStringLiteral("Stage '%1' does not exist").arg(person.value(QLatin1String("stage")).toString()));
    const QJsonArray emails = person.value(QLatin1String("emails")).toArray();
    for (qsizetype i = 0; i < emails.size(); ++i) {
        const QString v = emails.at(i).toObject().value(QLatin1String("value")).toString();
        if (!v.contains(QLatin1Char('@')) || v.startsWith(QLatin1Char('@')) || v.endsWith(QLatin1Char('@')))
            fail(QStringLiteral("emails[%1].value").arg(i), QStringLiteral("'%1' is not an e-mail address").arg(v));
    }
    const QJsonArray phones = person.value(QLatin1String("phones")).toArray();
    for (qsizetype i = 0; i < phones.size(); ++i) {
        const QString v = phones.at(i).toObject().value(QLatin1String("value")).toString();
        if (!e164.match(v).hasMatch())
            fail(QStringLiteral("phones[%1].value").arg(i), QStringLiteral("'%1' is not an E.164 phone number").arg(v));
    }
    const QJsonValue budget = person.value(QLatin1String("customBudgetCents"));
    if (!budget.isUndefined() && !budget.isNull() &&
        (!budget.isDouble() || budget.toDouble() != double(budget.toInteger())))
        fail(QStringLiteral("customBudgetCents"), QStringLiteral("must be a whole number of cents"));
    return errors;
}

void Crm::index(int row)
{
    const QJsonObject &p = m_people.at(row);
    const QString ext = externalIdOf(p);
    if (!ext.isEmpty() && !m_byExternalId.contains(ext))
        m_byExternalId.insert(ext, row);
    for (const QJsonValue &e : p.value(QLatin1String("emails")).toArray())
        m_byEmail.insert(e.toObject().value(QLatin1String("value")).toString().toLower(), row);
    for (const QJsonValue &ph : p.value(QLatin1String("phones")).toArray())
        m_byPhone.insert(ph.toObject().value(QLatin1String("value")).toString(), row);
}

int Crm::store(QJsonObject person)
{
    const QString ext = externalIdOf(person);
    if (!ext.isEmpty() && m_byExternalId.contains(ext))
        m_counters.add(QStringLiteral("crm.duplicates.stored"));
    const int id = m_nextId++;
    const QString now = m_clock.now().toString(Qt::ISODate);
    person.insert(QStringLiteral("id"), id);
    person.insert(QStringLiteral("created"), now);
    person.insert(QStringLiteral("updated"), now);
    m_people.append(person);
    index(int(m_people.size() - 1));
    m_counters.add(QStringLiteral("crm.people.stored"));
    return id;
}

Reply Crm::create(const Request &request)
{
    QJsonObject person;
    if (!request.jsonBody(person))
        return Reply::json(
            400, QJsonObject{{QStringLiteral("errorMessage"), QStringLiteral("the body is not a JSON object")}});
    const QJsonArray errors = validate(person);
    if (!errors.isEmpty()) {
        m_counters.add(QStringLiteral("crm.validation.rejected"));
        return Reply::json(422, QJsonObject{{QStringLiteral("errorMessage"), QStringLiteral("Validation failed")},
                                            {QStringLiteral("errors"), errors}});
    }
    const QString ext = externalIdOf(person);
    if (m_config.crmRejectDuplicates && !ext.isEmpty() && m_byExternalId.contains(ext)) {
        m_counters.add(QStringLiteral("crm.duplicates.rejected"));
        const int existing = m_people.at(m_byExternalId.value(ext)).value(QLatin1String("id")).toInt();
        return Reply::json(
            409, QJsonObject{{QStringLiteral("errorMessage"),
                              QStringLiteral("A person with externalId %1 exists: id %2").arg(ext).arg(existing)},
                             {QStringLiteral("id"), existing},
                             {QStringLiteral("existingId"), existing}});
    }
    const int id = store(person);
    return Reply::json(201, QJsonObject{{QStringLiteral("id"), id}});
}

Reply Crm::update(const Request &request, int id)
{
    QJsonObject changes;
    if (!request.jsonBody(changes))
        return Reply::json(
            400, QJsonObject{{QStringLiteral("errorMessage"), QStringLiteral("the body is not a JSON object")}});
    // Ids are handed out in order from 5000: the row is the id's offset.
    const auto it = (id >= 5000 && id - 5000 < m_people.size()) ? m_people.begin() + (id - 5000) : m_people.end();
    if (it == m_people.end())
        return Reply::json(404, QJsonObject{{QStringLiteral("errorMessage"), QStringLiteral("no person %1").arg(id)}});
    QJsonObject merged = *it;
    for (auto c = changes.begin(); c != changes.end(); ++c)
        merged.insert(c.key(), c.value());
    const QJsonArray errors = validate(merged);
    if (!errors.isEmpty())
        return Reply::json(422, QJsonObject{{QStringLiteral("errorMessage"), QStringLiteral("Validation failed")},
                                            {QStringLiteral("errors"), errors}});
    merged.insert(QStringLiteral("updated"), m_clock.now().toString(Qt::ISODate));
    *it = merged;
    index(int(it - m_people.begin()));
    m_counters.add(QStringLiteral("crm.people.updated"));
    return Reply::json(200, QJsonObject{{QStringLiteral("id"), id}});
}

Reply Crm::get(int id)
{
    if (id >= 5000 && id - 5000 < m_people.size())
        return Reply::json(200, m_people.at(id - 5000));
    return Reply::json(404, QJsonObject{{QStringLiteral("errorMessage"), QStringLiteral("no person %1").arg(id)}});
}

Reply Crm::find(const Request &request)
{
    const QString ext = request.query.queryItemValue(QStringLiteral("externalId"), QUrl::FullyDecoded);
    QList<QJsonObject> matches;
    qsizetype offset = 0;
    int limit = std::clamp(request.query.queryItemValue(QStringLiteral("limit")).toInt(), 0, 100);
    if (limit == 0)
        limit = 25;
    if (m_config.crmNoLookup && request.query.hasQueryItem(QStringLiteral("externalId"))) {
        m_counters.add(QStringLiteral("crm.lookup.unsupported"));
        return Reply::json(404, QJsonObject{{QStringLiteral("errorMessage"),
                                             QStringLiteral("Unknown filter externalId: this CRM has no lookup by "
                                                            "external id")}});
    }
    if (!ext.isEmpty()) {
        const auto it = m_byExternalId.constFind(ext);
        if (it != m_byExternalId.cend())
            matches.append(m_people.at(*it));
    } else {
        offset = QByteArray::fromBase64(request.query.queryItemValue(QStringLiteral("next")).toLatin1(),
                                        QByteArray::Base64UrlEncoding)
                     .toLongLong();
        matches = m_people.mid(offset, limit);
    }
    QJsonArray people;
    for (const QJsonObject &p : std::as_const(matches))
        people.append(p);
    QJsonObject meta{{QStringLiteral("collection"), QStringLiteral("people")},
                     {QStringLiteral("offset"), offset},
                     {QStringLiteral("limit"), limit},
                     {QStringLiteral("total"), ext.isEmpty() ? m_people.size() : matches.size()}};
    if (ext.isEmpty() && offset + limit < m_people.size()) {
        const QString next =
            QString::fromLatin1(QByteArray::number(offset + limit).toBase64(QByteArray::Base64UrlEncoding));
        meta.insert(QStringLiteral("next"), next);
        meta.insert(QStringLiteral("nextLink"),
                    QStringLiteral("%1/v1/people?limit=%2&next=%3").arg(request.baseUrl).arg(limit).arg(next));
    }
    return Reply::json(200, QJsonObject{{QStringLiteral("_metadata"), meta}, {QStringLiteral("people"), people}});
}

Reply Crm::batch(const Request &request)
{
    QJsonObject body;
    if (!request.jsonBody(body) || !body.value(QLatin1String("people")).isArray())
        return Reply::json(
            400, QJsonObject{{QStringLiteral("errorMessage"), QStringLiteral("expected {\"people\": [...]}")}});
    const QJsonArray items = body.value(QLatin1String("people")).toArray();
    if (items.size() > 100)
        return Reply::json(
            400, QJsonObject{{QStringLiteral("errorMessage"), QStringLiteral("at most 100 people per batch")}});
    QJsonArray results;
    for (const QJsonValue &item : items) {
        const QJsonObject person = item.toObject();
        const QJsonArray errors = validate(person);
        if (!errors.isEmpty()) {
            m_counters.add(QStringLiteral("crm.validation.rejected"));
            results.append(QJsonObject{{QStringLiteral("status"), 422}, {QStringLiteral("errors"), errors}});
            continue;
        }
        const QString ext = externalIdOf(person);
        if (m_config.crmRejectDuplicates && !ext.isEmpty() && m_byExternalId.contains(ext)) {
            m_counters.add(QStringLiteral("crm.duplicates.rejected"));
            results.append(
                QJsonObject{{QStringLiteral("status"), 409},
                            {QStringLiteral("id"), m_people.at(m_byExternalId.value(ext)).value(QLatin1String("id"))}});
            continue;
        }
        results.append(QJsonObject{{QStringLiteral("status"), 201}, {QStringLiteral("id"), store(person)}});
    }
    return Reply::json(200, QJsonObject{{QStringLiteral("results"), results}});
}

Reply Crm::event(const Request &request)
{
    QJsonObject body;
    if (!request.jsonBody(body) || !body.value(QLatin1String("person")).isObject())
        return Reply::json(
            400, QJsonObject{{QStringLiteral("errorMessage"), QStringLiteral("an event needs a person object")}});
    QJsonObject person = body.value(QLatin1String("person")).toObject();
    const QJsonArray errors = validate(person);
    if (!errors.isEmpty()) {
        m_counters.add(QStringLiteral("crm.validation.rejected"));
        return Reply::json(422, QJsonObject{{QStringLiteral("errorMessage"), QStringLiteral("Validation failed")},
                                            {QStringLiteral("errors"), errors}});
    }
    // The intake matches people by e-mail, then phone, and runs its automations on the match.
    int row = -1;
    for (const QJsonValue &e : person.value(QLatin1String("emails")).toArray())
        row = std::max(row, m_byEmail.value(e.toObject().value(QLatin1String("value")).toString().toLower(), -1));
    for (const QJsonValue &ph : person.value(QLatin1String("phones")).toArray())
        if (row < 0)
            row = m_byPhone.value(ph.toObject().value(QLatin1String("value")).toString(), -1);
    m_counters.add(QStringLiteral("crm.events.received"));
    if (row >= 0) {
        QJsonObject merged = m_people.at(row);
        for (auto it = person.begin(); it != person.end(); ++it)
            merged.insert(it.key(), it.value());
        merged.insert(QStringLiteral("updated"), m_clock.now().toString(Qt::ISODate));
        m_people[row] = merged;
        m_counters.add(QStringLiteral("crm.events.deduped"));
        return Reply::json(200, QJsonObject{{QStringLiteral("id"), merged.value(QLatin1String("id"))},
                                            {QStringLiteral("deduped"), true}});
    }
    person.insert(QStringLiteral("source"), body.value(QLatin1String("source")));
    return Reply::json(201, QJsonObject{{QStringLiteral("id"), store(person)}, {QStringLiteral("deduped"), false}});
}

Reply Crm::putLead(const Request &request, const QString &uuid)
{
    QJsonObject person;
    if (!request.jsonBody(person))
        return Reply::json(
            400, QJsonObject{{QStringLiteral("errorMessage"), QStringLiteral("the body is not a JSON object")}});
    const QJsonArray errors = validate(person);
    if (!errors.isEmpty())
        return Reply::json(422, QJsonObject{{QStringLiteral("errorMessage"), QStringLiteral("Validation failed")},
                                            {QStringLiteral("errors"), errors}});
    person.insert(QStringLiteral("uuid"), uuid);
    const auto it = m_byUuid.constFind(uuid);
    if (it != m_byUuid.cend()) {
        person.insert(QStringLiteral("id"), m_people.at(*it).value(QLatin1String("id")));
        m_people[*it] = person;
        m_counters.add(QStringLiteral("crm.leads.replaced"));
        return Reply::json(200, QJsonObject{{QStringLiteral("uuid"), uuid}});
    }
    store(person);
    m_byUuid.insert(uuid, int(m_people.size() - 1));
    return Reply::json(201, QJsonObject{{QStringLiteral("uuid"), uuid}});
}

} // namespace transom::sandbox
