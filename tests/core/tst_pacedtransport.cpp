// PacedTransport: requests go out only as the RateLimiter allows, and the server's answers (429 +
// Retry-After, X-RateLimit-*) steer the limiter. Against the sandbox CRM over loopback.
#include "core/sync/pacedtransport.h"
#include "sandboxfixture.h"

#include <QElapsedTimer>

#include <functional>
#include <optional>

using namespace transom;
using namespace transom::testing;

class TestPacedTransport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void pacesWithinTheServersBudget();
    void serverHeadersHoldTheQueue();
    void a429WithBudgetLeftHoldsOnlyItsRequest();
    void a429WithTheBudgetSpentHoldsTheQueue();
    void random429sDelayOnlyTheirRequest();
    void capsRequestsInFlight();
};

namespace {

net::HttpRequest people(const SandboxFixture &s)
{
    net::HttpRequest r;
    r.url = QUrl(s.server.baseUrl() + QStringLiteral("/v1/people"));
    r.headers = {{"X-Api-Key", "sandbox-api-key"}};
    return r;
}

} // namespace

void TestPacedTransport::pacesWithinTheServersBudget()
{
    sandbox::SandboxConfig config;
    config.crmRateLimit = 4;
    config.crmRateWindowSeconds = 1;
    SandboxFixture s(config);
    sync::RateLimiter limiter({sync::RateWindow{4, 1000, sync::RateWindow::Fixed, QStringLiteral("second")}});
    sync::PacedTransport paced(s.client, limiter);
    int ok = 0, limited = 0;
    for (int i = 0; i < 10; ++i)
        paced.send(people(s), [&](const net::HttpResponse &r) { r.status == 200 ? ++ok : ++limited; });
    QCOMPARE(paced.waiting(), 10); // nothing leaves from inside send()
    QTRY_COMPARE_WITH_TIMEOUT(ok + limited, 10, 20000);
    QCOMPARE(limited, 0);
    QCOMPARE(s.server.counters().value(QStringLiteral("crm.rate_limited")), 0);
}

void TestPacedTransport::serverHeadersHoldTheQueue()
{
    sandbox::SandboxConfig config;
    config.crmRateLimit = 3;
    config.crmRateWindowSeconds = 3600;
    SandboxFixture s(config);
    sync::RateLimiter limiter({}, 1); // the budget is not configured: learn it from the server
    sync::PacedTransport paced(s.client, limiter);
    QList<int> statuses;
    for (int i = 0; i < 6; ++i)
        paced.send(people(s), [&](const net::HttpResponse &r) { statuses.append(r.status); });
    QTRY_COMPARE_WITH_TIMEOUT(statuses.size(), 1, 10000);
    QTest::qWait(300);
    // The first reply announced 3 calls an hour: the rest are spread over the hour, not fired into 429s.
    QCOMPARE(statuses, (QList<int>{200}));
    QCOMPARE(paced.waiting(), 5);
    QCOMPARE(s.server.counters().value(QStringLiteral("crm.rate_limited")), 0);
    QVERIFY(limiter.spacingMs() >= 1200 * 1000);
    QVERIFY(paced.estimateMs() > 3000 * 1000); // two more this hour, three after the reset
}

namespace {

std::optional<QByteArray> headerOf(const net::HttpResponse &r, const QByteArray &name)
{
    for (const auto &[key, value] : r.headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return std::nullopt;
}

} // namespace

void TestPacedTransport::a429WithBudgetLeftHoldsOnlyItsRequest()
{
    SandboxFixture s;
    QCOMPARE(s.call("POST", QStringLiteral("/_admin/faults"),
                    R"({"endpoint": "crm.people.find", "rate_429": 1, "retry_after": 1})")
                 .status,
             200);
    sync::RateLimiter limiter({}, 4);
    sync::PacedTransport paced(s.client, limiter);
    QList<net::HttpResponse> replies;
    for (int i = 0; i < 4; ++i)
        paced.send(people(s), [&](const net::HttpResponse &r) { replies.append(r); });
    QTRY_COMPARE_WITH_TIMEOUT(replies.size(), 4, 10000);
    for (const net::HttpResponse &r : std::as_const(replies)) {
        QCOMPARE(r.status, 429);
        QCOMPARE(headerOf(r, "Retry-After").value_or("none"), QByteArray("1"));
        QVERIFY(headerOf(r, "X-RateLimit-Remaining").value_or("0").toInt() > 0); // budget left
    }
    QCOMPARE(s.server.counters().value(QStringLiteral("faults.429")), 4);
    // Not a pause: nothing is held for the second the server asked for; the connection slows down, once
    // for the round of 4 calls in flight (4 -> 2), not once per 429.
    const sync::RateLimiterSnapshot snap = limiter.snapshot();
    QCOMPARE(snap.blockedUntil, 0);
    QCOMPARE(snap.slowedInFlight, 2);
    QCOMPARE(snap.maxInFlight, 4);
    QCOMPARE(limiter.msUntilNextCall(), 0);
}

void TestPacedTransport::a429WithTheBudgetSpentHoldsTheQueue()
{
    sandbox::SandboxConfig config;
    config.crmRateLimit = 2;
    config.crmRateWindowSeconds = 3600;
    SandboxFixture s(config);
    for (int i = 0; i < 2; ++i) // another client on the same key spends the budget
        QCOMPARE(s.crm("GET", QStringLiteral("/v1/people")).status, 200);
    sync::RateLimiter limiter({}, 1);
    sync::PacedTransport paced(s.client, limiter);
    QList<net::HttpResponse> replies;
    for (int i = 0; i < 4; ++i)
        paced.send(people(s), [&](const net::HttpResponse &r) { replies.append(r); });
    QTRY_COMPARE_WITH_TIMEOUT(replies.size(), 1, 10000);
    QTest::qWait(300);
    QCOMPARE(replies.size(), 1);
    QCOMPARE(replies.first().status, 429);
    QCOMPARE(headerOf(replies.first(), "X-RateLimit-Remaining").value_or("none"), QByteArray("0"));
    QCOMPARE(paced.waiting(), 3); // held until the reset
    QVERIFY(limiter.snapshot().blockedUntil > sync::RateLimiter::systemClock() + 60'000);
    QCOMPARE(limiter.snapshot().slowedInFlight, 0);
}

void TestPacedTransport::random429sDelayOnlyTheirRequest()
{
    // 2 % of creates answered 429 + Retry-After: 1 with budget left. Each 429'd request is retried after
    // its second, as the job does; the others go on. Before, each 429 held the whole connection for its
    // second: the run took at least (number of 429s) seconds.
    SandboxFixture s;
    QCOMPARE(s.call("POST", QStringLiteral("/_admin/faults"),
                    R"({"endpoint": "crm.people.create", "rate_429": 0.02, "retry_after": 1})")
                 .status,
             200);
    sync::RateLimiter limiter({}, 8);
    sync::PacedTransport paced(s.client, limiter);
    constexpr int kRecords = 800;
    int created = 0, tooMany = 0, other = 0;
    std::function<void(int)> send = [&](int i) {
        net::HttpRequest r;
        r.method = "POST";
        r.url = QUrl(s.server.baseUrl() + QStringLiteral("/v1/people"));
        r.headers = {{"X-Api-Key", "sandbox-api-key"}, {"Content-Type", "application/json"}};
        r.body = QStringLiteral(R"({"firstName": "P%1", "externalId": "ext-%1"})").arg(i).toUtf8();
        paced.send(std::move(r), [&, i](const net::HttpResponse &reply) {
            if (reply.status == 429) {
                ++tooMany;
                QTimer::singleShot(1000, &paced, [&send, i] { send(i); });
            } else {
                reply.status == 201 ? ++created : ++other;
            }
        });
    };
    QElapsedTimer elapsed;
    elapsed.start();
    for (int i = 0; i < kRecords; ++i)
        send(i);
    QTRY_COMPARE_WITH_TIMEOUT(created + other, kRecords, 120000);
    const qint64 ms = elapsed.elapsed();
    QCOMPARE(other, 0);
    QCOMPARE(created, kRecords);
    QCOMPARE(s.server.crm().people().size(), kRecords);                              // nothing lost
    QCOMPARE(s.server.counters().value(QStringLiteral("crm.duplicates.stored")), 0); // nothing twice
    QCOMPARE(int(s.server.counters().value(QStringLiteral("faults.429"))), tooMany);
    QVERIFY2(tooMany >= 8, qPrintable(QString::number(tooMany)));
    // The ratio, not a wall-clock limit: far less than the (number of 429s) seconds a pause per 429 costs.
    QVERIFY2(double(ms) < 0.4 * tooMany * 1000.0,
             qPrintable(QStringLiteral("%1 records with %2 429s took %3 ms").arg(kRecords).arg(tooMany).arg(ms)));
    qInfo("%d records with %d 429s (Retry-After: 1, budget left) took %lld ms", kRecords, tooMany, ms);
}

void TestPacedTransport::capsRequestsInFlight()
{
    SandboxFixture s;
    sandbox::FaultPlan slow;
    slow.slow = 1.0;
    slow.slowMs = 100;
    s.server.setFaults(QStringLiteral("crm.people.find"), slow);
    sync::RateLimiter limiter({}, 2);
    sync::PacedTransport paced(s.client, limiter);
    int done = 0, maxInFlight = 0;
    for (int i = 0; i < 8; ++i) {
        paced.send(people(s), [&](const net::HttpResponse &r) {
            QCOMPARE(r.status, 200);
            maxInFlight = std::max(maxInFlight, s.client.inFlight() + 1);
            ++done;
        });
    }
    QTRY_COMPARE_WITH_TIMEOUT(done, 8, 20000);
    QVERIFY(maxInFlight <= 2);
}

QTEST_GUILESS_MAIN(TestPacedTransport)
#include "tst_pacedtransport.moc"
