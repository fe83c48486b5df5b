#include "core/sync/projectsetup.h"

#include "core/auth/secretstore.h"
#include "core/mapping/mappingdocument.h"
#include "core/sync/credentialurls.h"
#include "core/sync/projectedit.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSaveFile>
#include <QTimeZone>
#include <QUuid>

namespace transom::sync {

Expected<QJsonObject> readProjectJson(const QString &projectPath)
{
    const Expected<QByteArray> bytes = readProjectFile(projectPath);
    if (!bytes)
        return bytes.error();
    QJsonParseError e;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes.value(), &e);
    if (e.error != QJsonParseError::NoError || !doc.isObject())
        return Error(QStringLiteral("the project is not valid JSON: %1 (byte %2)").arg(e.errorString()).arg(e.offset),
                     projectPath);
    return doc.object();
}

Expected<bool> writeProjectJson(const QString &projectPath, const QJsonObject &root)
{
    return writeProjectFile(projectPath, QJsonDocument(root).toJson(QJsonDocument::Indented));
}

namespace {

/// Writes `root` when it still reads as a project: an edit never leaves a file the studio cannot open.
Expected<bool> writeRoot(const QString &projectPath, const QJsonObject &root)
{
    const QByteArray bytes = QJsonDocument(root).toJson(QJsonDocument::Indented);
    if (auto parsed = Project::parse(bytes, QFileInfo(projectPath).absoluteFilePath()); !parsed)
        return parsed.error();
    return writeProjectFile(projectPath, bytes);
}

/// Reads the project, lets `edit` change it, and writes it back when the edit succeeds (and the result
/// still reads as a project). Returns what the edit returned.
template<class Edit> auto editRoot(const QString &projectPath, Edit edit)
{
    using Result = decltype(edit(std::declval<QJsonObject &>()));
    auto root = readProjectJson(projectPath);
    if (!root)
        return Result(root.error());
    Result result = edit(*root);
    if (!result)
        return result;
    if (auto written = writeRoot(projectPath, *root); !written)
        return Result(written.error());
    return result;
}

/// "the connection "crm" is used by the jobs "a", "b": change or delete them first"
Error usedBy(const QString &projectPath, const QString &what, const QStringList &jobs)
{
    const bool several = jobs.size() > 1;
    return Error(QStringLiteral("%1 is used by the job%2 %3: change or delete %4 first")
                     .arg(what, several ? QStringLiteral("s") : QString(),
                          QLatin1Char('"') + jobs.join(QStringLiteral("\", \"")) + QLatin1Char('"'),
                          several ? QStringLiteral("them") : QStringLiteral("it")),
                 projectPath);
}

QStringList connectionNames(const QJsonObject &root)
{
    return root.value(QLatin1String("connections")).toObject().keys();
}

QStringList jobNames(const QJsonObject &root)
{
    QStringList names;
    for (const QJsonValue &j : root.value(QLatin1String("jobs")).toArray())
        names.append(j.toObject().value(QLatin1String("name")).toString());
    return names;
}

qsizetype jobIndex(const QJsonArray &jobs, const QString &name)
{
    for (qsizetype i = 0; i < jobs.size(); ++i)
        if (jobs.at(i).toObject().value(QLatin1String("name")).toString() == name)
            return i;
    return -1;
}

Error noSuch(const QString &projectPath, const QString &what, const QString &name)
{
    return Error(QStringLiteral("the project has no %1 \"%2\"").arg(what, name), projectPath);
}

Expected<bool> checkName(const QString &projectPath, const QString &what, const QString &name)
{
    if (name.trimmed().isEmpty())
        return Error(QStringLiteral("a %1 needs a name").arg(what), projectPath);
    if (name != name.trimmed() || name.contains(QLatin1Char('/')))
        return Error(
            QStringLiteral("the %1 name \"%2\" may not start or end with a space or hold a \"/\"").arg(what, name),
            projectPath);
    return true;
}

/// `path` as the project file writes it: relative when it sits in the project's folder.
QString relativeTo(const QString &projectPath, const QString &path)
{
    if (path.isEmpty())
        return path;
    const QDir folder = QFileInfo(projectPath).absoluteDir();
    const QString relative = folder.relativeFilePath(path);
    return relative.startsWith(QLatin1String("..")) ? path : relative;
}

QJsonObject jobJson(const QString &projectPath, const JobConfig &job, QJsonObject entry)
{
    entry.insert(QStringLiteral("name"), job.name);
    entry.insert(QStringLiteral("source"), job.source);
    entry.insert(QStringLiteral("sink"), job.sink);
    entry.insert(QStringLiteral("mapping"), relativeTo(projectPath, job.mapping));
    if (job.batch)
        entry.insert(QStringLiteral("batch"), true);
    else
        entry.remove(QStringLiteral("batch"));
    if (job.externalIdField.isEmpty())
        entry.remove(QStringLiteral("external_id_field"));
    else
        entry.insert(QStringLiteral("external_id_field"), job.externalIdField);
    QJsonObject trigger = entry.value(QLatin1String("trigger")).toObject();
    switch (job.trigger.kind) {
    case TriggerConfig::Kind::OnDemand:
        trigger = {{QStringLiteral("kind"), QStringLiteral("on_demand")}};
        break;
    case TriggerConfig::Kind::Poll:
        trigger = {{QStringLiteral("kind"), QStringLiteral("poll")},
                   {QStringLiteral("every_minutes"), job.trigger.everyMinutes}};
        break;
    case TriggerConfig::Kind::Webhook:
        trigger.insert(QStringLiteral("kind"), QStringLiteral("webhook"));
        trigger.remove(QStringLiteral("every_minutes"));
        trigger.insert(QStringLiteral("path"), job.trigger.path);
        if (job.trigger.recordPath.isEmpty())
            trigger.remove(QStringLiteral("record_path"));
        else
            trigger.insert(QStringLiteral("record_path"), job.trigger.recordPath);
        break;
    }
    entry.insert(QStringLiteral("trigger"), trigger);
    QJsonObject samples;
    if (!job.sourceSamples.isEmpty())
        samples.insert(QStringLiteral("source"), relativeTo(projectPath, job.sourceSamples));
    if (!job.targetSamples.isEmpty())
        samples.insert(QStringLiteral("target"), relativeTo(projectPath, job.targetSamples));
    if (samples.isEmpty())
        entry.remove(QStringLiteral("samples"));
    else
        entry.insert(QStringLiteral("samples"), samples);
    return entry;
}

} // namespace

QStringList presetFolders()
{
    QStringList folders;
    const QString env = qEnvironmentVariable("TRANSOM_PRESETS");
    if (!env.isEmpty())
        folders += env.split(QLatin1Char(':'), Qt::SkipEmptyParts);
    for (const QString &candidate :
         {QCoreApplication::applicationDirPath() + QStringLiteral("/../share/transom/presets"),
          QCoreApplication::applicationDirPath() + QStringLiteral("/../../resources/presets"),
          QStringLiteral(TRANSOM_SOURCE_DIR "/resources/presets")})
        if (QFileInfo(candidate).isDir()) {
            folders.append(candidate);
            break;
        }
    return folders;
}

Expected<ProjectSetup> openProject(const QString &projectPath, const QString &credentialsFile)
{
    auto project = Project::load(projectPath);
    if (!project)
        return project.error();
    ProjectSetup out;
    out.project = project.value();
    out.presets = connect::PresetLibrary::load(presetFolders());
    if (auto safe = checkSecretUrls(out.project, out.presets); !safe)
        return safe.error();
    const QString credentials = credentialsFile.isEmpty() ? credentialsPath(out.project) : credentialsFile;
    auto file = std::make_shared<auth::CredentialsFileStore>(credentials);
    auto env = std::make_shared<auth::EnvironmentStore>();
    if (QFileInfo::exists(credentials)) {
        const auto probe = file->readNow(QStringLiteral("probe"), QStringLiteral("probe"));
        if (!probe) // a file others can read is refused, with the fix in the message
            return probe.error();
    }
    out.secrets.read = [file, env](const QString &connection, const QString &key) {
        if (auto v = env->readNow(connection, key); v && v.value())
            return *v.value();
        if (auto v = file->readNow(connection, key); v && v.value())
            return *v.value();
        return QString();
    };
    out.secrets.write = [file](const QString &connection, const QString &key, const QString &value) {
        return file->writeNow(connection, key, value).ok();
    };
    // Every process refreshing from this file (serve, a run, the studio) takes this lock around a refresh.
    out.secrets.refreshLock = credentials + QStringLiteral(".refresh.lock");
    return out;
}

Expected<QString> createProject(const NewProject &p)
{
    if (auto ok = checkName(p.folder, QStringLiteral("project"), p.name); !ok)
        return ok.error();
    if (p.folder.isEmpty())
        return Error(QStringLiteral("choose a folder for the project"));
    if (!p.timeZone.isEmpty() && !QTimeZone::isTimeZoneIdAvailable(p.timeZone.toUtf8()))
        return Error(QStringLiteral("\"%1\" is not a time zone this computer knows; pick one from the list, e.g. "
                                    "America/Chicago")
                         .arg(p.timeZone));
    const QDir folder(p.folder);
    const QString path = folder.absoluteFilePath(QStringLiteral("project.json"));
    if (!QDir().mkpath(mappingsFolder(path)))
        return Error(
            QStringLiteral("cannot create the folder %1: check that you may write there").arg(mappingsFolder(path)));
    if (QFileInfo::exists(path))
        return Error(
            QStringLiteral("%1 already holds a project; open it, or choose an empty folder").arg(folder.absolutePath()),
            path);
    QJsonObject root{{QStringLiteral("transom_project"), Project::formatVersion},
                     {QStringLiteral("id"), QUuid::createUuid().toString(QUuid::WithoutBraces)},
                     {QStringLiteral("name"), p.name},
                     {QStringLiteral("connections"), QJsonObject{}},
                     {QStringLiteral("jobs"), QJsonArray{}}};
    if (!p.timeZone.isEmpty())
        root.insert(QStringLiteral("time_zone"), p.timeZone);
    if (auto written = writeRoot(path, root); !written)
        return written.error();
    return path;
}

QString uniqueName(const QString &base, const QStringList &taken)
{
    if (!taken.contains(base))
        return base;
    for (int n = 2;; ++n)
        if (const QString name = QStringLiteral("%1 %2").arg(base).arg(n); !taken.contains(name))
            return name;
}

Expected<bool> addConnection(const QString &projectPath, const QString &name, const QString &preset,
                             const QString &baseUrl)
{
    if (auto ok = checkName(projectPath, QStringLiteral("connection"), name); !ok)
        return ok;
    return editRoot(projectPath, [&](QJsonObject &root) -> Expected<bool> {
        QJsonObject connections = root.value(QLatin1String("connections")).toObject();
        if (connections.contains(name))
            return Error(QStringLiteral("the project has a connection \"%1\" already; choose another name").arg(name),
                         projectPath);
        QJsonObject entry{{QStringLiteral("preset"), preset}};
        if (!baseUrl.isEmpty())
            entry.insert(QStringLiteral("base_url"), baseUrl);
        connections.insert(name, entry);
        root.insert(QStringLiteral("connections"), connections);
        return true;
    });
}

Expected<bool> renameConnection(const QString &projectPath, const QString &from, const QString &to)
{
    if (auto ok = checkName(projectPath, QStringLiteral("connection"), to); !ok)
        return ok;
    return editRoot(projectPath, [&](QJsonObject &root) -> Expected<bool> {
        QJsonObject connections = root.value(QLatin1String("connections")).toObject();
        if (!connections.contains(from))
            return noSuch(projectPath, QStringLiteral("connection"), from);
        if (from == to)
            return true;
        if (connections.contains(to))
            return Error(QStringLiteral("the project has a connection \"%1\" already; choose another name").arg(to),
                         projectPath);
        connections.insert(to, connections.take(from));
        root.insert(QStringLiteral("connections"), connections);
        QJsonArray jobs = root.value(QLatin1String("jobs")).toArray();
        for (qsizetype i = 0; i < jobs.size(); ++i) {
            QJsonObject job = jobs.at(i).toObject();
            for (const char *end : {"source", "sink"})
                if (job.value(QLatin1String(end)).toString() == from)
                    job.insert(QLatin1String(end), to);
            jobs[i] = job;
        }
        root.insert(QStringLiteral("jobs"), jobs);
        return true;
    });
}

Expected<QString> duplicateConnection(const QString &projectPath, const QString &name)
{
    return editRoot(projectPath, [&](QJsonObject &root) -> Expected<QString> {
        QJsonObject connections = root.value(QLatin1String("connections")).toObject();
        if (!connections.contains(name))
            return noSuch(projectPath, QStringLiteral("connection"), name);
        const QString copy = uniqueName(name + QStringLiteral(" copy"), connections.keys());
        connections.insert(copy, connections.value(name));
        root.insert(QStringLiteral("connections"), connections);
        return copy;
    });
}

Expected<bool> removeConnection(const QString &projectPath, const QString &name)
{
    return editRoot(projectPath, [&](QJsonObject &root) -> Expected<bool> {
        QJsonObject connections = root.value(QLatin1String("connections")).toObject();
        if (!connections.contains(name))
            return noSuch(projectPath, QStringLiteral("connection"), name);
        QStringList users;
        for (const QJsonValue &j : root.value(QLatin1String("jobs")).toArray()) {
            const QJsonObject job = j.toObject();
            if (job.value(QLatin1String("source")).toString() == name ||
                job.value(QLatin1String("sink")).toString() == name)
                users.append(job.value(QLatin1String("name")).toString());
        }
        if (!users.isEmpty())
            return usedBy(projectPath, QStringLiteral("the connection \"%1\"").arg(name), users);
        connections.remove(name);
        root.insert(QStringLiteral("connections"), connections);
        return true;
    });
}

Expected<bool> saveJob(const QString &projectPath, const JobConfig &job, const QString &previousName)
{
    if (auto ok = checkName(projectPath, QStringLiteral("job"), job.name); !ok)
        return ok;
    if (job.mapping.isEmpty())
        return Error(QStringLiteral("job \"%1\": choose its mapping").arg(job.name), projectPath);
    if (job.trigger.kind == TriggerConfig::Kind::Webhook && !job.trigger.path.startsWith(QLatin1Char('/')))
        return Error(QStringLiteral("job \"%1\": a webhook job needs the path it receives events at, e.g. /hooks/leads")
                         .arg(job.name),
                     projectPath);
    return editRoot(projectPath, [&](QJsonObject &root) -> Expected<bool> {
        const QStringList connections = connectionNames(root);
        for (const auto &[end, name] :
             {std::pair{QStringLiteral("source"), job.source}, std::pair{QStringLiteral("destination"), job.sink}})
            if (!connections.contains(name))
                return Error(name.isEmpty()
                                 ? QStringLiteral("job \"%1\": choose its %2").arg(job.name, end)
                                 : QStringLiteral("job \"%1\": the %2 \"%3\" is not a connection of the project")
                                       .arg(job.name, end, name),
                             projectPath);
        QJsonArray jobs = root.value(QLatin1String("jobs")).toArray();
        const qsizetype at = previousName.isEmpty() ? -1 : jobIndex(jobs, previousName);
        if (!previousName.isEmpty() && at < 0)
            return noSuch(projectPath, QStringLiteral("job"), previousName);
        if (job.name != previousName && jobIndex(jobs, job.name) >= 0)
            return Error(QStringLiteral("the project has a job \"%1\" already; choose another name").arg(job.name),
                         projectPath);
        if (at < 0)
            jobs.append(jobJson(projectPath, job, {}));
        else
            jobs[at] = jobJson(projectPath, job, jobs.at(at).toObject());
        root.insert(QStringLiteral("jobs"), jobs);
        return true;
    });
}

Expected<QString> duplicateJob(const QString &projectPath, const QString &name)
{
    return editRoot(projectPath, [&](QJsonObject &root) -> Expected<QString> {
        QJsonArray jobs = root.value(QLatin1String("jobs")).toArray();
        const qsizetype at = jobIndex(jobs, name);
        if (at < 0)
            return noSuch(projectPath, QStringLiteral("job"), name);
        const QString copy = uniqueName(name + QStringLiteral(" copy"), jobNames(root));
        QJsonObject job = jobs.at(at).toObject();
        job.insert(QStringLiteral("name"), copy);
        jobs.insert(at + 1, job);
        root.insert(QStringLiteral("jobs"), jobs);
        return copy;
    });
}

Expected<bool> removeJob(const QString &projectPath, const QString &name)
{
    return editRoot(projectPath, [&](QJsonObject &root) -> Expected<bool> {
        QJsonArray jobs = root.value(QLatin1String("jobs")).toArray();
        const qsizetype at = jobIndex(jobs, name);
        if (at < 0)
            return noSuch(projectPath, QStringLiteral("job"), name);
        jobs.removeAt(at);
        root.insert(QStringLiteral("jobs"), jobs);
        return true;
    });
}

namespace {

QStringList jobsUsing(const QString &projectPath, const QString &mappingPath)
{
    QStringList users;
    const auto project = Project::load(projectPath);
    if (project)
        for (const JobConfig &j : project->jobs)
            if (QFileInfo(j.mapping).absoluteFilePath() == QFileInfo(mappingPath).absoluteFilePath())
                users.append(j.name);
    return users;
}

} // namespace

QString mappingFileName(const QString &name)
{
    QString file = name.trimmed();
    file.replace(QRegularExpression(QStringLiteral("[/\\\\:*?\"<>|]+")), QStringLiteral("-"));
    return file + QStringLiteral(".json");
}

QString mappingsFolder(const QString &projectPath)
{
    return QFileInfo(projectPath).absoluteDir().filePath(QStringLiteral("mappings"));
}

Expected<QString> createMapping(const QString &projectPath, const QString &name)
{
    if (auto ok = checkName(projectPath, QStringLiteral("mapping"), name); !ok)
        return ok.error();
    const QDir folder(mappingsFolder(projectPath));
    if (!folder.exists() && !QDir().mkpath(folder.path()))
        return Error(QStringLiteral("cannot create the folder %1: check that you may write there").arg(folder.path()));
    const QString path = folder.absoluteFilePath(mappingFileName(name));
    if (QFileInfo::exists(path))
        return Error(QStringLiteral("a mapping \"%1\" exists already (%2); choose another name").arg(name, path), path);
    mapping::MappingDocument doc;
    doc.name = name;
    if (auto written = writeProjectFile(path, doc.toJsonText()); !written)
        return written.error();
    return path;
}

Expected<QString> renameMapping(const QString &projectPath, const QString &mappingPath, const QString &name)
{
    if (auto ok = checkName(projectPath, QStringLiteral("mapping"), name); !ok)
        return ok.error();
    const QString target = QFileInfo(mappingPath).absoluteDir().absoluteFilePath(mappingFileName(name));
    if (QFileInfo(target).absoluteFilePath() == QFileInfo(mappingPath).absoluteFilePath())
        return target;
    if (QFileInfo::exists(target))
        return Error(QStringLiteral("a mapping \"%1\" exists already (%2); choose another name").arg(name, target),
                     target);
    if (!QFile::rename(mappingPath, target))
        return Error(QStringLiteral("cannot rename %1 to %2: check that you may write there").arg(mappingPath, target));
    if (auto repointed = repointJobMappings(projectPath, mappingPath, target); !repointed) {
        QFile::rename(target, mappingPath);
        return repointed.error();
    }
    return target;
}

Expected<QString> duplicateMapping(const QString &projectPath, const QString &mappingPath)
{
    Q_UNUSED(projectPath)
    const QFileInfo info(mappingPath);
    QStringList taken;
    for (const QFileInfo &f : info.absoluteDir().entryInfoList({QStringLiteral("*.json")}, QDir::Files))
        taken.append(f.completeBaseName());
    const QString copy = info.absoluteDir().absoluteFilePath(
        uniqueName(info.completeBaseName() + QStringLiteral(" copy"), taken) + QStringLiteral(".json"));
    const auto bytes = readProjectFile(mappingPath);
    if (!bytes)
        return bytes.error();
    if (auto written = writeProjectFile(copy, bytes.value()); !written)
        return written.error();
    return copy;
}

Expected<bool> removeMapping(const QString &projectPath, const QString &mappingPath)
{
    const QStringList users = jobsUsing(projectPath, mappingPath);
    if (!users.isEmpty())
        return usedBy(projectPath, QStringLiteral("the mapping %1").arg(QFileInfo(mappingPath).fileName()), users);
    if (!QFile::remove(mappingPath))
        return Error(QStringLiteral("cannot delete %1: check that you may write there").arg(mappingPath));
    return true;
}

Expected<QByteArray> readProjectFile(const QString &projectPath)
{
    QFile f(projectPath);
    if (!f.open(QIODevice::ReadOnly))
        return Error(QStringLiteral("cannot read the project: %1").arg(f.errorString()), projectPath);
    return f.readAll();
}

Expected<bool> writeProjectFile(const QString &projectPath, const QByteArray &bytes)
{
    QSaveFile out(projectPath);
    if (!out.open(QIODevice::WriteOnly))
        return Error(QStringLiteral("cannot write the project: %1").arg(out.errorString()), projectPath);
    out.write(bytes);
    if (!out.commit())
        return Error(QStringLiteral("cannot write the project: %1").arg(out.errorString()), projectPath);
    return true;
}

} // namespace transom::sync
