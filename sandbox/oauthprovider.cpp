#include "sandbox/oauthprovider.h"

#include <QCryptographicHash>
#include <QUrl>

namespace transom::sandbox {

OAuthProvider::OAuthProvider(const SandboxConfig &config, const SandboxClock &clock, Counters &counters)
    : m_config(config), m_clock(clock), m_counters(counters), m_rng(config.seed ^ 0x0a17u)
{}

void OAuthProvider::addRoutes(Router &router)
{
    router.add("POST", "/oauth/token", "oauth.token", [this](const Request &r, const auto &) { return token(r); });
    router.add("GET", "/oauth/authorize", "oauth.authorize",
               [this](const Request &r, const auto &) { return authorizePage(r); });
    router.add("POST", "/oauth/authorize", "oauth.authorize",
               [this](const Request &r, const auto &) { return authorizeSubmit(r); });
    router.add("POST", "/oauth/revoke", "oauth.revoke", [this](const Request &r, const auto &) { return revoke(r); });
}

QString OAuthProvider::randomToken(int bytes)
{
    QByteArray raw(bytes, Qt::Uninitialized);
    for (char &c : raw)
        c = char(m_rng.bounded(256));
    return QString::fromLatin1(raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

bool OAuthProvider::authenticateClient(const Request &request, const QUrlQuery &form, QString &clientId) const
{
    QString id = form.queryItemValue(QStringLiteral("client_id"), QUrl::FullyDecoded);
    QString secret = form.queryItemValue(QStringLiteral("client_secret"), QUrl::FullyDecoded);
    const QByteArray auth = request.header("authorization");
    if (auth.startsWith("Basic ")) {
        const QByteArray pair = QByteArray::fromBase64(auth.mid(6));
        const qsizetype colon = pair.indexOf(':');
        id = QUrl::fromPercentEncoding(pair.left(colon));
        secret = QUrl::fromPercentEncoding(pair.mid(colon + 1));
    }
    clientId = id;
    return id == m_config.clientId && secret == m_config.clientSecret;
}

QJsonObject OAuthProvider::issue(const QString &clientId, bool withRefresh, const QString &refreshToken)
{
    QString refresh = refreshToken;
    if (withRefresh && refresh.isEmpty()) {
        refresh = randomToken(32);
        m_refresh.insert(refresh, Token{clientId, 0, {}});
    }
    const QString access = randomToken(24);
    m_access.insert(access, Token{clientId, m_clock.nowMs() + qint64(m_config.tokenLifetimeSeconds) * 1000, refresh});
    m_counters.add(QStringLiteral("oauth.access_tokens.issued"));
    QJsonObject reply{{QStringLiteral("access_token"), access},
                      {QStringLiteral("token_type"), QStringLiteral("Bearer")},
                      {QStringLiteral("expires_in"), m_config.tokenLifetimeSeconds},
                      {QStringLiteral("scope"), QStringLiteral("crm listings leads")}};
    if (!refresh.isEmpty())
        reply.insert(QStringLiteral("refresh_token"), refresh);
    return reply;
}

Reply OAuthProvider::token(const Request &request)
{
    const QUrlQuery form = request.form();
    const QString grant = form.queryItemValue(QStringLiteral("grant_type"));
    QString clientId;
    if (grant.isEmpty())
        return Reply::error(400, QStringLiteral("invalid_request"), QStringLiteral("grant_type is missing"));
    if (!authenticateClient(request, form, clientId))
        return Reply::error(401, QStringLiteral("invalid_client"), QStringLiteral("unknown client or wrong secret"))
            .header("WWW-Authenticate", "Basic realm=\"sandbox\"");
    if (grant == QLatin1String("client_credentials"))
        return Reply::json(200, issue(clientId, false));
    if (grant == QLatin1String("authorization_code")) {
        const QString code = form.queryItemValue(QStringLiteral("code"), QUrl::FullyDecoded);
        const PendingCode pending = m_codes.take(code); // single use
        if (pending.clientId.isEmpty() || pending.expiresAtMs < m_clock.nowMs())
            return Reply::error(400, QStringLiteral("invalid_grant"),
                                QStringLiteral("the code is unknown, used or expired"));
        if (pending.redirectUri != form.queryItemValue(QStringLiteral("redirect_uri"), QUrl::FullyDecoded))
            return Reply::error(400, QStringLiteral("invalid_grant"), QStringLiteral("redirect_uri does not match"));
        const QByteArray verifier = form.queryItemValue(QStringLiteral("code_verifier"), QUrl::FullyDecoded).toLatin1();
        const QString expected =
            pending.method == QLatin1String("plain")
                ? QString::fromLatin1(verifier)
                : QString::fromLatin1(QCryptographicHash::hash(verifier, QCryptographicHash::Sha256)
                                          .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
        if (!pending.challenge.isEmpty() && (verifier.isEmpty() || expected != pending.challenge)) {
            m_counters.add(QStringLiteral("oauth.pkce.rejected"));
            return Reply::error(400, QStringLiteral("invalid_grant"), QStringLiteral("PKCE verification failed"));
        }
        return Reply::json(200, issue(clientId, true));
    }
    if (grant == QLatin1String("refresh_token")) {
        const QString refresh = form.queryItemValue(QStringLiteral("refresh_token"), QUrl::FullyDecoded);
        if (!m_refresh.contains(refresh) || m_refresh.value(refresh).clientId != clientId) {
            m_counters.add(QStringLiteral("oauth.refresh.rejected"));
            return Reply::error(400, QStringLiteral("invalid_grant"),
                                QStringLiteral("the refresh token is unknown, rotated or revoked"));
        }
        m_counters.add(QStringLiteral("oauth.refresh.accepted"));
        if (m_config.rotateRefreshTokens) {
            m_refresh.remove(refresh);
            return Reply::json(200, issue(clientId, true));
        }
        return Reply::json(200, issue(clientId, true, refresh));
    }
    return Reply::error(400, QStringLiteral("unsupported_grant_type"),
                        QStringLiteral("grant_type %1 is not supported").arg(grant));
}

Reply OAuthProvider::authorizePage(const Request &request) const
{
    const QUrlQuery &q = request.query;
    if (q.queryItemValue(QStringLiteral("client_id")) != m_config.clientId)
        return Reply::html(400, "<html><body><h1>Unknown client</h1></body></html>");
    QByteArray hidden;
    for (const auto &[key, value] : q.queryItems(QUrl::FullyDecoded))
        hidden += "<input type=\"hidden\" name=\"" + key.toHtmlEscaped().toUtf8() + "\" value=\"" +
                  value.toHtmlEscaped().toUtf8() + "\">\n";
    return Reply::html(200, "<!doctype html><html><head><title>Sandbox CRM sign-in</title></head><body>\n"
                            "<h1>Sign in to Sandbox CRM</h1>\n<p>Transom asks to read and write your contacts.</p>\n"
                            "<form method=\"post\" action=\"/oauth/authorize\">\n" +
                                hidden +
                                "<label>User <input name=\"username\"></label>\n"
                                "<label>Password <input name=\"password\" type=\"password\"></label>\n"
                                "<button type=\"submit\">Allow</button>\n</form></body></html>\n");
}

Reply OAuthProvider::authorizeSubmit(const Request &request)
{
    const QUrlQuery form = request.form();
    auto value = [&form](const char *name) { return form.queryItemValue(QLatin1String(name), QUrl::FullyDecoded); };
    if (value("client_id") != m_config.clientId)
        return Reply::html(400, "<html><body><h1>Unknown client</h1></body></html>");
    if (value("username") != m_config.username || value("password") != m_config.password)
        return Reply::html(401, "<html><body><h1>Wrong user or password</h1></body></html>");
    const QUrl redirect(value("redirect_uri"));
    if (!redirect.isValid() ||
        (redirect.host() != QLatin1String("127.0.0.1") && redirect.host() != QLatin1String("localhost")))
        return Reply::html(400, "<html><body><h1>redirect_uri must be a loopback address</h1></body></html>");
    const QString code = randomToken(16);
    m_codes.insert(code, PendingCode{m_config.clientId, value("redirect_uri"), value("code_challenge"),
                                     value("code_challenge_method"), m_clock.nowMs() + 600000});
    QUrl target = redirect;
    QUrlQuery q(target);
    q.addQueryItem(QStringLiteral("code"), code);
    if (!value("state").isEmpty())
        q.addQueryItem(QStringLiteral("state"), value("state"));
    target.setQuery(q);
    Reply r;
    r.status = 302;
    r.header("Location", target.toEncoded());
    return r;
}

Reply OAuthProvider::revoke(const Request &request)
{
    const QString token = request.form().queryItemValue(QStringLiteral("token"), QUrl::FullyDecoded);
    if (m_refresh.remove(token) > 0) {
        for (auto it = m_access.begin(); it != m_access.end();)
            it = it->refreshToken == token ? m_access.erase(it) : std::next(it);
    }
    m_access.remove(token);
    return Reply::json(200, QJsonObject{});
}

bool OAuthProvider::accessTokenValid(const QByteArray &bearer) const
{
    const auto it = m_access.constFind(QString::fromLatin1(bearer));
    return it != m_access.cend() && it->expiresAtMs > m_clock.nowMs();
}

void OAuthProvider::expireAccessTokens()
{
    for (Token &t : m_access)
        t.expiresAtMs = 0;
}

QString OAuthProvider::issueRefreshToken(const QString &clientId)
{
    return issue(clientId, true).value(QLatin1String("refresh_token")).toString();
}

void OAuthProvider::revokeAllRefreshTokens()
{
    m_refresh.clear();
}

} // namespace transom::sandbox
