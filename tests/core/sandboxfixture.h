#pragma once
// A sandbox server in-process on a free loopback port, and helpers to call it through HttpClient.

#include "core/net/httpclient.h"
#include "sandbox/sandboxserver.h"

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

} // namespace transom::testing
