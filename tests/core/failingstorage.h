#pragma once
// A SyncStorage that is the real SQLite store until told otherwise: after a given number of commits
// (or ledger reads) every further one fails as a full or broken disk would, with the store's kind of
// words. The only test double of the engine tests: everything else is real files and real HTTP.

#include "core/store/syncstore.h"

#include <functional>

namespace transom::testing {

class FailingStorage final : public store::SyncStorage {
public:
    static constexpr const char *reason = "disk I/O error (injected by the test)";

    FailingStorage(std::unique_ptr<store::SyncStorage> real, int commitsBeforeFailing, int ledgerReadsBeforeFailing)
        : m_real(std::move(real)), m_commitsLeft(commitsBeforeFailing), m_ledgerReadsLeft(ledgerReadsBeforeFailing)
    {}

    /// Called once, when the first failure is handed out.
    std::function<void()> onFirstFailure;
    int failures() const { return m_failures; }

    QString location() const override { return m_real->location(); }
    Expected<bool> commit(const store::WriteBatch &batch) override
    {
        if (m_commitsLeft >= 0 && m_commitsLeft-- <= 0)
            return fail(QStringLiteral("commit %1 changes").arg(batch.size()));
        return m_real->commit(batch);
    }
    Expected<QHash<QString, store::LedgerEntry>> ledger(const QString &job, const QStringList &ids) const override
    {
        if (m_ledgerReadsLeft >= 0 && m_ledgerReadsLeft-- <= 0)
            return fail(QStringLiteral("read the ledger"));
        return m_real->ledger(job, ids);
    }
    Expected<qint64> ledgerCount(const QString &job, store::LedgerEntry::State state) const override
    {
        return m_real->ledgerCount(job, state);
    }
    Expected<QJsonObject> checkpoint(const QString &job) const override { return m_real->checkpoint(job); }
    Expected<QList<store::DeadLetter>> deadLetters(const store::DeadLetterFilter &filter) const override
    {
        return m_real->deadLetters(filter);
    }
    Expected<qint64> deadLetterCount(const store::DeadLetterFilter &filter) const override
    {
        return m_real->deadLetterCount(filter);
    }
    Expected<store::DeadLetter> deadLetter(qint64 id) const override { return m_real->deadLetter(id); }
    Expected<bool> updateDeadLetter(qint64 id, const QString &status, const QString &action, const QString &detail,
                                    const QByteArray &editedMapped = {}) override
    {
        return m_real->updateDeadLetter(id, status, action, detail, editedMapped);
    }
    Expected<QList<QJsonObject>> deadLetterActions(qint64 id) const override { return m_real->deadLetterActions(id); }
    Expected<bool> deadLetterFailedAgain(qint64 id, const store::DeadLetter &latest) override
    {
        return m_real->deadLetterFailedAgain(id, latest);
    }
    Expected<QList<bool>> inboxAdd(const QList<store::InboxEvent> &events) override { return m_real->inboxAdd(events); }
    Expected<QList<store::InboxEvent>> inboxPending(const QString &job, int limit) const override
    {
        return m_real->inboxPending(job, limit);
    }
    Expected<bool> startRun(const QString &runId, const QString &job, qint64 at) override
    {
        return m_real->startRun(runId, job, at);
    }
    Expected<bool> finishRun(const QString &runId, const QString &status, const QJsonObject &counts, qint64 at) override
    {
        return m_real->finishRun(runId, status, counts, at);
    }
    Expected<QList<QJsonObject>> runs(const QString &job, int limit) const override { return m_real->runs(job, limit); }

private:
    Error fail(const QString &what) const
    {
        if (m_failures++ == 0 && onFirstFailure)
            onFirstFailure();
        return Error(QStringLiteral("cannot %1: %2").arg(what, QLatin1String(reason)), m_real->location());
    }

    std::unique_ptr<store::SyncStorage> m_real;
    mutable int m_commitsLeft;     ///< -1: never fails
    mutable int m_ledgerReadsLeft; ///< -1: never fails
    mutable int m_failures = 0;
};

} // namespace transom::testing
