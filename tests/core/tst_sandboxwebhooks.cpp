// The sandbox's webhook sender against a receiver in the test: signatures, duplicates, forgeries,
// retries with backoff, and a subscription disabled after repeated failures.
#include "sandboxfixture.h"

#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QMessageAuthenticationCode>
#include <QSignalSpy>

using namespace transom;
using namespace transom::testing;

class TestSandboxWebhooks : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void signedDeliveriesDuplicatesAndForgeries();
    void retriesThenDisables();
};

namespace {

struct Receiver {
    QHttpServer http;
    int valid = 0;
    int forged = 0;
    QStringList eventIds;
    int failWith = 0; ///< answer every delivery with this status when set
    quint16 port = 0;

    explicit Receiver(const QByteArray &secret)
    {
        http.route(
            QStringLiteral("/hook"), QHttpServerRequest::Method::Post, [this, secret](const QHttpServerRequest &r) {
                if (failWith)
                    return QHttpServerResponse(QHttpServerResponder::StatusCode(failWith));
                const QByteArray expected =
                    "sha256=" + QMessageAuthenticationCode::hash(r.body(), secret, QCryptographicHash::Sha256).toHex();
                if (r.value("X-Transom-Signature") != expected) {
                    ++forged;
                    return QHttpServerResponse(QHttpServerResponder::StatusCode::Unauthorized);
                }
                ++valid;
                eventIds.append(QString::fromUtf8(r.value("X-Transom-Event-Id")));
                return QHttpServerResponse(QHttpServerResponder::StatusCode::Ok);
            });
        port = http.listen(QHostAddress::LocalHost);
    }
};

} // namespace

void TestSandboxWebhooks::signedDeliveriesDuplicatesAndForgeries()
{
    SandboxFixture s;
    Receiver receiver("whsec-test");
    QVERIFY(receiver.port != 0);
    QCOMPARE(s.call("POST", QStringLiteral("/_admin/webhooks"),
                    QStringLiteral("{\"url\": \"http://127.0.0.1:%1/hook\", \"secret\": \"whsec-test\"}")
                        .arg(receiver.port)
                        .toUtf8())
                 .status,
             200);
    QCOMPARE(s.call("POST", QStringLiteral("/_admin/webhooks/send"), "{\"count\": 5, \"duplicates\": 2, \"forged\": 3}")
                 .status,
             200);
    QTRY_COMPARE_WITH_TIMEOUT(receiver.valid + receiver.forged, 10, 10000);
    QCOMPARE(receiver.valid, 7);
    QCOMPARE(receiver.forged, 3);
    QCOMPARE(QSet<QString>(receiver.eventIds.begin(), receiver.eventIds.end()).size(),
             5);                                     // two resends of the same event
    QCOMPARE(s.server.portal().leads().size(), 205); // the events' leads can be fetched from the portal
    QTRY_COMPARE(s.server.webhooks().pending(), 0);
    QVERIFY(s.server.webhooks().subscription().active);
}

void TestSandboxWebhooks::retriesThenDisables()
{
    SandboxFixture s;
    Receiver receiver("whsec-test");
    receiver.failWith = 500;
    QCOMPARE(s.call("POST", QStringLiteral("/_admin/webhooks"),
                    QStringLiteral("{\"url\": \"http://127.0.0.1:%1/hook\", \"secret\": \"whsec-test\", "
                                   "\"max_attempts\": 3, \"base_delay_ms\": 20, \"disable_after_failures\": 2}")
                        .arg(receiver.port)
                        .toUtf8())
                 .status,
             200);
    QSignalSpy disabled(&s.server.webhooks(), &sandbox::WebhookSender::subscriptionDisabled);
    s.server.sendLeadEvents(2);
    QTRY_COMPARE_WITH_TIMEOUT(disabled.size(), 1, 10000);
    QCOMPARE(s.server.counters().value(QStringLiteral("webhooks.attempts")), 6); // 2 events × 3 attempts
    QCOMPARE(s.server.counters().value(QStringLiteral("webhooks.gave_up")), 2);
    QVERIFY(!s.server.webhooks().subscription().active);
    s.server.sendLeadEvents(1);
    QCOMPARE(s.server.counters().value(QStringLiteral("webhooks.skipped_inactive")), 1);
}

QTEST_GUILESS_MAIN(TestSandboxWebhooks)
#include "tst_sandboxwebhooks.moc"
