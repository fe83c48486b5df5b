#pragma once

#include "ui/mappingsession.h"

#include <QAbstractTableModel>
#include <QFutureWatcher>
#include <QSortFilterProxyModel>

#include <vector>

namespace transom::ui {

/// The mapped output of every source sample as a table: one row per sample, one column per target
/// field. Recomputed whenever the mapping or the samples change; with more than a few hundred samples
/// the mapping runs on a worker thread and the table swaps in the result when it is ready (an edit
/// made meanwhile supersedes it). A cell whose field failed is marked and its tooltip says which rule
/// failed and why; a row with any failed cell is marked in the vertical header, whose tooltip lists
/// the row's errors. A required target field that nothing maps gets a column of its own, failed on
/// every row.
class PreviewModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Role {
        ErrorRole = Qt::UserRole + 1, ///< the cell's field error ("" when none)
        RowErrorsRole,                ///< vertical header: the row's errors as a QStringList
    };

    explicit PreviewModel(MappingSession *session, QObject *parent = nullptr);
    ~PreviewModel() override;

    /// Samples at or below this count are mapped on the calling thread (instant feedback).
    void setSyncLimit(int records) { m_syncLimit = records; }
    /// Recomputes now (normally triggered by the session's signals).
    void refresh();
    bool isComputing() const { return m_watcher.isRunning(); }

    int recordsWithErrors() const { return m_withErrors; }
    int fieldErrors() const { return m_fieldErrors; }
    QString summary() const;
    QString targetOf(int column) const;
    /// Whether the column is a required target field that nothing maps (no compiled field behind it).
    bool isUnmappedColumn(int column) const;
    bool rowHasErrors(int row) const;
    /// "person.firstName: required failed: …", one per failed cell of the row.
    QStringList rowErrors(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    struct Row {
        QString sourceId;
        std::vector<QString> cells;
        std::vector<QString> errors; ///< per column; empty when the field mapped
        int failedCells = 0;
    };
    struct Result {
        quint64 generation = 0;
        QStringList columns;
        int mappedColumns = 0; ///< columns past these are required fields nothing maps
        std::vector<Row> rows;
        int withErrors = 0;
        int fieldErrors = 0;
    };

Q_SIGNALS:
    /// The table holds the output of the current mapping on the current samples.
    void refreshed();

private:
    /// Shared, so that handing the result from the worker to the table copies no rows.
    static std::shared_ptr<Result> compute(quint64 generation, std::shared_ptr<const mapping::CompiledMapping> mapping,
                                           QList<mapping::FieldError> unmapped, QList<QJsonObject> records);
    void adopt(std::shared_ptr<Result> result);

    MappingSession *m_session;
    Result m_result;
    quint64 m_generation = 0;
    int m_syncLimit = 300;
    int m_withErrors = 0;
    int m_fieldErrors = 0;
    QFutureWatcher<std::shared_ptr<Result>> m_watcher;
};

/// The preview with only the rows that carry errors, when asked to ("rows with errors only").
class PreviewErrorFilter : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit PreviewErrorFilter(PreviewModel *preview, QObject *parent = nullptr);

    bool errorsOnly() const { return m_errorsOnly; }
    void setErrorsOnly(bool on);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    PreviewModel *m_preview;
    bool m_errorsOnly = false;
};

} // namespace transom::ui
