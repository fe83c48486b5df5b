// SyncStore on a real SQLite file: migrations, group-committed ledger writes, dead letters with
// history, the webhook inbox with resend detection, checkpoints and runs; one open letter per record and
// class, paging, a folder made for a new store, and a full store answering with SQLite's words.
#include "core/log/logging.h"
#include "core/log/redaction.h"
#include "core/store/syncstore.h"

#include <QFile>
#include <QJsonDocument>
#include <QMutex>
#include <QScopeGuard>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <sys/stat.h>

using namespace transom;
using namespace transom::store;

class TestSyncStore : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void migratesAndReopens();
    void migratesAVersionOneLedger();
    void newFileOpenedFromManyThreadsAtOnce();
    void ledgerGroupCommit();
    void ledgerKeepsTheDeliveredVersion();
    void deadLettersFilterEditAndHistory();
    void inboxKeepsEachEventOnce();
    void checkpointsAndRuns();
    void errorsNameTheFile();
    void openErrorsNameCauseAndFix_data();
    void openErrorsNameCauseAndFix();
    void makesTheFolderOfANewStore();
    void oneOpenLetterPerRecordAndClass();
    void deadLettersPageWithATrueTotal();
    void migrationClosesCopiesOfLetters();
    void aFullStoreSaysSo();
    void deadLettersHideSecrets();
    void storeFilesAreTheOwnersOnly();

private:
    QTemporaryDir m_dir;
};

void TestSyncStore::migratesAndReopens()
{
    const QString path = m_dir.filePath(QStringLiteral("m.db"));
    {
        auto store = SyncStore::open(path);
        QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().toString()));
        WriteBatch b;
        b.done(QStringLiteral("j"), QStringLiteral("1"), QStringLiteral("d1"), "h");
        QVERIFY(store.value()->commit(b).ok());
    }
    auto again = SyncStore::open(path); // no migration re-runs, data kept
    QVERIFY(again.ok());
    QCOMPARE(again.value()->ledgerCount(QStringLiteral("j"), LedgerEntry::State::Done).value(), 1);
    QVERIFY(QFile::exists(path + QStringLiteral("-wal")));
}

void TestSyncStore::migratesAVersionOneLedger()
{
    // A file written by a Transom that keyed the ledger (job, source_id): its rows are all there
    // after the migration, found, updated and counted as before.
    const QString path = m_dir.filePath(QStringLiteral("v1.db"));
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("v1"));
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral(
            "CREATE TABLE ledger(job TEXT NOT NULL, source_id TEXT NOT NULL, state INTEGER NOT NULL, destination_id "
            "TEXT, content_hash BLOB, updated_at INTEGER NOT NULL, PRIMARY KEY(job, source_id)) WITHOUT ROWID")));
        for (const char *table :
             {"CREATE TABLE dead_letters(id INTEGER PRIMARY KEY, job TEXT NOT NULL, source_id TEXT NOT NULL, run_id "
              "TEXT, source_record BLOB, mapped_record BLOB, mapping_revision INTEGER, error_class TEXT NOT NULL, "
              "http_status INTEGER, message TEXT, attempts INTEGER, first_failed_at INTEGER, last_failed_at INTEGER, "
              "status TEXT NOT NULL, note TEXT)",
              "CREATE TABLE dead_letter_actions(id INTEGER PRIMARY KEY, dead_letter_id INTEGER NOT NULL, action TEXT "
              "NOT NULL, detail TEXT, at INTEGER NOT NULL)",
              "CREATE TABLE inbox(id INTEGER PRIMARY KEY, job TEXT NOT NULL, event_id TEXT NOT NULL, body BLOB NOT "
              "NULL, received_at INTEGER NOT NULL, processed INTEGER NOT NULL DEFAULT 0, UNIQUE(job, event_id))",
              "CREATE TABLE checkpoints(job TEXT PRIMARY KEY, checkpoint TEXT NOT NULL, updated_at INTEGER NOT NULL)",
              "CREATE TABLE runs(run_id TEXT PRIMARY KEY, job TEXT NOT NULL, started_at INTEGER NOT NULL, finished_at "
              "INTEGER, status TEXT NOT NULL, counts TEXT)"})
            QVERIFY(q.exec(QString::fromLatin1(table)));
        QVERIFY(q.exec(QStringLiteral("INSERT INTO ledger VALUES('leads','ZL-1',2,'d1',x'0102',1),"
                                      "('leads','ZL-2',1,NULL,x'03',2),('other','ZL-1',2,'d9',x'04',3)")));
        QVERIFY(q.exec(QStringLiteral("PRAGMA user_version=1")));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("v1"));
    auto store = SyncStore::open(path);
    QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().toString()));
    const auto leads = store.value()->ledger(QStringLiteral("leads"), {QStringLiteral("ZL-1"), QStringLiteral("ZL-2")});
    QVERIFY(leads.ok());
    QCOMPARE(leads->size(), 2);
    QVERIFY(leads->value(QStringLiteral("ZL-1")).state == LedgerEntry::State::Done);
    QCOMPARE(leads->value(QStringLiteral("ZL-1")).destinationId, QStringLiteral("d1"));
    QCOMPARE(leads->value(QStringLiteral("ZL-1")).contentHash, QByteArray("\x01\x02", 2));
    QVERIFY(leads->value(QStringLiteral("ZL-2")).state == LedgerEntry::State::Intent);
    QCOMPARE(store.value()
                 ->ledger(QStringLiteral("other"), {QStringLiteral("ZL-1")})
                 ->value(QStringLiteral("ZL-1"))
                 .destinationId,
             QStringLiteral("d9"));
    WriteBatch b; // the intent settles onto its row, a new record gets one
    b.done(QStringLiteral("leads"), QStringLiteral("ZL-2"), QStringLiteral("d2"), "h2");
    b.intent(QStringLiteral("leads"), QStringLiteral("ZL-3"), "h3");
    QVERIFY(store.value()->commit(b).ok());
    QCOMPARE(store.value()->ledgerCount(QStringLiteral("leads"), LedgerEntry::State::Done).value(), 2);
    QCOMPARE(store.value()->ledgerCount(QStringLiteral("leads"), LedgerEntry::State::Intent).value(), 1);
    QCOMPARE(store.value()->ledgerCount(QStringLiteral("other"), LedgerEntry::State::Done).value(), 1);
}

void TestSyncStore::newFileOpenedFromManyThreadsAtOnce()
{
    // The studio's dead-letter browser and a starting job open a brand-new file at the same moment:
    // exactly one of them migrates, every one of them gets a working store.
    for (int round = 0; round < 5; ++round) {
        const QString path = m_dir.filePath(QStringLiteral("race-%1.db").arg(round));
        std::atomic<int> failures{0};
        QStringList errors;
        QMutex mutex;
        QList<QThread *> threads;
        for (int t = 0; t < 6; ++t)
            threads.append(QThread::create([&, t] {
                auto store = SyncStore::open(path);
                WriteBatch b;
                b.done(QStringLiteral("j"), QString::number(t), QStringLiteral("d"), "h");
                if (!store || !store.value()->commit(b)) {
                    ++failures;
                    QMutexLocker lock(&mutex);
                    errors.append(store ? QStringLiteral("commit failed") : store.error().toString());
                }
            }));
        for (QThread *t : threads)
            t->start();
        for (QThread *t : threads) {
            t->wait();
            delete t;
        }
        QVERIFY2(failures == 0, qPrintable(errors.join(QLatin1Char('\n'))));
        auto store = SyncStore::open(path);
        QCOMPARE(store.value()->ledgerCount(QStringLiteral("j"), LedgerEntry::State::Done).value(), 6);
    }
}

void TestSyncStore::ledgerGroupCommit()
{
    auto store = SyncStore::open(m_dir.filePath(QStringLiteral("l.db")));
    QVERIFY(store.ok());
    // Read before anything was written: nothing there, and no error.
    const auto none = store.value()->ledger(QStringLiteral("leads"), {QStringLiteral("ZL-0")});
    QVERIFY(none.ok());
    QVERIFY(none->isEmpty());
    WriteBatch intents;
    for (int i = 0; i < 100; ++i)
        intents.intent(QStringLiteral("leads"), QStringLiteral("ZL-%1").arg(i), "hash");
    QCOMPARE(intents.size(), 100);
    QVERIFY(store.value()->commit(intents).ok());
    QCOMPARE(store.value()->ledgerCount(QStringLiteral("leads"), LedgerEntry::State::Intent).value(), 100);
    WriteBatch outcomes;
    for (int i = 0; i < 60; ++i)
        outcomes.done(QStringLiteral("leads"), QStringLiteral("ZL-%1").arg(i), QString::number(5000 + i), "hash");
    outcomes.forget(QStringLiteral("leads"), QStringLiteral("ZL-99"));
    outcomes.forget(QStringLiteral("leads"), QStringLiteral("ZL-0")); // done records are never forgotten
    QVERIFY(store.value()->commit(outcomes).ok());
    const auto entries =
        store.value()->ledger(QStringLiteral("leads"), {QStringLiteral("ZL-0"), QStringLiteral("ZL-70"),
                                                        QStringLiteral("ZL-99"), QStringLiteral("nope")});
    QVERIFY(entries.ok());
    QCOMPARE(entries->size(), 2);
    QVERIFY(entries->value(QStringLiteral("ZL-0")).state == LedgerEntry::State::Done);
    QCOMPARE(entries->value(QStringLiteral("ZL-0")).destinationId, QStringLiteral("5000"));
    QVERIFY(entries->value(QStringLiteral("ZL-70")).state == LedgerEntry::State::Intent);
    QVERIFY(entries->value(QStringLiteral("ZL-70")).destinationId.isEmpty());
    QCOMPARE(entries->value(QStringLiteral("ZL-70")).contentHash, QByteArray("hash"));
    QVERIFY(!entries->contains(QStringLiteral("ZL-99")));
    // A new intent over a done record keeps the destination id (an update in flight).
    WriteBatch update;
    update.intent(QStringLiteral("leads"), QStringLiteral("ZL-1"), "new-hash");
    QVERIFY(store.value()->commit(update).ok());
    const LedgerEntry one =
        store.value()->ledger(QStringLiteral("leads"), {QStringLiteral("ZL-1")}).value().value(QStringLiteral("ZL-1"));
    QVERIFY(one.state == LedgerEntry::State::Intent);
    QCOMPARE(one.destinationId, QStringLiteral("5001"));
    QCOMPARE(one.contentHash, QByteArray("new-hash"));
}

void TestSyncStore::ledgerKeepsTheDeliveredVersion()
{
    auto store = SyncStore::open(m_dir.filePath(QStringLiteral("versions.db")));
    QVERIFY(store.ok());
    const QString job = QStringLiteral("leads");
    const auto entry = [&](const QString &id) { return store.value()->ledger(job, {id}).value().value(id); };
    WriteBatch first;
    first.intent(job, QStringLiteral("ZL-1"), "h1");
    first.done(job, QStringLiteral("ZL-1"), QStringLiteral("d1"), "h1", 1700000000000);
    first.done(job, QStringLiteral("ZL-2"), QStringLiteral("d2"), "h2"); // no intent first, no version
    QVERIFY(store.value()->commit(first).ok());
    QCOMPARE(entry(QStringLiteral("ZL-1")).version, 1700000000000);
    QCOMPARE(entry(QStringLiteral("ZL-2")).version, 0);
    // An intent keeps the version delivered; an outcome without a version keeps it as well.
    WriteBatch second;
    second.intent(job, QStringLiteral("ZL-1"), "h1b");
    QVERIFY(store.value()->commit(second).ok());
    QCOMPARE(entry(QStringLiteral("ZL-1")).version, 1700000000000);
    WriteBatch third;
    third.done(job, QStringLiteral("ZL-1"), QStringLiteral("d1"), {});
    third.done(job, QStringLiteral("ZL-2"), QStringLiteral("d2"), "h2b", 1700000005000);
    QVERIFY(store.value()->commit(third).ok());
    QCOMPARE(entry(QStringLiteral("ZL-1")).version, 1700000000000);
    QCOMPARE(entry(QStringLiteral("ZL-2")).version, 1700000005000);
    WriteBatch fourth;
    fourth.done(job, QStringLiteral("ZL-1"), QStringLiteral("d1"), "h1c", 1700000009000);
    QVERIFY(store.value()->commit(fourth).ok());
    QCOMPARE(entry(QStringLiteral("ZL-1")).version, 1700000009000);
}

void TestSyncStore::deadLettersFilterEditAndHistory()
{
    auto store = SyncStore::open(m_dir.filePath(QStringLiteral("d.db")));
    QVERIFY(store.ok());
    WriteBatch b;
    DeadLetter stage;
    stage.job = QStringLiteral("leads");
    stage.sourceId = QStringLiteral("ZL-100005");
    stage.sourceRecord = R"({"email": "james.smith5@example.com"})";
    stage.mappedRecord = R"({"person": {"stage": "Hot Prospect"}})";
    stage.errorClass = QStringLiteral("permanent");
    stage.httpStatus = 422;
    stage.message = QStringLiteral("stage: Stage 'Hot Prospect' does not exist");
    stage.attempts = 1;
    b.deadLetter(stage);
    DeadLetter phone = stage;
    phone.sourceId = QStringLiteral("ZL-100003");
    phone.errorClass = QStringLiteral("field");
    phone.httpStatus = 0;
    phone.message = QStringLiteral("person.phones[0].value: not a valid phone number");
    b.deadLetter(phone);
    QVERIFY(store.value()->commit(b).ok());
    DeadLetterFilter all;
    QCOMPARE(store.value()->deadLetters(all).value().size(), 2);
    DeadLetterFilter byClass;
    byClass.errorClass = QStringLiteral("permanent");
    QCOMPARE(store.value()->deadLetters(byClass).value().size(), 1);
    DeadLetterFilter byEmail;
    byEmail.text = QStringLiteral("james.smith5@");
    const QList<DeadLetter> found = store.value()->deadLetters(byEmail).value();
    QCOMPARE(found.size(), 2);
    const qint64 id = found.first().id;
    QVERIFY(store.value()
                ->updateDeadLetter(id, QStringLiteral("open"), QStringLiteral("edit"), QStringLiteral("stage fixed"),
                                   R"({"person": {"stage": "Lead"}})")
                .ok());
    QVERIFY(
        store.value()
            ->updateDeadLetter(id, QStringLiteral("discarded"), QStringLiteral("discard"), QStringLiteral("test lead"))
            .ok());
    const DeadLetter after = store.value()->deadLetter(id).value();
    QCOMPARE(after.status, QStringLiteral("discarded"));
    QCOMPARE(after.mappedRecord, QByteArray(R"({"person": {"stage": "Lead"}})"));
    const QList<QJsonObject> history = store.value()->deadLetterActions(id).value();
    QCOMPARE(history.size(), 2);
    QCOMPARE(history.at(1).value(QStringLiteral("detail")).toString(), QStringLiteral("test lead"));
    QCOMPARE(store.value()->deadLetters(all).value().size(), 1); // the default filter shows open ones
    QVERIFY(!store.value()->updateDeadLetter(424242, QStringLiteral("open"), QStringLiteral("x"), {}).ok());
    QVERIFY(after.toJson().value(QStringLiteral("source_record")).toObject().contains(QStringLiteral("email")));
}

void TestSyncStore::inboxKeepsEachEventOnce()
{
    auto store = SyncStore::open(m_dir.filePath(QStringLiteral("i.db")));
    QVERIFY(store.ok());
    const QList<bool> first = store.value()
                                  ->inboxAdd({{0, QStringLiteral("leads"), QStringLiteral("evt-1"), "{}", 0},
                                              {0, QStringLiteral("leads"), QStringLiteral("evt-2"), "{}", 0}})
                                  .value();
    QCOMPARE(first, (QList<bool>{true, true}));
    const QList<bool> resend = store.value()
                                   ->inboxAdd({{0, QStringLiteral("leads"), QStringLiteral("evt-2"), "{}", 0},
                                               {0, QStringLiteral("other"), QStringLiteral("evt-2"), "{}", 0}})
                                   .value();
    QCOMPARE(resend, (QList<bool>{false, true}));
    QList<InboxEvent> pending = store.value()->inboxPending(QStringLiteral("leads"), 10).value();
    QCOMPARE(pending.size(), 2);
    WriteBatch b;
    b.inboxProcessed(pending.first().id);
    QVERIFY(store.value()->commit(b).ok());
    pending = store.value()->inboxPending(QStringLiteral("leads"), 10).value();
    QCOMPARE(pending.size(), 1);
    QCOMPARE(pending.first().eventId, QStringLiteral("evt-2"));
}

void TestSyncStore::checkpointsAndRuns()
{
    auto store = SyncStore::open(m_dir.filePath(QStringLiteral("c.db")));
    QVERIFY(store.ok());
    QVERIFY(store.value()->checkpoint(QStringLiteral("leads")).value().isEmpty());
    WriteBatch b;
    b.checkpoint(QStringLiteral("leads"), {{QStringLiteral("watermark"), QStringLiteral("2026-11-20T14:05:00Z")}});
    QVERIFY(store.value()->commit(b).ok());
    QCOMPARE(store.value()->checkpoint(QStringLiteral("leads")).value().value(QStringLiteral("watermark")).toString(),
             QStringLiteral("2026-11-20T14:05:00Z"));
    QVERIFY(store.value()->startRun(QStringLiteral("r1"), QStringLiteral("leads"), 1000).ok());
    QVERIFY(store.value()
                ->finishRun(QStringLiteral("r1"), QStringLiteral("completed"), {{QStringLiteral("created"), 12}}, 2000)
                .ok());
    const QList<QJsonObject> runs = store.value()->runs(QStringLiteral("leads"), 5).value();
    QCOMPARE(runs.size(), 1);
    QCOMPARE(runs.first().value(QStringLiteral("counts")).toObject().value(QStringLiteral("created")).toInt(), 12);
}

void TestSyncStore::errorsNameTheFile()
{
    auto store = SyncStore::open(m_dir.path()); // a directory, not a file
    QVERIFY(!store.ok());
    QCOMPARE(store.error().file, m_dir.path());
    QVERIFY(store.error().message.startsWith(QStringLiteral("cannot open the sync database")));
    // A file from a newer Transom is refused, not silently downgraded.
    const QString newer = m_dir.filePath(QStringLiteral("newer.db"));
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("newer"));
        db.setDatabaseName(newer);
        QVERIFY(db.open());
        QSqlQuery(db).exec(QStringLiteral("PRAGMA user_version=99"));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("newer"));
    auto refused = SyncStore::open(newer);
    QVERIFY(!refused.ok());
    QVERIFY(refused.error().message.contains(QStringLiteral("newer Transom")));
}

// Issue 21: "cannot open the sync database: unable to open database file" named neither the folder at
// fault nor the fix.
void TestSyncStore::openErrorsNameCauseAndFix_data()
{
    QTest::addColumn<QString>("path"); // "DIR" stands for the test's folder
    QTest::addColumn<QStringList>("parts");
    const QString fix = QStringLiteral("change \"store\" in the project file");
    QTest::newRow("a folder that cannot be made")
        << QStringLiteral("/proc/transom-no-such-folder/sub/transom.db")
        << QStringList{QStringLiteral("the folder /proc/transom-no-such-folder "
                                      "does not exist and could not be created"),
                       QStringLiteral("create it, or ") + fix};
    QTest::newRow("a file where a folder should be")
        << QStringLiteral("DIR/blocker/sub/transom.db")
        << QStringList{QStringLiteral("DIR/blocker is a file, not a folder"),
                       QStringLiteral("the folder DIR/blocker/sub cannot be created"), fix};
    QTest::newRow("a folder where the file should be")
        << QStringLiteral("DIR") << QStringList{QStringLiteral("it is a folder, not a database file"), fix};
}

void TestSyncStore::openErrorsNameCauseAndFix()
{
    QFETCH(QString, path);
    QFETCH(QStringList, parts);
    QFile blocker(m_dir.filePath(QStringLiteral("blocker")));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    path.replace(QStringLiteral("DIR"), m_dir.path());
    auto store = SyncStore::open(path);
    QVERIFY(!store.ok());
    const QString message = store.error().message;
    QVERIFY2(message.startsWith(QStringLiteral("cannot open the sync database ") + path), qPrintable(message));
    for (QString part : std::as_const(parts))
        QVERIFY2(message.contains(part.replace(QStringLiteral("DIR"), m_dir.path())), qPrintable(message));
    QVERIFY2(!message.contains(QLatin1String("unable to open database file")), qPrintable(message));
}

void TestSyncStore::makesTheFolderOfANewStore()
{
    const QString path = m_dir.filePath(QStringLiteral("not/yet/there/transom.db"));
    auto store = SyncStore::open(path);
    QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().toString()));
    QVERIFY(QFile::exists(path));
    // A folder that cannot be made (a file stands where it would go) is named in the error.
    QFile blocker(m_dir.filePath(QStringLiteral("a-file")));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    auto refused = SyncStore::open(m_dir.filePath(QStringLiteral("a-file/sub/transom.db")));
    QVERIFY(!refused.ok());
    QVERIFY2(refused.error().message.contains(QStringLiteral("cannot create the folder")),
             qPrintable(refused.error().message));
}

void TestSyncStore::storeFilesAreTheOwnersOnly()
{
    // Contact details and delivery history: 0600 files in 0700 folders, whatever the umask.
    const mode_t umaskBefore = ::umask(022);
    auto restore = qScopeGuard([umaskBefore] { ::umask(umaskBefore); });
    auto mode = [](const QString &path) {
        struct stat st {};
        return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? int(st.st_mode & 0777) : -1;
    };
    const QString path = m_dir.filePath(QStringLiteral("private/store/transom.db"));
    {
        auto store = SyncStore::open(path);
        QVERIFY(store.ok());
        WriteBatch b;
        b.intent(QStringLiteral("leads"), QStringLiteral("ZL-1"), "h");
        QVERIFY(store.value()->commit(b).ok());
        QCOMPARE(mode(path), 0600);
        QCOMPARE(mode(path + QStringLiteral("-wal")), 0600);
        QCOMPARE(mode(m_dir.filePath(QStringLiteral("private/store"))), 0700);
        QCOMPARE(mode(m_dir.filePath(QStringLiteral("private"))), 0700);
    }
    // A store an earlier version left readable by everyone is made private when opened.
    QVERIFY(QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther));
    QCOMPARE(mode(path), 0644);
    QVERIFY(SyncStore::open(path).ok());
    QCOMPARE(mode(path), 0600);
}

namespace {

DeadLetter fieldLetter(const QString &sourceId, const QString &message)
{
    DeadLetter d;
    d.job = QStringLiteral("leads");
    d.sourceId = sourceId;
    d.runId = QStringLiteral("run-1");
    d.sourceRecord = R"({"lead_id": "x"})";
    d.errorClass = deadLetterClassName(DeadLetterClass::Field);
    d.message = message;
    d.attempts = 1;
    return d;
}

} // namespace

void TestSyncStore::oneOpenLetterPerRecordAndClass()
{
    auto store = SyncStore::open(m_dir.filePath(QStringLiteral("once.db")));
    QVERIFY(store.ok());
    // An interrupted run restarted three times meets the same bad phone three times.
    for (int run = 1; run <= 3; ++run) {
        WriteBatch b;
        DeadLetter d = fieldLetter(QStringLiteral("ZL-7"), QStringLiteral("phone: not valid (run %1)").arg(run));
        d.runId = QStringLiteral("run-%1").arg(run);
        b.deadLetter(d);
        QVERIFY(store.value()->commit(b).ok());
    }
    QList<DeadLetter> open = store.value()->deadLetters({}).value();
    QCOMPARE(open.size(), 1);
    QCOMPARE(open.first().attempts, 3);
    QCOMPARE(open.first().message, QStringLiteral("phone: not valid (run 3)"));
    QCOMPARE(open.first().runId, QStringLiteral("run-3"));
    // Another cause is another letter; a closed letter does not stand in the way of a new one.
    WriteBatch other;
    DeadLetter refused = fieldLetter(QStringLiteral("ZL-7"), QStringLiteral("422"));
    refused.errorClass = deadLetterClassName(DeadLetterClass::Permanent);
    other.deadLetter(refused);
    QVERIFY(store.value()->commit(other).ok());
    QCOMPARE(store.value()->deadLetters({}).value().size(), 2);
    QVERIFY(store.value()
                ->updateDeadLetter(open.first().id, QStringLiteral("discarded"), QStringLiteral("discard"),
                                   QStringLiteral("test lead"))
                .ok());
    WriteBatch again;
    again.deadLetter(fieldLetter(QStringLiteral("ZL-7"), QStringLiteral("phone: still not valid")));
    QVERIFY(store.value()->commit(again).ok());
    open = store.value()->deadLetters({}).value();
    QCOMPARE(open.size(), 2);
    QVERIFY(open.last().id != open.first().id);
    // A retried letter that fails again while a run opened a copy: one open letter stays, with its history.
    const qint64 retried = open.last().id;
    QVERIFY(store.value()
                ->updateDeadLetter(retried, QStringLiteral("retrying"), QStringLiteral("retry"), QStringLiteral("x"))
                .ok());
    WriteBatch copy;
    copy.deadLetter(fieldLetter(QStringLiteral("ZL-7"), QStringLiteral("from a run meanwhile")));
    QVERIFY(store.value()->commit(copy).ok());
    QVERIFY(store.value()
                ->deadLetterFailedAgain(retried, fieldLetter(QStringLiteral("ZL-7"), QStringLiteral("again")))
                .ok());
    DeadLetterFilter fields;
    fields.errorClass = deadLetterClassName(DeadLetterClass::Field);
    open = store.value()->deadLetters(fields).value();
    QCOMPARE(open.size(), 1);
    QCOMPARE(open.first().id, retried);
    QCOMPARE(open.first().message, QStringLiteral("again"));
}

void TestSyncStore::deadLettersPageWithATrueTotal()
{
    auto store = SyncStore::open(m_dir.filePath(QStringLiteral("pages.db")));
    QVERIFY(store.ok());
    WriteBatch b;
    for (int i = 0; i < 1234; ++i)
        b.deadLetter(fieldLetter(QStringLiteral("ZL-%1").arg(i), QStringLiteral("bad")));
    QVERIFY(store.value()->commit(b).ok());
    DeadLetterFilter f;
    QCOMPARE(store.value()->deadLetterCount(f).value(), 1234);
    f.limit = 100;
    f.offset = 1200;
    const QList<DeadLetter> last = store.value()->deadLetters(f).value();
    QCOMPARE(last.size(), 34);
    QCOMPARE(last.first().sourceId, QStringLiteral("ZL-1200"));
    QCOMPARE(store.value()->deadLetterCount(f).value(), 1234); // the total ignores the page
    f.text = QStringLiteral("ZL-12");
    QCOMPARE(store.value()->deadLetterCount(f).value(), 1 + 10 + 34); // ZL-12, ZL-120..129, ZL-1200..1233
}

void TestSyncStore::migrationClosesCopiesOfLetters()
{
    // A file from before one-open-letter: three copies of one letter, as restarts left them.
    const QString path = m_dir.filePath(QStringLiteral("copies.db"));
    QVERIFY(SyncStore::open(path).ok());
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("copies"));
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery q(db);
        // Back to a version-two file: without migration 3's index and migrations 4's and 5's columns.
        QVERIFY(q.exec(QStringLiteral("DROP INDEX dead_letters_open")));
        QVERIFY(q.exec(QStringLiteral("ALTER TABLE inbox DROP COLUMN signed_at")));
        QVERIFY(q.exec(QStringLiteral("ALTER TABLE ledger DROP COLUMN version")));
        for (int i = 0; i < 3; ++i)
            QVERIFY(q.exec(
                QStringLiteral("INSERT INTO dead_letters(job, source_id, error_class, message, attempts, status) "
                               "VALUES('leads', 'ZL-1', 'field', 'copy %1', 1, 'open')")
                    .arg(i)));
        QVERIFY(
            q.exec(QStringLiteral("INSERT INTO dead_letters(job, source_id, error_class, message, attempts, status) "
                                  "VALUES('leads', 'ZL-2', 'field', 'alone', 1, 'open')")));
        QVERIFY(q.exec(QStringLiteral("PRAGMA user_version=2")));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("copies"));
    auto store = SyncStore::open(path);
    QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().toString()));
    const QList<DeadLetter> open = store.value()->deadLetters({}).value();
    QCOMPARE(open.size(), 2);
    QCOMPARE(open.first().message, QStringLiteral("copy 2")); // the newest stays open
    DeadLetterFilter closed;
    closed.status = QStringLiteral("discarded");
    const QList<DeadLetter> copies = store.value()->deadLetters(closed).value();
    QCOMPARE(copies.size(), 2);
    QCOMPARE(copies.first().note, QStringLiteral("a copy of dead letter %1").arg(open.first().id));
    WriteBatch b; // and from now on a copy updates the open letter
    b.deadLetter(fieldLetter(QStringLiteral("ZL-1"), QStringLiteral("copy 3")));
    QVERIFY(store.value()->commit(b).ok());
    QCOMPARE(store.value()->deadLetters({}).value().size(), 2);
}

void TestSyncStore::aFullStoreSaysSo()
{
    const QString path = m_dir.filePath(QStringLiteral("full.db"));
    QVERIFY(SyncStore::open(path).ok());
    qputenv("TRANSOM_STORE_MAX_PAGES", "40");
    auto store = SyncStore::open(path);
    qunsetenv("TRANSOM_STORE_MAX_PAGES");
    QVERIFY(store.ok());
    WriteBatch b;
    const QByteArray big(2000, 'x');
    for (int i = 0; i < 200; ++i) {
        DeadLetter d = fieldLetter(QStringLiteral("ZL-%1").arg(i), QStringLiteral("bad"));
        d.sourceRecord = big;
        b.deadLetter(d);
    }
    const auto committed = store.value()->commit(b);
    QVERIFY(!committed.ok());
    QVERIFY2(committed.error().message.contains(QStringLiteral("database or disk is full")),
             qPrintable(committed.error().message));
    QCOMPARE(committed.error().file, path);
    QCOMPARE(store.value()->deadLetterCount({}).value(), 0); // all or nothing
    WriteBatch small;                                        // the store still works for what fits
    small.deadLetter(fieldLetter(QStringLiteral("ZL-x"), QStringLiteral("bad")));
    QVERIFY(store.value()->commit(small).ok());
}

void TestSyncStore::deadLettersHideSecrets()
{
    // A vendor's error often echoes what it was sent: a letter's message, its history and what a
    // reader gets back never hold a token or a key.
    log::redactor().addSecret(QStringLiteral("sk_live_dead-letter-key-42"));
    auto store = SyncStore::open(m_dir.filePath(QStringLiteral("secrets.db")));
    QVERIFY(store.ok());
    WriteBatch b;
    DeadLetter letter;
    letter.job = QStringLiteral("leads");
    letter.sourceId = QStringLiteral("ZL-1");
    letter.sourceRecord = R"({"lead_id": "ZL-1"})";
    letter.errorClass = QStringLiteral("permanent");
    letter.httpStatus = 400;
    letter.message =
        QStringLiteral(R"(HTTP 400: {"error": "bad key sk_live_dead-letter-key-42", "access_token": "at-9f8e7d6c5b"})");
    b.deadLetter(letter);
    QVERIFY(store.value()->commit(b).ok());
    const QList<DeadLetter> letters = store.value()->deadLetters({}).value();
    QCOMPARE(letters.size(), 1);
    QVERIFY2(!letters.first().message.contains(QLatin1String("sk_live_dead-letter-key-42")),
             qPrintable(letters.first().message));
    QVERIFY(!letters.first().message.contains(QLatin1String("at-9f8e7d6c5b")));
    QVERIFY(letters.first().message.contains(QLatin1String("bad key ***")));
    DeadLetter again = letter;
    again.message = QStringLiteral("Authorization: Bearer sk_live_dead-letter-key-42 refused");
    QVERIFY(store.value()->deadLetterFailedAgain(letters.first().id, again).ok());
    for (const QJsonObject &action : store.value()->deadLetterActions(letters.first().id).value())
        QVERIFY(!QJsonDocument(action).toJson().contains("sk_live_dead-letter-key-42"));
    QVERIFY(!store.value()
                 ->deadLetter(letters.first().id)
                 .value()
                 .message.contains(QLatin1String("sk_live_dead-letter-key-42")));
    // What is on disk too: the file holds no trace of it.
    store.value().reset();
    QFile file(m_dir.filePath(QStringLiteral("secrets.db")));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(!file.readAll().contains("sk_live_dead-letter-key-42"));
}

QTEST_GUILESS_MAIN(TestSyncStore)
#include "tst_syncstore.moc"
