// SyncStore on a real SQLite file: migrations, group-committed ledger writes, dead letters with
// history, the webhook inbox with resend detection, checkpoints and runs.
#include "core/store/syncstore.h"

#include <QJsonDocument>
#include <QMutex>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace transom;
using namespace transom::store;

class TestSyncStore : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void migratesAndReopens();
    void migratesAVersionOneLedger();
    void newFileOpenedFromManyThreadsAtOnce();
    void ledgerGroupCommit();
    void deadLettersFilterEditAndHistory();
    void inboxKeepsEachEventOnce();
    void checkpointsAndRuns();
    void errorsNameTheFile();

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

QTEST_GUILESS_MAIN(TestSyncStore)
#include "tst_syncstore.moc"
