// Issue 18 item 1: a project made on screen. From an empty folder, only through the studio's actions and
// dialogs (no JSON written by the test): New project with a home time zone, Add connection from the preset
// catalog, New mapping, New job; then Rename, Duplicate and Delete from the project tree's context menu,
// each one undoable, and refusals that say what to do.
#include "core/sync/projectsetup.h"
#include "ui/project/addconnectiondialog.h"
#include "ui/project/jobdialog.h"
#include "ui/project/newprojectdialog.h"
#include "ui/project/projectactions.h"
#include "ui/projectsession.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

using namespace transom;
using Kind = ui::ProjectActions::Kind;

namespace {

template<class T> T *openDialog(QWidget *window)
{
    T *found = nullptr;
    (void)QTest::qWaitFor([&] {
        for (T *d : window->findChildren<T *>())
            if (d->isVisible())
                found = d;
        return found != nullptr;
    });
    return found;
}

QAction *menuAction(QMenu *menu, const QString &text)
{
    for (QAction *a : menu->actions())
        if (a->text().remove(QLatin1Char('&')).startsWith(text))
            return a;
    return nullptr;
}

/// Answers a text question (rename, new mapping's name) the way a user would: types and presses OK.
void answer(QWidget *window, const QString &text)
{
    auto *ask = openDialog<QInputDialog>(window);
    QVERIFY(ask);
    auto *field = ask->findChild<QLineEdit *>();
    QVERIFY(field);
    field->selectAll();
    QTest::keyClicks(field, text);
    QTest::keyClick(field, Qt::Key_Return);
}

} // namespace

class TestProjectActions : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aProjectIsMadeOnScreen();
};

void TestProjectActions::aProjectIsMadeOnScreen()
{
    QTemporaryDir dir;
    QWidget window;
    window.show();
    ui::ProjectSession session;
    ui::ProjectActions actions(&session, &window);
    QVERIFY(!actions.newJobAction()->isEnabled()); // nothing open yet

    // New project: name, home time zone, folder.
    QSignalSpy created(&actions, &ui::ProjectActions::projectCreated);
    actions.newProjectAction()->trigger();
    auto *newProject = openDialog<ui::NewProjectDialog>(&window);
    QVERIFY(newProject);
    QTest::keyClicks(newProject->findChild<QLineEdit *>(QStringLiteral("projectName")),
                     QStringLiteral("Website leads"));
    auto *folder = newProject->findChild<QLineEdit *>(QStringLiteral("projectFolder"));
    folder->clear();
    QTest::keyClicks(folder, dir.filePath(QStringLiteral("website-leads")));
    newProject->findChild<QComboBox *>(QStringLiteral("timeZone"))->setCurrentText(QStringLiteral("America/Chicago"));
    QTest::mouseClick(newProject->findChild<QPushButton *>(QStringLiteral("createButton")), Qt::LeftButton);
    QCOMPARE(created.size(), 1);
    const QString projectPath = created.first().first().toString();
    QString error;
    QVERIFY2(session.open(projectPath, &error), qPrintable(error));
    QCOMPARE(session.project().timeZone, QStringLiteral("America/Chicago"));
    QVERIFY(actions.newJobAction()->isEnabled());

    // Add connection, twice, from the catalog grouped by what the vendor is.
    QSignalSpy added(&actions, &ui::ProjectActions::connectionAdded);
    for (const QString &preset : {QStringLiteral("webhook-lead-portal"), QStringLiteral("events-crm")}) {
        actions.addConnectionAction()->trigger();
        auto *add = openDialog<ui::AddConnectionDialog>(&window);
        QVERIFY(add);
        QVERIFY(add->selectPreset(preset));
        QTest::keyClicks(add->findChild<QLineEdit *>(QStringLiteral("connectionBaseUrl")),
                         QStringLiteral("http://127.0.0.1:8765"));
        QTest::mouseClick(add->findChild<QPushButton *>(QStringLiteral("addButton")), Qt::LeftButton);
        QTRY_VERIFY(!add->isVisible());
    }
    QCOMPARE(added.size(), 2);
    QCOMPARE(session.project().connections.size(), 2);
    const QString portal = added.at(0).first().toString();
    const QString crm = added.at(1).first().toString();
    QVERIFY(session.project().connection(portal));
    QCOMPARE(session.project().connection(portal)->preset, QStringLiteral("webhook-lead-portal"));
    QCOMPARE(session.project().connection(portal)->baseUrl, QStringLiteral("http://127.0.0.1:8765"));
    QCOMPARE(session.project().connection(crm)->preset, QStringLiteral("events-crm"));

    // New mapping.
    QSignalSpy mappingCreated(&actions, &ui::ProjectActions::mappingCreated);
    actions.newMappingAction()->trigger();
    answer(&window, QStringLiteral("Portal leads to CRM"));
    QTRY_COMPARE(mappingCreated.size(), 1);
    const QString mappingPath = mappingCreated.first().first().toString();
    QVERIFY(QFileInfo::exists(mappingPath));

    // New job: from the portal, through the mapping, into the CRM, every 10 minutes.
    actions.newJobAction()->trigger();
    auto *job = openDialog<ui::JobDialog>(&window);
    QVERIFY(job);
    QTest::keyClicks(job->findChild<QLineEdit *>(QStringLiteral("jobName")), QStringLiteral("leads"));
    job->findChild<QComboBox *>(QStringLiteral("jobSource"))->setCurrentText(portal);
    job->findChild<QComboBox *>(QStringLiteral("jobSink"))->setCurrentText(crm);
    QCOMPARE(job->findChild<QComboBox *>(QStringLiteral("jobMapping"))->currentData().toString(), mappingPath);
    job->findChild<QComboBox *>(QStringLiteral("jobTrigger"))->setCurrentIndex(1);
    QTest::mouseClick(job->findChild<QPushButton *>(QStringLiteral("saveJob")), Qt::LeftButton);
    QTRY_COMPARE(session.project().jobs.size(), 1);
    QCOMPARE(session.project().jobs.first().name, QStringLiteral("leads"));
    QCOMPARE(session.project().jobs.first().mapping, mappingPath);
    QCOMPARE(int(session.project().jobs.first().trigger.kind), int(sync::TriggerConfig::Kind::Poll));

    // A job without a name is refused in the dialog, which stays open and says why.
    actions.newJobAction()->trigger();
    job = openDialog<ui::JobDialog>(&window);
    QTest::mouseClick(job->findChild<QPushButton *>(QStringLiteral("saveJob")), Qt::LeftButton);
    QVERIFY(job->isVisible());
    QVERIFY2(job->findChild<QLabel *>(QStringLiteral("jobError"))->text().contains(QLatin1String("needs a name")),
             qPrintable(job->findChild<QLabel *>(QStringLiteral("jobError"))->text()));
    job->reject();

    // The context menu: rename the job, duplicate it, delete the copy; each undoable.
    std::unique_ptr<QMenu> menu(actions.contextMenu(Kind::Job, QStringLiteral("leads"), &window));
    menuAction(menu.get(), QStringLiteral("Rename"))->trigger();
    answer(&window, QStringLiteral("website leads"));
    QTRY_COMPARE(session.project().jobs.first().name, QStringLiteral("website leads"));
    QVERIFY(actions.duplicate(Kind::Job, QStringLiteral("website leads")));
    QCOMPARE(session.project().jobs.size(), 2);
    QCOMPARE(session.project().jobs.at(1).name, QStringLiteral("website leads copy"));
    QVERIFY(actions.remove(Kind::Job, QStringLiteral("website leads copy")));
    QCOMPARE(session.project().jobs.size(), 1);
    actions.undoStack()->undo(); // the copy is back
    QCOMPARE(session.project().jobs.size(), 2);
    actions.undoStack()->redo();
    QCOMPARE(session.project().jobs.size(), 1);

    // Renaming a connection renames it in the job; deleting one a job uses is refused, naming the job.
    QVERIFY(actions.rename(Kind::Connection, crm, QStringLiteral("follow-up crm")));
    QCOMPARE(session.project().jobs.first().sink, QStringLiteral("follow-up crm"));
    QSignalSpy failed(&actions, &ui::ProjectActions::failed);
    QVERIFY(!actions.remove(Kind::Connection, portal));
    QCOMPARE(failed.size(), 1);
    QVERIFY2(failed.first().first().toString().contains(QLatin1String("\"website leads\"")),
             qPrintable(failed.first().first().toString()));
    auto *box = openDialog<QMessageBox>(&window);
    QVERIFY(box);
    box->accept();

    // Renaming the mapping file keeps the job on it; undo puts both back.
    QVERIFY(actions.rename(Kind::Mapping, mappingPath, QStringLiteral("portal-to-crm")));
    const QString renamed = QFileInfo(mappingPath).absoluteDir().filePath(QStringLiteral("portal-to-crm.json"));
    QCOMPARE(session.project().jobs.first().mapping, renamed);
    QVERIFY(QFileInfo::exists(renamed) && !QFileInfo::exists(mappingPath));
    actions.undoStack()->undo();
    QCOMPARE(session.project().jobs.first().mapping, mappingPath);
    QVERIFY(QFileInfo::exists(mappingPath) && !QFileInfo::exists(renamed));
    actions.undoStack()->undo(); // the connection's old name, in the job too
    QCOMPARE(session.project().jobs.first().sink, crm);
}

QTEST_MAIN(TestProjectActions)
#include "tst_projectactions.moc"
