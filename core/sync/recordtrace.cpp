#include "core/sync/recordtrace.h"

#include "core/log/eventlog.h"

namespace transom::sync {

namespace {

QStringList recordsMatching(const QString &logDir, store::SyncStorage *store, const QString &text)
{
    QStringList records;
    for (const QJsonObject &line : log::EventLog::search(logDir, text)) {
        const QString record = line.value(QLatin1String("record")).toString();
        if (!record.isEmpty() && !records.contains(record))
            records.append(record);
    }
    if (store) {
        store::DeadLetterFilter f;
        f.text = text;
        f.status.clear();
        if (const auto letters = store->deadLetters(f))
            for (const store::DeadLetter &d : letters.value())
                if (!records.contains(d.sourceId))
                    records.append(d.sourceId);
    }
    return records;
}

} // namespace

QList<RecordTrace> traceRecords(const QString &logDir, store::SyncStorage *store, const QStringList &jobs,
                                const QString &text)
{
    QList<RecordTrace> out;
    if (text.trimmed().isEmpty())
        return out;
    for (const QString &record : recordsMatching(logDir, store, text.trimmed())) {
        RecordTrace t;
        t.recordId = record;
        t.lines = log::EventLog::search(logDir, QStringLiteral("\"record\":\"%1\"").arg(record));
        if (store) {
            for (const QString &job : jobs) {
                const auto entry = store->ledger(job, {record});
                if (entry && entry->contains(record)) {
                    const store::LedgerEntry e = entry->value(record);
                    t.ledger.append({job, e.state == store::LedgerEntry::State::Done, e.destinationId});
                }
            }
            store::DeadLetterFilter f;
            f.text = record;
            f.status.clear();
            if (const auto letters = store->deadLetters(f))
                for (const store::DeadLetter &d : letters.value())
                    if (d.sourceId == record)
                        t.deadLetters.append(d);
        }
        out.append(std::move(t));
    }
    return out;
}

} // namespace transom::sync
