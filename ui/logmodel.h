#pragma once

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>
#include <QStringList>
#include <QTimer>

#include <deque>
#include <vector>

class QJsonObject;

namespace transom::ui {

/// The live log: a bounded ring of engine log lines. Lines arrive one by one at very high rates; they
/// are buffered and inserted in batches from a timer, so the view never relayouts per line.
class LogModel : public QAbstractTableModel {
    Q_OBJECT
public:
    /// A run_finished line's message in words: "completed in 2.3 s: 200 received, 190 created, …" (the
    /// log file keeps the counts as JSON).
    static QString runSummary(const QString &message);
    enum Column {
        TimeColumn,
        LevelColumn,
        JobColumn,
        RecordColumn,
        EventColumn,
        StatusColumn,
        MessageColumn,
        ColumnCount
    };
    enum Level : qint8 { Debug, Info, Warning, Error };
    enum Role { LevelRole = Qt::UserRole, JobRole, RecordRole, EventRole, MessageRole };

    /// One line, only the fields the view shows (job and event strings are shared between lines).
    struct Line {
        QString time; ///< ISO 8601, UTC, milliseconds
        QString job;
        QString record;
        QString event;
        QString message;
        int status = 0;
        Level level = Info;
    };

    explicit LogModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    const Line &line(int row) const { return m_lines[std::size_t(row)]; }
    int capacity() const { return m_capacity; }
    /// Lines beyond the capacity are dropped, oldest first.
    void setCapacity(int capacity);
    int batchIntervalMs() const { return m_timer.interval(); }
    void setBatchIntervalMs(int ms) { m_timer.setInterval(ms); }
    /// Lines received but not yet rows.
    int pendingCount() const { return int(m_pending.size()); }
    /// The jobs seen so far, in order of appearance.
    const QStringList &jobs() const { return m_jobs; }

    /// Buffers one line already taken apart (tests, replays).
    void appendLine(Line line);

    static Level levelFromName(QStringView name);
    static QString levelName(Level level);

public Q_SLOTS:
    /// Buffers one line as the engine writes it (EventLog::toJson); the timer turns buffers into rows.
    void append(const QString &job, const QJsonObject &line);
    /// Inserts the buffered lines now (the timer calls it).
    void flushPending();
    void clear();

Q_SIGNALS:
    void jobSeen(const QString &job);

private:
    QString shared(const QString &text);

    std::deque<Line> m_lines;
    std::vector<Line> m_pending;
    int m_capacity = 50000;
    QTimer m_timer;
    QStringList m_jobs;
    QStringList m_sharedStrings; ///< a few distinct job and event names: linear search beats hashing
};

/// Filters the live log by minimum level, job, record id (exact) and free text (message, record, event).
class LogFilterProxy : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit LogFilterProxy(QObject *parent = nullptr);

    LogModel::Level minimumLevel() const { return m_minimumLevel; }
    void setMinimumLevel(LogModel::Level level);
    const QString &job() const { return m_job; }
    void setJob(const QString &job); ///< empty: every job
    const QString &recordId() const { return m_recordId; }
    void setRecordId(const QString &recordId); ///< empty: every record
    const QString &text() const { return m_text; }
    void setText(const QString &text); ///< case-insensitive; empty: any

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    LogModel::Level m_minimumLevel = LogModel::Debug;
    QString m_job;
    QString m_recordId;
    QString m_text;
};

} // namespace transom::ui
