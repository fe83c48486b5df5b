#pragma once

#include "core/mapping/mappingchecks.h"
#include "ui/mappingsession.h"

#include <QWidget>

class QLabel;
class QListWidget;
class QSplitter;
class QTableView;
class QToolButton;

namespace transom::ui {

class MappingCanvas;
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
    QTableView *previewTable() const { return m_previewTable; }
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
    QTableView *m_previewTable;
    QLabel *m_previewSummary;
    QListWidget *m_steps;
    QLabel *m_banner;
    QList<mapping::CheckResult> m_checkResults;
};

} // namespace transom::ui
