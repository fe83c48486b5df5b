// transom-run: the headless runner. Parses arguments and hands the work to core/.
#include "core/log/logging.h"
#include "core/mapping/mappingpreview.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>

#include <cstdio>

using transom::mapping::MappingPreview;
using transom::mapping::PreviewExit;

namespace {

const char *const usageText = R"(Usage: transom-run <command> [options]

Commands:
  map      Map records with a mapping and print the result as NDJSON.

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
    parser.addOption({{QStringLiteral("m"), QStringLiteral("mapping")}, QStringLiteral("Mapping document (JSON)."),
                      QStringLiteral("FILE")});
    parser.addOption({{QStringLiteral("i"), QStringLiteral("input")}, QStringLiteral("Records to map."),
                      QStringLiteral("FILE")});
    parser.addOption({{QStringLiteral("o"), QStringLiteral("output")},
                      QStringLiteral("Write NDJSON here instead of standard output."), QStringLiteral("FILE")});
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
    return int(MappingPreview::runFiles(parser.value(QStringLiteral("mapping")),
                                        parser.value(QStringLiteral("input")), out, err));
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
    std::fprintf(stderr, "unknown command '%s'\n\n%s", qPrintable(command), usageText);
    return int(PreviewExit::Usage);
}
