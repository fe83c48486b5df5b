#include "core/log/logging.h"
#include "core/log/redaction.h"

#include <spdlog/sinks/ostream_sink.h>

#include <QTest>

#include <sstream>

using transom::log::Redactor;

namespace {

QString u8(const char *text)
{
    return QString::fromUtf8(text);
}

QByteArray orSame(const std::optional<std::string> &redacted, const QByteArray &original)
{
    return redacted ? QByteArray::fromStdString(*redacted) : original;
}

} // namespace

class TestRedaction : public QObject {
    Q_OBJECT
    static void addColumns();
    static void checkRedaction();

private Q_SLOTS:
    void headers_data();
    void headers() { checkRedaction(); }
    void jsonBodies_data();
    void jsonBodies() { checkRedaction(); }
    void formsAndQueries_data();
    void formsAndQueries() { checkRedaction(); }
    void bearerAndBasic_data();
    void bearerAndBasic() { checkRedaction(); }
    void untouched_data();
    void untouched();
    void registeredSecrets_data();
    void registeredSecrets();
    void registeredSecretsAreBounded();
    void utf8WithoutSecretKeepsItsBytes();
    void loggerNeverShowsSecrets();
};

void TestRedaction::addColumns()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");
}

/// The row's input comes out as `expected`, through both the QString and the UTF-8 entry points.
void TestRedaction::checkRedaction()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    Redactor redactor;
    QCOMPARE(redactor.redact(input), expected);
    const QByteArray utf8 = input.toUtf8();
    const std::optional<std::string> viaUtf8 = redactor.redactUtf8(std::string_view(utf8.constData(), utf8.size()));
    QVERIFY(viaUtf8.has_value());
    QCOMPARE(QString::fromStdString(*viaUtf8), expected);
}

/// Header lines in any case; the scheme (Bearer, Basic, Token) stays visible.
void TestRedaction::headers_data()
{
    addColumns();
    QTest::newRow("authorization bearer")
        << u8("Authorization: Bearer eyJhbGciOi.abc.def") << u8("Authorization: Bearer ***");
    QTest::newRow("authorization lower basic")
        << u8("authorization: basic dXNlcjpwYXNz") << u8("authorization: basic ***");
    QTest::newRow("authorization upper no space") << u8("AUTHORIZATION:Token abc123") << u8("AUTHORIZATION:Token ***");
    QTest::newRow("authorization no scheme") << u8("Authorization: 8c1d77aa") << u8("Authorization: ***");
    QTest::newRow("proxy-authorization") << u8("Proxy-Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")
                                         << u8("Proxy-Authorization: Basic ***");
    QTest::newRow("x-api-key") << u8("X-Api-Key: 8f14e45fceea167a") << u8("X-Api-Key: ***");
    QTest::newRow("x-system-key") << u8("x-system-key:   sk_live_42") << u8("x-system-key:   ***");
    QTest::newRow("cookie") << u8("Cookie: session=abc123; theme=dark") << u8("Cookie: ***");
    QTest::newRow("set-cookie") << u8("SET-COOKIE: sid=xyz789; Path=/; HttpOnly") << u8("SET-COOKIE: ***");
    QTest::newRow("request head") << u8("POST /oauth/token HTTP/1.1\r\nHost: crm.example\r\nAuthorization: Basic "
                                        "Y2xpZW50OnNlY3JldA==\r\nAccept: application/json\r\n")
                                  << u8("POST /oauth/token HTTP/1.1\r\nHost: crm.example\r\nAuthorization: Basic "
                                        "***\r\nAccept: application/json\r\n");
    QTest::newRow("curl verbose") << u8("> X-API-KEY: abc-123\n< Set-Cookie: a=b\n< Content-Type: text/plain")
                                  << u8("> X-API-KEY: ***\n< Set-Cookie: ***\n< Content-Type: text/plain");
}

/// JSON with spaces, nesting, camelCase keys, escapes, JSON inside JSON strings, truncation, huge values.
void TestRedaction::jsonBodies_data()
{
    addColumns();
    QTest::newRow("json compact") << u8(R"({"access_token":"eyJ0.eXA.sig","token_type":"Bearer","expires_in":3600})")
                                  << u8(R"({"access_token":"***","token_type":"Bearer","expires_in":3600})");
    QTest::newRow("json spaces") << u8(R"({ "refresh_token" : "r-123" , "scope": "leads" })")
                                 << u8(R"({ "refresh_token" : "***" , "scope": "leads" })");
    QTest::newRow("json indented") << u8("{\n  \"client_secret\":\n    \"s3cr3t\"\n}")
                                   << u8("{\n  \"client_secret\":\n    \"***\"\n}");
    QTest::newRow("json nested camelCase")
        << u8(R"({"auth":{"tokens":{"accessToken":"a1b2","refreshToken":"r1"}},"user":{"name":"Maria","password":"hunter2"}})")
        << u8(R"({"auth":{"tokens":{"accessToken":"***","refreshToken":"***"}},"user":{"name":"Maria","password":"***"}})");
    QTest::newRow("json escaped quote in value")
        << u8(R"({"password":"pa\"ss","next":1})") << u8(R"({"password":"***","next":1})");
    QTest::newRow("json inside a json string")
        << u8(R"({"body":"{\"code\":\"SplxlOBeZQQYbYS6WxSbIA\",\"state\":\"xyz\"}"})")
        << u8(R"({"body":"{\"code\":\"***\",\"state\":\"xyz\"}"})");
    QTest::newRow("json number") << u8(R"({"username":"maria","password":12345678})")
                                 << u8(R"({"username":"maria","password":***})");
    QTest::newRow("json every field")
        << u8(R"({"api_key":"k-1","token":"t-2","code_verifier":"v-3","code":"c-4","id_token":"i-5","apiKey":"k-6"})")
        << u8(R"({"api_key":"***","token":"***","code_verifier":"***","code":"***","id_token":"***","apiKey":"***"})");
    QTest::newRow("json header names") << u8(R"({"headers":{"X-Api-Key":"abc","Accept":"json","Cookie":"a=b"}})")
                                       << u8(R"({"headers":{"X-Api-Key":"***","Accept":"json","Cookie":"***"}})");
    QTest::newRow("json key case") << u8(R"({"Password":"x1","CLIENT_SECRET":"x2"})")
                                   << u8(R"({"Password":"***","CLIENT_SECRET":"***"})");

    QTest::newRow("json inside a json string, escapes in the value")
        << u8(R"({"body":"{\"password\":\"a\\\"b\\\\c\",\"next\":\"n\"}"})")
        << u8(R"({"body":"{\"password\":\"***\",\"next\":\"n\"}"})");
    QTest::newRow("json truncated body")
        << u8(R"(body (first 40 bytes): {"scope":"x","access_token":"eyJhbGciOiJSUzI1)")
        << u8(R"(body (first 40 bytes): {"scope":"x","access_token":"***)");
    QTest::newRow("json 1 MB value") << u8(R"({"refresh_token":")") + QString(1 << 20, QLatin1Char('r')) +
                                            u8(R"(","x":1})")
                                     << u8(R"({"refresh_token":"***","x":1})");
    QTest::newRow("json 1 MB of escapes")
        << u8(R"({"password":")") + QString(1 << 19, QLatin1Char('a')).replace(u8("aa"), u8("\\\"")) + u8(R"("})")
        << u8(R"({"password":"***"})");
}

/// URL-encoded form bodies and URL query strings.
void TestRedaction::formsAndQueries_data()
{
    addColumns();
    QTest::newRow("form refresh")
        << u8("grant_type=refresh_token&refresh_token=tGzv3JOkF0XG5Qx2TlKWIA&client_id=transom&client_secret="
              "s%40cr%2Bt")
        << u8("grant_type=refresh_token&refresh_token=***&client_id=transom&client_secret=***");
    QTest::newRow("form code exchange") << u8("grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA&"
                                              "redirect_uri=https%3A%2F%2Flocalhost%2Fcb"
                                              "&code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
                                        << u8("grant_type=authorization_code&code=***&redirect_uri=https%3A%"
                                              "2F%2Flocalhost%2Fcb&code_verifier=***");
    QTest::newRow("form password") << u8("login username=maria&Password=hunter2+x")
                                   << u8("login username=maria&Password=***");
    QTest::newRow("form at start") << u8("token=abc") << u8("token=***");
    QTest::newRow("form inside json") << u8(R"({"body":"username=a&password=p%26w"})")
                                      << u8(R"({"body":"username=a&password=***"})");
    QTest::newRow("query api_key") << u8("GET https://mls.example/reso/Property?api_key=abc123&$top=200 -> 200")
                                   << u8("GET https://mls.example/reso/Property?api_key=***&$top=200 -> 200");
    QTest::newRow("query callback") << u8("callback /oauth/callback?code=xyz789&state=af0ifjsldkj#frag")
                                    << u8("callback /oauth/callback?code=***&state=af0ifjsldkj#frag");
    QTest::newRow("query access_token") << u8("https://x.example/feed?access_token=at.1.2 failed")
                                        << u8("https://x.example/feed?access_token=*** failed");
}

/// Bearer and Basic credentials anywhere in a line.
void TestRedaction::bearerAndBasic_data()
{
    addColumns();
    QTest::newRow("bearer in prose")
        << u8("retrying with Bearer eyJhbGciOiJIUzI1NiJ9.e30.ZRrHA1JJJW8opsbCGfG_HACGpVUMN_a9IV7pAx_Zmeo "
              "after 401")
        << u8("retrying with Bearer *** after 401");
    QTest::newRow("basic lower") << u8("sent basic dXNlcjpwYXNzd29yZA== to proxy") << u8("sent basic *** to proxy");
    QTest::newRow("bearer in a pair") << u8(R"(("Authorization", "Bearer abc123"))")
                                      << u8(R"(("Authorization", "Bearer ***"))");
    QTest::newRow("basic in a qdebug pair")
        << u8(R"(QPair("authorization","Basic Zm9vOmJhcg=="))") << u8(R"(QPair("authorization","Basic ***"))");
    QTest::newRow("unicode around") << u8("Café – Bearer tok3n-42 😀 ok") << u8("Café – Bearer *** 😀 ok");
}

void TestRedaction::untouched_data()
{
    QTest::addColumn<QString>("input");
    QTest::newRow("empty") << QString();
    QTest::newRow("summary") << u8("12 records: 10 clean, 2 with field errors");
    QTest::newRow("status code") << u8("HTTP status code 404 from /api/tokens");
    QTest::newRow("token type") << u8(R"({"token_type":"Bearer","expires_in":3600})");
    QTest::newRow("grant type") << u8("grant_type=refresh_token&client_id=transom");
    QTest::newRow("zip code") << u8("zip_code=78704&postal_code=78701&areacode=512");
    QTest::newRow("numeric error code") << u8(R"({"error":{"code":429,"message":"rate limited"}})");
    QTest::newRow("ordinary words") << u8("Basic plan selected; Bearer Token required; basic HTTP auth");
    QTest::newRow("header named in prose") << u8("missing X-Api-Key header; Authorization header missing");
    QTest::newRow("www-authenticate") << u8("WWW-Authenticate: Basic realm=\"crm\"");
    QTest::newRow("empty password") << u8(R"({"password":"","password2":"x"})");
    QTest::newRow("flow name") << u8("authorization_code flow started for crm-oauth; passwords rotate monthly");
    QTest::newRow("already redacted") << u8("Authorization: Bearer ***\n{\"access_token\":\"***\"} code=***");
    QTest::newRow("unicode") << u8("Café 'Les Écoles' – 30 € · 東京 😀 code review done\ttabs\r\n");
    QTest::newRow("long line") << QString(20000, QLatin1Char('x')) + u8(" secret santa ") +
                                      QString(20000, QLatin1Char('y'));
}

void TestRedaction::untouched()
{
    QFETCH(QString, input);
    Redactor redactor;
    redactor.addSecret(u8("registered-but-absent"));
    QCOMPARE(redactor.redact(input), input);
    const QByteArray utf8 = input.toUtf8();
    QVERIFY(!redactor.redactUtf8(std::string_view(utf8.constData(), utf8.size())).has_value());
}

void TestRedaction::registeredSecrets_data()
{
    QTest::addColumn<QStringList>("secrets");
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");
    QTest::newRow("plain") << QStringList{u8("Zy9!kQ2#mP")} << u8("user typed Zy9!kQ2#mP into the name field")
                           << u8("user typed *** into the name field");
    QTest::newRow("twice") << QStringList{u8("rt-0011aabb")} << u8("rt-0011aabb then rt-0011aabb")
                           << u8("*** then ***");
    QTest::newRow("url encoded") << QStringList{u8("Zy9!kQ2#mP")} << u8("GET /search?q=Zy9%21kQ2%23mP")
                                 << u8("GET /search?q=***");
    QTest::newRow("form spaces as plus") << QStringList{u8("open sesame 42")} << u8("note=open+sesame+42&x=1")
                                         << u8("note=***&x=1");
    QTest::newRow("json escaped") << QStringList{u8("pa\"ss\\word1")} << u8(R"({"note":"pa\"ss\\word1"})")
                                  << u8(R"({"note":"***"})");
    QTest::newRow("non-ascii") << QStringList{u8("contraseña-ñ1")} << u8("echo: contraseña-ñ1!") << u8("echo: ***!");
    QTest::newRow("longest first") << QStringList{u8("abcdef12"), u8("abcdef1234")} << u8("[abcdef1234]")
                                   << u8("[***]");
    QTest::newRow("too short to register") << QStringList{u8("abc")} << u8("abc is fine") << u8("abc is fine");
    QTest::newRow("with a pattern") << QStringList{u8("tenant-77-key")} << u8("X-Api-Key: k1 (tenant tenant-77-key)")
                                    << u8("X-Api-Key: ***");
    QTest::newRow("in a word") << QStringList{u8("Q7rT9zLm")} << u8("idQ7rT9zLmX") << u8("id***X");
}

void TestRedaction::registeredSecrets()
{
    QFETCH(QStringList, secrets);
    QFETCH(QString, input);
    QFETCH(QString, expected);
    Redactor redactor;
    for (const QString &secret : secrets)
        redactor.addSecret(secret);
    QCOMPARE(redactor.redact(input), expected);
    const QByteArray utf8 = input.toUtf8();
    QCOMPARE(orSame(redactor.redactUtf8(std::string_view(utf8.constData(), utf8.size())), utf8), expected.toUtf8());
    redactor.clearSecrets();
    if (!input.contains(QLatin1String("Api-Key")))
        QCOMPARE(redactor.redact(input), input);
}

void TestRedaction::registeredSecretsAreBounded()
{
    auto value = [](int i) { return QStringLiteral("value-%1-xyz").arg(i, 4, 10, QLatin1Char('0')); };
    Redactor redactor;
    for (int i = 0; i < Redactor::maxSecrets; ++i)
        redactor.addSecret(value(i));
    redactor.addSecret(value(0)); // registered again: in use, so it is not the next to go
    redactor.addSecret(value(Redactor::maxSecrets));
    QCOMPARE(redactor.redact(value(0)), QStringLiteral("***"));
    QCOMPARE(redactor.redact(value(1)), value(1)); // the least recently registered was dropped
    QCOMPARE(redactor.redact(value(2)), QStringLiteral("***"));
    QCOMPARE(redactor.redact(value(Redactor::maxSecrets)), QStringLiteral("***"));
}

void TestRedaction::utf8WithoutSecretKeepsItsBytes()
{
    // Invalid UTF-8 with a trigger word but no secret: nothing to replace, so the caller keeps its bytes.
    Redactor redactor;
    const std::string text("\xff\xfe token \xc3 count 3");
    QVERIFY(!redactor.redactUtf8(text).has_value());
}

void TestRedaction::loggerNeverShowsSecrets()
{
    const std::shared_ptr<spdlog::logger> logger = transom::log::logger();
    std::ostringstream captured;
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(captured);
    sink->set_pattern("%v");
    const std::vector<spdlog::sink_ptr> savedSinks = logger->sinks();
    const spdlog::level::level_enum savedLevel = logger->level();
    logger->sinks() = {sink};
    logger->set_level(spdlog::level::debug);
    transom::log::redactor().addSecret(QStringLiteral("lit-S3cret-value"));

    logger->info("token response {}", R"({"access_token":"at-9f8e7d","refresh_token":"rt-1a2b3c"})");
    logger->warn("POST /token body: grant_type=refresh_token&refresh_token={}", "rt-1a2b3c");
    logger->error("unexpected echo from server: {}", "lit-S3cret-value");
    logger->debug("Authorization: Bearer {}", "eyJhbGciOiJIUzI1NiJ9.e30.sig");
    logger->clone("transom-run")->warn("X-Api-Key: {}", "mls-key-5566");
    logger->flush();

    logger->sinks() = savedSinks;
    logger->set_level(savedLevel);
    transom::log::redactor().clearSecrets();

    const QString out = QString::fromStdString(captured.str());
    for (const char *secret : {"at-9f8e7d", "rt-1a2b3c", "lit-S3cret-value", "eyJhbGciOiJIUzI1NiJ9", "mls-key-5566"})
        QVERIFY2(!out.contains(QLatin1String(secret)), qPrintable(out));
    const QString expected = u8("token response {\"access_token\":\"***\",\"refresh_token\":\"***\"}\n"
                                "POST /token body: grant_type=refresh_token&refresh_token=***\n"
                                "unexpected echo from server: ***\n"
                                "Authorization: Bearer ***\n"
                                "X-Api-Key: ***\n");
    QCOMPARE(out, expected);
}

QTEST_APPLESS_MAIN(TestRedaction)
#include "tst_redaction.moc"
