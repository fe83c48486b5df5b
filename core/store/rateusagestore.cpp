#include "core/store/rateusagestore.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <atomic>
#include <optional>

namespace transom::store {

namespace {

QString nextConnectionName()
{
    static std::atomic<quint64> counter{0};
    return QStringLiteral("transom-rate-usage-%1").arg(++counter);
}

QString reasonOf(const QSqlError &error)
{
    const QString text = error.text().trimmed();
    return text.isEmpty() ? QStringLiteral("unknown SQLite error") : text;
}

/// Opens the file and brings the schema and pragmas in place; the reason for the first failure otherwise.
std::optional<QString> prepare(QSqlDatabase &db)
{
    if (!db.isValid())
        return QStringLiteral("the Qt SQLite driver (QSQLITE) is not available");
    if (!db.open())
        return reasonOf(db.lastError());
    QSqlQuery query(db);
    if (!query.exec(QStringLiteral("PRAGMA journal_mode=WAL")))
        return reasonOf(query.lastError());
    if (!query.next() || query.value(0).toString().compare(QLatin1String("wal"), Qt::CaseInsensitive) != 0)
        return QStringLiteral("the database cannot use write-ahead logging (WAL)");
    if (!query.exec(QStringLiteral("PRAGMA synchronous=NORMAL")))
        return reasonOf(query.lastError());
    if (!query.exec(QStringLiteral("CREATE TABLE IF NOT EXISTS rate_usage(connection TEXT NOT NULL, "
                                   "window TEXT NOT NULL, window_start INTEGER NOT NULL, "
                                   "used INTEGER NOT NULL, PRIMARY KEY(connection, window))")))
        return reasonOf(query.lastError());
    return std::nullopt;
}

} // namespace

Expected<std::unique_ptr<RateUsageStore>> RateUsageStore::open(const QString &path)
{
    if (path.isEmpty())
        return Error{QStringLiteral("no path given for the rate usage database")};
    const QString name = nextConnectionName();
    std::optional<QString> problem;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
        problem = prepare(db);
        if (problem)
            db.close();
    }
    if (problem) {
        QSqlDatabase::removeDatabase(name);
        return Error{QStringLiteral("cannot open the rate usage database: %1").arg(*problem), path};
    }
    return std::unique_ptr<RateUsageStore>(new RateUsageStore(path, name));
}

RateUsageStore::RateUsageStore(QString path, QString connectionName)
    : m_path(std::move(path)), m_connectionName(std::move(connectionName))
{}

RateUsageStore::~RateUsageStore()
{
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}

Error RateUsageStore::failure(const QString &what, const QString &reason) const
{
    return Error{QStringLiteral("cannot %1: %2").arg(what, reason), m_path};
}

Expected<QList<RateUsage>> RateUsageStore::load(const QString &connection) const
{
    const QString what = QStringLiteral("load the rate usage of \"%1\"").arg(connection);
    if (connection.isEmpty())
        return failure(what, QStringLiteral("the connection key is empty"));
    QSqlQuery query(QSqlDatabase::database(m_connectionName, false));
    query.prepare(QStringLiteral("SELECT window, window_start, used FROM rate_usage WHERE connection = ? "
                                 "ORDER BY window"));
    query.addBindValue(connection);
    if (!query.exec())
        return failure(what, reasonOf(query.lastError()));
    QList<RateUsage> out;
    while (query.next())
        out.append({query.value(0).toString(), query.value(1).toLongLong(), query.value(2).toInt()});
    return out;
}

Expected<int> RateUsageStore::save(const QString &connection, const QString &window, qint64 windowStart, int used)
{
    return save(connection, QList<RateUsage>{{window, windowStart, used}});
}

Expected<int> RateUsageStore::save(const QString &connection, const QList<RateUsage> &usage)
{
    const QString what = QStringLiteral("save the rate usage of \"%1\"").arg(connection);
    if (connection.isEmpty())
        return failure(what, QStringLiteral("the connection key is empty"));
    for (const RateUsage &u : usage) {
        if (u.window.isEmpty() || u.used < 0)
            return failure(what, QStringLiteral("a window needs a name and a usage of 0 or more"));
    }
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    if (!db.transaction())
        return failure(what, reasonOf(db.lastError()));
    QSqlQuery query(db);
    query.prepare(QStringLiteral("INSERT OR REPLACE INTO rate_usage(connection, window, window_start, used) "
                                 "VALUES(?, ?, ?, ?)"));
    for (const RateUsage &u : usage) {
        query.bindValue(0, connection);
        query.bindValue(1, u.window);
        query.bindValue(2, u.windowStart);
        query.bindValue(3, u.used);
        if (!query.exec()) {
            const QString reason = reasonOf(query.lastError());
            db.rollback();
            return failure(what, reason);
        }
    }
    if (!db.commit()) {
        const QString reason = reasonOf(db.lastError());
        db.rollback();
        return failure(what, reason);
    }
    return int(usage.size());
}

} // namespace transom::store
