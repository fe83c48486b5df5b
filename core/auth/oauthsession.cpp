#include "core/auth/oauthsession.h"
#include "core/log/logging.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QTimer>

#include <QUrlQuery>
#include <map>
#include <mutex>
#include <set>

namespace transom::auth {

namespace {
constexpr int kSharedRefreshWaitMs = 30000;

/// Lock files this process holds: sessions of one process exclude each other here, whatever QLockFile
/// makes of a lock held by its own process id; other processes meet the lock file.
std::mutex heldMutex;
std::set<QString> held;

/// The tokens of each connection, shared by its sessions in this process (shareTokensWithin).
struct SharedTokens {
    QString access;
    QString refresh;
    qint64 expiresAtMs = 0;
};
std::mutex sharedMutex;
std::map<QString, SharedTokens> sharedTokens;

} // namespace

/// The shared refresh lock: this process's registry first, then the lock file.
class OAuthSession::RefreshLock {
public:
    explicit RefreshLock(const QString &path) : m_path(path), m_file(path)
    {
        m_file.setStaleLockTime(kSharedRefreshWaitMs * 2); // a holder that died is noticed sooner (its pid)
    }
    ~RefreshLock()
    {
        if (!m_locked)
            return;
        m_file.unlock();
        const std::lock_guard guard(heldMutex);
        held.erase(m_path);
    }
    bool tryLock()
    {
        const std::lock_guard guard(heldMutex);
        if (held.count(m_path) || !m_file.tryLock(0))
            return false;
        held.insert(m_path);
        m_locked = true;
        return true;
    }

private:
    QString m_path;
    QLockFile m_file;
    bool m_locked = false;
};

OAuthSession::OAuthSession(OAuthSettings settings, net::HttpClient &http, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_http(http)
    , m_clock([] { return QDateTime::currentMSecsSinceEpoch(); })
{}

OAuthSession::~OAuthSession() = default;

void OAuthSession::setSharedRefreshToken(const QString &lockPath, std::function<QString()> reread)
{
    m_lockPath = lockPath;
    m_reread = std::move(reread);
}

bool OAuthSession::hasValidToken() const
{
    return !m_accessToken.isEmpty() && m_clock() + qint64(m_settings.refreshMarginSeconds) * 1000 < m_expiresAtMs;
}

bool OAuthSession::adoptShared()
{
    if (m_shareKey.isEmpty())
        return false;
    const std::lock_guard guard(sharedMutex);
    const auto it = sharedTokens.find(m_shareKey);
    if (it == sharedTokens.end() || it->second.access.isEmpty() ||
        m_clock() + qint64(m_settings.refreshMarginSeconds) * 1000 >= it->second.expiresAtMs)
        return false;
    m_accessToken = it->second.access;
    m_expiresAtMs = it->second.expiresAtMs;
    if (!it->second.refresh.isEmpty())
        m_refreshToken = it->second.refresh;
    return true;
}

void OAuthSession::publishShared() const
{
    if (m_shareKey.isEmpty())
        return;
    const std::lock_guard guard(sharedMutex);
    sharedTokens[m_shareKey] = {m_accessToken, m_refreshToken, m_expiresAtMs};
}

void OAuthSession::accessToken(Ready ready)
{
    if (hasValidToken() || (!m_refreshing && adoptShared())) {
        ready(m_accessToken, {});
        return;
    }
    m_waiting.push_back(std::move(ready));
    if (!m_refreshing)
        startRefresh();
}

void OAuthSession::invalidate(const QString &accessToken)
{
    if (accessToken == m_accessToken)
        m_expiresAtMs = 0;
    if (m_shareKey.isEmpty())
        return;
    const std::lock_guard guard(sharedMutex);
    if (auto it = sharedTokens.find(m_shareKey); it != sharedTokens.end() && it->second.access == accessToken)
        it->second.expiresAtMs = 0;
}

void OAuthSession::adoptTokens(const QJsonObject &reply)
{
    m_accessToken = reply.value(QLatin1String("access_token")).toString();
    // Every token obtained is hidden wherever it shows up (a vendor's error echoing it, a trace).
    log::redactor().addSecret(m_accessToken);
    log::redactor().addSecret(reply.value(QLatin1String("refresh_token")).toString());
    log::redactor().addSecret(reply.value(QLatin1String("id_token")).toString());
    const int lifetime = reply.value(QLatin1String("expires_in")).toInt(3600);
    m_expiresAtMs = m_clock() + qint64(lifetime) * 1000;
    const QString refresh = reply.value(QLatin1String("refresh_token")).toString();
    if (!refresh.isEmpty())
        m_refreshToken = refresh;
}

void OAuthSession::startRefresh()
{
    m_refreshing = true; // accessToken() has just looked for a token another session of this connection got
    if (m_settings.grant == OAuthSettings::Grant::AuthorizationCode && !m_lockPath.isEmpty()) {
        m_lockDeadline = QDeadlineTimer(kSharedRefreshWaitMs);
        lockThenRefresh();
        return;
    }
    sendRefresh();
}

void OAuthSession::lockThenRefresh()
{
    if (!m_lock)
        m_lock = std::make_unique<RefreshLock>(m_lockPath);
    if (!m_lock->tryLock()) {
        if (m_lockDeadline.hasExpired()) {
            m_lock.reset();
            finish({}, {AuthFailure::Kind::Server,
                        QStringLiteral("Another refresh of this connection's sign-in (another job, or Transom in "
                                       "another program) did not end within %1 s (lock file %2).")
                            .arg(kSharedRefreshWaitMs / 1000)
                            .arg(m_lockPath)});
            return;
        }
        QTimer::singleShot(20, this, &OAuthSession::lockThenRefresh);
        return;
    }
    // Another job of this connection refreshed while we waited: its token serves us too.
    if (adoptShared()) {
        finish(m_accessToken, {});
        return;
    }
    // Whoever refreshed last stored the token that works now: ours may have been rotated away.
    if (m_reread) {
        const QString stored = m_reread();
        if (!stored.isEmpty())
            m_refreshToken = stored;
    }
    sendRefresh();
}

void OAuthSession::sendRefresh()
{
    const bool useRefreshToken = m_settings.grant == OAuthSettings::Grant::AuthorizationCode;
    if (useRefreshToken && m_refreshToken.isEmpty()) {
        finish({}, {AuthFailure::Kind::SignInAgain,
                    QStringLiteral("This connection has no sign-in yet: open it in Transom and choose Sign in.")});
        return;
    }
    QUrlQuery form;
    if (useRefreshToken) {
        form.addQueryItem(QStringLiteral("grant_type"), QStringLiteral("refresh_token"));
        form.addQueryItem(QStringLiteral("refresh_token"),
                          QString::fromLatin1(QUrl::toPercentEncoding(m_refreshToken)));
    } else {
        form.addQueryItem(QStringLiteral("grant_type"), QStringLiteral("client_credentials"));
    }
    if (!m_settings.scope.isEmpty())
        form.addQueryItem(QStringLiteral("scope"), QString::fromLatin1(QUrl::toPercentEncoding(m_settings.scope)));
    net::HttpRequest request;
    request.method = "POST";
    request.url = m_settings.tokenUrl;
    request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}, {"Accept", "application/json"}};
    if (m_settings.clientSecretInBasicHeader) {
        const QByteArray pair =
            QUrl::toPercentEncoding(m_settings.clientId) + ':' + QUrl::toPercentEncoding(m_settings.clientSecret);
        request.headers.append(net::HeaderList::value_type("Authorization", "Basic " + pair.toBase64()));
    } else {
        form.addQueryItem(QStringLiteral("client_id"),
                          QString::fromLatin1(QUrl::toPercentEncoding(m_settings.clientId)));
        form.addQueryItem(QStringLiteral("client_secret"),
                          QString::fromLatin1(QUrl::toPercentEncoding(m_settings.clientSecret)));
    }
    request.body = form.toString(QUrl::FullyEncoded).toUtf8();
    ++m_refreshes;
    m_http.send(request, [this](const net::HttpResponse &response) {
        if (response.status != 200) {
            finish({}, failureFrom(response));
            return;
        }
        const QJsonObject reply = QJsonDocument::fromJson(response.body).object();
        const QString newRefresh = reply.value(QLatin1String("refresh_token")).toString();
        if (reply.value(QLatin1String("access_token")).toString().isEmpty()) {
            finish({},
                   {AuthFailure::Kind::Server, QStringLiteral("The sign-in server answered without an access token.")});
            return;
        }
        // A rotated refresh token replaces the old one, which stops working: store it before use.
        if (!newRefresh.isEmpty() && newRefresh != m_refreshToken && m_persist && !m_persist(newRefresh)) {
            finish({}, {AuthFailure::Kind::Server, QStringLiteral("The new refresh token could not be saved, so it was "
                                                                  "not used. Check the credentials store.")});
            return;
        }
        adoptTokens(reply);
        publishShared(); // before the lock goes: a session waiting for it takes this token
        finish(m_accessToken, {});
    });
}

AuthFailure OAuthSession::failureFrom(const net::HttpResponse &response) const
{
    if (response.status == 0)
        return {AuthFailure::Kind::Network,
                QStringLiteral("Could not reach the sign-in server: %1").arg(response.transportError)};
    const QJsonObject body = QJsonDocument::fromJson(response.body).object();
    const QString error = body.value(QLatin1String("error")).toString();
    const QString description = body.value(QLatin1String("error_description")).toString();
    if (error == QLatin1String("invalid_grant"))
        return {AuthFailure::Kind::SignInAgain,
                QStringLiteral("The sign-in for this connection was revoked or has expired (%1). Sign in again.")
                    .arg(description.isEmpty() ? error : description)};
    if (error == QLatin1String("invalid_client") || error == QLatin1String("unauthorized_client") ||
        response.status == 401)
        return {AuthFailure::Kind::BadClient, QStringLiteral("The sign-in server does not accept this client id and "
                                                             "secret (%1). Check the connection's credentials.")
                                                  .arg(description.isEmpty() ? error : description)};
    if (response.status >= 500 || response.status == 429)
        return {AuthFailure::Kind::Server,
                QStringLiteral("The sign-in server is not answering properly (HTTP %1).").arg(response.status)};
    return {AuthFailure::Kind::BadClient, QStringLiteral("The sign-in server refused the request (HTTP %1: %2).")
                                              .arg(response.status)
                                              .arg(description.isEmpty() ? error : description)};
}

void OAuthSession::finish(const QString &token, const AuthFailure &failure)
{
    m_refreshing = false;
    m_lock.reset(); // unlocks: the new refresh token (if any) is stored by now
    if (failure.kind == AuthFailure::Kind::SignInAgain || failure.kind == AuthFailure::Kind::BadClient)
        Q_EMIT needsAttention(failure.message);
    std::vector<Ready> waiting;
    waiting.swap(m_waiting);
    for (Ready &ready : waiting)
        ready(token, failure);
}

} // namespace transom::auth
