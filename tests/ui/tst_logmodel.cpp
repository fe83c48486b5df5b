// The live log: the bounded, batched LogModel and its filter proxy under QAbstractItemModelTester,
// batching and the ring's bound, the filters (level, job, exact record, free text), and the view's
// double-click that asks for a record's trace.
#include "core/log/eventlog.h"
#include "ui/logmodel.h"
#include "ui/logview.h"
#include "ui/projectsession.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QBrush>
#include <QLineEdit>
#include <QMenu>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace transom;
using namespace transom::ui;

class TestLogModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void modelTesterOnModelAndProxy();
    void engineLinesBecomeRows();
    void batchesArriveAfterTheTimer();
    void boundedCapacityDropsOldest();
    void burstLargerThanCapacityKeepsNewest();
    void filters_data();
    void filters();
    void viewFilterBarDrivesTheProxy();
    void doubleClickOrContextMenuRequestsTrace();
    void followKeepsNewestLineInView();
    void runFinishedReadsAsWords_data();
    void runFinishedReadsAsWords();
};

namespace {

LogModel::Line line(LogModel::Level level, const QString &job, const QString &record, const QString &event,
                    const QString &message = {}, int status = 0)
{
    LogModel::Line l;
    l.time = QStringLiteral("2024-05-02T10:00:00.000Z");
    l.level = level;
    l.job = job;
    l.record = record;
    l.event = event;
    l.message = message;
    l.status = status;
    return l;
}

void addSamples(LogModel &model)
{
    const QString leads = QStringLiteral("leads");
    const QString listings = QStringLiteral("listings");
    model.appendLine(line(LogModel::Info, leads, QStringLiteral("ZL-1"), QStringLiteral("received")));
    model.appendLine(line(LogModel::Info, leads, QStringLiteral("ZL-1"), QStringLiteral("mapped")));
    model.appendLine(line(LogModel::Warning, leads, QStringLiteral("ZL-2"), QStringLiteral("retrying"),
                          QStringLiteral("attempt 2 in 40 ms: Service Unavailable"), 503));
    model.appendLine(line(LogModel::Error, leads, QStringLiteral("ZL-2"), QStringLiteral("dead_lettered"),
                          QStringLiteral("permanent: Stage 'Hot Prospect' does not exist"), 422));
    model.appendLine(line(LogModel::Debug, listings, QStringLiteral("MLS-9"), QStringLiteral("received")));
    model.appendLine(line(LogModel::Info, listings, QStringLiteral("MLS-9"), QStringLiteral("delivered"),
                          QStringLiteral("as 5012")));
    model.appendLine(
        line(LogModel::Error, listings, QString(), QStringLiteral("run_finished"), QStringLiteral("failed in 3 ms")));
    model.appendLine(
        line(LogModel::Info, leads, QStringLiteral("ZL-10"), QStringLiteral("delivered"), QStringLiteral("as 5013")));
    model.flushPending();
}

QStringList rowsOf(const QAbstractItemModel &m)
{
    QStringList out;
    for (int r = 0; r < m.rowCount(); ++r)
        out.append(m.index(r, LogModel::RecordColumn).data().toString() + QLatin1Char('/') +
                   m.index(r, LogModel::EventColumn).data().toString());
    return out;
}

// What a person's double-click delivers: press, release, double-click, release.
void doubleClick(QAbstractItemView *view, QPoint at)
{
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, at);
    QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, at);
    QTest::mouseRelease(view->viewport(), Qt::LeftButton, {}, at);
}

} // namespace

void TestLogModel::modelTesterOnModelAndProxy()
{
    LogModel model;
    LogFilterProxy proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester modelTester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setCapacity(20);
    addSamples(model);
    proxy.setMinimumLevel(LogModel::Warning);
    QCOMPARE(proxy.rowCount(), 3);
    for (int i = 0; i < 30; ++i) // past the capacity: rows leave from the front
        model.appendLine(line(i % 3 ? LogModel::Info : LogModel::Error, QStringLiteral("leads"),
                              QStringLiteral("ZL-%1").arg(100 + i), QStringLiteral("sent")));
    QTRY_COMPARE(model.rowCount(), 20); // the samples and ZL-100..109 are gone
    QCOMPARE(proxy.rowCount(), 6);      // errors: ZL-112, 115, 118, 121, 124, 127
    proxy.setJob(QStringLiteral("leads"));
    proxy.setText(QStringLiteral("ZL-12"));
    QCOMPARE(proxy.rowCount(), 3);
    proxy.setRecordId(QStringLiteral("ZL-127"));
    QCOMPARE(proxy.rowCount(), 1);
    model.setCapacity(5);
    QCOMPARE(model.rowCount(), 5);
    model.clear();
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(proxy.rowCount(), 0);
}

void TestLogModel::engineLinesBecomeRows()
{
    LogModel model;
    log::LogEvent e;
    e.level = QStringLiteral("warn");
    e.job = QStringLiteral("leads");
    e.recordId = QStringLiteral("ZL-100231");
    e.event = QStringLiteral("retrying");
    e.status = 503;
    e.message = QStringLiteral("attempt 2 in 40 ms");
    const qint64 at = QDateTime(QDate(2024, 5, 2), QTime(10, 15, 30, 250), Qt::UTC).toMSecsSinceEpoch();
    model.append(QStringLiteral("leads"), log::EventLog::toJson(e, at));
    e.level = QStringLiteral("info");
    e.event = QStringLiteral("delivered");
    e.status = 0;
    model.append(QStringLiteral("leads"), log::EventLog::toJson(e, at + 5));
    model.flushPending();
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, LogModel::TimeColumn).data().toString(), QStringLiteral("10:15:30.250"));
    QCOMPARE(model.index(0, LogModel::TimeColumn).data(Qt::ToolTipRole).toString(),
             QStringLiteral("2024-05-02T10:15:30.250Z"));
    QCOMPARE(model.index(0, LogModel::LevelColumn).data().toString(), QStringLiteral("warning"));
    QCOMPARE(model.index(0, LogModel::JobColumn).data().toString(), QStringLiteral("leads"));
    QCOMPARE(model.index(0, LogModel::RecordColumn).data().toString(), QStringLiteral("ZL-100231"));
    QCOMPARE(model.index(0, LogModel::StatusColumn).data().toInt(), 503);
    QCOMPARE(model.index(0, LogModel::MessageColumn).data().toString(), QStringLiteral("attempt 2 in 40 ms"));
    QVERIFY(model.index(0, LogModel::MessageColumn).data(Qt::ForegroundRole).value<QBrush>().color().isValid());
    QVERIFY(!model.index(1, LogModel::MessageColumn).data(Qt::ForegroundRole).isValid()); // info: palette colour
    QVERIFY(!model.index(1, LogModel::StatusColumn).data().isValid());
    QCOMPARE(model.jobs(), QStringList{QStringLiteral("leads")});
}

void TestLogModel::batchesArriveAfterTheTimer()
{
    LogModel model;
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    for (int i = 0; i < 10000; ++i)
        model.appendLine(line(LogModel::Info, QStringLiteral("leads"), QStringLiteral("ZL-%1").arg(i),
                              QStringLiteral("sent"), QStringLiteral("line %1").arg(i)));
    QCOMPARE(model.rowCount(), 0); // nothing reaches the view until the batch timer fires
    QCOMPARE(model.pendingCount(), 10000);
    QTRY_COMPARE(model.rowCount(), 10000);
    QCOMPARE(inserted.size(), 1); // one insertion for the whole batch
    QCOMPARE(inserted.first().at(1).toInt(), 0);
    QCOMPARE(inserted.first().at(2).toInt(), 9999);
    QCOMPARE(model.pendingCount(), 0);
    QCOMPARE(model.index(9999, LogModel::MessageColumn).data().toString(), QStringLiteral("line 9999"));
    model.appendLine(line(LogModel::Info, QStringLiteral("leads"), QStringLiteral("ZL-x"), QStringLiteral("sent")));
    QTRY_COMPARE(model.rowCount(), 10001);
    QCOMPARE(inserted.size(), 2);
}

void TestLogModel::boundedCapacityDropsOldest()
{
    LogModel model;
    model.setCapacity(1000);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    for (int i = 0; i < 600; ++i)
        model.appendLine(line(LogModel::Info, QStringLiteral("leads"), {}, QStringLiteral("sent"),
                              QStringLiteral("line %1").arg(i)));
    QTRY_COMPARE(model.rowCount(), 600);
    for (int i = 600; i < 1200; ++i)
        model.appendLine(line(LogModel::Info, QStringLiteral("leads"), {}, QStringLiteral("sent"),
                              QStringLiteral("line %1").arg(i)));
    QTRY_COMPARE(model.pendingCount(), 0);
    QCOMPARE(model.rowCount(), 1000);
    QCOMPARE(removed.size(), 1);
    QCOMPARE(removed.first().at(1).toInt(), 0);
    QCOMPARE(removed.first().at(2).toInt(), 199);
    QCOMPARE(model.index(0, LogModel::MessageColumn).data().toString(), QStringLiteral("line 200"));
    QCOMPARE(model.index(999, LogModel::MessageColumn).data().toString(), QStringLiteral("line 1199"));
}

void TestLogModel::burstLargerThanCapacityKeepsNewest()
{
    LogModel model;
    model.setCapacity(1000);
    for (int i = 0; i < 2500; ++i)
        model.appendLine(line(LogModel::Info, QStringLiteral("leads"), {}, QStringLiteral("sent"),
                              QStringLiteral("line %1").arg(i)));
    QCOMPARE(model.pendingCount(), 1000); // the buffer is bounded too
    QTRY_COMPARE(model.rowCount(), 1000);
    QCOMPARE(model.index(0, LogModel::MessageColumn).data().toString(), QStringLiteral("line 1500"));
    QCOMPARE(model.index(999, LogModel::MessageColumn).data().toString(), QStringLiteral("line 2499"));
}

void TestLogModel::filters_data()
{
    QTest::addColumn<int>("level");
    QTest::addColumn<QString>("job");
    QTest::addColumn<QString>("record");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("expected");
    const QStringList all{QStringLiteral("ZL-1/received"),  QStringLiteral("ZL-1/mapped"),
                          QStringLiteral("ZL-2/retrying"),  QStringLiteral("ZL-2/dead_lettered"),
                          QStringLiteral("MLS-9/received"), QStringLiteral("MLS-9/delivered"),
                          QStringLiteral("/run_finished"),  QStringLiteral("ZL-10/delivered")};
    QTest::newRow("everything") << int(LogModel::Debug) << QString() << QString() << QString() << all;
    QStringList infoAndAbove = all;
    infoAndAbove.removeOne(QStringLiteral("MLS-9/received")); // the one debug line
    QTest::newRow("info and above") << int(LogModel::Info) << QString() << QString() << QString() << infoAndAbove;
    QTest::newRow("warnings and errors") << int(LogModel::Warning) << QString() << QString() << QString()
                                         << QStringList{QStringLiteral("ZL-2/retrying"),
                                                        QStringLiteral("ZL-2/dead_lettered"),
                                                        QStringLiteral("/run_finished")};
    QTest::newRow("errors only") << int(LogModel::Error) << QString() << QString() << QString()
                                 << QStringList{QStringLiteral("ZL-2/dead_lettered"), QStringLiteral("/run_finished")};
    QTest::newRow("one job") << int(LogModel::Debug) << QStringLiteral("leads") << QString() << QString()
                             << QStringList{QStringLiteral("ZL-1/received"), QStringLiteral("ZL-1/mapped"),
                                            QStringLiteral("ZL-2/retrying"), QStringLiteral("ZL-2/dead_lettered"),
                                            QStringLiteral("ZL-10/delivered")};
    QTest::newRow("job and level") << int(LogModel::Error) << QStringLiteral("listings") << QString() << QString()
                                   << QStringList{QStringLiteral("/run_finished")};
    QTest::newRow("record is exact") << int(LogModel::Debug) << QString() << QStringLiteral("ZL-1") << QString()
                                     << QStringList{QStringLiteral("ZL-1/received"), QStringLiteral("ZL-1/mapped")};
    QTest::newRow("unknown record") << int(LogModel::Debug) << QString() << QStringLiteral("ZL-3") << QString()
                                    << QStringList{};
    QTest::newRow("text in message, any case")
        << int(LogModel::Debug) << QString() << QString() << QStringLiteral("hot PROSPECT")
        << QStringList{QStringLiteral("ZL-2/dead_lettered")};
    QTest::newRow("text in record") << int(LogModel::Debug) << QString() << QString() << QStringLiteral("mls")
                                    << QStringList{QStringLiteral("MLS-9/received"), QStringLiteral("MLS-9/delivered")};
    QTest::newRow("text in event") << int(LogModel::Debug) << QString() << QString() << QStringLiteral("dead_")
                                   << QStringList{QStringLiteral("ZL-2/dead_lettered")};
    QTest::newRow("text and level") << int(LogModel::Info) << QString() << QString() << QStringLiteral("as 50")
                                    << QStringList{QStringLiteral("MLS-9/delivered"),
                                                   QStringLiteral("ZL-10/delivered")};
    QTest::newRow("all four") << int(LogModel::Warning) << QStringLiteral("leads") << QStringLiteral("ZL-2")
                              << QStringLiteral("503") << QStringList{};
    QTest::newRow("nothing matches") << int(LogModel::Debug) << QString() << QString()
                                     << QStringLiteral("nothing like this") << QStringList{};
}

void TestLogModel::filters()
{
    QFETCH(int, level);
    QFETCH(QString, job);
    QFETCH(QString, record);
    QFETCH(QString, text);
    QFETCH(QStringList, expected);
    LogModel model;
    LogFilterProxy proxy;
    proxy.setSourceModel(&model);
    addSamples(model);
    proxy.setMinimumLevel(LogModel::Level(level));
    proxy.setJob(job);
    proxy.setRecordId(record);
    proxy.setText(text);
    QCOMPARE(rowsOf(proxy), expected);
    // Lines arriving later pass through the same filter.
    model.appendLine(line(LogModel::Error, QStringLiteral("leads"), QStringLiteral("ZL-2"),
                          QStringLiteral("dead_lettered"), QStringLiteral("Hot Prospect again: 503")));
    model.flushPending();
    const bool passes =
        level <= LogModel::Error && (job.isEmpty() || job == QLatin1String("leads")) &&
        (record.isEmpty() || record == QLatin1String("ZL-2")) &&
        (text.isEmpty() ||
         QStringLiteral("Hot Prospect again: 503 ZL-2 dead_lettered").contains(text, Qt::CaseInsensitive));
    QCOMPARE(proxy.rowCount(), int(expected.size()) + (passes ? 1 : 0));
}

void TestLogModel::viewFilterBarDrivesTheProxy()
{
    ProjectSession session;
    LogView view(&session);
    addSamples(*view.model());
    for (QLineEdit *edit : view.findChildren<QLineEdit *>()) {
        if (edit->accessibleName() == QLatin1String("Record id"))
            edit->setText(QStringLiteral("ZL-2"));
        else
            edit->setText(QStringLiteral("hot"));
    }
    QCOMPARE(view.proxy()->recordId(), QStringLiteral("ZL-2"));
    QTRY_COMPARE(view.proxy()->text(), QStringLiteral("hot")); // typing is debounced
    QCOMPARE(view.proxy()->rowCount(), 1);
    // Every control can be found by assistive technology.
    QList<QWidget *> controls;
    for (QWidget *w : view.findChildren<QWidget *>(Qt::FindDirectChildrenOnly))
        if (w->inherits("QComboBox") || w->inherits("QLineEdit") || w->inherits("QAbstractButton") ||
            w->inherits("QAbstractItemView"))
            controls.append(w);
    QCOMPARE(controls.size(), 7);
    for (QWidget *w : std::as_const(controls))
        QVERIFY2(!w->accessibleName().isEmpty(), w->metaObject()->className());
}

void TestLogModel::doubleClickOrContextMenuRequestsTrace()
{
    ProjectSession session;
    LogView view(&session);
    view.resize(900, 400);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    addSamples(*view.model());
    QSignalSpy trace(&view, &LogView::traceRequested);
    QTableView *table = view.table();
    const QModelIndex dead = view.proxy()->index(3, LogModel::MessageColumn);
    QCOMPARE(dead.siblingAtColumn(LogModel::EventColumn).data().toString(), QStringLiteral("dead_lettered"));
    table->scrollTo(dead);
    const QPoint at = table->visualRect(dead).center();
    doubleClick(table, at);
    QCOMPARE(trace.size(), 1);
    QCOMPARE(trace.first().first().toString(), QStringLiteral("ZL-2"));
    // A line without a record (a run summary) has nothing to trace.
    const QModelIndex summary = view.proxy()->index(6, LogModel::MessageColumn);
    table->scrollTo(summary);
    doubleClick(table, table->visualRect(summary).center());
    QCOMPARE(trace.size(), 1);
    // The context menu offers the same.
    table->scrollTo(dead);
    Q_EMIT table->customContextMenuRequested(table->visualRect(dead).center());
    QMenu *menu = nullptr;
    QTRY_VERIFY((menu = view.findChild<QMenu *>()) && menu->isVisible());
    QAction *traceAction = nullptr;
    for (QAction *a : menu->actions())
        if (a->text() == QLatin1String("Trace record"))
            traceAction = a;
    QVERIFY(traceAction && traceAction->isEnabled());
    traceAction->trigger();
    QCOMPARE(trace.size(), 2);
    QCOMPARE(trace.last().first().toString(), QStringLiteral("ZL-2"));
    menu->close();
}

void TestLogModel::followKeepsNewestLineInView()
{
    ProjectSession session;
    LogView view(&session);
    view.resize(800, 300);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QVERIFY(view.isFollowing());
    for (int i = 0; i < 500; ++i)
        view.model()->appendLine(
            line(LogModel::Info, QStringLiteral("leads"), QStringLiteral("ZL-%1").arg(i), QStringLiteral("sent")));
    QScrollBar *bar = view.table()->verticalScrollBar();
    QTRY_VERIFY(bar->maximum() > 0 && bar->value() == bar->maximum());
    view.setFollowing(false);
    bar->setValue(0);
    for (int i = 0; i < 100; ++i)
        view.model()->appendLine(
            line(LogModel::Info, QStringLiteral("leads"), QStringLiteral("ZL-x%1").arg(i), QStringLiteral("sent")));
    QTRY_COMPARE(view.model()->rowCount(), 600);
    QCOMPARE(bar->value(), 0); // reading older lines: the view stays put
}

void TestLogModel::runFinishedReadsAsWords_data()
{
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("shown");
    QTest::newRow("a run's counts")
        << R"(completed in 2345 ms: {"received":200,"created":190,"updated":2,"skipped":0,"dead_lettered":8})"
        << "completed in 2.3 s: 200 received, 190 created, 2 updated, 0 unchanged, 8 to dead letters";
    QTest::newRow("something else stays as it is") << "failed: the store is full"
                                                   << "failed: the store is full";
}

// Issue 18 item 6: the live log showed raw JSON in run_finished lines.
void TestLogModel::runFinishedReadsAsWords()
{
    QFETCH(QString, message);
    QFETCH(QString, shown);
    LogModel model;
    model.append(QStringLiteral("leads"), QJsonObject{{QStringLiteral("event"), QStringLiteral("run_finished")},
                                                      {QStringLiteral("level"), QStringLiteral("info")},
                                                      {QStringLiteral("message"), message}});
    QTRY_COMPARE(model.rowCount(), 1);
    QCOMPARE(LogModel::runSummary(message), shown);
    bool found = false;
    for (int c = 0; c < model.columnCount(); ++c)
        found = found || model.index(0, c).data().toString() == shown;
    QVERIFY(found);
}

QTEST_MAIN(TestLogModel)
#include "tst_logmodel.moc"
