#pragma once

#include "core/common/expected.h"

#include <QList>
#include <QString>

#include <memory>

namespace transom::store {

/// How many calls one connection has made in one fixed rate window that started at `windowStart`.
struct RateUsage {
    QString window;         ///< the window's name, e.g. "day"
    qint64 windowStart = 0; ///< epoch milliseconds, UTC-aligned start of the window
    int used = 0;
};

/// Keeps per-connection rate-window usage in a SQLite file (WAL, synchronous=NORMAL) so that a restart
/// does not hand a connection a fresh daily budget. Table `rate_usage(connection, window, window_start,
/// used)`, one row per connection and window. Each instance owns its own QtSql connection, which must be
/// used from the thread that opened it.
class RateUsageStore {
public:
    /// Opens (creating when missing) the database at `path`; fails with the path and SQLite's reason.
    static Expected<std::unique_ptr<RateUsageStore>> open(const QString &path);
    ~RateUsageStore();
    RateUsageStore(const RateUsageStore &) = delete;
    RateUsageStore &operator=(const RateUsageStore &) = delete;

    /// Every stored window of `connection`, sorted by window name; it is up to the caller to ignore
    /// windows that are no longer current.
    Expected<QList<RateUsage>> load(const QString &connection) const;
    /// Stores (replacing) the usage of one window; returns the number of rows written.
    Expected<int> save(const QString &connection, const QString &window, qint64 windowStart, int used);
    /// Stores several windows in one transaction; all or nothing.
    Expected<int> save(const QString &connection, const QList<RateUsage> &usage);

    const QString &path() const { return m_path; }

private:
    RateUsageStore(QString path, QString connectionName);
    Error failure(const QString &what, const QString &reason) const;

    QString m_path;
    QString m_connectionName; ///< QtSql connection name, unique per instance
};

} // namespace transom::store
