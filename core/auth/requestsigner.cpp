#include "core/auth/requestsigner.h"

namespace transom::auth {

RequestSigner RequestSigner::apiKey(QByteArray headerName, QByteArray key)
{
    RequestSigner s;
    s.m_kind = Kind::ApiKeyHeader;
    s.m_headerName = std::move(headerName);
    s.m_value = std::move(key);
    return s;
}

RequestSigner RequestSigner::basic(const QString &user, const QString &password)
{
    RequestSigner s;
    s.m_kind = Kind::Basic;
    s.m_headerName = "Authorization";
    s.m_value = "Basic " + (user.toUtf8() + ':' + password.toUtf8()).toBase64();
    return s;
}

RequestSigner RequestSigner::bearer(QByteArray token)
{
    RequestSigner s;
    s.m_kind = Kind::Bearer;
    s.m_headerName = "Authorization";
    s.m_value = "Bearer " + token;
    return s;
}

RequestSigner RequestSigner::oauth(OAuthSession *session)
{
    RequestSigner s;
    s.m_kind = Kind::OAuth;
    s.m_session = session;
    return s;
}

void RequestSigner::sign(net::HttpRequest request, Signed done) const
{
    request.headers.append(m_extra);
    switch (m_kind) {
    case Kind::None:
        done(std::move(request), {});
        return;
    case Kind::ApiKeyHeader:
    case Kind::Basic:
    case Kind::Bearer:
        request.headers.append({m_headerName, m_value});
        done(std::move(request), {});
        return;
    case Kind::OAuth:
        if (!m_session) {
            done(std::move(request),
                 {AuthFailure::Kind::SignInAgain, QStringLiteral("The connection's sign-in is gone.")});
            return;
        }
        m_session->accessToken([request = std::move(request),
                                done = std::move(done)](const QString &token, const AuthFailure &failure) mutable {
            if (failure.kind == AuthFailure::Kind::None)
                request.headers.append(net::HeaderList::value_type("Authorization", "Bearer " + token.toLatin1()));
            done(std::move(request), failure);
        });
        return;
    }
}

void RequestSigner::rejected(const net::HttpRequest &request) const
{
    if (m_kind != Kind::OAuth || !m_session)
        return;
    for (const auto &[name, value] : request.headers) {
        if (name == "Authorization" && value.startsWith("Bearer "))
            m_session->invalidate(QString::fromLatin1(value.mid(7)));
    }
}

void AuthorizedClient::send(net::HttpRequest request, Callback done)
{
    attempt(std::move(request), std::move(done), m_signer.canRefresh());
}

void AuthorizedClient::attempt(net::HttpRequest request, Callback done, bool mayRetry)
{
    const net::HttpRequest unsigned_ = request;
    m_signer.sign(std::move(request), [this, unsigned_, done = std::move(done),
                                       mayRetry](net::HttpRequest signedRequest, const AuthFailure &failure) mutable {
        if (failure.kind != AuthFailure::Kind::None) {
            net::HttpResponse none;
            none.transportError = failure.message;
            done(none, failure);
            return;
        }
        m_http.send(signedRequest, [this, unsigned_, signedRequest, done = std::move(done),
                                    mayRetry](const net::HttpResponse &response) mutable {
            if (response.status == 401 && mayRetry) {
                m_signer.rejected(signedRequest);
                attempt(unsigned_, std::move(done), false);
                return;
            }
            done(response, {});
        });
    });
}

} // namespace transom::auth
