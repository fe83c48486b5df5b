#pragma once

#include "core/sync/jobrunner.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QThread>

#include <atomic>
#include <memory>

namespace transom::sync {

/// Runs jobs, each on its own worker thread with its own event loop, HTTP client and store connection.
/// Everything it reports reaches the caller's thread through queued signals; nothing here blocks it.
class SyncEngine : public QObject {
    Q_OBJECT
public:
    SyncEngine(Project project, connect::PresetLibrary presets, SecretAccess secrets, QObject *parent = nullptr);
    ~SyncEngine() override;

    const Project &project() const { return m_project; }

    /// Starts a run of `job` (pulling, or draining its webhook inbox). Returns at once; the outcome
    /// arrives as jobFinished (a job that cannot start finishes with status "failed").
    void startJob(const QString &job, JobRunner::Mode mode);
    /// Retries dead letters of `job` as a run of its own (JobRunner::retryDeadLetters): re-mapped with the
    /// job's mapping, or with the mapping file at `mappingPath` when one is given, or sent as stored.
    void retryDeadLetters(const QString &job, const QList<qint64> &ids, bool remap, const QString &mappingPath = {});
    /// Asks every running job to stop; each finishes with status "stopped".
    void stopAll();
    /// Asks one running job to stop; it finishes with status "stopped". Nothing happens when it is not running.
    void stopJob(const QString &job);
    bool isRunning(const QString &job) const;
    int runningJobs() const;

Q_SIGNALS:
    /// A run of `job` (or a retry of its dead letters) began as `runId`; always before its jobFinished.
    void jobStarted(const QString &job, const QString &runId);
    /// A running job's progress (JobRunner::progress): at most about ten a second per job.
    void jobProgress(const QString &job, const transom::sync::RunProgress &progress);
    /// Every log line of a job (connect before starting it: lines are forwarded only to listeners).
    void jobLog(const QString &job, const QJsonObject &line);
    void jobFinished(const QString &job, const QString &status, const QString &message, const QJsonObject &counts);
    /// The job cannot run at all (its store, connections or mapping cannot be opened: a missing API key,
    /// a broken mapping); `reason` says which, as a person can act on it. Comes just before its
    /// jobFinished("failed", reason). Cleared by the next jobStarted of that job.
    void jobUnavailable(const QString &job, const QString &reason);
    void needsAttention(const QString &job, const QString &message);

private:
    /// One job's thread. `runner` is created and used on that thread; the engine only posts to it.
    struct Worker {
        QThread *thread = nullptr;
        std::atomic<JobRunner *> runner{nullptr};
        bool running = false; ///< touched on the engine's thread only
    };
    std::shared_ptr<Worker> worker(const QString &job);
    void launch(const QString &job, std::function<void(JobRunner &)> action);
    static void stop(const std::shared_ptr<Worker> &w);

    Project m_project;
    connect::PresetLibrary m_presets;
    SecretAccess m_secrets;
    QHash<QString, std::shared_ptr<Worker>> m_workers;
};

} // namespace transom::sync
