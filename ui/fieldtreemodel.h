#pragma once

#include "ui/mappingsession.h"

#include <QAbstractItemModel>
#include <QJsonValue>
#include <vector>

namespace transom::ui {

/// The fields of one side of a mapping as a tree (nested objects and arrays), for the canvas.
/// Source side: field, type, null rate and the value in the current sample record; fields drag out as
/// "application/x-transom-field". Target side: field, what it is mapped from, the mapped value of the
/// current record, and whether it is required; unmapped required fields stand out.
class FieldTreeModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { NameColumn, DetailColumn, ValueColumn, ColumnCount };
    enum Role {
        PathRole = Qt::UserRole + 1, ///< the field's path (schema form on the source side)
        MappedRole,                  ///< bool: the field takes part in a mapping
        RequiredUnmappedRole,        ///< bool: target field that must be mapped and is not
    };
    static constexpr const char *mimeType = "application/x-transom-field";

    FieldTreeModel(MappingSession *session, Side side, QObject *parent = nullptr);

    Side side() const { return m_side; }
    /// The index of the field with `path`, or an invalid index.
    QModelIndex indexOfPath(const QString &path) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QStringList mimeTypes() const override;
    QMimeData *mimeData(const QModelIndexList &indexes) const override;
    Qt::DropActions supportedDragActions() const override { return Qt::CopyAction | Qt::LinkAction; }
    Qt::DropActions supportedDropActions() const override { return Qt::CopyAction | Qt::LinkAction; }

private:
    struct Node {
        QString name;
        QString path;
        int parent = -1;
        std::vector<int> children;
    };
    void rebuild();
    void refreshStatus();
    void refreshValues();
    int nodeOf(const QModelIndex &index) const;
    QModelIndex indexOfNode(int node, int column) const;
    int childNamed(int parent, const QString &name, const QString &path);

    MappingSession *m_session;
    Side m_side;
    std::vector<Node> m_nodes; ///< m_nodes[0] is the invisible root
    QStringList m_paths;       ///< the field paths the tree was built from
    QHash<QString, int> m_byPath;
    QHash<QString, QString> m_mappedFrom; ///< target side: target → "from" text
    QSet<QString> m_mappedSources;        ///< source side: schema paths some field reads
    QSet<QString> m_required;             ///< target side
    QHash<QString, QJsonValue> m_values;  ///< path → value in the current record (mapped, on the target side)
    QHash<QString, QString> m_errors;     ///< target side: path → the current record's field error
};

} // namespace transom::ui
