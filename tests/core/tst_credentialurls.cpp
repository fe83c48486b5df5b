// Where secrets may go: every URL that receives a client secret, a token or an API key is https://, or
// http:// to this machine; a project that says otherwise is refused at load, naming the connection, the
// setting and the URL, before anything is sent.
#include "core/auth/secreturl.h"
#include "core/net/httpclient.h"
#include "core/sync/connectionruntime.h"
#include "core/sync/credentialurls.h"
#include "core/sync/project.h"

#include <QJsonDocument>
#include <QTest>

using namespace transom;

class TestCredentialUrls : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void secretUrls_data();
    void secretUrls();
    void projectsAreCheckedAtLoad_data();
    void projectsAreCheckedAtLoad();
    void aRefusedConnectionReadsNoSecret();
    void aMissingPresetSaysWhereToPutIt();
    void secretOrigins_data();
    void secretOrigins();
    void projectIds_data();
    void projectIds();
};

void TestCredentialUrls::secretUrls_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("problem"); ///< empty: the URL may receive a secret
    QTest::newRow("https") << QStringLiteral("https://login.example.com/oauth/token") << QString();
    QTest::newRow("https with a port") << QStringLiteral("https://crm.example.com:8443/v1") << QString();
    QTest::newRow("HTTPS in capitals") << QStringLiteral("HTTPS://crm.example.com/v1") << QString();
    QTest::newRow("http 127.0.0.1") << QStringLiteral("http://127.0.0.1:8765/oauth/token") << QString();
    QTest::newRow("http 127.8.9.10") << QStringLiteral("http://127.8.9.10/token") << QString();
    QTest::newRow("http localhost") << QStringLiteral("http://localhost:8080/token") << QString();
    QTest::newRow("http LOCALHOST.") << QStringLiteral("http://LOCALHOST./token") << QString();
    QTest::newRow("http ::1") << QStringLiteral("http://[::1]:8765/token") << QString();
    QTest::newRow("http remote") << QStringLiteral("http://login.example.com/oauth/token")
                                 << QStringLiteral("plain http:// to login.example.com");
    QTest::newRow("http private address")
        << QStringLiteral("http://192.168.1.10/token") << QStringLiteral("plain http:// to 192.168.1.10");
    QTest::newRow("http 0.0.0.0") << QStringLiteral("http://0.0.0.0:8765/token") << QStringLiteral("plain http://");
    QTest::newRow("http 128.0.0.1") << QStringLiteral("http://128.0.0.1/token") << QStringLiteral("plain http://");
    QTest::newRow("loopback-looking host name") << QStringLiteral("http://127.0.0.1.evil.example/token")
                                                << QStringLiteral("plain http:// to 127.0.0.1.evil.example");
    QTest::newRow("localhost-looking host name") << QStringLiteral("http://localhost.evil.example/token")
                                                 << QStringLiteral("plain http:// to localhost.evil.example");
    QTest::newRow("userinfo trick") << QStringLiteral("http://127.0.0.1@evil.example/token")
                                    << QStringLiteral("user name or password before '@', and would go to evil.example");
    QTest::newRow("userinfo trick with a port")
        << QStringLiteral("http://localhost:8765@evil.example/token") << QStringLiteral("would go to evil.example");
    QTest::newRow("userinfo on https") << QStringLiteral("https://user:pass@crm.example.com/v1")
                                       << QStringLiteral("user name or password");
    QTest::newRow("ftp") << QStringLiteral("ftp://files.example.com/token") << QStringLiteral("ftp:// is not allowed");
    QTest::newRow("file") << QStringLiteral("file:///etc/passwd") << QStringLiteral("not a full URL");
    QTest::newRow("javascript") << QStringLiteral("javascript:alert(1)") << QStringLiteral("not a full URL");
    QTest::newRow("ws to loopback") << QStringLiteral("ws://127.0.0.1/socket")
                                    << QStringLiteral("ws:// is not allowed");
    QTest::newRow("no scheme") << QStringLiteral("login.example.com/token") << QStringLiteral("not a full URL");
    QTest::newRow("empty") << QString() << QStringLiteral("not a full URL");
}

void TestCredentialUrls::secretUrls()
{
    QFETCH(QString, url);
    QFETCH(QString, problem);
    const QString why = auth::secretUrlProblem(url);
    if (problem.isEmpty())
        QVERIFY2(why.isEmpty(), qPrintable(why));
    else
        QVERIFY2(why.contains(problem), qPrintable(why));
}

namespace {

connect::PresetLibrary presets()
{
    return connect::PresetLibrary::load({QStringLiteral(TRANSOM_RESOURCES "/presets")});
}

/// A project with one connection `crm` built from `connection` (JSON).
Expected<sync::Project> projectWith(const QByteArray &connection)
{
    const QByteArray json = R"({"transom_project": 1, "name": "t", "connections": {"crm": )" + connection + "}}";
    return sync::Project::parse(json, QStringLiteral("/tmp/project.json"));
}

} // namespace

void TestCredentialUrls::projectsAreCheckedAtLoad_data()
{
    QTest::addColumn<QByteArray>("connection");
    QTest::addColumn<QString>("setting"); ///< empty: the project is accepted
    QTest::addColumn<QString>("url");
    QTest::newRow("preset on https") << QByteArray(R"({"preset": "oauth-crm", "base_url": "https://crm.example.com"})")
                                     << QString() << QString();
    QTest::newRow("preset on loopback http")
        << QByteArray(R"({"preset": "oauth-crm", "base_url": "http://127.0.0.1:8765"})") << QString() << QString();
    // The preset's token and sign-in URLs are {base}/oauth/...: the first of them refused names itself.
    QTest::newRow("preset on remote http")
        << QByteArray(R"({"preset": "oauth-crm", "base_url": "http://crm.example.com"})") << QStringLiteral("auth.")
        << QStringLiteral("http://crm.example.com/oauth/");
    QTest::newRow("token_url over http")
        << QByteArray(
               R"({"preset": "oauth-crm", "base_url": "https://crm.example.com", "auth": {"token_url": "http://evil.example/token"}})")
        << QStringLiteral("auth.token_url") << QStringLiteral("http://evil.example/token");
    QTest::newRow("authorize_url with a userinfo trick")
        << QByteArray(
               R"({"preset": "oauth-crm", "base_url": "https://crm.example.com", "auth": {"authorize_url": "http://127.0.0.1@evil.example/authorize"}})")
        << QStringLiteral("auth.authorize_url") << QStringLiteral("http://127.0.0.1@evil.example/authorize");
    QTest::newRow("revoke_url over ftp")
        << QByteArray(
               R"({"preset": "oauth-crm", "base_url": "https://crm.example.com", "auth": {"revoke_url": "ftp://crm.example.com/revoke"}})")
        << QStringLiteral("auth.revoke_url") << QStringLiteral("ftp://crm.example.com/revoke");
    QTest::newRow("api key to a remote http base")
        << QByteArray(
               R"({"connector": "rest", "kind": "sink", "base_url": "http://crm.example.com", "auth": {"style": "basic_api_key"}, "settings": {"create_url": "https://crm.example.com/v1"}})")
        << QStringLiteral("base_url") << QStringLiteral("http://crm.example.com");
    QTest::newRow("api key to a remote http create_url")
        << QByteArray(
               R"({"connector": "rest", "kind": "sink", "auth": {"style": "basic_api_key"}, "settings": {"create_url": "http://crm.example.com/v1"}})")
        << QStringLiteral("settings.create_url") << QStringLiteral("http://crm.example.com/v1");
    QTest::newRow("secret header to a remote http url")
        << QByteArray(
               R"({"connector": "rest", "kind": "source", "auth": {"secret_headers": ["X-Token"]}, "settings": {"url": "http://feed.example.com/leads"}})")
        << QStringLiteral("settings.url") << QStringLiteral("http://feed.example.com/leads");
    QTest::newRow("no base URL yet: the studio opens it to fill it in")
        << QByteArray(R"({"preset": "oauth-crm"})") << QString() << QString();
    QTest::newRow("a URL without a scheme (curl would guess http://)")
        << QByteArray(
               R"({"preset": "oauth-crm", "base_url": "https://crm.example.com", "auth": {"token_url": "login.example.com/token"}})")
        << QStringLiteral("auth.token_url") << QStringLiteral("login.example.com/token");
    QTest::newRow("no credentials: plain http is the connection's own business")
        << QByteArray(
               R"({"connector": "rest", "kind": "source", "settings": {"url": "http://feed.example.com/leads"}})")
        << QString() << QString();
}

void TestCredentialUrls::projectsAreCheckedAtLoad()
{
    QFETCH(QByteArray, connection);
    QFETCH(QString, setting);
    QFETCH(QString, url);
    const auto project = projectWith(connection);
    QVERIFY2(project.ok(), qPrintable(project.ok() ? QString() : project.error().toString()));
    const auto checked = sync::checkSecretUrls(project.value(), presets());
    if (setting.isEmpty()) {
        QVERIFY2(checked.ok(), qPrintable(checked.ok() ? QString() : checked.error().toString()));
        return;
    }
    QVERIFY(!checked.ok());
    const QString message = checked.error().message;
    QVERIFY2(message.startsWith(QStringLiteral("connection \"crm\": ") + setting), qPrintable(message));
    QVERIFY2(message.contains(QLatin1Char('"') + url), qPrintable(message));
    QVERIFY2(checked.error().path.startsWith(QStringLiteral("connections.crm.") + setting),
             qPrintable(checked.error().path));
}

void TestCredentialUrls::aRefusedConnectionReadsNoSecret()
{
    // The runtime (run, serve, "Test connection") checks before it asks for the secret.
    const auto project = projectWith(R"({"preset": "oauth-crm", "base_url": "http://crm.example.com"})");
    QVERIFY(project.ok());
    const connect::PresetLibrary library = presets();
    int secretsRead = 0;
    sync::SecretAccess secrets;
    secrets.read = [&secretsRead](const QString &, const QString &) {
        ++secretsRead;
        return QStringLiteral("s3cret");
    };
    net::HttpClient http;
    const auto runtime = sync::ConnectionRuntime::create(
        project.value(), *project.value().connection(QStringLiteral("crm")), library, http, secrets, nullptr);
    QVERIFY(!runtime.ok());
    QVERIFY2(runtime.error().message.contains(QStringLiteral("plain http:// to crm.example.com")),
             qPrintable(runtime.error().message));
    QCOMPARE(secretsRead, 0);
}

void TestCredentialUrls::aMissingPresetSaysWhereToPutIt()
{
    // Issue 21: "Preset … not installed" named neither the folders looked in nor TRANSOM_PRESETS.
    const auto project = projectWith(R"({"preset": "acme-crm", "base_url": "https://crm.example.com"})");
    QVERIFY(project.ok());
    const connect::PresetLibrary library = presets();
    net::HttpClient http;
    const auto runtime = sync::ConnectionRuntime::create(
        project.value(), *project.value().connection(QStringLiteral("crm")), library, http, {}, nullptr);
    QVERIFY(!runtime.ok());
    const QString message = runtime.error().message;
    QVERIFY2(message.contains(QStringLiteral("\"acme-crm\", which is not installed")), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("TRANSOM_PRESETS")), qPrintable(message));
    QVERIFY2(message.contains(library.folders().value(0)), qPrintable(message));
    QVERIFY(message.contains(QStringLiteral("acme-crm.json")));
}

void TestCredentialUrls::secretOrigins_data()
{
    QTest::addColumn<QByteArray>("connection");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("origins"); ///< where the keychain ties the secret to
    const QByteArray oauth = R"({"preset": "oauth-crm", "base_url": "https://crm.example.com/api/v2",
                                 "auth": {"style": "oauth_authorization_code", "token_url": "https://login.example.com:8443/oauth/token"}})";
    QTest::newRow("client secret: the token endpoint") << oauth << "client_secret"
                                                       << "https://crm.example.com https://login.example.com:8443";
    QTest::newRow("refresh token: the token endpoint") << oauth << "refresh_token"
                                                       << "https://crm.example.com https://login.example.com:8443";
    QTest::newRow("api key: every signed URL")
        << QByteArray(R"({"connector": "rest", "kind": "sink", "base_url": "https://crm.example.com",
                          "auth": {"style": "basic_api_key"},
                          "settings": {"create_url": "https://crm.example.com/v1/people", "find_url": "https://search.example.com/find?q={external_id}"}})")
        << "api_key"
        << "https://crm.example.com https://search.example.com";
    QTest::newRow("loopback keeps its port")
        << QByteArray(R"({"preset": "oauth-crm", "base_url": "http://127.0.0.1:8765",
                                                              "auth": {"style": "basic_api_key"}})")
        << "api_key"
        << "http://127.0.0.1:8765";
    QTest::newRow("webhook secret: sent nowhere") << oauth << "webhook_secret"
                                                  << "";
}

void TestCredentialUrls::secretOrigins()
{
    QFETCH(QByteArray, connection);
    QFETCH(QString, key);
    QFETCH(QString, origins);
    const auto project = projectWith(connection);
    QVERIFY2(project.ok(), qPrintable(project.ok() ? QString() : project.error().toString()));
    QCOMPARE(sync::secretOrigins(project.value(), *project->connection(QStringLiteral("crm")), presets(), key),
             origins);
}

void TestCredentialUrls::projectIds_data()
{
    QTest::addColumn<QByteArray>("idJson"); ///< the "id" member as written in the file, or empty
    QTest::addColumn<QString>("id");        ///< empty: refused
    QTest::newRow("an id of its own") << QByteArray(R"("id": "brokerage-leads-7",)") << "brokerage-leads-7";
    QTest::newRow("none: derived from the file")
        << QByteArray() << sync::Project::derivedId(QStringLiteral("/p/project.json"));
    QTest::newRow("a slash would mix up keychain entries") << QByteArray(R"("id": "a/b",)") << QString();
}

void TestCredentialUrls::projectIds()
{
    QFETCH(QByteArray, idJson);
    QFETCH(QString, id);
    const auto project = sync::Project::parse(R"({"transom_project": 1, )" + idJson + R"( "connections": {}})",
                                              QStringLiteral("/p/project.json"));
    if (id.isEmpty()) {
        QVERIFY(!project.ok());
        QVERIFY2(project.error().message.contains(QLatin1String("keychain")), qPrintable(project.error().message));
        return;
    }
    QVERIFY2(project.ok(), qPrintable(project.ok() ? QString() : project.error().toString()));
    QCOMPARE(project->id, id);
    QVERIFY(sync::Project::derivedId(QStringLiteral("/p/project.json")) !=
            sync::Project::derivedId(QStringLiteral("/q/project.json")));
}

QTEST_GUILESS_MAIN(TestCredentialUrls)
#include "tst_credentialurls.moc"
