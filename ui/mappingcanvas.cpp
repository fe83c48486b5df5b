#include "ui/mappingcanvas.h"
#include "ui/elidedlabel.h"

#include <QAction>
#include <QApplication>
#include <QDragEnterEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMimeData>
#include <QPainter>
#include <QPainterPath>
#include <QScrollBar>
#include <QSpinBox>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>

namespace transom::ui {

FieldTreeView::FieldTreeView(FieldTreeModel *model, QWidget *parent) : QTreeView(parent), m_model(model)
{
    setModel(model);
    setUniformRowHeights(true);
    setAlternatingRowColors(true);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    if (model->side() == Side::Source) {
        setDragEnabled(true);
        setDragDropMode(QAbstractItemView::DragOnly);
        setDefaultDropAction(Qt::CopyAction);
        setAccessibleName(tr("Source fields"));
    } else {
        setAcceptDrops(true);
        setDragDropMode(QAbstractItemView::DropOnly);
        setDropIndicatorShown(true);
        setAccessibleName(tr("Target fields"));
    }
    header()->setStretchLastSection(true);
    header()->setSectionResizeMode(FieldTreeModel::NameColumn, QHeaderView::Interactive);
    setColumnWidth(FieldTreeModel::NameColumn, 190);
    setColumnWidth(FieldTreeModel::DetailColumn, 150);
    connect(model, &QAbstractItemModel::modelReset, this, &QTreeView::expandAll);
    expandAll();
}

QString FieldTreeView::currentPath() const
{
    return currentIndex().data(FieldTreeModel::PathRole).toString();
}

void FieldTreeView::selectPath(const QString &path)
{
    const QModelIndex index = m_model->indexOfPath(path);
    if (!index.isValid())
        return;
    setCurrentIndex(index);
    scrollTo(index);
}

void FieldTreeView::dragEnterEvent(QDragEnterEvent *event)
{
    if (!event->mimeData()->hasFormat(QLatin1String(FieldTreeModel::mimeType))) {
        event->ignore();
        return;
    }
    QTreeView::dragEnterEvent(event);
    event->acceptProposedAction();
}

void FieldTreeView::dragMoveEvent(QDragMoveEvent *event)
{
    QTreeView::dragMoveEvent(event); // autoscroll and the drop indicator
    const QModelIndex index = indexAt(event->position().toPoint());
    if (event->mimeData()->hasFormat(QLatin1String(FieldTreeModel::mimeType)) && index.isValid())
        event->acceptProposedAction();
    else
        event->ignore();
}

void FieldTreeView::dropEvent(QDropEvent *event)
{
    const QModelIndex index = indexAt(event->position().toPoint());
    const QByteArray dragged = event->mimeData()->data(QLatin1String(FieldTreeModel::mimeType));
    if (!index.isValid() || dragged.isEmpty()) {
        event->ignore();
        return;
    }
    const QStringList sources = QString::fromUtf8(dragged).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    const bool add = event->modifiers() & (Qt::ShiftModifier | Qt::ControlModifier);
    event->setDropAction(Qt::CopyAction);
    event->accept();
    setState(NoState);
    viewport()->update();
    Q_EMIT fieldDropped(sources, index.data(FieldTreeModel::PathRole).toString(),
                        add ? mapping::MapMode::AddInput : mapping::MapMode::Replace);
}

LinkGutter::LinkGutter(MappingSession *session, FieldTreeView *source, FieldTreeView *target, QWidget *parent)
    : QWidget(parent), m_session(session), m_source(source), m_target(target)
{
    setMinimumWidth(48);
    setAccessibleName(tr("Mapping links"));
    auto repaint = [this] { update(); };
    for (FieldTreeView *view : {source, target}) {
        connect(view->verticalScrollBar(), &QScrollBar::valueChanged, this, repaint);
        connect(view, &QTreeView::expanded, this, repaint);
        connect(view, &QTreeView::collapsed, this, repaint);
        connect(view->model(), &QAbstractItemModel::modelReset, this, repaint);
        connect(view->model(), &QAbstractItemModel::dataChanged, this, repaint);
    }
    connect(session, &MappingSession::selectedTargetChanged, this, repaint);
}

QList<QPair<QString, QString>> LinkGutter::links() const
{
    QList<QPair<QString, QString>> out;
    for (const mapping::FieldMapping &f : m_session->document().fields)
        for (const QString &from : f.from)
            out.append({mapping::SchemaInference::schemaPath(from), f.target});
    return out;
}

int LinkGutter::rowCentre(FieldTreeView *view, const QString &path, bool *visible) const
{
    QModelIndex index = view->fieldModel()->indexOfPath(path);
    // A field inside a collapsed branch: link to the nearest visible ancestor.
    while (index.isValid() && index.parent().isValid() && !view->isExpanded(index.parent()))
        index = index.parent();
    const QRect rect = view->visualRect(index);
    const QPoint centre = view->viewport()->mapTo(this->parentWidget(), rect.center());
    const int y = mapFrom(parentWidget(), centre).y();
    const int top = mapFrom(parentWidget(), view->viewport()->mapTo(parentWidget(), QPoint(0, 0))).y();
    const int bottom = top + view->viewport()->height();
    *visible = index.isValid() && rect.isValid() && y >= top && y <= bottom;
    return std::clamp(y, top, bottom);
}

void LinkGutter::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QColor normal = palette().color(QPalette::Link);
    const QColor highlight = palette().color(QPalette::Highlight);
    for (const auto &[source, target] : links()) {
        bool sourceVisible = false;
        bool targetVisible = false;
        const int y1 = rowCentre(m_source, source, &sourceVisible);
        const int y2 = rowCentre(m_target, target, &targetVisible);
        const bool selected = target == m_session->selectedTarget();
        QPen pen(selected ? highlight : normal, selected ? 2.5 : 1.4);
        if (!sourceVisible || !targetVisible)
            pen.setStyle(Qt::DashLine);
        p.setPen(pen);
        QPainterPath path(QPointF(0, y1));
        const qreal w = width();
        path.cubicTo(QPointF(w * 0.5, y1), QPointF(w * 0.5, y2), QPointF(w, y2));
        p.drawPath(path);
        p.setBrush(pen.color());
        p.drawEllipse(QPointF(2.5, y1), 2.5, 2.5);
        p.drawEllipse(QPointF(w - 2.5, y2), 2.5, 2.5);
        p.setBrush(Qt::NoBrush);
    }
}

MappingCanvas::MappingCanvas(MappingSession *session, QWidget *parent) : QWidget(parent), m_session(session)
{
    setAcceptDrops(true); // sample files dropped from the file manager
    auto *sourceModel = new FieldTreeModel(session, Side::Source, this);
    auto *targetModel = new FieldTreeModel(session, Side::Target, this);
    m_sourceView = new FieldTreeView(sourceModel, this);
    m_targetView = new FieldTreeView(targetModel, this);
    m_gutter = new LinkGutter(session, m_sourceView, m_targetView, this);

    // Source side: title, load buttons, record navigator.
    m_sourceTitle = new ElidedLabel(this); // long file names must not widen the canvas
    m_sourceTitle->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    auto *openSource = new QToolButton(this);
    openSource->setText(tr("Open samples…"));
    openSource->setToolTip(tr("Load source samples from a JSON, NDJSON or CSV file, or an API response"));
    connect(openSource, &QToolButton::clicked, this, [this] { Q_EMIT openSamplesRequested(Side::Source); });
    auto *fetchSource = new QToolButton(this);
    fetchSource->setText(tr("Fetch…"));
    fetchSource->setToolTip(tr("Fetch the first page of records from the job's source connection"));
    connect(fetchSource, &QToolButton::clicked, this, [this] { Q_EMIT fetchSamplesRequested(Side::Source); });
    auto *previous = new QToolButton(this);
    previous->setArrowType(Qt::LeftArrow);
    previous->setAccessibleName(tr("Previous record"));
    auto *next = new QToolButton(this);
    next->setArrowType(Qt::RightArrow);
    next->setAccessibleName(tr("Next record"));
    m_record = new QSpinBox(this);
    m_record->setAccessibleName(tr("Record number"));
    m_record->setPrefix(tr("Record "));
    m_recordOf = new QLabel(this);
    connect(previous, &QToolButton::clicked, this,
            [this] { m_session->setCurrentRecord(m_session->currentRecord() - 1); });
    connect(next, &QToolButton::clicked, this, [this] { m_session->setCurrentRecord(m_session->currentRecord() + 1); });
    connect(m_record, &QSpinBox::valueChanged, this, [this](int v) { m_session->setCurrentRecord(v - 1); });

    auto *sourceBar = new QHBoxLayout;
    sourceBar->addWidget(m_sourceTitle, 1);
    sourceBar->addWidget(openSource);
    sourceBar->addWidget(fetchSource);
    auto *navigator = new QHBoxLayout;
    navigator->addWidget(previous);
    navigator->addWidget(m_record);
    navigator->addWidget(m_recordOf);
    navigator->addWidget(next);
    navigator->addStretch(1);
    auto *sourceColumn = new QVBoxLayout;
    sourceColumn->addLayout(sourceBar);
    sourceColumn->addLayout(navigator);
    sourceColumn->addWidget(m_sourceView, 1);

    m_targetTitle = new ElidedLabel(this);
    m_targetTitle->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    auto *openTarget = new QToolButton(this);
    openTarget->setText(tr("Open samples…"));
    openTarget->setToolTip(tr("Load target samples (records of the destination) to see its fields"));
    connect(openTarget, &QToolButton::clicked, this, [this] { Q_EMIT openSamplesRequested(Side::Target); });
    auto *targetBar = new QHBoxLayout;
    targetBar->addWidget(m_targetTitle, 1);
    targetBar->addWidget(openTarget);
    auto *hint = new QLabel(tr("Drag a source field onto a target field (Shift+drop adds an input). Drop a file "
                               "on either side to load samples."),
                            this);
    hint->setWordWrap(true);
    hint->setEnabled(false);
    auto *targetColumn = new QVBoxLayout;
    targetColumn->addLayout(targetBar);
    targetColumn->addWidget(hint);
    targetColumn->addWidget(m_targetView, 1);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addLayout(sourceColumn, 1);
    layout->addWidget(m_gutter);
    layout->addLayout(targetColumn, 1);

    connect(m_targetView, &FieldTreeView::fieldDropped, this,
            [this](const QStringList &sources, const QString &target, mapping::MapMode mode) {
                for (const QString &source : sources) {
                    m_session->mapField(target, source, mode);
                    mode = mapping::MapMode::AddInput;
                }
            });
    connect(m_targetView->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex &current) {
                m_session->setSelectedTarget(current.data(FieldTreeModel::PathRole).toString());
            });
    connect(session, &MappingSession::selectedTargetChanged, this, [this](const QString &target) {
        if (m_targetView->currentPath() != target)
            m_targetView->selectPath(target);
    });

    auto *map = new QAction(tr("Map selected fields"), this);
    map->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_M));
    map->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(map, &QAction::triggered, this, [this] { mapSelected(mapping::MapMode::Replace); });
    auto *add = new QAction(tr("Add selected source as an input"), this);
    add->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M));
    add->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(add, &QAction::triggered, this, [this] { mapSelected(mapping::MapMode::AddInput); });
    auto *unmap = new QAction(tr("Unmap target field"), this);
    unmap->setShortcut(QKeySequence::Delete);
    unmap->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(unmap, &QAction::triggered, this, &MappingCanvas::unmapSelected);
    addActions({map, add, unmap});
    m_targetView->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_targetView->addActions({map, add, unmap});

    connect(session, &MappingSession::samplesChanged, this, &MappingCanvas::updateHeaders);
    connect(session, &MappingSession::documentChanged, this, &MappingCanvas::updateHeaders);
    connect(session, &MappingSession::currentRecordChanged, this, &MappingCanvas::updateHeaders);
    updateHeaders();
}

void MappingCanvas::dragEnterEvent(QDragEnterEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.size() == 1 && urls.first().isLocalFile())
        event->acceptProposedAction();
    else
        event->ignore();
}

void MappingCanvas::dropEvent(QDropEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.size() != 1 || !urls.first().isLocalFile()) {
        event->ignore();
        return;
    }
    event->acceptProposedAction();
    const Side side = event->position().x() < width() / 2 ? Side::Source : Side::Target;
    Q_EMIT samplesFileDropped(side, urls.first().toLocalFile());
}

bool MappingCanvas::mapSelected(mapping::MapMode mode)
{
    const QString source = m_sourceView->currentPath();
    const QString target = m_targetView->currentPath();
    if (source.isEmpty() || target.isEmpty())
        return false;
    return m_session->mapField(target, source, mode);
}

bool MappingCanvas::unmapSelected()
{
    const QString target = m_targetView->currentPath();
    return !target.isEmpty() && m_session->unmapField(target);
}

void MappingCanvas::updateHeaders()
{
    const SampleSet &source = m_session->samples(Side::Source);
    const mapping::MappingDocument &doc = m_session->document();
    m_sourceTitle->setText(source.isEmpty()
                               ? tr("Source: %1 (no samples)").arg(doc.sourceType)
                               : tr("Source: %1 — %n record(s) from %2", nullptr, int(source.records.size()))
                                     .arg(doc.sourceType, source.origin));
    const SampleSet &target = m_session->samples(Side::Target);
    m_targetTitle->setText(target.isEmpty() ? tr("Target: %1").arg(doc.targetType)
                                            : tr("Target: %1 — samples from %2").arg(doc.targetType, target.origin));
    const QSignalBlocker block(m_record);
    m_record->setRange(source.isEmpty() ? 0 : 1, int(source.records.size()));
    m_record->setValue(m_session->currentRecord() + 1);
    m_record->setEnabled(!source.isEmpty());
    m_recordOf->setText(tr("of %1").arg(source.records.size()));
}

} // namespace transom::ui
