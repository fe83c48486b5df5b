#include "sandbox/sandboxstate.h"

namespace transom::sandbox {

QJsonObject Counters::toJson() const
{
    QJsonObject o;
    for (auto it = m_values.cbegin(); it != m_values.cend(); ++it)
        o.insert(it.key(), it.value());
    return o;
}

FaultPlan FaultPlan::fromJson(const QJsonObject &o)
{
    FaultPlan p;
    p.serverError = o.value(QLatin1String("rate_503")).toDouble();
    p.tooMany = o.value(QLatin1String("rate_429")).toDouble();
    p.retryAfterSeconds = o.value(QLatin1String("retry_after")).toInt(1);
    p.tooManyBudgetLeft = o.value(QLatin1String("rate_429_budget_left")).toBool(true);
    p.slow = o.value(QLatin1String("rate_slow")).toDouble();
    p.slowMs = o.value(QLatin1String("slow_ms")).toInt(0);
    p.drop = o.value(QLatin1String("rate_drop")).toDouble();
    p.lostAck = o.value(QLatin1String("rate_lost_ack")).toDouble();
    p.malformed = o.value(QLatin1String("rate_malformed")).toDouble();
    p.badUtf8 = o.value(QLatin1String("rate_bad_utf8")).toDouble();
    return p;
}

QJsonObject FaultPlan::toJson() const
{
    return {{QLatin1String("rate_503"), serverError},
            {QLatin1String("rate_429"), tooMany},
            {QLatin1String("retry_after"), retryAfterSeconds},
            {QLatin1String("rate_429_budget_left"), tooManyBudgetLeft},
            {QLatin1String("rate_slow"), slow},
            {QLatin1String("slow_ms"), slowMs},
            {QLatin1String("rate_drop"), drop},
            {QLatin1String("rate_lost_ack"), lostAck},
            {QLatin1String("rate_malformed"), malformed},
            {QLatin1String("rate_bad_utf8"), badUtf8}};
}

} // namespace transom::sandbox
