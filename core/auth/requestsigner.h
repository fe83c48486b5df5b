#pragma once

#include "core/auth/oauthsession.h"
#include "core/net/httpclient.h"

#include <QPointer>

namespace transom::auth {

/// Puts a connection's credentials on its requests: an API key header, Basic, a static bearer token,
/// or OAuth 2.0 tokens from an OAuthSession; plus custom headers a vendor wants on every call
/// (e.g. X-System / X-System-Key). Values are secrets and are never logged.
class RequestSigner {
public:
    enum class Kind { None, ApiKeyHeader, Basic, Bearer, OAuth };
    using Signed = std::function<void(net::HttpRequest request, const AuthFailure &failure)>;

    static RequestSigner none() { return {}; }
    static RequestSigner apiKey(QByteArray headerName, QByteArray key);
    static RequestSigner basic(const QString &user, const QString &password);
    static RequestSigner bearer(QByteArray token);
    static RequestSigner oauth(OAuthSession *session);

    void setExtraHeaders(net::HeaderList headers) { m_extra = std::move(headers); }
    Kind kind() const { return m_kind; }
    bool canRefresh() const { return m_kind == Kind::OAuth && m_session; }

    /// Adds the credentials; asynchronous because an OAuth token may need a refresh first.
    void sign(net::HttpRequest request, Signed done) const;
    /// The server answered 401 to a request signed with these credentials.
    void rejected(const net::HttpRequest &request) const;

private:
    Kind m_kind = Kind::None;
    QByteArray m_headerName;
    QByteArray m_value;
    QPointer<OAuthSession> m_session;
    net::HeaderList m_extra;
};

/// A transport with credentials: signs each request and, when the server answers 401 to an OAuth
/// token, refreshes once and retries once. A second 401 is passed on (a permanent failure: the
/// credentials are wrong, not stale).
class AuthorizedClient {
public:
    AuthorizedClient(net::Transport &http, RequestSigner signer) : m_http(http), m_signer(std::move(signer)) {}

    /// `done` gets the response, or a status-0 response whose transportError says why no token could
    /// be had (with `authFailure` set).
    using Callback = std::function<void(const net::HttpResponse &response, const AuthFailure &authFailure)>;
    void send(net::HttpRequest request, Callback done);

    const RequestSigner &signer() const { return m_signer; }

private:
    void attempt(net::HttpRequest request, Callback done, bool mayRetry);

    net::Transport &m_http;
    RequestSigner m_signer;
};

} // namespace transom::auth
