#include "core/sync/projectedit.h"

#include "core/connect/authstyles.h"
#include "core/sync/projectsetup.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

namespace transom::sync {

namespace {

bool isEmptyValue(const QJsonValue &v)
{
    return v.isUndefined() || v.isNull() || (v.isString() && v.toString().isEmpty()) ||
           (v.isObject() && v.toObject().isEmpty());
}

const QStringList &secretAuthKeys()
{
    static const QStringList keys = {QStringLiteral("client_secret"), QStringLiteral("api_key"),
                                     QStringLiteral("password"),      QStringLiteral("refresh_token"),
                                     QStringLiteral("token"),         QStringLiteral("access_token")};
    return keys;
}

} // namespace

QStringList authStyles()
{
    QStringList styles;
    for (const connect::AuthStyleSpec &s : connect::authStyleSpecs())
        styles.append(s.style);
    return styles;
}

QStringList secretKeys(const QJsonObject &effectiveAuth, bool receivesWebhooks)
{
    QStringList keys;
    const QString style = effectiveAuth.value(QLatin1String("style")).toString(QStringLiteral("none"));
    if (const connect::AuthStyleSpec *spec = connect::findAuthStyle(style))
        for (const QString &secret : spec->secrets)
            if (secret != QLatin1String("refresh_token")) // stored by signing in, never typed
                keys.append(secret);
    for (const QJsonValue &h : effectiveAuth.value(QLatin1String("secret_headers")).toArray())
        keys.append(h.toString().toLower()); // as ConnectionRuntime reads them
    if (receivesWebhooks)
        keys.append(QStringLiteral("webhook_secret"));
    return keys;
}

QJsonObject inheritedSettings(const QList<connect::SettingSpec> &spec, const QJsonObject &presetSettings)
{
    QJsonObject out;
    for (const connect::SettingSpec &s : spec)
        if (!s.defaultValue.isUndefined() && !s.defaultValue.isNull())
            out.insert(s.key, s.defaultValue);
    for (auto it = presetSettings.begin(); it != presetSettings.end(); ++it)
        out.insert(it.key(), it.value());
    return out;
}

QJsonObject formSettings(const QList<connect::SettingSpec> &spec, const QJsonObject &presetSettings,
                         const QJsonObject &overrides)
{
    QJsonObject out = inheritedSettings(spec, presetSettings);
    for (auto it = overrides.begin(); it != overrides.end(); ++it)
        out.insert(it.key(), it.value());
    return out;
}

QJsonObject settingOverrides(const QList<connect::SettingSpec> &spec, const QJsonObject &presetSettings,
                             const QJsonObject &previous, const QJsonObject &formValues)
{
    const QJsonObject inherited = inheritedSettings(spec, presetSettings);
    QJsonObject out = previous;
    for (auto it = formValues.begin(); it != formValues.end(); ++it) {
        const QString &key = it.key();
        const QJsonValue &value = it.value();
        if (previous.contains(key) && previous.value(key) == value)
            continue; // the user left the connection's own value alone
        out.remove(key);
        if (isEmptyValue(value) || inherited.value(key) == value)
            continue;
        out.insert(key, value);
    }
    return out;
}

Project withConnection(Project project, const ConnectionConfig &connection)
{
    for (ConnectionConfig &c : project.connections) {
        if (c.name == connection.name) {
            c = connection;
            return project;
        }
    }
    project.connections.append(connection);
    return project;
}

Expected<bool> saveConnection(const QString &projectPath, const ConnectionConfig &connection)
{
    auto loaded = readProjectJson(projectPath);
    if (!loaded)
        return loaded.error();
    if (connection.name.isEmpty())
        return Error(QStringLiteral("a connection needs a name"), projectPath);
    QJsonObject root = loaded.value();
    QJsonObject connections = root.value(QLatin1String("connections")).toObject();
    QJsonObject entry = connections.value(connection.name).toObject();
    QJsonObject auth = connection.auth;
    for (const QString &secret : secretAuthKeys())
        auth.remove(secret);
    const std::pair<const char *, QJsonValue> fields[] = {
        {"preset", connection.preset},    {"connector", connection.connector}, {"kind", connection.kind},
        {"base_url", connection.baseUrl}, {"settings", connection.settings},   {"auth", auth},
        {"limits", connection.limits},    {"webhook", connection.webhook}};
    for (const auto &[key, value] : fields) {
        if (isEmptyValue(value))
            entry.remove(QLatin1String(key));
        else
            entry.insert(QLatin1String(key), value);
    }
    connections.insert(connection.name, entry);
    root.insert(QStringLiteral("connections"), connections);
    // The id the keychain knows the project's secrets by stays with the file when it moves.
    if (root.value(QLatin1String("id")).toString().trimmed().isEmpty())
        root.insert(QStringLiteral("id"), Project::derivedId(QFileInfo(projectPath).absoluteFilePath()));
    return writeProjectJson(projectPath, root);
}

Expected<int> repointJobMappings(const QString &projectPath, const QString &fromMapping, const QString &toMapping)
{
    auto loaded = readProjectJson(projectPath);
    if (!loaded)
        return loaded.error();
    const QDir folder = QFileInfo(projectPath).absoluteDir();
    const QFileInfo from(folder.absoluteFilePath(fromMapping));
    const QString relative = folder.relativeFilePath(toMapping);
    const QString written =
        relative.startsWith(QLatin1String("..")) ? QFileInfo(toMapping).absoluteFilePath() : relative;
    QJsonObject root = loaded.value();
    QJsonArray jobs = root.value(QLatin1String("jobs")).toArray();
    int changed = 0;
    for (qsizetype i = 0; i < jobs.size(); ++i) {
        QJsonObject job = jobs.at(i).toObject();
        if (QFileInfo(folder.absoluteFilePath(job.value(QLatin1String("mapping")).toString())) != from)
            continue;
        job.insert(QStringLiteral("mapping"), written);
        jobs.replace(i, job);
        ++changed;
    }
    if (changed == 0)
        return 0;
    root.insert(QStringLiteral("jobs"), jobs);
    if (auto saved = writeProjectJson(projectPath, root); !saved)
        return saved.error();
    return changed;
}

QString credentialsPath(const Project &project)
{
    const QString fromEnvironment = qEnvironmentVariable("TRANSOM_CREDENTIALS");
    return fromEnvironment.isEmpty() ? project.resolve(QStringLiteral("credentials.json")) : fromEnvironment;
}

} // namespace transom::sync
