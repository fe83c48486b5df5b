// transom-sandbox: the sandbox vendors on loopback. Parses arguments and starts the server.
#include "sandbox/sandboxserver.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QSaveFile>
#include <QSocketNotifier>

#include <csignal>
#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("transom-sandbox"));
    QCoreApplication::setApplicationVersion(QStringLiteral(TRANSOM_VERSION));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Sandbox vendors for Transom on loopback: an OAuth 2.0 provider (/oauth), a RESO Web API listing feed "
        "(/odata/Property, /odata/Member), a lead portal (/portal/leads), a CRM (/v1/people, /v1/events, "
        "/v2/leads/{uuid}) and a webhook sender, with fault injection and counters under /_admin."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption port({QStringLiteral("p"), QStringLiteral("port")},
                                  QStringLiteral("Port (0: any free one)."), QStringLiteral("N"),
                                  QStringLiteral("8765"));
    const QCommandLineOption seed(QStringLiteral("seed"), QStringLiteral("Seed for generated data."),
                                  QStringLiteral("N"), QStringLiteral("42"));
    const QCommandLineOption leads(QStringLiteral("leads"), QStringLiteral("Leads in the portal."), QStringLiteral("N"),
                                   QStringLiteral("200"));
    const QCommandLineOption listings(QStringLiteral("listings"), QStringLiteral("Listings in the feed."),
                                      QStringLiteral("N"), QStringLiteral("200"));
    const QCommandLineOption tokenLifetime(QStringLiteral("token-lifetime"),
                                           QStringLiteral("Access token lifetime in seconds."), QStringLiteral("S"),
                                           QStringLiteral("3600"));
    const QCommandLineOption crmRate(QStringLiteral("crm-rate-limit"),
                                     QStringLiteral("CRM calls per window (0: unlimited)."), QStringLiteral("N"),
                                     QStringLiteral("0"));
    const QCommandLineOption crmWindow(QStringLiteral("crm-rate-window"), QStringLiteral("CRM rate window in seconds."),
                                       QStringLiteral("S"), QStringLiteral("10"));
    const QCommandLineOption rejectDuplicates(
        QStringLiteral("crm-reject-duplicates"),
        QStringLiteral("Answer 409 to a second person with the same external id."));
    const QCommandLineOption noLookup(
        QStringLiteral("crm-no-lookup"),
        QStringLiteral("The CRM has no lookup by external id: GET /v1/people?externalId=... answers 404."));
    const QCommandLineOption faults(
        QStringLiteral("faults"),
        QStringLiteral("Faults to inject from the start, as the JSON body of POST /_admin/faults (e.g. "
                       "'{\"endpoint\": \"crm.people.create\", \"rate_503\": 0.05, \"rate_429\": 0.002, "
                       "\"rate_lost_ack\": 0.01}'); repeat for more endpoints."),
        QStringLiteral("JSON"));
    const QCommandLineOption schema(QStringLiteral("portal-schema"),
                                    QStringLiteral("Lead portal schema version (1 or 2)."), QStringLiteral("V"),
                                    QStringLiteral("1"));
    const QCommandLineOption nextLinkBase(
        QStringLiteral("odata-next-link-base"),
        QStringLiteral("Point the OData feed's @odata.nextLink at another origin (e.g. http://127.0.0.1:9) to see "
                       "that a client does not follow it with its token."),
        QStringLiteral("URL"));
    const QCommandLineOption state(
        QStringLiteral("state"),
        QStringLiteral("Keep the CRM's people and the counters across a restart: read from FILE at start (when it "
                       "exists), written to it at exit (SIGTERM/SIGINT). A restart on the same --port is a vendor "
                       "outage, connections refused in between, that loses nothing it stored."),
        QStringLiteral("FILE"));
    parser.addOptions({port, seed, leads, listings, tokenLifetime, crmRate, crmWindow, rejectDuplicates, noLookup,
                       faults, schema, nextLinkBase, state});
    parser.process(app);

    transom::sandbox::SandboxConfig config;
    config.seed = parser.value(seed).toUInt();
    config.leads = parser.value(leads).toInt();
    config.listings = parser.value(listings).toInt();
    config.tokenLifetimeSeconds = parser.value(tokenLifetime).toInt();
    config.crmRateLimit = parser.value(crmRate).toInt();
    config.crmRateWindowSeconds = parser.value(crmWindow).toInt();
    config.crmRejectDuplicates = parser.isSet(rejectDuplicates);
    config.crmNoLookup = parser.isSet(noLookup);
    config.portalSchemaVersion = parser.value(schema).toInt();
    config.odataNextLinkBase = parser.value(nextLinkBase);
    transom::sandbox::SandboxServer server(config);
    for (const QString &plan : parser.values(faults)) {
        QJsonParseError error{};
        const QJsonDocument doc = QJsonDocument::fromJson(plan.toUtf8(), &error);
        if (!doc.isObject()) {
            std::fprintf(stderr, "transom-sandbox: --faults needs a JSON object: %s\n", qPrintable(plan));
            return 1;
        }
        server.setFaults(doc.object());
    }
    const QString statePath = parser.value(state);
    if (!statePath.isEmpty() && QFile::exists(statePath)) {
        QFile file(statePath);
        QJsonParseError error{};
        const QJsonDocument doc =
            file.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(file.readAll(), &error) : QJsonDocument();
        if (!doc.isObject()) {
            std::fprintf(stderr, "transom-sandbox: cannot read the state in %s\n", qPrintable(statePath));
            return 1;
        }
        server.loadState(doc.object());
    }
    const quint16 bound = server.start(quint16(parser.value(port).toUInt()));
    if (bound == 0) {
        std::fprintf(stderr, "transom-sandbox: cannot listen on 127.0.0.1:%s\n", qPrintable(parser.value(port)));
        return 1;
    }
    std::printf("transom-sandbox listening on %s\n", qPrintable(server.baseUrl()));
    std::fflush(stdout);
    std::signal(SIGTERM, [](int) { QCoreApplication::quit(); });
    std::signal(SIGINT, [](int) { QCoreApplication::quit(); });
    const int code = app.exec();
    if (!statePath.isEmpty()) {
        QSaveFile file(statePath);
        if (!file.open(QIODevice::WriteOnly) ||
            file.write(QJsonDocument(server.saveState()).toJson(QJsonDocument::Compact)) < 0 || !file.commit()) {
            std::fprintf(stderr, "transom-sandbox: cannot write the state to %s\n", qPrintable(statePath));
            return 1;
        }
    }
    return code;
}
