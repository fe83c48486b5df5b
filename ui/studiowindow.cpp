#include "ui/studiowindow.h"

#include "core/sync/projectsetup.h"
#include "ui/workerpool.h"

#include "core/connect/connectorregistry.h"
#include "core/sync/connectiontest.h"
#include "core/sync/projectedit.h"
#include "ui/connectioneditor.h"
#include "ui/deadletterbrowser.h"
#include "ui/logview.h"
#include "ui/mappingcanvas.h"
#include "ui/mappingview.h"
#include "ui/project/projectactions.h"
#include "ui/projectsession.h"
#include "ui/runpanel.h"
#include "ui/secretoriginprompt.h"
#include "ui/traceview.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDesktopServices>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QHeaderView>
#include <QLabel>
#include <QLibraryInfo>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QStyle>
#include <QStyleFactory>
#include <QThreadPool>
#include <QTranslator>
#include <QTreeWidget>
#include <QUndoStack>
#include <QUrl>
#include <QtConcurrent/QtConcurrentRun>

namespace transom::ui {

namespace {

enum TreeRole { KindRole = Qt::UserRole + 1, NameRole, PathRole };
enum TreeKind { ConnectionItem = 1, MappingItem, JobItem };

constexpr int maxRecent = 8;

/// The preference that remembers which samples a mapping was last previewed with.
QString samplesKey(const QString &mappingPath, Side side)
{
    return QStringLiteral("samples/%1/%2")
        .arg(QString::fromLatin1(mappingPath.toUtf8().toBase64()),
             side == Side::Source ? QStringLiteral("source") : QStringLiteral("target"));
}

/// Writes a preference off the UI thread: QSettings saves with an fsync, which can take a few hundred
/// milliseconds on a busy disk.
void remember(const QString &key, const QVariant &value)
{
    workerPool()->start([key, value] { QSettings().setValue(key, value); });
}

/// The values target fields accept, as the destinations of the jobs that use `mappingPath` declare them in
/// their presets: "fields": [{"path": "person.stage", "values": ["Lead", "Cold", ...]}].
QHash<QString, QStringList> declaredTargetValues(const ProjectSession &session, const QString &mappingPath)
{
    QHash<QString, QStringList> values;
    if (!session.isOpen())
        return values;
    const sync::Project &project = session.project();
    for (const sync::JobConfig &job : project.jobs) {
        if (QFileInfo(project.resolve(job.mapping)) != QFileInfo(mappingPath))
            continue;
        const sync::ConnectionConfig *sink = project.connection(job.sink);
        const connect::Preset *preset = sink ? session.presets().find(sink->preset) : nullptr;
        if (!preset)
            continue;
        for (const QJsonValue &field : preset->fields) {
            const QJsonObject o = field.toObject();
            QStringList &list = values[o.value(QLatin1String("path")).toString()];
            for (const QJsonValue &v : o.value(QLatin1String("values")).toArray())
                if (!v.toString().isEmpty() && !list.contains(v.toString()))
                    list.append(v.toString());
        }
    }
    values.removeIf([](const auto &entry) { return entry.value().isEmpty(); });
    return values;
}

/// A dock's content in a scroll area, so that the window still fits a small screen.
QScrollArea *scrollable(QWidget *content)
{
    auto *area = new QScrollArea;
    area->setWidget(content);
    area->setWidgetResizable(true);
    area->setFrameShape(QFrame::NoFrame);
    return area;
}

} // namespace

QString StudioWindow::resourceDir()
{
    const QString app = QCoreApplication::applicationDirPath();
    for (const QString &candidate :
         {app + QStringLiteral("/../share/transom"), app + QStringLiteral("/../../resources"),
          QStringLiteral(TRANSOM_SOURCE_DIR "/resources")})
        if (QFileInfo(candidate + QStringLiteral("/presets")).isDir())
            return QDir(candidate).canonicalPath();
    return {};
}

bool StudioWindow::isShippedFile(const QString &path)
{
    const QFileInfo file(path);
    const QString canonical = file.exists() ? file.canonicalFilePath() : file.absoluteFilePath();
    QStringList shipped{QStringLiteral(TRANSOM_SOURCE_DIR "/resources")};
    if (const QString resources = resourceDir(); !resources.isEmpty())
        shipped.append(resources);
    for (const QString &folder : std::as_const(shipped)) {
        const QFileInfo dir(folder);
        const QString root = (dir.exists() ? dir.canonicalFilePath() : dir.absoluteFilePath()) + QLatin1Char('/');
        if (canonical.startsWith(root))
            return true;
    }
    // A file this user cannot change is someone else's to keep (an installed or shared copy).
    return file.exists() ? !file.isWritable() : !QFileInfo(file.absolutePath()).isWritable();
}

QString StudioWindow::userCopyPath(const QString &shippedPath) const
{
    QString folder;
    if (m_project->isOpen()) {
        const QFileInfo project(m_project->project().file);
        if (!isShippedFile(project.absoluteFilePath()) && QFileInfo(project.absolutePath()).isWritable())
            folder = sync::mappingsFolder(project.absoluteFilePath());
    }
    if (folder.isEmpty())
        folder =
            QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/projects/mappings");
    const QFileInfo shipped(shippedPath);
    const QString base = shipped.completeBaseName().isEmpty() ? QStringLiteral("mapping") : shipped.completeBaseName();
    QString path = folder + QLatin1Char('/') + base + QStringLiteral(".json");
    for (int n = 2; QFileInfo::exists(path); ++n) // never over a copy saved before
        path = QStringLiteral("%1/%2-%3.json").arg(folder, base).arg(n);
    return path;
}

QString StudioWindow::saveMapping(QString *error)
{
    const QString current = m_mapping->path();
    if (current.isEmpty() || !isShippedFile(current)) {
        if (!m_mapping->save(error))
            return {};
        statusBar()->showMessage(tr("Saved %1 (revision %2)").arg(current).arg(m_mapping->document().revision), 5000);
        return current;
    }
    // The shipped mapping stays as installed: the edits go to the user's own copy.
    const QString copy = userCopyPath(current);
    if (!QDir().mkpath(QFileInfo(copy).absolutePath())) {
        if (error)
            *error = tr("Cannot create the folder %1").arg(QFileInfo(copy).absolutePath());
        return {};
    }
    if (!m_mapping->saveAs(copy, error))
        return {};
    const QString shippedChecks = mapping::checksPathFor(current);
    if (QFileInfo::exists(shippedChecks))
        QFile::copy(shippedChecks, mapping::checksPathFor(copy));
    QString message = tr("%1 is part of Transom and is never changed: saved your mapping as %2")
                          .arg(QFileInfo(current).fileName(), QDir::toNativeSeparators(copy));
    if (m_project->isOpen() && !isShippedFile(m_project->project().file)) {
        const auto repointed = sync::repointJobMappings(m_project->project().file, current, copy);
        if (repointed && repointed.value() > 0) {
            QString reopenError;
            m_project->open(m_project->project().file, &reopenError); // the engine runs the copy from now on
            message += QLatin1Char(' ') + tr("(%n job(s) of the project now use it)", nullptr, repointed.value());
        } else if (!repointed) {
            message +=
                QLatin1Char(' ') + tr("(the project still names the original: %1)").arg(repointed.error().message);
        }
    }
    statusBar()->showMessage(message, 15000);
    return copy;
}

QString StudioWindow::demoProjectPath(QString *error)
{
    const QString resources = resourceDir();
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/demo");
    const QString path = folder + QStringLiteral("/project.json");
    if (QFileInfo::exists(path))
        return path;
    QFile source(resources + QStringLiteral("/demo/project.json"));
    if (resources.isEmpty() || !source.open(QIODevice::ReadOnly)) {
        if (error)
            *error = tr("The demo project is not installed (looked in %1).").arg(resources);
        return {};
    }
    QDir().mkpath(folder);
    QByteArray text = source.readAll();
    text.replace("@RESOURCES@", resources.toUtf8());
    QFile project(path);
    if (!project.open(QIODevice::WriteOnly) || project.write(text) < 0) {
        if (error)
            *error = tr("Cannot write %1: %2").arg(path, project.errorString());
        return {};
    }
    project.close();
    // The sandbox vendors' demo keys; the credentials file must be private to the user.
    const QString credentials = folder + QStringLiteral("/credentials.json");
    QFile::copy(resources + QStringLiteral("/demo/credentials.json"), credentials);
    QFile::setPermissions(credentials, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    return path;
}

StudioWindow::StudioWindow(QWidget *parent) : QMainWindow(parent)
{
    setObjectName(QStringLiteral("StudioWindow"));
    m_project = new ProjectSession(this);
    new SecretOriginPrompt(m_project, this); // before any keychain secret goes to a new address
    m_projectActions = new ProjectActions(m_project, this);
    m_mapping = new MappingSession(this);
    m_view = new MappingView(m_mapping, this);
    setCentralWidget(m_view);
    connect(m_view, &MappingView::openSamplesRequested, this, &StudioWindow::chooseSamples);
    connect(m_view, &MappingView::fetchSamplesRequested, this, &StudioWindow::fetchSamples);
    connect(m_view, &MappingView::samplesFileDropped, this, &StudioWindow::loadSamples);

    m_tree = new QTreeWidget(this);
    m_tree->setHeaderHidden(true);
    m_tree->setAccessibleName(tr("Project"));
    connect(m_tree, &QTreeWidget::itemActivated, this, &StudioWindow::onTreeActivated);
    m_projectDock = new QDockWidget(tr("Project"), this);
    m_projectDock->setObjectName(QStringLiteral("ProjectDock"));
    m_projectDock->setWidget(m_tree);
    addDockWidget(Qt::LeftDockWidgetArea, m_projectDock);

    m_run = new RunPanel(m_project, this);
    m_runDock = new QDockWidget(tr("Run"), this);
    m_runDock->setObjectName(QStringLiteral("RunDock"));
    m_runDock->setWidget(scrollable(m_run));
    addDockWidget(Qt::BottomDockWidgetArea, m_runDock);

    m_log = new LogView(m_project, this);
    m_logDock = new QDockWidget(tr("Live log"), this);
    m_logDock->setObjectName(QStringLiteral("LogDock"));
    m_logDock->setWidget(m_log);
    addDockWidget(Qt::BottomDockWidgetArea, m_logDock);

    m_deadLetters = new DeadLetterBrowser(m_project, this);
    m_deadDock = new QDockWidget(tr("Dead letters"), this);
    m_deadDock->setObjectName(QStringLiteral("DeadLetterDock"));
    m_deadDock->setWidget(m_deadLetters); // it scrolls its panes itself: Retry and Discard stay in view
    addDockWidget(Qt::BottomDockWidgetArea, m_deadDock);
    splitDockWidget(m_runDock, m_logDock, Qt::Horizontal);
    tabifyDockWidget(m_logDock, m_deadDock);
    m_logDock->raise();

    connect(m_log, &LogView::traceRequested, this, [this](const QString &record) {
        auto *trace = new TraceView(m_project, nullptr);
        trace->setAttribute(Qt::WA_DeleteOnClose);
        trace->setWindowFlag(Qt::Window);
        trace->setWindowTitle(tr("Trace of %1").arg(record));
        trace->resize(760, 420);
        trace->show();
        trace->trace(record);
    });
    connect(m_run, &RunPanel::jobFinished, m_deadLetters, &DeadLetterBrowser::refresh);
    connect(m_mapping, &MappingSession::pathChanged, this, &StudioWindow::updateTitle);
    connect(m_mapping->undoStack(), &QUndoStack::cleanChanged, this, &StudioWindow::updateTitle);
    connect(m_project, &ProjectSession::projectChanged, this, &StudioWindow::fillProjectTree);

    buildMenus();
    wireProjectActions();
    statusBar()->showMessage(tr("Open a project, or start from the demo project."));
    // A laptop screen (1366×768) is used whole; a big one gets a comfortable window, not a wall of it.
    const QSize available = screen() ? screen()->availableSize() : QSize(1440, 900);
    if (available.width() <= 1440) // the window manager's title bar comes on top of this size
        resize(available.width(), available.height() - style()->pixelMetric(QStyle::PM_TitleBarHeight));
    else
        resize(std::min(1600, available.width() * 9 / 10), std::min(1000, available.height() * 9 / 10));
    applyDefaultDockSizes();
    m_defaultState = saveState();
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    updateTitle();
}

StudioWindow::~StudioWindow()
{
    // The mapping session goes after this window's members: its undo stack, cleared on the way out, must
    // not call back into a half-destroyed window (updateTitle, the run panel's mapping line).
    m_mapping->undoStack()->disconnect(this);
    m_mapping->disconnect(this);
    m_project->disconnect(this);
}

void StudioWindow::applyDefaultDockSizes()
{
    // The mapping in the middle keeps most of the height: the bottom docks take about a third.
    resizeDocks({m_projectDock}, {230}, Qt::Horizontal);
    resizeDocks({m_runDock, m_logDock}, {430, std::max(400, width() - 430 - 230)}, Qt::Horizontal);
    resizeDocks({m_logDock}, {std::clamp(height() * 3 / 10, 180, 320)}, Qt::Vertical);
}

void StudioWindow::resetLayout()
{
    restoreState(m_defaultState);
    for (QDockWidget *dock : {m_projectDock, m_runDock, m_logDock, m_deadDock}) {
        dock->setFloating(false);
        dock->show();
    }
    m_logDock->raise();
    applyDefaultDockSizes();
    statusBar()->showMessage(tr("The window's layout is back to how it starts."), 5000);
}

void StudioWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_projectActions->newProjectAction());
    QAction *openProject = file->addAction(tr("&Open project…"), this, [this] {
        const QString path =
            QFileDialog::getOpenFileName(this, tr("Open project"), {}, tr("Transom projects (*.json)"));
        if (!path.isEmpty())
            this->openProject(path);
    });
    openProject->setShortcut(QKeySequence::Open);
    file->addAction(tr("Open the &demo project"), this, [this] {
        QString error;
        const QString path = demoProjectPath(&error);
        if (path.isEmpty())
            QMessageBox::warning(this, tr("Demo project"), error);
        else
            this->openProject(path);
    });
    m_recentMenu = file->addMenu(tr("Recent projects"));
    connect(m_recentMenu, &QMenu::aboutToShow, this, [this] {
        m_recentMenu->clear();
        for (const QString &path : QSettings().value(QStringLiteral("recentProjects")).toStringList())
            m_recentMenu->addAction(path, this, [this, path] { this->openProject(path); });
    });
    file->addSeparator();
    file->addAction(tr("Open &mapping…"), this, [this] {
        if (!confirmDiscard())
            return;
        const QString path = QFileDialog::getOpenFileName(this, tr("Open mapping"), {}, tr("Mappings (*.json)"));
        QString error;
        if (!path.isEmpty() && !openMapping(path, &error))
            QMessageBox::warning(this, tr("Open mapping"), error);
    });
    QAction *save = file->addAction(tr("&Save mapping"), this, [this] {
        QString error;
        if (saveMapping(&error).isEmpty())
            QMessageBox::warning(this, tr("Save mapping"), error);
    });
    save->setShortcut(QKeySequence::Save);
    QAction *saveAs = file->addAction(tr("Save mapping &as…"), this, [this] {
        const QString path =
            QFileDialog::getSaveFileName(this, tr("Save mapping as"), m_mapping->path(), tr("Mappings (*.json)"));
        QString error;
        if (!path.isEmpty() && !m_mapping->saveAs(path, &error))
            QMessageBox::warning(this, tr("Save mapping"), error);
    });
    saveAs->setShortcut(QKeySequence::SaveAs);
    file->addSeparator();
    file->addAction(tr("Open source samples…"), this, [this] { chooseSamples(Side::Source); });
    file->addAction(tr("Open target samples…"), this, [this] { chooseSamples(Side::Target); });
    file->addSeparator();
    QAction *preferences = file->addAction(tr("&Preferences…"), this, &StudioWindow::showPreferences);
    preferences->setShortcut(QKeySequence::Preferences);
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    QAction *undo = m_mapping->undoStack()->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    QAction *redo = m_mapping->undoStack()->createRedoAction(this, tr("&Redo"));
    // Ctrl+Shift+Z is the platform's Redo on some systems only; listing it twice made Qt call the
    // shortcut ambiguous and do nothing.
    QList<QKeySequence> redoKeys = QKeySequence::keyBindings(QKeySequence::Redo);
    if (!redoKeys.contains(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z)))
        redoKeys.append(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z));
    redo->setShortcuts(redoKeys);
    edit->addAction(undo);
    edit->addAction(redo);
    edit->addSeparator();
    edit->addActions(m_view->canvas()->actions());
    edit->addAction(tr("Suggest mappings…"), this, [this] { m_view->suggest(); });

    edit->addSeparator();
    edit->addAction(m_view->nextErrorAction());
    QMenu *projectMenu = menuBar()->addMenu(tr("&Project"));
    projectMenu->setObjectName(QStringLiteral("projectMenu"));
    projectMenu->addActions({m_projectActions->addConnectionAction(), m_projectActions->newMappingAction(),
                             m_projectActions->newJobAction()});
    projectMenu->addSeparator();
    QAction *undoProject = m_projectActions->undoStack()->createUndoAction(this, tr("Undo project change"));
    undoProject->setObjectName(QStringLiteral("undoProjectChange"));
    QAction *redoProject = m_projectActions->undoStack()->createRedoAction(this, tr("Redo project change"));
    redoProject->setObjectName(QStringLiteral("redoProjectChange"));
    projectMenu->addActions({undoProject, redoProject});

    QMenu *view = menuBar()->addMenu(tr("&View"));
    for (QDockWidget *dock : findChildren<QDockWidget *>())
        view->addAction(dock->toggleViewAction());
    view->addSeparator();
    view->addAction(tr("&Reset layout"), this, &StudioWindow::resetLayout);

    QMenu *run = menuBar()->addMenu(tr("&Run"));
    QAction *start = run->addAction(tr("&Start job"), m_run, &RunPanel::start);
    start->setShortcut(QKeySequence(Qt::Key_F5));
    QAction *stop = run->addAction(tr("S&top"), m_run, &RunPanel::stop);
    stop->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F5));
    run->addAction(tr("Refresh dead letters"), m_deadLetters, &DeadLetterBrowser::refresh);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("User &guide"), this, [] {
        const QString resources = resourceDir();
        for (const QString &candidate : {resources + QStringLiteral("/../doc/transom/user-guide.md"),
                                         resources + QStringLiteral("/../docs/user-guide.md")})
            if (QFileInfo::exists(candidate)) {
                QDesktopServices::openUrl(QUrl::fromLocalFile(candidate));
                return;
            }
    });
    help->addAction(tr("&About Transom"), this, &StudioWindow::showAbout);
}

bool StudioWindow::openProject(const QString &path, QString *errorOut)
{
    QString error;
    if (!confirmDiscard())
        return false;
    if (!m_project->open(path, &error)) {
        if (errorOut)
            *errorOut = error;
        else
            QMessageBox::warning(this, tr("Open project"), tr("Cannot open %1:\n%2").arg(path, error));
        return false;
    }
    addRecent(path);
    const sync::Project &project = m_project->project();
    statusBar()->showMessage(tr("Opened %1").arg(project.name), 5000);
    if (!project.jobs.isEmpty()) {
        const sync::JobConfig &job = project.jobs.first();
        m_currentJob = job.name;
        m_run->setCurrentJob(job.name);
        if (!openMapping(project.resolve(job.mapping), &error)) {
            if (errorOut)
                *errorOut = error;
            return false;
        }
    }
    return true;
}

bool StudioWindow::openMapping(const QString &path, QString *error)
{
    if (!m_mapping->open(path, error))
        return false;
    m_mapping->setDeclaredTargetValues(declaredTargetValues(*m_project, path));
    // Samples used with this mapping last time, else the ones its job names in the project.
    QSettings settings;
    QString source = settings.value(samplesKey(path, Side::Source)).toString();
    QString target = settings.value(samplesKey(path, Side::Target)).toString();
    if (m_project->isOpen())
        for (const sync::JobConfig &job : m_project->project().jobs)
            if (QFileInfo(job.mapping) == QFileInfo(path)) {
                source = source.isEmpty() ? job.sourceSamples : source;
                target = target.isEmpty() ? job.targetSamples : target;
            }
    m_mapping->setSamples(Side::Source, {});
    m_mapping->setSamples(Side::Target, {});
    if (QFileInfo::exists(source))
        loadSamples(Side::Source, source);
    if (QFileInfo::exists(target))
        loadSamples(Side::Target, target);
    return true;
}

void StudioWindow::loadSamples(Side side, const QString &path)
{
    statusBar()->showMessage(tr("Loading %1…").arg(QFileInfo(path).fileName()));
    auto *watcher = new QFutureWatcher<Expected<SampleSet>>(this);
    connect(watcher, &QFutureWatcher<Expected<SampleSet>>::finished, this, [this, watcher, side, path] {
        watcher->deleteLater();
        Expected<SampleSet> result = watcher->future().takeResult();
        if (!result) {
            const QString message = result.error().toString();
            statusBar()->showMessage(message, 10000);
            Q_EMIT samplesLoaded(side, false, message);
            return;
        }
        const QString message =
            tr("%n record(s) from %1", nullptr, int(result.value().records.size())).arg(QFileInfo(path).fileName()) +
            (result.value().problems.isEmpty()
                 ? QString()
                 : tr("; %n could not be read", nullptr, int(result.value().problems.size())));
        m_mapping->setSamples(side, std::move(result.value()));
        if (!m_mapping->path().isEmpty()) {
            remember(samplesKey(m_mapping->path(), side), path);
        }
        statusBar()->showMessage(message, 5000);
        Q_EMIT samplesLoaded(side, true, message);
    });
    watcher->setFuture(QtConcurrent::run(workerPool(), [path] { return transom::ui::loadSamples(path); }));
}

void StudioWindow::chooseSamples(Side side)
{
    const QString path =
        QFileDialog::getOpenFileName(this, side == Side::Source ? tr("Open source samples") : tr("Open target samples"),
                                     {}, tr("Records (*.json *.ndjson *.jsonl *.csv);;All files (*)"));
    if (!path.isEmpty())
        loadSamples(side, path);
}

void StudioWindow::fetchSamples(Side side)
{
    const sync::JobConfig *job = m_project->isOpen() ? m_project->project().job(m_currentJob) : nullptr;
    if (!job) {
        QMessageBox::information(this, tr("Fetch samples"), tr("Open a project with a job first."));
        return;
    }
    if (side == Side::Target) {
        QMessageBox::information(
            this, tr("Fetch samples"),
            tr("A destination has no records to fetch: open a file with records of %1 instead.").arg(job->sink));
        return;
    }
    const QString connection = job->source;
    statusBar()->showMessage(tr("Fetching the first page from %1…").arg(connection));
    auto *watcher = new QFutureWatcher<Expected<QList<QJsonObject>>>(this);
    connect(watcher, &QFutureWatcher<Expected<QList<QJsonObject>>>::finished, this, [this, watcher, connection] {
        watcher->deleteLater();
        Expected<QList<QJsonObject>> records = watcher->future().takeResult();
        if (!records) {
            const QString message = tr("Cannot fetch from %1: %2").arg(connection, records.error().toString());
            statusBar()->showMessage(message, 10000);
            Q_EMIT samplesLoaded(Side::Source, false, message);
            return;
        }
        const QString message =
            tr("%n record(s) fetched from %1", nullptr, int(records.value().size())).arg(connection);
        m_mapping->setSamples(Side::Source, samplesFrom(connection, records.value()));
        statusBar()->showMessage(message, 5000);
        Q_EMIT samplesLoaded(Side::Source, true, message);
    });
    watcher->setFuture(QtConcurrent::run(
        workerPool(), [project = m_project->project(), presets = m_project->presets(), secrets = m_project->secrets(),
                       connection] { return sync::fetchFirstPage(project, connection, presets, secrets); }));
}

void StudioWindow::fillProjectTree()
{
    m_tree->clear();
    if (!m_project->isOpen()) {
        updateTitle();
        return;
    }
    const sync::Project &project = m_project->project();
    auto *connections = new QTreeWidgetItem(m_tree, {tr("Connections")});
    for (const sync::ConnectionConfig &c : project.connections) {
        auto *item =
            new QTreeWidgetItem(connections, {tr("%1 (%2)").arg(c.name, c.preset.isEmpty() ? c.connector : c.preset)});
        item->setData(0, KindRole, ConnectionItem);
        item->setData(0, NameRole, c.name);
        item->setToolTip(0, tr("Double-click to edit the connection, sign in or test it"));
    }
    auto *mappings = new QTreeWidgetItem(m_tree, {tr("Mappings")});
    QSet<QString> seen;
    QStringList mappingFiles;
    for (const sync::JobConfig &j : project.jobs)
        mappingFiles.append(project.resolve(j.mapping));
    const QDir mappingFolder(sync::mappingsFolder(project.file));
    for (const QString &name : mappingFolder.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name))
        mappingFiles.append(mappingFolder.absoluteFilePath(name));
    for (const QString &path : std::as_const(mappingFiles)) {
        if (seen.contains(path))
            continue;
        seen.insert(path);
        auto *item = new QTreeWidgetItem(mappings, {QFileInfo(path).completeBaseName()});
        item->setData(0, KindRole, MappingItem);
        item->setData(0, PathRole, path);
        item->setToolTip(0, path);
    }
    auto *jobs = new QTreeWidgetItem(m_tree, {tr("Jobs")});
    for (const sync::JobConfig &j : project.jobs) {
        auto *item = new QTreeWidgetItem(
            jobs, {tr("%1: %2 → %3 (%4)").arg(j.name, j.source, j.sink, QFileInfo(j.mapping).fileName())});
        item->setToolTip(
            0, tr("Mapping: %1\nDouble-click to run it from the Run panel; right-click to edit").arg(j.mapping));
        item->setData(0, KindRole, JobItem);
        item->setData(0, NameRole, j.name);
        item->setData(0, PathRole, project.resolve(j.mapping));
    }
    m_tree->expandAll();
    updateTitle();
}

void StudioWindow::onTreeActivated(QTreeWidgetItem *item)
{
    switch (item->data(0, KindRole).toInt()) {
    case ConnectionItem:
        openConnectionEditor(item->data(0, NameRole).toString());
        break;
    case MappingItem: {
        QString error;
        if (confirmDiscard() && !openMapping(item->data(0, PathRole).toString(), &error))
            QMessageBox::warning(this, tr("Open mapping"), error);
        break;
    }
    case JobItem:
        m_currentJob = item->data(0, NameRole).toString();
        m_run->setCurrentJob(m_currentJob);
        m_runDock->raise();
        break;
    }
}

void StudioWindow::openConnectionEditor(const QString &name)
{
    auto *editor = new ConnectionEditor(m_project, name, this);
    editor->setAttribute(Qt::WA_DeleteOnClose);
    connect(editor, &ConnectionEditor::saved, this, [this] {
        // the engine picks the changed connection up from the file
        QString error;
        if (!m_project->open(m_project->project().file, &error))
            QMessageBox::warning(this, tr("Connection"), error);
    });
    editor->open();
}

void StudioWindow::wireProjectActions()
{
    m_tree->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_tree, &QTreeWidget::customContextMenuRequested, this, [this](const QPoint &at) {
        if (!m_project->isOpen())
            return;
        const QTreeWidgetItem *item = m_tree->itemAt(at);
        std::optional<ProjectActions::Kind> kind;
        QString name;
        if (item) {
            switch (item->data(0, KindRole).toInt()) {
            case ConnectionItem:
                kind = ProjectActions::Kind::Connection;
                name = item->data(0, NameRole).toString();
                break;
            case MappingItem:
                kind = ProjectActions::Kind::Mapping;
                name = item->data(0, PathRole).toString();
                break;
            case JobItem:
                kind = ProjectActions::Kind::Job;
                name = item->data(0, NameRole).toString();
                break;
            }
        }
        m_projectActions->contextMenu(kind, name, m_tree)->popup(m_tree->viewport()->mapToGlobal(at));
    });
    connect(m_projectActions, &ProjectActions::projectCreated, this,
            [this](const QString &path) { openProject(path); });
    connect(m_projectActions, &ProjectActions::connectionAdded, this, &StudioWindow::openConnectionEditor);
    connect(m_projectActions, &ProjectActions::mappingCreated, this, [this](const QString &path) {
        QString error;
        if (confirmDiscard() && !openMapping(path, &error))
            QMessageBox::warning(this, tr("Open mapping"), error);
    });
    connect(m_projectActions, &ProjectActions::changed, this,
            [this](const QString &what) { statusBar()->showMessage(what, 5000); });

    // The run panel says which mapping a job runs, and Start never silently runs an older saved version.
    // The dead letters likewise say which mapping a re-map uses, and offer the one on screen.
    auto tellRunPanel = [this] {
        m_run->setEditorMapping(m_mapping->path(), m_mapping->isModified());
        m_deadLetters->setEditorMapping(m_mapping->path(), m_mapping->isModified(), m_mapping->document().revision);
    };
    m_deadLetters->setSaveEditorMapping([this](QString *error) { return saveMapping(error); });
    connect(m_mapping, &MappingSession::pathChanged, this, tellRunPanel);
    connect(m_mapping->undoStack(), &QUndoStack::cleanChanged, this, tellRunPanel);
    m_run->setBeforeStart([this](const sync::JobConfig &job) {
        const bool same = QFileInfo(m_mapping->path()).absoluteFilePath() == QFileInfo(job.mapping).absoluteFilePath();
        if (!same || !m_mapping->isModified())
            return true;
        QMessageBox ask(QMessageBox::Question, tr("Unsaved mapping"),
                        tr("The job %1 runs the mapping %2, which has unsaved changes on screen.")
                            .arg(job.name, QFileInfo(job.mapping).fileName()),
                        QMessageBox::Cancel, this);
        ask.setObjectName(QStringLiteral("unsavedMappingQuestion"));
        QPushButton *saveAndRun = ask.addButton(tr("&Save and run"), QMessageBox::AcceptRole);
        saveAndRun->setObjectName(QStringLiteral("saveAndRun"));
        QPushButton *runSaved = ask.addButton(tr("Run the &saved version"), QMessageBox::DestructiveRole);
        runSaved->setObjectName(QStringLiteral("runSaved"));
        ask.setDefaultButton(saveAndRun);
        ask.exec();
        if (ask.clickedButton() == runSaved)
            return true;
        if (ask.clickedButton() != saveAndRun)
            return false;
        QString error;
        if (saveMapping(&error).isEmpty()) { // a shipped mapping is saved as the user's copy, which the job then runs
            QMessageBox::warning(this, tr("Save mapping"), error);
            return false;
        }
        return true;
    });
}

bool StudioWindow::confirmDiscard()
{
    if (!m_mapping->isModified() || QApplication::platformName() == QLatin1String("offscreen"))
        return true;
    const auto answer =
        QMessageBox::question(this, tr("Unsaved mapping"), tr("The mapping has unsaved changes. Save them first?"),
                              QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel);
    if (answer == QMessageBox::Cancel)
        return false;
    if (answer == QMessageBox::Save) {
        QString error;
        if (saveMapping(&error).isEmpty()) {
            QMessageBox::warning(this, tr("Save mapping"), error);
            return false;
        }
    }
    return true;
}

void StudioWindow::updateTitle()
{
    QString title = m_project->isOpen() ? m_project->project().name : tr("No project");
    // Where the vendors are comes from the connections, never from text that can go stale: the demo's
    // sandbox runs on whatever port was free.
    if (m_project->isOpen()) {
        QSet<QString> addresses;
        bool loopback = true;
        for (const sync::ConnectionConfig &c : m_project->project().connections) {
            const QUrl url(c.baseUrl);
            if (c.baseUrl.isEmpty() || !url.isValid())
                continue;
            addresses.insert(url.port() > 0 ? QStringLiteral("%1:%2").arg(url.host()).arg(url.port()) : url.host());
            loopback = loopback && (url.host() == QLatin1String("127.0.0.1") || url.host() == QLatin1String("::1") ||
                                    url.host() == QLatin1String("localhost"));
        }
        if (addresses.size() == 1 && loopback)
            title += QLatin1Char(' ') + tr("(sandbox vendors on %1)").arg(*addresses.cbegin());
    }
    if (!m_mapping->path().isEmpty())
        title = QStringLiteral("%1%2 — %3")
                    .arg(QFileInfo(m_mapping->path()).fileName(),
                         m_mapping->isModified() ? QStringLiteral("*") : QString(), title);
    setWindowTitle(tr("%1 — Transom").arg(title));
}

void StudioWindow::addRecent(const QString &path)
{
    QStringList recent = QSettings().value(QStringLiteral("recentProjects")).toStringList();
    const QString absolute = QFileInfo(path).absoluteFilePath();
    recent.removeAll(absolute);
    recent.prepend(absolute);
    while (recent.size() > maxRecent)
        recent.removeLast();
    remember(QStringLiteral("recentProjects"), recent);
}

void StudioWindow::closeEvent(QCloseEvent *event)
{
    if (!confirmDiscard()) {
        event->ignore();
        return;
    }
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    m_project->close();
    event->accept();
}

void StudioWindow::showPreferences()
{
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Preferences"));
    QSettings settings;
    auto *language = new QComboBox(&dialog);
    language->setAccessibleName(tr("Language"));
    language->addItem(tr("Follow the system"), QString());
    language->addItem(QStringLiteral("English"), QStringLiteral("en"));
    language->addItem(QStringLiteral("Español"), QStringLiteral("es"));
    language->setCurrentIndex(std::max(0, language->findData(settings.value(QStringLiteral("language")).toString())));
    auto *appearance = new QComboBox(&dialog);
    appearance->setAccessibleName(tr("Appearance"));
    appearance->addItem(tr("Follow the system"), QString());
    appearance->addItem(tr("Light"), QStringLiteral("light"));
    appearance->addItem(tr("Dark"), QStringLiteral("dark"));
    appearance->setCurrentIndex(
        std::max(0, appearance->findData(settings.value(QStringLiteral("appearance")).toString())));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    auto *form = new QFormLayout(&dialog);
    form->addRow(tr("Language"), language);
    form->addRow(tr("Appearance"), appearance);
    form->addRow(new QLabel(tr("A new language applies the next time Transom starts."), &dialog));
    form->addRow(buttons);
    if (dialog.exec() != QDialog::Accepted)
        return;
    settings.setValue(QStringLiteral("language"), language->currentData());
    settings.setValue(QStringLiteral("appearance"), appearance->currentData());
    applyPreferences(*qApp);
}

void StudioWindow::showAbout()
{
    QMessageBox::about(this, tr("About Transom"),
                       tr("<h3>Transom %1</h3><p>Data bridges for real-estate brokerages: map the records of one "
                          "system onto another, preview them, and keep them in sync.</p><p>Built with Qt %2.</p>")
                           .arg(QStringLiteral(TRANSOM_VERSION), QString::fromLatin1(qVersion())));
}

void applyPreferences(QApplication &app)
{
    QSettings settings;
    static QTranslator *translator = nullptr;
    static QTranslator *qtTranslator = nullptr;
    if (!translator) {
        translator = new QTranslator(&app);
        qtTranslator = new QTranslator(&app);
        const QString chosen = settings.value(QStringLiteral("language")).toString();
        const QLocale locale = chosen.isEmpty() ? QLocale::system() : QLocale(chosen);
        // English is the fallback: its plural forms ("1 record", "2 records") live in a translation too.
        if (translator->load(locale, QStringLiteral("transom"), QStringLiteral("_"), QStringLiteral(":/i18n")) ||
            translator->load(QStringLiteral(":/i18n/transom_en.qm")))
            QApplication::installTranslator(translator);
        if (qtTranslator->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                               QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
            QApplication::installTranslator(qtTranslator);
    }
    const QString appearance = settings.value(QStringLiteral("appearance")).toString();
    if (appearance == QLatin1String("dark")) {
        app.setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        QPalette dark;
        dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2e));
        dark.setColor(QPalette::WindowText, QColor(0xe8, 0xe8, 0xe8));
        dark.setColor(QPalette::Base, QColor(0x1f, 0x1f, 0x22));
        dark.setColor(QPalette::AlternateBase, QColor(0x27, 0x27, 0x2b));
        dark.setColor(QPalette::Text, QColor(0xe8, 0xe8, 0xe8));
        dark.setColor(QPalette::Button, QColor(0x35, 0x35, 0x39));
        dark.setColor(QPalette::ButtonText, QColor(0xe8, 0xe8, 0xe8));
        dark.setColor(QPalette::ToolTipBase, QColor(0x35, 0x35, 0x39));
        dark.setColor(QPalette::ToolTipText, QColor(0xe8, 0xe8, 0xe8));
        dark.setColor(QPalette::Highlight, QColor(0x3d, 0x7e, 0xd6));
        dark.setColor(QPalette::HighlightedText, Qt::white);
        dark.setColor(QPalette::Link, QColor(0x6c, 0xa8, 0xf0));
        dark.setColor(QPalette::Disabled, QPalette::Text, QColor(0x80, 0x80, 0x80));
        dark.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x80, 0x80, 0x80));
        dark.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x80, 0x80, 0x80));
        app.setPalette(dark);
    } else if (appearance == QLatin1String("light")) {
        app.setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        app.setPalette(app.style()->standardPalette());
    }
}

} // namespace transom::ui
