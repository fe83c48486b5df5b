#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QRandomGenerator>
#include <QTimeZone>

namespace transom::sandbox {

/// Seeded records with the mess real feeds carry: phone numbers in every format (and a few that cannot
/// be real), budgets as "$450,000.00", "450K" or "call me", local times without zones, statuses with
/// underscores, stray spaces and capitals. The same seed gives the same records.
class DataGenerator {
public:
    explicit DataGenerator(quint32 seed, QDateTime start = QDateTime(QDate(2026, 11, 1), QTime(0, 0), Qt::UTC));

    /// Portal leads; `updated_at` (ISO UTC) rises with the index, a few leads share a timestamp.
    QList<QJsonObject> leads(int count);
    /// RESO Property records; `ModificationTimestamp` rises, some listings share one.
    QList<QJsonObject> listings(int count, int agentCount);
    /// RESO Member records.
    QList<QJsonObject> agents(int count);

    /// One lead with index `i` (for webhooks and appended data).
    QJsonObject lead(int i);

private:
    QString pick(std::initializer_list<const char *> options);
    QString phone(int i);
    QString budget();

    QDateTime m_start;
    QRandomGenerator m_rng;
};

} // namespace transom::sandbox
