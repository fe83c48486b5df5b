// Retrying dead letters in the studio window, on the demo project against the in-process sandbox
// (issue 18 items 3 and 4): the job runs from the run panel so that some leads dead-letter, then the
// dead-letter dock retries them. A retry is a run of its own (its counts, its outcome, the dock's state
// following the engine), says what it delivered as the list then shows it, names the mapping and
// revision a re-map uses, and offers the mapping on screen when that is not what the job would use.
// The steps are test functions run in order on one window, each from where the previous one left it.
#include "../core/sandboxfixture.h"
#include "studiotesting.h"
#include "ui/deadletterbrowser.h"
#include "ui/deadlettermodel.h"
#include "ui/mappingsession.h"
#include "ui/projectsession.h"
#include "ui/remapchoice.h"
#include "ui/runpanel.h"
#include "ui/studiowindow.h"

#include "core/store/syncstore.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDockWidget>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTextCursor>
#include <QTreeView>
#include <QTreeWidget>

#include <memory>

using namespace transom;
using namespace transom::ui;

namespace {

const QString kJob = QStringLiteral("portal-leads-to-crm");

template<class W> W *named(QWidget *root, const QString &name)
{
    for (W *w : root->findChildren<W *>())
        if (w->accessibleName() == name)
            return w;
    return nullptr;
}

void replaceText(QPlainTextEdit *edit, const QString &text)
{
    QTextCursor cursor(edit->document()); // as typing would: the document counts as modified
    cursor.select(QTextCursor::Document);
    cursor.insertText(text);
}

/// Whether all of `w` can be seen in its window: no ancestor (a scroll area's viewport, a dock) cuts it.
bool wholeInView(QWidget *w)
{
    QRect shown(w->mapTo(w->window(), QPoint(0, 0)), w->size());
    const QRect whole = shown;
    for (QWidget *p = w->parentWidget(); p && !p->isWindow(); p = p->parentWidget())
        shown &= QRect(p->mapTo(p->window(), QPoint(0, 0)), p->size());
    return w->isVisible() && shown == whole;
}

} // namespace

class TestDeadLetterRetry : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void remapChoiceWording_data();
    void remapChoiceWording();
    // One window, step by step:
    void initTestCase();
    void retryIsARunOfItsOwn();
    void aFailedRemapEndsTheRun();
    void remapNamesTheMappingItUses();
    void remapWithTheMappingOnScreen();
    void savedEditIsSentAsEdited();
    void cleanupTestCase();

private:
    QComboBox *modeBox() const { return named<QComboBox>(m_browser, QStringLiteral("How to retry")); }
    QPushButton *retryButton() const
    {
        return named<QPushButton>(m_browser, QStringLiteral("Retry the selected dead letters"));
    }
    QLabel *runStatus() const { return m_window->runPanel()->findChild<QLabel *>(QStringLiteral("statusLine")); }
    QPushButton *startButton() const
    {
        return m_window->runPanel()->findChild<QPushButton *>(QStringLiteral("startButton"));
    }
    void selectClass(const QString &errorClass);
    /// Clicks Retry and waits for the retry's run to finish; returns its status.
    QString retryAndWait();
    /// The counts of the job's runs in the store, newest first.
    QList<QJsonObject> runs() const;

    std::unique_ptr<testing::SandboxFixture> m_sandbox;
    QTemporaryDir m_dir;
    std::unique_ptr<StudioWindow> m_window;
    DeadLetterBrowser *m_browser = nullptr;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
    QString m_mappingPath;  ///< the job's mapping: a copy of the demo's in the project folder
    QJsonObject m_firstRun; ///< the first run as the store recorded it
};

void TestDeadLetterRetry::remapChoiceWording_data()
{
    QTest::addColumn<bool>("oneJob");
    QTest::addColumn<QString>("editorFile");
    QTest::addColumn<bool>("modified");
    QTest::addColumn<bool>("revisionRead");
    QTest::addColumn<QString>("remap");
    QTest::addColumn<QString>("onScreen");
    QTest::addColumn<QString>("note");
    const QString remap3 = QStringLiteral("Re-map with leads.json (revision 3)");
    QTest::newRow("letters of several jobs")
        << false << QStringLiteral("leads.json") << true << true << QStringLiteral("Re-map with each job's mapping")
        << QString() << QString();
    QTest::newRow("no mapping open") << true << QString() << false << true << remap3 << QString() << QString();
    QTest::newRow("revision not read yet")
        << true << QString() << false << false << QStringLiteral("Re-map with leads.json") << QString() << QString();
    QTest::newRow("the job's, saved") << true << QStringLiteral("leads.json") << false << true << remap3 << QString()
                                      << QString();
    QTest::newRow("the job's, unsaved changes")
        << true << QStringLiteral("leads.json") << true << true << remap3
        << QStringLiteral("Save the mapping on screen and re-map with it (revision 4)")
        << QStringLiteral("The mapping on screen, leads.json, has unsaved changes: \u201cRe-map\u201d uses the saved "
                          "version (revision 3).");
    QTest::newRow("another file") << true << QStringLiteral("other.json") << false << true << remap3
                                  << QStringLiteral("Re-map with the mapping on screen, other.json (revision 2)")
                                  << QStringLiteral("The mapping on screen, other.json, is not the mapping of job "
                                                    "leads: \u201cRe-map\u201d uses leads.json (revision 3).");
    QTest::newRow("another file, unsaved changes")
        << true << QStringLiteral("other.json") << true << true << remap3
        << QStringLiteral("Save the mapping on screen, other.json, and re-map with it (revision 3)")
        << QStringLiteral("The mapping on screen, other.json, is not the mapping of job leads");
}

// Item 3: what the retry choices and the line above them say, for each mapping on screen.
void TestDeadLetterRetry::remapChoiceWording()
{
    QFETCH(bool, oneJob);
    QFETCH(QString, editorFile);
    QFETCH(bool, modified);
    QFETCH(bool, revisionRead);
    QFETCH(QString, remap);
    QFETCH(QString, onScreen);
    QFETCH(QString, note);
    sync::JobConfig job;
    job.name = QStringLiteral("leads");
    job.mapping = m_dir.filePath(QStringLiteral("leads.json"));
    const int editorRevision = editorFile == QLatin1String("leads.json") ? 3 : 2;
    const EditorMapping editor{editorFile.isEmpty() ? QString() : m_dir.filePath(editorFile), modified, editorRevision};
    QHash<QString, int> revisions;
    if (revisionRead)
        revisions.insert(QFileInfo(job.mapping).absoluteFilePath(), 3);
    const RemapChoice choice = RemapChoice::describe(oneJob ? &job : nullptr, editor, revisions);
    QCOMPARE(choice.remap, remap);
    QCOMPARE(choice.onScreen, onScreen);
    QVERIFY2(note.isEmpty() ? choice.note.isEmpty() : choice.note.startsWith(note), qPrintable(choice.note));
}

void TestDeadLetterRetry::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir.filePath(QStringLiteral("settings")));
    testing::installEnglish();
    qputenv("TRANSOM_CREDENTIALS", QByteArray());
    m_sandbox = std::make_unique<testing::SandboxFixture>();
    const QString project =
        testing::writeDemoProject(m_dir.filePath(QStringLiteral("demo")), m_sandbox->server.baseUrl());
    // The job's mapping is the user's own file beside the project (as after a first save).
    const QString shipped = QStringLiteral(TRANSOM_RESOURCES "/mappings/portal-leads-to-crm-event.json");
    m_mappingPath = m_dir.filePath(QStringLiteral("demo/portal-leads-to-crm-event.json"));
    QVERIFY(QFile::copy(shipped, m_mappingPath));
    QFile::setPermissions(m_mappingPath, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    QFile file(project);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QByteArray text = file.readAll();
    file.close();
    text.replace(shipped.toUtf8(), m_mappingPath.toUtf8());
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(text);
    file.close();

    m_window = std::make_unique<StudioWindow>();
    m_window->resize(1366, 740);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QSignalSpy loaded(m_window.get(), &StudioWindow::samplesLoaded);
    QString error;
    QVERIFY2(m_window->openProject(project, &error), qPrintable(error));
    QTRY_COMPARE(loaded.count(), 2);
    QCOMPARE(QFileInfo(m_window->mapping()->path()), QFileInfo(m_mappingPath));
    m_browser = m_window->deadLetters();
    m_tester = std::make_unique<QAbstractItemModelTester>(m_browser->model(),
                                                          QAbstractItemModelTester::FailureReportingMode::QtTest);

    QSignalSpy finished(m_window->runPanel(), &RunPanel::jobFinished);
    QTest::mouseClick(startButton(), Qt::LeftButton);
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.first().at(1).toString(), QStringLiteral("completed"));
    QTRY_VERIFY_WITH_TIMEOUT(m_browser->model()->letterCount() > 0 && !m_browser->isBusy(), 20000);
    QVERIFY(m_browser->model()->count(QStringLiteral("field")) > 0);
    const QList<QJsonObject> recorded = runs();
    QCOMPARE(recorded.size(), 1);
    m_firstRun = recorded.first();
    QCOMPARE(m_firstRun.value(QStringLiteral("counts")).toObject().value(QStringLiteral("received")).toInt(), 200);
}

void TestDeadLetterRetry::cleanupTestCase()
{
    m_tester.reset();
    m_window.reset();
    m_sandbox.reset();
}

void TestDeadLetterRetry::selectClass(const QString &errorClass)
{
    const QModelIndex group = m_browser->model()->indexOfClass(errorClass);
    QVERIFY(group.isValid());
    m_browser->tree()->selectionModel()->select(group, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

QString TestDeadLetterRetry::retryAndWait()
{
    QSignalSpy finished(m_window->project()->engine(), &sync::SyncEngine::jobFinished);
    QSignalSpy done(m_browser, &DeadLetterBrowser::actionFinished);
    QTest::mouseClick(retryButton(), Qt::LeftButton);
    if (!finished.wait(60000))
        return QStringLiteral("(no end)");
    if (!QTest::qWaitFor([&] { return !done.isEmpty() && !m_browser->isBusy(); }, 20000))
        return QStringLiteral("(the browser did not finish)");
    return finished.first().at(1).toString();
}

QList<QJsonObject> TestDeadLetterRetry::runs() const
{
    auto opened = store::SyncStore::open(m_window->project()->storePath());
    if (!opened)
        return {};
    return opened.value()->runs(kJob, 20).value();
}

// Item 4: a retry of letters that still fail is a run of its own: the dock shows its counts and its time,
// Start is off while it runs, the message counts what the list shows, the first run keeps its totals.
void TestDeadLetterRetry::retryIsARunOfItsOwn()
{
    selectClass(QStringLiteral("field"));
    const int letters = m_browser->model()->count(QStringLiteral("field"));
    m_browser->setRetryMode(DeadLetterBrowser::RetryMode::Remap);
    QSignalSpy started(m_window->project()->engine(), &sync::SyncEngine::jobStarted);
    QSignalSpy finished(m_window->project()->engine(), &sync::SyncEngine::jobFinished);
    bool startWasOff = false;
    const QMetaObject::Connection watch = connect(m_window->project()->engine(), &sync::SyncEngine::jobStarted, this,
                                                  [&] { startWasOff = !startButton()->isEnabled(); });
    QTest::mouseClick(retryButton(), Qt::LeftButton);
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.first().at(1).toString(), QStringLiteral("completed"));
    disconnect(watch);
    QCOMPARE(started.size(), 1);
    QVERIFY(startWasOff);
    QTRY_VERIFY(startButton()->isEnabled());
    QTRY_VERIFY(!m_browser->isBusy() && !m_browser->statusText().contains(QStringLiteral("\u2026")));

    // Its own run: a new id, its own counts; the first run's record is as it was.
    const QList<QJsonObject> recorded = runs();
    QCOMPARE(recorded.size(), 2);
    QCOMPARE(recorded.last(), m_firstRun);
    const QJsonObject retryCounts = recorded.first().value(QStringLiteral("counts")).toObject();
    QCOMPARE(retryCounts.value(QStringLiteral("received")).toInt(), letters);
    QCOMPARE(retryCounts.value(QStringLiteral("dead_lettered")).toInt(), letters);
    QCOMPARE(started.first().at(1).toString(), recorded.first().value(QStringLiteral("run_id")).toString());

    // The dock shows the retry, not the first run with the retry added on.
    RunPanel *panel = m_window->runPanel();
    QCOMPARE(panel->countText(QStringLiteral("received")), QString::number(letters));
    QCOMPARE(panel->countText(QStringLiteral("dead_lettered")), QString::number(letters));
    QCOMPARE(panel->countText(QStringLiteral("created")), QStringLiteral("0"));
    QVERIFY2(runStatus()->text().contains(QStringLiteral("completed in less than a second")) ||
                 runStatus()->text().contains(QStringLiteral("second")),
             qPrintable(runStatus()->text()));
    QVERIFY2(!runStatus()->text().contains(QStringLiteral("min")), qPrintable(runStatus()->text()));
    QVERIFY(!panel->throughputPoints().isEmpty());
    QVERIFY(panel->throughputPoints().last().x() < 10);
    // Nothing runs: the rate panel does not count down.
    auto *eta = panel->findChild<QLabel *>(QStringLiteral("etaLabel"));
    QVERIFY2(!eta->text().contains(QStringLiteral("resets")), qPrintable(eta->text()));

    // "N delivered, M still failing" as the list now shows it.
    const int stillShown = m_browser->model()->count(QStringLiteral("field"));
    QCOMPARE(stillShown, letters);
    QVERIFY2(m_browser->statusText().contains(QStringLiteral("0 delivered, %1 still failing").arg(stillShown)),
             qPrintable(m_browser->statusText()));
}

// Item 4: a re-map whose mapping cannot be used ends as a failed run of its own; the dock does not stay
// on "Running…", Start is back, the first run's counts are untouched.
void TestDeadLetterRetry::aFailedRemapEndsTheRun()
{
    QFile mapping(m_mappingPath);
    QVERIFY(mapping.open(QIODevice::ReadOnly));
    const QByteArray good = mapping.readAll();
    mapping.close();
    QTest::qWait(20); // a new modification time
    QVERIFY(mapping.open(QIODevice::WriteOnly | QIODevice::Truncate));
    mapping.write("{\"transom_mapping\": 1, \"fields\": [");
    mapping.close();

    selectClass(QStringLiteral("field"));
    m_browser->setRetryMode(DeadLetterBrowser::RetryMode::Remap);
    QCOMPARE(retryAndWait(), QStringLiteral("failed"));
    QTRY_VERIFY(startButton()->isEnabled());
    QTest::qWait(200); // anything still queued from the engine arrives
    QVERIFY2(runStatus()->text().contains(QStringLiteral("failed")), qPrintable(runStatus()->text()));
    QVERIFY2(!runStatus()->text().startsWith(QStringLiteral("Running")), qPrintable(runStatus()->text()));
    QVERIFY(startButton()->isEnabled());
    RunPanel *panel = m_window->runPanel();
    QCOMPARE(panel->countText(QStringLiteral("received")), QStringLiteral("0"));
    QCOMPARE(panel->countText(QStringLiteral("dead_lettered")), QStringLiteral("0"));
    auto *eta = panel->findChild<QLabel *>(QStringLiteral("etaLabel"));
    QVERIFY2(!eta->text().contains(QStringLiteral("resets")), qPrintable(eta->text()));
    const QList<QJsonObject> recorded = runs();
    QCOMPARE(recorded.size(), 3);
    QCOMPARE(recorded.last(), m_firstRun);
    QCOMPARE(recorded.first().value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
    QVERIFY2(m_browser->statusText().contains(QStringLiteral("failed")), qPrintable(m_browser->statusText()));

    QTest::qWait(20);
    QVERIFY(mapping.open(QIODevice::WriteOnly | QIODevice::Truncate));
    mapping.write(good);
    mapping.close();
}

// Item 3: the re-map choice names the file and revision it uses; a different file on screen is said,
// and offered.
void TestDeadLetterRetry::remapNamesTheMappingItUses()
{
    QComboBox *mode = modeBox();
    QVERIFY(mode);
    selectClass(QStringLiteral("field"));
    QTRY_VERIFY2(mode->itemText(mode->findData(int(DeadLetterBrowser::RetryMode::Remap)))
                     .contains(QStringLiteral("portal-leads-to-crm-event.json (revision 1)")),
                 qPrintable(mode->itemText(0)));
    auto onScreenChoice = [mode] {
        for (int i = 0; i < mode->count(); ++i)
            if (mode->itemText(i).contains(QStringLiteral("on screen")))
                return i;
        return -1;
    };
    QCOMPARE(onScreenChoice(), -1); // the same mapping, saved: nothing else to offer

    // Another file in the editor: the dock says the re-map does not use it, and offers it.
    const QString other = m_dir.filePath(QStringLiteral("demo/leads-without-phones.json"));
    QVERIFY(QFile::copy(m_mappingPath, other));
    QFile::setPermissions(other, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    QString error;
    QVERIFY2(m_window->openMapping(other, &error), qPrintable(error));
    auto *note = named<QLabel>(m_browser, QStringLiteral("Mapping a re-map uses"));
    QVERIFY(note);
    QTRY_VERIFY2(note->text().contains(QStringLiteral("leads-without-phones.json")) &&
                     note->text().contains(QStringLiteral("not the mapping")),
                 qPrintable(note->text()));
    QTRY_VERIFY(onScreenChoice() >= 0);
    QVERIFY2(mode->itemText(onScreenChoice()).contains(QStringLiteral("leads-without-phones.json (revision 1)")),
             qPrintable(mode->itemText(onScreenChoice())));
    QVERIFY2(mode->itemText(mode->findData(int(DeadLetterBrowser::RetryMode::Remap)))
                 .contains(QStringLiteral("portal-leads-to-crm-event.json (revision 1)")),
             qPrintable(mode->itemText(0)));
    // Back to the job's own mapping.
    QVERIFY2(m_window->openMapping(m_mappingPath, &error), qPrintable(error));
    QTRY_COMPARE(onScreenChoice(), -1);
}

// Item 3: the job's mapping with unsaved changes on screen: the dock says a re-map would use revision 1
// and offers to save the screen's and re-map with it; that one (revision 2) is what the letters get.
void TestDeadLetterRetry::remapWithTheMappingOnScreen()
{
    QComboBox *mode = modeBox();
    auto *note = named<QLabel>(m_browser, QStringLiteral("Mapping a re-map uses"));
    QVERIFY(mode && note);
    QVERIFY(m_window->mapping()->unmapField(QStringLiteral("person.phones[0].value")));
    QVERIFY(m_window->mapping()->unmapField(QStringLiteral("person.phones[0].ext")));
    selectClass(QStringLiteral("field"));
    const int letters = m_browser->model()->count(QStringLiteral("field"));
    QTRY_VERIFY2(note->text().contains(QStringLiteral("unsaved changes")), qPrintable(note->text()));
    int onScreen = -1;
    for (int i = 0; i < mode->count(); ++i)
        if (mode->itemText(i).contains(QStringLiteral("on screen")))
            onScreen = i;
    QVERIFY(onScreen >= 0);
    QVERIFY2(mode->itemText(onScreen).contains(QStringLiteral("revision 2")), qPrintable(mode->itemText(onScreen)));
    mode->setCurrentIndex(onScreen);
    QCOMPARE(retryAndWait(), QStringLiteral("completed"));
    QVERIFY(!m_window->mapping()->isModified()); // saved first
    QCOMPARE(m_window->mapping()->document().revision, 2);
    // The leads with unusable phones go out; those with other problems (a budget of "call me") stay.
    const QModelIndex field = m_browser->model()->indexOfClass(QStringLiteral("field"));
    const int stillShown = field.isValid() ? m_browser->model()->count(QStringLiteral("field")) : 0;
    QVERIFY(stillShown < letters);
    QVERIFY2(m_browser->statusText().contains(
                 QStringLiteral("%1 delivered, %2 still failing").arg(letters - stillShown).arg(stillShown)),
             qPrintable(m_browser->statusText()));
    // Each letter's history says which file and revision re-mapped it.
    auto opened = store::SyncStore::open(m_window->project()->storePath());
    QVERIFY(opened.ok());
    store::DeadLetterFilter resolved;
    resolved.status = QStringLiteral("resolved");
    resolved.errorClass = QStringLiteral("field");
    const QList<store::DeadLetter> done = opened.value()->deadLetters(resolved).value();
    QCOMPARE(int(done.size()), letters - stillShown);
    const QList<QJsonObject> actions = opened.value()->deadLetterActions(done.first().id).value();
    QStringList details;
    for (const QJsonObject &a : actions)
        details.append(a.value(QStringLiteral("detail")).toString());
    QVERIFY2(details.contains(QStringLiteral("re-mapped with portal-leads-to-crm-event.json (revision 2)")),
             qPrintable(details.join(QLatin1Char('|'))));
    // The choice now names the saved revision, and nothing else is offered.
    QTRY_VERIFY(mode->itemText(mode->findData(int(DeadLetterBrowser::RetryMode::Remap)))
                    .contains(QStringLiteral("(revision 2)")));
    QVERIFY(!note->text().contains(QStringLiteral("unsaved")));
}

// Item 4: after "Save edit" the mode is "Send as edited", Retry sends the edit and the history says so;
// the Retry and Discard buttons stay in view in a small dock.
void TestDeadLetterRetry::savedEditIsSentAsEdited()
{
    QTRY_VERIFY(m_browser->model()->letterCount() > 0);
    const QString errorClass = m_browser->model()->errorClasses().first();
    const QModelIndex first = m_browser->model()->index(0, 0, m_browser->model()->indexOfClass(errorClass));
    const store::DeadLetter letter = *m_browser->model()->letter(first);
    QSignalSpy history(m_browser, &DeadLetterBrowser::historyLoaded);
    m_browser->tree()->selectionModel()->select(first, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    QVERIFY(history.wait());
    m_browser->setRetryMode(DeadLetterBrowser::RetryMode::Remap);

    // The dead letters in a short dock: the actions are still there to press.
    auto *dock = m_window->findChild<QDockWidget *>(QStringLiteral("DeadLetterDock"));
    QVERIFY(dock);
    dock->show();
    dock->raise();
    m_window->resizeDocks({dock}, {240}, Qt::Vertical);
    QTRY_VERIFY2(wholeInView(retryButton()), qPrintable(QString::number(dock->height())));
    QVERIFY(wholeInView(named<QPushButton>(m_browser, QStringLiteral("Discard the selected dead letters"))));

    // Fix the record by hand (what the CRM accepts for any lead) and save it.
    QJsonObject fixed = QJsonDocument::fromJson(letter.mappedRecord).object();
    QJsonObject person = fixed.value(QStringLiteral("person")).toObject();
    person.remove(QStringLiteral("phones"));
    person.insert(QStringLiteral("stage"), QStringLiteral("Lead"));
    fixed.insert(QStringLiteral("person"), person);
    replaceText(m_browser->mappedEditor(), QString::fromUtf8(QJsonDocument(fixed).toJson()));
    QSignalSpy done(m_browser, &DeadLetterBrowser::actionFinished);
    QTest::mouseClick(named<QPushButton>(m_browser, QStringLiteral("Save the edited mapped record")), Qt::LeftButton);
    QVERIFY(done.wait());
    QCOMPARE(m_browser->retryMode(), DeadLetterBrowser::RetryMode::AsEdited);
    QCOMPARE(modeBox()->currentText(), QStringLiteral("Send as edited"));

    QCOMPARE(retryAndWait(), QStringLiteral("completed"));
    auto opened = store::SyncStore::open(m_window->project()->storePath());
    QVERIFY(opened.ok());
    QCOMPARE(opened.value()->deadLetter(letter.id)->status, QStringLiteral("resolved"));
    QStringList details;
    for (const QJsonObject &a : opened.value()->deadLetterActions(letter.id).value())
        details.append(a.value(QStringLiteral("action")).toString() + QLatin1Char(':') +
                       a.value(QStringLiteral("detail")).toString());
    QVERIFY2(details.contains(QStringLiteral("retry:sent as edited")), qPrintable(details.join(QLatin1Char('|'))));
    QVERIFY2(!details.join(QLatin1Char('|')).contains(QStringLiteral("as stored")),
             qPrintable(details.join(QLatin1Char('|'))));
    QVERIFY2(m_browser->statusText().contains(QStringLiteral("1 delivered, 0 still failing")),
             qPrintable(m_browser->statusText()));
}

QTEST_MAIN(TestDeadLetterRetry)
#include "tst_deadletterretry.moc"
