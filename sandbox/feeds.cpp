#include "sandbox/feeds.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QUrl>

namespace transom::sandbox {

ListingFeed::ListingFeed(const SandboxConfig &config, const SandboxClock &clock, Counters &counters,
                         const OAuthProvider &oauth)
    : m_config(config), m_clock(clock), m_counters(counters), m_oauth(oauth)
{}

void ListingFeed::addRoutes(Router &router)
{
    router.add("GET", "/odata/Property", "odata.property",
               [this](const Request &r, const auto &) { return serve(r, properties, QStringLiteral("Property")); });
    router.add("GET", "/odata/Member", "odata.member",
               [this](const Request &r, const auto &) { return serve(r, members, QStringLiteral("Member")); });
}

bool ListingFeed::spendQuota(Reply &reply)
{
    const qint64 now = m_clock.nowMs();
    if (now - m_minuteStart >= 60000) {
        m_minuteStart = now - now % 60000;
        m_minuteUsed = 0;
    }
    if (now - m_hourStart >= 3600000) {
        m_hourStart = now - now % 3600000;
        m_hourUsed = 0;
    }
    const bool minuteSpent = m_config.odataMinuteQuota > 0 && m_minuteUsed >= m_config.odataMinuteQuota;
    const bool hourSpent = m_config.odataHourQuota > 0 && m_hourUsed >= m_config.odataHourQuota;
    if (minuteSpent || hourSpent) {
        const qint64 resetMs = hourSpent ? m_hourStart + 3600000 : m_minuteStart + 60000;
        reply =
            Reply::json(429, QJsonObject{{QStringLiteral("error"),
                                          QJsonObject{{QStringLiteral("message"), QStringLiteral("Quota exceeded")}}}});
        reply.header("Retry-After", QByteArray::number((resetMs - now + 999) / 1000));
        quotaHeaders(reply);
        m_counters.add(QStringLiteral("odata.quota_exceeded"));
        return false;
    }
    ++m_minuteUsed;
    ++m_hourUsed;
    return true;
}

void ListingFeed::quotaHeaders(Reply &reply) const
{
    if (m_config.odataMinuteQuota > 0) {
        reply.header("Minute-Quota-Limit", QByteArray::number(m_config.odataMinuteQuota));
        reply.header("Minute-Quota-Available",
                     QByteArray::number(std::max(0, m_config.odataMinuteQuota - m_minuteUsed)));
    }
    if (m_config.odataHourQuota > 0) {
        reply.header("Hour-Quota-Limit", QByteArray::number(m_config.odataHourQuota));
        reply.header("Hour-Quota-Available", QByteArray::number(std::max(0, m_config.odataHourQuota - m_hourUsed)));
        reply.header("Hour-Quota-ResetTime",
                     QDateTime::fromMSecsSinceEpoch(m_hourStart + 3600000, Qt::UTC).toString(Qt::ISODate).toLatin1());
    }
}

Reply ListingFeed::serve(const Request &request, const QList<QJsonObject> &records, const QString &resource)
{
    const QByteArray auth = request.header("authorization");
    if (!auth.startsWith("Bearer ") || !m_oauth.accessTokenValid(auth.mid(7).trimmed()))
        return Reply::error(401, QStringLiteral("invalid_token"), QStringLiteral("a valid bearer token is required"))
            .header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    Reply limited;
    if (!spendQuota(limited))
        return limited;
    // $filter: ModificationTimestamp gt 2026-11-01T00:00:00Z [and ModificationTimestamp le ...]
    static const QRegularExpression clause(
        QStringLiteral(R"(ModificationTimestamp\s+(gt|ge|lt|le)\s+'?([0-9T:.\-+Z]+)'?)"));
    const QString filter = request.query.queryItemValue(QStringLiteral("$filter"), QUrl::FullyDecoded);
    QList<QPair<QString, QDateTime>> conditions;
    for (auto it = clause.globalMatch(filter); it.hasNext();) {
        const auto m = it.next();
        const QDateTime at = QDateTime::fromString(m.captured(2), Qt::ISODateWithMs);
        if (!at.isValid())
            return Reply::json(
                400, QJsonObject{{QStringLiteral("error"),
                                  QJsonObject{{QStringLiteral("message"),
                                               QStringLiteral("bad timestamp in $filter: %1").arg(m.captured(2))}}}});
        conditions.append({m.captured(1), at});
    }
    if (!filter.isEmpty() && conditions.isEmpty())
        return Reply::json(400, QJsonObject{{QStringLiteral("error"),
                                             QJsonObject{{QStringLiteral("message"),
                                                          QStringLiteral("unsupported $filter: %1").arg(filter)}}}});
    QList<const QJsonObject *> matching;
    for (const QJsonObject &r : records) {
        const QDateTime ts =
            QDateTime::fromString(r.value(QLatin1String("ModificationTimestamp")).toString(), Qt::ISODateWithMs);
        const bool keep = std::all_of(conditions.cbegin(), conditions.cend(), [&](const auto &c) {
            return c.first == QLatin1String("gt")   ? ts > c.second
                   : c.first == QLatin1String("ge") ? ts >= c.second
                   : c.first == QLatin1String("lt") ? ts < c.second
                                                    : ts <= c.second;
        });
        if (keep)
            matching.append(&r);
    }
    int top = request.query.hasQueryItem(QStringLiteral("$top"))
                  ? request.query.queryItemValue(QStringLiteral("$top")).toInt()
                  : 100;
    top = std::clamp(top, 1, m_config.odataMaxTop);
    const qsizetype skip = std::max(0, request.query.queryItemValue(QStringLiteral("$skip")).toInt());
    QJsonArray value;
    for (qsizetype i = skip; i < matching.size() && i < skip + top; ++i)
        value.append(*matching.at(i));
    QJsonObject body{
        {QStringLiteral("@odata.context"), QStringLiteral("%1/odata/$metadata#%2").arg(request.baseUrl, resource)},
        {QStringLiteral("value"), value}};
    if (skip + top < matching.size()) {
        QUrlQuery next;
        if (!filter.isEmpty())
            next.addQueryItem(QStringLiteral("$filter"), QString::fromLatin1(QUrl::toPercentEncoding(filter)));
        next.addQueryItem(QStringLiteral("$top"), QString::number(top));
        next.addQueryItem(QStringLiteral("$skip"), QString::number(skip + top));
        const QString linkBase = m_config.odataNextLinkBase.isEmpty() ? request.baseUrl : m_config.odataNextLinkBase;
        body.insert(QStringLiteral("@odata.nextLink"),
                    QStringLiteral("%1/odata/%2?%3").arg(linkBase, resource, next.toString(QUrl::FullyEncoded)));
    }
    Reply reply = Reply::json(200, body);
    quotaHeaders(reply);
    return reply;
}

LeadPortal::LeadPortal(const SandboxConfig &config, Counters &counters)
    : schemaVersion(config.portalSchemaVersion), m_config(config), m_counters(counters)
{}

void LeadPortal::addRoutes(Router &router)
{
    router.add("GET", "/portal/leads", "portal.leads", [this](const Request &r, const auto &) { return list(r); });
    router.add("GET", "/portal/leads/([A-Za-z0-9_-]+)", "portal.lead",
               [this](const Request &r, const QRegularExpressionMatch &m) {
                   if (r.header("x-api-key") != m_config.apiKey.toUtf8())
                       return Reply::error(401, QStringLiteral("unauthorized"),
                                           QStringLiteral("X-Api-Key is missing or wrong"));
                   return one(m.captured(1));
               });
}

QJsonObject LeadPortal::present(const QJsonObject &lead) const
{
    if (schemaVersion < 2)
        return lead;
    QJsonObject v2 = lead;
    v2.insert(QStringLiteral("phone_number"), v2.take(QStringLiteral("phone")));
    v2.insert(QStringLiteral("consent"),
              QJsonObject{{QStringLiteral("tcpa"), true},
                          {QStringLiteral("given_at"), lead.value(QLatin1String("updated_at"))}});
    return v2;
}

void LeadPortal::setLeads(QList<QJsonObject> leads)
{
    m_leads = std::move(leads);
    m_json.clear();
    // Written now, while the sandbox is being set up, rather than while a client pages through them:
    // a vendor's portal does not share the client's CPU, and this one does.
    for (qsizetype i = 0; i < m_leads.size(); ++i)
        presentedJson(i);
}

void LeadPortal::appendLead(const QJsonObject &lead)
{
    m_leads.append(lead);
}

const QByteArray &LeadPortal::presentedJson(qsizetype index) const
{
    if (m_jsonSchema != schemaVersion) {
        m_json.clear();
        m_jsonSchema = schemaVersion;
    }
    if (m_json.size() < m_leads.size())
        m_json.resize(m_leads.size());
    QByteArray &json = m_json[index];
    if (json.isEmpty())
        json = QJsonDocument(present(m_leads.at(index))).toJson(QJsonDocument::Compact);
    return json;
}

Reply LeadPortal::list(const Request &request)
{
    if (request.header("x-api-key") != m_config.apiKey.toUtf8())
        return Reply::error(401, QStringLiteral("unauthorized"), QStringLiteral("X-Api-Key is missing or wrong"));
    const QString sinceText = request.query.queryItemValue(QStringLiteral("updated_since"), QUrl::FullyDecoded);
    const QDateTime since = sinceText.isEmpty() ? QDateTime() : QDateTime::fromString(sinceText, Qt::ISODateWithMs);
    if (!sinceText.isEmpty() && !since.isValid())
        return Reply::error(400, QStringLiteral("invalid_request"), QStringLiteral("updated_since must be ISO 8601"));
    const int limit = std::clamp(request.query.hasQueryItem(QStringLiteral("limit"))
                                     ? request.query.queryItemValue(QStringLiteral("limit")).toInt()
                                     : 50,
                                 1, 100);
    // Cursor paging, or page numbers (page=1, 2, ...) for clients that count pages.
    const int pageNumber = request.query.queryItemValue(QStringLiteral("page")).toInt();
    const qsizetype offset = std::max<qsizetype>(
        0, pageNumber > 0 ? qsizetype(pageNumber - 1) * limit
                          : QByteArray::fromBase64(request.query.queryItemValue(QStringLiteral("cursor")).toLatin1(),
                                                   QByteArray::Base64UrlEncoding)
                                .toLongLong()); // a forged negative cursor reads from the start
    // Leads are kept oldest first: find the first one changed at or after `since` by bisection.
    qsizetype first = 0;
    if (since.isValid()) {
        qsizetype lo = 0, hi = m_leads.size();
        while (lo < hi) {
            const qsizetype mid = (lo + hi) / 2;
            if (QDateTime::fromString(m_leads.at(mid).value(QLatin1String("updated_at")).toString(), Qt::ISODate) <
                since)
                lo = mid + 1;
            else
                hi = mid;
        }
        first = lo;
    }
    // Keyset resume: with after_id, the leads changed at exactly `since` are taken only after that id
    // (leads are listed by update time, then id), so a client that remembers the last lead it read asks
    // for nothing it has seen, however many leads share one time.
    const QString afterId = request.query.queryItemValue(QStringLiteral("after_id"), QUrl::FullyDecoded);
    if (!afterId.isEmpty()) {
        if (!since.isValid())
            return Reply::error(400, QStringLiteral("invalid_request"), QStringLiteral("after_id needs updated_since"));
        while (first < m_leads.size() &&
               QDateTime::fromString(m_leads.at(first).value(QLatin1String("updated_at")).toString(), Qt::ISODate) ==
                   since &&
               m_leads.at(first).value(QLatin1String("lead_id")).toString() <= afterId)
            ++first;
    }
    const qsizetype available = m_leads.size() - first;
    // The page as QJsonDocument would write {"leads": [...], "next_cursor": ...}, from each lead's
    // JSON written once.
    QByteArray body("{\"leads\":[");
    qsizetype served = 0;
    for (qsizetype i = offset; i < available && i < offset + limit; ++i) {
        if (served++)
            body.append(',');
        body.append(presentedJson(first + i));
    }
    const bool more = offset + limit < available;
    body.append("],\"next_cursor\":");
    if (more)
        body.append('"').append(QByteArray::number(offset + limit).toBase64(QByteArray::Base64UrlEncoding)).append('"');
    else
        body.append("null");
    body.append('}');
    m_counters.add(QStringLiteral("portal.leads.served"), served);
    Reply reply;
    reply.status = 200;
    reply.body = std::move(body);
    reply.headers.append({QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")});
    return reply;
}

Reply LeadPortal::one(const QString &id)
{
    for (const QJsonObject &lead : std::as_const(m_leads))
        if (lead.value(QLatin1String("lead_id")).toString() == id)
            return Reply::json(200, present(lead));
    return Reply::error(404, QStringLiteral("not_found"), QStringLiteral("no lead %1").arg(id));
}

} // namespace transom::sandbox
