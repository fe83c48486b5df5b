#include "core/sync/ratelimiter.h"

#include "core/store/rateusagestore.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QStringList>
#include <QTimeZone>

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace transom::sync {

namespace {

constexpr qint64 kMax = std::numeric_limits<qint64>::max();
constexpr qint64 kSecond = 1000;
constexpr qint64 kMinute = 60 * kSecond;
constexpr qint64 kHour = 60 * kMinute;
constexpr qint64 kDay = 24 * kHour;
/// Windows longer than this are budgets, not rates: spacing 1,000/day calls 86 s apart would turn a
/// 50-record sync into an hour, so they block when spent but do not pace.
constexpr qint64 kPacingHorizonMs = kHour;
/// No server-requested wait is taken longer than this (a garbage reset must not park a connection).
constexpr qint64 kMaxServerWaitMs = kDay;
/// AIMD after a 429 with budget left: the rate never drops below this share of the configured one, and
/// each window of this many successful calls (or the slowed cap, when larger) adds back kRateStep.
constexpr double kMinRateShare = 1.0 / 8;
constexpr double kRateStep = 1.0 / 8;
constexpr int kRecoveryWindow = 4;

qint64 satAdd(qint64 a, qint64 b)
{
    qint64 r = 0;
    return __builtin_add_overflow(a, b, &r) ? kMax : r;
}

qint64 satMul(qint64 a, qint64 b)
{
    qint64 r = 0;
    return __builtin_mul_overflow(a, b, &r) ? kMax : r;
}

/// Start of the UTC-aligned period containing `t` (epoch ms are UTC, without leap seconds).
qint64 floorTo(qint64 t, qint64 period)
{
    const qint64 rest = t % period;
    return t - (rest < 0 ? rest + period : rest);
}

qint64 ceilDiv(qint64 a, qint64 b)
{
    return a <= 0 ? 0 : a / b + (a % b != 0 ? 1 : 0);
}

QString periodName(qint64 periodMs)
{
    switch (periodMs) {
    case kSecond:
        return QStringLiteral("second");
    case kMinute:
        return QStringLiteral("minute");
    case kHour:
        return QStringLiteral("hour");
    case kDay:
        return QStringLiteral("day");
    default:
        return QStringLiteral("%1 ms").arg(periodMs);
    }
}

std::optional<QByteArray> headerValue(const HttpHeaders &headers, const QByteArray &name)
{
    for (const auto &[key, value] : headers) {
        if (key.trimmed().compare(name, Qt::CaseInsensitive) == 0)
            return value.trimmed();
    }
    return std::nullopt;
}

/// A finite, non-negative number ("7200", "7200.0"); anything else is ignored.
std::optional<double> parseNumber(const std::optional<QByteArray> &value)
{
    if (!value || value->isEmpty())
        return std::nullopt;
    bool ok = false;
    const double v = value->toDouble(&ok);
    if (!ok || !std::isfinite(v) || v < 0 || v > 1e15)
        return std::nullopt;
    return v;
}

std::optional<int> parseCount(const std::optional<QByteArray> &value)
{
    const std::optional<double> v = parseNumber(value);
    if (!v || *v > std::numeric_limits<int>::max())
        return std::nullopt;
    return int(*v);
}

/// "10" or "10s": a window length in seconds.
std::optional<qint64> parseSeconds(std::optional<QByteArray> value)
{
    if (value && value->endsWith('s'))
        value->chop(1);
    const std::optional<double> v = parseNumber(value);
    if (!v || *v < 1 || *v > kDay / kSecond)
        return std::nullopt;
    return qint64(*v * kSecond);
}

/// An HTTP-date in IMF-fixdate form ("Tue, 10 Mar 2026 12:05:30 GMT") or ISO 8601 (UTC when no offset).
std::optional<qint64> parseDate(const QByteArray &value)
{
    static const QRegularExpression httpDate(
        QStringLiteral(R"(^[A-Za-z]{3}, (\d{1,2}) ([A-Za-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) (?:GMT|UTC|\+0000)$)"));
    static const QRegularExpression offset(QStringLiteral(R"((?:Z|[+-]\d{2}:?\d{2})$)"));
    static const QStringList months = {QStringLiteral("jan"), QStringLiteral("feb"), QStringLiteral("mar"),
                                       QStringLiteral("apr"), QStringLiteral("may"), QStringLiteral("jun"),
                                       QStringLiteral("jul"), QStringLiteral("aug"), QStringLiteral("sep"),
                                       QStringLiteral("oct"), QStringLiteral("nov"), QStringLiteral("dec")};
    const QString text = QString::fromLatin1(value);
    if (const QRegularExpressionMatch m = httpDate.match(text); m.hasMatch()) {
        const QDate date(m.captured(3).toInt(), int(months.indexOf(m.captured(2).toLower())) + 1,
                         m.captured(1).toInt());
        const QTime time(m.captured(4).toInt(), m.captured(5).toInt(), m.captured(6).toInt());
        if (!date.isValid() || !time.isValid())
            return std::nullopt;
        return QDateTime(date, time, QTimeZone::utc()).toMSecsSinceEpoch();
    }
    const QDateTime iso =
        QDateTime::fromString(offset.match(text).hasMatch() ? text : text + QLatin1Char('Z'), Qt::ISODateWithMs);
    return iso.isValid() ? std::optional<qint64>(iso.toMSecsSinceEpoch()) : std::nullopt;
}

/// A reset or retry time as epoch ms. Numbers are seconds from now, or with `absoluteNumbers` epoch
/// seconds above 1e9 and epoch milliseconds above 1e12; anything else must be a date.
std::optional<qint64> parseInstant(const std::optional<QByteArray> &value, qint64 now, bool absoluteNumbers)
{
    if (!value || value->isEmpty())
        return std::nullopt;
    if (const std::optional<double> n = parseNumber(value)) {
        if (absoluteNumbers && *n > 1e12)
            return qint64(*n);
        if (absoluteNumbers && *n > 1e9)
            return qint64(*n * kSecond);
        return now + qint64(std::min(*n * kSecond, double(kMaxServerWaitMs)));
    }
    return parseDate(*value);
}

} // namespace

/// What one family of server headers says about one window.
struct RateLimiter::ServerQuota {
    std::optional<int> limit;
    std::optional<int> remaining;
    std::optional<qint64> resetAt;
    QString label; ///< for the block reason, e.g. "X-RateLimit"
};

// --- one window ---------------------------------------------------------------------------------------

std::deque<qint64>::const_iterator RateLimiter::WindowState::firstInWindow(qint64 now) const
{
    return std::upper_bound(calls.begin(), calls.end(), now - window.periodMs);
}

int RateLimiter::WindowState::usedAt(qint64 now) const
{
    if (window.kind == RateWindow::Sliding)
        return int(calls.end() - firstInWindow(now));
    return now >= resetAt ? 0 : used;
}

qint64 RateLimiter::WindowState::freeAt(qint64 now) const
{
    const int inUse = usedAt(now);
    if (inUse < window.limit)
        return now;
    if (window.kind == RateWindow::Fixed)
        return resetAt;
    // The call that must leave for one slot to open.
    return *(firstInWindow(now) + (inUse - window.limit)) + window.periodMs;
}

qint64 RateLimiter::WindowState::resetsAt(qint64 now) const
{
    if (window.kind == RateWindow::Fixed)
        return now >= resetAt ? floorTo(now, window.periodMs) + window.periodMs : resetAt;
    const auto first = firstInWindow(now);
    return first == calls.end() ? 0 : *first + window.periodMs;
}

void RateLimiter::WindowState::roll(qint64 now)
{
    if (window.kind == RateWindow::Fixed) {
        if (now >= resetAt) {
            start = floorTo(now, window.periodMs);
            resetAt = start + window.periodMs;
            used = 0;
        }
        return;
    }
    while (!calls.empty() && (calls.front() <= now - window.periodMs || int(calls.size()) > window.limit))
        calls.pop_front();
}

void RateLimiter::WindowState::count(qint64 now)
{
    roll(now);
    if (window.kind == RateWindow::Fixed) {
        ++used;
        dirty = true;
        return;
    }
    calls.push_back(now);
    roll(now);
}

void RateLimiter::WindowState::raiseUsage(int serverUsed, qint64 now)
{
    roll(now);
    if (window.kind == RateWindow::Fixed) {
        if (serverUsed > used) {
            used = serverUsed;
            dirty = true;
        }
        return;
    }
    // The server saw calls this limiter did not (another client on the same key): count them as now.
    while (int(calls.size()) < serverUsed)
        calls.push_back(now);
}

qint64 RateLimiter::WindowState::finishAt(qint64 now, qint64 first, qint64 spacing, qint64 n) const
{
    return window.kind == RateWindow::Fixed ? fixedFinishAt(first, spacing, n)
                                            : slidingFinishAt(now, first, spacing, n);
}

qint64 RateLimiter::WindowState::fixedFinishAt(qint64 first, qint64 s, qint64 n) const
{
    const qint64 L = window.limit;
    const qint64 P = window.periodMs;
    qint64 end = resetAt;
    qint64 inUse = used;
    if (first >= end) { // the window has rolled by the time the first call may start
        end = floorTo(first, P) + P;
        inUse = 0;
    }
    // Calls that still fit in the current window, then whole windows.
    const qint64 fitNow = std::min(std::max<qint64>(0, L - inUse), s > 0 ? ceilDiv(end - first, s) : kMax);
    if (n <= fitNow)
        return satAdd(first, satMul(n - 1, s));
    n -= fitNow;
    const qint64 next = std::max(end, satAdd(first, satMul(fitNow, s)));
    if (satMul(L, s) >= P) // pacing never lets a window fill up
        return satAdd(next, satMul(n - 1, s));
    return satAdd(satAdd(next, satMul((n - 1) / L, P)), ((n - 1) % L) * s);
}

qint64 RateLimiter::WindowState::slidingFinishAt(qint64 now, qint64 first, qint64 s, qint64 n) const
{
    // Call j starts at max(T[j-1] + s, T[j-L] + P): the longest path through +1 steps (worth s) and +L
    // jumps (worth P) from the first call or from a call already in the window.
    const qint64 L = window.limit;
    const qint64 P = window.periodMs;
    const bool jumps = P > satMul(L, s);
    const auto path = [=](qint64 d) { return jumps ? satAdd(satMul(d / L, P), (d % L) * s) : satMul(d, s); };
    qint64 last = satAdd(first, path(n - 1));
    const auto begin = firstInWindow(now);
    const qint64 inWindow = std::min<qint64>(calls.end() - begin, L);
    for (qint64 k = 1; k <= inWindow; ++k) { // the k-th latest call frees the slot of new call L - k
        const qint64 j = L - k;
        if (j <= n - 1)
            last = std::max(last, satAdd(*(calls.end() - k) + P, path(n - 1 - j)));
    }
    return last;
}

// --- the limiter --------------------------------------------------------------------------------------

qint64 RateLimiter::systemClock()
{
    return QDateTime::currentMSecsSinceEpoch();
}

RateLimiter::RateLimiter(QList<RateWindow> windows, int maxInFlight, Clock clock)
    : RateLimiter(std::move(windows), nullptr, QString(), maxInFlight, std::move(clock))
{}

RateLimiter::RateLimiter(QList<RateWindow> windows, store::RateUsageStore *store, QString connection, int maxInFlight,
                         Clock clock)
    : m_maxInFlight(std::max(0, maxInFlight))
    , m_clock(clock ? std::move(clock) : Clock(&systemClock))
    , m_store(store)
    , m_connection(std::move(connection))
{
    const qint64 now = m_clock();
    for (RateWindow &w : windows) {
        const int limit = w.limit;
        if (limit > 0 && w.periodMs > 0)
            addWindow(std::move(w), limit, now);
    }
    restoreUsage(now);
}

RateLimiter::WindowState *RateLimiter::addWindow(RateWindow window, int configuredLimit, qint64 now)
{
    WindowState state;
    if (window.name.isEmpty())
        window.name = periodName(window.periodMs);
    state.window = std::move(window);
    state.configuredLimit = configuredLimit;
    state.start = floorTo(now, state.window.periodMs);
    state.resetAt = state.start + state.window.periodMs;
    m_windows.append(std::move(state));
    return &m_windows.last();
}

void RateLimiter::restoreUsage(qint64 now)
{
    if (!m_store)
        return;
    if (m_connection.isEmpty()) {
        m_storeError = Error{QStringLiteral("rate usage cannot be kept: no connection key was given")};
        return;
    }
    const Expected<QList<store::RateUsage>> rows = m_store->load(m_connection);
    if (!rows) {
        m_storeError = rows.error();
        return;
    }
    for (WindowState &w : m_windows) {
        w.roll(now);
        for (const store::RateUsage &row : *rows) {
            // Only a count from the window that is still running counts: yesterday's day is over.
            if (w.window.kind == RateWindow::Fixed && row.window == w.window.name && row.windowStart == w.start)
                w.used = std::max(0, row.used);
        }
    }
}

void RateLimiter::persist()
{
    if (!m_store || m_connection.isEmpty())
        return;
    QList<store::RateUsage> rows;
    for (const WindowState &w : std::as_const(m_windows)) {
        if (w.dirty)
            rows.append({w.window.name, w.start, w.used});
    }
    if (rows.isEmpty())
        return;
    const Expected<int> saved = m_store->save(m_connection, rows);
    if (!saved) {
        m_storeError = saved.error(); // stays dirty: the next change tries again
        return;
    }
    m_storeError.reset();
    for (WindowState &w : m_windows)
        w.dirty = false;
}

qint64 RateLimiter::spacingMs() const
{
    qint64 spacing = 0;
    for (const WindowState &w : m_windows) {
        if (w.window.periodMs <= kPacingHorizonMs)
            spacing = std::max(spacing, ceilDiv(w.window.periodMs, w.window.limit));
    }
    if (spacing > 0 && m_rateShare < 1.0)
        spacing = qint64(std::ceil(double(spacing) / m_rateShare));
    return spacing;
}

RateLimiter::Wait RateLimiter::nextCall(qint64 now) const
{
    if (const int cap = inFlightCap(); cap > 0 && m_inFlight >= cap) {
        if (cap != m_maxInFlight)
            return {now,
                    QStringLiteral("%1 calls in flight, the most while slowed down after HTTP 429").arg(m_inFlight),
                    true};
        return {now, QStringLiteral("%1 calls in flight, the most this connection allows").arg(m_inFlight), true};
    }
    Wait wait{now, QString(), false};
    if (m_blockedUntil > now)
        wait = {m_blockedUntil, m_blockReason, false};
    const qint64 spacing = spacingMs();
    if (m_hasCalled && m_lastCallAt + spacing > wait.at)
        wait = {m_lastCallAt + spacing,
                m_rateShare < 1.0
                    ? QStringLiteral("pacing: one call every %1 ms (slowed down after HTTP 429)").arg(spacing)
                    : QStringLiteral("pacing: one call every %1 ms").arg(spacing),
                false};
    for (const WindowState &w : m_windows) {
        const qint64 at = w.freeAt(now);
        if (at > wait.at)
            wait = {at, QStringLiteral("the %1 budget of %2 calls is spent").arg(w.window.name).arg(w.window.limit),
                    false};
    }
    return wait;
}

qint64 RateLimiter::msUntilNextCall() const
{
    const qint64 now = m_clock();
    const Wait wait = nextCall(now);
    return wait.slot ? kWaitForSlot : wait.at - now;
}

void RateLimiter::callStarted()
{
    const qint64 now = m_clock();
    for (WindowState &w : m_windows)
        w.count(now);
    ++m_inFlight;
    ++m_startedSinceDecrease;
    m_lastCallAt = now;
    m_hasCalled = true;
    persist();
}

void RateLimiter::callFinished(int httpStatus, const HttpHeaders &headers)
{
    if (m_inFlight > 0)
        --m_inFlight;
    adoptHeaders(httpStatus, headers);
}

void RateLimiter::adoptHeaders(int httpStatus, const HttpHeaders &headers)
{
    const qint64 now = m_clock();
    adoptRateLimitHeaders(headers, now);
    adoptQuotaHeaders(headers, now);
    adoptRetryAfter(httpStatus, headers, now);
    if (httpStatus == 429 && !budgetSpent(headers))
        slowDown();
    else if (httpStatus >= 200 && httpStatus < 500)
        recover();
    persist();
}

bool RateLimiter::budgetSpent(const HttpHeaders &headers)
{
    for (const char *name :
         {"x-ratelimit-remaining", "ratelimit-remaining", "minute-quota-available", "hour-quota-available"}) {
        if (parseCount(headerValue(headers, name)) == 0)
            return true;
    }
    return false;
}

int RateLimiter::inFlightCap() const
{
    if (m_slowedCap > 0 && (m_maxInFlight == 0 || m_slowedCap < m_maxInFlight))
        return m_slowedCap;
    return m_maxInFlight;
}

void RateLimiter::slowDown()
{
    const int inFlightNow = m_inFlight + 1; // counting the call that got the 429
    const int cap = inFlightCap();
    // One decrease per round: the other 429s of calls already in flight say the same thing.
    if (m_slowed && m_startedSinceDecrease < std::max(1, cap > 0 ? cap : inFlightNow))
        return;
    const int flight = cap > 0 ? std::min(cap, inFlightNow) : inFlightNow;
    m_slowedCeiling = m_maxInFlight > 0 ? m_maxInFlight : std::max(m_slowedCeiling, inFlightNow);
    m_slowedCap = std::max(1, flight / 2);
    m_rateShare = std::max(kMinRateShare, m_rateShare / 2);
    m_slowed = true;
    m_startedSinceDecrease = 0;
    m_okSinceChange = 0;
}

void RateLimiter::recover()
{
    if (!m_slowed)
        return;
    // Additive increase: one slot and an eighth of the configured rate per window of successful calls.
    if (++m_okSinceChange < std::max(kRecoveryWindow, m_slowedCap))
        return;
    m_okSinceChange = 0;
    m_rateShare = std::min(1.0, m_rateShare + kRateStep);
    if (m_slowedCap > 0 && ++m_slowedCap >= m_slowedCeiling)
        m_slowedCap = 0;
    if (m_rateShare >= 1.0 && m_slowedCap == 0) {
        m_slowed = false;
        m_slowedCeiling = 0;
    }
}

void RateLimiter::blockUntil(qint64 at, const QString &reason, qint64 now)
{
    at = std::min(at, now + kMaxServerWaitMs);
    if (at > m_blockedUntil) {
        m_blockedUntil = at;
        m_blockReason = reason;
    }
}

void RateLimiter::adoptRateLimitHeaders(const HttpHeaders &headers, qint64 now)
{
    const auto field = [&headers](const char *name) {
        const std::optional<QByteArray> v = headerValue(headers, QByteArray("x-ratelimit-") + name);
        return v ? v : headerValue(headers, QByteArray("ratelimit-") + name);
    };
    const ServerQuota quota{parseCount(field("limit")), parseCount(field("remaining")),
                            parseInstant(field("reset"), now, true), QStringLiteral("X-RateLimit")};
    if (!quota.limit && !quota.remaining)
        return;
    WindowState *w = nullptr;
    if (const std::optional<qint64> period = parseSeconds(field("window"))) {
        w = windowFor(*period, quota, RateWindow::Sliding, QStringLiteral("server"), now);
    } else if (!m_windows.isEmpty()) { // a CRM's per-minute limit: the shortest configured window
        w = &*std::min_element(m_windows.begin(), m_windows.end(),
                               [](const auto &a, const auto &b) { return a.window.periodMs < b.window.periodMs; });
    }
    applyQuota(w, quota, now);
}

void RateLimiter::adoptQuotaHeaders(const HttpHeaders &headers, qint64 now)
{
    struct Family {
        const char *prefix;
        qint64 periodMs;
        QString name;
    };
    for (const Family &f : {Family{"minute-quota-", kMinute, QStringLiteral("minute")},
                            Family{"hour-quota-", kHour, QStringLiteral("hour")}}) {
        const QByteArray prefix(f.prefix);
        const ServerQuota quota{parseCount(headerValue(headers, prefix + "limit")),
                                parseCount(headerValue(headers, prefix + "available")),
                                parseInstant(headerValue(headers, prefix + "resettime"), now, true),
                                QStringLiteral("%1 quota").arg(f.name)};
        if (quota.limit || quota.remaining)
            applyQuota(windowFor(f.periodMs, quota, RateWindow::Fixed, f.name, now), quota, now);
    }
}

RateLimiter::WindowState *RateLimiter::windowFor(qint64 periodMs, const ServerQuota &quota, RateWindow::Kind kind,
                                                 const QString &name, qint64 now)
{
    for (WindowState &w : m_windows) {
        if (w.window.periodMs == periodMs)
            return &w;
    }
    if (!quota.limit || *quota.limit <= 0)
        return nullptr;
    return addWindow(RateWindow{*quota.limit, periodMs, kind, name}, std::numeric_limits<int>::max(), now);
}

void RateLimiter::applyQuota(WindowState *w, const ServerQuota &quota, qint64 now)
{
    const bool resetAhead = quota.resetAt && *quota.resetAt > now;
    if (quota.remaining == 0 && resetAhead)
        blockUntil(*quota.resetAt, QStringLiteral("the server's %1 budget is spent until its reset").arg(quota.label),
                   now);
    if (!w)
        return;
    w->roll(now);
    if (quota.limit && *quota.limit > 0)
        w->window.limit = std::min(w->configuredLimit, *quota.limit);
    // A reset further away than the window's period belongs to some other budget of the server.
    if (w->window.kind == RateWindow::Fixed && resetAhead && *quota.resetAt - now <= w->window.periodMs)
        w->resetAt = *quota.resetAt;
    if (quota.remaining) {
        const qint64 serverUsed = qint64(quota.limit.value_or(w->window.limit)) - *quota.remaining;
        w->raiseUsage(int(std::clamp<qint64>(serverUsed, 0, w->window.limit)), now);
    }
}

void RateLimiter::adoptRetryAfter(int httpStatus, const HttpHeaders &headers, qint64 now)
{
    if (httpStatus != 429 && httpStatus != 503)
        return;
    // A 429 with budget left (or that says nothing of the budget) holds only its own request, which the
    // caller retries after its Retry-After; the connection slows down instead of stopping (see slowDown).
    if (httpStatus == 429 && !budgetSpent(headers))
        return;
    const QString reason = QStringLiteral("the server asked to wait (HTTP %1, Retry-After)").arg(httpStatus);
    if (const std::optional<qint64> at = parseInstant(headerValue(headers, "retry-after"), now, false)) {
        blockUntil(*at, reason, now);
        return;
    }
    if (httpStatus == 429 && m_blockedUntil <= now) { // no hint at all: sit out the shortest window
        qint64 wait = kMinute;
        for (const WindowState &w : m_windows)
            wait = std::min(wait, w.window.periodMs);
        blockUntil(now + wait, QStringLiteral("HTTP 429 without Retry-After"), now);
    }
}

qint64 RateLimiter::estimateMs(qint64 calls) const
{
    if (calls <= 0)
        return 0;
    const qint64 now = m_clock();
    const qint64 spacing = spacingMs();
    qint64 first = std::max(now, m_blockedUntil);
    if (m_hasCalled)
        first = std::max(first, m_lastCallAt + spacing);
    // Each window alone gives a lower bound; with pacing the tightest one is the answer in practice.
    qint64 last = satAdd(first, satMul(calls - 1, spacing));
    for (const WindowState &w : m_windows)
        last = std::max(last, w.finishAt(now, first, spacing, calls));
    return last == kMax ? kMax : last - now;
}

RateLimiterSnapshot RateLimiter::snapshot() const
{
    RateLimiterSnapshot snap;
    snap.takenAt = m_clock();
    snap.spacingMs = spacingMs();
    snap.inFlight = m_inFlight;
    snap.maxInFlight = m_maxInFlight;
    snap.slowedInFlight = m_slowedCap;
    snap.rateShare = m_rateShare;
    for (const WindowState &w : m_windows)
        snap.windows.append(
            {w.window.name, w.window.kind, w.window.limit, w.usedAt(snap.takenAt), w.resetsAt(snap.takenAt)});
    const Wait wait = nextCall(snap.takenAt);
    snap.waitingForSlot = wait.slot;
    if (wait.slot || wait.at > snap.takenAt)
        snap.reason = wait.reason;
    snap.blockedUntil = wait.at > snap.takenAt ? wait.at : 0;
    return snap;
}

} // namespace transom::sync
