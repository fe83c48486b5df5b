#include "core/sync/credentialurls.h"

#include "core/auth/secreturl.h"

#include <QJsonArray>

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

} // namespace transom::sync
