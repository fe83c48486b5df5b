#pragma once

#include "core/auth/oauthsession.h"
#include "core/auth/requestsigner.h"
#include "core/connect/connectorregistry.h"
#include "core/sync/pacedtransport.h"
#include "core/sync/project.h"
#include "core/sync/ratelimiter.h"

#include <QObject>

#include <functional>
#include <memory>

namespace transom::sync {

/// Where a connection's secrets come from and where a rotated one goes (a SecretStore in the app).
struct SecretAccess {
    std::function<QString(const QString &connection, const QString &key)> read;
    std::function<bool(const QString &connection, const QString &key, const QString &value)> write;
    /// A lock file shared by every process and session that refreshes OAuth tokens from this store
    /// (empty: none). See OAuthSession::setSharedRefreshToken.
    QString refreshLock = {};
};

/// One connection made live on the current thread: credentials (OAuth session or key), its rate
/// limiter and pacing, and the connector built from the preset and the project's settings.
class ConnectionRuntime : public QObject {
    Q_OBJECT
public:
    static Expected<std::unique_ptr<ConnectionRuntime>> create(const Project &project, const ConnectionConfig &config,
                                                               const connect::PresetLibrary &presets,
                                                               net::HttpClient &http, const SecretAccess &secrets,
                                                               store::RateUsageStore *usage);

    const ConnectionConfig &config() const { return m_config; }
    auth::AuthorizedClient &client() { return *m_client; }
    RateLimiter &limiter() { return *m_limiter; }
    PacedTransport &transport() { return *m_paced; }
    auth::OAuthSession *session() { return m_session; }

    Expected<std::unique_ptr<connect::Source>> makeSource() const;
    Expected<std::unique_ptr<connect::Sink>> makeSink() const;

    /// "100 per minute", "7200 per hour", ... from a preset's or project's limits.
    static QList<RateWindow> windowsFrom(const QJsonObject &limits);

Q_SIGNALS:
    void needsAttention(const QString &message);

private:
    explicit ConnectionRuntime(ConnectionConfig config) : m_config(std::move(config)) {}
    Expected<auth::RequestSigner> signer(const QJsonObject &auth, net::HttpClient &http, const SecretAccess &secrets);

    ConnectionConfig m_config;
    QJsonObject m_settings;
    std::unique_ptr<RateLimiter> m_limiter;
    PacedTransport *m_paced = nullptr;
    auth::OAuthSession *m_session = nullptr;
    std::unique_ptr<auth::AuthorizedClient> m_client;
};

} // namespace transom::sync
