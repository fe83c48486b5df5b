// Connector figures against transom-sandbox running as its own process on loopback:
//  1. the sandbox's capacity: single POSTs/s and batched records/s with a plain keep-alive client;
//  2. pacing under a 100/min CRM budget: calls/min achieved and 429s received;
//  3. calls an incremental poll needs when nothing changed.
//
//   build-release/tests/bench/bench_connectors [--pacing-seconds 180] [--posts 20000]
#include "benchsupport.h"
#include "core/auth/requestsigner.h"
#include "core/connect/connectorregistry.h"
#include "core/net/httpclient.h"
#include "core/sync/pacedtransport.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTest>
#include <QTimer>

#include <cstdio>

using namespace transom;
using bench::runUntil;
using Sandbox = bench::SandboxProcess;

namespace {

/// Sends `total` requests keeping `inFlight` open; returns requests/s.
double blast(net::HttpClient &http, int total, int inFlight, const std::function<net::HttpRequest(int)> &make,
             int &failures)
{
    http.setMaxInFlight(inFlight);
    int done = 0;
    failures = 0;
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < total; ++i)
        http.send(make(i), [&](const net::HttpResponse &r) {
            ++done;
            failures += r.ok() ? 0 : 1;
        });
    if (!runUntil([&] { return done == total; }, 600000))
        qFatal("requests did not finish");
    return total / (double(timer.nsecsElapsed()) / 1e9);
}

void capacity(int posts)
{
    Sandbox sandbox;
    if (!sandbox.start({}))
        qFatal("transom-sandbox did not start");
    net::HttpClient http;
    const QByteArray auth = "Basic " + QByteArray("sandbox-api-key:").toBase64();
    int failures = 0;
    const double single = blast(
        http, posts, 32,
        [&](int i) {
            net::HttpRequest r;
            r.method = "POST";
            r.url = QUrl(sandbox.base + QStringLiteral("/v1/people"));
            r.headers = {{"Authorization", auth}, {"Content-Type", "application/json"}};
            r.body = QStringLiteral(R"({"firstName":"Lead %1","emails":[{"value":"l%1@x.com"}],"externalId":"B-%1"})")
                         .arg(i)
                         .toUtf8();
            return r;
        },
        failures);
    std::printf("  single POST /v1/people      %8.0f requests/s   (%d requests, %d failed, 32 in flight)\n", single,
                posts, failures);
    QByteArray batch = "{\"people\":[";
    for (int i = 0; i < 100; ++i)
        batch += QStringLiteral(R"(%1{"firstName":"Lead %2","emails":[{"value":"b%2@x.com"}]})")
                     .arg(i ? QStringLiteral(",") : QString())
                     .arg(i)
                     .toUtf8();
    batch += "]}";
    const int batches = std::max(20, posts / 100);
    const double batchRate = blast(
        http, batches, 8,
        [&](int) {
            net::HttpRequest r;
            r.method = "POST";
            r.url = QUrl(sandbox.base + QStringLiteral("/v1/people/batch"));
            r.headers = {{"Authorization", auth}, {"Content-Type", "application/json"}};
            r.body = batch;
            return r;
        },
        failures);
    std::printf("  batch POST /v1/people/batch %8.0f records/s    (%d batches of 100, %d failed)\n", batchRate * 100,
                batches, failures);
}

void pacing(int seconds)
{
    Sandbox sandbox;
    const QString serverLimit =
        qEnvironmentVariableIsSet("BENCH_NO_SERVER_LIMIT") ? QStringLiteral("0") : QStringLiteral("100");
    if (!sandbox.start({QStringLiteral("--crm-rate-limit"), serverLimit, QStringLiteral("--crm-rate-window"),
                        QStringLiteral("60")}))
        qFatal("transom-sandbox did not start");
    net::HttpClient http;
    sync::RateLimiter limiter({sync::RateWindow{100, 60000, sync::RateWindow::Fixed, QStringLiteral("minute")}});
    sync::PacedTransport paced(http, limiter);
    auth::AuthorizedClient client(paced, auth::RequestSigner::basic(QStringLiteral("sandbox-api-key"), QString()));
    int sent = 0, ok = 0, limited = 0;
    QElapsedTimer timer;
    timer.start();
    std::function<void()> more = [&] {
        // Keep a few queued so the limiter, not the loop, sets the pace.
        while (sent - ok - limited < 4 && timer.elapsed() < seconds * 1000LL) {
            ++sent;
            net::HttpRequest r;
            r.url = QUrl(sandbox.base + QStringLiteral("/v1/people?limit=1"));
            client.send(r, [&](const net::HttpResponse &resp, const auth::AuthFailure &) {
                resp.status == 429 ? ++limited : ++ok;
                more();
            });
        }
    };
    more();
    if (!runUntil([&] { return timer.elapsed() >= seconds * 1000LL && ok + limited == sent; }, (seconds + 120) * 1000))
        qFatal("the paced run did not finish");
    const double minutes = double(timer.elapsed()) / 60000.0;
    std::printf("  paced calls under 100/min   %8.1f calls/min (%.1f%% of the budget) over %.1f min, %d answered 429\n",
                ok / minutes, ok / minutes, minutes, limited);
    std::printf("  sandbox counted             %lld rate-limited replies\n",
                static_cast<long long>(sandbox.counter("crm.rate_limited")));
}

void incremental()
{
    Sandbox sandbox;
    if (!sandbox.start(
            {QStringLiteral("--leads"), QStringLiteral("5000"), QStringLiteral("--listings"), QStringLiteral("5000")}))
        qFatal("transom-sandbox did not start");
    net::HttpClient http;
    const connect::PresetLibrary presets = connect::PresetLibrary::load({QStringLiteral(TRANSOM_RESOURCES "/presets")});
    auth::OAuthSettings o;
    o.tokenUrl = QUrl(sandbox.base + QStringLiteral("/oauth/token"));
    o.clientId = QStringLiteral("transom-demo");
    o.clientSecret = QStringLiteral("sandbox-client-secret");
    auth::OAuthSession session(o, http);
    for (const auto &[presetId, signer] :
         {std::pair{QStringLiteral("webhook-lead-portal"), auth::RequestSigner::apiKey("X-Api-Key", "sandbox-api-key")},
          std::pair{QStringLiteral("reso-web-api"), auth::RequestSigner::oauth(&session)}}) {
        auth::AuthorizedClient client(http, signer);
        const connect::Preset *preset = presets.find(presetId);
        QJsonObject checkpoint;
        int records = 0;
        for (int run = 0; run < 2; ++run) {
            auto source = connect::ConnectorRegistry::builtin().createSource(preset->connector,
                                                                             preset->settingsFor(sandbox.base), client);
            source.value()->start(checkpoint);
            bool last = false;
            int got = 0, skipped = 0;
            while (!last) {
                bool answered = false;
                source.value()->next([&](const connect::SourcePage &p) {
                    got += int(p.records.size());
                    skipped += p.skippedAsSeen;
                    last = p.last || !p.error.isEmpty();
                    answered = true;
                });
                if (!runUntil([&] { return answered; }, 60000))
                    qFatal("no page");
            }
            if (run == 0)
                records = got;
            else
                std::printf("  %-20s full pull: %d records; poll with no changes: %d call(s), %d new, %d of the "
                            "overlap window recognised\n",
                            qPrintable(presetId), records, source.value()->requestsMade(), got, skipped);
            checkpoint = source.value()->checkpoint();
        }
    }
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    std::setvbuf(stdout, nullptr, _IOLBF, 0); // figures appear as they are measured
    const QStringList args = app.arguments();
    auto option = [&](const QString &name, int fallback) {
        const qsizetype at = args.indexOf(name);
        return at >= 0 && at + 1 < args.size() ? args.at(at + 1).toInt() : fallback;
    };
    std::printf("bench_connectors: transom-sandbox as a separate process on loopback, HttpClient (libcurl multi)\n");
    if (!args.contains(QStringLiteral("--only-pacing"))) {
        capacity(option(QStringLiteral("--posts"), 20000));
        incremental();
    }
    pacing(option(QStringLiteral("--pacing-seconds"), 180));
    return 0;
}
