#include "ui/fieldtreemodel.h"

#include "core/mapping/drift.h"
#include "core/mapping/fieldpath.h"

#include <QApplication>
#include <QFont>
#include <QJsonArray>
#include <QMimeData>
#include <QPalette>

namespace transom::ui {

namespace {

/// "a.b[0].c" → {"a", "b[0]", "c"}.
QStringList segmentsOf(const QString &path)
{
    return path.split(QLatin1Char('.'), Qt::SkipEmptyParts);
}

} // namespace

FieldTreeModel::FieldTreeModel(MappingSession *session, Side side, QObject *parent)
    : QAbstractItemModel(parent), m_session(session), m_side(side)
{
    m_nodes.push_back({});
    rebuild();
    connect(session, &MappingSession::samplesChanged, this, [this](Side changed) {
        if (changed == m_side || m_side == Side::Target)
            rebuild();
    });
    connect(session, &MappingSession::documentChanged, this, [this] {
        if (m_session->fieldPaths(m_side) == m_paths) {
            refreshStatus();
            refreshValues();
            if (rowCount() > 0)
                Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
            // Children change too: tell every level (cheap: trees hold tens of fields).
            for (int n = 1; n < int(m_nodes.size()); ++n)
                if (!m_nodes[size_t(n)].children.empty())
                    Q_EMIT dataChanged(indexOfNode(m_nodes[size_t(n)].children.front(), 0),
                                       indexOfNode(m_nodes[size_t(n)].children.back(), ColumnCount - 1));
        } else {
            rebuild();
        }
    });
    connect(session, &MappingSession::currentRecordChanged, this, [this] {
        refreshValues();
        for (int n = 0; n < int(m_nodes.size()); ++n)
            if (!m_nodes[size_t(n)].children.empty())
                Q_EMIT dataChanged(indexOfNode(m_nodes[size_t(n)].children.front(), ValueColumn),
                                   indexOfNode(m_nodes[size_t(n)].children.back(), ValueColumn));
    });
}

int FieldTreeModel::childNamed(int parent, const QString &name, const QString &path)
{
    for (int child : m_nodes[size_t(parent)].children)
        if (m_nodes[size_t(child)].name == name)
            return child;
    m_nodes.push_back({name, path, parent, {}});
    const int id = int(m_nodes.size()) - 1;
    m_nodes[size_t(parent)].children.push_back(id);
    m_byPath.insert(path, id);
    return id;
}

void FieldTreeModel::rebuild()
{
    beginResetModel();
    m_nodes.clear();
    m_nodes.push_back({});
    m_byPath.clear();
    m_paths = m_session->fieldPaths(m_side);
    for (const QString &path : std::as_const(m_paths)) {
        int node = 0;
        QString prefix;
        for (const QString &segment : segmentsOf(path)) {
            prefix = prefix.isEmpty() ? segment : prefix + QLatin1Char('.') + segment;
            node = childNamed(node, segment, prefix);
        }
    }
    refreshStatus();
    refreshValues();
    endResetModel();
}

void FieldTreeModel::refreshStatus()
{
    const mapping::MappingDocument &doc = m_session->document();
    m_mappedFrom.clear();
    m_mappedSources.clear();
    m_required.clear();
    for (const mapping::TargetField &t : doc.targetFields)
        if (t.required)
            m_required.insert(t.path);
    for (const QString &source : mapping::readPaths(doc))
        m_mappedSources.insert(source);
    for (const mapping::FieldMapping &f : doc.fields) {
        QString from = f.from.join(QStringLiteral(" | "));
        if (from.isEmpty() && !f.rules.isEmpty())
            from = tr("(rule: %1)").arg(f.rules.first().toObject().value(QLatin1String("rule")).toString());
        m_mappedFrom.insert(f.target, from);
        if (f.required)
            m_required.insert(f.target);
    }
}

void FieldTreeModel::refreshValues()
{
    m_values.clear();
    m_errors.clear();
    const int current = m_session->currentRecord();
    const SampleSet &samples = m_session->samples(Side::Source);
    if (current < 0 || current >= samples.records.size())
        return;
    const QJsonObject &record = samples.records.at(current);
    if (m_side == Side::Source) {
        for (auto it = m_byPath.cbegin(); it != m_byPath.cend(); ++it) {
            const auto path = mapping::FieldPath::parse(mapping::concretePath(it.key()));
            if (path)
                m_values.insert(it.key(), path.value().valueIn(record));
        }
        return;
    }
    const auto compiled = m_session->compiled();
    if (!compiled)
        return;
    const mapping::MappedRecord mapped = compiled->map(record);
    for (int i = 0; i < compiled->fieldCount(); ++i)
        m_values.insert(compiled->targetOf(i), mapped.value(i));
    for (const mapping::FieldError &e : mapped.errors)
        m_errors.insert(e.field, QStringLiteral("%1: %2").arg(e.rule, e.message));
}

int FieldTreeModel::nodeOf(const QModelIndex &index) const
{
    return index.isValid() ? int(index.internalId()) : 0;
}

QModelIndex FieldTreeModel::indexOfNode(int node, int column) const
{
    if (node <= 0)
        return {};
    const Node &n = m_nodes[size_t(node)];
    const auto &siblings = m_nodes[size_t(n.parent)].children;
    const int row = int(std::find(siblings.begin(), siblings.end(), node) - siblings.begin());
    return createIndex(row, column, quintptr(node));
}

QModelIndex FieldTreeModel::indexOfPath(const QString &path) const
{
    const int node = m_byPath.value(path, -1);
    return node > 0 ? indexOfNode(node, 0) : QModelIndex();
}

QModelIndex FieldTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column < 0 || column >= ColumnCount || (parent.isValid() && parent.column() != 0))
        return {};
    const Node &p = m_nodes[size_t(nodeOf(parent))];
    if (row < 0 || row >= int(p.children.size()))
        return {};
    return createIndex(row, column, quintptr(p.children[size_t(row)]));
}

QModelIndex FieldTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    return indexOfNode(m_nodes[size_t(nodeOf(child))].parent, 0);
}

int FieldTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    return int(m_nodes[size_t(nodeOf(parent))].children.size());
}

int FieldTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant FieldTreeModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const Node &n = m_nodes[size_t(nodeOf(index))];
    const bool leaf = n.children.empty();
    const bool required = m_side == Side::Target && m_required.contains(n.path);
    const bool mapped = m_side == Side::Target ? m_mappedFrom.contains(n.path) : m_mappedSources.contains(n.path);
    const bool missingRequired = required && !mapped;
    const QString error = m_errors.value(n.path);
    switch (role) {
    case PathRole:
        return n.path;
    case MappedRole:
        return mapped;
    case RequiredUnmappedRole:
        return missingRequired;
    case Qt::AccessibleTextRole:
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn:
            return required ? n.name + QStringLiteral(" *") : n.name;
        case DetailColumn:
            if (m_side == Side::Target) {
                if (missingRequired)
                    return tr("required, not mapped");
                return m_mappedFrom.value(n.path);
            }
            if (const mapping::FieldStats *stats = m_session->samples(Side::Source).schema.field(n.path)) {
                const double nullRate = m_session->samples(Side::Source).schema.nullRate(*stats);
                return tr("%1 · %2% empty").arg(stats->types.join(QLatin1Char('/'))).arg(qRound(nullRate * 100));
            }
            return leaf ? tr("not in the samples") : QString();
        case ValueColumn:
            if (!error.isEmpty())
                return tr("⚠ %1").arg(error);
            return displayText(m_values.value(n.path, QJsonValue(QJsonValue::Undefined)));
        }
        return {};
    case Qt::ToolTipRole: {
        if (!error.isEmpty())
            return error;
        if (m_side == Side::Source) {
            if (const mapping::FieldStats *stats = m_session->samples(Side::Source).schema.field(n.path))
                return tr("%1\nExamples: %2").arg(n.path, stats->examples.join(QStringLiteral(", ")));
        }
        if (missingRequired)
            return tr("%1 is required by the destination: drag a source field here").arg(n.path);
        return n.path;
    }
    case Qt::FontRole:
        if (index.column() == NameColumn && (mapped || missingRequired)) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    case Qt::ForegroundRole:
        if (missingRequired || (!error.isEmpty() && index.column() == ValueColumn))
            return QColor(0xd3, 0x2f, 0x2f);
        if (index.column() == NameColumn && mapped)
            return QApplication::palette().color(QPalette::Link);
        return {};
    }
    return {};
}

QVariant FieldTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Field");
    case DetailColumn:
        return m_side == Side::Source ? tr("Type") : tr("Mapped from");
    case ValueColumn:
        return m_side == Side::Source ? tr("Value") : tr("Mapped value");
    }
    return {};
}

Qt::ItemFlags FieldTreeModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    f |= m_side == Side::Source ? Qt::ItemIsDragEnabled : Qt::ItemIsDropEnabled;
    return f;
}

QStringList FieldTreeModel::mimeTypes() const
{
    return {QLatin1String(mimeType)};
}

QMimeData *FieldTreeModel::mimeData(const QModelIndexList &indexes) const
{
    QStringList paths;
    for (const QModelIndex &i : indexes)
        if (i.column() == NameColumn)
            paths.append(data(i, PathRole).toString());
    if (paths.isEmpty())
        return nullptr;
    auto *mime = new QMimeData;
    mime->setData(QLatin1String(mimeType), paths.join(QLatin1Char('\n')).toUtf8());
    mime->setText(paths.join(QLatin1Char('\n')));
    return mime;
}

} // namespace transom::ui
