#include "ui/previewmodel.h"
#include "ui/ruletitles.h"
#include "ui/workerpool.h"

#include <QApplication>
#include <QColor>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QStyle>
#include <QThread>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

namespace transom::ui {

PreviewModel::PreviewModel(MappingSession *session, QObject *parent) : QAbstractTableModel(parent), m_session(session)
{
    connect(session, &MappingSession::documentChanged, this, &PreviewModel::refresh);
    connect(session, &MappingSession::samplesChanged, this, [this](Side side) {
        if (side == Side::Source)
            refresh();
    });
    connect(&m_watcher, &QFutureWatcher<std::shared_ptr<Result>>::finished, this, [this] {
        std::shared_ptr<Result> result = m_watcher.result();
        if (result->generation == m_generation)
            adopt(std::move(result));
        else if (!m_watcher.isRunning())
            refresh(); // superseded while computing: run again with what is current now
    });
    refresh();
}

PreviewModel::~PreviewModel()
{
    m_watcher.waitForFinished();
}

std::shared_ptr<PreviewModel::Result> PreviewModel::compute(quint64 generation,
                                                            std::shared_ptr<const mapping::CompiledMapping> mapping,
                                                            QList<mapping::FieldError> unmapped,
                                                            QList<QJsonObject> records)
{
    auto shared = std::make_shared<Result>();
    Result &result = *shared;
    result.generation = generation;
    if (!mapping)
        return shared;
    const int fields = mapping->fieldCount();
    for (int i = 0; i < fields; ++i)
        result.columns.append(mapping->targetOf(i));
    result.mappedColumns = fields;
    // A required field nothing maps fails on every row: a column of its own makes that visible.
    QStringList unmappedErrors;
    for (const mapping::FieldError &e : unmapped) {
        result.columns.append(e.field);
        unmappedErrors.append(QStringLiteral("%1 failed: %2").arg(ruleTitle(e.rule), plainRuleMessage(e.message)));
    }
    const int columns = int(result.columns.size());
    QHash<QString, int> columnOf;
    for (int i = 0; i < fields; ++i)
        columnOf.insert(result.columns.at(i), i);
    result.rows.resize(size_t(records.size()));

    // Rows [from, to): mapped and laid out as text. Chunks run on the thread pool side by side.
    auto mapRange = [&](qsizetype from, qsizetype to) {
        int withErrors = 0;
        int fieldErrors = 0;
        for (qsizetype r = from; r < to; ++r) {
            const mapping::MappedRecord mapped = mapping->map(records.at(r));
            Row &row = result.rows[size_t(r)];
            row.sourceId = mapped.sourceId;
            row.cells.resize(size_t(columns));
            row.errors.resize(size_t(columns));
            for (int i = 0; i < fields; ++i) {
                row.cells[size_t(i)] = displayText(mapped.value(i));
            }
            for (const mapping::FieldError &e : mapped.errors) {
                const int column = columnOf.value(e.field, -1);
                if (column >= 0)
                    row.errors[size_t(column)] =
                        QStringLiteral("%1 failed: %2").arg(ruleTitle(e.rule), plainRuleMessage(e.message));
            }
            for (qsizetype u = 0; u < unmappedErrors.size(); ++u)
                row.errors[size_t(fields + u)] = unmappedErrors.at(u);
            row.failedCells = int(std::count_if(row.errors.begin(), row.errors.end(),
                                                [](const QString &error) { return !error.isEmpty(); }));
            const int errors = int(mapped.errors.size() + unmappedErrors.size());
            fieldErrors += errors;
            withErrors += errors > 0 ? 1 : 0;
        }
        return std::pair{withErrors, fieldErrors};
    };
    const qsizetype chunks = records.size() < 512 ? 1 : std::max(1, QThread::idealThreadCount());
    const qsizetype per = (records.size() + chunks - 1) / std::max<qsizetype>(chunks, 1);
    QList<QFuture<std::pair<int, int>>> others;
    for (qsizetype c = 1; c < chunks; ++c)
        others.append(QtConcurrent::run(workerPool(), mapRange, c * per, std::min(records.size(), (c + 1) * per)));
    auto [withErrors, fieldErrors] = mapRange(0, std::min(records.size(), per));
    for (QFuture<std::pair<int, int>> &f : others) { // waiting on a pool thread runs a task not yet started
        const auto [w, e] = f.result();
        withErrors += w;
        fieldErrors += e;
    }
    result.withErrors = withErrors;
    result.fieldErrors = fieldErrors;
    return shared;
}

void PreviewModel::refresh()
{
    ++m_generation;
    const QList<QJsonObject> &records = m_session->samples(Side::Source).records;
    if (records.size() <= m_syncLimit) {
        adopt(compute(m_generation, m_session->compiled(), m_session->unmappedRequired(), records));
        return;
    }
    if (m_watcher.isRunning())
        return; // the finished handler starts the next run with the newest mapping
    m_watcher.setFuture(QtConcurrent::run(workerPool(), &PreviewModel::compute, m_generation, m_session->compiled(),
                                          m_session->unmappedRequired(), records));
}

void PreviewModel::adopt(std::shared_ptr<Result> result)
{
    // The table being replaced can hold tens of thousands of strings: free them on a worker.
    if (m_result.rows.size() > 1000)
        workerPool()->start([old = std::make_shared<Result>(std::move(m_result))] {});
    const bool sameShape = result->columns == m_result.columns && result->rows.size() == m_result.rows.size();
    if (sameShape) {
        m_result = std::move(*result);
        if (!m_result.rows.empty() && !m_result.columns.isEmpty()) {
            Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
            Q_EMIT headerDataChanged(Qt::Vertical, 0, rowCount() - 1); // the row markers
        }
    } else {
        beginResetModel();
        m_result = std::move(*result);
        endResetModel();
    }
    m_withErrors = m_result.withErrors;
    m_fieldErrors = m_result.fieldErrors;
    Q_EMIT refreshed();
}

QString PreviewModel::summary() const
{
    const int records = int(m_result.rows.size());
    if (records == 0)
        return tr("No source samples: open a file or fetch records to preview the mapping.");
    QString text = tr("%n sample(s): %1 clean, %2 with field errors (%3 errors)", nullptr, records)
                       .arg(records - m_withErrors)
                       .arg(m_withErrors)
                       .arg(m_fieldErrors);
    const QStringList unmapped = m_result.columns.mid(m_result.mappedColumns);
    if (!unmapped.isEmpty())
        text += QLatin1Char(' ') + tr("Required but not mapped: %1.").arg(unmapped.join(QStringLiteral(", ")));
    return text;
}

QString PreviewModel::targetOf(int column) const
{
    return m_result.columns.value(column);
}

bool PreviewModel::isUnmappedColumn(int column) const
{
    return column >= m_result.mappedColumns && column < columnCount();
}

bool PreviewModel::rowHasErrors(int row) const
{
    return row >= 0 && row < rowCount() && m_result.rows[size_t(row)].failedCells > 0;
}

QStringList PreviewModel::rowErrors(int row) const
{
    QStringList errors;
    if (row < 0 || row >= rowCount())
        return errors;
    const Row &r = m_result.rows[size_t(row)];
    for (size_t c = 0; c < r.errors.size(); ++c)
        if (!r.errors[c].isEmpty())
            errors.append(QStringLiteral("%1: %2").arg(m_result.columns.at(qsizetype(c)), r.errors[c]));
    return errors;
}

int PreviewModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_result.rows.size());
}

int PreviewModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_result.columns.size());
}

QVariant PreviewModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= columnCount())
        return {};
    const Row &row = m_result.rows[size_t(index.row())];
    const QString &error = row.errors[size_t(index.column())];
    switch (role) {
    case Qt::DisplayRole: {
        const QString &cell = row.cells[size_t(index.column())];
        if (error.isEmpty())
            return cell;
        return QStringLiteral("⚠ ") + (cell.isEmpty() ? error : cell);
    }
    case Qt::ToolTipRole:
        return error.isEmpty() ? row.cells[size_t(index.column())] : error;
    case Qt::AccessibleDescriptionRole:
    case ErrorRole:
        return error;
    case Qt::BackgroundRole:
        return error.isEmpty() ? QVariant() : QVariant(QColor(0xd3, 0x2f, 0x2f, 60));
    }
    return {};
}

QVariant PreviewModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal) {
        if (role == Qt::DisplayRole)
            return m_result.columns.value(section);
        if (role == Qt::ToolTipRole)
            return isUnmappedColumn(section)
                       ? tr("%1 is required but nothing is mapped to it").arg(m_result.columns.value(section))
                       : m_result.columns.value(section);
        if (role == Qt::ForegroundRole && isUnmappedColumn(section))
            return QColor(0xd3, 0x2f, 0x2f);
        return {};
    }
    if (section < 0 || section >= rowCount())
        return {};
    const Row &row = m_result.rows[size_t(section)];
    const QString id = row.sourceId.isEmpty() ? QString::number(section + 1) : row.sourceId;
    switch (role) {
    case Qt::DisplayRole:
        return id;
    case Qt::ToolTipRole: {
        if (row.failedCells == 0)
            return tr("%1: no errors").arg(id);
        const QStringList errors = rowErrors(section);
        constexpr qsizetype shown = 12; // a tooltip taller than the screen helps nobody
        QString text = tr("%1: %n field error(s)", nullptr, int(errors.size())).arg(id);
        for (qsizetype i = 0; i < std::min(errors.size(), shown); ++i)
            text += QStringLiteral("\n• ") + errors.at(i);
        if (errors.size() > shown)
            text += QStringLiteral("\n") + tr("…and %n more", nullptr, int(errors.size() - shown));
        return text;
    }
    case Qt::DecorationRole:
        if (row.failedCells == 0)
            return {};
        return QApplication::style()->standardIcon(QStyle::SP_MessageBoxWarning);
    case Qt::ForegroundRole:
        return row.failedCells == 0 ? QVariant() : QVariant(QColor(0xd3, 0x2f, 0x2f));
    case Qt::AccessibleDescriptionRole:
        return row.failedCells == 0 ? QString() : tr("%n field error(s)", nullptr, row.failedCells);
    case RowErrorsRole:
        return rowErrors(section);
    }
    return {};
}

PreviewErrorFilter::PreviewErrorFilter(PreviewModel *preview, QObject *parent)
    : QSortFilterProxyModel(parent), m_preview(preview)
{
    setSourceModel(preview);
    // A fix in the mapping makes rows clean again: they leave the filtered table when it refreshes.
    connect(preview, &PreviewModel::refreshed, this, [this] {
        if (m_errorsOnly)
            invalidateRowsFilter();
    });
}

void PreviewErrorFilter::setErrorsOnly(bool on)
{
    if (on == m_errorsOnly)
        return;
    m_errorsOnly = on;
    invalidateRowsFilter();
}

bool PreviewErrorFilter::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    return sourceParent.isValid() ? false : (!m_errorsOnly || m_preview->rowHasErrors(sourceRow));
}

} // namespace transom::ui
