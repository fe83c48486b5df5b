#include "core/sync/commands.h"

#include "core/auth/secretstore.h"
#include "core/log/eventlog.h"
#include "core/sync/credentialurls.h"
#include "core/sync/projectedit.h"
#include "core/sync/syncengine.h"
#include "core/sync/webhookreceiver.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QTimer>

#include <memory>

namespace transom::sync::commands {

namespace {

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

} // namespace

void say(QIODevice *device, const QString &text)
{
    if (device)
        device->write(text.toUtf8());
}

Expected<bool> load(const Context &c, Setup &out)
{
    auto project = Project::load(c.projectPath);
    if (!project) {
        say(c.err, QStringLiteral("error: %1\n").arg(project.error().toString()));
        return project.error();
    }
    out.project = project.value();
    out.presets = connect::PresetLibrary::load(presetFolders());
    if (auto safe = checkSecretUrls(out.project, out.presets); !safe) {
        say(c.err, QStringLiteral("error: %1\n").arg(safe.error().toString()));
        return safe.error();
    }
    const QString credentials = c.credentialsFile.isEmpty() ? credentialsPath(out.project) : c.credentialsFile;
    auto file = std::make_shared<auth::CredentialsFileStore>(credentials);
    auto env = std::make_shared<auth::EnvironmentStore>();
    if (QFileInfo::exists(credentials)) {
        const auto probe = file->readNow(QStringLiteral("probe"), QStringLiteral("probe"));
        if (!probe) { // a file others can read is refused, with the fix in the message
            say(c.err, QStringLiteral("error: %1\n").arg(probe.error().toString()));
            return probe.error();
        }
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
    return true;
}

QString describeCounts(const QJsonObject &c)
{
    return QStringLiteral(
               "%1 received, %2 created, %3 updated, %4 unchanged, %5 retried, %6 to dead letters (%7 by the mapping)")
        .arg(c.value(QLatin1String("received")).toInteger())
        .arg(c.value(QLatin1String("created")).toInteger())
        .arg(c.value(QLatin1String("updated")).toInteger())
        .arg(c.value(QLatin1String("skipped")).toInteger())
        .arg(c.value(QLatin1String("retried")).toInteger())
        .arg(c.value(QLatin1String("dead_lettered")).toInteger())
        .arg(c.value(QLatin1String("field_errors")).toInteger());
}

int run(const Context &c, const QStringList &jobs)
{
    Setup l;
    if (!load(c, l))
        return Failed;
    QStringList selected = jobs;
    if (selected.isEmpty())
        for (const JobConfig &j : l.project.jobs)
            selected.append(j.name);
    for (const QString &name : selected)
        if (!l.project.job(name)) {
            say(c.err, QStringLiteral("error: the project has no job \"%1\"\n").arg(name));
            return Usage;
        }
    SyncEngine engine(l.project, l.presets, l.secrets);
    int worst = Ok;
    int pending = int(selected.size());
    QObject::connect(&engine, &SyncEngine::needsAttention, [&](const QString &job, const QString &message) {
        say(c.err, QStringLiteral("%1: %2\n").arg(job, message));
    });
    QObject::connect(&engine, &SyncEngine::jobFinished,
                     [&](const QString &job, const QString &status, const QString &message, const QJsonObject &counts) {
                         say(c.out, QStringLiteral("%1: %2. %3\n").arg(job, status, describeCounts(counts)));
                         if (!message.isEmpty())
                             say(c.err, QStringLiteral("%1: %2\n").arg(job, message));
                         const int code = status == QLatin1String("failed")    ? Failed
                                          : status == QLatin1String("stopped") ? Stopped
                                          : counts.value(QLatin1String("dead_lettered")).toInteger() > 0
                                              ? NeedsAttention
                                              : Ok;
                         worst = std::max(worst, code == Stopped ? 3 : code);
                         if (--pending == 0)
                             QCoreApplication::quit();
                     });
    QObject::connect(qApp, &QCoreApplication::aboutToQuit, &engine, [&] { engine.stopAll(); });
    for (const QString &name : selected) {
        const JobConfig *job = l.project.job(name);
        engine.startJob(name, job->trigger.kind == TriggerConfig::Kind::Webhook ? JobRunner::Mode::Inbox
                                                                                : JobRunner::Mode::Pull);
    }
    QCoreApplication::exec();
    if (pending > 0) { // interrupted: let the jobs settle what is in flight
        engine.stopAll();
        while (engine.runningJobs() > 0)
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 100);
        worst = std::max(worst, int(Stopped));
    }
    return worst;
}

int serve(const Context &c, const QString &listen)
{
    Setup l;
    if (!load(c, l))
        return Failed;
    SyncEngine engine(l.project, l.presets, l.secrets);
    WebhookReceiver receiver(l.project.storePath);
    QString storeError;
    if (!receiver.isReady(&storeError)) {
        say(c.err, QStringLiteral("error: %1\n").arg(storeError));
        return Failed;
    }
    bool anyWebhook = false;
    for (const JobConfig &job : l.project.jobs) {
        if (job.trigger.kind != TriggerConfig::Kind::Webhook)
            continue;
        const ConnectionConfig *source = l.project.connection(job.source);
        const connect::Preset *preset = l.presets.find(source->preset);
        const QJsonObject hook = source->webhook.isEmpty() && preset ? preset->webhook : source->webhook;
        WebhookEndpoint e;
        e.path = job.trigger.path.isEmpty() ? QStringLiteral("/hooks/%1").arg(job.name) : job.trigger.path;
        e.job = job.name;
        e.secret = l.secrets.read(source->name, QStringLiteral("webhook_secret")).toUtf8();
        e.signatureHeader =
            hook.value(QLatin1String("signature_header")).toString(QStringLiteral("X-Transom-Signature")).toLatin1();
        e.signaturePrefix =
            hook.value(QLatin1String("signature_prefix")).toString(QStringLiteral("sha256=")).toLatin1();
        e.base64 = hook.value(QLatin1String("encoding")).toString() == QLatin1String("base64");
        e.timestampHeader = hook.value(QLatin1String("timestamp_header")).toString().toLatin1();
        e.toleranceSeconds = hook.value(QLatin1String("tolerance_seconds")).toInt(300);
        if (e.secret.isEmpty()) {
            say(c.err,
                QStringLiteral("error: job \"%1\" receives webhooks but connection \"%2\" has no webhook secret\n")
                    .arg(job.name, source->name));
            return Failed;
        }
        receiver.addEndpoint(e);
        anyWebhook = true;
        say(c.out, QStringLiteral("%1: webhooks at %2\n").arg(job.name, e.path));
    }
    const QString host = listen.section(QLatin1Char(':'), 0, 0);
    const quint16 port = quint16(listen.section(QLatin1Char(':'), 1, 1).toUInt());
    if (anyWebhook) {
        const quint16 bound = receiver.start(port, QHostAddress(host.isEmpty() ? QStringLiteral("127.0.0.1") : host));
        if (bound == 0) {
            say(c.err, QStringLiteral("error: cannot listen on %1\n").arg(listen));
            return Failed;
        }
        say(c.out,
            QStringLiteral("listening on %1:%2\n").arg(host.isEmpty() ? QStringLiteral("127.0.0.1") : host).arg(bound));
    }
    // Events stored while a job drains may come after its look at the inbox: such a job drains again
    // when it finishes (as does one whose drain took events).
    QSet<QString> storedWhileRunning;
    QObject::connect(&receiver, &WebhookReceiver::eventsStored, &engine, [&](const QString &job, int) {
        if (!engine.isRunning(job))
            engine.startJob(job, JobRunner::Mode::Inbox);
        else
            storedWhileRunning.insert(job);
    });
    QObject::connect(&receiver, &WebhookReceiver::rejected,
                     [&](const QString &path, int status, const QString &reason) {
                         say(c.err, QStringLiteral("webhook %1 refused (%2): %3\n").arg(path).arg(status).arg(reason));
                     });
    QObject::connect(&engine, &SyncEngine::jobFinished,
                     [&](const QString &job, const QString &status, const QString &, const QJsonObject &counts) {
                         say(c.out, QStringLiteral("%1 %2: %3. %4\n")
                                        .arg(QDateTime::currentDateTimeUtc().toString(Qt::ISODate), job, status,
                                             describeCounts(counts)));
                         const JobConfig *config = l.project.job(job);
                         const bool storedMeanwhile = storedWhileRunning.remove(job);
                         if (config && config->trigger.kind == TriggerConfig::Kind::Webhook &&
                             status == QLatin1String("completed") &&
                             (storedMeanwhile || counts.value(QLatin1String("received")).toInteger() > 0))
                             engine.startJob(job, JobRunner::Mode::Inbox);
                     });
    std::vector<std::unique_ptr<QTimer>> timers;
    for (const JobConfig &job : l.project.jobs) {
        if (job.trigger.kind == TriggerConfig::Kind::Webhook) {
            engine.startJob(job.name, JobRunner::Mode::Inbox); // what arrived while we were down
            continue;
        }
        engine.startJob(job.name, JobRunner::Mode::Pull);
        if (job.trigger.kind != TriggerConfig::Kind::Poll)
            continue;
        auto timer = std::make_unique<QTimer>();
        timer->setInterval(job.trigger.everyMinutes * 60000);
        QObject::connect(timer.get(), &QTimer::timeout, &engine, [&engine, name = job.name] {
            if (!engine.isRunning(name))
                engine.startJob(name, JobRunner::Mode::Pull);
        });
        timer->start();
        timers.push_back(std::move(timer));
    }
    QCoreApplication::exec();
    say(c.out, QStringLiteral("stopping: letting requests in flight finish\n"));
    engine.stopAll();
    QDeadlineTimer deadline(30000);
    while (engine.runningJobs() > 0 && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 100);
    return Ok;
}

} // namespace transom::sync::commands
