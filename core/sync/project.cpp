#include "core/sync/project.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace transom::sync {

namespace {

QJsonObject merged(QJsonObject base, const QJsonObject &overrides)
{
    for (auto it = overrides.begin(); it != overrides.end(); ++it)
        base.insert(it.key(), it.value());
    return base;
}

Error at(const QString &file, const QString &path, const QString &message)
{
    return Error(message, file, 0, 0, path);
}

} // namespace

Expected<Project> Project::load(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return Error(QStringLiteral("cannot open the project: %1").arg(f.errorString()), path);
    return parse(f.readAll(), QFileInfo(path).absoluteFilePath());
}

QString Project::derivedId(const QString &path)
{
    const QByteArray where = QFileInfo(path).absoluteFilePath().toUtf8();
    return QStringLiteral("file-") +
           QString::fromLatin1(QCryptographicHash::hash(where, QCryptographicHash::Sha256).toHex().left(16));
}

Expected<Project> Project::parse(const QByteArray &json, const QString &path)
{
    QJsonParseError e;
    const QJsonObject root = QJsonDocument::fromJson(json, &e).object();
    if (e.error != QJsonParseError::NoError)
        return Error(QStringLiteral("the project is not valid JSON: %1 (byte %2)").arg(e.errorString()).arg(e.offset),
                     path);
    if (root.value(QLatin1String("transom_project")).toInt() != formatVersion)
        return at(path, {}, QStringLiteral("not a Transom project (\"transom_project\": 1 is missing)"));
    Project p;
    p.file = path;
    p.name = root.value(QLatin1String("name")).toString();
    p.id = root.value(QLatin1String("id")).toString().trimmed();
    p.timeZone = root.value(QLatin1String("time_zone")).toString();
    if (p.id.isEmpty())
        p.id = derivedId(path);
    static const QRegularExpression idShape(QStringLiteral("^[A-Za-z0-9._-]{1,100}$"));
    if (!idShape.match(p.id).hasMatch())
        return at(path, QStringLiteral("id"),
                  QStringLiteral("\"id\" may hold only letters, digits, \".\", \"_\" and \"-\" (it names the "
                                 "project's entries in the system keychain)"));
    p.storePath = p.resolve(root.value(QLatin1String("store")).toString(QStringLiteral("transom.db")));
    p.logDir = p.resolve(root.value(QLatin1String("logs")).toString(QStringLiteral("logs")));
    p.maskPii = root.value(QLatin1String("logging")).toObject().value(QLatin1String("mask_pii")).toBool();
    const QJsonObject connections = root.value(QLatin1String("connections")).toObject();
    for (auto it = connections.begin(); it != connections.end(); ++it) {
        const QJsonObject c = it.value().toObject();
        ConnectionConfig cc;
        cc.name = it.key();
        cc.preset = c.value(QLatin1String("preset")).toString();
        cc.connector = c.value(QLatin1String("connector")).toString();
        cc.kind = c.value(QLatin1String("kind")).toString();
        cc.baseUrl = c.value(QLatin1String("base_url")).toString();
        cc.settings = c.value(QLatin1String("settings")).toObject();
        cc.auth = c.value(QLatin1String("auth")).toObject();
        cc.limits = c.value(QLatin1String("limits")).toObject();
        cc.webhook = c.value(QLatin1String("webhook")).toObject();
        if (cc.auth.contains(QLatin1String("client_secret")) || cc.auth.contains(QLatin1String("api_key")) ||
            cc.auth.contains(QLatin1String("password")) || cc.auth.contains(QLatin1String("refresh_token")))
            return at(
                path, QStringLiteral("connections.%1.auth").arg(cc.name),
                QStringLiteral("a project file never holds secrets: move them to the credentials file or keychain"));
        p.connections.append(cc);
    }
    const QJsonArray jobs = root.value(QLatin1String("jobs")).toArray();
    for (qsizetype i = 0; i < jobs.size(); ++i) {
        const QJsonObject j = jobs.at(i).toObject();
        JobConfig job;
        job.name = j.value(QLatin1String("name")).toString();
        job.source = j.value(QLatin1String("source")).toString();
        job.sink = j.value(QLatin1String("sink")).toString();
        job.mapping = p.resolve(j.value(QLatin1String("mapping")).toString());
        job.externalIdField = j.value(QLatin1String("external_id_field")).toString();
        job.batch = j.value(QLatin1String("batch")).toBool();
        job.versionFieldSet = j.contains(QLatin1String("version_field"));
        job.versionField = j.value(QLatin1String("version_field")).toString();
        const QJsonObject samples = j.value(QLatin1String("samples")).toObject();
        if (samples.contains(QLatin1String("source")))
            job.sourceSamples = p.resolve(samples.value(QLatin1String("source")).toString());
        if (samples.contains(QLatin1String("target")))
            job.targetSamples = p.resolve(samples.value(QLatin1String("target")).toString());
        const QJsonObject trigger = j.value(QLatin1String("trigger")).toObject();
        const QString kind = trigger.value(QLatin1String("kind")).toString(QStringLiteral("on_demand"));
        job.trigger.kind = kind == QLatin1String("poll")      ? TriggerConfig::Kind::Poll
                           : kind == QLatin1String("webhook") ? TriggerConfig::Kind::Webhook
                                                              : TriggerConfig::Kind::OnDemand;
        job.trigger.everyMinutes = std::max(1, trigger.value(QLatin1String("every_minutes")).toInt(5));
        job.trigger.path = trigger.value(QLatin1String("path")).toString();
        job.trigger.recordPath = trigger.value(QLatin1String("record_path")).toString();
        job.trigger.scheme = trigger.value(QLatin1String("scheme")).toString();
        job.trigger.toleranceSeconds = trigger.value(QLatin1String("tolerance_seconds")).toInt(0);
        const QJsonObject retry = j.value(QLatin1String("retry")).toObject();
        job.retry.maxAttempts = std::max(1, retry.value(QLatin1String("max_attempts")).toInt(job.retry.maxAttempts));
        job.retry.baseMs = std::max(1, retry.value(QLatin1String("base_ms")).toInt(job.retry.baseMs));
        job.retry.capMs = std::max(job.retry.baseMs, retry.value(QLatin1String("cap_ms")).toInt(job.retry.capMs));
        const QString where = QStringLiteral("jobs[%1]").arg(i);
        if (job.name.isEmpty())
            return at(path, where, QStringLiteral("a job needs a name"));
        if (!p.connection(job.source) || !p.connection(job.sink))
            return at(path, where,
                      QStringLiteral("job \"%1\" names a connection the project does not have (%2, %3)")
                          .arg(job.name, job.source, job.sink));
        p.jobs.append(job);
    }
    return p;
}

const ConnectionConfig *Project::connection(const QString &connectionName) const
{
    for (const ConnectionConfig &c : connections)
        if (c.name == connectionName)
            return &c;
    return nullptr;
}

const JobConfig *Project::job(const QString &jobName) const
{
    for (const JobConfig &j : jobs)
        if (j.name == jobName)
            return &j;
    return nullptr;
}

QString Project::resolve(const QString &relative) const
{
    if (relative.isEmpty() || QFileInfo(relative).isAbsolute())
        return relative;
    return QFileInfo(file).absoluteDir().filePath(relative);
}

QJsonObject Project::effectiveSettings(const ConnectionConfig &c, const connect::PresetLibrary &presets) const
{
    const connect::Preset *preset = presets.find(c.preset);
    QJsonObject settings = merged(preset ? preset->settings : QJsonObject(), c.settings);
    if (c.connector == QLatin1String("file") && settings.contains(QLatin1String("path")))
        settings.insert(QStringLiteral("path"), resolve(settings.value(QLatin1String("path")).toString()));
    return connect::withBaseUrl(settings, c.baseUrl);
}

QJsonObject Project::effectiveAuth(const ConnectionConfig &c, const connect::PresetLibrary &presets) const
{
    const connect::Preset *preset = presets.find(c.preset);
    return connect::withBaseUrl(merged(preset ? preset->auth : QJsonObject(), c.auth), c.baseUrl);
}

QJsonObject Project::effectiveLimits(const ConnectionConfig &c, const connect::PresetLibrary &presets) const
{
    const connect::Preset *preset = presets.find(c.preset);
    return merged(preset ? preset->limits : QJsonObject(), c.limits);
}

} // namespace transom::sync
