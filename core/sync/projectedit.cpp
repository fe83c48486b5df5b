#include "core/sync/projectedit.h"

#include "core/connect/authstyles.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

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
    QFile in(projectPath);
    if (!in.open(QIODevice::ReadOnly))
        return Error(QStringLiteral("cannot read the project: %1").arg(in.errorString()), projectPath);
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(in.readAll(), &parseError);
    in.close();
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return Error(QStringLiteral("the project is not valid JSON: %1 (byte %2)")
                         .arg(parseError.errorString())
                         .arg(parseError.offset),
                     projectPath);
    if (connection.name.isEmpty())
        return Error(QStringLiteral("a connection needs a name"), projectPath);
    QJsonObject root = doc.object();
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
    QSaveFile out(projectPath);
    if (!out.open(QIODevice::WriteOnly))
        return Error(QStringLiteral("cannot write the project: %1").arg(out.errorString()), projectPath);
    out.write(QJsonDocument(root).toJson(QJsonDocument::Indented));
    if (!out.commit())
        return Error(QStringLiteral("cannot write the project: %1").arg(out.errorString()), projectPath);
    return true;
}

Expected<int> repointJobMappings(const QString &projectPath, const QString &fromMapping, const QString &toMapping)
{
    QFile in(projectPath);
    if (!in.open(QIODevice::ReadOnly))
        return Error(QStringLiteral("cannot read the project: %1").arg(in.errorString()), projectPath);
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(in.readAll(), &parseError);
    in.close();
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return Error(QStringLiteral("the project is not valid JSON: %1 (byte %2)")
                         .arg(parseError.errorString())
                         .arg(parseError.offset),
                     projectPath);
    const QDir folder = QFileInfo(projectPath).absoluteDir();
    const QFileInfo from(folder.absoluteFilePath(fromMapping));
    const QString relative = folder.relativeFilePath(toMapping);
    const QString written =
        relative.startsWith(QLatin1String("..")) ? QFileInfo(toMapping).absoluteFilePath() : relative;
    QJsonObject root = doc.object();
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
    QSaveFile out(projectPath);
    if (!out.open(QIODevice::WriteOnly))
        return Error(QStringLiteral("cannot write the project: %1").arg(out.errorString()), projectPath);
    out.write(QJsonDocument(root).toJson(QJsonDocument::Indented));
    if (!out.commit())
        return Error(QStringLiteral("cannot write the project: %1").arg(out.errorString()), projectPath);
    return changed;
}

QString credentialsPath(const Project &project)
{
    const QString fromEnvironment = qEnvironmentVariable("TRANSOM_CREDENTIALS");
    return fromEnvironment.isEmpty() ? project.resolve(QStringLiteral("credentials.json")) : fromEnvironment;
}

} // namespace transom::sync
