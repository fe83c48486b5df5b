#pragma once

#include "ui/fieldtreemodel.h"

#include <QTreeView>
#include <QWidget>

class QLabel;
class QSpinBox;
class QToolButton;

namespace transom::ui {

class ElidedLabel;

/// A field tree that sources drag from or targets accept drops on. A drop onto a target field maps
/// the dragged source field (replacing what was there); with Shift or Ctrl held it adds it as a
/// further input instead.
class FieldTreeView : public QTreeView {
    Q_OBJECT
public:
    FieldTreeView(FieldTreeModel *model, QWidget *parent = nullptr);
    FieldTreeModel *fieldModel() const { return m_model; }
    /// The path of the current field ("" when none).
    QString currentPath() const;
    void selectPath(const QString &path);

Q_SIGNALS:
    void fieldDropped(const QStringList &sources, const QString &target, mapping::MapMode mode);

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dragMoveEvent(QDragMoveEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    FieldTreeModel *m_model;
};

/// Paints what is mapped to what between the two trees.
class LinkGutter : public QWidget {
    Q_OBJECT
public:
    LinkGutter(MappingSession *session, FieldTreeView *source, FieldTreeView *target, QWidget *parent = nullptr);
    /// The links currently drawn, as (source path, target path), for tests and accessibility.
    QList<QPair<QString, QString>> links() const;
    QSize sizeHint() const override { return {72, 100}; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    int rowCentre(FieldTreeView *view, const QString &path, bool *visible) const;

    MappingSession *m_session;
    FieldTreeView *m_source;
    FieldTreeView *m_target;
};

/// The two sides of a mapping next to each other: the source samples' field tree with a record
/// navigator, the links, and the target field tree. Drag a source field onto a target field, or
/// select both and press Ctrl+M; Delete unmaps the selected target field.
class MappingCanvas : public QWidget {
    Q_OBJECT
public:
    explicit MappingCanvas(MappingSession *session, QWidget *parent = nullptr);

    FieldTreeView *sourceView() const { return m_sourceView; }
    FieldTreeView *targetView() const { return m_targetView; }
    LinkGutter *gutter() const { return m_gutter; }
    ElidedLabel *sourceTitle() const { return m_sourceTitle; }
    ElidedLabel *targetTitle() const { return m_targetTitle; }

    /// Maps the selected source field onto the selected target field (Ctrl+M; Ctrl+Shift+M adds an input).
    bool mapSelected(mapping::MapMode mode = mapping::MapMode::Replace);
    bool unmapSelected();

Q_SIGNALS:
    void openSamplesRequested(transom::ui::Side side);
    void fetchSamplesRequested(transom::ui::Side side);
    /// A file was dropped on one side of the canvas (from the file manager): load it as that side's samples.
    void samplesFileDropped(transom::ui::Side side, const QString &path);

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void updateHeaders();

    MappingSession *m_session;
    FieldTreeView *m_sourceView;
    FieldTreeView *m_targetView;
    LinkGutter *m_gutter;
    ElidedLabel *m_sourceTitle;
    ElidedLabel *m_targetTitle;
    QSpinBox *m_record;
    QLabel *m_recordOf;
};

} // namespace transom::ui
