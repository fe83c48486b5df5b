// transom-run: the headless runner. Parses arguments and hands the work to core/.
#include "core/log/logging.h"
#include "core/mapping/mappingpreview.h"
#include "core/sync/commands.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>

#include <QSocketNotifier>

#include <csignal>
#include <cstdio>
#include <sys/socket.h>
#include <unistd.h>

using transom::mapping::MappingPreview;
using transom::mapping::PreviewExit;

namespace {

const char *const usageText = R"(Usage: transom-run <command> [options]

Commands:
  map          Map records with a mapping and print the result as NDJSON.
  run          Run a project's jobs to completion:   transom-run run PROJECT [--job NAME]...
  serve        Poll and receive webhooks until SIGTERM: transom-run serve PROJECT [--listen HOST:PORT]
  deadletters  Work the dead-letter queue:            transom-run deadletters PROJECT list|show|edit|retry|discard ...
  trace        A record's whole path:                  transom-run trace PROJECT RECORD_ID|E-MAIL|TEXT

Run 'transom-run <command> --help' for a command's options.
)";

int runMap(QCoreApplication &app, QStringList args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Maps every record of INPUT with MAPPING and writes one NDJSON line per record to standard output "
        "(or --output): {\"source_id\", \"index\", \"record\", \"errors\"}. A summary goes to standard error.\n\n"
        "INPUT may be a JSON array, NDJSON, CSV (with a header row) or an API envelope (OData \"value\", "
        "\"_metadata\" + collection, \"data\"/\"results\"/\"items\").\n\n"
        "Exit codes:\n"
        "  0   every record mapped cleanly\n"
        "  1   some records have field errors or could not be read (they are in the output)\n"
        "  2   the mapping or the input could not be used (errors name file, line and column)\n"
        "  64  wrong arguments"));
    parser.addHelpOption();
    parser.addOption({{QStringLiteral("m"), QStringLiteral("mapping")},
                      QStringLiteral("Mapping document (JSON)."),
                      QStringLiteral("FILE")});
    parser.addOption(
        {{QStringLiteral("i"), QStringLiteral("input")}, QStringLiteral("Records to map."), QStringLiteral("FILE")});
    parser.addOption({{QStringLiteral("o"), QStringLiteral("output")},
                      QStringLiteral("Write NDJSON here instead of standard output."),
                      QStringLiteral("FILE")});
    parser.addOption({{QStringLiteral("v"), QStringLiteral("verbose")}, QStringLiteral("Log more to standard error.")});
    args.prepend(app.applicationName() + QStringLiteral(" map"));
    if (!parser.parse(args)) {
        std::fprintf(stderr, "%s\n", qPrintable(parser.errorText()));
        return int(PreviewExit::Usage);
    }
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(parser.helpText()), stdout);
        return 0;
    }
    if (!parser.isSet(QStringLiteral("mapping")) || !parser.isSet(QStringLiteral("input"))) {
        std::fprintf(stderr, "map needs --mapping FILE and --input FILE (see transom-run map --help)\n");
        return int(PreviewExit::Usage);
    }
    transom::log::initConsole(parser.isSet(QStringLiteral("verbose")));
    QFile out;
    if (parser.isSet(QStringLiteral("output"))) {
        out.setFileName(parser.value(QStringLiteral("output")));
        if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            std::fprintf(stderr, "error: cannot write %s: %s\n", qPrintable(out.fileName()),
                         qPrintable(out.errorString()));
            return int(PreviewExit::Unusable);
        }
    } else {
        out.open(stdout, QIODevice::WriteOnly);
    }
    QFile err;
    err.open(stderr, QIODevice::WriteOnly | QIODevice::Unbuffered);
    return int(MappingPreview::runFiles(parser.value(QStringLiteral("mapping")), parser.value(QStringLiteral("input")),
                                        out, err));
}

int signalPipe[2] = {-1, -1};

/// SIGTERM and SIGINT end the event loop cleanly: the handler only writes a byte; Qt reads it.
void installStopSignals(QCoreApplication &app)
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, signalPipe) != 0)
        return;
    auto *notifier = new QSocketNotifier(signalPipe[1], QSocketNotifier::Read, &app);
    QObject::connect(notifier, &QSocketNotifier::activated, &app, [notifier] {
        notifier->setEnabled(false);
        char byte = 0;
        [[maybe_unused]] const auto n = ::read(signalPipe[1], &byte, 1);
        QCoreApplication::quit();
    });
    auto handler = [](int) {
        const char byte = 1;
        [[maybe_unused]] const auto n = ::write(signalPipe[0], &byte, 1);
    };
    std::signal(SIGTERM, handler);
    std::signal(SIGINT, handler);
}

int runEngineCommand(QCoreApplication &app, const QString &command, QStringList args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Engine commands on a project file (JSON; secrets stay in the credentials file, the keychain or "
        "TRANSOM_SECRET_<CONNECTION>_<KEY> variables).\n\n"
        "  run PROJECT [--job NAME]...         run jobs to completion and print a summary\n"
        "  serve PROJECT [--listen HOST:PORT]  poll on schedule and receive webhooks until SIGTERM\n"
        "  deadletters PROJECT list [--job J] [--class C] [--search TEXT] [--all]\n"
        "  deadletters PROJECT show ID\n"
        "  deadletters PROJECT edit ID --set path=value... | --file RECORD.json\n"
        "  deadletters PROJECT retry ID... | --class C [--job J] [--remap]\n"
        "  deadletters PROJECT discard ID --reason TEXT\n"
        "  trace PROJECT RECORD_ID|E-MAIL|TEXT  the record's path: received, mapped, sent, retried, dead-lettered\n\n"
        "Exit codes:\n"
        "  0   done: every record delivered\n"
        "  1   done, but some records are in dead letters (or trace found nothing)\n"
        "  2   a job could not run, or lost its source or destination\n"
        "  3   stopped by SIGTERM/SIGINT before the end (requests in flight were settled)\n"
        "  64  wrong arguments"));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("project"), QStringLiteral("The project file."));
    parser.addOption(
        {QStringLiteral("job"), QStringLiteral("Run only this job (repeatable)."), QStringLiteral("NAME")});
    parser.addOption(
        {QStringLiteral("credentials"), QStringLiteral("Credentials file (mode 0600)."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("listen"), QStringLiteral("Webhook address (serve)."), QStringLiteral("HOST:PORT"),
                      QStringLiteral("127.0.0.1:8787")});
    // deadletters options, passed through
    for (const char *name : {"class", "search", "reason", "file"})
        parser.addOption({QString::fromLatin1(name), QStringLiteral("See above."), QStringLiteral("VALUE")});
    parser.addOption({QStringLiteral("set"), QStringLiteral("See above."), QStringLiteral("PATH=VALUE")});
    parser.addOption({QStringLiteral("all"), QStringLiteral("Include resolved and discarded dead letters.")});
    parser.addOption({QStringLiteral("remap"), QStringLiteral("Retry with the current mapping.")});
    args.prepend(app.applicationName() + QLatin1Char(' ') + command);
    if (!parser.parse(args)) {
        std::fprintf(stderr, "%s\n", qPrintable(parser.errorText()));
        return 64;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(parser.helpText()), stdout);
        return 0;
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty()) {
        std::fprintf(stderr, "%s needs a PROJECT file (see transom-run %s --help)\n", qPrintable(command),
                     qPrintable(command));
        return 64;
    }
    transom::log::initConsole(false);
    QFile out, err; // straight to the descriptors: a long-running serve must not sit on buffered lines
    out.open(STDOUT_FILENO, QIODevice::WriteOnly | QIODevice::Unbuffered);
    err.open(STDERR_FILENO, QIODevice::WriteOnly | QIODevice::Unbuffered);
    transom::sync::commands::Context context{positional.first(), parser.value(QStringLiteral("credentials")), &out,
                                             &err};
    installStopSignals(app);
    if (command == QLatin1String("run"))
        return transom::sync::commands::run(context, parser.values(QStringLiteral("job")));
    if (command == QLatin1String("serve"))
        return transom::sync::commands::serve(context, parser.value(QStringLiteral("listen")));
    if (command == QLatin1String("trace")) {
        if (positional.size() < 2) {
            std::fprintf(stderr, "trace needs what to look for: a record id, an e-mail address, a name\n");
            return 64;
        }
        return transom::sync::commands::trace(context, positional.at(1));
    }
    // deadletters: rebuild the action's arguments for the command
    QStringList action = positional.mid(1);
    for (const char *name : {"job", "class", "search", "reason", "file"})
        if (parser.isSet(QString::fromLatin1(name)))
            action << QStringLiteral("--%1").arg(QString::fromLatin1(name)) << parser.value(QString::fromLatin1(name));
    for (const QString &assignment : parser.values(QStringLiteral("set")))
        action << QStringLiteral("--set") << assignment;
    for (const char *flag : {"all", "remap"})
        if (parser.isSet(QString::fromLatin1(flag)))
            action << QStringLiteral("--%1").arg(QString::fromLatin1(flag));
    return transom::sync::commands::deadLetters(context, action);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("transom-run"));
    QCoreApplication::setApplicationVersion(QStringLiteral(TRANSOM_VERSION));
    QStringList args = app.arguments();
    args.removeFirst();
    if (args.isEmpty() || args.first() == QLatin1String("--help") || args.first() == QLatin1String("-h")) {
        std::fputs(usageText, args.isEmpty() ? stderr : stdout);
        return args.isEmpty() ? int(PreviewExit::Usage) : 0;
    }
    if (args.first() == QLatin1String("--version")) {
        std::printf("transom-run %s\n", TRANSOM_VERSION);
        return 0;
    }
    const QString command = args.takeFirst();
    if (command == QLatin1String("map"))
        return runMap(app, args);
    if (command == QLatin1String("run") || command == QLatin1String("serve") ||
        command == QLatin1String("deadletters") || command == QLatin1String("trace"))
        return runEngineCommand(app, command, args);
    std::fprintf(stderr, "unknown command '%s'\n\n%s", qPrintable(command), usageText);
    return int(PreviewExit::Usage);
}
