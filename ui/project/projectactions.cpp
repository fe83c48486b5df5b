#include "ui/project/projectactions.h"

#include "core/sync/projectsetup.h"
#include "ui/project/addconnectiondialog.h"
#include "ui/project/jobdialog.h"
#include "ui/project/newprojectdialog.h"
#include "ui/projectsession.h"

#include <QAction>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QInputDialog>
#include <QMenu>
#include <QMessageBox>
#include <QUndoCommand>
#include <QUndoStack>

namespace transom::ui {

namespace {

/// Files as they were (std::nullopt: the file did not exist).
using Snapshot = QHash<QString, std::optional<QByteArray>>;

Snapshot snapshot(const QStringList &files)
{
    Snapshot s;
    for (const QString &file : files) {
        QFile f(file);
        s.insert(file, f.open(QIODevice::ReadOnly) ? std::optional<QByteArray>(f.readAll()) : std::nullopt);
    }
    return s;
}

void restore(const Snapshot &s)
{
    for (auto it = s.begin(); it != s.end(); ++it) {
        if (!it.value())
            QFile::remove(it.key());
        else
            sync::writeProjectFile(it.key(), *it.value());
    }
}

/// One change to the project's files: undo puts them back as they were, redo as the change left them.
class FilesEdit : public QUndoCommand {
public:
    FilesEdit(const QString &text, Snapshot before, Snapshot after, std::function<void()> reload)
        : QUndoCommand(text), m_before(std::move(before)), m_after(std::move(after)), m_reload(std::move(reload))
    {}
    void undo() override
    {
        restore(m_before);
        m_reload();
    }
    void redo() override
    {
        if (m_first) { // the change itself made the files so
            m_first = false;
            return;
        }
        restore(m_after);
        m_reload();
    }

private:
    Snapshot m_before, m_after;
    std::function<void()> m_reload;
    bool m_first = true;
};

QString kindWord(ProjectActions::Kind kind)
{
    switch (kind) {
    case ProjectActions::Kind::Connection:
        return ProjectActions::tr("connection");
    case ProjectActions::Kind::Mapping:
        return ProjectActions::tr("mapping");
    case ProjectActions::Kind::Job:
        break;
    }
    return ProjectActions::tr("job");
}

QString shown(ProjectActions::Kind kind, const QString &name)
{
    return kind == ProjectActions::Kind::Mapping ? QFileInfo(name).completeBaseName() : name;
}

} // namespace

ProjectActions::ProjectActions(ProjectSession *session, QWidget *window)
    : QObject(window), m_session(session), m_window(window), m_undo(new QUndoStack(this))
{
    m_newProject = new QAction(tr("&New project…"), this);
    m_newProject->setObjectName(QStringLiteral("newProjectAction"));
    m_newProject->setShortcut(QKeySequence::New);
    connect(m_newProject, &QAction::triggered, this, &ProjectActions::newProject);
    m_addConnection = new QAction(tr("Add &connection…"), this);
    m_addConnection->setObjectName(QStringLiteral("addConnectionAction"));
    connect(m_addConnection, &QAction::triggered, this, &ProjectActions::addConnection);
    m_newMapping = new QAction(tr("New &mapping…"), this);
    m_newMapping->setObjectName(QStringLiteral("newMappingAction"));
    connect(m_newMapping, &QAction::triggered, this, &ProjectActions::newMapping);
    m_newJob = new QAction(tr("New &job…"), this);
    m_newJob->setObjectName(QStringLiteral("newJobAction"));
    connect(m_newJob, &QAction::triggered, this, &ProjectActions::newJob);
    auto enable = [this] {
        for (QAction *a : {m_addConnection, m_newMapping, m_newJob})
            a->setEnabled(m_session->isOpen());
    };
    connect(m_session, &ProjectSession::projectChanged, this, enable);
    enable();
}

ProjectActions::~ProjectActions() = default;

void ProjectActions::fail(const QString &message)
{
    Q_EMIT failed(message);
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Not done"), message, QMessageBox::Ok, m_window);
    box->setObjectName(QStringLiteral("projectActionError"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void ProjectActions::reload()
{
    const QString file = m_session->project().file;
    QString error;
    if (!file.isEmpty() && !m_session->open(file, &error))
        fail(error);
}

bool ProjectActions::apply(const QString &description, const QStringList &files,
                           const std::function<std::optional<Error>()> &edit)
{
    const QStringList all = QStringList{m_session->project().file} + files;
    Snapshot before = snapshot(all);
    if (const std::optional<Error> problem = edit()) {
        fail(problem->message);
        return false;
    }
    m_undo->push(new FilesEdit(description, std::move(before), snapshot(all), [this] { reload(); }));
    reload();
    Q_EMIT changed(description);
    return true;
}

QMenu *ProjectActions::contextMenu(std::optional<Kind> kind, const QString &name, QWidget *parent)
{
    auto *menu = new QMenu(parent);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    if (!kind) {
        menu->addActions({m_addConnection, m_newMapping, m_newJob});
        return menu;
    }
    if (*kind == Kind::Job)
        menu->addAction(tr("&Edit job…"), this, [this, name] { editJob(name); });
    menu->addAction(tr("&Rename…"), this, [this, k = *kind, name] { askRename(k, name); });
    menu->addAction(tr("D&uplicate"), this, [this, k = *kind, name] { duplicate(k, name); });
    menu->addAction(tr("&Delete"), this, [this, k = *kind, name] { remove(k, name); });
    menu->addSeparator();
    menu->addAction(*kind == Kind::Connection ? m_addConnection : *kind == Kind::Mapping ? m_newMapping : m_newJob);
    return menu;
}

void ProjectActions::newProject()
{
    auto *dialog = new NewProjectDialog(m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &NewProjectDialog::created, this, &ProjectActions::projectCreated);
    dialog->open();
}

void ProjectActions::addConnection()
{
    if (!m_session->isOpen())
        return;
    auto *dialog = new AddConnectionDialog(m_session->project(), m_session->presets(), m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const QString file = m_session->project().file;
    auto before = std::make_shared<Snapshot>(snapshot({file})); // the dialog writes the file; undo restores this
    connect(dialog, &AddConnectionDialog::added, this, [this, file, before](const QString &name) {
        m_undo->push(new FilesEdit(tr("Add connection %1").arg(name), *before, snapshot({file}), [this] { reload(); }));
        reload();
        Q_EMIT changed(tr("Added the connection %1").arg(name));
        Q_EMIT connectionAdded(name);
    });
    dialog->open();
}

void ProjectActions::newMapping()
{
    if (!m_session->isOpen())
        return;
    auto *ask = new QInputDialog(m_window);
    ask->setObjectName(QStringLiteral("newMappingName"));
    ask->setAttribute(Qt::WA_DeleteOnClose);
    ask->setWindowTitle(tr("New mapping"));
    ask->setLabelText(tr("Name of the mapping (e.g. Portal leads to CRM):"));
    connect(ask, &QInputDialog::textValueSelected, this, [this](const QString &name) {
        QString path;
        const QString file =
            QDir(sync::mappingsFolder(m_session->project().file)).absoluteFilePath(sync::mappingFileName(name));
        const bool ok = apply(tr("New mapping %1").arg(name), {file}, [&]() -> std::optional<Error> {
            auto created = sync::createMapping(m_session->project().file, name);
            if (!created)
                return created.error();
            path = created.value();
            return std::nullopt;
        });
        if (ok)
            Q_EMIT mappingCreated(path);
    });
    ask->open();
}

void ProjectActions::newJob()
{
    editJob(QString());
}

void ProjectActions::editJob(const QString &name)
{
    if (!m_session->isOpen())
        return;
    const QString file = m_session->project().file;
    auto *dialog = new JobDialog(m_session->project(), name, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    // The dialog saves through core; the file as it was is kept for undo.
    auto before = std::make_shared<Snapshot>(snapshot({file}));
    connect(dialog, &JobDialog::saved, this, [this, file, before, name](const QString &saved) {
        const QString text = name.isEmpty() ? tr("New job %1").arg(saved) : tr("Edit job %1").arg(saved);
        m_undo->push(new FilesEdit(text, *before, snapshot({file}), [this] { reload(); }));
        reload();
        Q_EMIT changed(text);
    });
    dialog->open();
}

void ProjectActions::askRename(Kind kind, const QString &name)
{
    auto *ask = new QInputDialog(m_window);
    ask->setObjectName(QStringLiteral("renameDialog"));
    ask->setAttribute(Qt::WA_DeleteOnClose);
    ask->setWindowTitle(tr("Rename %1").arg(kindWord(kind)));
    ask->setLabelText(tr("New name of the %1 %2:").arg(kindWord(kind), shown(kind, name)));
    ask->setTextValue(shown(kind, name));
    connect(ask, &QInputDialog::textValueSelected, this,
            [this, kind, name](const QString &newName) { rename(kind, name, newName.trimmed()); });
    ask->open();
}

bool ProjectActions::rename(Kind kind, const QString &name, const QString &newName)
{
    const QString file = m_session->project().file;
    const QString description = tr("Rename %1 %2 to %3").arg(kindWord(kind), shown(kind, name), newName);
    switch (kind) {
    case Kind::Connection:
        return apply(description, {}, [&]() -> std::optional<Error> {
            auto r = sync::renameConnection(file, name, newName);
            return r ? std::nullopt : std::optional<Error>(r.error());
        });
    case Kind::Job:
        return apply(description, {}, [&]() -> std::optional<Error> {
            const sync::JobConfig *job = m_session->project().job(name);
            if (!job)
                return Error(tr("The project has no job \"%1\".").arg(name));
            sync::JobConfig renamed = *job;
            renamed.name = newName;
            auto r = sync::saveJob(file, renamed, name);
            return r ? std::nullopt : std::optional<Error>(r.error());
        });
    case Kind::Mapping: {
        const QString target = QFileInfo(name).absoluteDir().absoluteFilePath(sync::mappingFileName(newName));
        QString moved;
        const bool ok = apply(description, {name, target}, [&]() -> std::optional<Error> {
            auto r = sync::renameMapping(file, name, newName);
            if (!r)
                return r.error();
            moved = r.value();
            return std::nullopt;
        });
        if (ok)
            Q_EMIT mappingRenamed(name, moved);
        return ok;
    }
    }
    return false;
}

bool ProjectActions::duplicate(Kind kind, const QString &name)
{
    const QString file = m_session->project().file;
    const QString description = tr("Duplicate %1 %2").arg(kindWord(kind), shown(kind, name));
    switch (kind) {
    case Kind::Connection:
        return apply(description, {}, [&]() -> std::optional<Error> {
            auto r = sync::duplicateConnection(file, name);
            return r ? std::nullopt : std::optional<Error>(r.error());
        });
    case Kind::Job:
        return apply(description, {}, [&]() -> std::optional<Error> {
            auto r = sync::duplicateJob(file, name);
            return r ? std::nullopt : std::optional<Error>(r.error());
        });
    case Kind::Mapping: {
        // The copy's path is known only after it is made: snapshot the folder's would-be copy by asking first.
        auto copy = sync::duplicateMapping(file, name);
        if (!copy) {
            fail(copy.error().message);
            return false;
        }
        Snapshot after = snapshot({copy.value()});
        Snapshot before{{copy.value(), std::nullopt}};
        m_undo->push(new FilesEdit(description, before, after, [this] { reload(); }));
        reload();
        Q_EMIT changed(description);
        return true;
    }
    }
    return false;
}

bool ProjectActions::remove(Kind kind, const QString &name)
{
    const QString file = m_session->project().file;
    const QString description = tr("Delete %1 %2").arg(kindWord(kind), shown(kind, name));
    switch (kind) {
    case Kind::Connection:
        return apply(description, {}, [&]() -> std::optional<Error> {
            auto r = sync::removeConnection(file, name);
            return r ? std::nullopt : std::optional<Error>(r.error());
        });
    case Kind::Job:
        return apply(description, {}, [&]() -> std::optional<Error> {
            auto r = sync::removeJob(file, name);
            return r ? std::nullopt : std::optional<Error>(r.error());
        });
    case Kind::Mapping:
        return apply(description, {name}, [&]() -> std::optional<Error> {
            auto r = sync::removeMapping(file, name);
            return r ? std::nullopt : std::optional<Error>(r.error());
        });
    }
    return false;
}

} // namespace transom::ui
