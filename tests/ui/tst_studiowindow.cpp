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
#include <QFile>
#include <QMenuBar>
#include <QMimeData>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
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
