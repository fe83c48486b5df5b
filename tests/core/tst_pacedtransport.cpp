// PacedTransport: requests go out only as the RateLimiter allows, and the server's answers (429 +
// Retry-After, X-RateLimit-*) steer the limiter. Against the sandbox CRM over loopback.
#include "core/sync/pacedtransport.h"
#include "sandboxfixture.h"

using namespace transom;
using namespace transom::testing;

class TestPacedTransport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void pacesWithinTheServersBudget();
    void serverHeadersHoldTheQueue();
    void retryAfterIsHonoured();
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

void TestPacedTransport::retryAfterIsHonoured()
{
    SandboxFixture s;
    QCOMPARE(s.call("POST", QStringLiteral("/_admin/faults"),
                    R"({"endpoint": "crm.people.find", "rate_429": 1, "retry_after": 1})")
                 .status,
             200);
    sync::RateLimiter limiter({}, 1);
    sync::PacedTransport paced(s.client, limiter);
    QList<int> statuses;
    for (int i = 0; i < 4; ++i)
        paced.send(people(s), [&](const net::HttpResponse &r) { statuses.append(r.status); });
    QTRY_COMPARE_WITH_TIMEOUT(statuses.size(), 1, 10000);
    QCOMPARE(statuses.first(), 429);
    QCOMPARE(paced.waiting(), 3); // held for the second the server asked for
    QCOMPARE(s.call("DELETE", QStringLiteral("/_admin/faults")).status, 200);
    QTRY_COMPARE_WITH_TIMEOUT(statuses.size(), 4, 10000);
    QCOMPARE(statuses, (QList<int>{429, 200, 200, 200}));
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
