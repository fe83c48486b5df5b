// The dead-letter browser against a real run: the sandbox CRM refuses a stage it does not know (422)
// and the mapping refuses leads with unusable phones, so letters of two classes wait in a real SQLite
// store. The browser groups and counts them, an invalid edit names its line and column, an edited
// record goes out as edited and resolves its letter, a discard keeps its reason, a whole class is
// retried re-mapped. The live log and the tracer follow the same run.
// The scenario's steps are test functions run in order (Qt Test keeps declaration order) on one run
// made in initTestCase; each step starts from where the previous one left the store.
#include "core/sync/deadletters.h"
#include "leadsproject.h"
#include "sandboxfixture.h"
#include "ui/deadletterbrowser.h"
#include "ui/deadlettermodel.h"
#include "ui/logmodel.h"
#include "ui/logview.h"
#include "ui/projectsession.h"
#include "ui/traceview.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QComboBox>
#include <QInputDialog>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTextCursor>
#include <QTreeView>
#include <QTreeWidget>

#include <memory>

using namespace transom;
using namespace transom::testing;
using namespace transom::ui;

class TestDeadLetterBrowser : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void modelGroupsByClass_data();
    void modelGroupsByClass();
    void editedRecordErrors_data();
    void editedRecordErrors();
    // One run, step by step:
    void initTestCase();
    void groupsAndCountsAreTheStores();
    void selectedLetterShowsRecordsSideBySide();
    void invalidEditNamesLineAndColumn();
    void sendAsEditedResolvesTheLetter();
    void discardKeepsItsReason();
    void retryWholeClassRemapped();
    void liveLogDoubleClickTracesTheRecord();
    void manyLettersLoadAPageAtATime();
    void cleanupTestCase();

private:
    QString writeProject(const QTemporaryDir &dir);
    void select(const QModelIndex &index);

    std::unique_ptr<SandboxFixture> m_sandbox;
    QTemporaryDir m_dir;
    std::unique_ptr<ProjectSession> m_session;
    std::unique_ptr<LogView> m_logView;
    std::unique_ptr<TraceView> m_traceView;
    std::unique_ptr<DeadLetterBrowser> m_browser;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
    std::unique_ptr<QSignalSpy> m_finished;
    std::unique_ptr<QSignalSpy> m_history;
    std::unique_ptr<store::SyncStore> m_store;
    int m_refused = 0;          ///< letters the CRM refused (422) in the first run
    store::DeadLetter m_chosen; ///< the refused letter fixed by hand
};

namespace {

const QStringList stagesWithout{QStringLiteral("Lead"), QStringLiteral("Cold"), QStringLiteral("Warm"),
                                QStringLiteral("Appointment Set"), QStringLiteral("Nurture")};

template<class W> W *named(QWidget *root, const QString &name)
{
    for (W *w : root->findChildren<W *>())
        if (w->accessibleName() == name)
            return w;
    return nullptr;
}

store::DeadLetter letter(qint64 id, const QString &errorClass, const QString &job = QStringLiteral("leads"))
{
    store::DeadLetter d;
    d.id = id;
    d.job = job;
    d.sourceId = QStringLiteral("ZL-%1").arg(id);
    d.errorClass = errorClass;
    d.message = QStringLiteral("refused");
    d.attempts = 1;
    d.lastFailedAt = 1714644000000;
    return d;
}

std::unique_ptr<store::SyncStore> openStore(const QString &path)
{
    auto opened = store::SyncStore::open(path);
    if (!opened)
        qFatal("%s", qPrintable(opened.error().toString()));
    return std::move(opened.value());
}

QJsonObject crmPerson(SandboxFixture &s, const QString &externalId)
{
    const QJsonArray people = SandboxFixture::json(s.crm("GET", QStringLiteral("/v1/people?externalId=") + externalId))
                                  .value(QStringLiteral("people"))
                                  .toArray();
    return people.isEmpty() ? QJsonObject() : people.first().toObject();
}

void replaceText(QPlainTextEdit *edit, const QString &text)
{
    // As typing would: through the cursor, so the document counts as modified.
    QTextCursor cursor(edit->document());
    cursor.select(QTextCursor::Document);
    cursor.insertText(text);
}

} // namespace

QString TestDeadLetterBrowser::writeProject(const QTemporaryDir &dir)
{
    testing::LeadsProject project{m_sandbox->server.baseUrl()};
    project.retry = testing::LeadsProject::retryEvery(20, 200, 10);
    return project.write(dir.path());
}

void TestDeadLetterBrowser::modelGroupsByClass_data()
{
    QTest::addColumn<QList<store::DeadLetter>>("letters");
    QTest::addColumn<QStringList>("classes");
    QTest::addColumn<QList<int>>("counts");
    QTest::newRow("none") << QList<store::DeadLetter>{} << QStringList{} << QList<int>{};
    QTest::newRow("triage order, empty classes left out")
        << QList<store::DeadLetter>{letter(1, QStringLiteral("duplicate")), letter(2, QStringLiteral("permanent")),
                                    letter(3, QStringLiteral("field")), letter(4, QStringLiteral("permanent")),
                                    letter(5, QStringLiteral("auth"))}
        << QStringList{QStringLiteral("field"), QStringLiteral("permanent"), QStringLiteral("auth"),
                       QStringLiteral("duplicate")}
        << QList<int>{1, 2, 1, 1};
    QTest::newRow("all six") << QList<store::DeadLetter>{letter(1, QStringLiteral("exhausted")),
                                                         letter(2, QStringLiteral("auth")),
                                                         letter(3, QStringLiteral("field")),
                                                         letter(4, QStringLiteral("duplicate")),
                                                         letter(5, QStringLiteral("permanent")),
                                                         letter(6, QStringLiteral("update_unsupported"))}
                             << sync::deadLetterClasses() << QList<int>{1, 1, 1, 1, 1, 1};
    QTest::newRow("a class this build does not know still shows")
        << QList<store::DeadLetter>{letter(1, QStringLiteral("quarantined")), letter(2, QStringLiteral("field"))}
        << QStringList{QStringLiteral("field"), QStringLiteral("quarantined")} << QList<int>{1, 1};
}

void TestDeadLetterBrowser::modelGroupsByClass()
{
    QFETCH(QList<store::DeadLetter>, letters);
    QFETCH(QStringList, classes);
    QFETCH(QList<int>, counts);
    DeadLetterModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setLetters(letters);
    QCOMPARE(model.errorClasses(), classes);
    QCOMPARE(model.rowCount(), int(classes.size()));
    QCOMPARE(model.letterCount(), int(letters.size()));
    for (int g = 0; g < model.rowCount(); ++g) {
        const QModelIndex group = model.index(g, 0);
        QCOMPARE(model.rowCount(group), counts.at(g));
        QCOMPARE(group.data(DeadLetterModel::CountRole).toInt(), counts.at(g));
        QVERIFY(group.data().toString().contains(QStringLiteral("(%1)").arg(counts.at(g))));
        QVERIFY(group.data(DeadLetterModel::IsGroupRole).toBool());
        QCOMPARE(model.letter(group), nullptr);
        QCOMPARE(model.letters(group).size(), counts.at(g));
        for (int r = 0; r < model.rowCount(group); ++r) {
            const QModelIndex child = model.index(r, DeadLetterModel::SourceIdColumn, group);
            QCOMPARE(child.parent(), group);
            QCOMPARE(child.data(DeadLetterModel::ErrorClassRole).toString(), classes.at(g));
            const qint64 id = child.data(DeadLetterModel::LetterIdRole).toLongLong();
            QCOMPARE(child.data().toString(), QStringLiteral("ZL-%1").arg(id));
            QCOMPARE(model.indexOfLetter(id), child);
            QCOMPARE(model.letter(child)->id, id);
            QCOMPARE(model.rowCount(child), 0);
        }
    }
    model.setLetters({});
    QCOMPARE(model.rowCount(), 0);
}

void TestDeadLetterBrowser::editedRecordErrors_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::newRow("valid") << QByteArray("{\n  \"stage\": \"Lead\"\n}") << 0 << 0;
    // Where the parser noticed: the editor puts the cursor there.
    QTest::newRow("missing comma") << QByteArray("{\n  \"stage\": \"Lead\"\n  \"source\": \"Zillow\"\n}") << 3 << 4;
    QTest::newRow("trailing comma") << QByteArray("{\n  \"a\": 1,\n}") << 3 << 2;
    QTest::newRow("misspelt literal") << QByteArray("{\"a\": tru}") << 1 << 8;
    QTest::newRow("unterminated string") << QByteArray("{\n  \"stage\": \"Lead\n}") << 3 << 0;
    QTest::newRow("an array, not a record") << QByteArray("[1, 2]") << 1 << 1;
    QTest::newRow("empty") << QByteArray() << 1 << 0;
}

void TestDeadLetterBrowser::editedRecordErrors()
{
    QFETCH(QByteArray, text);
    QFETCH(int, line);
    QFETCH(int, column);
    const auto parsed = sync::parseEditedRecord(text);
    QCOMPARE(parsed.ok(), line == 0);
    if (parsed)
        return;
    QCOMPARE(parsed.error().line, line);
    if (column) // where a parser stops inside a token varies; the line is what the editor needs
        QCOMPARE(parsed.error().column, column);
    QVERIFY(!parsed.error().message.isEmpty());
}

void TestDeadLetterBrowser::initTestCase()
{
    qputenv("TRANSOM_CREDENTIALS", QByteArray()); // the credentials file beside the project
    m_sandbox = std::make_unique<SandboxFixture>();
    QCOMPARE(m_sandbox
                 ->crm("POST", QStringLiteral("/_admin/crm"),
                       {{QStringLiteral("stages"), QJsonArray::fromStringList(stagesWithout)}})
                 .status,
             200);
    m_session = std::make_unique<ProjectSession>();
    QString error;
    QVERIFY2(m_session->open(writeProject(m_dir), &error), qPrintable(error));
    // The live log listens before the first run starts (the engine forwards lines only to listeners).
    m_logView = std::make_unique<LogView>(m_session.get());
    m_traceView = std::make_unique<TraceView>(m_session.get());
    connect(m_logView.get(), &LogView::traceRequested, m_traceView.get(), &TraceView::trace);
    m_browser = std::make_unique<DeadLetterBrowser>(m_session.get());
    m_tester = std::make_unique<QAbstractItemModelTester>(m_browser->model(),
                                                          QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_history = std::make_unique<QSignalSpy>(m_browser.get(), &DeadLetterBrowser::historyLoaded);
    m_browser->resize(1200, 800);
    m_browser->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_browser.get()));
    QTRY_VERIFY(!m_browser->isBusy()); // its first read of the (new) store is done
    QCOMPARE(m_browser->model()->letterCount(), 0);

    // 200 leads; 4 with unusable phones fail the mapping, the Hot Prospects are refused (422).
    m_finished = std::make_unique<QSignalSpy>(m_session->engine(), &sync::SyncEngine::jobFinished);
    m_session->engine()->startJob(QStringLiteral("leads"), sync::JobRunner::Mode::Pull);
    QVERIFY(m_finished->wait(60000));
    QCOMPARE(m_finished->first().at(1).toString(), QStringLiteral("completed"));
    // The browser refreshes itself when the job finishes.
    QTRY_VERIFY_WITH_TIMEOUT(m_browser->model()->letterCount() > 0 && !m_browser->isBusy(), 20000);
    m_store = openStore(m_session->storePath());
}

// 1,234 more letters than the run left: the tree loads a page at a time and says how many there are.
void TestDeadLetterBrowser::manyLettersLoadAPageAtATime()
{
    store::WriteBatch b;
    for (int i = 0; i < 1234; ++i) {
        store::DeadLetter d = letter(0, QStringLiteral("field"));
        d.sourceId = QStringLiteral("PG-%1").arg(i);
        b.deadLetter(d);
    }
    QVERIFY(m_store->commit(b).ok());
    const qint64 total = m_store->deadLetterCount({}).value();
    QVERIFY(total >= 1234);
    m_browser->setPageSize(500);
    QSignalSpy refreshed(m_browser.get(), &DeadLetterBrowser::refreshed);
    m_browser->refresh();
    QVERIFY(refreshed.wait());
    QCOMPARE(m_browser->model()->letterCount(), 500);
    QCOMPARE(m_browser->totalLetters(), total);
    auto *count = named<QLabel>(m_browser.get(), QStringLiteral("Number of dead letters"));
    QCOMPARE(count->text(), QStringLiteral("Showing 500 of %1 dead letters").arg(QLocale().toString(total)));
    auto *more = named<QPushButton>(m_browser.get(), QStringLiteral("Load more dead letters"));
    QVERIFY(more && more->isVisible());
    QCOMPARE(more->text(), QStringLiteral("Load 500 more"));
    QTest::mouseClick(more, Qt::LeftButton);
    QVERIFY(refreshed.wait());
    QCOMPARE(m_browser->model()->letterCount(), 1000);
    while (more->isVisible()) {
        QTest::mouseClick(more, Qt::LeftButton);
        QVERIFY(refreshed.wait());
    }
    QCOMPARE(m_browser->model()->letterCount(), int(total));
    QCOMPARE(count->text(), DeadLetterBrowser::tr("%n dead letter(s)", nullptr, int(total)));
    // A new filter starts again at its first page.
    auto *status = named<QComboBox>(m_browser.get(), QStringLiteral("Letter status"));
    status->setCurrentIndex(1);
    QVERIFY(refreshed.wait());
    QCOMPARE(m_browser->model()->letterCount(), 500);
}

void TestDeadLetterBrowser::cleanupTestCase()
{
    m_store.reset();
    m_tester.reset();
    m_browser.reset();
    m_traceView.reset();
    m_logView.reset();
    m_finished.reset();
    m_session.reset();
    m_sandbox.reset();
}

void TestDeadLetterBrowser::select(const QModelIndex &index)
{
    m_browser->tree()->selectionModel()->select(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

void TestDeadLetterBrowser::groupsAndCountsAreTheStores()
{
    const QList<store::DeadLetter> open = m_store->deadLetters({}).value();
    QMap<QString, int> byClass;
    for (const store::DeadLetter &d : open)
        ++byClass[d.errorClass];
    DeadLetterModel *model = m_browser->model();
    QCOMPARE(model->errorClasses(), (QStringList{QStringLiteral("field"), QStringLiteral("permanent")}));
    QCOMPARE(model->count(QStringLiteral("field")), 4);
    m_refused = byClass.value(QStringLiteral("permanent"));
    QVERIFY(m_refused > 10);
    QCOMPARE(model->count(QStringLiteral("permanent")), m_refused);
    QCOMPARE(model->letterCount(), int(open.size()));
    QVERIFY(model->index(0, 0).data().toString().contains(QStringLiteral("(4)")));
    QCOMPARE(m_sandbox->server.crm().people().size(), 200 - 4 - m_refused);
}

void TestDeadLetterBrowser::selectedLetterShowsRecordsSideBySide()
{
    const QModelIndex first =
        m_browser->model()->index(0, 0, m_browser->model()->indexOfClass(QStringLiteral("permanent")));
    m_chosen = *m_browser->model()->letter(first);
    select(first);
    QVERIFY(m_history->wait());
    QCOMPARE(m_browser->currentLetterId(), m_chosen.id);
    auto *source = named<QPlainTextEdit>(m_browser.get(), QStringLiteral("Source record"));
    auto *errorPane = named<QPlainTextEdit>(m_browser.get(), QStringLiteral("Error"));
    QVERIFY(source && errorPane);
    const QString email =
        QJsonDocument::fromJson(m_chosen.sourceRecord).object().value(QStringLiteral("email")).toString();
    QVERIFY(!email.isEmpty());
    QVERIFY(source->toPlainText().contains(email));
    QVERIFY(m_browser->mappedEditor()->toPlainText().contains(QStringLiteral("Hot Prospect")));
    QVERIFY2(errorPane->toPlainText().contains(QStringLiteral("422")) &&
                 errorPane->toPlainText().contains(QStringLiteral("Hot Prospect")),
             qPrintable(errorPane->toPlainText()));
    auto *history = named<QTreeWidget>(m_browser.get(), QStringLiteral("History of the dead letter"));
    QVERIFY(history);
    QCOMPARE(history->topLevelItemCount(), 0); // nothing done to it yet
}

void TestDeadLetterBrowser::invalidEditNamesLineAndColumn()
{
    QString broken = m_browser->mappedEditor()->toPlainText();
    broken.replace(QStringLiteral("\"Hot Prospect\""), QStringLiteral("\"Lead\" \"oops\""));
    replaceText(m_browser->mappedEditor(), broken);
    auto *save = named<QPushButton>(m_browser.get(), QStringLiteral("Save the edited mapped record"));
    QVERIFY(save && save->isEnabled());
    QSignalSpy failed(m_browser.get(), &DeadLetterBrowser::actionFailed);
    QTest::mouseClick(save, Qt::LeftButton);
    QCOMPARE(failed.size(), 1);
    auto *problem = named<QLabel>(m_browser.get(), QStringLiteral("Problem in the mapped record"));
    QVERIFY(problem);
    const int line = int(broken.left(broken.indexOf(QStringLiteral("\"oops\""))).count(QLatin1Char('\n'))) + 1;
    QVERIFY2(problem->text().startsWith(QStringLiteral("Line %1, column ").arg(line)), qPrintable(problem->text()));
    QCOMPARE(m_browser->mappedEditor()->textCursor().blockNumber() + 1, line);       // the cursor is on the mistake
    QCOMPARE(m_store->deadLetter(m_chosen.id)->mappedRecord, m_chosen.mappedRecord); // nothing saved
    // A refresh (another job finishing, say) keeps a half-done edit.
    QSignalSpy refreshed(m_browser.get(), &DeadLetterBrowser::refreshed);
    m_browser->refresh();
    QVERIFY(refreshed.wait());
    QCOMPARE(m_browser->currentLetterId(), m_chosen.id);
    QCOMPARE(m_browser->mappedEditor()->toPlainText(), broken);
    QVERIFY(m_browser->mappedEditor()->document()->isModified());
}

void TestDeadLetterBrowser::sendAsEditedResolvesTheLetter()
{
    // Fix the stage by hand and send it as edited (Retry saves the edit first).
    const QString fixed = QString::fromUtf8(QJsonDocument::fromJson(m_chosen.mappedRecord).toJson())
                              .replace(QStringLiteral("\"Hot Prospect\""), QStringLiteral("\"Lead\""));
    replaceText(m_browser->mappedEditor(), fixed);
    m_browser->setRetryMode(DeadLetterBrowser::RetryMode::AsEdited);
    auto *retry = named<QPushButton>(m_browser.get(), QStringLiteral("Retry the selected dead letters"));
    QVERIFY(retry && retry->isEnabled());
    QTest::mouseClick(retry, Qt::LeftButton);
    QVERIFY(m_finished->wait(30000));
    QCOMPARE(m_finished->last().at(0).toString(), QStringLiteral("leads"));
    QCOMPARE(m_store->deadLetter(m_chosen.id)->status, QStringLiteral("resolved"));
    const QJsonObject person = crmPerson(*m_sandbox, m_chosen.sourceId);
    QCOMPARE(person.value(QStringLiteral("stage")).toString(), QStringLiteral("Lead"));
    QCOMPARE(m_sandbox->server.crm().people().size(), 200 - 4 - m_refused + 1);
    QStringList actions;
    for (const QJsonObject &a : m_store->deadLetterActions(m_chosen.id).value())
        actions.append(a.value(QStringLiteral("action")).toString() + QLatin1Char(':') +
                       a.value(QStringLiteral("detail")).toString());
    QVERIFY2(actions.contains(QStringLiteral("edit:stage")), qPrintable(actions.join(QLatin1Char('|'))));
    QVERIFY2(actions.filter(QStringLiteral("retry:delivered as")).size() == 1,
             qPrintable(actions.join(QLatin1Char('|'))));
    // The browser refreshed on jobFinished: with the "open" filter the resolved letter is gone.
    QTRY_VERIFY(!m_browser->isBusy() && !m_browser->model()->indexOfLetter(m_chosen.id).isValid());
    QCOMPARE(m_browser->model()->count(QStringLiteral("permanent")), m_refused - 1);
}

void TestDeadLetterBrowser::discardKeepsItsReason()
{
    DeadLetterModel *model = m_browser->model();
    const QModelIndex field = model->index(0, 0, model->indexOfClass(QStringLiteral("field")));
    const qint64 id = model->letter(field)->id;
    select(field);
    QVERIFY(m_history->wait());
    m_browser->discardSelectedWithReason(QStringLiteral("  ")); // a reason is required
    QVERIFY(m_browser->statusText().contains(QStringLiteral("reason")));
    QCOMPARE(m_store->deadLetter(id)->status, QStringLiteral("open"));
    QTest::mouseClick(named<QPushButton>(m_browser.get(), QStringLiteral("Discard the selected dead letters")),
                      Qt::LeftButton);
    QInputDialog *ask = nullptr;
    QTRY_VERIFY((ask = m_browser->findChild<QInputDialog *>()) && ask->isVisible());
    ask->setTextValue(QStringLiteral("test lead from the portal's QA"));
    ask->accept();
    QTRY_COMPARE(m_store->deadLetter(id)->status, QStringLiteral("discarded"));
    QTRY_VERIFY(!m_browser->isBusy() && !model->indexOfLetter(id).isValid());
    // With every status shown, its history says why.
    auto *status = named<QComboBox>(m_browser.get(), QStringLiteral("Letter status"));
    status->setCurrentIndex(status->findData(QString()));
    QTRY_VERIFY(!m_browser->isBusy() && model->indexOfLetter(id).isValid());
    select(model->indexOfLetter(id));
    QVERIFY(m_history->wait());
    auto *history = named<QTreeWidget>(m_browser.get(), QStringLiteral("History of the dead letter"));
    QVERIFY(history && history->topLevelItemCount() > 0);
    const QTreeWidgetItem *last = history->topLevelItem(history->topLevelItemCount() - 1);
    QCOMPARE(last->text(1), QStringLiteral("discard"));
    QCOMPARE(last->text(2), QStringLiteral("test lead from the portal's QA"));
    status->setCurrentIndex(status->findData(QStringLiteral("open")));
    QTRY_VERIFY(!m_browser->isBusy() && !model->indexOfLetter(id).isValid());
}

void TestDeadLetterBrowser::retryWholeClassRemapped()
{
    // Put the stage back in the CRM and retry the whole class, re-mapped: every refused lead arrives.
    QStringList stages = stagesWithout;
    stages.insert(3, QStringLiteral("Hot Prospect"));
    QCOMPARE(m_sandbox
                 ->crm("POST", QStringLiteral("/_admin/crm"),
                       {{QStringLiteral("stages"), QJsonArray::fromStringList(stages)}})
                 .status,
             200);
    select(m_browser->model()->indexOfClass(QStringLiteral("permanent")));
    m_browser->setRetryMode(DeadLetterBrowser::RetryMode::Remap);
    QTest::mouseClick(named<QPushButton>(m_browser.get(), QStringLiteral("Retry the selected dead letters")),
                      Qt::LeftButton);
    QVERIFY(m_finished->wait(30000));
    QTRY_VERIFY(!m_browser->isBusy() && !m_browser->model()->indexOfClass(QStringLiteral("permanent")).isValid());
    QCOMPARE(m_sandbox->server.crm().people().size(), 196);
    QCOMPARE(m_sandbox->server.crm().duplicatesStored(), 0);
    QCOMPARE(m_browser->model()->errorClasses(), QStringList{QStringLiteral("field")});
    QCOMPARE(m_browser->model()->count(QStringLiteral("field")), 3);
}

void TestDeadLetterBrowser::liveLogDoubleClickTracesTheRecord()
{
    LogModel *log = m_logView->model();
    QTRY_VERIFY(log->pendingCount() == 0 && log->rowCount() > 400);
    int deadLine = -1;
    for (int r = 0; r < log->rowCount() && deadLine < 0; ++r)
        if (log->line(r).event == QLatin1String("dead_lettered") && log->line(r).record == m_chosen.sourceId)
            deadLine = r;
    QVERIFY(deadLine >= 0);
    QCOMPARE(log->line(deadLine).level, LogModel::Error);
    QCOMPARE(log->line(deadLine).status, 422);
    m_logView->resize(1000, 500);
    m_logView->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_logView.get()));
    m_logView->setFollowing(false);
    QTableView *table = m_logView->table();
    const QModelIndex dead = m_logView->proxy()->mapFromSource(log->index(deadLine, LogModel::MessageColumn));
    table->scrollTo(dead);
    QSignalSpy traced(m_traceView.get(), &TraceView::traceFinished);
    const QPoint at = table->visualRect(dead).center();
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, at);
    QTest::mouseDClick(table->viewport(), Qt::LeftButton, {}, at);
    QTest::mouseRelease(table->viewport(), Qt::LeftButton, {}, at);
    QVERIFY(traced.wait(20000));
    QCOMPARE(m_traceView->text(), m_chosen.sourceId);
    QCOMPARE(m_traceView->traces().size(), 1);
    const sync::RecordTrace &path = m_traceView->traces().first();
    QStringList events;
    for (const QJsonObject &l : path.lines)
        events.append(l.value(QStringLiteral("event")).toString());
    QVERIFY2(events.contains(QStringLiteral("received")) && events.contains(QStringLiteral("dead_lettered")) &&
                 events.contains(QStringLiteral("delivered")),
             qPrintable(events.join(QLatin1Char(' '))));
    QCOMPARE(path.deadLetters.size(), 1);
    QCOMPARE(path.deadLetters.first().status, QStringLiteral("resolved"));
    QVERIFY(!path.ledger.isEmpty() && path.ledger.first().delivered);
    QCOMPARE(m_traceView->tree()->topLevelItemCount(), 1);
    QVERIFY(m_traceView->tree()->topLevelItem(0)->childCount() >= int(path.lines.size()) + 2);
    // The agent only has the e-mail address: the same record is found.
    const QString email =
        QJsonDocument::fromJson(m_chosen.sourceRecord).object().value(QStringLiteral("email")).toString();
    m_traceView->trace(email);
    QVERIFY(traced.wait(20000));
    QStringList found;
    for (const sync::RecordTrace &t : m_traceView->traces())
        found.append(t.recordId);
    QVERIFY2(found.contains(m_chosen.sourceId), qPrintable(found.join(QLatin1Char(' '))));
}

QTEST_MAIN(TestDeadLetterBrowser)
#include "tst_deadletterbrowser.moc"
