// A run's progress without a run: the rate over the last few seconds, the time left from the rate
// limiter's estimate and the observed rate, the throttle of reports (a burst, then ten a second), an
// outage counted up to the report, the budget closest to running out, and the JSON the log keeps.
#include "core/sync/ratelimiter.h"
#include "core/sync/runprogress.h"

#include <QJsonDocument>
#include <QTest>

#include <cmath>

using namespace transom::sync;

class TestRunProgress : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void rateOverTheWindow_data();
    void rateOverTheWindow();
    void eta_data();
    void eta();
    void throttle_data();
    void throttle();
    void resetRefillsTheBurst();
    void outageSoFar_data();
    void outageSoFar();
    void tightestBudget();
    void json();
    void countsFromJson();
};

void TestRunProgress::rateOverTheWindow_data()
{
    // Reports every `every` ms until `until`; settled records grow at `fast` a second until `switchAt`,
    // then at `slow` a second.
    QTest::addColumn<qint64>("every");
    QTest::addColumn<qint64>("until");
    QTest::addColumn<double>("fast");
    QTest::addColumn<qint64>("switchAt");
    QTest::addColumn<double>("slow");
    QTest::addColumn<double>("expected");
    QTest::newRow("nothing yet") << qint64(100) << qint64(0) << 0.0 << qint64(0) << 0.0 << 0.0;
    QTest::newRow("a first report: since the start")
        << qint64(150) << qint64(150) << 200.0 << qint64(1000) << 0.0 << 200.0;
    QTest::newRow("steady") << qint64(100) << qint64(3000) << 50.0 << qint64(10000) << 0.0 << 50.0;
    QTest::newRow("the window forgets a fast start")
        << qint64(100) << qint64(8000) << 200.0 << qint64(2000) << 10.0 << 10.0;
    QTest::newRow("a slowdown shows within the window")
        << qint64(100) << qint64(4000) << 100.0 << qint64(2000) << 0.0 << 50.0;
    QTest::newRow("one decimal") << qint64(300) << qint64(300) << 3.34 << qint64(1000) << 0.0 << 3.3;
    QTest::newRow("sparse reports keep two samples")
        << qint64(7000) << qint64(21000) << 20.0 << qint64(100000) << 0.0 << 20.0;
}

void TestRunProgress::rateOverTheWindow()
{
    QFETCH(qint64, every);
    QFETCH(qint64, until);
    QFETCH(double, fast);
    QFETCH(qint64, switchAt);
    QFETCH(double, slow);
    QFETCH(double, expected);
    const auto settledAt = [&](qint64 t) {
        const double records = t <= switchAt ? fast * double(t) / 1000.0
                                             : fast * double(switchAt) / 1000.0 + slow * double(t - switchAt) / 1000.0;
        return qint64(std::llround(records));
    };
    ProgressMeter meter;
    RunProgress last;
    for (qint64 t = every > until ? until : 0; t <= until; t += every) {
        RunCounts counts;
        counts.created = settledAt(t);
        last = meter.measure(t, counts);
        QCOMPARE(last.elapsedMs, t);
    }
    QVERIFY2(std::abs(last.recordsPerSecond - expected) < 0.051,
             qPrintable(QStringLiteral("%1 records/s").arg(last.recordsPerSecond)));
    QCOMPARE(last.recordsPerSecond, std::round(last.recordsPerSecond * 10) / 10);
}

void TestRunProgress::eta_data()
{
    QTest::addColumn<qint64>("settledInASecond"); ///< the rate observed: records settled in the first second
    QTest::addColumn<qint64>("remaining");
    QTest::addColumn<qint64>("limiterEstimateMs");
    QTest::addColumn<qint64>("expected");
    QTest::newRow("no rate yet: the limiter's estimate") << qint64(0) << qint64(100) << qint64(1500) << qint64(1500);
    QTest::newRow("the limiter is the bottleneck") << qint64(100) << qint64(100) << qint64(5000) << qint64(5000);
    QTest::newRow("slower than the limiter allows") << qint64(10) << qint64(100) << qint64(2000) << qint64(10000);
    QTest::newRow("no limit: the observed rate") << qint64(40) << qint64(10) << qint64(0) << qint64(250);
    QTest::newRow("nothing left") << qint64(50) << qint64(0) << qint64(0) << qint64(0);
}

void TestRunProgress::eta()
{
    QFETCH(qint64, settledInASecond);
    QFETCH(qint64, remaining);
    QFETCH(qint64, limiterEstimateMs);
    QFETCH(qint64, expected);
    ProgressMeter meter;
    RunCounts counts;
    counts.updated = settledInASecond;
    meter.measure(1000, counts);
    QCOMPARE(meter.etaMs(remaining, limiterEstimateMs), expected);
}

void TestRunProgress::throttle_data()
{
    // Someone asks for a report every `every` ms for `duration` ms, as JobRunner does: a report goes out
    // when the meter allows it, else one is due after msUntilReport() (the runner's timer).
    QTest::addColumn<qint64>("every");
    QTest::addColumn<qint64>("duration");
    QTest::addColumn<int>("atLeast");
    QTest::addColumn<int>("atMost");
    QTest::newRow("a burst of five at once") << qint64(1) << qint64(4) << 5 << 5;
    QTest::newRow("then ten a second") << qint64(1) << qint64(2000) << 24 << 26;
    QTest::newRow("twenty asked a second") << qint64(50) << qint64(2000) << 24 << 26;
    QTest::newRow("five a second all go out") << qint64(200) << qint64(2000) << 11 << 11;
    QTest::newRow("a long run: ten a second") << qint64(3) << qint64(60000) << 600 << 606;
}

void TestRunProgress::throttle()
{
    QFETCH(qint64, every);
    QFETCH(qint64, duration);
    QFETCH(int, atLeast);
    QFETCH(int, atMost);
    ProgressMeter meter;
    meter.reset();
    int reports = 0;
    qint64 due = -1; // the runner's timer: -1 when not running
    qint64 lastAsked = -1;
    qint64 lastReport = -1;
    for (qint64 t = 0; t <= duration; ++t) {
        if (due >= 0 && t >= due) {
            meter.reported(t);
            ++reports;
            lastReport = t;
            due = -1;
        }
        if (t % every != 0)
            continue;
        lastAsked = t;
        if (meter.mayReport(t)) {
            meter.reported(t);
            ++reports;
            lastReport = t;
            due = -1;
        } else if (due < 0) {
            const qint64 wait = meter.msUntilReport();
            QVERIFY2(wait > 0 && wait <= ProgressMeter::kIntervalMs, qPrintable(QString::number(wait)));
            due = t + wait;
        }
    }
    QVERIFY2(reports >= atLeast && reports <= atMost, qPrintable(QStringLiteral("%1 reports").arg(reports)));
    // The latest counts always follow within one interval.
    QVERIFY(due < 0 || due - lastAsked <= ProgressMeter::kIntervalMs);
    QVERIFY(lastReport >= 0);
}

void TestRunProgress::resetRefillsTheBurst()
{
    ProgressMeter meter;
    for (int i = 0; i < 5; ++i) {
        QVERIFY(meter.mayReport(0));
        meter.reported(0);
    }
    QVERIFY(!meter.mayReport(0));
    QCOMPARE(meter.msUntilReport(), ProgressMeter::kIntervalMs);
    QVERIFY(!meter.mayReport(50));
    QCOMPARE(meter.msUntilReport(), 50);
    QVERIFY(meter.mayReport(100));
    meter.reported(100);
    meter.reported(100); // the last report of a run goes out whatever the throttle says
    QVERIFY(!meter.mayReport(100));
    meter.reset(); // a new run's clock starts again at 0
    for (int i = 0; i < 5; ++i) {
        QVERIFY(meter.mayReport(0));
        meter.reported(0);
    }
    QVERIFY(!meter.mayReport(0));
}

void TestRunProgress::outageSoFar_data()
{
    QTest::addColumn<qint64>("endedOutagesMs");
    QTest::addColumn<qint64>("outageSince"); ///< -1: the destination answers
    QTest::addColumn<qint64>("now");
    QTest::addColumn<qint64>("expected");
    QTest::newRow("none") << qint64(0) << qint64(-1) << qint64(10000) << qint64(0);
    QTest::newRow("over") << qint64(500) << qint64(-1) << qint64(10000) << qint64(500);
    QTest::newRow("going on") << qint64(0) << qint64(7000) << qint64(10000) << qint64(3000);
    QTest::newRow("going on after another") << qint64(500) << qint64(7000) << qint64(10000) << qint64(3500);
    QTest::newRow("just started") << qint64(0) << qint64(10000) << qint64(10000) << qint64(0);
}

void TestRunProgress::outageSoFar()
{
    QFETCH(qint64, endedOutagesMs);
    QFETCH(qint64, outageSince);
    QFETCH(qint64, now);
    QFETCH(qint64, expected);
    RunCounts counts;
    counts.created = 7;
    counts.refused = 3;
    counts.outages = 1;
    counts.sinkName = QStringLiteral("crm");
    counts.unreachableMs = endedOutagesMs;
    counts.unreachableNow = outageSince >= 0;
    ProgressMeter meter;
    const RunProgress p = meter.measure(now, counts, outageSince);
    QCOMPARE(p.counts.unreachableMs, expected);
    QCOMPARE(p.counts.created, 7);
    QCOMPARE(p.counts.refused, 3);
    QCOMPARE(p.counts.sinkName, QStringLiteral("crm"));
    QCOMPARE(p.counts.unreachableNow, outageSince >= 0);
    QCOMPARE(counts.unreachableMs, endedOutagesMs); // the run's own counts stay as they are
}

void TestRunProgress::tightestBudget()
{
    const auto window = [](const char *name, int limit, int used, qint64 resetsAt = 0,
                           RateWindow::Kind kind = RateWindow::Fixed) {
        RateWindowState w;
        w.name = QString::fromLatin1(name);
        w.limit = limit;
        w.used = used;
        w.resetsAt = resetsAt;
        w.kind = kind;
        return w;
    };
    RateLimiterSnapshot snapshot;
    snapshot.takenAt = 1'000'000;
    QVERIFY(!ProgressMeter::tightestBudget(snapshot, {}));
    snapshot.windows = {window("minute", 0, 40)}; // no limit: no budget
    QVERIFY(!ProgressMeter::tightestBudget(snapshot, {}));

    snapshot.windows = {window("day", 100000, 9000, 1'000'000 + 3'600'000), window("minute", 10000, 9000, 1'001'500)};
    auto b = ProgressMeter::tightestBudget(snapshot, {});
    QVERIFY(b);
    QCOMPARE(b->name, QStringLiteral("minute")); // 1,000 left against 91,000
    QCOMPARE(b->limit, 10000);
    QCOMPARE(b->used, 9000);
    QCOMPARE(b->remaining, 1000);
    QVERIFY(!b->sliding);
    QCOMPARE(b->perMs, std::optional<qint64>(60000));
    QCOMPARE(b->resetsInMs, std::optional<qint64>(1500));

    // Over the limit (the server counted more): none left, not fewer than none; a reset already past.
    snapshot.windows = {window("10s", 100, 130, 999'000)};
    b = ProgressMeter::tightestBudget(snapshot, {});
    QCOMPARE(b->remaining, 0);
    QCOMPARE(b->perMs, std::optional<qint64>(10000));
    QCOMPARE(b->resetsInMs, std::optional<qint64>(0));

    // A configured name gives the length; the limiter's "N ms" names say it; a server's window may not.
    RateWindow burst;
    burst.name = QStringLiteral("burst");
    burst.limit = 5;
    burst.periodMs = 250;
    burst.kind = RateWindow::Sliding;
    snapshot.windows = {window("burst", 5, 1, 0, RateWindow::Sliding)};
    b = ProgressMeter::tightestBudget(snapshot, {burst});
    QVERIFY(b->sliding);
    QCOMPARE(b->perMs, std::optional<qint64>(250));
    QVERIFY(!b->resetsInMs); // nothing counted yet
    snapshot.windows = {window("750 ms", 5, 1)};
    QCOMPARE(ProgressMeter::tightestBudget(snapshot, {})->perMs, std::optional<qint64>(750));
    snapshot.windows = {window("quota", 5, 1)};
    QVERIFY(!ProgressMeter::tightestBudget(snapshot, {})->perMs);
}

void TestRunProgress::json()
{
    // The keys and number types the log and transom-run have always written.
    RunProgress p;
    p.counts.received = 12;
    p.counts.created = 9;
    p.counts.deadLettered = 1;
    p.elapsedMs = 2500;
    p.recordsPerSecond = 4.2;
    QCOMPARE(QJsonDocument(p.toJson()).toJson(QJsonDocument::Compact),
             QByteArray(R"({"created":9,"dead_lettered":1,"elapsed_ms":2500,"field_errors":0,"in_flight":0,)"
                        R"("looked_up":0,"received":12,"records_per_s":4.2,"retried":0,"skipped":0,"updated":0})"));
    p.counts.refused = 8;
    p.counts.outages = 1;
    p.counts.unreachableMs = 4100;
    p.counts.unreachableNow = true;
    p.counts.sinkName = QStringLiteral("crm");
    BudgetState b;
    b.name = QStringLiteral("minute");
    b.limit = 600;
    b.used = 200;
    b.remaining = 400;
    b.perMs = 60000;
    b.resetsInMs = 31000;
    p.budget = b;
    p.etaMs = 0;
    QCOMPARE(QJsonDocument(p.toJson()).toJson(QJsonDocument::Compact),
             QByteArray(R"({"budget":{"limit":600,"name":"minute","per_ms":60000,"remaining":400,"resets_in_ms":31000,)"
                        R"("sliding":false,"used":200},"created":9,"dead_lettered":1,"elapsed_ms":2500,"eta_ms":0,)"
                        R"("field_errors":0,"in_flight":0,"looked_up":0,"received":12,"records_per_s":4.2,)"
                        R"("retried":0,"skipped":0,"unreachable":{"connection":"crm","ms":4100,"outages":1,)"
                        R"("refused":8,"resumed":false},"updated":0})"));
}

void TestRunProgress::countsFromJson()
{
    RunCounts c;
    c.received = 200;
    c.created = 150;
    c.updated = 20;
    c.skipped = 10;
    c.retried = 33;
    c.deadLettered = 4;
    c.fieldErrors = 3;
    c.lookedUp = 2;
    c.inFlight = 1;
    QCOMPARE(RunCounts::fromJson(c.toJson()).toJson(), c.toJson());
    QVERIFY(RunCounts::fromJson(c.toJson()).sinkName.isEmpty());
    c.refused = 16;
    c.outages = 2;
    c.unreachableMs = 1234;
    c.sinkName = QStringLiteral("crm");
    for (const bool now : {false, true}) {
        c.unreachableNow = now;
        const RunCounts back = RunCounts::fromJson(c.toJson());
        QCOMPARE(back.toJson(), c.toJson());
        QCOMPARE(back.unreachableNow, now);
        QCOMPARE(back.sinkName, QStringLiteral("crm"));
        QCOMPARE(back.settled(), 184);
    }
    QCOMPARE(RunCounts::fromJson({}).toJson(), RunCounts{}.toJson());
}

QTEST_APPLESS_MAIN(TestRunProgress)
#include "tst_runprogress.moc"
