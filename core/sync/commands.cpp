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
#include <QHostInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QSet>
#include <QTimer>

#include <memory>

namespace transom::sync::commands {

void say(QIODevice *device, const QString &text)
{
    if (device)
        device->write(text.toUtf8());
}

Expected<bool> load(const Context &c, Setup &out)
{
    auto opened = openProject(c.projectPath, c.credentialsFile);
    if (!opened) {
        say(c.err, QStringLiteral("error: %1\n").arg(opened.error().toString()));
        return opened.error();
    }
    out = std::move(opened.value());
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
               .arg(c.value(QLatin1String("field_errors")).toInteger()) +
           describeOutage(c);
}

QString describeOutage(const QJsonObject &c)
{
    const QJsonObject u = c.value(QLatin1String("unreachable")).toObject();
    if (u.isEmpty())
        return {};
    const QLocale english(QLocale::English);
    const qint64 ms = u.value(QLatin1String("ms")).toInteger();
    const QString lasted = ms < 10000 ? english.toString(double(ms) / 1000.0, 'f', 1) + QStringLiteral(" s")
                                      : english.toString((ms + 500) / 1000) + QStringLiteral(" s");
    const qint64 outages = u.value(QLatin1String("outages")).toInteger();
    return QStringLiteral("; %1 unreachable for %2 (%3 refused connections%4), %5")
        .arg(u.value(QLatin1String("connection")).toString(), lasted,
             english.toString(u.value(QLatin1String("refused")).toInteger()),
             outages > 1 ? QStringLiteral(", %1 outages").arg(outages) : QString(),
             u.value(QLatin1String("resumed")).toBool() ? QStringLiteral("resumed")
                                                        : QStringLiteral("still unreachable at the end"));
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

namespace {

/// serve's own lines in the project's log, beside the jobs' (why a job cannot run, refused deliveries).
void logServe(log::EventLog &log, const QString &level, const QString &event, const QString &job,
              const QString &message, int status = 0)
{
    log::LogEvent e;
    e.level = level;
    e.job = job;
    e.event = event;
    e.status = status;
    e.message = message;
    log.write(std::move(e));
}

QString timestamp()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
}

/// How often a job that cannot run is tried again: at most this often when its vendor sends, and
/// every kRecheckIdleMs when nothing comes (so that events held from before are delivered once it can).
constexpr qint64 kRecheckMs = 1000;
constexpr int kRecheckIdleMs = 60000;

} // namespace

QString ListenAddress::shown() const
{
    const QString bare = address.protocol() == QAbstractSocket::IPv6Protocol
                             ? QStringLiteral("[%1]").arg(address.toString())
                             : address.toString();
    return QHostAddress(host).isNull() ? QStringLiteral("%1 (%2)").arg(host, bare) : bare;
}

Expected<ListenAddress> parseListen(const QString &listen)
{
    ListenAddress out;
    QString host, port;
    if (listen.startsWith(QLatin1Char('['))) { // [::1]:8787
        const qsizetype close = listen.indexOf(QLatin1Char(']'));
        if (close < 0 || listen.mid(close + 1, 1) != QLatin1String(":"))
            return Error(QStringLiteral("write an IPv6 address as [::1]:8787"));
        host = listen.mid(1, close - 1);
        port = listen.mid(close + 2);
    } else {
        const qsizetype colon = listen.lastIndexOf(QLatin1Char(':'));
        if (colon < 0)
            return Error(QStringLiteral("write HOST:PORT, e.g. 127.0.0.1:8787 (port 0: any free port)"));
        host = listen.left(colon);
        port = listen.mid(colon + 1);
    }
    bool ok = false;
    const uint number = port.toUInt(&ok);
    if (!ok || number > 65535)
        return Error(QStringLiteral("\"%1\" is not a port (0 to 65535)").arg(port));
    out.port = quint16(number);
    out.host = host.isEmpty() ? QStringLiteral("127.0.0.1") : host;
    out.address = QHostAddress(out.host);
    if (out.address.isNull()) { // a host name: resolved once, here (serve has not started anything yet)
        const QHostInfo info = QHostInfo::fromName(out.host);
        if (info.error() != QHostInfo::NoError || info.addresses().isEmpty())
            return Error(
                QStringLiteral("the host name \"%1\" cannot be resolved (%2)").arg(out.host, info.errorString()));
        out.address = info.addresses().constFirst();
        for (const QHostAddress &a : info.addresses()) // IPv4 first: what "localhost" usually means
            if (a.protocol() == QAbstractSocket::IPv4Protocol) {
                out.address = a;
                break;
            }
    }
    return out;
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
    log::EventLog serveLog(l.project.logDir);
    serveLog.setMaskPii(l.project.maskPii);
    QStringList webhookJobs;
    for (const JobConfig &job : l.project.jobs) {
        if (job.trigger.kind != TriggerConfig::Kind::Webhook)
            continue;
        auto endpoint = webhookEndpointFor(l.project, job, l.presets, l.secrets);
        if (endpoint)
            if (auto added = receiver.addEndpoint(endpoint.value()); !added)
                endpoint = added.error();
        if (!endpoint) {
            say(c.err, QStringLiteral("error: %1\n").arg(endpoint.error().toString()));
            return Failed;
        }
        // Until the engine has opened the job (its first run starts below), deliveries for it wait (503).
        receiver.setJobUnavailable(job.name, QStringLiteral("it is starting"));
        webhookJobs.append(job.name);
        say(c.out, QStringLiteral("%1: webhooks at %2 (%3 signatures)\n")
                       .arg(job.name, endpoint->path, webhookSchemeName(endpoint->scheme)));
    }
    // The address first, so that a port in use stops serve before any job runs; connections wait in
    // the system's queue until the jobs have been opened.
    quint16 bound = 0;
    QString address;
    if (!webhookJobs.isEmpty()) {
        const Expected<ListenAddress> where = parseListen(listen);
        if (!where) {
            say(c.err, QStringLiteral("error: --listen %1: %2\n").arg(listen, where.error().message));
            return Failed;
        }
        bound = receiver.start(where->port, where->address);
        if (bound == 0) {
            say(c.err, QStringLiteral("error: cannot listen on %1 (%2)\n").arg(listen, where->address.toString()));
            return Failed;
        }
        address = where->shown();
        receiver.holdConnections(true);
    }
    // A job that cannot run (no API key, a broken mapping) says why, once per reason, in the output and
    // the log; its webhooks are answered 503 so that the vendor keeps the events, until it can run.
    QSet<QString> awaitingFirstReport(webhookJobs.cbegin(), webhookJobs.cend());
    QHash<QString, QString> cannotRun; // job → the reason last said
    QHash<QString, qint64> lastTried;  // job → when it was last tried again (ms since the epoch)
    QObject::connect(&engine, &SyncEngine::jobStarted, &receiver, [&](const QString &job, const QString &) {
        awaitingFirstReport.remove(job);
        receiver.setJobAvailable(job);
        if (cannotRun.remove(job) > 0) {
            say(c.out, QStringLiteral("%1 %2: can run again\n").arg(timestamp(), job));
            logServe(serveLog, QStringLiteral("info"), QStringLiteral("job_available"), job,
                     QStringLiteral("the job can run again; its webhook deliveries are taken"));
        }
    });
    QObject::connect(&engine, &SyncEngine::jobUnavailable, &receiver, [&](const QString &job, const QString &reason) {
        awaitingFirstReport.remove(job);
        const bool hooks = webhookJobs.contains(job);
        if (hooks)
            receiver.setJobUnavailable(job, reason);
        if (cannotRun.contains(job) && cannotRun.value(job) == reason)
            return;
        cannotRun.insert(job, reason);
        const QString what =
            hooks ? QStringLiteral("cannot run: %1 (its webhook deliveries are answered 503 until it can)").arg(reason)
                  : QStringLiteral("cannot run: %1").arg(reason);
        say(c.err, QStringLiteral("%1 %2: %3\n").arg(timestamp(), job, what));
        logServe(serveLog, QStringLiteral("error"), QStringLiteral("job_unavailable"), job, what);
        serveLog.flush();
    });
    auto tryAgain = [&](const QString &job) {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        if (engine.isRunning(job) || now - lastTried.value(job) < kRecheckMs)
            return;
        lastTried.insert(job, now);
        engine.startJob(job, JobRunner::Mode::Inbox);
    };
    QObject::connect(&receiver, &WebhookReceiver::deliveryForUnavailableJob, &engine, tryAgain);
    QTimer recheck;
    recheck.setInterval(kRecheckIdleMs);
    QObject::connect(&recheck, &QTimer::timeout, &engine, [&] {
        for (const QString &job : webhookJobs)
            if (cannotRun.contains(job))
                tryAgain(job);
    });
    recheck.start();
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
                         logServe(serveLog, QStringLiteral("warn"), QStringLiteral("webhook_refused"), {},
                                  QStringLiteral("%1: %2").arg(path, reason), status);
                     });
    QObject::connect(&engine, &SyncEngine::jobFinished,
                     [&](const QString &job, const QString &status, const QString &message, const QJsonObject &counts) {
                         say(c.out, QStringLiteral("%1 %2: %3%4. %5\n")
                                        .arg(timestamp(), job, status,
                                             message.isEmpty() || status == QLatin1String("completed")
                                                 ? QString()
                                                 : QStringLiteral(" (%1)").arg(message),
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
    // Take connections once each webhook job has been opened or has said why it cannot run, so that
    // no delivery is taken for a job that cannot run (one still opening after 20 s is answered 503).
    QDeadlineTimer opened(20000);
    while (!awaitingFirstReport.isEmpty() && !opened.hasExpired())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 100);
    if (bound != 0) {
        receiver.holdConnections(false);
        say(c.out, QStringLiteral("listening on %1:%2\n").arg(address).arg(bound));
    }
    QCoreApplication::exec();
    say(c.out, QStringLiteral("stopping: letting requests in flight finish\n"));
    engine.stopAll();
    QDeadlineTimer deadline(30000);
    while (engine.runningJobs() > 0 && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 100);
    serveLog.flush();
    return Ok;
}

} // namespace transom::sync::commands
