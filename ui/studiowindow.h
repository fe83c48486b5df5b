#pragma once

#include "ui/mappingsession.h"

#include <QMainWindow>

class QDockWidget;
class QLabel;
class QMenu;
class QTreeWidget;
class QTreeWidgetItem;

namespace transom::ui {

class DeadLetterBrowser;
class LogView;
class MappingView;
class ProjectSession;
class RunPanel;

/// Transom's main window: the project (connections, mappings, jobs) on the left, the mapping in the
/// middle, docks for the run panel, the live log and the dead letters.
class StudioWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit StudioWindow(QWidget *parent = nullptr);
    ~StudioWindow() override;

    /// Opens a project and the first job's mapping with its samples. Errors are shown, not thrown.
    bool openProject(const QString &path, QString *error = nullptr);
    /// Opens a mapping document into the editor (asks to save unsaved changes first when interactive).
    bool openMapping(const QString &path, QString *error = nullptr);
    /// Loads samples from a file, off the UI thread; `done` reports the outcome.
    void loadSamples(Side side, const QString &path);

    ProjectSession *project() const { return m_project; }
    MappingSession *mapping() const { return m_mapping; }
    MappingView *mappingView() const { return m_view; }
    RunPanel *runPanel() const { return m_run; }
    LogView *logView() const { return m_log; }
    DeadLetterBrowser *deadLetters() const { return m_deadLetters; }
    QTreeWidget *projectTree() const { return m_tree; }

    /// The demo project, copied on first use into the user's data folder with its paths filled in.
    static QString demoProjectPath(QString *error = nullptr);
    /// Where Transom's shared files are (presets, demo, mappings): installed, build tree or sources.
    static QString resourceDir();

Q_SIGNALS:
    void samplesLoaded(transom::ui::Side side, bool ok, const QString &message);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildMenus();
    void fillProjectTree();
    void onTreeActivated(QTreeWidgetItem *item);
    void chooseSamples(Side side);
    void fetchSamples(Side side);
    bool confirmDiscard();
    void updateTitle();
    void addRecent(const QString &path);
    void showPreferences();
    void showAbout();
    void openConnectionEditor(const QString &name);
    void wireProjectActions();

    ProjectSession *m_project;
    MappingSession *m_mapping;
    MappingView *m_view;
    QTreeWidget *m_tree;
    RunPanel *m_run;
    LogView *m_log;
    DeadLetterBrowser *m_deadLetters;
    QDockWidget *m_runDock;
    QDockWidget *m_logDock;
    QDockWidget *m_deadDock;
    QMenu *m_recentMenu;
    class ProjectActions *m_projectActions;
    QString m_currentJob;
};

/// Applies the language and appearance chosen in preferences (or the system's) to the application.
void applyPreferences(QApplication &app);

} // namespace transom::ui
