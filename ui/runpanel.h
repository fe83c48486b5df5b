#pragma once

#include "core/sync/project.h"
#include "core/sync/runprogress.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QPointF>
#include <QPointer>
#include <QWidget>

#include <functional>

class QChart;
class QComboBox;
class QLabel;
class QLineSeries;
class QProgressBar;
class QPushButton;
class QTimer;
class QValueAxis;

namespace transom::ui {

class ProjectSession;

/// Runs one job of the open project and shows how it goes: counts, the sink's rate budget with the time
/// left, and throughput and error charts. Everything it shows comes from the engine's progress reports.
class RunPanel : public QWidget {
    Q_OBJECT
public:
    /// The keys of RunCounts::toJson shown as labelled numbers, in display order (each one a field of RunCounts).
    static QStringList countKeys();
    /// Points kept per chart series; older samples scroll out.
    static constexpr int kMaxPoints = 300;

    explicit RunPanel(ProjectSession *session, QWidget *parent = nullptr);
    ~RunPanel() override;

    QString currentJob() const;
    void setCurrentJob(const QString &job);
    /// The number shown for a count key ("created", "dead_lettered", ...), as displayed.
    QString countText(const QString &key) const;
    /// Milliseconds between chart samples; one second unless a test wants it faster.
    void setSampleInterval(int ms);
    /// The mapping open in the editor, so the panel can say when a job runs another file, or the saved
    /// version of one with unsaved changes.
    void setEditorMapping(const QString &path, bool modified);
    /// Asked before a job starts (e.g. "save the mapping first?"); false leaves the job stopped.
    void setBeforeStart(std::function<bool(const sync::JobConfig &job)> ask) { m_beforeStart = std::move(ask); }
    /// Which mapping the current job runs with, as shown.
    QString mappingLine() const;
    QList<QPointF> throughputPoints() const { return m_throughput; }
    QList<QPointF> errorPoints() const { return m_errors; }

public Q_SLOTS:
    void start();
    void stop();

Q_SIGNALS:
    /// A job of the project finished ("completed", "stopped", "failed"): for the main window.
    void jobFinished(const QString &job, const QString &status);

private:
    void buildUi();
    QWidget *buildCounts();
    QWidget *buildCharts();
    void reload();
    void onJobChanged();
    void onStarted(const QString &job, const QString &runId);
    void onProgress(const QString &job, const sync::RunProgress &progress);
    void onFinished(const QString &job, const QString &status, const QString &message, const QJsonObject &counts);
    /// The last progress of `job`; nullptr before its first report (or its final counts).
    const sync::RunProgress *latest(const QString &job) const;
    void showCounts(const sync::RunCounts &counts);
    /// The budget gauge and the line under it; `progress` null: no run yet.
    void showBudget(const sync::RunProgress *progress);
    void resetCharts();
    void sample();
    void redrawCharts();
    void updateButtons();
    void updateMappingLine();

    ProjectSession *m_session;
    QPointer<QObject> m_connectedEngine; ///< the engine whose signals this panel listens to
    QComboBox *m_job = nullptr;
    QPushButton *m_start = nullptr;
    QPushButton *m_stop = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_mappingLine = nullptr;
    QString m_editorMapping;
    bool m_editorModified = false;
    QHash<QString, QString> m_ranWith; ///< job → "portal → crm with leads.json (revision 3)" of its last run
    std::function<bool(const sync::JobConfig &)> m_beforeStart;
    QHash<QString, QLabel *> m_counts;
    QProgressBar *m_budget = nullptr;
    QLabel *m_eta = nullptr;
    QChart *m_throughputChart = nullptr;
    QChart *m_errorChart = nullptr;
    QLineSeries *m_throughputSeries = nullptr;
    QLineSeries *m_errorSeries = nullptr;
    QTimer *m_sampler = nullptr;
    QHash<QString, sync::RunProgress> m_latest; ///< the last progress of each job, shown when it is selected
    QList<QPointF> m_throughput;
    QList<QPointF> m_errors;
    qint64 m_lastErrorTotal = 0;
    qint64 m_lastSampleMs = -1;
};

} // namespace transom::ui
