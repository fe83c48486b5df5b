#pragma once

#include "sandbox/oauthprovider.h"
#include "sandbox/router.h"
#include "sandbox/sandboxstate.h"

#include <QHash>
#include <QJsonObject>
#include <QStringList>

namespace transom::sandbox {

/// A CRM like the ones brokerages use: people (create, update, find by external id, cursor paging,
/// batch), an events intake that dedupes by e-mail and phone, a UUID-keyed lead endpoint (PUT is
/// idempotent), validation errors (422 with field messages), optional duplicate rejection (409),
/// Basic/API-key or bearer auth, and a per-window rate budget with X-RateLimit-* headers and 429.
class Crm {
public:
    Crm(const SandboxConfig &config, const SandboxClock &clock, Counters &counters, const OAuthProvider &oauth);

    void addRoutes(Router &router);

    /// Stages a person may be in; a value outside the list is a 422. Scenario 2 removes one.
    QStringList stages;
    const QList<QJsonObject> &people() const { return m_people; }
    /// How many stored people share an external id with an earlier one (a blind re-send).
    qint64 duplicatesStored() const;
    void clear();
    /// The people as a JSON object ({"people": [...], "next_id": n}), to keep them across a restart
    /// (transom-sandbox --state FILE), and back.
    QJsonObject saveState() const;
    void loadState(const QJsonObject &state);
    /// X-RateLimit-* for an injected 429 that is not about the rate: the real budget when one is set,
    /// otherwise a large one with calls left.
    void budgetLeftHeaders(Reply &reply) const;

private:
    bool authorized(const Request &request) const;
    /// Applies the rate budget; false with a 429 in `reply` when the window is spent.
    bool spendBudget(Reply &reply);
    void rateHeaders(Reply &reply) const;
    Reply guarded(const Request &request, const std::function<Reply()> &work);

    Reply create(const Request &request);
    Reply update(const Request &request, int id);
    Reply find(const Request &request);
    Reply get(int id);
    Reply batch(const Request &request);
    Reply event(const Request &request);
    Reply putLead(const Request &request, const QString &uuid);

    /// Field errors for a person; empty when it is valid.
    QJsonArray validate(const QJsonObject &person) const;
    QString externalIdOf(const QJsonObject &person) const;
    int store(QJsonObject person);
    void index(int row);

    const SandboxConfig &m_config;
    const SandboxClock &m_clock;
    Counters &m_counters;
    const OAuthProvider &m_oauth;
    QList<QJsonObject> m_people;
    QHash<QString, int> m_byExternalId;
    QHash<QString, int> m_byEmail;
    QHash<QString, int> m_byPhone;
    QHash<QString, int> m_byUuid;
    int m_nextId = 5000;
    qint64 m_windowStartMs = 0;
    int m_windowUsed = 0;
};

} // namespace transom::sandbox
