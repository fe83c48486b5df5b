// The run panel driving the real engine against the sandbox over loopback: Start runs the selected
// job to the end and the panel shows the engine's counts, the destination's rate budget and chart points;
// Stop ends a slowed run halfway. Progress reports carry the budget and the time left, throttled.
#include "core/auth/secretstore.h"
#include "leadsproject.h"
#include "sandboxfixture.h"
#include "ui/projectsession.h"
#include "ui/runpanel.h"

#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QFontMetrics>
#include <QJsonArray>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QValueAxis>

using namespace transom;
using namespace transom::testing;

class TestRunPanel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void chartsReadAsWholeNumbers();
    void runShowsTheEnginesCounts();
    void stopEndsASlowRun();
    void anOutageOfTheDestinationIsShown();

private:
    /// Every chart axis of the panel counts in whole numbers, each label different ("0 0 0 0 1" was
    /// five ticks between 0 and 1.1 printed with %d), and no title is cut off ("recor…").
    static void checkCharts(const ui::RunPanel &panel);
    /// A project with a poll job from the sandbox's lead portal to its CRM (10,000 calls a minute, spaced 6 ms apart,
    /// and 100,000 a day), and a credentials file with the sandbox's API key. Returns the project file.
    static QString writeProject(const QTemporaryDir &dir, const SandboxFixture &s);
};

QString TestRunPanel::writeProject(const QTemporaryDir &dir, const SandboxFixture &s)
{
    testing::LeadsProject project{s.server.baseUrl()};
    project.job = QStringLiteral("poll");
    project.sinkWindows = {testing::LeadsProject::window(10000, "minute"),
                           testing::LeadsProject::window(100000, "day")};
    return project.write(dir.path());
}

void TestRunPanel::checkCharts(const ui::RunPanel &panel)
{
    const QList<QChartView *> views = panel.findChildren<QChartView *>();
    QCOMPARE(views.size(), 2);
    for (const QChartView *view : views) {
        QChart *chart = view->chart();
        const QFontMetrics titleMetrics(chart->titleFont());
        QVERIFY2(titleMetrics.horizontalAdvance(chart->title()) < view->width(), qPrintable(chart->title()));
        const QList<QAbstractAxis *> axes = chart->axes();
        QCOMPARE(axes.size(), 2);
        for (QAbstractAxis *axis : axes) {
            auto *value = qobject_cast<QValueAxis *>(axis);
            QVERIFY(value);
            QCOMPARE(value->labelFormat(), QStringLiteral("%d"));
            QVERIFY(value->tickCount() >= 2 && value->tickCount() <= 6);
            const qreal step = (value->max() - value->min()) / (value->tickCount() - 1);
            QVERIFY2(step >= 1 && std::abs(step - std::round(step)) < 1e-9,
                     qPrintable(QStringLiteral("%1: %2..%3 in %4 ticks")
                                    .arg(chart->title())
                                    .arg(value->min())
                                    .arg(value->max())
                                    .arg(value->tickCount())));
            QCOMPARE(std::abs(value->min() - std::round(value->min())) < 1e-9, true);
            // A title must fit along its axis: the plot's height for the vertical one.
            const qreal room =
                axis->orientation() == Qt::Vertical ? chart->plotArea().height() : chart->plotArea().width();
            QVERIFY2(QFontMetrics(axis->titleFont()).horizontalAdvance(axis->titleText()) <= room,
                     qPrintable(axis->titleText()));
        }
    }
}

void TestRunPanel::chartsReadAsWholeNumbers()
{
    ui::ProjectSession session;
    ui::RunPanel panel(&session);
    panel.resize(430, 520);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    checkCharts(panel); // no run yet: 0..1 on both axes
}

void TestRunPanel::runShowsTheEnginesCounts()
{
    SandboxFixture s;
    QTemporaryDir dir;
    ui::ProjectSession session;
    QString error;
    QVERIFY2(session.open(writeProject(dir, s), &error), qPrintable(error));
    ui::RunPanel panel(&session);
    panel.setSampleInterval(50);
    panel.show();
    QCOMPARE(panel.currentJob(), QStringLiteral("poll"));

    QList<sync::RunProgress> reports;
    connect(session.engine(), &sync::SyncEngine::jobProgress, this,
            [&reports](const QString &, const sync::RunProgress &progress) { reports.append(progress); });
    QSignalSpy engineFinished(session.engine(), &sync::SyncEngine::jobFinished);
    QSignalSpy finished(&panel, &ui::RunPanel::jobFinished);
    auto *start = panel.findChild<QPushButton *>(QStringLiteral("startButton"));
    auto *stop = panel.findChild<QPushButton *>(QStringLiteral("stopButton"));
    QVERIFY(start && stop);
    QVERIFY(start->isEnabled());
    QVERIFY(!stop->isEnabled());
    QTest::mouseClick(start, Qt::LeftButton);
    QVERIFY(!start->isEnabled()); // running: only Stop makes sense
    QVERIFY(stop->isEnabled());
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.first().at(0).toString(), QStringLiteral("poll"));
    QCOMPARE(finished.first().at(1).toString(), QStringLiteral("completed"));

    // The labels show the engine's own final counts.
    QCOMPARE(engineFinished.size(), 1);
    const QJsonObject counts = engineFinished.first().at(3).toJsonObject();
    QCOMPARE(counts.value(QStringLiteral("created")).toInteger(), s.server.crm().people().size());
    QVERIFY(counts.value(QStringLiteral("created")).toInteger() > 0);
    for (const QString &key : ui::RunPanel::countKeys())
        QCOMPARE(panel.countText(key), QLocale().toString(counts.value(key).toInteger()));
    QVERIFY(start->isEnabled());
    QVERIFY(!stop->isEnabled());
    auto *status = panel.findChild<QLabel *>(QStringLiteral("statusLine"));
    QVERIFY2(status->text().contains(QStringLiteral("completed")), qPrintable(status->text()));
    // Nothing runs: no countdown to the budget's reset that would stand still (issue 18 item 4).
    auto *eta = panel.findChild<QLabel *>(QStringLiteral("etaLabel"));
    QVERIFY2(!eta->text().contains(QStringLiteral("resets")), qPrintable(eta->text()));

    // The gauge counts the calls of the CRM's minute budget.
    auto *gauge = panel.findChild<QProgressBar *>(QStringLiteral("budgetGauge"));
    QCOMPARE(gauge->maximum(), 10000); // the minute: closer to running out than the day
    QVERIFY(gauge->value() > 0);
    QVERIFY2(gauge->text().startsWith(QLocale().toString(gauge->value()) + QStringLiteral(" of ")),
             qPrintable(gauge->text()));
    QVERIFY2(gauge->text().endsWith(QStringLiteral(" calls this minute")), qPrintable(gauge->text()));

    // Both charts got samples, the last one with the final rate.
    QVERIFY(panel.throughputPoints().size() >= 2);
    QCOMPARE(panel.errorPoints().size(), panel.throughputPoints().size());
    QVERIFY(panel.throughputPoints().size() <= ui::RunPanel::kMaxPoints);
    bool moved = false;
    for (const QPointF &p : panel.throughputPoints())
        moved = moved || p.y() > 0;
    QVERIFY(moved);
    checkCharts(panel);

    // What the engine reported: the budget, the rate, the time left once the source was done, and
    // not a report per record.
    QVERIFY(!reports.isEmpty());
    const sync::RunProgress last = reports.last();
    QCOMPARE(last.counts.created, counts.value(QStringLiteral("created")).toInteger());
    QVERIFY(last.budget);
    const sync::BudgetState budget = *last.budget;
    QCOMPARE(budget.limit, 10000);
    QCOMPARE(budget.perMs.value_or(0), 60000);
    QCOMPARE(budget.used + budget.remaining, 10000);
    QVERIFY(budget.resetsInMs);
    QVERIFY(last.elapsedMs > 0);
    const qint64 windowStartedAgo = 60000 - *budget.resetsInMs;
    if (windowStartedAgo > last.elapsedMs) // the run did not cross a minute
        QVERIFY2(budget.used >= counts.value(QStringLiteral("created")).toInt(),
                 QJsonDocument(last.toJson()).toJson().constData());
    QVERIFY(last.recordsPerSecond >= 0);
    QVERIFY(last.etaMs); // the portal had sent its last page
    const qint64 elapsed = last.elapsedMs;
    QVERIFY2(reports.size() <= elapsed / 100 + 7, // ten a second, a burst of five, the last one
             qPrintable(QStringLiteral("%1 reports in %2 ms").arg(reports.size()).arg(elapsed)));
}

void TestRunPanel::stopEndsASlowRun()
{
    SandboxFixture s;
    sandbox::FaultPlan slow;
    slow.slow = 1.0;
    slow.slowMs = 100; // four in flight: about 40 leads a second
    s.server.setFaults(QStringLiteral("crm.people.create"), slow);
    QTemporaryDir dir;
    ui::ProjectSession session;
    QString error;
    QVERIFY2(session.open(writeProject(dir, s), &error), qPrintable(error));
    ui::RunPanel panel(&session);
    panel.setSampleInterval(50);
    panel.show();
    QSignalSpy finished(&panel, &ui::RunPanel::jobFinished);
    auto *start = panel.findChild<QPushButton *>(QStringLiteral("startButton"));
    auto *stop = panel.findChild<QPushButton *>(QStringLiteral("stopButton"));
    auto *eta = panel.findChild<QLabel *>(QStringLiteral("etaLabel"));
    QTest::mouseClick(start, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(panel.countText(QStringLiteral("created")).toInt() >= 20, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(eta->text().contains(QStringLiteral("left")), 10000);
    QVERIFY(finished.isEmpty());
    QVERIFY(stop->isEnabled());
    QTest::mouseClick(stop, Qt::LeftButton);
    QVERIFY(finished.wait(30000));
    QCOMPARE(finished.first().at(1).toString(), QStringLiteral("stopped"));
    const int created = panel.countText(QStringLiteral("created")).toInt();
    QVERIFY2(created < 196, qPrintable(QString::number(created)));
    QCOMPARE(qsizetype(created), s.server.crm().people().size()); // what left before the stop, settled
    QVERIFY(panel.findChild<QLabel *>(QStringLiteral("statusLine"))->text().contains(QStringLiteral("stopped")));
    QVERIFY(start->isEnabled());
}

// The engine's progress names an outage of the destination: the panel says so while it lasts and
// after it ended.
void TestRunPanel::anOutageOfTheDestinationIsShown()
{
    SandboxFixture s;
    QTemporaryDir dir;
    ui::ProjectSession session;
    QString error;
    QVERIFY2(session.open(writeProject(dir, s), &error), qPrintable(error));
    ui::RunPanel panel(&session);
    panel.show();
    auto *eta = panel.findChild<QLabel *>(QStringLiteral("etaLabel"));
    QVERIFY(eta);
    sync::RunProgress progress;
    progress.counts.received = 10;
    progress.counts.sinkName = QStringLiteral("crm");
    progress.counts.unreachableMs = 41000;
    progress.counts.refused = 8012;
    progress.counts.outages = 1;
    progress.counts.unreachableNow = true;
    Q_EMIT session.engine()->jobProgress(QStringLiteral("poll"), progress);
    QVERIFY2(eta->text().contains(QStringLiteral("crm unreachable for 41 second")) &&
                 eta->text().contains(QStringLiteral("refused connections), retrying")),
             qPrintable(eta->text()));
    QVERIFY2(eta->text().contains(QLocale().toString(8012)), qPrintable(eta->text()));
    progress.counts.received = 20;
    progress.counts.unreachableNow = false;
    Q_EMIT session.engine()->jobProgress(QStringLiteral("poll"), progress);
    QVERIFY2(eta->text().contains(QStringLiteral("refused connections), resumed")), qPrintable(eta->text()));
    sync::RunProgress calm;
    calm.counts.received = 30;
    Q_EMIT session.engine()->jobProgress(QStringLiteral("poll"), calm);
    QVERIFY(!eta->text().contains(QStringLiteral("unreachable")));
}

QTEST_MAIN(TestRunPanel)
#include "tst_runpanel.moc"
