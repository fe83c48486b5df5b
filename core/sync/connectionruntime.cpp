#include "core/sync/connectionruntime.h"

#include "core/connect/authstyles.h"
#include "core/sync/credentialurls.h"

#include <QJsonArray>

namespace transom::sync {

QList<RateWindow> ConnectionRuntime::windowsFrom(const QJsonObject &limits)
{
    static const QHash<QString, qint64> periods = {{QStringLiteral("second"), 1000},
                                                   {QStringLiteral("10s"), 10000},
                                                   {QStringLiteral("minute"), 60000},
                                                   {QStringLiteral("hour"), 3600000},
                                                   {QStringLiteral("day"), 86400000}};
    QList<RateWindow> out;
    for (const QJsonValue &v : limits.value(QLatin1String("windows")).toArray()) {
        const QJsonObject w = v.toObject();
        const qint64 period = periods.value(w.value(QLatin1String("per")).toString(), 0);
        const int limit = w.value(QLatin1String("limit")).toInt();
        if (period > 0 && limit > 0)
            out.append(RateWindow{limit, period,
                                  w.value(QLatin1String("sliding")).toBool() ? RateWindow::Sliding : RateWindow::Fixed,
                                  w.value(QLatin1String("per")).toString()});
    }
    return out;
}

Expected<auth::RequestSigner> ConnectionRuntime::signer(const QJsonObject &a, net::HttpClient &http,
                                                        const SecretAccess &secrets)
{
    const QString style = a.value(QLatin1String("style")).toString(QStringLiteral("none"));
    auto secret = [&](const char *key) {
        return secrets.read ? secrets.read(m_config.name, QLatin1String(key)) : QString();
    };
    auto missing = [&](const char *key) {
        return Error(QStringLiteral("connection \"%1\" needs its %2: add it to the credentials file, the keychain or "
                                    "TRANSOM_SECRET_%3_%4")
                         .arg(m_config.name, QString::fromLatin1(key).replace(QLatin1Char('_'), QLatin1Char(' ')),
                              m_config.name.toUpper().replace(QLatin1Char('-'), QLatin1Char('_')),
                              QString::fromLatin1(key).toUpper()));
    };
    if (!connect::findAuthStyle(style)) {
        QStringList known;
        for (const connect::AuthStyleSpec &s : connect::authStyleSpecs())
            known.append(s.style);
        return Error(QStringLiteral("connection \"%1\": unknown auth style \"%2\": \"style\" in its \"auth\" must "
                                    "be one of %3 (docs/connectors.md describes each)")
                         .arg(m_config.name, style, known.join(QStringLiteral(", "))));
    }
    net::HeaderList extra;
    const QJsonObject headers = a.value(QLatin1String("extra_headers")).toObject();
    for (auto it = headers.begin(); it != headers.end(); ++it)
        extra.append(net::HeaderList::value_type(it.key().toLatin1(), it.value().toString().toUtf8()));
    for (const QJsonValue &h : a.value(QLatin1String("secret_headers")).toArray()) {
        const QString value = secrets.read ? secrets.read(m_config.name, h.toString().toLower()) : QString();
        if (!value.isEmpty())
            extra.append(net::HeaderList::value_type(h.toString().toLatin1(), value.toUtf8()));
    }
    auth::RequestSigner s;
    if (style == QLatin1String("oauth_client_credentials") || style == QLatin1String("oauth_authorization_code")) {
        auth::OAuthSettings o;
        o.grant = style == QLatin1String("oauth_client_credentials") ? auth::OAuthSettings::Grant::ClientCredentials
                                                                     : auth::OAuthSettings::Grant::AuthorizationCode;
        o.tokenUrl = QUrl(a.value(QLatin1String("token_url")).toString());
        o.clientId = a.value(QLatin1String("client_id")).toString();
        o.scope = a.value(QLatin1String("scope")).toString();
        o.clientSecret = secret("client_secret");
        if (o.clientSecret.isEmpty())
            return missing("client_secret");
        m_session = new auth::OAuthSession(o, http, this);
        connect(m_session, &auth::OAuthSession::needsAttention, this, &ConnectionRuntime::needsAttention);
        // Every job on this connection in this process: one set of tokens, one refresh per expiry.
        if (!secrets.refreshLock.isEmpty())
            m_session->shareTokensWithin(
                QStringList{secrets.refreshLock, m_config.name, o.tokenUrl.toString(), o.clientId}.join(
                    QLatin1Char('\n')));
        if (o.grant == auth::OAuthSettings::Grant::AuthorizationCode) {
            m_session->setRefreshToken(secret("refresh_token"));
            const QString name = m_config.name;
            m_session->setRefreshTokenPersister([secrets, name](const QString &token) {
                return secrets.write && secrets.write(name, QStringLiteral("refresh_token"), token);
            });
            // Two jobs on this connection, or another process on the same store, rotate the same token.
            if (!secrets.refreshLock.isEmpty() && secrets.read)
                m_session->setSharedRefreshToken(secrets.refreshLock, [secrets, name] {
                    return secrets.read(name, QStringLiteral("refresh_token"));
                });
        }
        s = auth::RequestSigner::oauth(m_session);
    } else if (style == QLatin1String("basic_api_key")) {
        const QString key = secret("api_key");
        if (key.isEmpty())
            return missing("api_key");
        s = auth::RequestSigner::basic(key, QString());
    } else if (style == QLatin1String("api_key_header")) {
        const QString key = secret("api_key");
        if (key.isEmpty())
            return missing("api_key");
        s = auth::RequestSigner::apiKey(
            a.value(QLatin1String("header")).toString(QStringLiteral("X-Api-Key")).toLatin1(), key.toUtf8());
    } else if (style == QLatin1String("bearer")) {
        const QString token = secret("token");
        if (token.isEmpty())
            return missing("token");
        s = auth::RequestSigner::bearer(token.toUtf8());
    }
    s.setExtraHeaders(extra);
    return s;
}

Expected<std::unique_ptr<ConnectionRuntime>>
ConnectionRuntime::create(const Project &project, const ConnectionConfig &config, const connect::PresetLibrary &presets,
                          net::HttpClient &http, const SecretAccess &secrets, store::RateUsageStore *usage)
{
    std::unique_ptr<ConnectionRuntime> rt(new ConnectionRuntime(config));
    const connect::Preset *preset = presets.find(config.preset);
    if (!config.preset.isEmpty() && !preset)
        return Error(QStringLiteral("connection \"%1\" uses preset \"%2\", which is not installed: no preset with "
                                    "that id in %3. Put the vendor's preset file (%2.json) in one of those folders, or "
                                    "add its folder to TRANSOM_PRESETS (folders separated by \":\").")
                         .arg(config.name, config.preset,
                              presets.folders().isEmpty() ? QStringLiteral("any preset folder")
                                                          : presets.folders().join(QStringLiteral(", "))));
    if (rt->m_config.connector.isEmpty())
        rt->m_config.connector = preset ? preset->connector : QStringLiteral("rest");
    if (rt->m_config.kind.isEmpty() && preset)
        rt->m_config.kind = preset->kind;
    if (auto safe = checkSecretUrls(project, rt->m_config, presets); !safe)
        return safe.error(); // before any secret is read or sent
    rt->m_settings = project.effectiveSettings(rt->m_config, presets);
    const QJsonObject limits = project.effectiveLimits(rt->m_config, presets);
    const int maxInFlight = limits.value(QLatin1String("max_in_flight")).toInt(16);
    rt->m_limiter = usage ? std::make_unique<RateLimiter>(windowsFrom(limits), usage, config.name, maxInFlight)
                          : std::make_unique<RateLimiter>(windowsFrom(limits), maxInFlight);
    rt->m_paced = new PacedTransport(http, *rt->m_limiter, rt.get());
    auto signer = rt->signer(project.effectiveAuth(rt->m_config, presets), http, secrets);
    if (!signer)
        return signer.error();
    rt->m_client = std::make_unique<auth::AuthorizedClient>(*rt->m_paced, signer.value());
    return rt;
}

Expected<std::unique_ptr<connect::Source>> ConnectionRuntime::makeSource() const
{
    return connect::ConnectorRegistry::builtin().createSource(m_config.connector, m_settings, *m_client);
}

Expected<std::unique_ptr<connect::Sink>> ConnectionRuntime::makeSink() const
{
    return connect::ConnectorRegistry::builtin().createSink(m_config.connector, m_settings, *m_client);
}

} // namespace transom::sync
