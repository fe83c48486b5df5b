#include "core/sync/runprogress.h"

#include "core/sync/ratelimiter.h"

#include <QHash>

#include <algorithm>
#include <cmath>

namespace transom::sync {

QJsonObject RunCounts::toJson() const
{
    QJsonObject json{{QStringLiteral("received"), received},        {QStringLiteral("created"), created},
                     {QStringLiteral("updated"), updated},          {QStringLiteral("skipped"), skipped},
                     {QStringLiteral("retried"), retried},          {QStringLiteral("dead_lettered"), deadLettered},
                     {QStringLiteral("field_errors"), fieldErrors}, {QStringLiteral("looked_up"), lookedUp},
                     {QStringLiteral("in_flight"), inFlight}};
    if (refused > 0)
        json.insert(QStringLiteral("unreachable"), QJsonObject{{QStringLiteral("connection"), sinkName},
                                                               {QStringLiteral("ms"), unreachableMs},
                                                               {QStringLiteral("refused"), refused},
                                                               {QStringLiteral("outages"), outages},
                                                               {QStringLiteral("resumed"), !unreachableNow}});
    return json;
}

RunCounts RunCounts::fromJson(const QJsonObject &json)
{
    const auto number = [&json](QLatin1String key) { return json.value(key).toInteger(); };
    RunCounts c;
    c.received = number(QLatin1String("received"));
    c.created = number(QLatin1String("created"));
    c.updated = number(QLatin1String("updated"));
    c.skipped = number(QLatin1String("skipped"));
    c.retried = number(QLatin1String("retried"));
    c.deadLettered = number(QLatin1String("dead_lettered"));
    c.fieldErrors = number(QLatin1String("field_errors"));
    c.lookedUp = number(QLatin1String("looked_up"));
    c.inFlight = number(QLatin1String("in_flight"));
    if (const QJsonObject u = json.value(QLatin1String("unreachable")).toObject(); !u.isEmpty()) {
        c.sinkName = u.value(QLatin1String("connection")).toString();
        c.unreachableMs = u.value(QLatin1String("ms")).toInteger();
        c.refused = u.value(QLatin1String("refused")).toInteger();
        c.outages = u.value(QLatin1String("outages")).toInteger();
        c.unreachableNow = !u.value(QLatin1String("resumed")).toBool();
    }
    return c;
}

QJsonObject BudgetState::toJson() const
{
    QJsonObject json{{QStringLiteral("name"), name},
                     {QStringLiteral("limit"), limit},
                     {QStringLiteral("used"), used},
                     {QStringLiteral("remaining"), remaining},
                     {QStringLiteral("sliding"), sliding}};
    if (perMs)
        json.insert(QStringLiteral("per_ms"), *perMs);
    if (resetsInMs)
        json.insert(QStringLiteral("resets_in_ms"), *resetsInMs);
    return json;
}

QJsonObject RunProgress::toJson() const
{
    QJsonObject json = counts.toJson();
    json.insert(QStringLiteral("elapsed_ms"), elapsedMs);
    json.insert(QStringLiteral("records_per_s"), recordsPerSecond);
    if (budget)
        json.insert(QStringLiteral("budget"), budget->toJson());
    if (etaMs)
        json.insert(QStringLiteral("eta_ms"), *etaMs);
    return json;
}

void ProgressMeter::reset()
{
    m_tokens = kBurst;
    m_refilledAt = 0;
    m_samples.clear();
    m_rate = 0;
}

void ProgressMeter::refill(qint64 nowMs)
{
    m_tokens = std::min(kBurst, m_tokens + double(nowMs - m_refilledAt) / double(kIntervalMs));
    m_refilledAt = nowMs;
}

bool ProgressMeter::mayReport(qint64 nowMs)
{
    refill(nowMs);
    return m_tokens >= 1;
}

qint64 ProgressMeter::msUntilReport() const
{
    return qint64(std::ceil((1 - m_tokens) * double(kIntervalMs)));
}

void ProgressMeter::reported(qint64 nowMs)
{
    refill(nowMs);
    m_tokens = std::max(0.0, m_tokens - 1);
}

RunProgress ProgressMeter::measure(qint64 nowMs, const RunCounts &counts, qint64 outageSinceMs)
{
    RunProgress p;
    p.counts = counts;
    if (outageSinceMs >= 0) // an outage going on: its length so far
        p.counts.unreachableMs += nowMs - outageSinceMs;
    p.elapsedMs = nowMs;
    const qint64 settled = counts.settled();
    m_samples.emplace_back(nowMs, settled);
    while (m_samples.size() > 2 && m_samples[1].first <= nowMs - kRateWindowMs)
        m_samples.pop_front();
    const auto &[since, settledThen] = m_samples.front();
    m_rate = 0;
    if (nowMs - since >= 200)
        m_rate = double(settled - settledThen) * 1000.0 / double(nowMs - since);
    else if (nowMs > 0)
        m_rate = double(settled) * 1000.0 / double(nowMs);
    p.recordsPerSecond = std::round(m_rate * 10) / 10;
    return p;
}

qint64 ProgressMeter::etaMs(qint64 remaining, qint64 limiterEstimateMs) const
{
    qint64 eta = limiterEstimateMs;
    if (m_rate > 0)
        eta = std::max(eta, qint64(double(remaining) * 1000.0 / m_rate));
    return eta;
}

namespace {

/// A window's period from its name: the connection's configured windows first, then the limiter's own
/// names ("second" … "day", "N ms"); 0 when unknown (a server window without a length).
qint64 periodOf(const QString &name, const QList<RateWindow> &configured)
{
    for (const RateWindow &w : configured)
        if (w.name == name)
            return w.periodMs;
    static const QHash<QString, qint64> named = {{QStringLiteral("second"), 1000},
                                                 {QStringLiteral("10s"), 10000},
                                                 {QStringLiteral("minute"), 60000},
                                                 {QStringLiteral("hour"), 3600000},
                                                 {QStringLiteral("day"), 86400000}};
    if (named.contains(name))
        return named.value(name);
    if (name.endsWith(QLatin1String(" ms")))
        return name.chopped(3).toLongLong();
    return 0;
}

} // namespace

std::optional<BudgetState> ProgressMeter::tightestBudget(const RateLimiterSnapshot &snapshot,
                                                         const QList<RateWindow> &configured)
{
    const RateWindowState *tightest = nullptr;
    for (const RateWindowState &w : snapshot.windows)
        if (w.limit > 0 && (!tightest || w.limit - w.used < tightest->limit - tightest->used))
            tightest = &w;
    if (!tightest)
        return std::nullopt;
    BudgetState b;
    b.name = tightest->name;
    b.limit = tightest->limit;
    b.used = tightest->used;
    b.remaining = std::max(0, tightest->limit - tightest->used);
    b.sliding = tightest->kind == RateWindow::Sliding;
    if (const qint64 period = periodOf(tightest->name, configured); period > 0)
        b.perMs = period;
    if (tightest->resetsAt > 0)
        b.resetsInMs = std::max<qint64>(0, tightest->resetsAt - snapshot.takenAt);
    return b;
}

} // namespace transom::sync
