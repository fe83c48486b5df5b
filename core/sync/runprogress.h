#pragma once

#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>

#include <deque>
#include <optional>
#include <utility>

namespace transom::sync {

struct RateLimiterSnapshot;
struct RateWindow;

/// What a run did, record by record.
struct RunCounts {
    qint64 received = 0;
    qint64 created = 0;
    qint64 updated = 0;
    qint64 skipped = 0; ///< unchanged since the last delivery: no call made
    qint64 retried = 0; ///< attempts after the first
    qint64 deadLettered = 0;
    qint64 fieldErrors = 0; ///< dead-lettered by the mapper, without a call
    qint64 lookedUp = 0;    ///< unknown outcomes settled by a lookup before sending again
    qint64 inFlight = 0;
    /// Outages of the destination: from a call that could not reach it (connection refused, no
    /// connection, a timeout) to the next answer it gave.
    qint64 unreachableMs = 0; ///< their total length (an outage going on: up to now)
    qint64 refused = 0;       ///< calls that could not reach it
    qint64 outages = 0;
    bool unreachableNow = false; ///< the last outage has not ended (yet, or before the run did)
    QString sinkName;            ///< the destination's connection, to name it

    /// Records settled one way or the other: created, updated, skipped or dead-lettered.
    qint64 settled() const { return created + updated + skipped + deadLettered; }

    /// The counts; with "unreachable": {connection, ms, refused, outages, resumed} after an outage.
    QJsonObject toJson() const;
    /// The counts toJson wrote (a run's final counts as the engine reports them); keys missing read as 0.
    static RunCounts fromJson(const QJsonObject &json);
};

/// The rate-limit window of the destination closest to running out, as the run panel shows it.
struct BudgetState {
    QString name; ///< the window's name ("minute", "day", "10s", "250 ms", a configured name)
    int limit = 0;
    int used = 0;
    int remaining = 0; ///< limit − used, never below 0
    bool sliding = false;
    std::optional<qint64> perMs;      ///< the window's length, when known
    std::optional<qint64> resetsInMs; ///< until the window resets (sliding: the oldest call leaves), when known

    QJsonObject toJson() const; ///< name, limit, used, remaining, sliding, per_ms, resets_in_ms
};

/// One progress report of a run (JobRunner::progress, SyncEngine::jobProgress): what the run panel shows.
struct RunProgress {
    RunCounts counts;                  ///< an outage going on counts up to the report
    qint64 elapsedMs = 0;              ///< since the run started
    double recordsPerSecond = 0;       ///< settled records over the last few seconds, to one decimal
    std::optional<BudgetState> budget; ///< when the destination has a rate limit
    std::optional<qint64> etaMs;       ///< once the source has handed over its last record

    /// For a log or a script: the counts (RunCounts::toJson) plus "elapsed_ms", "records_per_s", "budget"
    /// (BudgetState::toJson) and "eta_ms" when known; the keys and number types the progress signal carried
    /// as JSON before it was typed.
    QJsonObject toJson() const;
};

/// Measures a run's progress and decides when a report may go out; no timers and no clock of its own
/// (times are the run's elapsed milliseconds), so it is tested without a run.
///
/// Reports are throttled by a token bucket: a burst of kBurst at once (a short run still reports between
/// pages), then one per kIntervalMs on average. The rate is measured over the last kRateWindowMs.
class ProgressMeter {
public:
    static constexpr qint64 kIntervalMs = 100;
    static constexpr double kBurst = 5;
    static constexpr qint64 kRateWindowMs = 5000;

    /// A new run (or a retry of dead letters): a full burst, no rate samples.
    void reset();

    /// Whether a report may go out at `nowMs`.
    bool mayReport(qint64 nowMs);
    /// How long until a report may go out, after mayReport said no.
    qint64 msUntilReport() const;
    /// A report goes out at `nowMs` (allowed or not: the last one of a run always goes): takes a token.
    void reported(qint64 nowMs);

    /// The progress at `nowMs` from the run's counts, with an outage going on since `outageSinceMs`
    /// (-1: none) counted up to now; samples the rate. Budget and ETA are left to the caller (etaMs).
    RunProgress measure(qint64 nowMs, const RunCounts &counts, qint64 outageSinceMs = -1);
    /// Time left for `remaining` records that take `limiterEstimateMs` by the rate limiter alone: the
    /// longer of that and what the rate of the last measure() needs.
    qint64 etaMs(qint64 remaining, qint64 limiterEstimateMs) const;

    /// The window of `snapshot` with the fewest calls left (windows without a limit do not count);
    /// `configured` names the length of windows the limiter knows by name only.
    static std::optional<BudgetState> tightestBudget(const RateLimiterSnapshot &snapshot,
                                                     const QList<RateWindow> &configured);

private:
    void refill(qint64 nowMs);

    double m_tokens = kBurst; ///< reports that may go out now
    qint64 m_refilledAt = 0;
    std::deque<std::pair<qint64, qint64>> m_samples; ///< (elapsed ms, settled records), the last few seconds
    double m_rate = 0;                               ///< records/s at the last measure(), not rounded
};

} // namespace transom::sync

Q_DECLARE_METATYPE(transom::sync::RunProgress)
