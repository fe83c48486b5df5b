#pragma once

#include "core/mapping/mappingchecks.h"
#include "ui/mappingsession.h"

#include <QWidget>

class QAction;
class QCheckBox;
class QLabel;
class QListWidget;
class QSplitter;
class QTableView;
class QToolButton;

namespace transom::ui {

class MappingCanvas;
class PreviewErrorFilter;
class PreviewModel;
class RuleEditor;

/// The middle of the studio: the mapping canvas, the rule editor of the selected target field, the
/// live preview with the step view of a clicked cell, and the banner that reports drift and failed
/// checks.
class MappingView : public QWidget {
    Q_OBJECT
public:
    explicit MappingView(MappingSession *session, QWidget *parent = nullptr);

    MappingCanvas *canvas() const { return m_canvas; }
    RuleEditor *ruleEditor() const { return m_rules; }
    PreviewModel *preview() const { return m_preview; }
    /// What the preview table shows: the preview, or only its rows with errors.
    PreviewErrorFilter *previewFilter() const { return m_previewFilter; }
    QTableView *previewTable() const { return m_previewTable; }
    QCheckBox *errorsOnlyToggle() const { return m_errorsOnly; }
    /// "Next error" (F8): selects and scrolls to the next failed cell after the current one.
    QAction *nextErrorAction() const { return m_nextError; }
    QListWidget *stepView() const { return m_steps; }
    QLabel *banner() const { return m_banner; }

    /// Shows the value of one preview cell after each rule step.
    void showSteps(int row, int column);
    /// Opens the suggestions for the user to accept or reject; returns how many were accepted.
    int suggest();
    /// Pins the current sample and its current output as a check.
    bool pinCurrentSample(QString *error);
    /// Runs the mapping's checks; the banner reports what failed.
    QList<mapping::CheckResult> runChecks();
    /// Selects the next failed preview cell after the current one (row by row, wrapping around) and
    /// scrolls it into view; false when no cell failed.
    bool goToNextError();

Q_SIGNALS:
    void openSamplesRequested(transom::ui::Side side);
    void fetchSamplesRequested(transom::ui::Side side);
    void samplesFileDropped(transom::ui::Side side, const QString &path);

private:
    void updateBanner();

    MappingSession *m_session;
    MappingCanvas *m_canvas;
    RuleEditor *m_rules;
    PreviewModel *m_preview;
    PreviewErrorFilter *m_previewFilter;
    QTableView *m_previewTable;
    QCheckBox *m_errorsOnly;
    QAction *m_nextError;
    QLabel *m_previewSummary;
    QListWidget *m_steps;
    QLabel *m_banner;
    QList<mapping::CheckResult> m_checkResults;
};

} // namespace transom::ui
