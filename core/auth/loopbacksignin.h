#pragma once

#include "core/auth/oauthsession.h"
#include "core/net/httpclient.h"

#include <QJsonObject>
#include <QObject>
#include <QUrl>

class QTcpServer;
class QTcpSocket;

namespace transom::auth {

/// The authorization-code flow with PKCE (RFC 7636, S256) and a loopback redirect (RFC 8252): listens
/// on 127.0.0.1 at a free port, asks for the browser to open the vendor's sign-in page, receives the
/// redirect, checks `state`, and exchanges the code with the verifier. The UI opens the browser
/// (openBrowser signal); a headless tool prints the link. Qt NetworkAuth 6.4 has no PKCE, hence this.
class LoopbackSignIn : public QObject {
    Q_OBJECT
public:
    LoopbackSignIn(OAuthSettings settings, QUrl authorizeUrl, net::HttpClient &http, QObject *parent = nullptr);
    ~LoopbackSignIn() override;

    /// Starts listening and emits openBrowser; false with `error` when no loopback port is free.
    bool start(QString *error = nullptr);
    QUrl redirectUri() const;
    QUrl authorizationUrl() const { return m_authorizationUrl; }

Q_SIGNALS:
    void openBrowser(const QUrl &url);
    /// The token endpoint's reply (access_token, refresh_token, expires_in); hand it to OAuthSession::adoptTokens.
    void signedIn(const QJsonObject &tokens);
    void failed(const QString &message);

private:
    void onConnection();
    void onRedirect(QTcpSocket *socket, const QByteArray &requestLine);
    void exchange(const QString &code);
    void answerBrowser(QTcpSocket *socket, int status, const QString &message);

    OAuthSettings m_settings;
    QUrl m_authorizeEndpoint;
    net::HttpClient &m_http;
    QTcpServer *m_server;
    QByteArray m_verifier;
    QString m_state;
    QUrl m_authorizationUrl;
    bool m_done = false;
};

} // namespace transom::auth
