#pragma once

#include "sandbox/crm.h"
#include "sandbox/datagen.h"
#include "sandbox/feeds.h"
#include "sandbox/oauthprovider.h"
#include "sandbox/plainrest.h"
#include "sandbox/router.h"
#include "sandbox/sandboxstate.h"
#include "sandbox/webhooksender.h"

#include <QAbstractHttpServer>
#include <QHostAddress>

namespace transom::sandbox {

/// transom-sandbox: the vendors brokerages use, on loopback, for demos, tests and benchmarks. One HTTP
/// server with an OAuth 2.0 provider, a RESO-style listing feed, a lead portal, a CRM and a webhook
/// sender; faults injected per endpoint; counters of what happened on the wire. Administered over
/// HTTP under /_admin (see README) or in-process through the accessors.
class SandboxServer : public QAbstractHttpServer {
    Q_OBJECT
public:
    explicit SandboxServer(SandboxConfig config = {}, QObject *parent = nullptr);
    ~SandboxServer() override;

    /// Listens on `address` (loopback by default); port 0 picks a free one. Returns the port, 0 on failure.
    quint16 start(quint16 port = 0, const QHostAddress &address = QHostAddress::LocalHost);
    QString baseUrl() const { return m_baseUrl; }

    SandboxConfig &config() { return m_config; }
    Counters &counters() { return m_counters; }
    SandboxClock &clock() { return m_clock; }
    OAuthProvider &oauth() { return m_oauth; }
    Crm &crm() { return m_crm; }
    PlainRest &plainRest() { return m_plainRest; }
    ListingFeed &listings() { return m_listings; }
    LeadPortal &portal() { return m_portal; }
    WebhookSender &webhooks() { return m_webhooks; }
    DataGenerator &data() { return m_data; }

    /// Faults for one endpoint ("crm.people.create") or for all ("*").
    void setFaults(const QString &endpoint, const FaultPlan &plan);
    /// The same from a POST /_admin/faults body ({"endpoint": ..., "rate_503": ...}); returns the endpoint.
    QString setFaults(const QJsonObject &body);
    /// What a restart keeps (transom-sandbox --state): the CRM's people and the counters.
    QJsonObject saveState() const;
    void loadState(const QJsonObject &state);
    void clearFaults() { m_faults.clear(); }
    /// Regenerates leads, listings and agents from the configured seed and sizes.
    void reseed();
    /// Sends `count` new-lead events to the webhook subscriber, `duplicates` of them twice and
    /// `forged` more with a bad signature.
    void sendLeadEvents(int count, int duplicates = 0, int forged = 0);

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    void addAdminRoutes();
    const FaultPlan *planFor(const QString &endpoint) const;
    Reply dispatch(const Request &request, const Router::Match &match, const FaultPlan *plan);
    void respond(QTcpSocket *socket, const Reply &reply, int delayMs, bool close);
    static Request toRequest(const QHttpServerRequest &request, const QString &baseUrl);

    SandboxConfig m_config;
    SandboxClock m_clock;
    Counters m_counters;
    QRandomGenerator m_faultRng;
    QHash<QString, FaultPlan> m_faults;
    DataGenerator m_data;
    OAuthProvider m_oauth;
    ListingFeed m_listings;
    LeadPortal m_portal;
    Crm m_crm;
    PlainRest m_plainRest;
    WebhookSender m_webhooks;
    Router m_router;
    Router m_admin;
    QString m_baseUrl;
    int m_nextEvent = 0;
};

} // namespace transom::sandbox
