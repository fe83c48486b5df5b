#pragma once

#include "core/net/httpclient.h"

#include <QDeadlineTimer>
#include <QObject>
#include <QString>
#include <QUrl>

#include <functional>
#include <memory>
#include <vector>

namespace transom::auth {

/// Where to get tokens and who we are. The client secret and refresh token are secrets: they come
/// from a SecretStore at run time and are never written to project files or logs.
struct OAuthSettings {
    enum class Grant { ClientCredentials, AuthorizationCode };
    Grant grant = Grant::ClientCredentials;
    QUrl tokenUrl;
    QString clientId;
    QString clientSecret;
    QString scope;
    bool clientSecretInBasicHeader = true; ///< RFC 6749 §2.3.1; some vendors want it in the body
    int refreshMarginSeconds = 60;         ///< refresh this long before the access token runs out
};

/// Why a token could not be had, in words for the person running the sync.
struct AuthFailure {
    enum class Kind { None, SignInAgain, BadClient, Network, Server };
    Kind kind = Kind::None;
    QString message;
    bool retryable() const { return kind == Kind::Network || kind == Kind::Server; }
};

/// Keeps one connection's OAuth 2.0 tokens fresh: checks expiry before every use, refreshes
/// `refreshMarginSeconds` before the access token runs out, shares one refresh between all callers
/// waiting at that moment, and hands a rotated refresh token to `persistRefreshToken` (which must
/// store it durably) before the new access token is used. A refused refresh (revoked, rotated away)
/// ends in SignInAgain, with a message that says so.
class OAuthSession : public QObject {
    Q_OBJECT
public:
    using Clock = std::function<qint64()>; ///< epoch milliseconds
    using Ready = std::function<void(const QString &accessToken, const AuthFailure &failure)>;

    OAuthSession(OAuthSettings settings, net::HttpClient &http, QObject *parent = nullptr);
    ~OAuthSession() override;

    void setClock(Clock clock) { m_clock = std::move(clock); }
    /// Called with each new refresh token; return false when it could not be stored, which stops
    /// the session rather than use a token whose successor would be lost.
    void setRefreshTokenPersister(std::function<bool(const QString &)> persist) { m_persist = std::move(persist); }
    /// For the authorization-code grant: the refresh token from sign-in or from the secret store.
    void setRefreshToken(const QString &token) { m_refreshToken = token; }
    /// One refresh token, several holders (two jobs on one connection, the studio and a server on one
    /// credentials file): a rotated token is refused once used, and a vendor that sees a reuse may revoke
    /// them all. With this set, a refresh first takes the lock file `lockPath` (waiting, without blocking,
    /// while another session or process refreshes), reads the stored refresh token again with `reread`,
    /// and lets the lock go only after the new one is stored.
    void setSharedRefreshToken(const QString &lockPath, std::function<QString()> reread);
    /// The sessions of one connection in this process (one per job, each on its own thread) hold one set
    /// of tokens: an access token one of them obtained serves them all until it runs out, and a refresh
    /// waiting for the lock uses the token another session just got instead of refreshing again. So a
    /// connection refreshes once per expiry, however many jobs use it. `key` names the connection and its
    /// store (sessions with different keys share nothing).
    void shareTokensWithin(const QString &key) { m_shareKey = key; }
    /// Tokens obtained by the sign-in flow (authorization code exchange).
    void adoptTokens(const QJsonObject &tokenResponse);

    /// Calls `ready` with a live access token, refreshing first when needed. `ready` may run before
    /// this returns (token still fresh) or later (after a refresh).
    void accessToken(Ready ready);
    /// The server said 401 to this token: forget it, so the next accessToken() refreshes.
    void invalidate(const QString &accessToken);

    bool hasValidToken() const;
    qint64 expiresAtMs() const { return m_expiresAtMs; }
    int refreshCount() const { return m_refreshes; }

Q_SIGNALS:
    /// A refresh failed in a way only a person can fix (sign in again, fix the client secret).
    void needsAttention(const QString &message);

private:
    void startRefresh();
    void lockThenRefresh(); ///< takes the shared lock (trying again shortly while it is held), then sends
    void sendRefresh();
    void finish(const QString &token, const AuthFailure &failure);
    /// Takes a fresh access token another session of this connection obtained; false when there is none.
    bool adoptShared();
    void publishShared() const;
    AuthFailure failureFrom(const net::HttpResponse &response) const;

    OAuthSettings m_settings;
    net::HttpClient &m_http;
    Clock m_clock;
    std::function<bool(const QString &)> m_persist;
    QString m_accessToken;
    QString m_refreshToken;
    qint64 m_expiresAtMs = 0;
    bool m_refreshing = false;
    int m_refreshes = 0;
    std::vector<Ready> m_waiting;
    QString m_shareKey;
    QString m_lockPath;
    std::function<QString()> m_reread;
    class RefreshLock;
    std::unique_ptr<RefreshLock> m_lock; ///< held from before the stored token is read until its successor is stored
    QDeadlineTimer m_lockDeadline;
};

} // namespace transom::auth
