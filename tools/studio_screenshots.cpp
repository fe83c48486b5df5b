// Renders the studio's main views on the demo project into PNG files for docs/images/: the window is
// driven the way a person would (open the demo, select fields, run the job, open a trace and a dead
// letter) against the sandbox vendors in this process, and each view is rendered with QWidget::grab().
//   build/tools/studio_screenshots docs/images
#include "../tests/core/sandboxfixture.h"
#include "ui/connectioneditor.h"
#include "ui/deadletterbrowser.h"
#include "ui/deadlettermodel.h"
#include "ui/logview.h"
#include "ui/mappingcanvas.h"
#include "ui/mappingview.h"
#include "ui/previewmodel.h"
#include "ui/projectsession.h"
#include "ui/ruleeditor.h"
#include "ui/runpanel.h"
#include "ui/studiowindow.h"
#include "ui/traceview.h"

#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QPainter>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTreeView>

#include <cstdio>

using namespace transom;
using namespace transom::ui;

namespace {

void save(QWidget *widget, const QString &path)
{
    QApplication::processEvents();
    if (!widget->grab().save(path))
        qFatal("cannot write %s", qPrintable(path));
    std::printf("%s\n", qPrintable(path));
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("transom-studio"));
    QStandardPaths::setTestModeEnabled(true);
    applyPreferences(app);
    const QString out = app.arguments().value(1, QStringLiteral("docs/images"));
    QDir().mkpath(out);
    testing::SandboxFixture sandbox;
    QTemporaryDir dir;

    StudioWindow window;
    window.resize(1600, 1000);
    window.show();
    QSignalSpy loaded(&window, &StudioWindow::samplesLoaded);
    QString error;
    if (!window.openProject(testing::writeDemoProject(dir.path(), sandbox.server.baseUrl()), &error))
        qFatal("%s", qPrintable(error));
    while (loaded.count() < 2)
        loaded.wait(10000);
    MappingView *view = window.mappingView();

    // The mapping: a target field selected (its links highlighted), a failing preview cell with its steps.
    window.mapping()->setSelectedTarget(QStringLiteral("person.phones[0].value"));
    int phone = -1;
    for (int c = 0; c < view->preview()->columnCount(); ++c)
        if (view->preview()->targetOf(c) == QLatin1String("person.phones[0].value"))
            phone = c;
    for (int r = 0; r < view->preview()->rowCount(); ++r)
        if (!view->preview()->index(r, phone).data(PreviewModel::ErrorRole).toString().isEmpty()) {
            view->previewTable()->setCurrentIndex(view->preview()->index(r, phone));
            view->previewTable()->scrollTo(view->preview()->index(r, phone));
            break;
        }
    window.mapping()->setSelectedTarget(QStringLiteral("person.phones[0].value"));
    save(&window, out + QStringLiteral("/studio-main.png"));
    save(view, out + QStringLiteral("/studio-preview.png"));

    // The value map of the lead status.
    window.mapping()->setSelectedTarget(QStringLiteral("person.stage"));
    RuleEditor rules(window.mapping());
    rules.resize(520, 640);
    rules.show();
    save(&rules, out + QStringLiteral("/studio-rules.png"));

    // A run against the sandbox vendors.
    QSignalSpy finished(window.runPanel(), &RunPanel::jobFinished);
    window.runPanel()->start();
    finished.wait(120000);
    QApplication::processEvents();
    for (QDockWidget *dock : window.findChildren<QDockWidget *>())
        if (dock->objectName() == QLatin1String("RunDock")) {
            dock->setFloating(true);
            dock->resize(520, 660);
            save(dock, out + QStringLiteral("/studio-run.png"));
            dock->setFloating(false);
        }

    // The live log and the trace of one lead.
    TraceView trace(window.project());
    trace.resize(900, 420);
    trace.setWindowTitle(QStringLiteral("Trace of ZL-100005"));
    trace.show();
    QSignalSpy traced(&trace, &TraceView::traceFinished);
    trace.trace(QStringLiteral("ZL-100005"));
    traced.wait(20000);
    for (QDockWidget *dock : window.findChildren<QDockWidget *>())
        if (dock->objectName() == QLatin1String("LogDock")) {
            QPixmap log = dock->grab();
            QPixmap traceShot = trace.grab();
            QPixmap both(std::max(log.width(), traceShot.width()), log.height() + traceShot.height() + 8);
            both.fill(window.palette().color(QPalette::Window));
            QPainter p(&both);
            p.drawPixmap(0, 0, log);
            p.drawPixmap(0, log.height() + 8, traceShot);
            p.end();
            both.save(out + QStringLiteral("/studio-log.png"));
            std::printf("%s\n", qPrintable(out + QStringLiteral("/studio-log.png")));
        }

    // Dead letters: the first letter selected.
    for (QDockWidget *dock : window.findChildren<QDockWidget *>())
        if (dock->objectName() == QLatin1String("DeadLetterDock")) {
            dock->raise();
            DeadLetterBrowser *browser = window.deadLetters();
            QSignalSpy refreshed(browser, &DeadLetterBrowser::refreshed);
            browser->refresh();
            refreshed.wait(10000);
            QTreeView *tree = browser->tree();
            tree->expandAll();
            const QModelIndex group = browser->model()->index(0, 0);
            if (browser->model()->rowCount(group) > 0)
                tree->setCurrentIndex(browser->model()->index(0, 0, group));
            QSignalSpy history(browser, &DeadLetterBrowser::historyLoaded);
            history.wait(3000);
            dock->resize(1400, 420);
            QApplication::processEvents();
            save(dock, out + QStringLiteral("/studio-deadletters.png"));
        }

    // The connection editor of the CRM.
    ConnectionEditor editor(window.project(), QStringLiteral("crm"));
    editor.resize(640, 560);
    editor.show();
    QSignalSpy tested(&editor, &ConnectionEditor::testFinished);
    editor.testConnection();
    tested.wait(20000);
    save(&editor, out + QStringLiteral("/studio-connection.png"));
    return 0;
}
