#pragma once

#include "core/common/expected.h"
#include "core/store/syncstore.h"

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace transom::sync {

/// The names of the kinds of dead letter (store::DeadLetterClass), in the order people triage them: a
/// field the mapping could not fill, a record the destination refused, a changed record the
/// destination cannot update, retries used up, credentials refused, a duplicate.
QStringList deadLetterClasses();

/// What a retry of some dead letters sends, job by job (the engine retries one job at a time).
struct RetryPlan {
    QMap<QString, QList<qint64>> byJob;
    /// Letters that cannot go as stored: their mapping failed before any record existed. Re-map them.
    QList<qint64> skipped;
    int size() const;
};
/// Plans the retry of `letters`; with `remap` false, each goes with its stored (or edited) mapped record.
RetryPlan planRetry(const QList<store::DeadLetter> &letters, bool remap);

/// A hand-edited record: a JSON object, or an Error naming the line and column of the mistake.
Expected<QJsonObject> parseEditedRecord(const QByteArray &text);

/// Paths whose values differ between two records ("stage", "phones[0].value"), sorted.
QStringList changedPaths(const QJsonValue &before, const QJsonValue &after);

/// Replaces the mapped record of dead letter `id` (its status stays) and records an "edit" action whose
/// detail is `detail`, or the changed paths when `detail` is empty. Returns the detail recorded.
Expected<QString> editDeadLetter(store::SyncStorage &store, qint64 id, const QJsonObject &mapped,
                                 const QString &detail = {});

/// Discards dead letter `id`. A reason is required, so the history says why.
Expected<bool> discardDeadLetter(store::SyncStorage &store, qint64 id, const QString &reason);

} // namespace transom::sync
