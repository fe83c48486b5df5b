// The sandbox's /_admin endpoints: counters, faults, clock, tokens, schema switch, CRM settings,
// webhook subscription and sending. Loopback only, like the server.
#include "sandbox/sandboxserver.h"

#include <QJsonArray>

namespace transom::sandbox {

namespace {

Reply ok(const QJsonObject &extra = {})
{
    QJsonObject body = extra;
    body.insert(QStringLiteral("ok"), true);
    return Reply::json(200, body);
}

Reply badBody()
{
    return Reply::error(400, QStringLiteral("invalid_request"), QStringLiteral("the body must be a JSON object"));
}

} // namespace

void SandboxServer::addAdminRoutes()
{
    using M = QRegularExpressionMatch;
    m_admin.add("GET", "/_admin/counters", "admin",
                [this](const Request &, const M &) { return Reply::json(200, m_counters.toJson()); });
    m_admin.add("POST", "/_admin/reset", "admin", [this](const Request &, const M &) {
        m_counters.clear();
        m_crm.clear();
        m_plainRest.clear();
        m_faults.clear();
        reseed();
        return ok();
    });
    m_admin.add("POST", "/_admin/faults", "admin", [this](const Request &r, const M &) {
        QJsonObject body;
        if (!r.jsonBody(body))
            return badBody();
        const QString endpoint = setFaults(body);
        return ok(
            {{QStringLiteral("endpoint"), endpoint}, {QStringLiteral("plan"), m_faults.value(endpoint).toJson()}});
    });
    m_admin.add("DELETE", "/_admin/faults", "admin", [this](const Request &, const M &) {
        clearFaults();
        return ok();
    });
    m_admin.add("POST", "/_admin/clock", "admin", [this](const Request &r, const M &) {
        QJsonObject body;
        if (!r.jsonBody(body))
            return badBody();
        m_clock.advance(qint64(body.value(QLatin1String("advance_seconds")).toDouble() * 1000));
        return ok({{QStringLiteral("now"), m_clock.now().toString(Qt::ISODateWithMs)}});
    });
    m_admin.add("POST", "/_admin/tokens/expire", "admin", [this](const Request &, const M &) {
        m_oauth.expireAccessTokens();
        return ok();
    });
    m_admin.add("POST", "/_admin/tokens/revoke", "admin", [this](const Request &, const M &) {
        m_oauth.revokeAllRefreshTokens();
        return ok();
    });
    m_admin.add("POST", "/_admin/oauth", "admin", [this](const Request &r, const M &) {
        QJsonObject body;
        if (!r.jsonBody(body))
            return badBody();
        m_config.tokenLifetimeSeconds =
            body.value(QLatin1String("token_lifetime_seconds")).toInt(m_config.tokenLifetimeSeconds);
        m_config.rotateRefreshTokens =
            body.value(QLatin1String("rotate_refresh_tokens")).toBool(m_config.rotateRefreshTokens);
        return ok();
    });
    m_admin.add("POST", "/_admin/odata", "admin", [this](const Request &r, const M &) {
        QJsonObject body;
        if (!r.jsonBody(body))
            return badBody();
        m_config.odataMaxTop = body.value(QLatin1String("max_top")).toInt(m_config.odataMaxTop);
        m_config.odataNextLinkBase = body.value(QLatin1String("next_link_base")).toString(m_config.odataNextLinkBase);
        m_config.odataMinuteQuota = body.value(QLatin1String("minute_quota")).toInt(m_config.odataMinuteQuota);
        m_config.odataHourQuota = body.value(QLatin1String("hour_quota")).toInt(m_config.odataHourQuota);
        return ok();
    });
    m_admin.add("POST", "/_admin/contacts", "admin", [this](const Request &r, const M &) {
        QJsonObject body;
        if (!r.jsonBody(body))
            return badBody();
        m_config.contactsBatchReply = body.value(QLatin1String("batch_reply")).toString(m_config.contactsBatchReply);
        return ok({{QStringLiteral("batch_reply"), m_config.contactsBatchReply}});
    });
    m_admin.add("POST", "/_admin/portal", "admin", [this](const Request &r, const M &) {
        QJsonObject body;
        if (!r.jsonBody(body))
            return badBody();
        m_portal.schemaVersion = body.value(QLatin1String("schema_version")).toInt(m_portal.schemaVersion);
        return ok({{QStringLiteral("schema_version"), m_portal.schemaVersion}});
    });
    m_admin.add("POST", "/_admin/portal/leads", "admin", [this](const Request &r, const M &) {
        QJsonObject body;
        if (!r.jsonBody(body))
            return badBody();
        const int count = std::clamp(body.value(QLatin1String("count")).toInt(1), 0, 1000000);
        for (int i = 0; i < count; ++i) {
            QJsonObject lead = m_data.lead(int(m_portal.leads().size()));
            lead.insert(QStringLiteral("updated_at"), m_clock.now().toString(Qt::ISODate));
            m_portal.appendLead(lead);
        }
        return ok({{QStringLiteral("leads"), m_portal.leads().size()}});
    });
    m_admin.add("POST", "/_admin/crm", "admin", [this](const Request &r, const M &) {
        QJsonObject body;
        if (!r.jsonBody(body))
            return badBody();
        if (body.value(QLatin1String("stages")).isArray()) {
            m_crm.stages.clear();
            for (const QJsonValue &s : body.value(QLatin1String("stages")).toArray())
                m_crm.stages.append(s.toString());
        }
        m_config.crmRejectDuplicates =
            body.value(QLatin1String("reject_duplicates")).toBool(m_config.crmRejectDuplicates);
        m_config.crmNoLookup = body.value(QLatin1String("no_lookup")).toBool(m_config.crmNoLookup);
        m_config.crmRateLimit = body.value(QLatin1String("rate_limit")).toInt(m_config.crmRateLimit);
        m_config.crmRateWindowSeconds =
            std::max(1, body.value(QLatin1String("rate_window_seconds")).toInt(m_config.crmRateWindowSeconds));
        return ok({{QStringLiteral("stages"), QJsonArray::fromStringList(m_crm.stages)}});
    });
    m_admin.add("GET", "/_admin/crm/people", "admin", [this](const Request &, const M &) {
        QJsonArray people;
        for (const QJsonObject &p : m_crm.people())
            people.append(p);
        return Reply::json(200, QJsonObject{{QStringLiteral("people"), people},
                                            {QStringLiteral("duplicates_stored"), m_crm.duplicatesStored()}});
    });
    m_admin.add("POST", "/_admin/webhooks", "admin", [this](const Request &r, const M &) {
        QJsonObject body;
        if (!r.jsonBody(body) || !QUrl(body.value(QLatin1String("url")).toString()).isValid())
            return Reply::error(400, QStringLiteral("invalid_request"),
                                QStringLiteral("give {\"url\": ..., \"secret\": ...}"));
        WebhookSender::Subscription s;
        s.url = QUrl(body.value(QLatin1String("url")).toString());
        s.secret = body.value(QLatin1String("secret")).toString().toUtf8();
        s.scheme = body.value(QLatin1String("scheme")).toString(s.scheme);
        if (const QString why = WebhookSender::checkSigning(s.scheme, s.secret); !why.isEmpty())
            return Reply::error(400, QStringLiteral("invalid_request"), why);
        s.maxAttempts = body.value(QLatin1String("max_attempts")).toInt(s.maxAttempts);
        s.baseDelayMs = body.value(QLatin1String("base_delay_ms")).toInt(s.baseDelayMs);
        s.disableAfterFailures = body.value(QLatin1String("disable_after_failures")).toInt(s.disableAfterFailures);
        m_webhooks.subscribe(s);
        return ok();
    });
    m_admin.add("GET", "/_admin/webhooks", "admin", [this](const Request &, const M &) {
        const auto &s = m_webhooks.subscription();
        return Reply::json(200, QJsonObject{{QStringLiteral("url"), s.url.toString()},
                                            {QStringLiteral("scheme"), s.scheme},
                                            {QStringLiteral("active"), s.active},
                                            {QStringLiteral("failed_in_a_row"), s.failedInARow},
                                            {QStringLiteral("pending"), m_webhooks.pending()}});
    });
    m_admin.add("POST", "/_admin/webhooks/send", "admin", [this](const Request &r, const M &) {
        QJsonObject body;
        if (!r.jsonBody(body))
            return badBody();
        sendLeadEvents(std::clamp(body.value(QLatin1String("count")).toInt(1), 0, 100000),
                       body.value(QLatin1String("duplicates")).toInt(0), body.value(QLatin1String("forged")).toInt(0));
        return ok();
    });
}

} // namespace transom::sandbox
