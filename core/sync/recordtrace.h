#pragma once

#include "core/store/syncstore.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace transom::sync {

/// One record's whole path through the engine: every log line about it (received, mapped, sent,
/// retrying, looked_up, dead_lettered, delivered ...), what the ledger knows of it per job, and its
/// dead letters. What `transom-run trace` prints and the studio's tracer shows.
struct RecordTrace {
    struct LedgerState {
        QString job;
        bool delivered = false; ///< false: an intent without an outcome (looked up before any resend)
        QString destinationId;
    };
    QString recordId;
    QList<QJsonObject> lines; ///< EventLog JSON lines, oldest first
    QList<LedgerState> ledger;
    QList<store::DeadLetter> deadLetters;
};

/// The records `text` points at (a record id, or an e-mail address or name seen in a payload or a
/// dead letter), each with its path. `store` may be null (it could not be opened): logs only.
/// `jobs` are the project's job names, for the ledger.
QList<RecordTrace> traceRecords(const QString &logDir, store::SyncStorage *store, const QStringList &jobs,
                                const QString &text);

} // namespace transom::sync
