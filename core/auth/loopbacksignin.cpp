#include "core/auth/loopbacksignin.h"
#include "core/log/logging.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrlQuery>

namespace transom::auth {

namespace {

QByteArray randomUrlSafe(int bytes)
{
    QByteArray raw(bytes, Qt::Uninitialized);
    QRandomGenerator::system()->generate(reinterpret_cast<quint32 *>(raw.data()),
                                         reinterpret_cast<quint32 *>(raw.data() + (bytes / 4) * 4));
    return raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

} // namespace

LoopbackSignIn::LoopbackSignIn(OAuthSettings settings, QUrl authorizeUrl, net::HttpClient &http, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_authorizeEndpoint(std::move(authorizeUrl))
    , m_http(http)
    , m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, &LoopbackSignIn::onConnection);
}

LoopbackSignIn::~LoopbackSignIn() = default;

QUrl LoopbackSignIn::redirectUri() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1/callback").arg(m_server->serverPort()));
}

bool LoopbackSignIn::start(QString *error)
{
    if (!m_server->listen(QHostAddress::LocalHost, 0)) {
        if (error)
            *error = QStringLiteral("Cannot listen on a loopback port for the sign-in redirect: %1")
                         .arg(m_server->errorString());
        return false;
    }
    m_verifier = randomUrlSafe(48); // 64 characters, within RFC 7636's 43..128
    m_state = QString::fromLatin1(randomUrlSafe(16));
    const QByteArray challenge = QCryptographicHash::hash(m_verifier, QCryptographicHash::Sha256)
                                     .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("response_type"), QStringLiteral("code"));
    q.addQueryItem(QStringLiteral("client_id"), m_settings.clientId);
    q.addQueryItem(QStringLiteral("redirect_uri"),
                   QString::fromLatin1(QUrl::toPercentEncoding(redirectUri().toString())));
    q.addQueryItem(QStringLiteral("state"), m_state);
    q.addQueryItem(QStringLiteral("code_challenge"), QString::fromLatin1(challenge));
    q.addQueryItem(QStringLiteral("code_challenge_method"), QStringLiteral("S256"));
    if (!m_settings.scope.isEmpty())
        q.addQueryItem(QStringLiteral("scope"), QString::fromLatin1(QUrl::toPercentEncoding(m_settings.scope)));
    m_authorizationUrl = m_authorizeEndpoint;
    m_authorizationUrl.setQuery(q);
    Q_EMIT openBrowser(m_authorizationUrl);
    return true;
}

void LoopbackSignIn::onConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] {
            if (!socket->canReadLine())
                return;
            const QByteArray line = socket->readLine(8192).trimmed();
            onRedirect(socket, line);
        });
    }
}

void LoopbackSignIn::onRedirect(QTcpSocket *socket, const QByteArray &requestLine)
{
    const QList<QByteArray> parts = requestLine.split(' ');
    const QUrl target(QString::fromLatin1(parts.value(1)));
    if (parts.value(0) != "GET" || target.path() != QLatin1String("/callback")) {
        answerBrowser(socket, 404, QStringLiteral("Not the sign-in callback."));
        return;
    }
    const QUrlQuery q(target);
    if (m_done) {
        answerBrowser(socket, 400, QStringLiteral("This sign-in has already finished. You can close this window."));
        return;
    }
    if (q.queryItemValue(QStringLiteral("state")) != m_state) {
        answerBrowser(
            socket, 400,
            QStringLiteral("The sign-in answer does not match the request (state). Start again from Transom."));
        return;
    }
    if (q.hasQueryItem(QStringLiteral("error"))) {
        m_done = true;
        const QString why = q.queryItemValue(QStringLiteral("error_description"), QUrl::FullyDecoded);
        answerBrowser(socket, 200, QStringLiteral("Sign-in was not completed. You can close this window."));
        Q_EMIT failed(QStringLiteral("The vendor refused the sign-in: %1")
                          .arg(why.isEmpty() ? q.queryItemValue(QStringLiteral("error")) : why));
        return;
    }
    m_done = true;
    answerBrowser(socket, 200, QStringLiteral("Signed in. You can close this window and return to Transom."));
    exchange(q.queryItemValue(QStringLiteral("code"), QUrl::FullyDecoded));
}

void LoopbackSignIn::answerBrowser(QTcpSocket *socket, int status, const QString &message)
{
    const QByteArray body =
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>Transom</title></head><body><p>" +
        message.toHtmlEscaped().toUtf8() + "</p></body></html>";
    socket->write("HTTP/1.1 " + QByteArray::number(status) + (status == 200 ? " OK" : " Error") +
                  "\r\nContent-Type: text/html; charset=utf-8\r\nConnection: close\r\nContent-Length: " +
                  QByteArray::number(body.size()) + "\r\n\r\n" + body);
    socket->disconnectFromHost();
}

void LoopbackSignIn::exchange(const QString &code)
{
    QUrlQuery form;
    form.addQueryItem(QStringLiteral("grant_type"), QStringLiteral("authorization_code"));
    form.addQueryItem(QStringLiteral("code"), QString::fromLatin1(QUrl::toPercentEncoding(code)));
    form.addQueryItem(QStringLiteral("redirect_uri"),
                      QString::fromLatin1(QUrl::toPercentEncoding(redirectUri().toString())));
    form.addQueryItem(QStringLiteral("code_verifier"), QString::fromLatin1(m_verifier));
    form.addQueryItem(QStringLiteral("client_id"), QString::fromLatin1(QUrl::toPercentEncoding(m_settings.clientId)));
    if (!m_settings.clientSecret.isEmpty())
        form.addQueryItem(QStringLiteral("client_secret"),
                          QString::fromLatin1(QUrl::toPercentEncoding(m_settings.clientSecret)));
    net::HttpRequest request;
    request.method = "POST";
    request.url = m_settings.tokenUrl;
    request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}, {"Accept", "application/json"}};
    request.body = form.toString(QUrl::FullyEncoded).toUtf8();
    m_http.send(request, [this](const net::HttpResponse &response) {
        m_server->close();
        const QJsonObject reply = QJsonDocument::fromJson(response.body).object();
        if (response.status != 200 || reply.value(QLatin1String("access_token")).toString().isEmpty()) {
            const QString why = reply.value(QLatin1String("error_description")).toString();
            Q_EMIT failed(QStringLiteral("The code could not be exchanged for tokens (HTTP %1%2).")
                              .arg(response.status)
                              .arg(why.isEmpty() ? response.transportError : QStringLiteral(": ") + why));
            return;
        }
        for (const char *token : {"access_token", "refresh_token", "id_token"})
            log::redactor().addSecret(reply.value(QLatin1String(token)).toString());
        Q_EMIT signedIn(reply);
    });
}

} // namespace transom::auth
