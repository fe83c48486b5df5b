#pragma once

#include "sandbox/http.h"
#include "sandbox/router.h"
#include "sandbox/sandboxstate.h"

#include <QHash>
#include <QSet>

namespace transom::sandbox {

/// An OAuth 2.0 authorization server like the vendors': client credentials; authorization code with
/// PKCE (S256 or plain) and a login page; refresh tokens, rotated on use when configured; revocation.
/// Errors are RFC 6749 §5.2 bodies.
class OAuthProvider {
public:
    OAuthProvider(const SandboxConfig &config, const SandboxClock &clock, Counters &counters);

    /// POST /oauth/token, GET+POST /oauth/authorize (login page), POST /oauth/revoke.
    void addRoutes(Router &router);

    /// True when `bearer` is a live access token (known, not revoked, not expired).
    bool accessTokenValid(const QByteArray &bearer) const;
    /// Ends every token: the next call must refresh (tests of expiry without waiting).
    void expireAccessTokens();
    void revokeAllRefreshTokens();
    /// A refresh token as a person's sign-in would give `clientId` (tests that need one without a browser).
    QString issueRefreshToken(const QString &clientId);

private:
    struct Token {
        QString clientId;
        qint64 expiresAtMs = 0; ///< 0: never (refresh tokens)
        QString refreshToken;   ///< for access tokens: the refresh token they came from
    };
    struct PendingCode {
        QString clientId;
        QString redirectUri;
        QString challenge;
        QString method;
        qint64 expiresAtMs = 0;
    };

    Reply token(const Request &request);
    Reply authorizePage(const Request &request) const;
    Reply authorizeSubmit(const Request &request);
    Reply revoke(const Request &request);
    bool authenticateClient(const Request &request, const QUrlQuery &form, QString &clientId) const;
    QJsonObject issue(const QString &clientId, bool withRefresh, const QString &refreshToken = {});
    QString randomToken(int bytes);

    const SandboxConfig &m_config;
    const SandboxClock &m_clock;
    Counters &m_counters;
    QRandomGenerator m_rng;
    QHash<QString, Token> m_access;
    QHash<QString, Token> m_refresh;
    QHash<QString, PendingCode> m_codes;
};

} // namespace transom::sandbox
