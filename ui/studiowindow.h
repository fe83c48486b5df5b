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
    /// Whether `path` is a file Transom ships (under resourceDir() or the source tree's resources) or one
    /// this user cannot write: Save never writes there.
    static bool isShippedFile(const QString &path);
    /// Where "Save mapping" puts a copy of a shipped mapping: beside the open project when it is the
    /// user's own, else in the user's data folder (projects/mappings); never an existing file.
    QString userCopyPath(const QString &shippedPath) const;

    /// File → Save mapping: saves in place, or, for a shipped mapping, as a copy in the user's folder
    /// (the jobs of the open project that used it are pointed at the copy). Returns where it saved
    /// ("" on failure, with `error` set).
    QString saveMapping(QString *error);

    /// View → Reset layout: docks back where they start, all shown, default sizes.
    void resetLayout();

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
    void applyDefaultDockSizes();

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
    QDockWidget *m_projectDock;
    QByteArray m_defaultState;
    QMenu *m_recentMenu;
    class ProjectActions *m_projectActions;
    QString m_currentJob;
};

/// Applies the language and appearance chosen in preferences (or the system's) to the application.
void applyPreferences(QApplication &app);

} // namespace transom::ui
