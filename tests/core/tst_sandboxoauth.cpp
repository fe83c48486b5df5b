// The sandbox's OAuth 2.0 provider over loopback: every grant, PKCE, rotation, revocation, expiry.
#include "sandboxfixture.h"

#include <QCryptographicHash>
#include <QUrlQuery>

using namespace transom;
using namespace transom::testing;

class TestSandboxOAuth : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void clientCredentials_data();
    void clientCredentials();
    void authorizationCodeWithPkce_data();
    void authorizationCodeWithPkce();
    void refreshRotatesAndRevokes();
    void expiredTokensAreRefused();
};

namespace {
const net::HeaderList form = {{"Content-Type", "application/x-www-form-urlencoded"}};
}

void TestSandboxOAuth::clientCredentials_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("basic");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("error");
    QTest::newRow("secret in body")
        << QByteArray("grant_type=client_credentials&client_id=transom-demo&client_secret=sandbox-client-secret")
        << QByteArray() << 200 << QString();
    QTest::newRow("secret in Basic") << QByteArray("grant_type=client_credentials")
                                     << QByteArray("transom-demo:sandbox-client-secret") << 200 << QString();
    QTest::newRow("wrong secret") << QByteArray(
                                         "grant_type=client_credentials&client_id=transom-demo&client_secret=nope")
                                  << QByteArray() << 401 << QStringLiteral("invalid_client");
    QTest::newRow("unknown client") << QByteArray("grant_type=client_credentials") << QByteArray("someone:else") << 401
                                    << QStringLiteral("invalid_client");
    QTest::newRow("no grant") << QByteArray("client_id=transom-demo") << QByteArray() << 400
                              << QStringLiteral("invalid_request");
    QTest::newRow("password grant")
        << QByteArray("grant_type=password&client_id=transom-demo&client_secret=sandbox-client-secret") << QByteArray()
        << 400 << QStringLiteral("unsupported_grant_type");
}

void TestSandboxOAuth::clientCredentials()
{
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, basic);
    QFETCH(int, status);
    QFETCH(QString, error);
    SandboxFixture s;
    net::HeaderList headers = form;
    if (!basic.isEmpty())
        headers.append({"Authorization", "Basic " + basic.toBase64()});
    const net::HttpResponse r = s.call("POST", QStringLiteral("/oauth/token"), body, headers);
    QCOMPARE(r.status, status);
    const QJsonObject reply = SandboxFixture::json(r);
    if (error.isEmpty()) {
        QCOMPARE(reply.value(QStringLiteral("token_type")).toString(), QStringLiteral("Bearer"));
        QCOMPARE(reply.value(QStringLiteral("expires_in")).toInt(), 3600);
        QVERIFY(!reply.contains(QStringLiteral("refresh_token"))); // RFC 6749 §4.4.3
    } else {
        QCOMPARE(reply.value(QStringLiteral("error")).toString(), error);
        QVERIFY(!reply.value(QStringLiteral("error_description")).toString().isEmpty());
    }
}

void TestSandboxOAuth::authorizationCodeWithPkce_data()
{
    QTest::addColumn<QString>("verifierSent");
    QTest::addColumn<bool>("reuseCode");
    QTest::addColumn<int>("status");
    QTest::newRow("right verifier") << QStringLiteral("right") << false << 200;
    QTest::newRow("wrong verifier") << QStringLiteral("wrong") << false << 400;
    QTest::newRow("no verifier") << QString() << false << 400;
    QTest::newRow("code used twice") << QStringLiteral("right") << true << 400;
}

void TestSandboxOAuth::authorizationCodeWithPkce()
{
    QFETCH(QString, verifierSent);
    QFETCH(bool, reuseCode);
    QFETCH(int, status);
    SandboxFixture s;
    const QByteArray verifier = "a-verifier-of-at-least-43-characters-0123456789abcdef";
    const QByteArray challenge = QCryptographicHash::hash(verifier, QCryptographicHash::Sha256)
                                     .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    const QString redirect = QStringLiteral("http://127.0.0.1:53682/callback");
    QUrlQuery params;
    params.addQueryItem(QStringLiteral("response_type"), QStringLiteral("code"));
    params.addQueryItem(QStringLiteral("client_id"), QStringLiteral("transom-demo"));
    params.addQueryItem(QStringLiteral("redirect_uri"), redirect);
    params.addQueryItem(QStringLiteral("state"), QStringLiteral("xyz"));
    params.addQueryItem(QStringLiteral("code_challenge"), QString::fromLatin1(challenge));
    params.addQueryItem(QStringLiteral("code_challenge_method"), QStringLiteral("S256"));
    const net::HttpResponse page =
        s.call("GET", QStringLiteral("/oauth/authorize?") + params.toString(QUrl::FullyEncoded));
    QCOMPARE(page.status, 200);
    QVERIFY(page.body.contains("<form method=\"post\" action=\"/oauth/authorize\">"));
    QVERIFY(page.body.contains("name=\"code_challenge\""));
    // The person signs in: the browser posts the form.
    QUrlQuery submit = params;
    submit.addQueryItem(QStringLiteral("username"), QStringLiteral("dana"));
    submit.addQueryItem(QStringLiteral("password"), QStringLiteral("sandbox"));
    const net::HttpResponse wrongLogin =
        s.call("POST", QStringLiteral("/oauth/authorize"),
               params.toString(QUrl::FullyEncoded).toUtf8() + "&username=dana&password=no", form);
    QCOMPARE(wrongLogin.status, 401);
    const net::HttpResponse login =
        s.call("POST", QStringLiteral("/oauth/authorize"), submit.toString(QUrl::FullyEncoded).toUtf8(), form);
    QCOMPARE(login.status, 302);
    const QUrl location(QString::fromUtf8(login.header("Location")));
    QCOMPARE(location.toString(QUrl::RemoveQuery), redirect);
    const QUrlQuery back(location);
    QCOMPARE(back.queryItemValue(QStringLiteral("state")), QStringLiteral("xyz"));
    const QString code = back.queryItemValue(QStringLiteral("code"));
    QVERIFY(!code.isEmpty());

    QUrlQuery exchange;
    exchange.addQueryItem(QStringLiteral("grant_type"), QStringLiteral("authorization_code"));
    exchange.addQueryItem(QStringLiteral("code"), code);
    exchange.addQueryItem(QStringLiteral("redirect_uri"), redirect);
    exchange.addQueryItem(QStringLiteral("client_id"), QStringLiteral("transom-demo"));
    exchange.addQueryItem(QStringLiteral("client_secret"), QStringLiteral("sandbox-client-secret"));
    if (!verifierSent.isEmpty())
        exchange.addQueryItem(QStringLiteral("code_verifier"), verifierSent == QLatin1String("right")
                                                                   ? QString::fromLatin1(verifier)
                                                                   : QStringLiteral("guess"));
    const QByteArray body = exchange.toString(QUrl::FullyEncoded).toUtf8();
    net::HttpResponse token = s.call("POST", QStringLiteral("/oauth/token"), body, form);
    if (reuseCode)
        token = s.call("POST", QStringLiteral("/oauth/token"), body, form);
    QCOMPARE(token.status, status);
    const QJsonObject reply = SandboxFixture::json(token);
    if (status == 200) {
        QVERIFY(!reply.value(QStringLiteral("refresh_token")).toString().isEmpty());
        const QString access = reply.value(QStringLiteral("access_token")).toString();
        const net::HttpResponse people =
            s.call("GET", QStringLiteral("/v1/people"), {}, {{"Authorization", "Bearer " + access.toLatin1()}});
        QCOMPARE(people.status, 200);
    } else {
        QCOMPARE(reply.value(QStringLiteral("error")).toString(), QStringLiteral("invalid_grant"));
    }
}

void TestSandboxOAuth::refreshRotatesAndRevokes()
{
    SandboxFixture s;
    // Get a refresh token through the code flow without PKCE (plain confidential client).
    const QString redirect = QStringLiteral("http://localhost:8080/cb");
    const net::HttpResponse login = s.call("POST", QStringLiteral("/oauth/authorize"),
                                           "client_id=transom-demo&redirect_uri=" + QUrl::toPercentEncoding(redirect) +
                                               "&username=dana&password=sandbox",
                                           form);
    QCOMPARE(login.status, 302);
    const QString code =
        QUrlQuery(QUrl(QString::fromUtf8(login.header("Location")))).queryItemValue(QStringLiteral("code"));
    const QByteArray client = "&client_id=transom-demo&client_secret=sandbox-client-secret";
    const QJsonObject first =
        SandboxFixture::json(s.call("POST", QStringLiteral("/oauth/token"),
                                    "grant_type=authorization_code&code=" + code.toLatin1() +
                                        "&redirect_uri=" + QUrl::toPercentEncoding(redirect) + client,
                                    form));
    const QByteArray refresh1 = first.value(QStringLiteral("refresh_token")).toString().toLatin1();
    QVERIFY(!refresh1.isEmpty());
    const net::HttpResponse second = s.call("POST", QStringLiteral("/oauth/token"),
                                            "grant_type=refresh_token&refresh_token=" + refresh1 + client, form);
    QCOMPARE(second.status, 200);
    const QByteArray refresh2 =
        SandboxFixture::json(second).value(QStringLiteral("refresh_token")).toString().toLatin1();
    QVERIFY(refresh2 != refresh1);
    // The rotated-out token no longer works; the new one does until revoked.
    const net::HttpResponse stale = s.call("POST", QStringLiteral("/oauth/token"),
                                           "grant_type=refresh_token&refresh_token=" + refresh1 + client, form);
    QCOMPARE(stale.status, 400);
    QCOMPARE(SandboxFixture::json(stale).value(QStringLiteral("error")).toString(), QStringLiteral("invalid_grant"));
    QCOMPARE(s.call("POST", QStringLiteral("/oauth/revoke"), "token=" + refresh2, form).status, 200);
    QCOMPARE(s.call("POST", QStringLiteral("/oauth/token"),
                    "grant_type=refresh_token&refresh_token=" + refresh2 + client, form)
                 .status,
             400);
    QCOMPARE(s.server.counters().value(QStringLiteral("oauth.refresh.rejected")), 2);
}

void TestSandboxOAuth::expiredTokensAreRefused()
{
    SandboxFixture s;
    const QByteArray bearer = "Bearer " + s.clientCredentialsToken().toLatin1();
    QCOMPARE(s.call("GET", QStringLiteral("/odata/Property?$top=1"), {}, {{"Authorization", bearer}}).status, 200);
    // An hour later by the sandbox's clock, the token is dead.
    QCOMPARE(s.call("POST", QStringLiteral("/_admin/clock"), R"({"advance_seconds": 3601})").status, 200);
    const net::HttpResponse expired =
        s.call("GET", QStringLiteral("/odata/Property?$top=1"), {}, {{"Authorization", bearer}});
    QCOMPARE(expired.status, 401);
    QVERIFY(expired.header("WWW-Authenticate").contains("invalid_token"));
    QCOMPARE(s.call("GET", QStringLiteral("/odata/Property?$top=1"), {},
                    {{"Authorization", "Bearer " + s.clientCredentialsToken().toLatin1()}})
                 .status,
             200);
}

QTEST_GUILESS_MAIN(TestSandboxOAuth)
#include "tst_sandboxoauth.moc"
