#include "core/store/rateusagestore.h"

#include <QDir>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace transom::store;

namespace {

/// The error text of a failed result, empty on success (QVERIFY2 evaluates its message either way).
template<class T> QString problem(const transom::Expected<T> &result)
{
    return result ? QString() : result.error().toString();
}

QString describe(const QList<RateUsage> &rows)
{
    QStringList parts;
    for (const RateUsage &r : rows)
        parts.append(QStringLiteral("%1@%2=%3").arg(r.window).arg(r.windowStart).arg(r.used));
    return parts.join(QLatin1Char(' '));
}

/// Runs one query on the file through a connection of the test's own; the first column of each row.
QStringList inspect(const QString &path, const QString &sql)
{
    QStringList out;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("inspect"));
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery query(db);
            query.exec(sql);
            while (query.next())
                out.append(query.value(0).toString());
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("inspect"));
    return out;
}

} // namespace

class TestRateUsageStore : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void savedUsageLoadsBackPerConnection();
    void saveReplacesTheWindowsRow();
    void rowsOutliveTheStoreAndAreSharedBetweenInstances();
    void fileUsesWalAndTheDocumentedTable();
    void openFails_data();
    void openFails();
    void badArgumentsAreErrors();
};

void TestRateUsageStore::savedUsageLoadsBackPerConnection()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto store = RateUsageStore::open(dir.filePath(QStringLiteral("usage.db")));
    QVERIFY2(store, qPrintable(problem(store)));
    const auto saved = (*store)->save(
        QStringLiteral("crm"), {{QStringLiteral("minute"), 60'000, 3}, {QStringLiteral("day"), 86'400'000, 950}});
    QVERIFY2(saved, qPrintable(problem(saved)));
    QCOMPARE(saved.value(), 2);
    QVERIFY((*store)->save(QStringLiteral("mls"), QStringLiteral("hour"), 3'600'000, 7000));

    const auto crm = (*store)->load(QStringLiteral("crm"));
    QVERIFY2(crm, qPrintable(problem(crm)));
    QCOMPARE(describe(crm.value()), QStringLiteral("day@86400000=950 minute@60000=3"));
    QCOMPARE(describe((*store)->load(QStringLiteral("mls")).value()), QStringLiteral("hour@3600000=7000"));
    QVERIFY((*store)->load(QStringLiteral("accounting")).value().isEmpty());
}

void TestRateUsageStore::saveReplacesTheWindowsRow()
{
    QTemporaryDir dir;
    auto store = RateUsageStore::open(dir.filePath(QStringLiteral("usage.db")));
    QVERIFY2(store, qPrintable(problem(store)));
    QVERIFY((*store)->save(QStringLiteral("crm"), QStringLiteral("day"), 86'400'000, 999));
    QVERIFY((*store)->save(QStringLiteral("crm"), QStringLiteral("day"), 2 * 86'400'000, 1));
    QCOMPARE(describe((*store)->load(QStringLiteral("crm")).value()), QStringLiteral("day@172800000=1"));
}

void TestRateUsageStore::rowsOutliveTheStoreAndAreSharedBetweenInstances()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("usage.db"));
    {
        auto first = RateUsageStore::open(path);
        QVERIFY2(first, qPrintable(problem(first)));
        QVERIFY((*first)->save(QStringLiteral("crm"), QStringLiteral("day"), 86'400'000, 41));
    }
    auto second = RateUsageStore::open(path);
    auto third = RateUsageStore::open(path); // its own QtSql connection on the same file
    QVERIFY2(second && third, "two stores over one file");
    QCOMPARE(describe((*second)->load(QStringLiteral("crm")).value()), QStringLiteral("day@86400000=41"));
    QVERIFY((*third)->save(QStringLiteral("crm"), QStringLiteral("day"), 86'400'000, 42));
    QCOMPARE(describe((*second)->load(QStringLiteral("crm")).value()), QStringLiteral("day@86400000=42"));
    QCOMPARE((*second)->path(), path);
}

void TestRateUsageStore::fileUsesWalAndTheDocumentedTable()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("usage.db"));
    auto store = RateUsageStore::open(path);
    QVERIFY2(store, qPrintable(problem(store)));
    QVERIFY((*store)->save(QStringLiteral("crm"), QStringLiteral("day"), 0, 1));
    QVERIFY(QFile::exists(path + QLatin1String("-wal")));
    QCOMPARE(inspect(path, QStringLiteral("PRAGMA journal_mode")), QStringList{QStringLiteral("wal")});
    QCOMPARE(inspect(path, QStringLiteral("SELECT name FROM pragma_table_info('rate_usage') ORDER BY cid")),
             (QStringList{QStringLiteral("connection"), QStringLiteral("window"), QStringLiteral("window_start"),
                          QStringLiteral("used")}));
    QCOMPARE(inspect(path, QStringLiteral("SELECT name FROM pragma_table_info('rate_usage') WHERE pk > 0 "
                                          "ORDER BY pk")),
             (QStringList{QStringLiteral("connection"), QStringLiteral("window")}));
}

void TestRateUsageStore::openFails_data()
{
    QTest::addColumn<QString>("relativePath"); // inside a fresh temporary directory
    QTest::addColumn<QByteArray>("content");   // written to relativePath first unless empty
    QTest::newRow("parent is a file: unwritable path") << QStringLiteral("notes.txt/usage.db") << QByteArray();
    QTest::newRow("missing directory") << QStringLiteral("no/such/dir/usage.db") << QByteArray();
    QTest::newRow("a directory") << QStringLiteral(".") << QByteArray();
    QTest::newRow("not a database") << QStringLiteral("usage.db") << QByteArray(4096, 'x');
}

void TestRateUsageStore::openFails()
{
    QFETCH(QString, relativePath);
    QFETCH(QByteArray, content);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile notes(dir.filePath(QStringLiteral("notes.txt")));
    QVERIFY(notes.open(QIODevice::WriteOnly) && notes.write("not a directory") > 0);
    notes.close();
    const QString path = QDir::cleanPath(dir.filePath(relativePath));
    if (!content.isEmpty()) {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly) && file.write(content) == content.size());
    }
    const auto store = RateUsageStore::open(path);
    QVERIFY(!store);
    QCOMPARE(store.error().file, path);
    QVERIFY2(store.error().message.startsWith(QLatin1String("cannot open the rate usage database: ")),
             qPrintable(problem(store)));
    QVERIFY2(store.error().message.size() > 40,
             qPrintable(problem(store))); // carries SQLite's reason
}

void TestRateUsageStore::badArgumentsAreErrors()
{
    QVERIFY(!RateUsageStore::open(QString()));
    QTemporaryDir dir;
    auto store = RateUsageStore::open(dir.filePath(QStringLiteral("usage.db")));
    QVERIFY2(store, qPrintable(problem(store)));
    const auto load = (*store)->load(QString());
    QVERIFY(!load);
    QVERIFY2(load.error().message.contains(QLatin1String("connection key is empty")), qPrintable(problem(load)));
    QVERIFY(!(*store)->save(QString(), QStringLiteral("day"), 0, 1));
    QVERIFY(!(*store)->save(QStringLiteral("crm"), QString(), 0, 1));
    QVERIFY(!(*store)->save(QStringLiteral("crm"), QStringLiteral("day"), 0, -1));
    // A bad row in a batch leaves nothing behind.
    QVERIFY(!(*store)->save(QStringLiteral("crm"), {{QStringLiteral("day"), 0, 1}, {QString(), 0, 1}}));
    QVERIFY((*store)->load(QStringLiteral("crm")).value().isEmpty());
}

QTEST_APPLESS_MAIN(TestRateUsageStore)
#include "tst_rateusagestore.moc"
