#pragma once

#include "core/common/expected.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

#include <deque>
#include <functional>
#include <optional>

namespace transom::store {
class RateUsageStore;
}

namespace transom::sync {

/// One budget of a connection: at most `limit` calls per `periodMs`. Fixed windows start at the UTC
/// boundaries of their period (every minute, hour, day), as vendors reset them; sliding windows count
/// the calls of the last `periodMs`. Names should be unique per connection: usage is stored by name.
struct RateWindow {
    enum Kind { Fixed, Sliding };

    int limit = 0;
    qint64 periodMs = 0;
    Kind kind = Fixed;
    QString name; ///< "minute", "hour", "day"… derived from the period when empty
};

/// What one window looks like right now, for the run panel.
struct RateWindowState {
    QString name;
    RateWindow::Kind kind = RateWindow::Fixed;
    int limit = 0;       ///< in force: the configured limit, or the server's when lower
    int used = 0;        ///< calls counted in the current window
    qint64 resetsAt = 0; ///< epoch ms; sliding: when the oldest counted call leaves (0: none counted)
};

/// The limiter as the UI shows it: each window, the calls in flight, and why the next call waits.
struct RateLimiterSnapshot {
    QList<RateWindowState> windows;
    qint64 takenAt = 0;   ///< epoch ms of the snapshot
    qint64 spacingMs = 0; ///< pacing interval between calls (0: none)
    int inFlight = 0;
    int maxInFlight = 0;         ///< 0: no cap (as configured)
    int slowedInFlight = 0;      ///< after a 429 with budget left: the lower cap in force now; 0: none
    double rateShare = 1.0;      ///< after a 429 with budget left: the share of the configured rate in force
    bool waitingForSlot = false; ///< every in-flight slot is taken; a call must finish first
    qint64 blockedUntil = 0;     ///< epoch ms before which no call may start; 0 when one may start now
    QString reason;              ///< why the next call waits; empty when it need not
};

/// Response headers as (name, value) pairs, as QNetworkReply::rawHeaderPairs() and libcurl give them.
using HttpHeaders = QList<QPair<QByteArray, QByteArray>>;

/// Paces one connection's calls under every configured window at once (say 100/min and 1,000/day), an
/// optional cap on calls in flight, and what the server says: `X-RateLimit-Limit/Remaining/Reset/Window`
/// (also without `X-`), `Minute-/Hour-Quota-Limit/Available/ResetTime`, and `Retry-After` on 429/503.
/// Calls are spaced evenly by the tightest window of an hour or less (100/min: one call every 600 ms);
/// longer windows are budgets that block when spent but do not space calls.
///
/// A 429 stops all calls (until its Retry-After and the reset) only when the server's headers say the
/// budget is spent (remaining 0). A 429 with budget left, or without rate headers, is congestion, not
/// exhaustion: the request that got it waits its own Retry-After (the caller retries it), and the
/// connection slows down AIMD-style: rate and in-flight cap are halved (at most once per round of calls
/// in flight), then each window of successful calls adds back an eighth of the rate and one slot, up to the
/// configured limits. A 503's Retry-After still holds the connection (the server is down). A reset may be seconds from
/// now, epoch seconds (> 1e9), epoch ms (> 1e12), an HTTP-date or ISO 8601; no server wait is taken
/// longer than a day. Plain class driven by an injected clock: no timers, no sleeping, one thread.
class RateLimiter {
public:
    using Clock = std::function<qint64()>;     ///< epoch milliseconds
    static constexpr qint64 kWaitForSlot = -1; ///< msUntilNextCall(): a call in flight must finish first

    static qint64 systemClock();

    explicit RateLimiter(QList<RateWindow> windows, int maxInFlight = 0, Clock clock = &systemClock);
    /// Keeps fixed-window usage in `store` under `connection`: usage of windows that are still current is
    /// loaded now (a restart keeps the day's count, yesterday's is ignored) and every change is saved.
    /// `store` is not owned and must outlive the limiter.
    RateLimiter(QList<RateWindow> windows, store::RateUsageStore *store, QString connection, int maxInFlight = 0,
                Clock clock = &systemClock);

    /// 0 when a call may start now, the milliseconds to wait otherwise, or kWaitForSlot.
    qint64 msUntilNextCall() const;
    /// Counts a call in every window and takes an in-flight slot.
    void callStarted();
    /// Releases the call's slot and adopts what the response says; status 0 when there was no response.
    void callFinished(int httpStatus = 0, const HttpHeaders &headers = {});
    /// Adopts server limits, remaining budgets, resets and Retry-After (header names in any case).
    void adoptHeaders(int httpStatus, const HttpHeaders &headers);

    /// Milliseconds from now until the last of `calls` calls may start under the current windows, usage
    /// and server waits (call durations and the in-flight cap aside). Computed per window in closed form
    /// and exact while one window binds at a time (the usual case with pacing), otherwise a close lower
    /// bound; saturates instead of overflowing.
    qint64 estimateMs(qint64 calls) const;
    qint64 spacingMs() const;
    RateLimiterSnapshot snapshot() const;
    /// The last failure to load or save usage, cleared by the next successful save.
    const std::optional<Error> &storeError() const { return m_storeError; }

private:
    struct ServerQuota;
    /// One window's budget and usage; the const functions look at `now` without changing anything.
    struct WindowState {
        RateWindow window; ///< limit is the one in force
        int configuredLimit = 0;
        qint64 start = 0;         ///< fixed: start of the current window
        qint64 resetAt = 0;       ///< fixed: when `used` goes back to 0 (the server may move it)
        int used = 0;             ///< fixed
        std::deque<qint64> calls; ///< sliding: start times of the latest calls, oldest first
        bool dirty = false;       ///< fixed: usage not saved yet

        int usedAt(qint64 now) const;
        qint64 freeAt(qint64 now) const; ///< when this window admits the next call
        qint64 resetsAt(qint64 now) const;
        /// When the last of `calls` calls may start, this window alone, the first no sooner than `first`.
        qint64 finishAt(qint64 now, qint64 first, qint64 spacing, qint64 calls) const;
        void roll(qint64 now);
        void count(qint64 now);
        void raiseUsage(int serverUsed, qint64 now);

    private:
        qint64 fixedFinishAt(qint64 first, qint64 spacing, qint64 calls) const;
        qint64 slidingFinishAt(qint64 now, qint64 first, qint64 spacing, qint64 calls) const;
        std::deque<qint64>::const_iterator firstInWindow(qint64 now) const;
    };
    struct Wait {
        qint64 at = 0;
        QString reason;
        bool slot = false; ///< waiting for an in-flight slot
    };

    Wait nextCall(qint64 now) const;
    void restoreUsage(qint64 now);
    void persist();
    void blockUntil(qint64 at, const QString &reason, qint64 now);
    void adoptRateLimitHeaders(const HttpHeaders &headers, qint64 now);
    void adoptQuotaHeaders(const HttpHeaders &headers, qint64 now);
    void adoptRetryAfter(int httpStatus, const HttpHeaders &headers, qint64 now);
    /// True when the headers say some budget is spent (remaining 0 in any family).
    static bool budgetSpent(const HttpHeaders &headers);
    void slowDown();
    void recover();
    int inFlightCap() const; ///< configured cap and slowed cap combined; 0: none
    void applyQuota(WindowState *w, const ServerQuota &quota, qint64 now);
    /// The window of that period, or a new one when the server names a limit for a period not configured.
    WindowState *windowFor(qint64 periodMs, const ServerQuota &quota, RateWindow::Kind kind, const QString &name,
                           qint64 now);
    WindowState *addWindow(RateWindow window, int configuredLimit, qint64 now);

    QList<WindowState> m_windows;
    int m_maxInFlight = 0;
    int m_inFlight = 0;
    Clock m_clock;
    qint64 m_lastCallAt = 0;
    bool m_hasCalled = false;
    qint64 m_blockedUntil = 0;
    QString m_blockReason;
    // AIMD after 429s with budget left.
    double m_rateShare = 1.0; ///< share of the configured rate (1/8 … 1)
    int m_slowedCap = 0;      ///< in-flight cap after a 429; 0: none
    int m_slowedCeiling = 0;  ///< where the slowed cap ends (configured cap or in flight at the 429)
    int m_okSinceChange = 0;  ///< successful calls since the last decrease or increase
    int m_startedSinceDecrease = 0;
    bool m_slowed = false;
    store::RateUsageStore *m_store = nullptr;
    QString m_connection;
    std::optional<Error> m_storeError;
};

} // namespace transom::sync
