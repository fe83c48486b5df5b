// Chaos, end to end with real processes over loopback: transom-sandbox (a create-only CRM that keeps
// duplicates, 5 % 503, 2 % 429, 1 % lost acknowledgements) and `transom-run run` killed with SIGKILL at
// random points (TRANSOM_CHAOS_KILLS, 5 by default), one run whose store fills up, one sandbox restart
// mid-run. Then runs until one completes: no lead lost, none duplicated, every lead that is not at the
// CRM in dead letters with its reason. Single POSTs and batches. (bench_chaos does the same with 20 kills
// and prints the figures.)
#include "chaosrun.h"

#include <QTemporaryDir>
#include <QTest>

using namespace transom;

class TestChaos : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void killsStoreFullAndRestartLoseAndDuplicateNothing_data();
    void killsStoreFullAndRestartLoseAndDuplicateNothing();
};

void TestChaos::killsStoreFullAndRestartLoseAndDuplicateNothing_data()
{
    QTest::addColumn<bool>("batch");
    QTest::addColumn<int>("leads");
    QTest::newRow("single") << false << 3000;
    QTest::newRow("batch") << true << 6000;
}

void TestChaos::killsStoreFullAndRestartLoseAndDuplicateNothing()
{
    QFETCH(bool, batch);
    QFETCH(int, leads);
    QTemporaryDir dir;
    dir.setAutoRemove(!qEnvironmentVariableIsSet("TRANSOM_CHAOS_KEEP")); // the store, logs and sandbox state
    testing::ChaosOptions options;
    options.leads = leads;
    options.batch = batch;
    options.kills =
        qEnvironmentVariableIsSet("TRANSOM_CHAOS_KILLS") ? qEnvironmentVariableIntValue("TRANSOM_CHAOS_KILLS") : 5;
    // A different schedule each time (the seed is printed, and TRANSOM_CHAOS_SEED replays one).
    options.seed = qEnvironmentVariableIsSet("TRANSOM_CHAOS_SEED")
                       ? quint32(qEnvironmentVariableIntValue("TRANSOM_CHAOS_SEED"))
                       : QRandomGenerator::global()->generate();
    qInfo("seed %u, %d kills", options.seed, options.kills);
    options.note = [](const QString &line) { qInfo("%s", qPrintable(line)); };
    testing::ChaosRun chaos(dir.path(), options);
    const testing::ChaosOutcome o = chaos.run();
    qInfo("%d runs, %d kills, %d sandbox restart(s); CRM %lld people for %lld external ids, %lld dead letters; %.1f s",
          o.runs, o.kills, o.restarts, static_cast<long long>(o.crmRows), static_cast<long long>(o.atCrm),
          static_cast<long long>(o.deadLetters), o.seconds);
    for (auto it = o.lettersByClass.cbegin(); it != o.lettersByClass.cend(); ++it)
        qInfo("  dead letters of class %s: %d", qPrintable(it.key()), it.value());
    QVERIFY2(o.problems.isEmpty(), qPrintable(o.problems.join(QLatin1Char('\n'))));
    QVERIFY2(o.completed, o.finalOutput.constData());
    QCOMPARE(o.kills, options.kills);
    QCOMPARE(o.restarts, 1);
    QCOMPARE(o.storeFullExit, 2); // the full store stopped the run with its own words
    QVERIFY2(o.storeFullError.contains("database or disk is full"), o.storeFullError.constData());
    QVERIFY2(o.duplicates == 0, qPrintable(QStringLiteral("%1 duplicates, of %2 in %3")
                                               .arg(o.duplicates)
                                               .arg(o.duplicated.mid(0, 20).join(u' '), dir.path()))); // nothing twice
    QVERIFY2(o.lost.isEmpty(), qPrintable(o.lost.mid(0, 20).join(u' ')));                              // nothing lost
    QVERIFY2(o.withoutReason.isEmpty(), qPrintable(o.withoutReason.mid(0, 20).join(u' ')));
    if (!o.deliveredAndDeadLettered.isEmpty()) // a letter for a lead that did arrive: said, not a loss
        qInfo("at the CRM and in dead letters too: %s", qPrintable(o.deliveredAndDeadLettered.mid(0, 20).join(u' ')));
}

QTEST_GUILESS_MAIN(TestChaos)
#include "tst_chaos.moc"
