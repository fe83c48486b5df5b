#pragma once

#include "sandbox/feeds.h"
#include "sandbox/oauthprovider.h"
#include "sandbox/router.h"
#include "sandbox/sandboxstate.h"

#include <QHash>
#include <QJsonObject>
#include <QList>

namespace transom::sandbox {

/// A plain REST vendor, unlike the CRM's people API: a contacts CRM with POST /contacts, a batch endpoint
/// that takes a bare JSON array (or NDJSON) at POST /contacts/batch and answers
/// {"results": [{"external_id", "status": "created" | "error", "id", "error"}]} with the failures listed
/// first (not in the order sent), GET /contacts?external_id=ID ({"data": [...]}); and a page-numbered
/// lead feed at GET /leads?page=N&per_page=M ({"data": [...], "page": N, "total": T}). Bearer tokens
/// from the OAuth provider (client credentials) or the API key in X-Api-Key. It keeps whatever it is
/// sent: a blind re-send is a duplicate contact. SandboxConfig::contactsBatchReply makes the batch reply
/// misbehave the way vendors' do.
class PlainRest {
public:
    PlainRest(const SandboxConfig &config, const SandboxClock &clock, Counters &counters, const OAuthProvider &oauth,
              const LeadPortal &leads);
    void addRoutes(Router &router);

    const QList<QJsonObject> &contacts() const { return m_contacts; }
    /// How many times a contact with `externalId` is stored (1 when it arrived exactly once).
    int storedTimes(const QString &externalId) const { return m_timesStored.value(externalId); }
    void clear();

private:
    bool authorized(const Request &request) const;
    Reply create(const Request &request);
    Reply batch(const Request &request);
    Reply find(const Request &request) const;
    Reply leads(const Request &request) const;
    /// Stores a valid contact and returns its result; a refused one gets a result with an error.
    QJsonObject take(const QJsonValue &contact);
    /// Applies SandboxConfig::contactsBatchReply to a batch's results.
    QJsonArray misbehave(QJsonArray results) const;

    const SandboxConfig &m_config;
    const SandboxClock &m_clock;
    Counters &m_counters;
    const OAuthProvider &m_oauth;
    const LeadPortal &m_leads;
    QList<QJsonObject> m_contacts;
    QHash<QString, int> m_timesStored;
    int m_nextId = 1;
};

} // namespace transom::sandbox
