// transom-run deadletters and trace.
#include "core/log/eventlog.h"
#include "core/sync/commands.h"
#include "core/sync/deadletters.h"
#include "core/sync/recordtrace.h"
#include "core/sync/syncengine.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QMap>

#include <limits>

namespace transom::sync::commands {

namespace {

/// Sets `value` at a dotted path (a.b[0].c) inside `root`, creating objects on the way.
bool setPath(QJsonValue &root, QStringView path, const QJsonValue &value)
{
    if (path.isEmpty()) {
        root = value;
        return true;
    }
    const qsizetype dot = path.indexOf(QLatin1Char('.'));
    const qsizetype bracket = path.indexOf(QLatin1Char('['));
    qsizetype cut = dot < 0 ? bracket : bracket < 0 ? dot : std::min(dot, bracket);
    if (cut == 0 && path.startsWith(QLatin1Char('['))) {
        const qsizetype close = path.indexOf(QLatin1Char(']'));
        const int index = path.mid(1, close - 1).toInt();
        QJsonArray array = root.toArray();
        while (array.size() <= index)
            array.append(QJsonObject{});
        QJsonValue child = array.at(index);
        QStringView rest = path.mid(close + 1);
        if (rest.startsWith(QLatin1Char('.')))
            rest = rest.mid(1);
        if (!setPath(child, rest, value))
            return false;
        array[index] = child;
        root = array;
        return true;
    }
    const QString key = (cut < 0 ? path : path.left(cut)).toString();
    QStringView rest = cut < 0 ? QStringView() : path.mid(cut);
    if (rest.startsWith(QLatin1Char('.')))
        rest = rest.mid(1);
    QJsonObject object = root.toObject();
    QJsonValue child = object.value(key);
    if (!setPath(child, rest, value))
        return false;
    object.insert(key, child);
    root = object;
    return true;
}

int retry(const Context &c, store::SyncStorage &store, const QStringList &args)
{
    Setup setup;
    if (!load(c, setup))
        return Failed;
    const Project &project = setup.project;
    const bool remap = args.contains(QStringLiteral("--remap"));
    QList<store::DeadLetter> letters;
    const qsizetype classAt = args.indexOf(QStringLiteral("--class"));
    if (classAt >= 0) {
        store::DeadLetterFilter f;
        f.errorClass = args.value(classAt + 1);
        const qsizetype jobAt = args.indexOf(QStringLiteral("--job"));
        f.job = jobAt >= 0 ? args.value(jobAt + 1) : QString();
        for (;;) { // every one of them, a thousand at a time
            const auto page = store.deadLetters(f);
            if (!page) {
                say(c.err, QStringLiteral("error: %1\n").arg(page.error().toString()));
                return Failed;
            }
            letters += page.value();
            if (page->size() < f.limit)
                break;
            f.offset += page->size();
        }
    }
    for (const QString &a : args) {
        bool numeric = false;
        const qint64 id = a.toLongLong(&numeric);
        if (!numeric)
            continue;
        const auto d = store.deadLetter(id);
        if (!d) {
            say(c.err, QStringLiteral("error: %1\n").arg(d.error().message));
            return Failed;
        }
        letters.append(d.value());
    }
    const RetryPlan plan = planRetry(letters, remap);
    if (!plan.skipped.isEmpty())
        say(c.err, QStringLiteral("%1 dead letter(s) have no mapped record to send; retry them with --remap\n")
                       .arg(plan.skipped.size()));
    const QMap<QString, QList<qint64>> &byJob = plan.byJob;
    if (byJob.isEmpty()) {
        say(c.out, QStringLiteral("nothing to retry\n"));
        return Ok;
    }
    SyncEngine engine(project, setup.presets, setup.secrets);
    int pending = int(byJob.size());
    int worst = Ok;
    QObject::connect(&engine, &SyncEngine::jobFinished,
                     [&](const QString &job, const QString &status, const QString &message, const QJsonObject &counts) {
                         say(c.out, QStringLiteral("%1: retry %2. %3\n").arg(job, status, describeCounts(counts)));
                         if (!message.isEmpty())
                             say(c.err, QStringLiteral("%1: %2\n").arg(job, message));
                         worst = std::max(worst, status == QLatin1String("failed") ? int(Failed)
                                                 : counts.value(QLatin1String("dead_lettered")).toInteger() > 0
                                                     ? int(NeedsAttention)
                                                     : int(Ok));
                         if (--pending == 0)
                             QCoreApplication::quit();
                     });
    for (auto it = byJob.cbegin(); it != byJob.cend(); ++it) {
        say(c.out, QStringLiteral("%1: retrying %2 dead letter(s)%3\n")
                       .arg(it.key())
                       .arg(it.value().size())
                       .arg(remap ? QStringLiteral(" with the current mapping") : QStringLiteral(" as stored")));
        engine.retryDeadLetters(it.key(), it.value(), remap);
    }
    QCoreApplication::exec();
    return worst;
}

} // namespace

int deadLetters(const Context &c, const QStringList &args)
{
    Setup setup;
    if (!load(c, setup))
        return Failed;
    const Project &project = setup.project;
    auto opened = store::openStorage(project.storePath);
    if (!opened) {
        say(c.err, QStringLiteral("error: %1\n").arg(opened.error().toString()));
        return Failed;
    }
    store::SyncStorage &store = *opened.value();
    const QString verb = args.value(0, QStringLiteral("list"));
    auto option = [&args](const char *name) {
        const qsizetype i = args.indexOf(QLatin1String(name));
        return i >= 0 ? args.value(i + 1) : QString();
    };
    if (verb == QLatin1String("list")) {
        store::DeadLetterFilter f;
        f.job = option("--job");
        f.errorClass = option("--class");
        f.text = option("--search");
        if (args.contains(QStringLiteral("--all")))
            f.status.clear();
        bool limitOk = true, offsetOk = true;
        const int limit = args.contains(QStringLiteral("--limit")) ? option("--limit").toInt(&limitOk) : 100;
        f.offset = args.contains(QStringLiteral("--offset")) ? option("--offset").toLongLong(&offsetOk) : 0;
        if (!limitOk || !offsetOk || limit < 0 || f.offset < 0) {
            say(c.err, QStringLiteral("error: --limit and --offset take a number (0 or more; --limit 0: all)\n"));
            return Usage;
        }
        f.limit = limit == 0 ? std::numeric_limits<int>::max() : limit;
        const auto total = store.deadLetterCount(f);
        const auto listed = store.deadLetters(f);
        if (!total || !listed) {
            say(c.err, QStringLiteral("error: %1\n").arg((total ? listed.error() : total.error()).toString()));
            return Failed;
        }
        const QList<store::DeadLetter> &letters = listed.value();
        for (const store::DeadLetter &d : letters) {
            say(c.out,
                QStringLiteral("%1\t%2\t%3\t%4\t%5\t%6\t%7\n")
                    .arg(d.id)
                    .arg(d.job, d.sourceId, d.errorClass, d.status)
                    .arg(d.httpStatus ? QString::number(d.httpStatus) : QStringLiteral("-"), d.message.left(160)));
        }
        // The totals, whatever the page: how many match in all, and how many of each class.
        const QLocale english(QLocale::English, QLocale::UnitedStates);
        QStringList summary;
        store::DeadLetterFilter ofClass = f;
        for (const store::DeadLetterClass k : store::deadLetterClassList()) {
            ofClass.errorClass = store::deadLetterClassName(k);
            if (!f.errorClass.isEmpty() && f.errorClass != ofClass.errorClass)
                continue;
            if (const auto n = store.deadLetterCount(ofClass); n && n.value() > 0)
                summary.append(QStringLiteral("%1 %2").arg(english.toString(n.value()), ofClass.errorClass));
        }
        const QString noun = total.value() == 1 ? QStringLiteral("dead letter") : QStringLiteral("dead letters");
        const QString shown =
            letters.isEmpty() ? QStringLiteral("%1 %2").arg(english.toString(total.value()), noun)
            : letters.size() == total.value()
                ? QStringLiteral("all %1 %2").arg(english.toString(total.value()), noun)
                : QStringLiteral("showing %1–%2 of %3 %4")
                      .arg(english.toString(f.offset + 1), english.toString(f.offset + letters.size()),
                           english.toString(total.value()), noun);
        const qint64 next = f.offset + letters.size();
        say(c.err,
            QStringLiteral("%1%2%3\n")
                .arg(shown, summary.isEmpty() ? QString() : QStringLiteral(": ") + summary.join(QLatin1String(", ")),
                     next < total.value() ? QStringLiteral(" (next: --offset %1)").arg(next) : QString()));
        return Ok;
    }
    const qint64 id = args.value(1).toLongLong();
    if (verb == QLatin1String("show")) {
        const auto d = store.deadLetter(id);
        if (!d) {
            say(c.err, QStringLiteral("error: %1\n").arg(d.error().message));
            return Failed;
        }
        QJsonObject o = d->toJson();
        QJsonArray history;
        for (const QJsonObject &a : store.deadLetterActions(id).value())
            history.append(a);
        o.insert(QStringLiteral("history"), history);
        say(c.out, QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Indented)));
        return Ok;
    }
    if (verb == QLatin1String("edit")) {
        const auto d = store.deadLetter(id);
        if (!d) {
            say(c.err, QStringLiteral("error: %1\n").arg(d.error().message));
            return Failed;
        }
        QJsonValue mapped = QJsonDocument::fromJson(d->mappedRecord).object();
        QStringList changes;
        for (qsizetype i = 0; i < args.size(); ++i) {
            if (args.at(i) != QLatin1String("--set"))
                continue;
            const QString assignment = args.value(i + 1);
            const qsizetype eq = assignment.indexOf(QLatin1Char('='));
            if (eq <= 0) {
                say(c.err, QStringLiteral("error: --set takes path=value, e.g. --set person.stage=Lead\n"));
                return Usage;
            }
            const QString raw = assignment.mid(eq + 1);
            const QJsonDocument parsed = QJsonDocument::fromJson(QStringLiteral("[%1]").arg(raw).toUtf8());
            setPath(mapped, QStringView(assignment).left(eq),
                    parsed.isArray() ? parsed.array().first() : QJsonValue(raw));
            changes.append(assignment.left(eq));
        }
        const QString file = option("--file");
        if (!file.isEmpty()) {
            QFile f(file);
            if (!f.open(QIODevice::ReadOnly) || !QJsonDocument::fromJson(f.readAll()).isObject()) {
                say(c.err, QStringLiteral("error: %1 is not a JSON object\n").arg(file));
                return Failed;
            }
            f.seek(0);
            mapped = QJsonDocument::fromJson(f.readAll()).object();
            changes.append(QStringLiteral("whole record from %1").arg(file));
        }
        if (changes.isEmpty()) {
            say(c.err, QStringLiteral("error: say what to change: --set path=value or --file record.json\n"));
            return Usage;
        }
        const auto edited = editDeadLetter(store, id, mapped.toObject(), changes.join(QLatin1String(", ")));
        if (!edited) {
            say(c.err, QStringLiteral("error: %1\n").arg(edited.error().message));
            return Failed;
        }
        say(c.out, QStringLiteral("dead letter %1 edited (%2); retry it with: transom-run deadletters %3 retry %1\n")
                       .arg(id)
                       .arg(changes.join(QLatin1String(", ")), c.projectPath));
        return Ok;
    }
    if (verb == QLatin1String("discard")) {
        const QString reason = option("--reason");
        if (reason.trimmed().isEmpty()) {
            say(c.err, QStringLiteral("error: discarding needs --reason, so the history says why\n"));
            return Usage;
        }
        const auto done = discardDeadLetter(store, id, reason);
        if (!done) {
            say(c.err, QStringLiteral("error: %1\n").arg(done.error().message));
            return Failed;
        }
        say(c.out, QStringLiteral("dead letter %1 discarded: %2\n").arg(id).arg(reason));
        return Ok;
    }
    if (verb == QLatin1String("retry"))
        return retry(c, store, args.mid(1));
    say(c.err,
        QStringLiteral("error: unknown deadletters action \"%1\" (list, show, edit, retry, discard)\n").arg(verb));
    return Usage;
}

int trace(const Context &c, const QString &text)
{
    Setup setup;
    if (!load(c, setup))
        return Failed;
    const Project &project = setup.project;
    auto opened = store::openStorage(project.storePath);
    QStringList jobs;
    for (const JobConfig &job : project.jobs)
        jobs.append(job.name);
    const QList<RecordTrace> traces = traceRecords(project.logDir, opened ? opened.value().get() : nullptr, jobs, text);
    if (traces.isEmpty()) {
        say(c.out, QStringLiteral("No record matches \"%1\" in the logs (%2) or the dead letters.\n")
                       .arg(text, project.logDir));
        return NeedsAttention;
    }
    for (const RecordTrace &t : traces) {
        say(c.out, QStringLiteral("Record %1\n").arg(t.recordId));
        for (const QJsonObject &line : t.lines) {
            const int status = line.value(QLatin1String("status")).toInt();
            const qint64 ms = line.value(QLatin1String("ms")).toInteger(-1);
            say(c.out, QStringLiteral("  %1  %2  %3%4%5%6\n")
                           .arg(line.value(QLatin1String("ts")).toString(), line.value(QLatin1String("job")).toString())
                           .arg(line.value(QLatin1String("event")).toString(), -14)
                           .arg(status ? QStringLiteral("HTTP %1 ").arg(status) : QString())
                           .arg(ms >= 0 ? QStringLiteral("%1 ms ").arg(ms) : QString())
                           .arg(line.value(QLatin1String("message")).toString()));
        }
        for (const RecordTrace::LedgerState &e : t.ledger)
            say(c.out, QStringLiteral("  ledger (%1): %2%3\n")
                           .arg(e.job,
                                e.delivered ? QStringLiteral("delivered")
                                            : QStringLiteral("outcome unknown; looked up before any resend"),
                                e.destinationId.isEmpty() ? QString() : QStringLiteral(" as %1").arg(e.destinationId)));
        for (const store::DeadLetter &d : t.deadLetters)
            say(c.out,
                QStringLiteral("  dead letter %1 (%2, %3): %4\n").arg(d.id).arg(d.errorClass, d.status, d.message));
    }
    return Ok;
}

} // namespace transom::sync::commands
