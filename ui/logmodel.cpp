#include "ui/logmodel.h"

#include <QJsonDocument>

#include <QRegularExpression>

#include <QBrush>
#include <QColor>
#include <QGuiApplication>
#include <QJsonObject>
#include <QPalette>

namespace transom::ui {

namespace {

// Readable on both light and dark palettes: pick the variant by the window's lightness.
QColor levelColour(LogModel::Level level)
{
    const bool dark = QGuiApplication::palette().color(QPalette::Base).lightness() < 128;
    if (level == LogModel::Error)
        return dark ? QColor(0xff, 0x6b, 0x6b) : QColor(0xc6, 0x28, 0x28);
    return dark ? QColor(0xff, 0xc1, 0x4d) : QColor(0xa8, 0x5a, 0x00);
}

} // namespace

LogModel::LogModel(QObject *parent) : QAbstractTableModel(parent)
{
    m_timer.setInterval(100);
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &LogModel::flushPending);
}

int LogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_lines.size());
}

int LogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Line &l = line(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return l.time.size() > 11 ? l.time.mid(11, 12) : l.time; // the day is in the tooltip
        case LevelColumn:
            return levelName(l.level);
        case JobColumn:
            return l.job;
        case RecordColumn:
            return l.record;
        case EventColumn:
            return l.event;
        case StatusColumn:
            return l.status ? QVariant(l.status) : QVariant();
        case MessageColumn:
            return l.message;
        }
        return {};
    case Qt::ToolTipRole:
        return index.column() == TimeColumn ? l.time : index.column() == MessageColumn ? l.message : QVariant();
    case Qt::ForegroundRole:
        return l.level >= Warning ? QVariant(QBrush(levelColour(l.level))) : QVariant();
    case Qt::TextAlignmentRole:
        return index.column() == StatusColumn ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter)) : QVariant();
    case LevelRole:
        return int(l.level);
    case JobRole:
        return l.job;
    case RecordRole:
        return l.record;
    case EventRole:
        return l.event;
    case MessageRole:
        return l.message;
    }
    return {};
}

QVariant LogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case LevelColumn:
        return tr("Level");
    case JobColumn:
        return tr("Job");
    case RecordColumn:
        return tr("Record");
    case EventColumn:
        return tr("Event");
    case StatusColumn:
        return tr("Status");
    case MessageColumn:
        return tr("Message");
    }
    return {};
}

void LogModel::setCapacity(int capacity)
{
    m_capacity = std::max(1, capacity);
    const int excess = rowCount() - m_capacity;
    if (excess > 0) {
        beginRemoveRows({}, 0, excess - 1);
        m_lines.erase(m_lines.begin(), m_lines.begin() + excess);
        endRemoveRows();
    }
    if (int(m_pending.size()) > m_capacity)
        m_pending.erase(m_pending.begin(), m_pending.end() - m_capacity);
}

LogModel::Level LogModel::levelFromName(QStringView name)
{
    if (name == QLatin1String("info"))
        return Info;
    if (name.startsWith(QLatin1String("warn")))
        return Warning;
    if (name.startsWith(QLatin1String("err")) || name == QLatin1String("critical"))
        return Error;
    if (name == QLatin1String("debug") || name == QLatin1String("trace"))
        return Debug;
    return Info;
}

QString LogModel::levelName(Level level)
{
    switch (level) {
    case Debug:
        return tr("debug");
    case Info:
        return tr("info");
    case Warning:
        return tr("warning");
    case Error:
        return tr("error");
    }
    return {};
}

QString LogModel::shared(const QString &text)
{
    for (const QString &s : std::as_const(m_sharedStrings))
        if (s == text)
            return s;
    if (m_sharedStrings.size() < 64)
        m_sharedStrings.append(text);
    return text;
}

void LogModel::append(const QString &job, const QJsonObject &json)
{
    Line l;
    l.time = json.value(QLatin1String("ts")).toString();
    l.level = levelFromName(json.value(QLatin1String("level")).toString());
    const QString lineJob = json.value(QLatin1String("job")).toString();
    l.job = lineJob.isEmpty() ? job : lineJob;
    l.record = json.value(QLatin1String("record")).toString();
    l.event = json.value(QLatin1String("event")).toString();
    l.status = json.value(QLatin1String("status")).toInt();
    l.message = json.value(QLatin1String("message")).toString();
    if (l.event == QLatin1String("run_finished"))
        l.message = runSummary(l.message);
    appendLine(std::move(l));
}

QString LogModel::runSummary(const QString &message)
{
    // "completed in 1234 ms: {counts as JSON}" in the file (for grep and jq); words on screen.
    static const QRegularExpression shape(QStringLiteral("^(\\w+) in (\\d+) ms: (\\{.*\\})$"));
    const QRegularExpressionMatch m = shape.match(message);
    if (!m.hasMatch())
        return message;
    const QJsonObject c = QJsonDocument::fromJson(m.captured(3).toUtf8()).object();
    const double seconds = m.captured(2).toDouble() / 1000.0;
    auto n = [&c](const char *key) { return c.value(QLatin1String(key)).toInteger(); };
    return tr("%1 in %2 s: %3 received, %4 created, %5 updated, %6 unchanged, %7 to dead letters")
        .arg(m.captured(1))
        .arg(seconds, 0, 'f', seconds < 10 ? 1 : 0)
        .arg(n("received"))
        .arg(n("created"))
        .arg(n("updated"))
        .arg(n("skipped"))
        .arg(n("dead_lettered"));
}

void LogModel::appendLine(Line line)
{
    line.job = shared(line.job);
    line.event = shared(line.event);
    if (!line.job.isEmpty() && !m_jobs.contains(line.job)) {
        m_jobs.append(line.job);
        Q_EMIT jobSeen(line.job);
    }
    // A burst larger than the whole ring: the oldest buffered lines would be dropped on insert anyway.
    if (int(m_pending.size()) >= m_capacity)
        m_pending.erase(m_pending.begin(), m_pending.begin() + (int(m_pending.size()) - m_capacity + 1));
    m_pending.push_back(std::move(line));
    if (!m_timer.isActive())
        m_timer.start();
}

void LogModel::flushPending()
{
    m_timer.stop();
    if (m_pending.empty())
        return;
    const int incoming = int(m_pending.size());
    const int drop = std::min(rowCount(), rowCount() + incoming - m_capacity);
    if (drop > 0) {
        beginRemoveRows({}, 0, drop - 1);
        m_lines.erase(m_lines.begin(), m_lines.begin() + drop);
        endRemoveRows();
    }
    const int first = rowCount();
    beginInsertRows({}, first, first + incoming - 1);
    for (Line &l : m_pending)
        m_lines.push_back(std::move(l));
    m_pending.clear();
    endInsertRows();
}

void LogModel::clear()
{
    m_timer.stop();
    beginResetModel();
    m_lines.clear();
    m_pending.clear();
    endResetModel();
}

LogFilterProxy::LogFilterProxy(QObject *parent) : QSortFilterProxyModel(parent) {}

void LogFilterProxy::setMinimumLevel(LogModel::Level level)
{
    if (level == m_minimumLevel)
        return;
    m_minimumLevel = level;
    invalidateRowsFilter();
}

void LogFilterProxy::setJob(const QString &job)
{
    if (job == m_job)
        return;
    m_job = job;
    invalidateRowsFilter();
}

void LogFilterProxy::setRecordId(const QString &recordId)
{
    if (recordId == m_recordId)
        return;
    m_recordId = recordId;
    invalidateRowsFilter();
}

void LogFilterProxy::setText(const QString &text)
{
    if (text == m_text)
        return;
    m_text = text;
    invalidateRowsFilter();
}

bool LogFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (sourceParent.isValid())
        return false;
    // The log model is the usual source: read its lines directly rather than through QVariant roles.
    if (const auto *log = qobject_cast<const LogModel *>(sourceModel())) {
        const LogModel::Line &l = log->line(sourceRow);
        return l.level >= m_minimumLevel && (m_job.isEmpty() || l.job == m_job) &&
               (m_recordId.isEmpty() || l.record == m_recordId) &&
               (m_text.isEmpty() || l.message.contains(m_text, Qt::CaseInsensitive) ||
                l.record.contains(m_text, Qt::CaseInsensitive) || l.event.contains(m_text, Qt::CaseInsensitive));
    }
    const QModelIndex i = sourceModel()->index(sourceRow, 0, sourceParent);
    auto text = [&i](int role) { return i.data(role).toString(); };
    return i.data(LogModel::LevelRole).toInt() >= m_minimumLevel &&
           (m_job.isEmpty() || text(LogModel::JobRole) == m_job) &&
           (m_recordId.isEmpty() || text(LogModel::RecordRole) == m_recordId) &&
           (m_text.isEmpty() || text(LogModel::MessageRole).contains(m_text, Qt::CaseInsensitive) ||
            text(LogModel::RecordRole).contains(m_text, Qt::CaseInsensitive) ||
            text(LogModel::EventRole).contains(m_text, Qt::CaseInsensitive));
}

} // namespace transom::ui
