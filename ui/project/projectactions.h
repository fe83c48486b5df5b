#pragma once

#include "core/common/expected.h"

#include <QHash>
#include <QObject>
#include <QPointer>

#include <functional>
#include <optional>

class QAction;
class QMenu;
class QUndoStack;
class QWidget;

namespace transom::ui {

class ProjectSession;

/// What a user makes and changes in a project without a text editor: New project, Add connection,
/// New mapping, New job / Edit job, and Rename, Duplicate and Delete of each, all through core's project
/// setup (sync/projectsetup.h). Every change to the project's files is one step on an undo stack; the
/// project is reopened after each so the studio shows what the files now say. Dialogs open without
/// blocking (open(), never exec()).
class ProjectActions : public QObject {
    Q_OBJECT
public:
    /// What an item of the project tree is.
    enum class Kind { Connection, Mapping, Job };

    ProjectActions(ProjectSession *session, QWidget *window);
    ~ProjectActions() override;

    QUndoStack *undoStack() const { return m_undo; }
    QAction *newProjectAction() const { return m_newProject; }
    QAction *addConnectionAction() const { return m_addConnection; }
    QAction *newMappingAction() const { return m_newMapping; }
    QAction *newJobAction() const { return m_newJob; }

    /// The context menu of a tree item (`name`: a connection or job name, a mapping's path); for the
    /// tree's group rows (kind unset) the "New …" actions.
    QMenu *contextMenu(std::optional<Kind> kind, const QString &name, QWidget *parent);

    void newProject();
    void addConnection();
    void newMapping();
    void newJob();
    void editJob(const QString &name);
    /// Asks for the new name (a dialog that does not block), then renames.
    void askRename(Kind kind, const QString &name);
    bool rename(Kind kind, const QString &name, const QString &newName);
    bool duplicate(Kind kind, const QString &name);
    bool remove(Kind kind, const QString &name);

Q_SIGNALS:
    void projectCreated(const QString &projectPath);
    /// A connection was added: the studio opens the connection editor for its secrets and test.
    void connectionAdded(const QString &name);
    void mappingCreated(const QString &path);
    /// A mapping file moved (renamed): whoever has it open follows it.
    void mappingRenamed(const QString &from, const QString &to);
    /// A change was refused: what and why, in words for the user.
    void failed(const QString &message);
    /// A change was made (or undone): for the status bar.
    void changed(const QString &description);

private:
    /// Runs `edit`, keeping the files it may change (`files` besides the project file) as they were
    /// before and after, as one undo step.
    bool apply(const QString &description, const QStringList &files, const std::function<std::optional<Error>()> &edit);
    void reload();
    void fail(const QString &message);

    ProjectSession *m_session;
    QWidget *m_window;
    QUndoStack *m_undo;
    QAction *m_newProject;
    QAction *m_addConnection;
    QAction *m_newMapping;
    QAction *m_newJob;
};

} // namespace transom::ui
