#pragma once

#include "sandbox/oauthprovider.h"
#include "sandbox/router.h"
#include "sandbox/sandboxstate.h"

#include <QJsonObject>
#include <QList>

namespace transom::sandbox {

/// A RESO Web API style feed: GET /odata/Property and /odata/Member with `$filter` on
/// ModificationTimestamp (gt, ge, lt, le joined by "and"), `$top` (capped), `$skip`,
/// `@odata.nextLink`, bearer tokens from the OAuth provider, and Trestle-style minute/hour quotas
/// announced in headers and enforced with 429.
class ListingFeed {
public:
    ListingFeed(const SandboxConfig &config, const SandboxClock &clock, Counters &counters, const OAuthProvider &oauth);
    void addRoutes(Router &router);

    QList<QJsonObject> properties;
    QList<QJsonObject> members;

private:
    Reply serve(const Request &request, const QList<QJsonObject> &records, const QString &resource);
    bool spendQuota(Reply &reply);
    void quotaHeaders(Reply &reply) const;

    const SandboxConfig &m_config;
    const SandboxClock &m_clock;
    Counters &m_counters;
    const OAuthProvider &m_oauth;
    qint64 m_minuteStart = 0, m_hourStart = 0;
    int m_minuteUsed = 0, m_hourUsed = 0;
};

/// A lead portal: GET /portal/leads?updated_since=ISO&limit=N&cursor=C (cursor paging, or page=N; oldest first,
/// `updated_since` inclusive) and GET /portal/leads/{id}; API key in X-Api-Key. Schema version 2
/// renames `phone` to `phone_number` and adds a required `consent` field, as vendors do without asking.
class LeadPortal {
public:
    LeadPortal(const SandboxConfig &config, Counters &counters);
    void addRoutes(Router &router);

    /// The portal's leads, oldest first.
    const QList<QJsonObject> &leads() const { return m_leads; }
    void setLeads(QList<QJsonObject> leads);
    void appendLead(const QJsonObject &lead);
    int schemaVersion = 1;
    /// The lead as the portal currently serves it (schema version applied).
    QJsonObject present(const QJsonObject &lead) const;

private:
    Reply list(const Request &request);
    Reply one(const QString &id);
    /// present(leads().at(index)) as compact JSON, written once per lead and schema version: the
    /// sandbox shares the machine with the engine it serves, and writing every page's JSON afresh was
    /// most of its work in a bulk run.
    const QByteArray &presentedJson(qsizetype index) const;

    QList<QJsonObject> m_leads;
    mutable QList<QByteArray> m_json; ///< by index; empty until first served
    mutable int m_jsonSchema = -1;

    const SandboxConfig &m_config;
    Counters &m_counters;
};

} // namespace transom::sandbox
