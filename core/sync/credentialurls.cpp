#include "core/sync/credentialurls.h"

#include "core/auth/secreturl.h"

#include <QJsonArray>
#include <QUrl>

namespace transom::sync {

namespace {

bool isUrlKey(const QString &key)
{
    return key == QLatin1String("url") || key.endsWith(QLatin1String("_url"));
}

/// A URL not filled in yet: empty, or a preset's "{base}/oauth/token" before the connection has a base
/// URL. Nothing can be sent there, and the studio must still open the project to fill it in.
bool isUnfinished(const QJsonValue &value)
{
    const QString text = value.toString().trimmed();
    return text.isEmpty() || text.startsWith(QLatin1Char('/'));
}

} // namespace

Expected<bool> checkSecretUrls(const Project &project, const ConnectionConfig &connection,
                               const connect::PresetLibrary &presets)
{
    auto check = [&](const QString &setting, const QString &url) -> Expected<bool> {
        const QString why = auth::secretUrlProblem(url);
        if (why.isEmpty())
            return true;
        return Error(QStringLiteral("connection \"%1\": %2 \"%3\" would receive the connection's credentials, "
                                    "but %4")
                         .arg(connection.name, setting, url, why),
                     project.file, 0, 0, QStringLiteral("connections.%1.%2").arg(connection.name, setting));
    };
    const QJsonObject authValues = project.effectiveAuth(connection, presets);
    for (auto it = authValues.begin(); it != authValues.end(); ++it) {
        if (!isUrlKey(it.key()) || !it.value().isString() || isUnfinished(it.value()))
            continue;
        if (auto ok = check(QStringLiteral("auth.") + it.key(), it.value().toString()); !ok)
            return ok;
    }
    const bool signs =
        authValues.value(QLatin1String("style")).toString(QStringLiteral("none")) != QLatin1String("none") ||
        !authValues.value(QLatin1String("secret_headers")).toArray().isEmpty();
    if (!signs)
        return true;
    if (!connection.baseUrl.isEmpty())
        if (auto ok = check(QStringLiteral("base_url"), connection.baseUrl); !ok)
            return ok;
    const QJsonObject settings = project.effectiveSettings(connection, presets);
    for (auto it = settings.begin(); it != settings.end(); ++it) {
        if (!isUrlKey(it.key()) || !it.value().isString() || isUnfinished(it.value()))
            continue;
        if (auto ok = check(QStringLiteral("settings.") + it.key(), it.value().toString()); !ok)
            return ok;
    }
    return true;
}

Expected<bool> checkSecretUrls(const Project &project, const connect::PresetLibrary &presets)
{
    for (const ConnectionConfig &connection : project.connections)
        if (auto ok = checkSecretUrls(project, connection, presets); !ok)
            return ok;
    return true;
}

QString secretOrigins(const Project &project, const ConnectionConfig &connection, const connect::PresetLibrary &presets,
                      const QString &key)
{
    if (key == QLatin1String("webhook_secret"))
        return {};
    QStringList origins;
    auto add = [&origins](const QJsonValue &value) {
        if (!value.isString() || isUnfinished(value))
            return;
        const QUrl url(value.toString().trimmed());
        const QString origin =
            url.adjusted(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::RemoveUserInfo)
                .toString(QUrl::FullyEncoded);
        if (url.isValid() && !url.host().isEmpty() && !origins.contains(origin))
            origins.append(origin);
    };
    const QJsonObject authValues = project.effectiveAuth(connection, presets);
    const bool oauth = authValues.value(QLatin1String("style")).toString().startsWith(QLatin1String("oauth_"));
    if (oauth && (key == QLatin1String("client_secret") || key == QLatin1String("refresh_token"))) {
        for (auto it = authValues.begin(); it != authValues.end(); ++it)
            if (isUrlKey(it.key()))
                add(it.value());
    } else {
        add(connection.baseUrl);
        const QJsonObject settings = project.effectiveSettings(connection, presets);
        for (auto it = settings.begin(); it != settings.end(); ++it)
            if (isUrlKey(it.key()))
                add(it.value());
    }
    origins.sort();
    return origins.join(QLatin1Char(' '));
}

} // namespace transom::sync
