#include "core/sync/syncengine.h"

#include <QMetaMethod>

namespace transom::sync {

SyncEngine::SyncEngine(Project project, connect::PresetLibrary presets, SecretAccess secrets, QObject *parent)
    : QObject(parent), m_project(std::move(project)), m_presets(std::move(presets)), m_secrets(std::move(secrets))
{
    qRegisterMetaType<RunProgress>(); // crosses from the job's thread in a queued call
}

SyncEngine::~SyncEngine()
{
    for (const std::shared_ptr<Worker> &w : std::as_const(m_workers)) {
        // The runner dies on its own thread, where its sockets and database connection live.
        auto *context = new QObject;
        context->moveToThread(w->thread);
        QMetaObject::invokeMethod(
            context,
            [w, context] {
                if (JobRunner *r = w->runner.exchange(nullptr)) {
                    r->stop();
                    delete r;
                }
                context->deleteLater();
            },
            Qt::BlockingQueuedConnection);
        w->thread->quit();
        w->thread->wait();
        delete w->thread;
    }
}

std::shared_ptr<SyncEngine::Worker> SyncEngine::worker(const QString &job)
{
    std::shared_ptr<Worker> &w = m_workers[job];
    if (!w) {
        w = std::make_shared<Worker>();
        w->thread = new QThread;
        w->thread->setObjectName(QStringLiteral("job:%1").arg(job));
        w->thread->start();
    }
    return w;
}

void SyncEngine::launch(const QString &job, std::function<void(JobRunner &)> action)
{
    const JobConfig *config = m_project.job(job);
    if (!config) {
        Q_EMIT jobFinished(job, QStringLiteral("failed"), QStringLiteral("the project has no job \"%1\"").arg(job), {});
        return;
    }
    const std::shared_ptr<Worker> w = worker(job);
    if (w->running) {
        Q_EMIT jobFinished(job, QStringLiteral("failed"), QStringLiteral("job \"%1\" is already running").arg(job), {});
        return;
    }
    w->running = true;
    auto *context = new QObject;
    context->moveToThread(w->thread);
    QMetaObject::invokeMethod(
        context,
        [this, w, context, job, jobConfig = *config, action = std::move(action)] {
            context->deleteLater();
            JobRunner *runner = w->runner.load();
            if (!runner) {
                runner = new JobRunner(m_project, jobConfig, m_presets, m_secrets);
                QString error;
                if (!runner->prepare(&error)) {
                    delete runner;
                    QMetaObject::invokeMethod(
                        this,
                        [this, w, job, error] {
                            w->running = false;
                            Q_EMIT jobUnavailable(job, error);
                            Q_EMIT jobFinished(job, QStringLiteral("failed"), error, {});
                        },
                        Qt::QueuedConnection);
                    return;
                }
                // Queued from the runner's thread in the order emitted: a run that fails at once (a broken
                // mapping for a retry) still reports its start before its end.
                connect(
                    runner, &JobRunner::started, this,
                    [this, job](const QString &runId) { Q_EMIT jobStarted(job, runId); }, Qt::QueuedConnection);
                connect(
                    runner, &JobRunner::progress, this,
                    [this, job](const RunProgress &p) { Q_EMIT jobProgress(job, p); }, Qt::QueuedConnection);
                // Log lines cross threads only for someone who listens (the studio's live log).
                if (isSignalConnected(QMetaMethod::fromSignal(&SyncEngine::jobLog)))
                    connect(
                        runner, &JobRunner::logLine, this, [this, job](const QJsonObject &l) { Q_EMIT jobLog(job, l); },
                        Qt::QueuedConnection);
                connect(
                    runner, &JobRunner::needsAttention, this,
                    [this, job](const QString &m) { Q_EMIT needsAttention(job, m); }, Qt::QueuedConnection);
                connect(runner, &JobRunner::finished, runner,
                        [this, w, job, runner](const QString &status, const QString &message) {
                            const QJsonObject counts = runner->counts().toJson();
                            QMetaObject::invokeMethod(
                                this,
                                [this, w, job, status, message, counts] {
                                    w->running = false;
                                    Q_EMIT jobFinished(job, status, message, counts);
                                },
                                Qt::QueuedConnection);
                        });
                w->runner = runner;
            }
            action(*runner);
        },
        Qt::QueuedConnection);
}

void SyncEngine::startJob(const QString &job, JobRunner::Mode mode)
{
    launch(job, [mode](JobRunner &runner) { runner.start(mode); });
}

void SyncEngine::retryDeadLetters(const QString &job, const QList<qint64> &ids, bool remap, const QString &mappingPath)
{
    launch(job, [ids, remap, mappingPath](JobRunner &runner) { runner.retryDeadLetters(ids, remap, mappingPath); });
}

void SyncEngine::stop(const std::shared_ptr<Worker> &w)
{
    if (!w || !w->running)
        return;
    auto *context = new QObject;
    context->moveToThread(w->thread);
    QMetaObject::invokeMethod(
        context,
        [w, context] {
            context->deleteLater();
            if (JobRunner *r = w->runner.load())
                r->stop();
        },
        Qt::QueuedConnection);
}

void SyncEngine::stopAll()
{
    for (const std::shared_ptr<Worker> &w : std::as_const(m_workers))
        stop(w);
}

void SyncEngine::stopJob(const QString &job)
{
    stop(m_workers.value(job));
}

bool SyncEngine::isRunning(const QString &job) const
{
    const auto w = m_workers.value(job);
    return w && w->running;
}

int SyncEngine::runningJobs() const
{
    int n = 0;
    for (const auto &w : m_workers)
        n += w->running ? 1 : 0;
    return n;
}

} // namespace transom::sync
