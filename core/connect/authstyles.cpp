#include "core/connect/authstyles.h"

#include <QJsonArray>

namespace transom::connect {

namespace {

using T = SettingSpec::Type;

SettingSpec value(const char *key, const char *label, T type, const char *help, QJsonValue defaultValue = {})
{
    SettingSpec s;
    s.key = QLatin1String(key);
    s.label = QLatin1String(label);
    s.type = type;
    s.defaultValue = std::move(defaultValue);
    s.help = QString::fromUtf8(help);
    return s;
}

QList<AuthStyleSpec> build()
{
    const SettingSpec tokenUrl = value("token_url", "Token URL", T::Url, "the OAuth token endpoint");
    const SettingSpec clientId = value("client_id", "Client ID", T::Text, "the client id the vendor issued");
    const SettingSpec scope = value("scope", "Scope", T::Text, "scopes to ask for, separated by spaces (optional)");
    QList<AuthStyleSpec> styles;
    styles.append({QStringLiteral("none"),
                   QStringLiteral("None"),
                   QStringLiteral("Calls are not signed."),
                   {},
                   {},
                   QJsonObject{{QStringLiteral("style"), QStringLiteral("none")}}});
    styles.append({QStringLiteral("api_key_header"),
                   QStringLiteral("API key in a header"),
                   QStringLiteral("The API key is sent in a header of its own (X-Api-Key unless `header` says "
                                  "otherwise)."),
                   {value("header", "API key header", T::Text, "the header's name", QStringLiteral("X-Api-Key"))},
                   {QStringLiteral("api_key")},
                   QJsonObject{{QStringLiteral("style"), QStringLiteral("api_key_header")},
                               {QStringLiteral("header"), QStringLiteral("X-Api-Key")}}});
    styles.append({QStringLiteral("basic_api_key"),
                   QStringLiteral("API key as Basic user name"),
                   QStringLiteral("HTTP Basic authentication with the API key as the user name and an empty password."),
                   {},
                   {QStringLiteral("api_key")},
                   QJsonObject{{QStringLiteral("style"), QStringLiteral("basic_api_key")}}});
    styles.append({QStringLiteral("bearer"),
                   QStringLiteral("Bearer token"),
                   QStringLiteral("A long-lived access token sent as `Authorization: Bearer …`."),
                   {},
                   {QStringLiteral("token")},
                   QJsonObject{{QStringLiteral("style"), QStringLiteral("bearer")}}});
    styles.append({QStringLiteral("oauth_client_credentials"),
                   QStringLiteral("OAuth 2.0, client credentials"),
                   QStringLiteral("OAuth 2.0 client credentials grant: Transom asks the token URL for an access token "
                                  "with the client id and secret, and asks again before it expires."),
                   {tokenUrl, clientId, scope},
                   {QStringLiteral("client_secret")},
                   QJsonObject{{QStringLiteral("style"), QStringLiteral("oauth_client_credentials")},
                               {QStringLiteral("token_url"), QStringLiteral("{base}/oauth/token")},
                               {QStringLiteral("client_id"), QStringLiteral("transom")}}});
    styles.append(
        {QStringLiteral("oauth_authorization_code"),
         QStringLiteral("OAuth 2.0, sign in with the browser"),
         QStringLiteral("OAuth 2.0 authorization code with PKCE: a person signs in once in the browser (the studio's "
                        "Sign in button); the refresh token is stored and replaced whenever the vendor rotates it."),
         {value("authorize_url", "Sign-in page URL", T::Url, "the vendor's authorization page"), tokenUrl, clientId,
          scope},
         {QStringLiteral("client_secret"), QStringLiteral("refresh_token")},
         QJsonObject{{QStringLiteral("style"), QStringLiteral("oauth_authorization_code")},
                     {QStringLiteral("authorize_url"), QStringLiteral("{base}/oauth/authorize")},
                     {QStringLiteral("token_url"), QStringLiteral("{base}/oauth/token")},
                     {QStringLiteral("client_id"), QStringLiteral("transom")},
                     {QStringLiteral("scope"), QStringLiteral("crm")}}});
    return styles;
}

} // namespace

const QList<AuthStyleSpec> &authStyleSpecs()
{
    static const QList<AuthStyleSpec> styles = build();
    return styles;
}

const AuthStyleSpec *findAuthStyle(const QString &style)
{
    for (const AuthStyleSpec &s : authStyleSpecs())
        if (s.style == style)
            return &s;
    return nullptr;
}

const QList<SettingSpec> &authCommonValues()
{
    static const QList<SettingSpec> common = {
        value("extra_headers", "Extra headers", T::Headers,
              "non-secret headers sent with every call, e.g. {\"X-System\": \"Transom\"}"),
        value("secret_headers", "Secret headers", T::Text,
              "a JSON list of header names whose values are secrets, e.g. [\"X-System-Key\"]: each is read from the "
              "secrets under its lower-cased name"),
    };
    return common;
}

} // namespace transom::connect
