// tst_chaos at bench scale: transom-sandbox in its own process (a create-only CRM that keeps duplicates,
// 5 % 503, 2 % 429, 1 % lost acknowledgements), `transom-run run` killed with SIGKILL 20 times at random
// points, one run whose store fills up, one sandbox restart mid-run, then runs until one completes.
// Prints, single POSTs and batches: leads, kills, runs, lost, duplicated, dead letters by class, wall time.
//
//   build/tests/bench/bench_chaos [--leads 20000] [--kills 20] [--seed N] [--skip-single] [--skip-batch] [--verbose]
#include "../core/chaosrun.h"

#include <QCoreApplication>
#include <QTemporaryDir>

#include <cstdio>

using namespace transom;

namespace {

int option(const QStringList &args, const char *name, int fallback)
{
    const qsizetype at = args.indexOf(QString::fromLatin1(name));
    return at >= 0 ? args.value(at + 1).toInt() : fallback;
}

bool scenario(const char *title, const QStringList &args, bool batch)
{
    QTemporaryDir dir;
    testing::ChaosOptions options;
    options.leads = option(args, "--leads", 20000);
    options.kills = option(args, "--kills", 20);
    options.batch = batch;
    options.seed = quint32(option(args, "--seed", int(QRandomGenerator::global()->bounded(1 << 30))));
    if (args.contains(QStringLiteral("--verbose")))
        options.note = [](const QString &line) { std::printf("    %s\n", qPrintable(line)); };
    testing::ChaosRun chaos(dir.path(), options);
    const testing::ChaosOutcome o = chaos.run();
    QStringList classes;
    for (auto it = o.lettersByClass.cbegin(); it != o.lettersByClass.cend(); ++it)
        classes.append(QStringLiteral("%1 %2").arg(it.value()).arg(it.key()));
    std::printf(
        "  %-16s %d leads, %d kills, %d sandbox restart, store full: exit %d; %d runs; %s in %.1f s (seed %u)\n", title,
        options.leads, o.kills, o.restarts, o.storeFullExit, o.runs, o.completed ? "completed" : "NOT COMPLETED",
        o.seconds, options.seed);
    std::printf("  %-16s lost %lld, duplicated %lld, dead letters %lld (%s), without a reason %lld; CRM %lld people; "
                "at the CRM and dead-lettered too %lld\n",
                "", static_cast<long long>(o.lost.size()), static_cast<long long>(o.duplicates),
                static_cast<long long>(o.deadLetters), qPrintable(classes.join(QStringLiteral(", "))),
                static_cast<long long>(o.withoutReason.size()), static_cast<long long>(o.crmRows),
                static_cast<long long>(o.deliveredAndDeadLettered.size()));
    for (const QString &problem : o.problems)
        std::printf("  %-16s problem: %s\n", "", qPrintable(problem));
    if (!o.duplicated.isEmpty())
        std::printf("  %-16s duplicated: %s\n", "", qPrintable(o.duplicated.mid(0, 10).join(u' ')));
    if (!o.lost.isEmpty())
        std::printf("  %-16s lost: %s\n", "", qPrintable(o.lost.mid(0, 10).join(u' ')));
    const bool ok =
        o.completed && o.problems.isEmpty() && o.lost.isEmpty() && o.duplicates == 0 && o.withoutReason.isEmpty();
    if (!ok) { // the store, the logs and the sandbox's state, to find out why
        dir.setAutoRemove(false);
        std::printf("  %-16s kept in %s\n", "", qPrintable(dir.path()));
    }
    return ok;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    const QStringList args = app.arguments();
    std::printf("bench_chaos: portal leads → person mapping → create-only CRM (5%% 503, 2%% 429, 1%% lost acks), "
                "transom-run and transom-sandbox as processes\n");
    bool ok = true;
    if (!args.contains(QStringLiteral("--skip-single")))
        ok = scenario("single POSTs", args, false) && ok;
    if (!args.contains(QStringLiteral("--skip-batch")))
        ok = scenario("batches of 100", args, true) && ok;
    return ok ? 0 : 1;
}
