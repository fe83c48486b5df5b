// Webhooks under load with a SIGKILL: signed new-lead events (Standard Webhooks, the demo secret) posted
// into `transom-run serve` as fast as it answers (a closed loop keeping --in-flight requests open) for
// --seconds, serve killed with SIGKILL half way and started again on the same port. Like a vendor, the
// sender sends an event that got no 200 again later (same id, a fresh signature). At the end every event
// that got a 200 must be at the CRM exactly once (or in dead letters with its reason). Prints the
// accepted rate (200s per second), 200s, other answers, deliveries, duplicates, lost.
//
//   build/tests/bench/bench_webhooks [--seconds 30] [--in-flight 64] [--verbose]
#include "../core/leadsproject.h"
#include "benchsupport.h"
#include "core/net/httpclient.h"
#include "sandbox/datagen.h"
#include "sandbox/webhooksender.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QSet>
#include <QTcpServer>
#include <QTemporaryDir>

#include <csignal>
#include <cstdio>

using namespace transom;
using bench::runUntil;

namespace {

const QByteArray kSecret = "whsec_dHJhbnNvbS1zYW5kYm94LXdlYmhvb2tz"; // resources/demo/credentials.json

int option(const QStringList &args, const char *name, int fallback)
{
    const qsizetype at = args.indexOf(QString::fromLatin1(name));
    return at >= 0 ? args.value(at + 1).toInt() : fallback;
}

quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost))
        qFatal("no free port");
    return probe.serverPort();
}

/// `transom-run serve` on `port`, started and waited for until it listens.
std::unique_ptr<QProcess> startServe(const QString &project, quint16 port)
{
    auto serve = std::make_unique<QProcess>();
    serve->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    serve->start(QStringLiteral(TRANSOM_RUN_BINARY), {QStringLiteral("serve"), project, QStringLiteral("--listen"),
                                                      QStringLiteral("127.0.0.1:%1").arg(port)});
    QByteArray said;
    if (!runUntil(
            [&] {
                said += serve->readAllStandardOutput();
                return said.contains("listening") || serve->state() == QProcess::NotRunning;
            },
            60000) ||
        !said.contains("listening"))
        qFatal("transom-run serve did not start: %s", said.constData());
    return serve;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    const QStringList args = app.arguments();
    const int seconds = option(args, "--seconds", 30);
    const int inFlight = option(args, "--in-flight", 64);
    const bool verbose = args.contains(QStringLiteral("--verbose"));

    bench::SandboxProcess sandbox;
    if (!sandbox.start({QStringLiteral("--leads"), QStringLiteral("10")}))
        qFatal("transom-sandbox did not start");
    QTemporaryDir dir;
    testing::LeadsProject leads{sandbox.base};
    leads.sinkInFlight = 32;
    leads.retry = testing::LeadsProject::retryEvery(20, 300, 14);
    QJsonObject project = leads.json();
    QJsonArray jobs = project.value(QStringLiteral("jobs")).toArray();
    QJsonObject job = jobs.first().toObject();
    job.insert(QStringLiteral("trigger"), QJsonObject{{QStringLiteral("kind"), QStringLiteral("webhook")},
                                                      {QStringLiteral("path"), QStringLiteral("/hooks/portal")},
                                                      {QStringLiteral("record_path"), QStringLiteral("lead")}});
    jobs[0] = job;
    project.insert(QStringLiteral("jobs"), jobs);
    const QString projectPath = dir.filePath(QStringLiteral("project.json"));
    leads.write(dir.path());
    {
        QFile f(projectPath);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(QJsonDocument(project).toJson()) < 0)
            qFatal("cannot write the project");
        QFile credentials(dir.filePath(QStringLiteral("credentials.json")));
        if (!credentials.open(QIODevice::WriteOnly | QIODevice::Truncate))
            qFatal("cannot write the credentials");
        credentials.write(R"({"connections": {"portal": {"api_key": "sandbox-api-key", "webhook_secret": ")" + kSecret +
                          R"("}, "crm": {"api_key": "sandbox-api-key"}}})");
    }
    const quint16 port = freePort();
    std::unique_ptr<QProcess> serve = startServe(projectPath, port);
    const QUrl hook(QStringLiteral("http://127.0.0.1:%1/hooks/portal").arg(port));

    // The events: each a new lead with its own id; bodies made up front so the sender costs little.
    sandbox::DataGenerator generator(7);
    QList<QByteArray> bodies;
    auto body = [&](int i) -> const QByteArray & {
        while (bodies.size() <= i) {
            const int n = int(bodies.size());
            QJsonObject lead = generator.lead(n);
            lead.insert(QStringLiteral("phone"), QStringLiteral("(512) 555-%1").arg(1000 + n % 9000));
            bodies.append(QJsonDocument(QJsonObject{{QStringLiteral("id"), QStringLiteral("evt-%1").arg(n)},
                                                    {QStringLiteral("type"), QStringLiteral("lead.created")},
                                                    {QStringLiteral("lead"), lead}})
                              .toJson(QJsonDocument::Compact));
        }
        return bodies.at(i);
    };
    for (int i = 0; i < 20000; ++i)
        body(i);

    // inFlight slots, each a loop: send an event; after a 200 the next new one (while the load lasts),
    // otherwise the same event again 200 ms later with a fresh signature, until it gets its 200.
    net::HttpClient http(inFlight);
    int next = 0;       // the next new event
    QSet<int> accepted; // events answered 200
    qint64 answered200 = 0, refusals = 0, resent = 0;
    QHash<int, qint64> byStatus;
    int open = 0;
    bool fresh = true;
    std::function<void(int)> send = [&](int i) {
        const QByteArray &b = body(i);
        net::HttpRequest r;
        r.method = "POST";
        r.url = hook;
        r.body = b;
        r.timeoutMs = 30000;
        r.headers = sandbox::WebhookSender::signatureHeaders(QStringLiteral("standard-webhooks"), kSecret, b,
                                                             "evt-" + QByteArray::number(i),
                                                             QDateTime::currentSecsSinceEpoch());
        r.headers.append(qMakePair(QByteArray("Content-Type"), QByteArray("application/json")));
        ++open;
        http.send(r, [&, i](const net::HttpResponse &response) {
            if (response.status == 200) {
                ++answered200;
                accepted.insert(i);
                if (fresh)
                    send(next++);
            } else {
                ++refusals;
                ++byStatus[response.status];
                ++open; // the slot stays busy until the event is sent again
                QTimer::singleShot(200, [&, i] {
                    --open;
                    ++resent;
                    send(i);
                });
            }
            --open;
        });
    };

    std::printf("bench_webhooks: signed events (standard-webhooks) into transom-run serve for %d s, %d in flight, "
                "one SIGKILL half way\n",
                seconds, inFlight);
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < inFlight; ++i)
        send(next++);
    bool killed = false;
    qint64 killedAt = 0, backAt = 0;
    runUntil(
        [&] {
            if (!killed && clock.elapsed() >= seconds * 500) {
                killed = true;
                killedAt = clock.elapsed();
                ::kill(pid_t(serve->processId()), SIGKILL);
                serve->waitForFinished(10000);
                serve = startServe(projectPath, port);
                backAt = clock.elapsed();
                if (verbose)
                    std::printf("  serve killed at %.1f s, listening again after %lld ms\n", double(killedAt) / 1000,
                                static_cast<long long>(backAt - killedAt));
            }
            return clock.elapsed() >= qint64(seconds) * 1000;
        },
        (seconds + 60) * 1000);
    fresh = false;
    const double loadSeconds = double(clock.elapsed()) / 1000;
    const qint64 acceptedDuringLoad = answered200;
    // The slots still waiting for a 200 send their events again until they get it.
    runUntil([&] { return open == 0; }, 120000);
    const int events = next;

    // Wait for the deliveries to settle: the CRM's count stops growing at the number accepted.
    qint64 atCrm = -1, stableSince = clock.elapsed();
    runUntil(
        [&] {
            const qint64 n = sandbox.counter("crm.people.stored");
            if (n != atCrm) {
                atCrm = n;
                stableSince = clock.elapsed();
            }
            return n >= events || clock.elapsed() - stableSince > 5000;
        },
        300000);
    const double drainSeconds = double(clock.elapsed()) / 1000 - loadSeconds;
    serve->terminate();
    serve->waitForFinished(60000);

    QHash<QString, int> rows;
    const QJsonArray people = QJsonDocument::fromJson(sandbox.call("GET", QStringLiteral("/_admin/crm/people")).body)
                                  .object()
                                  .value(QLatin1String("people"))
                                  .toArray();
    for (const QJsonValue &p : people)
        ++rows[p.toObject().value(QLatin1String("externalId")).toString()];
    QProcess list;
    list.start(QStringLiteral(TRANSOM_RUN_BINARY), {QStringLiteral("deadletters"), projectPath, QStringLiteral("list"),
                                                    QStringLiteral("--limit"), QStringLiteral("0")});
    list.waitForFinished(60000);
    QSet<QString> lettered;
    for (const QByteArray &line : list.readAllStandardOutput().split('\n'))
        if (const QList<QByteArray> cells = line.split('\t'); cells.size() >= 7)
            lettered.insert(QString::fromUtf8(cells.at(2)));
    qint64 once = 0, duplicates = 0, lost = 0, deadLettered = 0;
    for (int i : std::as_const(accepted)) {
        const QString id = QStringLiteral("ZL-%1").arg(100000 + i);
        const int n = rows.value(id);
        if (n == 1)
            ++once;
        else if (n > 1)
            duplicates += n - 1;
        else if (lettered.contains(id))
            ++deadLettered;
        else
            ++lost;
    }
    QStringList statuses;
    for (auto it = byStatus.cbegin(); it != byStatus.cend(); ++it)
        statuses.append(QStringLiteral("%1× %2")
                            .arg(it.value())
                            .arg(it.key() == 0 ? QStringLiteral("no answer") : QString::number(it.key())));
    std::printf(
        "  load: %.1f s, %lld events answered 200 = %.0f accepted/s; serve down %lld ms (SIGKILL to listening)\n",
        loadSeconds, static_cast<long long>(acceptedDuringLoad), double(acceptedDuringLoad) / loadSeconds,
        static_cast<long long>(backAt - killedAt));
    std::printf(
        "  answers: %lld × 200, %lld other (%s), %lld sent again until 200; %d distinct events, %lld accepted\n",
        static_cast<long long>(answered200), static_cast<long long>(refusals),
        qPrintable(statuses.join(QStringLiteral(", "))), static_cast<long long>(resent), events,
        static_cast<long long>(accepted.size()));
    std::printf("  CRM: %lld people (%lld events delivered once), %lld duplicates, %lld lost, %lld in dead letters; "
                "deliveries settled %.1f s after the load\n",
                static_cast<long long>(people.size()), static_cast<long long>(once), static_cast<long long>(duplicates),
                static_cast<long long>(lost), static_cast<long long>(deadLettered), drainSeconds);
    return duplicates == 0 && lost == 0 ? 0 : 1;
}
