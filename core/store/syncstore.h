#pragma once

#include "core/common/expected.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <memory>
#include <vector>

class QSqlDatabase;
class QSqlQuery;

namespace transom::store {

/// What the ledger knows of one source record in one job.
struct LedgerEntry {
    enum class State { Absent, Intent, Done };
    State state = State::Absent;
    QString destinationId;
    QByteArray contentHash;
    /// The version last delivered (UTC ms since the epoch: the source's modification time, or the time
    /// the webhook event was signed); 0 when unknown.
    qint64 version = 0;
};

/// Why a record is in the dead letters. Stored and printed by name (deadLetterClassName); the names
/// are part of the file format and of `transom-run deadletters --class`, so they never change.
enum class DeadLetterClass {
    Field,             ///< "field": the mapping found field errors; nothing was sent
    Permanent,         ///< "permanent": the destination refused the record (a 4xx, a bad request built here)
    Exhausted,         ///< "exhausted": retryable failures until the job's max_attempts
    Auth,              ///< "auth": 401 or 403
    Duplicate,         ///< "duplicate": 409 without the destination's id
    UpdateUnsupported, ///< "update_unsupported": a changed record on a sink that can only create
};
QString deadLetterClassName(DeadLetterClass errorClass);
/// The class named `name`; false when no class has that name.
bool parseDeadLetterClass(QStringView name, DeadLetterClass *errorClass);
/// Every class, in the order people triage them.
QList<DeadLetterClass> deadLetterClassList();

/// A record that could not go through, with everything needed to fix and retry it.
struct DeadLetter {
    qint64 id = 0;
    QString job;
    QString sourceId;
    QString runId;
    QByteArray sourceRecord; ///< JSON as received
    QByteArray mappedRecord; ///< JSON as mapped (or as edited), empty when mapping failed
    int mappingRevision = 0;
    QString errorClass; ///< deadLetterClassName(): field, permanent, exhausted, auth, duplicate, update_unsupported
    int httpStatus = 0;
    QString message; ///< the server's message or the field errors
    int attempts = 0;
    qint64 firstFailedAt = 0;
    qint64 lastFailedAt = 0;
    QString status = QStringLiteral("open"); ///< open, retrying, resolved, discarded
    QString note;                            ///< discard reason or last action

    QJsonObject toJson() const;
};

struct DeadLetterFilter {
    QString job;
    QString errorClass;
    QString status = QStringLiteral("open"); ///< empty: any
    QString text;                            ///< found in the source id, message or records (an e-mail address, a name)
    int limit = 1000;                        ///< at most this many, from `offset` on (oldest first)
    qint64 offset = 0;
};

/// A pushed event waiting for the engine.
struct InboxEvent {
    qint64 id = 0;
    QString job;
    QString eventId; ///< unique per job: a resend of the same event is not stored again
    QByteArray body;
    qint64 receivedAt = 0;
    /// The time the vendor signed with the event (Unix seconds; 0: its scheme signs none), so that an
    /// older version of a record can be told from a newer one whatever order they arrive in.
    qint64 signedAt = 0;
};

/// Writes that commit together (group commit): intents before calls, outcomes after them, dead
/// letters, checkpoints and processed inbox events, in one transaction.
class WriteBatch {
public:
    void intent(const QString &job, const QString &sourceId, const QByteArray &hash);
    /// `version` (UTC ms, 0: unknown, the ledger keeps the one it had) is the delivered record's version.
    void done(const QString &job, const QString &sourceId, const QString &destinationId, const QByteArray &hash,
              qint64 version = 0);
    void forget(const QString &job, const QString &sourceId); ///< the record must go again (dead-lettered)
    void deadLetter(const DeadLetter &letter);
    void checkpoint(const QString &job, const QJsonObject &checkpoint);
    void inboxProcessed(qint64 inboxId);
    bool isEmpty() const { return m_ops.empty(); }
    int size() const { return int(m_ops.size()); }

private:
    friend class SyncStore;
    friend class SyncStorage;
    struct Op {
        enum Kind { Intent, Done, Forget, DeadLetter, Checkpoint, InboxProcessed } kind;
        QString job, sourceId, destinationId;
        QByteArray hash;
        store::DeadLetter letter;
        QJsonObject checkpoint;
        qint64 id = 0;
        qint64 version = 0;
    };
    std::vector<Op> m_ops;
};

/// The engine's durable state, whatever holds it: idempotency ledger, dead letters and their history,
/// webhook inbox, checkpoints and run history. SQLite (SyncStore) is the embedded default; a shared
/// database for several runners plugs in behind the same interface. Use one instance per thread.
class SyncStorage {
public:
    virtual ~SyncStorage() = default;
    virtual QString location() const = 0;

    virtual Expected<bool> commit(const WriteBatch &batch) = 0;
    virtual Expected<QHash<QString, LedgerEntry>> ledger(const QString &job, const QStringList &sourceIds) const = 0;
    virtual Expected<qint64> ledgerCount(const QString &job, LedgerEntry::State state) const = 0;
    virtual Expected<QJsonObject> checkpoint(const QString &job) const = 0;
    virtual Expected<QList<DeadLetter>> deadLetters(const DeadLetterFilter &filter) const = 0;
    /// How many dead letters match `filter` in all (its limit and offset aside).
    virtual Expected<qint64> deadLetterCount(const DeadLetterFilter &filter) const = 0;
    virtual Expected<DeadLetter> deadLetter(qint64 id) const = 0;
    /// Changes a dead letter's status (and its edited record, when given) and records the action.
    virtual Expected<bool> updateDeadLetter(qint64 id, const QString &status, const QString &action,
                                            const QString &detail, const QByteArray &editedMapped = {}) = 0;
    virtual Expected<QList<QJsonObject>> deadLetterActions(qint64 id) const = 0;
    /// A retried letter failed again: it reopens with the latest error (class, HTTP status, message, the
    /// record as mapped this time, one more attempt) and the failure goes into its history.
    virtual Expected<bool> deadLetterFailedAgain(qint64 id, const DeadLetter &latest) = 0;
    /// Stores events durably; returns, per event, whether it was new (false: a resend, already held).
    virtual Expected<QList<bool>> inboxAdd(const QList<InboxEvent> &events) = 0;
    virtual Expected<QList<InboxEvent>> inboxPending(const QString &job, int limit) const = 0;
    virtual Expected<bool> startRun(const QString &runId, const QString &job, qint64 at) = 0;
    virtual Expected<bool> finishRun(const QString &runId, const QString &status, const QJsonObject &counts,
                                     qint64 at) = 0;
    virtual Expected<QList<QJsonObject>> runs(const QString &job, int limit) const = 0;
};

/// Opens the storage at `location`: a file path for SQLite (its folder is created when missing). (A postgresql:// URL
/// names the shared store for several runners, which this build does not include yet: it is refused with that reason.)
Expected<std::unique_ptr<SyncStorage>> openStorage(const QString &location);

/// The engine's durable state in one SQLite file (WAL, synchronous=NORMAL: survives a killed
/// process): idempotency ledger, dead letters and their history, webhook inbox, checkpoints and
/// run history, with versioned migrations. One instance per thread (a QtSql rule). Dead letters are
/// one open letter per (job, source id, class): a record that fails the same way again updates it.
/// The file is never memory-mapped (mmap_size 0): a store that fills up or becomes unwritable
/// answers with SQLite's error instead of a SIGBUS. TRANSOM_STORE_MAX_PAGES caps the file's size in
/// pages (SQLite's max_page_count), to rehearse a full disk.
class SyncStore final : public SyncStorage {
public:
    static constexpr int schemaVersion = 5;
    static Expected<std::unique_ptr<SyncStore>> open(const QString &path);
    ~SyncStore();

    const QString &path() const { return m_path; }
    QString location() const override { return m_path; }

    Expected<bool> commit(const WriteBatch &batch) override;
    Expected<QHash<QString, LedgerEntry>> ledger(const QString &job, const QStringList &sourceIds) const override;
    Expected<qint64> ledgerCount(const QString &job, LedgerEntry::State state) const override;
    Expected<QJsonObject> checkpoint(const QString &job) const override;
    Expected<QList<DeadLetter>> deadLetters(const DeadLetterFilter &filter) const override;
    Expected<qint64> deadLetterCount(const DeadLetterFilter &filter) const override;
    Expected<DeadLetter> deadLetter(qint64 id) const override;
    Expected<bool> updateDeadLetter(qint64 id, const QString &status, const QString &action, const QString &detail,
                                    const QByteArray &editedMapped = {}) override;
    Expected<QList<QJsonObject>> deadLetterActions(qint64 id) const override;
    Expected<bool> deadLetterFailedAgain(qint64 id, const DeadLetter &latest) override;
    Expected<QList<bool>> inboxAdd(const QList<InboxEvent> &events) override;
    Expected<QList<InboxEvent>> inboxPending(const QString &job, int limit) const override;
    Expected<bool> startRun(const QString &runId, const QString &job, qint64 at) override;
    Expected<bool> finishRun(const QString &runId, const QString &status, const QJsonObject &counts,
                             qint64 at) override;
    Expected<QList<QJsonObject>> runs(const QString &job, int limit) const override;

private:
    SyncStore(QString path, QString connection);
    Error failure(const QString &what, const QString &reason) const;
    /// Runs `update` (one dead letter's row) and records the action in its history, in one transaction
    /// already begun on `db`.
    Expected<bool> updateWithAction(QSqlDatabase &db, QSqlQuery &update, qint64 id, const QString &action,
                                    const QString &detail);

    QString m_path;
    QString m_connection;
    /// The group-commit statements, prepared once on the connection's own SQLite handle (QSqlQuery
    /// re-prepares and names every bound value, which cost more than the writes themselves).
    struct Statements;
    /// The cached statements on the connection QtSql opened (prepared on first use); null with `why`.
    Statements *statements(QString &why) const;
    mutable std::unique_ptr<Statements> m_statements;
};

} // namespace transom::store
