#pragma once
// A sandbox server in-process on a free loopback port, and helpers to call it through HttpClient.

#include "core/net/httpclient.h"
#include "sandbox/sandboxserver.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

namespace transom::testing {

class SandboxFixture {
public:
    explicit SandboxFixture(sandbox::SandboxConfig config = {}) : server(std::move(config))
    {
        if (server.start() == 0)
            qFatal("the sandbox could not listen on loopback");
    }

    net::HttpResponse call(const QByteArray &method, const QString &path, const QByteArray &body = {},
                           net::HeaderList headers = {}, int timeoutMs = 10000)
    {
        net::HttpRequest r;
        r.method = method;
        r.url = QUrl(server.baseUrl() + path);
        r.body = body;
        r.headers = std::move(headers);
        r.timeoutMs = timeoutMs;
        return client.sendAndWait(r);
    }

    /// The sandbox's answer to a refresh with `refreshToken` as the demo client: 200 while it is the
    /// live one, 400 once rotated away or revoked.
    int refreshStatus(const QString &refreshToken)
    {
        const QByteArray form = "grant_type=refresh_token&refresh_token=" + QUrl::toPercentEncoding(refreshToken) +
                                "&client_id=transom-demo&client_secret=sandbox-client-secret";
        return call("POST", QStringLiteral("/oauth/token"), form,
                    {{"Content-Type", "application/x-www-form-urlencoded"}})
            .status;
    }

    net::HttpResponse crm(const QByteArray &method, const QString &path, const QJsonObject &body = {})
    {
        return call(method, path, body.isEmpty() ? QByteArray() : QJsonDocument(body).toJson(QJsonDocument::Compact),
                    {{"Authorization", "Basic " + QByteArray("sandbox-api-key:").toBase64()},
                     {"Content-Type", "application/json"}});
    }

    QString clientCredentialsToken()
    {
        const net::HttpResponse r =
            call("POST", QStringLiteral("/oauth/token"),
                 "grant_type=client_credentials&client_id=transom-demo&client_secret=sandbox-client-secret",
                 {{"Content-Type", "application/x-www-form-urlencoded"}});
        return json(r).value(QStringLiteral("access_token")).toString();
    }

    static QJsonObject json(const net::HttpResponse &r) { return QJsonDocument::fromJson(r.body).object(); }

    sandbox::SandboxServer server;
    net::HttpClient client;
};

/// The demo project (resources/demo) written into `folder` for vendors at `baseUrl`, with its 0600
/// credentials beside it. Returns the project file's path.
inline QString writeDemoProject(const QString &folder, const QString &baseUrl)
{
    QFile source(QStringLiteral(TRANSOM_RESOURCES "/demo/project.json"));
    if (!source.open(QIODevice::ReadOnly))
        qFatal("the demo project is missing");
    QByteArray text = source.readAll();
    text.replace("@RESOURCES@", TRANSOM_RESOURCES);
    text.replace("http://127.0.0.1:8765", baseUrl.toUtf8());
    QDir().mkpath(folder);
    QFile out(folder + QStringLiteral("/project.json"));
    if (!out.open(QIODevice::WriteOnly) || out.write(text) != text.size())
        qFatal("cannot write the demo project");
    out.close();
    const QString credentials = folder + QStringLiteral("/credentials.json");
    QFile::remove(credentials);
    QFile::copy(QStringLiteral(TRANSOM_RESOURCES "/demo/credentials.json"), credentials);
    QFile::setPermissions(credentials, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    return out.fileName();
}

} // namespace transom::testing
