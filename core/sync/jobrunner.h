#pragma once

#include "core/connect/connector.h"
#include "core/log/eventlog.h"
#include "core/mapping/compiledmapping.h"
#include "core/mapping/mappingdocument.h"
#include "core/mapping/sourcerecord.h"
#include "core/store/rateusagestore.h"
#include "core/store/syncstore.h"
#include "core/sync/connectionruntime.h"
#include "core/sync/project.h"
#include "core/sync/runprogress.h"

#include <QElapsedTimer>
#include <QObject>
#include <QRandomGenerator>
#include <QTimer>

#include <atomic>
#include <deque>
#include <memory>

namespace transom::sync {

/// A record's version as UTC ms since the epoch: ISO 8601 text (with a zone, or UTC without one), or a
/// number (or numeric text) of seconds since the epoch, or of milliseconds when it is 10^11 or more.
/// 0 when there is none or it cannot be read (then versions are not compared).
qint64 recordVersionMs(const mapping::Value &value);

/// Exponential backoff with jitter: base × 2^(attempt−1), ±25 %, capped; a server's Retry-After wins.
qint64 backoffMs(int attempt, const RetryConfig &retry, qint64 retryAfterMs, QRandomGenerator &rng);

/// Runs one job on the thread it lives on: pulls pages (or drains the webhook inbox), maps each record,
/// checks the idempotency ledger (new → create, changed → update, unchanged → skip), records the intent
/// durably before each call, delivers through the sink with retries and backoff, and settles every
/// record as delivered or dead-lettered. Checkpoints advance only past pages whose records are all
/// settled. Every step is a structured log line.
///
/// No call reaches a vendor unless its record's intent is committed (pumpSends is the one gate). When
/// the store fails (a commit or a ledger read), nothing more is sent, requests in flight settle, the
/// writes not committed are kept for one more try, and the run ends "failed" with the store's words;
/// the next run looks up whatever was in flight. A changed record whose sink cannot update is dead-
/// lettered as update_unsupported, never created a second time.
class JobRunner : public QObject {
    Q_OBJECT
public:
    enum class Mode { Pull, Inbox };

    JobRunner(Project project, JobConfig job, connect::PresetLibrary presets, SecretAccess secrets,
              QObject *parent = nullptr);
    ~JobRunner() override;

    /// Opens the store (unless useStorage gave one), the connections and the mapping; false with `error`
    /// set when one cannot be used.
    bool prepare(QString *error);
    /// Runs on this storage instead of opening the project's store (a shared store, or a test's).
    void useStorage(std::unique_ptr<store::SyncStorage> storage) { m_store = std::move(storage); }
    void start(Mode mode);
    /// Retries dead letters as a run of its own (its own run id, counts and outcome; the runs that made
    /// the letters keep theirs): re-mapped with the job's mapping as saved, or with the saved mapping at
    /// `mappingPath` when one is given (the file open in the studio), or sent as stored (as edited).
    void retryDeadLetters(const QList<qint64> &ids, bool remap, const QString &mappingPath = {});
    /// Stops fetching; requests in flight finish and are settled; pending retries stay unsettled
    /// (their intents make the next run look them up first).
    void stop();

    const RunCounts &counts() const { return m_counts; }
    const QString &runId() const { return m_runId; }
    bool isRunning() const { return m_running; }
    store::SyncStorage *store() const { return m_store.get(); }

Q_SIGNALS:
    /// A run (or a retry of dead letters) began as `runId`: always before its finished.
    void started(const QString &runId);
    /// The counts, the rate, the sink's window closest to running out (when it has one) and the time left
    /// (once the source has handed over its last record). At most ten a second on average (a few in a
    /// burst, so a short run still reports between pages: ProgressMeter), the latest counts always
    /// following within 100 ms, and once more just before finished.
    void progress(const transom::sync::RunProgress &progress);
    void logLine(const QJsonObject &line);
    void finished(const QString &status, const QString &message);
    void needsAttention(const QString &message);

private:
    struct Item;
    struct Page {
        int pending = 0;
        bool fromSource = false;
        QJsonObject checkpoint;
        bool last = false;
    };

    void fetchNext();
    void onPage(const connect::SourcePage &page);
    /// Reads and maps the front page of m_incoming a slice at a time, then hands it to process().
    void processIncoming();
    void scheduleProcessing();
    void dropIncoming();
    void drainInbox();
    void process(QList<Item> items, std::shared_ptr<Page> page);
    void enqueue(std::shared_ptr<Item> item);
    void pumpSends();
    void send(std::shared_ptr<Item> item);
    void deliver(std::shared_ptr<Item> item);
    void deliverBatch(const QList<std::shared_ptr<Item>> &group);
    void onResult(std::shared_ptr<Item> item, const connect::DeliveryResult &result, qint64 ms);
    /// Notes an outage of the destination starting (a call that could not reach it) or ending (an answer).
    void noteReachability(const connect::DeliveryResult &result);
    void deadLetter(const Item &item, store::DeadLetterClass errorClass, int status, const QString &message);
    void settle(const Item &item);
    /// Leaves a record unsettled on purpose (stopping, or the store lost): its intent, when committed,
    /// makes the next run look it up first; one never sent is forgotten.
    void abandon(const std::shared_ptr<Item> &item, const QString &why);
    void settlePages();
    /// Commits the writes gathered so far; false when the store refused them (they are kept for the
    /// next try, and the run stops sending: storeLost).
    bool flush();
    /// Whether `item` may be sent: its intent is committed and the store still works.
    bool mayCall(const Item &item) const;
    /// The store failed: stop fetching and sending, let requests in flight settle, end "failed".
    void storeLost(const Error &error);
    /// A single write outside the group commit (dead-letter retries): a failure stops the run as one of
    /// the group commit does.
    void checkWrite(const Expected<bool> &written);
    void commitSoon(); ///< flush now if many outcomes wait, else within the timer's few ms
    void reportProgress();
    void emitProgress();
    RunProgress currentProgress();
    void finish(const QString &status, const QString &message);
    void log(const QString &event, const QString &recordId, const QString &message = {}, int status = 0, qint64 ms = -1,
             const QString &level = QStringLiteral("info"), const QString &requestId = {});
    /// Maps one record (JSON text as received) into an item to send; false when it went to the dead
    /// letters instead (unreadable, or field errors).
    bool makeItem(const QByteArray &json, qint64 inboxId, Item &item, qint64 signedAt = 0);
    /// Loads and compiles the job's mapping (or the one at `path`), again whenever the file changed since
    /// (the studio saved an edit) or another file was loaded: a run or a re-mapped retry always uses the
    /// mapping as saved.
    bool loadMapping(QString *error, const QString &path = {});
    /// Starts a new run: a new id, counts and clock, recorded in the store; false (finished "failed")
    /// when the store cannot record it.
    bool beginRun(Mode mode);

    Project m_project;
    JobConfig m_job;
    connect::PresetLibrary m_presets;
    SecretAccess m_secrets;
    std::unique_ptr<store::SyncStorage> m_store;
    std::unique_ptr<store::RateUsageStore> m_usage;
    std::unique_ptr<net::HttpClient> m_http;
    std::unique_ptr<ConnectionRuntime> m_sourceConnection;
    std::unique_ptr<ConnectionRuntime> m_sinkConnection;
    std::unique_ptr<connect::Source> m_source;
    std::unique_ptr<connect::Sink> m_sink;
    std::unique_ptr<log::EventLog> m_log;
    mapping::MappingDocument m_document;
    std::shared_ptr<const mapping::CompiledMapping> m_mapping;
    mapping::RecordParser m_parser; ///< reads each record for the mapping, on the job's thread
    QString m_mappingStamp;         ///< path, modification time and size of the mapping file last loaded
    QString m_mappingPath;          ///< the mapping file last loaded
    int m_externalIdField = -1;
    /// Where a source record holds its version (its modification time): the job's version_field, else the
    /// source's watermark field; empty when neither (webhook events then compare the time they were signed).
    mapping::FieldPath m_versionPath;
    QString m_versionField;
    Mode m_mode = Mode::Pull;
    QString m_runId;
    RunCounts m_counts;
    std::deque<std::shared_ptr<Page>> m_pages;
    /// A source page received but not yet read and mapped whole: pages are read in slices with the
    /// event loop running in between, so that the next page's request is already out (and the
    /// source preparing it) while this one is mapped. Processed strictly in order of arrival.
    struct Incoming {
        std::shared_ptr<Page> page;
        QList<QByteArray> records;
        qsizetype next = 0;
        QList<Item> items;
    };
    std::deque<Incoming> m_incoming;
    bool m_processScheduled = false;
    store::WriteBatch m_results;
    QTimer m_flushTimer;
    QRandomGenerator m_rng;
    bool m_fetching = false;
    bool m_sourceDone = false;
    bool m_running = false;
    std::atomic<bool> m_stopping{false};
    quint64 m_batchNumber = 1;  ///< the group commit being gathered in m_results
    quint64 m_durableBatch = 0; ///< the last group commit the store took
    bool m_storeLost = false;
    qint64 m_outstanding = 0;
    std::deque<std::shared_ptr<Item>> m_sendQueue; ///< ready to go, beyond the connection's in-flight window
    int m_active = 0;                              ///< lookups and deliveries awaiting an answer
    int m_window = 32;
    bool m_pumpScheduled = false;
    int m_sourceFailures = 0;
    qint64 m_requests = 0;
    QString m_failure;
    QElapsedTimer m_clock;
    qint64 m_outageSince = -1;       ///< when the destination became unreachable (m_clock ms); -1: it answers
    QTimer m_progressTimer;          ///< sends the latest counts once the meter lets a report go
    ProgressMeter m_progress;        ///< the rate, and when a report may go out
    QList<RateWindow> m_sinkWindows; ///< as configured, to name the period of a window the limiter reports
};

} // namespace transom::sync
