#include "core/store/rateusagestore.h"
#include "core/sync/ratelimiter.h"

#include <QDateTime>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

#include <deque>
#include <limits>

using transom::store::RateUsageStore;
using namespace transom::sync;

Q_DECLARE_METATYPE(RateWindow)

namespace {

/// The error text of a failed result, empty on success (QVERIFY2 evaluates its message either way).
template<class T> QString problem(const transom::Expected<T> &result)
{
    return result ? QString() : result.error().toString();
}

constexpr qint64 kSecond = 1000;
constexpr qint64 kMinute = 60 * kSecond;
constexpr qint64 kHour = 60 * kMinute;
constexpr qint64 kDay = 24 * kHour;

qint64 utc(int month, int day, int hour, int minute, int second = 0)
{
    return QDateTime(QDate(2026, month, day), QTime(hour, minute, second), QTimeZone::utc()).toMSecsSinceEpoch();
}

/// 12:00:30 UTC: 30 s before the minute turns, 59:30 before the hour, 11:59:30 before the day.
const qint64 T0 = utc(3, 10, 12, 0, 30);
const qint64 kToMidnight = utc(3, 11, 0, 0) - T0;

RateWindow fixedWindow(int limit, qint64 periodMs, const char *name)
{
    return {limit, periodMs, RateWindow::Fixed, QString::fromLatin1(name)};
}

const QList<RateWindow> crm = {fixedWindow(100, kMinute, "minute")};
const QList<RateWindow> crmWithDailyCap = {fixedWindow(100, kMinute, "minute"), fixedWindow(1000, kDay, "day")};
const QList<RateWindow> accounting = {fixedWindow(10, kSecond, "second"), fixedWindow(500, kMinute, "minute")};
const QList<RateWindow> trestle = {fixedWindow(180, kMinute, "minute"), fixedWindow(7200, kHour, "hour")};
const QList<RateWindow> rolling3Per2h = {{3, 2 * kHour, RateWindow::Sliding, QStringLiteral("rolling")}};
const QList<RateWindow> events = {{10, 10 * kSecond, RateWindow::Sliding, QStringLiteral("events")}};

RateWindowState windowNamed(const RateLimiterSnapshot &snap, const QString &name)
{
    for (const RateWindowState &w : snap.windows) {
        if (w.name == name)
            return w;
    }
    return {};
}

} // namespace

class TestRateLimiter : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { m_now = T0; }
    void pacing_data();
    void pacing();
    void dailyBudgetWaitsForTheNextUtcDay();
    void slidingWindowCountsTheLastPeriod();
    void inFlightCapBlocksUntilACallFinishes();
    void a429WithBudgetLeftSlowsThenRecovers();
    void a429WithTheBudgetSpentPauses();
    void random429sNeverPauseTheConnection();
    void headers_data();
    void headers();
    void estimate_data();
    void estimate();
    void estimateMatchesDrivingTheLimiter_data();
    void estimateMatchesDrivingTheLimiter();
    void usageSurvivesARestart_data();
    void usageSurvivesARestart();
    void storeProblemsAreReportedNotFatal();
    void unusableWindowsAreDropped();

private:
    RateLimiter::Clock clock()
    {
        return [this] { return m_now; };
    }
    /// Makes calls as a worker would: wait what the limiter says, start, finish. Returns the start times;
    /// stops early (fewer entries) if the limiter ever says to wait for a slot.
    QList<qint64> drive(RateLimiter &limiter, qint64 calls);

    qint64 m_now = T0;
};

QList<qint64> TestRateLimiter::drive(RateLimiter &limiter, qint64 calls)
{
    QList<qint64> starts;
    for (qint64 i = 0; i < calls; ++i) {
        const qint64 wait = limiter.msUntilNextCall();
        if (wait < 0)
            break;
        m_now += wait;
        limiter.callStarted();
        starts.append(m_now);
        limiter.callFinished(200);
    }
    return starts;
}

void TestRateLimiter::pacing_data()
{
    QTest::addColumn<QList<RateWindow>>("windows");
    QTest::addColumn<qint64>("spacing");
    QTest::newRow("100/min: one call every 600 ms") << crm << qint64(600);
    QTest::newRow("10/s + 500/min: the minute is tighter") << accounting << qint64(120);
    QTest::newRow("7,200/hour") << QList<RateWindow>{fixedWindow(7200, kHour, "hour")} << qint64(500);
    QTest::newRow("180/min + 7,200/hour") << trestle << qint64(500);
    QTest::newRow("250 per sliding 10 s")
        << QList<RateWindow>{{250, 10 * kSecond, RateWindow::Sliding, {}}} << qint64(40);
    QTest::newRow("1,000/day alone is a budget, not a pace")
        << QList<RateWindow>{fixedWindow(1000, kDay, "day")} << qint64(0);
}

void TestRateLimiter::pacing()
{
    QFETCH(QList<RateWindow>, windows);
    QFETCH(qint64, spacing);
    RateLimiter limiter(windows, 0, clock());
    QCOMPARE(limiter.spacingMs(), spacing);
    QCOMPARE(limiter.msUntilNextCall(), 0);
    limiter.callStarted();
    QCOMPARE(limiter.msUntilNextCall(), spacing);
    limiter.callFinished(200);

    const QList<qint64> starts = drive(limiter, 300);
    QCOMPARE(starts.size(), 300);
    QCOMPARE(starts.first(), T0 + spacing);
    for (qsizetype i = 1; i < starts.size(); ++i)
        QCOMPARE(starts[i] - starts[i - 1], spacing);
}

void TestRateLimiter::dailyBudgetWaitsForTheNextUtcDay()
{
    m_now = utc(3, 10, 23, 0);
    RateLimiter limiter(crmWithDailyCap, 0, clock());
    const QList<qint64> starts = drive(limiter, 1000);
    QCOMPARE(starts.size(), 1000);
    QCOMPARE(starts.last(), utc(3, 10, 23, 0) + 999 * 600); // paced all along, never held by the minute

    QCOMPARE(limiter.msUntilNextCall(), utc(3, 11, 0, 0) - m_now); // call #1001
    const RateLimiterSnapshot snap = limiter.snapshot();
    QCOMPARE(snap.blockedUntil, utc(3, 11, 0, 0));
    QVERIFY2(snap.reason.contains(QLatin1String("day budget")), qPrintable(snap.reason));
    QCOMPARE(windowNamed(snap, QStringLiteral("day")).used, 1000);
    QCOMPARE(windowNamed(snap, QStringLiteral("day")).resetsAt, utc(3, 11, 0, 0));

    m_now = utc(3, 11, 0, 0);
    QCOMPARE(limiter.msUntilNextCall(), 0);
    limiter.callStarted();
    QCOMPARE(windowNamed(limiter.snapshot(), QStringLiteral("day")).used, 1);
}

void TestRateLimiter::slidingWindowCountsTheLastPeriod()
{
    RateLimiter limiter(rolling3Per2h, 0, clock());
    for (const qint64 at : {T0, T0 + 10 * kMinute, T0 + 20 * kMinute}) {
        m_now = at;
        QCOMPARE(limiter.msUntilNextCall(), 0);
        limiter.callStarted();
        limiter.callFinished(200);
    }
    m_now = T0 + 30 * kMinute;
    QCOMPARE(limiter.msUntilNextCall(), 90 * kMinute); // the first call leaves at T0 + 2 h
    const RateWindowState rolling = windowNamed(limiter.snapshot(), QStringLiteral("rolling"));
    QCOMPARE(rolling.used, 3);
    QCOMPARE(rolling.resetsAt, T0 + 2 * kHour);

    m_now = T0 + 2 * kHour;
    QCOMPARE(limiter.msUntilNextCall(), 0);
    limiter.callStarted();
    QCOMPARE(limiter.msUntilNextCall(), 10 * kMinute); // now the second call must leave
}

void TestRateLimiter::inFlightCapBlocksUntilACallFinishes()
{
    RateLimiter limiter(accounting, 10, clock());
    for (int i = 0; i < 10; ++i) {
        const qint64 wait = limiter.msUntilNextCall();
        QVERIFY(wait >= 0);
        m_now += wait;
        limiter.callStarted();
    }
    m_now += kMinute;
    QCOMPARE(limiter.msUntilNextCall(), RateLimiter::kWaitForSlot);
    const RateLimiterSnapshot snap = limiter.snapshot();
    QVERIFY(snap.waitingForSlot);
    QCOMPARE(snap.inFlight, 10);
    QCOMPARE(snap.maxInFlight, 10);
    QVERIFY2(snap.reason.contains(QLatin1String("in flight")), qPrintable(snap.reason));

    limiter.callFinished(200);
    QCOMPARE(limiter.msUntilNextCall(), 0);
    limiter.callStarted();
    QCOMPARE(limiter.msUntilNextCall(), RateLimiter::kWaitForSlot);
    limiter.callFinished(); // no response at all still frees the slot
    QCOMPARE(limiter.msUntilNextCall(), 120);
}

void TestRateLimiter::a429WithBudgetLeftSlowsThenRecovers()
{
    RateLimiter limiter(crm, 8, clock());
    for (int i = 0; i < 8; ++i) {
        m_now += std::max<qint64>(0, limiter.msUntilNextCall());
        limiter.callStarted();
    }
    const HttpHeaders budgetLeft{{"Retry-After", "1"}, {"X-RateLimit-Limit", "100"}, {"X-RateLimit-Remaining", "90"}};
    limiter.callFinished(429, budgetLeft);
    RateLimiterSnapshot snap = limiter.snapshot();
    QCOMPARE(snap.slowedInFlight, 4); // 8 in flight, halved
    QCOMPARE(snap.rateShare, 0.5);
    QCOMPARE(snap.maxInFlight, 8); // the configured cap is unchanged
    QCOMPARE(limiter.spacingMs(), qint64(1200));
    QVERIFY2(snap.blockedUntil < m_now + 1000,
             "a 429 with budget left must not hold the connection for its Retry-After");
    // The other 429s of the same round say the same thing: no second decrease.
    for (int i = 0; i < 3; ++i)
        limiter.callFinished(429, budgetLeft);
    snap = limiter.snapshot();
    QCOMPARE(snap.slowedInFlight, 4);
    QCOMPARE(snap.rateShare, 0.5);
    QCOMPARE(limiter.msUntilNextCall(), RateLimiter::kWaitForSlot); // still 4 in flight: the slowed cap
    QVERIFY2(limiter.snapshot().reason.contains(QLatin1String("429")), qPrintable(limiter.snapshot().reason));
    for (int i = 0; i < 4; ++i)
        limiter.callFinished(200);
    // Additive recovery: successes bring the rate and the cap back to the configured ones, not beyond.
    int calls = 0;
    for (; calls < 1000 && (limiter.snapshot().slowedInFlight > 0 || limiter.snapshot().rateShare < 1.0); ++calls) {
        m_now += std::max<qint64>(0, limiter.msUntilNextCall());
        limiter.callStarted();
        limiter.callFinished(200);
    }
    QVERIFY2(calls > 0 && calls < 100, qPrintable(QString::number(calls)));
    QCOMPARE(limiter.spacingMs(), qint64(600));
    QCOMPARE(limiter.snapshot().maxInFlight, 8);
    QCOMPARE(limiter.snapshot().slowedInFlight, 0);
    // A later 429 of a new round halves again; the floor is an eighth of the rate and one call in flight.
    for (int i = 0; i < 10; ++i) {
        for (int k = 0; k < 8; ++k)
            limiter.callStarted();
        for (int k = 0; k < 8; ++k)
            limiter.callFinished(429, budgetLeft);
    }
    QCOMPARE(limiter.snapshot().rateShare, 0.125);
    QCOMPARE(limiter.snapshot().slowedInFlight, 1);
    QCOMPARE(limiter.spacingMs(), qint64(4800));
}

void TestRateLimiter::a429WithTheBudgetSpentPauses()
{
    RateLimiter limiter(crm, 8, clock());
    limiter.callStarted();
    limiter.callStarted();
    limiter.callFinished(429, {{"Retry-After", "1"}, {"X-RateLimit-Remaining", "0"}, {"X-RateLimit-Reset", "20"}});
    QCOMPARE(limiter.msUntilNextCall(), qint64(20'000)); // until the reset, not just the Retry-After
    const RateLimiterSnapshot snap = limiter.snapshot();
    QCOMPARE(snap.blockedUntil, T0 + 20'000);
    QCOMPARE(snap.slowedInFlight, 0); // a spent budget is a pause, not congestion
    QCOMPARE(snap.rateShare, 1.0);
    m_now += 20'000;
    QCOMPARE(limiter.msUntilNextCall(), 0);
}

void TestRateLimiter::random429sNeverPauseTheConnection()
{
    // 2 % of calls answered 429 + Retry-After: 1 with budget left, 8 in flight, 10 ms per call: the
    // connection never waits for a Retry-After, so N calls take a fraction of N x 0.02 x 1 s.
    RateLimiter limiter({}, 8, clock());
    QRandomGenerator rng(7);
    constexpr int kCalls = 5000;
    const qint64 start = m_now;
    std::deque<qint64> inFlight; // finish times
    int started = 0, tooMany = 0;
    while (started < kCalls || !inFlight.empty()) {
        const qint64 wait = limiter.msUntilNextCall();
        if (started < kCalls && wait == 0) {
            limiter.callStarted();
            inFlight.push_back(m_now + 10);
            ++started;
            continue;
        }
        QVERIFY(!inFlight.empty() || wait > 0);
        const qint64 next = inFlight.empty() ? m_now + wait
                            : wait > 0       ? std::min(inFlight.front(), m_now + wait)
                                             : inFlight.front();
        m_now = std::max(m_now, next);
        while (!inFlight.empty() && inFlight.front() <= m_now) {
            inFlight.pop_front();
            if (rng.bounded(50) == 0) {
                ++tooMany;
                limiter.callFinished(429, {{"Retry-After", "1"}, {"X-RateLimit-Remaining", "500"}});
            } else {
                limiter.callFinished(200);
            }
        }
    }
    const double pausedBefore = tooMany * 1000.0; // each 429 held everything for its second
    QVERIFY2(tooMany > 50, qPrintable(QString::number(tooMany)));
    QVERIFY2(double(m_now - start) < 0.25 * pausedBefore,
             qPrintable(QStringLiteral("%1 ms for %2 calls with %3 429s").arg(m_now - start).arg(kCalls).arg(tooMany)));
}

namespace {

// Rows for TestRateLimiter::headers(), by header family.

/// X-RateLimit-* and RateLimit-* against a configured per-minute window, as OAuth CRMs send them.
void addRateLimitRows()
{
    const QString minute = QStringLiteral("minute");
    const QByteArray epochIn45s = QByteArray::number(T0 / 1000 + 45);
    const QByteArray epochPast = QByteArray::number(T0 / 1000 - 10);

    QTest::newRow("no headers: pacing") << crm << 200 << HttpHeaders{} << minute << 100 << qint64(600);
    QTest::newRow("X-RateLimit: none left, reset in seconds")
        << crm << 200
        << HttpHeaders{{"X-RateLimit-Limit", "100"}, {"X-RateLimit-Remaining", "0"}, {"X-RateLimit-Reset", "20"}}
        << minute << 100 << qint64(20'000);
    QTest::newRow("X-RateLimit: none left, reset in epoch seconds")
        << crm << 200 << HttpHeaders{{"X-RateLimit-Remaining", "0"}, {"X-RateLimit-Reset", epochIn45s}} << minute << 100
        << qint64(45'000);
    QTest::newRow("X-RateLimit: reset in the past, the window's own boundary")
        << crm << 200 << HttpHeaders{{"X-RateLimit-Remaining", "0"}, {"X-RateLimit-Reset", epochPast}} << minute << 100
        << qint64(30'000);
    QTest::newRow("X-RateLimit: a reset beyond the window still blocks")
        << crm << 200 << HttpHeaders{{"X-RateLimit-Remaining", "0"}, {"X-RateLimit-Reset", "7200"}} << minute << 100
        << qint64(7'200'000);
    QTest::newRow("a lower server limit replaces the configured one")
        << crm << 200 << HttpHeaders{{"X-RateLimit-Limit", "50"}, {"X-RateLimit-Remaining", "49"}} << minute << 50
        << qint64(1200);
    QTest::newRow("a higher server limit is not taken")
        << crm << 200 << HttpHeaders{{"X-RateLimit-Limit", "500"}, {"X-RateLimit-Remaining", "499"}} << minute << 100
        << qint64(600);
    QTest::newRow("lowercase names") << crm << 200
                                     << HttpHeaders{{"x-ratelimit-limit", "50"},
                                                    {"x-ratelimit-remaining", "0"},
                                                    {"x-ratelimit-reset", "20"}}
                                     << minute << 50 << qint64(20'000);
    QTest::newRow("odd case, padded values")
        << crm << 200 << HttpHeaders{{"X-RATELIMIT-REMAINING", " 0 "}, {"x-RateLimit-Reset", "\t20 "}} << minute << 100
        << qint64(20'000);
    QTest::newRow("RateLimit-* without X-")
        << crm << 200
        << HttpHeaders{{"RateLimit-Limit", "50"}, {"RateLimit-Remaining", "10"}, {"RateLimit-Reset", "20"}} << minute
        << 50 << qint64(1200);
}

/// X-RateLimit-* with X-RateLimit-Window, as events-style CRMs send them (a sliding window).
void addSlidingWindowRows()
{
    QTest::newRow("events CRM: sliding window from X-RateLimit-Window, none left")
        << QList<RateWindow>{} << 200
        << HttpHeaders{{"X-RateLimit-Limit", "20"}, {"X-RateLimit-Remaining", "0"}, {"X-RateLimit-Window", "10"}}
        << QStringLiteral("server") << 20 << qint64(10'000);
    QTest::newRow("events CRM: paced by the server's window")
        << QList<RateWindow>{} << 200
        << HttpHeaders{{"X-RateLimit-Limit", "20"}, {"X-RateLimit-Remaining", "15"}, {"X-RateLimit-Window", "10s"}}
        << QStringLiteral("server") << 20 << qint64(500);
    QTest::newRow("events CRM: configured sliding window takes the server's count")
        << events << 200
        << HttpHeaders{{"X-RateLimit-Limit", "10"}, {"X-RateLimit-Remaining", "0"}, {"X-RateLimit-Window", "10"}}
        << QStringLiteral("events") << 10 << qint64(10'000);
}

/// Trestle-style Minute-/Hour-Quota-*.
void addQuotaRows()
{
    const QString minute = QStringLiteral("minute");

    QTest::newRow("Trestle: Minute-Quota-Limit lowers the minute")
        << trestle << 200
        << HttpHeaders{{"Minute-Quota-Limit", "60.0"},
                       {"Hour-Quota-Limit", "7200.0"},
                       {"Hour-Quota-ResetTime", QByteArray::number(T0 + 10 * kMinute)}}
        << minute << 60 << qint64(1000);
    QTest::newRow("Trestle: hour quota spent until an ISO reset")
        << trestle << 200
        << HttpHeaders{{"Hour-Quota-Limit", "7200"},
                       {"Hour-Quota-Available", "0"},
                       {"Hour-Quota-ResetTime", "2026-03-10T12:10:00Z"}}
        << QStringLiteral("hour") << 7200 << qint64(570'000);
    QTest::newRow("Trestle: Minute-Quota-Limit adds a minute window")
        << QList<RateWindow>{fixedWindow(7200, kHour, "hour")} << 200 << HttpHeaders{{"Minute-Quota-Limit", "60"}}
        << minute << 60 << qint64(1000);
}

void addRetryAfterAndGarbageRows()
{
    const QString minute = QStringLiteral("minute");

    // A 429 with budget left, or that says nothing of the budget, holds only its own request (the job
    // retries it after its Retry-After); the connection slows down: pacing doubles.
    QTest::newRow("429 with budget left: no pause, half the rate")
        << crm << 429
        << HttpHeaders{{"Retry-After", "120"}, {"X-RateLimit-Limit", "100"}, {"X-RateLimit-Remaining", "60"}} << minute
        << 100 << qint64(1200);
    QTest::newRow("429 without rate headers: no pause, half the rate")
        << crm << 429 << HttpHeaders{{"Retry-After", "120"}} << minute << 100 << qint64(1200);
    QTest::newRow("429 without any hint: no pause, half the rate")
        << crm << 429 << HttpHeaders{} << minute << 100 << qint64(1200);
    // A 429 whose headers say the budget is spent stops the connection.
    QTest::newRow("429, budget spent: Retry-After in seconds")
        << crm << 429 << HttpHeaders{{"Retry-After", "120"}, {"X-RateLimit-Remaining", "0"}} << minute << 100
        << qint64(120'000);
    QTest::newRow("429, budget spent: until the reset")
        << crm << 429 << HttpHeaders{{"Retry-After", "1"}, {"X-RateLimit-Remaining", "0"}, {"X-RateLimit-Reset", "20"}}
        << minute << 100 << qint64(20'000);
    QTest::newRow("429, budget spent: Retry-After as an HTTP-date")
        << crm << 429 << HttpHeaders{{"retry-after", "Tue, 10 Mar 2026 12:05:30 GMT"}, {"RateLimit-Remaining", "0"}}
        << minute << 100 << qint64(300'000);
    QTest::newRow("429, minute quota spent")
        << crm << 429 << HttpHeaders{{"Retry-After", "5"}, {"Minute-Quota-Available", "0"}} << minute << 100
        << qint64(30'000);
    QTest::newRow("429, budget spent, no Retry-After: sits out the shortest window")
        << crm << 429 << HttpHeaders{{"X-RateLimit-Remaining", "0"}} << minute << 100 << qint64(60'000);
    QTest::newRow("503 Retry-After") << crm << 503 << HttpHeaders{{"Retry-After", "7"}} << minute << 100
                                     << qint64(7000);
    QTest::newRow("503 Retry-After as an HTTP-date")
        << crm << 503 << HttpHeaders{{"retry-after", "Tue, 10 Mar 2026 12:05:30 GMT"}} << minute << 100
        << qint64(300'000);
    QTest::newRow("Retry-After date already past: pacing only")
        << crm << 503 << HttpHeaders{{"Retry-After", "Tue, 10 Mar 2026 11:00:00 GMT"}} << minute << 100 << qint64(600);
    QTest::newRow("Retry-After on a 200 is no wait")
        << crm << 200 << HttpHeaders{{"Retry-After", "120"}} << minute << 100 << qint64(600);
    QTest::newRow("garbage Retry-After counts as none")
        << crm << 429 << HttpHeaders{{"Retry-After", "soon"}, {"X-RateLimit-Remaining", "0"}} << minute << 100
        << qint64(60'000);
    QTest::newRow("garbage HTTP-date counts as none")
        << crm << 429 << HttpHeaders{{"Retry-After", "Tue, 32 Foo 2026 25:61:00 GMT"}, {"X-RateLimit-Remaining", "0"}}
        << minute << 100 << qint64(60'000);
    QTest::newRow("absurd Retry-After is capped at a day")
        << crm << 503 << HttpHeaders{{"Retry-After", "99999999999"}} << minute << 100 << qint64(kDay);
    QTest::newRow("garbage X-RateLimit values are ignored")
        << crm << 200
        << HttpHeaders{{"X-RateLimit-Limit", "abc"}, {"X-RateLimit-Remaining", "-5"}, {"X-RateLimit-Reset", "1e400"}}
        << minute << 100 << qint64(600);
    QTest::newRow("NaN, empty and zero are ignored")
        << crm << 200
        << HttpHeaders{{"X-RateLimit-Limit", "0"}, {"X-RateLimit-Remaining", ""}, {"X-RateLimit-Reset", "NaN"}}
        << minute << 100 << qint64(600);
    QTest::newRow("an overflowing reset is ignored")
        << crm << 200 << HttpHeaders{{"X-RateLimit-Remaining", "0"}, {"X-RateLimit-Reset", "99999999999999999999"}}
        << minute << 100 << qint64(30'000);
}

} // namespace

void TestRateLimiter::headers_data()
{
    QTest::addColumn<QList<RateWindow>>("windows");
    QTest::addColumn<int>("status");
    QTest::addColumn<HttpHeaders>("headers");
    QTest::addColumn<QString>("window");
    QTest::addColumn<int>("limit");
    QTest::addColumn<qint64>("wait"); // after one call at T0 (12:00:30) and its response
    addRateLimitRows();
    addSlidingWindowRows();
    addQuotaRows();
    addRetryAfterAndGarbageRows();
}

void TestRateLimiter::headers()
{
    QFETCH(QList<RateWindow>, windows);
    QFETCH(int, status);
    QFETCH(HttpHeaders, headers);
    QFETCH(QString, window);
    QFETCH(int, limit);
    QFETCH(qint64, wait);
    RateLimiter limiter(windows, 0, clock());
    limiter.callStarted();
    limiter.callFinished(status, headers);
    QCOMPARE(limiter.msUntilNextCall(), wait);
    const RateLimiterSnapshot snap = limiter.snapshot();
    QCOMPARE(windowNamed(snap, window).limit, limit);
    QCOMPARE(snap.blockedUntil, T0 + wait);
    QVERIFY(!snap.reason.isEmpty());
}

void TestRateLimiter::estimate_data()
{
    QTest::addColumn<QList<RateWindow>>("windows");
    QTest::addColumn<int>("used");       // calls started at T0 before the estimate
    QTest::addColumn<int>("retryAfter"); // seconds a 429 asked to wait; 0 for none
    QTest::addColumn<qint64>("calls");
    QTest::addColumn<qint64>("expected");
    const QList<RateWindow> mls = {fixedWindow(7200, kHour, "hour")};
    const QList<RateWindow> daily = {fixedWindow(1000, kDay, "day")};

    QTest::newRow("40,000 calls at 7,200/hour: about 5.55 h")
        << mls << 0 << 0 << qint64(40'000) << qint64(39'999 * 500);
    QTest::newRow("1,000/day with 900 used: 150 calls finish tomorrow")
        << daily << 900 << 0 << qint64(150) << kToMidnight;
    QTest::newRow("100/min + 1,000/day: 1,000 calls") << crmWithDailyCap << 0 << 0 << qint64(1000) << qint64(999 * 600);
    QTest::newRow("100/min + 1,000/day: call 1,001 is tomorrow")
        << crmWithDailyCap << 0 << 0 << qint64(1001) << kToMidnight;
    QTest::newRow("100/min + 1,000/day: 2,500 calls take two more days")
        << crmWithDailyCap << 0 << 0 << qint64(2500) << utc(3, 12, 0, 0) + 499 * 600 - T0;
    QTest::newRow("10/s + 500/min") << accounting << 0 << 0 << qint64(1000) << qint64(999 * 120);
    QTest::newRow("3 per sliding 2 h: 7 calls") << rolling3Per2h << 0 << 0 << qint64(7) << 4 * kHour;
    QTest::newRow("after a 503's Retry-After 120 s") << crm << 1 << 120 << qint64(10) << qint64(120'000 + 9 * 600);
    QTest::newRow("no calls") << crm << 0 << 0 << qint64(0) << qint64(0);
    QTest::newRow("one call, free now") << crm << 0 << 0 << qint64(1) << qint64(0);
    QTest::newRow("a trillion calls at 1,000/day")
        << daily << 0 << 0 << qint64(1'000'000'000'000) << kToMidnight + qint64(999'999'998) * kDay;
    QTest::newRow("saturates instead of overflowing")
        << QList<RateWindow>{fixedWindow(1, kDay, "day")} << 0 << 0 << std::numeric_limits<qint64>::max()
        << std::numeric_limits<qint64>::max();
}

void TestRateLimiter::estimate()
{
    QFETCH(QList<RateWindow>, windows);
    QFETCH(int, used);
    QFETCH(int, retryAfter);
    QFETCH(qint64, calls);
    QFETCH(qint64, expected);
    RateLimiter limiter(windows, 0, clock());
    for (int i = 0; i < used; ++i)
        limiter.callStarted();
    if (retryAfter > 0)
        limiter.callFinished(503, {{"Retry-After", QByteArray::number(retryAfter)}});
    QCOMPARE(limiter.estimateMs(calls), expected);
}

void TestRateLimiter::estimateMatchesDrivingTheLimiter_data()
{
    QTest::addColumn<QList<RateWindow>>("windows");
    QTest::addColumn<int>("used");
    QTest::addColumn<qint64>("calls");
    QTest::newRow("100/min + 1,000/day across two midnights") << crmWithDailyCap << 0 << qint64(2500);
    QTest::newRow("180/min + 7,200/hour with 7,000 used") << trestle << 7000 << qint64(600);
    QTest::newRow("10/s + 500/min with the minute spent") << accounting << 500 << qint64(1200);
    QTest::newRow("10 per sliding 10 s, all used") << events << 10 << qint64(25);
    QTest::newRow("3 per sliding 2 h, one used") << rolling3Per2h << 1 << qint64(8);
}

void TestRateLimiter::estimateMatchesDrivingTheLimiter()
{
    QFETCH(QList<RateWindow>, windows);
    QFETCH(int, used);
    QFETCH(qint64, calls);
    RateLimiter limiter(windows, 0, clock());
    for (int i = 0; i < used; ++i)
        limiter.callStarted();
    const qint64 estimate = limiter.estimateMs(calls);
    const QList<qint64> starts = drive(limiter, calls);
    QCOMPARE(starts.size(), calls);
    QCOMPARE(starts.last() - T0, estimate);
}

void TestRateLimiter::usageSurvivesARestart_data()
{
    QTest::addColumn<qint64>("restartAt");
    QTest::addColumn<int>("dayUsed");
    QTest::addColumn<qint64>("wait");
    QTest::newRow("same day, an hour later") << utc(3, 10, 13, 10) << 1000 << utc(3, 11, 0, 0) - utc(3, 10, 13, 10);
    QTest::newRow("just before midnight") << utc(3, 10, 23, 59, 59) << 1000 << qint64(1000);
    QTest::newRow("next UTC day") << utc(3, 11, 0, 0, 5) << 0 << qint64(0);
    QTest::newRow("a week later") << utc(3, 17, 9, 0) << 0 << qint64(0);
}

void TestRateLimiter::usageSurvivesARestart()
{
    QFETCH(qint64, restartAt);
    QFETCH(int, dayUsed);
    QFETCH(qint64, wait);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("usage.db"));
    {
        auto store = RateUsageStore::open(path);
        QVERIFY2(store, qPrintable(problem(store)));
        RateLimiter first(crmWithDailyCap, store->get(), QStringLiteral("crm"), 0, clock());
        QCOMPARE(drive(first, 1000).size(), 1000);
        QVERIFY(!first.storeError());
    }
    m_now = restartAt;
    auto store = RateUsageStore::open(path);
    QVERIFY2(store, qPrintable(problem(store)));
    RateLimiter second(crmWithDailyCap, store->get(), QStringLiteral("crm"), 0, clock());
    QVERIFY(!second.storeError());
    QCOMPARE(windowNamed(second.snapshot(), QStringLiteral("day")).used, dayUsed);
    QCOMPARE(windowNamed(second.snapshot(), QStringLiteral("minute")).used, 0);
    QCOMPARE(second.msUntilNextCall(), wait);

    RateLimiter otherConnection(crmWithDailyCap, store->get(), QStringLiteral("mls"), 0, clock());
    QCOMPARE(windowNamed(otherConnection.snapshot(), QStringLiteral("day")).used, 0);
}

void TestRateLimiter::storeProblemsAreReportedNotFatal()
{
    QTemporaryDir dir;
    auto store = RateUsageStore::open(dir.filePath(QStringLiteral("usage.db")));
    QVERIFY2(store, qPrintable(problem(store)));
    RateLimiter limiter(crm, store->get(), QString(), 0, clock());
    QVERIFY(limiter.storeError());
    QVERIFY2(limiter.storeError()->message.contains(QLatin1String("no connection key")),
             qPrintable(limiter.storeError()->toString()));
    limiter.callStarted(); // still limits, in memory
    QCOMPARE(limiter.msUntilNextCall(), 600);
}

void TestRateLimiter::unusableWindowsAreDropped()
{
    RateLimiter limiter(
        {fixedWindow(0, kMinute, "zero"), fixedWindow(5, 0, "no period"), {10, kSecond, RateWindow::Fixed, {}}}, 0,
        clock());
    const RateLimiterSnapshot snap = limiter.snapshot();
    QCOMPARE(snap.windows.size(), 1);
    QCOMPARE(snap.windows.first().name, QStringLiteral("second")); // named after its period
    QCOMPARE(snap.reason, QString());
    QCOMPARE(snap.blockedUntil, 0);
}

QTEST_APPLESS_MAIN(TestRateLimiter)
#include "tst_ratelimiter.moc"
