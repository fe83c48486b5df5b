#include "core/store/syncstore.h"
#include "core/common/privatefiles.h"
#include "core/log/logging.h"
#include "core/log/redaction.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonDocument>
#include <QScopeGuard>
#include <QSqlDatabase>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QVariant>

#include <array>
#include <atomic>

#include <sqlite3.h>

namespace transom::store {

namespace {

// Migrations, in order: migration N brings the file from user_version N-1 to N.
const char *const migrations[] = {
    R"(CREATE TABLE ledger(job TEXT NOT NULL, source_id TEXT NOT NULL, state INTEGER NOT NULL,
         destination_id TEXT, content_hash BLOB, updated_at INTEGER NOT NULL, PRIMARY KEY(job, source_id)) WITHOUT ROWID;
       CREATE TABLE dead_letters(id INTEGER PRIMARY KEY, job TEXT NOT NULL, source_id TEXT NOT NULL, run_id TEXT,
         source_record BLOB, mapped_record BLOB, mapping_revision INTEGER, error_class TEXT NOT NULL, http_status INTEGER,
         message TEXT, attempts INTEGER, first_failed_at INTEGER, last_failed_at INTEGER, status TEXT NOT NULL, note TEXT);
       CREATE INDEX dead_letters_by_job ON dead_letters(job, status, error_class);
       CREATE TABLE dead_letter_actions(id INTEGER PRIMARY KEY, dead_letter_id INTEGER NOT NULL, action TEXT NOT NULL,
         detail TEXT, at INTEGER NOT NULL);
       CREATE TABLE inbox(id INTEGER PRIMARY KEY, job TEXT NOT NULL, event_id TEXT NOT NULL, body BLOB NOT NULL,
         received_at INTEGER NOT NULL, processed INTEGER NOT NULL DEFAULT 0, UNIQUE(job, event_id));
       CREATE INDEX inbox_pending ON inbox(job, processed, id);
       CREATE TABLE checkpoints(job TEXT PRIMARY KEY, checkpoint TEXT NOT NULL, updated_at INTEGER NOT NULL);
       CREATE TABLE runs(run_id TEXT PRIMARY KEY, job TEXT NOT NULL, started_at INTEGER NOT NULL, finished_at INTEGER,
         status TEXT NOT NULL, counts TEXT);)",
    // 2: the ledger keyed by (source_id, job) instead of (job, source_id). Every key in a file
    // usually has the same job, so with the job first each comparison of a lookup, an intent or an
    // outcome went past an equal first column to SQLite's general record comparison; with the
    // source id first, most are settled by its fast comparison of the first column (a fifth of the
    // store's instructions per record).
    R"(CREATE TABLE ledger_by_source(source_id TEXT NOT NULL, job TEXT NOT NULL, state INTEGER NOT NULL,
         destination_id TEXT, content_hash BLOB, updated_at INTEGER NOT NULL, PRIMARY KEY(source_id, job)) WITHOUT ROWID;
       INSERT INTO ledger_by_source(source_id, job, state, destination_id, content_hash, updated_at)
         SELECT source_id, job, state, destination_id, content_hash, updated_at FROM ledger;
       DROP TABLE ledger;
       ALTER TABLE ledger_by_source RENAME TO ledger;)",
    // 3: one open dead letter per (job, source id, class). Each restart of an interrupted run used to
    // add another copy of the same letters; the copies older than the newest are closed as such, and
    // a unique index makes a new failure update the open letter instead.
    R"(UPDATE dead_letters SET status='discarded', note='a copy of dead letter ' || (SELECT MAX(d.id) FROM dead_letters d
         WHERE d.job=dead_letters.job AND d.source_id=dead_letters.source_id AND d.error_class=dead_letters.error_class
         AND d.status='open') WHERE status='open' AND id < (SELECT MAX(d.id) FROM dead_letters d
         WHERE d.job=dead_letters.job AND d.source_id=dead_letters.source_id AND d.error_class=dead_letters.error_class
         AND d.status='open');
       CREATE UNIQUE INDEX dead_letters_open ON dead_letters(job, source_id, error_class) WHERE status='open';)",
    // 4: the time a webhook event's signature covers (Unix seconds), kept with the event.
    R"(ALTER TABLE inbox ADD COLUMN signed_at INTEGER;)",
    // 5: the version of a record last delivered (UTC ms: the source's modification time, or the time a
    // webhook event was signed), so that an older version arriving later never overwrites a newer one.
    R"(ALTER TABLE ledger ADD COLUMN version INTEGER;)",
};

static_assert(std::size(migrations) == SyncStore::schemaVersion);

const char *const classNames[] = {"field", "permanent", "exhausted", "auth", "duplicate", "update_unsupported"};

QString reasonOf(const QSqlError &e)
{
    const QString t = e.text().trimmed();
    return t.isEmpty() ? QStringLiteral("unknown SQLite error") : t;
}

qint64 now()
{
    return QDateTime::currentMSecsSinceEpoch();
}

bool execAll(QSqlQuery &q, const QString &script, QString &why)
{
    for (const QString &statement : script.split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
        if (statement.trimmed().isEmpty())
            continue;
        if (!q.exec(statement)) {
            why = reasonOf(q.lastError());
            return false;
        }
    }
    return true;
}

/// A dead letter's words (a vendor's error echoes what it was sent) with every secret hidden: on the
/// way in and again on the way out, for letters written before a secret was known.
QString hidden(const QString &text)
{
    return text.isEmpty() ? text : log::redactor().redact(text);
}

DeadLetter letterFrom(const QSqlQuery &q)
{
    DeadLetter d;
    d.id = q.value(0).toLongLong();
    d.job = q.value(1).toString();
    d.sourceId = q.value(2).toString();
    d.runId = q.value(3).toString();
    d.sourceRecord = q.value(4).toByteArray();
    d.mappedRecord = q.value(5).toByteArray();
    d.mappingRevision = q.value(6).toInt();
    d.errorClass = q.value(7).toString();
    d.httpStatus = q.value(8).toInt();
    d.message = hidden(q.value(9).toString());
    d.attempts = q.value(10).toInt();
    d.firstFailedAt = q.value(11).toLongLong();
    d.lastFailedAt = q.value(12).toLongLong();
    d.status = q.value(13).toString();
    d.note = hidden(q.value(14).toString());
    return d;
}

const char *const letterColumns =
    "id, job, source_id, run_id, source_record, mapped_record, mapping_revision, error_class, "
    "http_status, message, attempts, first_failed_at, last_failed_at, status, note";

/// The folder of a store file, created when it does not exist yet; false with `why` when it cannot be.
bool makeFolderOf(const QString &path, QString &why)
{
    // Made 0700, and the file 0600 before SQLite opens it (its journal and WAL files take the
    // database file's mode): the store holds contact details and delivery history.
    const QFileInfo file(path);
    QString reason;
    if (!files::makePrivateFolder(file.absolutePath(), &reason) || !files::makePrivateFile(path, &reason)) {
        why = reason;
        return false;
    }
    return true;
}

/// "cannot open the sync database …" with its cause and the fix: SQLite's own words ("unable to open
/// database file") name neither the folder at fault nor what to change.
QString openError(const QString &path, const QString &why)
{
    const QFileInfo file(path);
    const QString fix = QStringLiteral("change \"store\" in the project file");
    // The outermost folder of the path that is missing, and what stands where a folder should.
    QString missing;
    QFileInfo at(file.absolutePath());
    while (!at.exists() && !at.isRoot()) {
        missing = at.absoluteFilePath();
        at = QFileInfo(at.absolutePath());
    }
    if (at.exists() && !at.isDir())
        return QStringLiteral("cannot open the sync database %1: %2 is a file, not a folder, so the folder %3 "
                              "cannot be created there; %4 to a path in a folder Transom can write (%5)")
            .arg(path, at.absoluteFilePath(), missing.isEmpty() ? file.absolutePath() : missing, fix, why);
    if (!missing.isEmpty())
        return QStringLiteral("cannot open the sync database %1: the folder %2 does not exist and could not be "
                              "created (%3); create it, or %4 to a folder Transom can write")
            .arg(path, missing, why, fix);
    if (file.isDir())
        return QStringLiteral("cannot open the sync database %1: it is a folder, not a database file; %2 to a file "
                              "path such as %1/transom.db")
            .arg(path, fix);
    if (!QFileInfo(file.absolutePath()).isWritable() || (file.exists() && !file.isWritable()))
        return QStringLiteral("cannot open the sync database %1: %2 is not writable by this user; give the user "
                              "that runs Transom write access to it, or %3 (%4)")
            .arg(path, file.exists() ? path : file.absolutePath(), fix, why);
    return QStringLiteral("cannot open the sync database %1: %2").arg(path, why);
}

} // namespace

QString deadLetterClassName(DeadLetterClass errorClass)
{
    return QString::fromLatin1(classNames[int(errorClass)]);
}

bool parseDeadLetterClass(QStringView name, DeadLetterClass *errorClass)
{
    for (int i = 0; i < int(std::size(classNames)); ++i)
        if (name == QLatin1String(classNames[i])) {
            *errorClass = DeadLetterClass(i);
            return true;
        }
    return false;
}

QList<DeadLetterClass> deadLetterClassList()
{
    return {DeadLetterClass::Field,     DeadLetterClass::Permanent, DeadLetterClass::UpdateUnsupported,
            DeadLetterClass::Exhausted, DeadLetterClass::Auth,      DeadLetterClass::Duplicate};
}

QJsonObject DeadLetter::toJson() const
{
    return {{QStringLiteral("id"), id},
            {QStringLiteral("job"), job},
            {QStringLiteral("source_id"), sourceId},
            {QStringLiteral("run_id"), runId},
            {QStringLiteral("source_record"), QJsonDocument::fromJson(sourceRecord).object()},
            {QStringLiteral("mapped_record"), QJsonDocument::fromJson(mappedRecord).object()},
            {QStringLiteral("mapping_revision"), mappingRevision},
            {QStringLiteral("error_class"), errorClass},
            {QStringLiteral("http_status"), httpStatus},
            {QStringLiteral("message"), message},
            {QStringLiteral("attempts"), attempts},
            {QStringLiteral("first_failed_at"),
             QDateTime::fromMSecsSinceEpoch(firstFailedAt, Qt::UTC).toString(Qt::ISODateWithMs)},
            {QStringLiteral("last_failed_at"),
             QDateTime::fromMSecsSinceEpoch(lastFailedAt, Qt::UTC).toString(Qt::ISODateWithMs)},
            {QStringLiteral("status"), status},
            {QStringLiteral("note"), note}};
}

void WriteBatch::intent(const QString &job, const QString &sourceId, const QByteArray &hash)
{
    m_ops.push_back({Op::Intent, job, sourceId, {}, hash, {}, {}, 0, 0});
}

void WriteBatch::done(const QString &job, const QString &sourceId, const QString &destinationId, const QByteArray &hash,
                      qint64 version)
{
    m_ops.push_back({Op::Done, job, sourceId, destinationId, hash, {}, {}, 0, version});
}

void WriteBatch::forget(const QString &job, const QString &sourceId)
{
    m_ops.push_back({Op::Forget, job, sourceId, {}, {}, {}, {}, 0, 0});
}

void WriteBatch::deadLetter(const DeadLetter &letter)
{
    m_ops.push_back({Op::DeadLetter, letter.job, letter.sourceId, {}, {}, letter, {}, 0, 0});
}

void WriteBatch::checkpoint(const QString &job, const QJsonObject &checkpoint)
{
    m_ops.push_back({Op::Checkpoint, job, {}, {}, {}, {}, checkpoint, 0, 0});
}

void WriteBatch::inboxProcessed(qint64 inboxId)
{
    m_ops.push_back({Op::InboxProcessed, {}, {}, {}, {}, {}, {}, inboxId, 0});
}

Expected<std::unique_ptr<SyncStorage>> openStorage(const QString &location)
{
    if (location.startsWith(QLatin1String("postgresql://")) || location.startsWith(QLatin1String("postgres://")))
        return Error(QStringLiteral("a shared PostgreSQL store is not part of this build yet; use a SQLite file"),
                     location);
    auto sqlite = SyncStore::open(location);
    if (!sqlite)
        return sqlite.error();
    return std::unique_ptr<SyncStorage>(std::move(sqlite.value()));
}

Expected<std::unique_ptr<SyncStore>> SyncStore::open(const QString &path)
{
    static std::atomic<quint64> counter{0};
    const QString name = QStringLiteral("transom-sync-%1").arg(++counter);
    QString why;
    if (!makeFolderOf(path, why))
        return Error(openError(path, why), path);
    // Switching a brand-new file to WAL while another thread does the same can fail at once with
    // "database is locked" (SQLite does not wait on its busy handler there): try again briefly.
    QElapsedTimer trying;
    trying.start();
    for (int attempt = 0; attempt < 50; ++attempt) {
        if (attempt > 0) {
            why.clear();
            QSqlDatabase::removeDatabase(name); // the last attempt's handle is gone with its scope
            QThread::msleep(20);
        }
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000"));
        if (!db.open()) {
            why = reasonOf(db.lastError());
        } else {
            QSqlQuery q(db);
            if (!execAll(q,
                         QStringLiteral("PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"
                                        "PRAGMA mmap_size=0"),
                         why)) {
            } else if (!q.exec(QStringLiteral("PRAGMA user_version")) || !q.next()) {
                why = reasonOf(q.lastError());
            } else {
                int version = q.value(0).toInt();
                q.finish();
                // Two threads (the studio's dead-letter browser and a starting job) may open a new file at
                // once: migrate under the write lock and look at the version again once it is held.
                bool locked = false;
                if (version < schemaVersion) {
                    if (!(locked = q.exec(QStringLiteral("BEGIN IMMEDIATE"))))
                        why = reasonOf(q.lastError());
                    else if (!q.exec(QStringLiteral("PRAGMA user_version")) || !q.next())
                        why = reasonOf(q.lastError());
                    else
                        version = q.value(0).toInt();
                    q.finish();
                }
                if (why.isEmpty() && version > schemaVersion)
                    why = QStringLiteral("the file was written by a newer Transom (schema %1; this one knows %2)")
                              .arg(version)
                              .arg(schemaVersion);
                for (int v = version; why.isEmpty() && v < schemaVersion; ++v) {
                    if (!execAll(q, QString::fromUtf8(migrations[v]), why) ||
                        !q.exec(QStringLiteral("PRAGMA user_version=%1").arg(v + 1))) {
                        if (why.isEmpty())
                            why = reasonOf(q.lastError());
                    }
                }
                if (locked && !q.exec(why.isEmpty() ? QStringLiteral("COMMIT") : QStringLiteral("ROLLBACK")) &&
                    why.isEmpty())
                    why = reasonOf(q.lastError());
                if (const int pages = qEnvironmentVariableIntValue("TRANSOM_STORE_MAX_PAGES");
                    why.isEmpty() && pages > 0 && !q.exec(QStringLiteral("PRAGMA max_page_count=%1").arg(pages)))
                    why = reasonOf(q.lastError());
            }
        }
        if (!why.isEmpty())
            db.close();
        if (why.isEmpty() || !why.contains(QLatin1String("locked")) || trying.elapsed() > 2000)
            break;
    }
    if (!why.isEmpty()) {
        QSqlDatabase::removeDatabase(name);
        return Error(openError(path, why), path);
    }
    return std::unique_ptr<SyncStore>(new SyncStore(path, name));
}

struct SyncStore::Statements {
    sqlite3 *db = nullptr;
    sqlite3_stmt *begin = nullptr, *commit = nullptr, *rollback = nullptr, *upsert = nullptr, *forget = nullptr,
                 *letter = nullptr, *checkpoint = nullptr, *processed = nullptr, *lookup = nullptr, *settle = nullptr;

    ~Statements()
    {
        for (sqlite3_stmt *s : {begin, commit, rollback, upsert, forget, letter, checkpoint, processed, lookup, settle})
            sqlite3_finalize(s);
    }

    QString error() const { return QString::fromUtf8(sqlite3_errmsg(db)); }

    bool prepare(sqlite3_stmt *&statement, const char *sql)
    {
        return sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &statement, nullptr) == SQLITE_OK;
    }

    /// Runs a statement whose values are bound; false on failure. Leaves it reset, bindings cleared.
    static bool run(sqlite3_stmt *statement)
    {
        const int rc = sqlite3_step(statement);
        sqlite3_reset(statement);
        sqlite3_clear_bindings(statement);
        return rc == SQLITE_DONE || rc == SQLITE_ROW;
    }

    // As the Qt driver binds: a null QString or QByteArray is SQL NULL; QString is text, QByteArray a blob.
    // Bound as UTF-8, the file's encoding (UTF-16 made SQLite translate every value), from a buffer
    // per parameter that lives until the parameter is bound again.
    void text(sqlite3_stmt *s, int i, const QString &v)
    {
        if (v.isNull()) {
            sqlite3_bind_null(s, i);
            return;
        }
        QByteArray &utf8 = m_utf8.at(std::size_t(i));
        const qsizetype n = v.size();
        const QChar *from = v.constData();
        qsizetype k = 0;
        utf8.resize(n);
        char *to = utf8.data();
        for (; k < n && from[k].unicode() < 0x80; ++k)
            to[k] = char(from[k].unicode());
        if (k < n)
            utf8 = v.toUtf8();
        sqlite3_bind_text(s, i, utf8.constData(), int(utf8.size()), SQLITE_STATIC);
    }
    std::array<QByteArray, 16> m_utf8;
    static void blob(sqlite3_stmt *s, int i, const QByteArray &v)
    {
        if (v.isNull())
            sqlite3_bind_null(s, i);
        else
            sqlite3_bind_blob(s, i, v.constData(), int(v.size()), SQLITE_STATIC);
    }
    static void integer(sqlite3_stmt *s, int i, qint64 v) { sqlite3_bind_int64(s, i, v); }
};

SyncStore::SyncStore(QString path, QString connection) : m_path(std::move(path)), m_connection(std::move(connection)) {}

SyncStore::~SyncStore()
{
    m_statements.reset(); // finalized before the connection closes
    {
        QSqlDatabase db = QSqlDatabase::database(m_connection, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connection);
}

Error SyncStore::failure(const QString &what, const QString &reason) const
{
    return Error(QStringLiteral("cannot %1: %2").arg(what, reason), m_path);
}

SyncStore::Statements *SyncStore::statements(QString &why) const
{
    auto fail = [&why](const QString &reason) -> Statements * {
        why = reason;
        return nullptr;
    };
    if (!m_statements) {
        const QVariant handle = QSqlDatabase::database(m_connection, false).driver()->handle();
        if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0 ||
            !*static_cast<sqlite3 *const *>(handle.constData()))
            return fail(QStringLiteral("the SQLite connection is not open"));
        // The handle is only ours to use if Qt's driver runs on the same SQLite library as this code.
        QSqlQuery version(QSqlDatabase::database(m_connection, false));
        if (!version.exec(QStringLiteral("SELECT sqlite_version()")) || !version.next() ||
            version.value(0).toString() != QString::fromLatin1(sqlite3_libversion()))
            return fail(QStringLiteral("Qt's SQLite driver runs SQLite %1, Transom was built with %2")
                            .arg(version.value(0).toString(), QString::fromLatin1(sqlite3_libversion())));
        auto st = std::make_unique<Statements>();
        st->db = *static_cast<sqlite3 *const *>(handle.constData());
        if (!st->prepare(st->begin, "BEGIN") || !st->prepare(st->commit, "COMMIT") ||
            !st->prepare(st->rollback, "ROLLBACK") ||
            !st->prepare(st->upsert,
                         "INSERT INTO ledger(job, source_id, state, destination_id, content_hash, updated_at, version) "
                         "VALUES(?,?,?,?,?,?,?) ON CONFLICT(source_id, job) DO UPDATE SET state=excluded.state, "
                         "destination_id=COALESCE(excluded.destination_id, ledger.destination_id), "
                         "content_hash=excluded.content_hash, updated_at=excluded.updated_at, "
                         "version=COALESCE(excluded.version, ledger.version)") ||
            !st->prepare(st->settle, "UPDATE ledger SET state=2, destination_id=COALESCE(?3, destination_id), "
                                     "content_hash=?4, updated_at=?5, version=COALESCE(?6, version) "
                                     "WHERE job=?1 AND source_id=?2") ||
            !st->prepare(st->forget, "DELETE FROM ledger WHERE job=? AND source_id=? AND state=1") ||
            !st->prepare(st->letter,
                         "INSERT INTO dead_letters(job, source_id, run_id, source_record, mapped_record, "
                         "mapping_revision, error_class, http_status, message, attempts, first_failed_at, "
                         "last_failed_at, status, note) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
                         "ON CONFLICT(job, source_id, error_class) WHERE status='open' DO UPDATE SET "
                         "run_id=excluded.run_id, source_record=excluded.source_record, "
                         "mapped_record=excluded.mapped_record, mapping_revision=excluded.mapping_revision, "
                         "http_status=excluded.http_status, message=excluded.message, "
                         "attempts=dead_letters.attempts+excluded.attempts, last_failed_at=excluded.last_failed_at, "
                         "note=excluded.note") ||
            !st->prepare(st->checkpoint,
                         "INSERT OR REPLACE INTO checkpoints(job, checkpoint, updated_at) VALUES(?,?,?)") ||
            !st->prepare(st->processed, "UPDATE inbox SET processed=1 WHERE id=?") ||
            !st->prepare(st->lookup,
                         "SELECT state, destination_id, content_hash, version FROM ledger WHERE job=? AND source_id=?"))
            return fail(QStringLiteral("its statements could not be prepared: ") + st->error());
        m_statements = std::move(st);
    }
    return m_statements.get();
}

Expected<bool> SyncStore::commit(const WriteBatch &batch)
{
    if (batch.isEmpty())
        return true;
    if (QString unusable; !statements(unusable))
        return failure(QStringLiteral("write changes"), unusable);
    Statements &st = *m_statements;
    using S = Statements;
    if (!S::run(st.begin))
        return failure(QStringLiteral("start a transaction"), st.error());
    const qint64 at = now();
    for (const WriteBatch::Op &op : batch.m_ops) {
        sqlite3_stmt *q = nullptr;
        QByteArray checkpointText;
        switch (op.kind) {
        case WriteBatch::Op::Done:
            // Its intent is there as a rule: one update of that row, the upsert below only without one.
            st.text(st.settle, 1, op.job);
            st.text(st.settle, 2, op.sourceId);
            if (op.destinationId.isEmpty())
                sqlite3_bind_null(st.settle, 3);
            else
                st.text(st.settle, 3, op.destinationId);
            S::blob(st.settle, 4, op.hash);
            S::integer(st.settle, 5, at);
            if (op.version)
                S::integer(st.settle, 6, op.version);
            else
                sqlite3_bind_null(st.settle, 6);
            if (!S::run(st.settle)) {
                const QString why = st.error();
                S::run(st.rollback);
                return failure(QStringLiteral("write %1 changes").arg(batch.size()), why);
            }
            if (sqlite3_changes(st.db) == 1)
                continue;
            [[fallthrough]];
        case WriteBatch::Op::Intent:
            q = st.upsert;
            st.text(q, 1, op.job);
            st.text(q, 2, op.sourceId);
            S::integer(q, 3, op.kind == WriteBatch::Op::Intent ? 1 : 2);
            if (op.destinationId.isEmpty())
                sqlite3_bind_null(q, 4);
            else
                st.text(q, 4, op.destinationId);
            S::blob(q, 5, op.hash);
            S::integer(q, 6, at);
            if (op.kind == WriteBatch::Op::Done && op.version)
                S::integer(q, 7, op.version);
            else
                sqlite3_bind_null(q, 7);
            break;
        case WriteBatch::Op::Forget:
            q = st.forget;
            st.text(q, 1, op.job);
            st.text(q, 2, op.sourceId);
            break;
        case WriteBatch::Op::DeadLetter: {
            const DeadLetter &d = op.letter;
            q = st.letter;
            st.text(q, 1, d.job);
            st.text(q, 2, d.sourceId);
            st.text(q, 3, d.runId);
            S::blob(q, 4, d.sourceRecord);
            S::blob(q, 5, d.mappedRecord);
            S::integer(q, 6, d.mappingRevision);
            st.text(q, 7, d.errorClass);
            S::integer(q, 8, d.httpStatus);
            st.text(q, 9, hidden(d.message));
            S::integer(q, 10, d.attempts);
            S::integer(q, 11, d.firstFailedAt ? d.firstFailedAt : at);
            S::integer(q, 12, d.lastFailedAt ? d.lastFailedAt : at);
            st.text(q, 13, d.status);
            st.text(q, 14, d.note);
            break;
        }
        case WriteBatch::Op::Checkpoint:
            q = st.checkpoint;
            checkpointText = QJsonDocument(op.checkpoint).toJson(QJsonDocument::Compact);
            st.text(q, 1, op.job);
            sqlite3_bind_text(q, 2, checkpointText.constData(), int(checkpointText.size()), SQLITE_STATIC);
            S::integer(q, 3, at);
            break;
        case WriteBatch::Op::InboxProcessed:
            q = st.processed;
            S::integer(q, 1, op.id);
            break;
        }
        if (!S::run(q)) {
            const QString why = st.error();
            S::run(st.rollback);
            return failure(QStringLiteral("write %1 changes").arg(batch.size()), why);
        }
    }
    if (!S::run(st.commit)) {
        const QString why = st.error();
        S::run(st.rollback);
        return failure(QStringLiteral("commit %1 changes").arg(batch.size()), why);
    }
    return true;
}

Expected<QHash<QString, LedgerEntry>> SyncStore::ledger(const QString &job, const QStringList &sourceIds) const
{
    // One cached statement run per id: a page's lookups used to build, parse and plan an IN (...) query
    // of its own, a tenth of the engine's work per record in batch runs.
    QString why;
    Statements *st = statements(why);
    if (!st)
        return failure(QStringLiteral("read the ledger"), why);
    QHash<QString, LedgerEntry> out;
    out.reserve(sourceIds.size());
    // All of them in one read transaction: a statement run on its own opens and closes one, which
    // was most of a lookup's cost.
    const bool ownTransaction = sourceIds.size() > 1 && sqlite3_get_autocommit(st->db) && Statements::run(st->begin);
    sqlite3_stmt *q = st->lookup;
    const auto finish = qScopeGuard([&] {
        sqlite3_clear_bindings(q); // they point into strings of the caller's
        if (ownTransaction)
            Statements::run(st->commit);
    });
    st->text(q, 1, job);
    for (const QString &id : sourceIds) {
        st->text(q, 2, id);
        const int rc = sqlite3_step(q);
        if (rc == SQLITE_ROW) {
            LedgerEntry e;
            e.state = sqlite3_column_int(q, 0) == 2 ? LedgerEntry::State::Done : LedgerEntry::State::Intent;
            if (const void *text = sqlite3_column_text16(q, 1))
                e.destinationId = QString(static_cast<const QChar *>(text), sqlite3_column_bytes16(q, 1) / 2);
            if (const void *hash = sqlite3_column_blob(q, 2))
                e.contentHash = QByteArray(static_cast<const char *>(hash), sqlite3_column_bytes(q, 2));
            if (sqlite3_column_type(q, 3) != SQLITE_NULL)
                e.version = sqlite3_column_int64(q, 3);
            out.insert(id, e);
        }
        sqlite3_reset(q);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            return failure(QStringLiteral("read the ledger"), st->error());
    }
    return out;
}

Expected<qint64> SyncStore::ledgerCount(const QString &job, LedgerEntry::State state) const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("SELECT COUNT(*) FROM ledger WHERE job=? AND state=?"));
    q.addBindValue(job);
    q.addBindValue(state == LedgerEntry::State::Done ? 2 : 1);
    if (!q.exec() || !q.next())
        return failure(QStringLiteral("count the ledger"), reasonOf(q.lastError()));
    return q.value(0).toLongLong();
}

Expected<QJsonObject> SyncStore::checkpoint(const QString &job) const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("SELECT checkpoint FROM checkpoints WHERE job=?"));
    q.addBindValue(job);
    if (!q.exec())
        return failure(QStringLiteral("read the checkpoint of %1").arg(job), reasonOf(q.lastError()));
    return q.next() ? QJsonDocument::fromJson(q.value(0).toByteArray()).object() : QJsonObject();
}

namespace {

/// The WHERE clause of a dead-letter filter and its values.
QString whereOf(const DeadLetterFilter &f, QVariantList &binds)
{
    QString sql = QStringLiteral(" WHERE 1=1");
    auto where = [&](const char *clause, const QVariant &v) {
        sql += QLatin1String(clause);
        binds.append(v);
    };
    if (!f.job.isEmpty())
        where(" AND job=?", f.job);
    if (!f.errorClass.isEmpty())
        where(" AND error_class=?", f.errorClass);
    if (!f.status.isEmpty())
        where(" AND status=?", f.status);
    if (!f.text.isEmpty()) {
        const QString like = QLatin1Char('%') + f.text + QLatin1Char('%');
        sql += QStringLiteral(" AND (source_id LIKE ? OR message LIKE ? OR CAST(source_record AS TEXT) LIKE ? OR "
                              "CAST(mapped_record AS TEXT) LIKE ?)");
        binds << like << like << like << like;
    }
    return sql;
}

} // namespace

Expected<QList<DeadLetter>> SyncStore::deadLetters(const DeadLetterFilter &f) const
{
    QVariantList binds;
    const QString sql = QStringLiteral("SELECT %1 FROM dead_letters%2 ORDER BY id LIMIT %3 OFFSET %4")
                            .arg(QLatin1String(letterColumns), whereOf(f, binds))
                            .arg(std::max(1, f.limit))
                            .arg(std::max<qint64>(0, f.offset));
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(sql);
    for (const QVariant &v : std::as_const(binds))
        q.addBindValue(v);
    if (!q.exec())
        return failure(QStringLiteral("list dead letters"), reasonOf(q.lastError()));
    QList<DeadLetter> out;
    while (q.next())
        out.append(letterFrom(q));
    return out;
}

Expected<qint64> SyncStore::deadLetterCount(const DeadLetterFilter &f) const
{
    QVariantList binds;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("SELECT COUNT(*) FROM dead_letters") + whereOf(f, binds));
    for (const QVariant &v : std::as_const(binds))
        q.addBindValue(v);
    if (!q.exec() || !q.next())
        return failure(QStringLiteral("count dead letters"), reasonOf(q.lastError()));
    return q.value(0).toLongLong();
}

Expected<DeadLetter> SyncStore::deadLetter(qint64 id) const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("SELECT %1 FROM dead_letters WHERE id=?").arg(QLatin1String(letterColumns)));
    q.addBindValue(id);
    if (!q.exec())
        return failure(QStringLiteral("read dead letter %1").arg(id), reasonOf(q.lastError()));
    if (!q.next())
        return Error(QStringLiteral("there is no dead letter %1").arg(id), m_path);
    return letterFrom(q);
}

Expected<bool> SyncStore::updateWithAction(QSqlDatabase &db, QSqlQuery &update, qint64 id, const QString &action,
                                           const QString &detail)
{
    QSqlQuery log(db);
    log.prepare(QStringLiteral("INSERT INTO dead_letter_actions(dead_letter_id, action, detail, at) VALUES(?,?,?,?)"));
    log.addBindValue(id);
    log.addBindValue(action);
    log.addBindValue(detail);
    log.addBindValue(now());
    if (!update.exec() || update.numRowsAffected() != 1 || !log.exec() || !db.commit()) {
        const QString why = update.numRowsAffected() == 0 ? QStringLiteral("there is no dead letter %1").arg(id)
                                                          : reasonOf(update.lastError());
        db.rollback();
        return failure(QStringLiteral("update dead letter %1").arg(id), why);
    }
    return true;
}

Expected<bool> SyncStore::updateDeadLetter(qint64 id, const QString &status, const QString &action,
                                           const QString &detail, const QByteArray &editedMapped)
{
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    db.transaction();
    QSqlQuery q(db);
    q.prepare(editedMapped.isEmpty()
                  ? QStringLiteral("UPDATE dead_letters SET status=?, note=? WHERE id=?")
                  : QStringLiteral("UPDATE dead_letters SET status=?, note=?, mapped_record=? WHERE id=?"));
    q.addBindValue(status);
    q.addBindValue(detail);
    if (!editedMapped.isEmpty())
        q.addBindValue(editedMapped);
    q.addBindValue(id);
    return updateWithAction(db, q, id, action, detail);
}

Expected<bool> SyncStore::deadLetterFailedAgain(qint64 id, const DeadLetter &latest)
{
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    db.transaction();
    // One open letter per (job, source id, class): a copy opened meanwhile (by a run of the job while
    // this one was being retried) is closed in favour of this letter, which keeps the history.
    QSqlQuery copies(db);
    copies.prepare(QStringLiteral(
        "UPDATE dead_letters SET status='discarded', note=? WHERE id<>? AND status='open' AND error_class=? AND "
        "job=(SELECT job FROM dead_letters WHERE id=?) AND source_id=(SELECT source_id FROM dead_letters WHERE id=?)"));
    copies.addBindValue(QStringLiteral("a copy of dead letter %1").arg(id));
    copies.addBindValue(id);
    copies.addBindValue(latest.errorClass);
    copies.addBindValue(id);
    copies.addBindValue(id);
    if (!copies.exec()) {
        const QString why = reasonOf(copies.lastError());
        db.rollback();
        return failure(QStringLiteral("update dead letter %1").arg(id), why);
    }
    QSqlQuery q(db);
    q.prepare(QStringLiteral("UPDATE dead_letters SET status='open', error_class=?, http_status=?, message=?, "
                             "mapped_record=CASE WHEN ? IS NULL THEN mapped_record ELSE ? END, mapping_revision=?, "
                             "attempts=attempts+?, last_failed_at=?, run_id=?, note=? WHERE id=?"));
    const QVariant mapped = latest.mappedRecord.isEmpty() ? QVariant() : QVariant(latest.mappedRecord);
    const QString message = hidden(latest.message);
    const QString detail = QStringLiteral("failed again: %1").arg(message);
    q.addBindValue(latest.errorClass);
    q.addBindValue(latest.httpStatus);
    q.addBindValue(message);
    q.addBindValue(mapped);
    q.addBindValue(mapped);
    q.addBindValue(latest.mappingRevision);
    q.addBindValue(std::max(1, latest.attempts));
    q.addBindValue(now());
    q.addBindValue(latest.runId);
    q.addBindValue(detail);
    q.addBindValue(id);
    return updateWithAction(db, q, id, QStringLiteral("retry"), detail);
}

Expected<QList<QJsonObject>> SyncStore::deadLetterActions(qint64 id) const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("SELECT action, detail, at FROM dead_letter_actions WHERE dead_letter_id=? ORDER BY id"));
    q.addBindValue(id);
    if (!q.exec())
        return failure(QStringLiteral("read the history of dead letter %1").arg(id), reasonOf(q.lastError()));
    QList<QJsonObject> out;
    while (q.next())
        out.append({{QStringLiteral("action"), q.value(0).toString()},
                    {QStringLiteral("detail"), hidden(q.value(1).toString())},
                    {QStringLiteral("at"),
                     QDateTime::fromMSecsSinceEpoch(q.value(2).toLongLong(), Qt::UTC).toString(Qt::ISODateWithMs)}});
    return out;
}

Expected<QList<bool>> SyncStore::inboxAdd(const QList<InboxEvent> &events)
{
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    if (!db.transaction())
        return failure(QStringLiteral("store webhook events"), reasonOf(db.lastError()));
    QSqlQuery q(db);
    q.prepare(
        QStringLiteral("INSERT OR IGNORE INTO inbox(job, event_id, body, received_at, signed_at) VALUES(?,?,?,?,?)"));
    QList<bool> added;
    for (const InboxEvent &e : events) {
        q.addBindValue(e.job);
        q.addBindValue(e.eventId);
        q.addBindValue(e.body);
        q.addBindValue(e.receivedAt ? e.receivedAt : now());
        q.addBindValue(e.signedAt ? QVariant(e.signedAt) : QVariant());
        if (!q.exec()) {
            const QString why = reasonOf(q.lastError());
            db.rollback();
            return failure(QStringLiteral("store webhook events"), why);
        }
        added.append(q.numRowsAffected() == 1);
    }
    if (!db.commit())
        return failure(QStringLiteral("commit webhook events"), reasonOf(db.lastError()));
    return added;
}

Expected<QList<InboxEvent>> SyncStore::inboxPending(const QString &job, int limit) const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("SELECT id, event_id, body, received_at, signed_at FROM inbox WHERE job=? AND processed=0 "
                             "ORDER BY id LIMIT ?"));
    q.addBindValue(job);
    q.addBindValue(limit);
    if (!q.exec())
        return failure(QStringLiteral("read the webhook inbox"), reasonOf(q.lastError()));
    QList<InboxEvent> out;
    while (q.next())
        out.append({q.value(0).toLongLong(), job, q.value(1).toString(), q.value(2).toByteArray(),
                    q.value(3).toLongLong(), q.value(4).toLongLong()});
    return out;
}

Expected<bool> SyncStore::startRun(const QString &runId, const QString &job, qint64 at)
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("INSERT INTO runs(run_id, job, started_at, status) VALUES(?,?,?,'running')"));
    q.addBindValue(runId);
    q.addBindValue(job);
    q.addBindValue(at);
    if (!q.exec())
        return failure(QStringLiteral("record the run"), reasonOf(q.lastError()));
    return true;
}

Expected<bool> SyncStore::finishRun(const QString &runId, const QString &status, const QJsonObject &counts, qint64 at)
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("UPDATE runs SET finished_at=?, status=?, counts=? WHERE run_id=?"));
    q.addBindValue(at);
    q.addBindValue(status);
    q.addBindValue(QString::fromUtf8(QJsonDocument(counts).toJson(QJsonDocument::Compact)));
    q.addBindValue(runId);
    if (!q.exec())
        return failure(QStringLiteral("record the end of the run"), reasonOf(q.lastError()));
    return true;
}

Expected<QList<QJsonObject>> SyncStore::runs(const QString &job, int limit) const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("SELECT run_id, started_at, finished_at, status, counts FROM runs WHERE job=? ORDER BY "
                             "started_at DESC LIMIT ?"));
    q.addBindValue(job);
    q.addBindValue(limit);
    if (!q.exec())
        return failure(QStringLiteral("read the run history"), reasonOf(q.lastError()));
    QList<QJsonObject> out;
    while (q.next())
        out.append({{QStringLiteral("run_id"), q.value(0).toString()},
                    {QStringLiteral("started_at"), q.value(1).toLongLong()},
                    {QStringLiteral("finished_at"), q.value(2).toLongLong()},
                    {QStringLiteral("status"), q.value(3).toString()},
                    {QStringLiteral("counts"), QJsonDocument::fromJson(q.value(4).toByteArray()).object()}});
    return out;
}

} // namespace transom::store
