#include "core/sync/deadletters.h"

#include "core/common/jsonlocator.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QSet>

namespace transom::sync {

QStringList deadLetterClasses()
{
    QStringList names;
    for (const store::DeadLetterClass c : store::deadLetterClassList())
        names.append(store::deadLetterClassName(c));
    return names;
}

int RetryPlan::size() const
{
    int n = 0;
    for (const QList<qint64> &ids : byJob)
        n += int(ids.size());
    return n;
}

RetryPlan planRetry(const QList<store::DeadLetter> &letters, bool remap)
{
    RetryPlan plan;
    QSet<qint64> seen;
    for (const store::DeadLetter &d : letters) {
        if (seen.contains(d.id))
            continue;
        seen.insert(d.id);
        if (!remap && d.mappedRecord.trimmed().isEmpty())
            plan.skipped.append(d.id);
        else
            plan.byJob[d.job].append(d.id);
    }
    return plan;
}

Expected<QJsonObject> parseEditedRecord(const QByteArray &text)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(text, &error);
    if (error.error != QJsonParseError::NoError) {
        int line = 0;
        int column = 0;
        JsonLocator::lineColumn(text, error.offset, line, column);
        return Error(error.errorString(), {}, line, column);
    }
    if (!doc.isObject())
        return Error(QStringLiteral("the record must be a JSON object ({ ... })"), {}, 1, 1);
    return doc.object();
}

namespace {

void collectChanges(const QJsonValue &a, const QJsonValue &b, const QString &path, QStringList &out)
{
    if (a == b)
        return;
    if (a.isObject() && b.isObject()) {
        const QJsonObject x = a.toObject();
        const QJsonObject y = b.toObject();
        QStringList keys = x.keys() + y.keys();
        keys.removeDuplicates();
        for (const QString &k : std::as_const(keys))
            collectChanges(x.value(k), y.value(k), path.isEmpty() ? k : path + QLatin1Char('.') + k, out);
        return;
    }
    if (a.isArray() && b.isArray()) {
        const QJsonArray x = a.toArray();
        const QJsonArray y = b.toArray();
        for (qsizetype i = 0; i < std::max(x.size(), y.size()); ++i)
            collectChanges(x.at(i), y.at(i), QStringLiteral("%1[%2]").arg(path).arg(i), out);
        return;
    }
    out.append(path.isEmpty() ? QStringLiteral("(whole record)") : path);
}

} // namespace

QStringList changedPaths(const QJsonValue &before, const QJsonValue &after)
{
    QStringList out;
    collectChanges(before, after, {}, out);
    out.sort();
    return out;
}

Expected<QString> editDeadLetter(store::SyncStorage &store, qint64 id, const QJsonObject &mapped, const QString &detail)
{
    const auto letter = store.deadLetter(id);
    if (!letter)
        return letter.error();
    QString what = detail;
    if (what.isEmpty()) {
        const QStringList changes = changedPaths(QJsonDocument::fromJson(letter->mappedRecord).object(), mapped);
        what = changes.isEmpty() ? QStringLiteral("no change") : changes.join(QLatin1String(", "));
    }
    const auto done = store.updateDeadLetter(id, letter->status, QStringLiteral("edit"), what,
                                             QJsonDocument(mapped).toJson(QJsonDocument::Compact));
    if (!done)
        return done.error();
    return what;
}

Expected<bool> discardDeadLetter(store::SyncStorage &store, qint64 id, const QString &reason)
{
    if (reason.trimmed().isEmpty())
        return Error(QStringLiteral("discarding needs a reason, so the history says why"));
    return store.updateDeadLetter(id, QStringLiteral("discarded"), QStringLiteral("discard"), reason.trimmed());
}

} // namespace transom::sync
