// The main window on the demo project against the in-process sandbox: the project tree, the first
// job's mapping with its samples (loaded off the UI thread), the docks, a run from the window.
#include "../core/sandboxfixture.h"
#include "studiotesting.h"
#include "ui/deadletterbrowser.h"
#include "ui/deadlettermodel.h"
#include "ui/logmodel.h"
#include "ui/logview.h"
#include "ui/mappingcanvas.h"
#include "ui/mappingview.h"
#include "ui/previewmodel.h"
#include "ui/projectsession.h"
#include "ui/ruleeditor.h"
#include "ui/runpanel.h"
#include "ui/studiowindow.h"

#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QHeaderView>
#include <QMenuBar>
#include <QMimeData>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>
#include <QTreeWidget>
#include <QUrl>

using namespace transom;
using namespace transom::ui;

class TestStudioWindow : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    QString demoProject(const QString &baseUrl)
    {
        return testing::writeDemoProject(m_dir.filePath(QString::number(++m_projects)), baseUrl);
    }
    int m_projects = 0;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        // The window's geometry and docks go to a settings file of this test, not the user's.
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir.filePath(QStringLiteral("settings")));
        testing::installEnglish();
    }

    void opensTheDemoProject()
    {
        testing::SandboxFixture sandbox;
        StudioWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy loaded(&window, &StudioWindow::samplesLoaded);
        QString error;
        QVERIFY2(window.openProject(demoProject(sandbox.server.baseUrl()), &error), qPrintable(error));
        QTRY_COMPARE(loaded.count(), 2); // source and target samples, read on a worker thread
        QVERIFY(loaded.at(0).at(1).toBool());

        // Project tree: connections, mappings, jobs.
        QTreeWidget *tree = window.projectTree();
        QCOMPARE(tree->topLevelItemCount(), 3);
        QCOMPARE(tree->topLevelItem(0)->childCount(), 2);
        QCOMPARE(tree->topLevelItem(1)->child(0)->text(0), QStringLiteral("portal-leads-to-crm-event"));
        QVERIFY(tree->topLevelItem(2)->child(0)->text(0).startsWith(QLatin1String("portal-leads-to-crm")));

        // The mapping and its samples are on the canvas and in the preview.
        QCOMPARE(window.mapping()->samples(Side::Source).records.size(), 12);
        QCOMPARE(window.mappingView()->preview()->rowCount(), 12);
        QVERIFY2(window.windowTitle().startsWith(QStringLiteral("portal-leads-to-crm-event.json — ")),
                 qPrintable(window.windowTitle()));
        // The title names where the sandbox really is (it used to say 127.0.0.1:8765 whatever the port).
        const QUrl sandboxUrl(sandbox.server.baseUrl());
        QVERIFY(sandboxUrl.port() != 8765);
        QVERIFY2(window.windowTitle().contains(
                     QStringLiteral("(sandbox vendors on %1:%2)").arg(sandboxUrl.host()).arg(sandboxUrl.port())),
                 qPrintable(window.windowTitle()));
        QVERIFY2(!window.windowTitle().contains(QLatin1String("8765")), qPrintable(window.windowTitle()));
        QVERIFY(!window.mappingView()->canvas()->gutter()->links().isEmpty());
        // The destination's preset declares the stages the CRM accepts: the value map offers them.
        const QStringList stages = window.mapping()->declaredTargetValues(QStringLiteral("person.stage"));
        QVERIFY2(stages.contains(QStringLiteral("Nurture")) && stages.contains(QStringLiteral("Appointment Set")),
                 qPrintable(stages.join(QLatin1Char(','))));
        QVERIFY(window.mapping()->allowedTargetValues(QStringLiteral("person.stage")).startsWith(stages.first()));

        // An edit marks the title and is undone from the Edit menu's action.
        window.mapping()->unmapField(QStringLiteral("message"));
        QVERIFY(window.windowTitle().startsWith(QStringLiteral("portal-leads-to-crm-event.json* — ")));
        QAction *undo = nullptr;
        for (QAction *a : window.menuBar()->actions().at(1)->menu()->actions())
            if (a->shortcut() == QKeySequence(QKeySequence::Undo))
                undo = a;
        QVERIFY(undo && undo->isEnabled());
        undo->trigger();
        QVERIFY(window.windowTitle().startsWith(QStringLiteral("portal-leads-to-crm-event.json — ")));

        // "Fetch…" replaces the file samples with the source connection's first page, off the UI thread.
        window.mappingView()->canvas()->fetchSamplesRequested(Side::Source);
        QTRY_COMPARE(loaded.count(), 3);
        QVERIFY2(loaded.at(2).at(1).toBool(), qPrintable(loaded.at(2).at(2).toString()));
        QCOMPARE(window.mapping()->samples(Side::Source).origin, QStringLiteral("portal"));
        QVERIFY(window.mapping()->samples(Side::Source).records.size() >= 10);
        QCOMPARE(window.mappingView()->preview()->rowCount(), window.mapping()->samples(Side::Source).records.size());

        // A file dropped from the file manager on the right half becomes the target samples.
        QMimeData files;
        files.setUrls({QUrl::fromLocalFile(QStringLiteral(TRANSOM_RESOURCES "/demo/samples/crm-people.json"))});
        MappingCanvas *canvas = window.mappingView()->canvas();
        const QPoint right(canvas->width() * 3 / 4, canvas->height() / 2);
        QDragEnterEvent enter(right, Qt::CopyAction, &files, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(canvas, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(right, Qt::CopyAction, &files, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(canvas, &drop);
        QTRY_COMPARE(loaded.count(), 4);
        QCOMPARE(window.mapping()->samples(Side::Target).origin, QStringLiteral("crm-people.json"));

        // Fits a 1366×768 laptop screen, with room for the rule editor next to the canvas.
        window.resize(1366, 740);
        QTRY_VERIFY2(window.mappingView()->ruleEditor()->parentWidget()->width() >= 250,
                     qPrintable(QString::number(window.mappingView()->ruleEditor()->parentWidget()->width())));
        QVERIFY2(window.minimumSizeHint().width() <= 1366,
                 qPrintable(QString::number(window.minimumSizeHint().width())));
        QVERIFY2(window.minimumSizeHint().height() <= 740,
                 qPrintable(QString::number(window.minimumSizeHint().height())));
    }

    // Issue 18 item 2: the run panel names the mapping a job runs (and its revision once it ran), says when
    // that is not the mapping on screen, and Start asks before running a saved version older than the screen.
    void startNamesTheMappingAndAsksAboutUnsavedChanges()
    {
        testing::SandboxFixture sandbox;
        StudioWindow window;
        window.show();
        QSignalSpy loaded(&window, &StudioWindow::samplesLoaded);
        QString error;
        QVERIFY2(window.openProject(demoProject(sandbox.server.baseUrl()), &error), qPrintable(error));
        QTRY_COMPARE(loaded.count(), 2);
        RunPanel *run = window.runPanel();
        QVERIFY2(run->mappingLine().contains(QLatin1String("portal-leads-to-crm-event.json")),
                 qPrintable(run->mappingLine()));
        QVERIFY(!run->mappingLine().contains(QLatin1String("unsaved")));
        window.mapping()->unmapField(QStringLiteral("message"));
        QVERIFY2(run->mappingLine().contains(QLatin1String("unsaved changes")), qPrintable(run->mappingLine()));

        auto answer = [](const char *button) {
            QTimer::singleShot(50, [button] {
                QWidget *box = QApplication::activeModalWidget();
                QVERIFY(box && box->objectName() == QLatin1String("unsavedMappingQuestion"));
                auto *pressed = box->findChild<QPushButton *>(QLatin1String(button));
                if (!pressed) // Cancel has no name of ours
                    for (QPushButton *b : box->findChildren<QPushButton *>())
                        if (b->text().contains(QLatin1String("Cancel")))
                            pressed = b;
                QVERIFY(pressed);
                pressed->click();
            });
        };
        const QString job = QStringLiteral("portal-leads-to-crm");
        answer("cancel");
        run->start();
        QVERIFY(!window.project()->engine()->isRunning(job)); // cancelled: nothing runs

        QSignalSpy finished(run, &RunPanel::jobFinished);
        answer("runSaved");
        run->start();
        QVERIFY(finished.wait(60000));
        QVERIFY2(run->mappingLine().contains(QLatin1String("with portal-leads-to-crm-event.json (revision 1)")),
                 qPrintable(run->mappingLine()));
        QVERIFY(window.mapping()->isModified()); // the edit on screen is still there, unsaved
    }

    void runsTheJobFromTheWindow()
    {
        testing::SandboxFixture sandbox;
        StudioWindow window;
        window.show();
        QString error;
        QVERIFY2(window.openProject(demoProject(sandbox.server.baseUrl()), &error), qPrintable(error));
        QSignalSpy finished(window.runPanel(), &RunPanel::jobFinished);
        window.runPanel()->start();
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.first().at(0).toString(), QStringLiteral("portal-leads-to-crm"));
        // The run panel shows what the engine did: 200 demo leads in, the CRM got the rest of them.
        QCOMPARE(window.runPanel()->countText(QStringLiteral("received")), QStringLiteral("200"));
        const int created = window.runPanel()->countText(QStringLiteral("created")).toInt();
        const int deadLettered = window.runPanel()->countText(QStringLiteral("dead_lettered")).toInt();
        QVERIFY(deadLettered > 0);
        QCOMPARE(created + deadLettered, 200);
        // The live log got the run's lines, the dead letters the leads that could not go.
        QTRY_VERIFY2(window.logView()->model()->rowCount() > 100,
                     qPrintable(QStringLiteral("%1 lines, %2 pending, counts %3")
                                    .arg(window.logView()->model()->rowCount())
                                    .arg(window.logView()->model()->pendingCount())
                                    .arg(finished.first().at(1).toString())));
        QTRY_VERIFY(window.deadLetters()->model()->rowCount() > 0);
    }

    void redoHasOneOfEachShortcut()
    {
        // "Ambiguous shortcut overload: Ctrl+Shift+Z": Redo listed the key twice, so it did nothing.
        StudioWindow window;
        window.show();
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QHash<QKeySequence, QString> owner;
        for (QAction *action : window.findChildren<QAction *>()) {
            QList<QKeySequence> keys = action->shortcuts();
            for (const QKeySequence &key : std::as_const(keys)) {
                QVERIFY2(!owner.contains(key) || owner.value(key) == action->text(),
                         qPrintable(QStringLiteral("%1 is on \"%2\" and \"%3\"")
                                        .arg(key.toString(), owner.value(key), action->text())));
                QVERIFY2(keys.count(key) == 1,
                         qPrintable(QStringLiteral("%1 twice on %2").arg(key.toString(), action->text())));
                owner.insert(key, action->text());
            }
        }
        window.mapping()->reset(testing::demoMapping());
        QVERIFY(window.mapping()->unmapField(QStringLiteral("message")));
        QTest::keyClick(&window, Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(window.mapping()->undoStack()->index(), 0);
        QTest::keyClick(&window, Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(window.mapping()->undoStack()->index(), 1);
        QVERIFY(mapping::fieldIndexOf(window.mapping()->document(), QStringLiteral("message")) < 0);
    }

    void saveNeverWritesTheShippedMapping()
    {
        const QString shipped = QStringLiteral(TRANSOM_RESOURCES "/mappings/portal-leads-to-crm-event.json");
        QVERIFY(StudioWindow::isShippedFile(shipped));
        QFile original(shipped);
        QVERIFY(original.open(QIODevice::ReadOnly));
        const QByteArray before = original.readAll();
        original.close();

        // In the user's copy of the demo project: the copy goes beside it and its job uses the copy.
        const QString projectPath = demoProject(QStringLiteral("http://127.0.0.1:9"));
        QVERIFY(!StudioWindow::isShippedFile(projectPath));
        StudioWindow window;
        QString error;
        QVERIFY2(window.openProject(projectPath, &error), qPrintable(error));
        QCOMPARE(QFileInfo(window.mapping()->path()), QFileInfo(shipped));
        window.mapping()->unmapField(QStringLiteral("message"));
        const QString saved = window.saveMapping(&error);
        QVERIFY2(!saved.isEmpty(), qPrintable(error));
        const QString expected =
            QFileInfo(projectPath).absolutePath() + QStringLiteral("/mappings/portal-leads-to-crm-event.json");
        QCOMPARE(saved, expected);
        QCOMPARE(window.mapping()->path(), expected);
        QVERIFY(!window.mapping()->isModified());
        QVERIFY2(window.statusBar()->currentMessage().contains(QDir::toNativeSeparators(expected)),
                 qPrintable(window.statusBar()->currentMessage()));
        QVERIFY(original.open(QIODevice::ReadOnly));
        QCOMPARE(original.readAll(), before); // the shipped file is as installed
        original.close();
        auto copy = mapping::MappingDocument::load(expected);
        QVERIFY(copy.ok());
        QVERIFY(mapping::fieldIndexOf(copy.value(), QStringLiteral("message")) < 0);
        QCOMPARE(QFileInfo(window.project()->project().jobs.first().mapping), QFileInfo(expected));

        // The next save goes to the copy in place.
        window.mapping()->undoStack()->undo();
        QCOMPARE(window.saveMapping(&error), expected);
        QVERIFY(mapping::fieldIndexOf(mapping::MappingDocument::load(expected).value(), QStringLiteral("message")) >=
                0);

        // Without a project, a second copy goes to the user's data folder, next to nothing it overwrites.
        StudioWindow bare;
        QVERIFY(bare.openMapping(shipped, &error));
        bare.mapping()->unmapField(QStringLiteral("message"));
        const QString elsewhere = bare.saveMapping(&error);
        QVERIFY2(elsewhere.startsWith(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
                                      QStringLiteral("/projects/mappings/")),
                 qPrintable(elsewhere));
        QVERIFY(QFileInfo::exists(elsewhere));
        StudioWindow another;
        QVERIFY(another.openMapping(shipped, &error));
        another.mapping()->unmapField(QStringLiteral("type"));
        const QString third = another.saveMapping(&error);
        QVERIFY2(third != elsewhere && !third.isEmpty(), qPrintable(third));
        QVERIFY(original.open(QIODevice::ReadOnly));
        QCOMPARE(original.readAll(), before);
        QFile::remove(elsewhere); // the test-mode data folder outlives the test
        QFile::remove(third);
    }

    void previewKeepsRoomBesideTheDocks_data()
    {
        QTest::addColumn<QSize>("size");
        QTest::newRow("1600x1000") << QSize(1600, 1000);
        QTest::newRow("1366x768") << QSize(1366, 740);
    }

    void previewKeepsRoomBesideTheDocks()
    {
        QFETCH(QSize, size);
        QSettings().remove(QStringLiteral("window"));
        StudioWindow window;
        window.mapping()->reset(testing::demoMapping());
        window.mapping()->setSamples(Side::Source, testing::demoLeads());
        window.resize(size);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        for (QDockWidget *dock : window.findChildren<QDockWidget *>())
            QVERIFY2(dock->isVisible() || dock->objectName() == QLatin1String("DeadLetterDock"),
                     qPrintable(dock->objectName()));
        QTableView *table = window.mappingView()->previewTable();
        const int rows = table->viewport()->height() / table->verticalHeader()->defaultSectionSize();
        QVERIFY2(rows >= 5, qPrintable(QStringLiteral("%1 rows in view").arg(rows)));
    }

    void layoutIsRestoredAndReset()
    {
        QSettings().remove(QStringLiteral("window"));
        {
            StudioWindow window;
            window.resize(1366, 740);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            auto *log = window.findChild<QDockWidget *>(QStringLiteral("LogDock"));
            auto *project = window.findChild<QDockWidget *>(QStringLiteral("ProjectDock"));
            log->hide();
            window.addDockWidget(Qt::RightDockWidgetArea, project);
            window.move(40, 30);
            window.resize(1200, 700);
            QVERIFY(window.close());
        }
        StudioWindow restored;
        restored.show();
        QVERIFY(QTest::qWaitForWindowExposed(&restored));
        auto *log = restored.findChild<QDockWidget *>(QStringLiteral("LogDock"));
        auto *project = restored.findChild<QDockWidget *>(QStringLiteral("ProjectDock"));
        QVERIFY(!log->isVisible());
        QCOMPARE(restored.dockWidgetArea(project), Qt::RightDockWidgetArea);
        QCOMPARE(restored.size(), QSize(1200, 700));

        // View → Reset layout: every dock back where it starts, shown.
        QAction *reset = nullptr;
        for (QAction *menu : restored.menuBar()->actions())
            if (menu->text() == QStringLiteral("&View"))
                for (QAction *a : menu->menu()->actions())
                    if (a->text() == QStringLiteral("&Reset layout"))
                        reset = a;
        QVERIFY(reset);
        reset->trigger();
        QVERIFY(log->isVisible());
        QCOMPARE(restored.dockWidgetArea(project), Qt::LeftDockWidgetArea);
        QCOMPARE(restored.dockWidgetArea(log), Qt::BottomDockWidgetArea);
        QVERIFY(!project->isFloating());
        QSettings().remove(QStringLiteral("window"));
    }

    void refusesABrokenProjectAndKeepsTheOpenOne()
    {
        StudioWindow window;
        QFile bad(m_dir.filePath(QStringLiteral("bad.json")));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("{\"transom_project\": 1, \"connections\": ");
        bad.close();
        QString error;
        QVERIFY(!window.openProject(bad.fileName(), &error));
        QVERIFY2(error.contains(QLatin1String("bad.json")), qPrintable(error));
        QVERIFY(!window.project()->isOpen());
    }
};

QTEST_MAIN(TestStudioWindow)
#include "tst_studiowindow.moc"
