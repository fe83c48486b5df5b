// transom-run: the headless runner. Parses arguments and hands the work to core/.
#include "core/connect/connectorreference.h"
#include "core/log/logging.h"
#include "core/mapping/mappingpreview.h"
#include "core/sync/commands.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>

#include <QSocketNotifier>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <sys/socket.h>
#include <unistd.h>
#include <utility>
#include <vector>

using transom::mapping::MappingPreview;
using transom::mapping::PreviewExit;

namespace {

const char *const usageText = R"(Usage: transom-run <command> [options]
       transom-run --help | --version

Transom's headless runner: maps records with a mapping document and runs a project's sync jobs
(pull or receive records, map them, deliver them within the vendors' rate limits, retry, dead-letter).

Commands:
  map          Map the records of a file and print the result as NDJSON (no network, no project).
                 transom-run map --mapping MAPPING.json --input RECORDS [--output OUT.ndjson]
  run          Run a project's jobs once, to completion, and print a summary.
                 transom-run run PROJECT [--job NAME]... [--credentials FILE]
  serve        Poll on schedule and receive webhooks until SIGTERM (for servers and systemd).
                 transom-run serve PROJECT [--listen HOST:PORT] [--credentials FILE]
  deadletters  List, show, edit, retry or discard records that could not be delivered.
                 transom-run deadletters PROJECT list|show|edit|retry|discard ...
  trace        Show one record's whole path: received, mapped, sent, retried, dead-lettered.
                 transom-run trace PROJECT RECORD_ID|E-MAIL|TEXT
  docs         Print a generated reference page as Markdown.
                 transom-run docs connectors   (every connection setting and sign-in style;
                                                docs/connectors.md is this output)

Options:
  -h, --help     This text. 'transom-run <command> --help' gives a command's options and examples.
  --version      Print "transom-run <version>" and exit.

Environment:
  TRANSOM_SECRET_<CONNECTION>_<KEY>  a secret for a connection, e.g. TRANSOM_SECRET_CRM_API_KEY
                                     (upper case; characters other than A-Z and 0-9 become "_")
  TRANSOM_CREDENTIALS                credentials file when --credentials is not given (default:
                                     credentials.json beside the project; it must be mode 0600)
  TRANSOM_PRESETS                    extra vendor preset folders, separated by ":"

Exit codes:
  0   done: every record mapped cleanly / delivered
  1   done, but some records have field errors or wait in dead letters
  2   the mapping, input or project could not be used, or a job lost its source or destination
  3   run stopped by SIGTERM/SIGINT before the end (requests in flight were settled)
  64  wrong arguments

Examples:
  transom-run map -m portal-leads-to-crm-event.json -i portal-leads.json
  transom-run run /srv/transom/brokerage/project.json
  transom-run deadletters project.json list --class permanent
  transom-run trace project.json maria@example.com

The user guide is in /usr/share/doc/transom/user-guide.md (docs/ in the source tree).
)";

const char *const mapEpilogue = R"(
Exit codes:
  0   every record mapped cleanly
  1   some records have field errors or could not be read (they are in the output)
  2   the mapping or the input could not be used (errors name file, line, column and JSON path)
  64  wrong arguments

Examples:
  # Preview the demo mapping on the demo leads (two leads carry impossible phone numbers: exit code 1)
  transom-run map --mapping /usr/share/transom/mappings/portal-leads-to-crm-event.json \
                  --input /usr/share/transom/demo/samples/portal-leads.json
  # A CSV export, results to a file, only the records with errors
  transom-run map -m listing.json -i export.csv -o mapped.ndjson; grep -v '"errors":\[\]' mapped.ndjson
)";

/// Prints a command's help. QCommandLineParser names argv[0] in its usage line; this says
/// "transom-run <command>" instead, and adds what the parser has no place for (exit codes, examples).
void printHelp(const QCommandLineParser &parser, const QString &command, const char *epilogue)
{
    QString text = parser.helpText();
    text.replace(QStringLiteral("Usage: ") + QCoreApplication::arguments().constFirst(),
                 QStringLiteral("Usage: transom-run ") + command);
    // The descriptions are paragraphs; fold them to the width of the rest.
    QStringList lines;
    for (QString line : text.split(QLatin1Char('\n'))) {
        while (line.size() > 100) {
            const qsizetype cut = line.lastIndexOf(QLatin1Char(' '), 100);
            if (cut <= 0)
                break;
            lines.append(line.left(cut));
            line = line.mid(cut + 1);
        }
        lines.append(line);
    }
    std::fputs(qPrintable(lines.join(QLatin1Char('\n'))), stdout);
    std::fputs(epilogue, stdout);
}

bool helpWanted(const QCommandLineParser &parser)
{
    return parser.isSet(QStringLiteral("help")) || parser.isSet(QStringLiteral("help-all"));
}

int runMap(QCoreApplication &app, QStringList args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Maps every record of INPUT with MAPPING and writes one NDJSON line per record to standard output "
        "(or --output): {\"source_id\", \"index\", \"record\", \"errors\"}. A record whose fields fail is "
        "still mapped as far as it can be; a line that cannot be read at all is reported as "
        "{\"index\", \"line\", \"problem\"} and the rest goes on. The summary on standard error counts clean "
        "records, records with field errors (by field) and unreadable ones, and reports drift: fields new in the "
        "input, mapped fields missing from it.\n\n"
        "INPUT may be a JSON array, NDJSON, CSV with a header row (dotted headers such as property.city nest) or "
        "an API envelope (OData \"value\" + \"@odata.nextLink\", \"_metadata\" + collection, "
        "\"data\"/\"results\"/\"items\"). Nothing is sent anywhere."));
    parser.addHelpOption();
    parser.addOption({{QStringLiteral("m"), QStringLiteral("mapping")},
                      QStringLiteral("Mapping document (JSON, \"transom_mapping\": 1). Required."),
                      QStringLiteral("FILE")});
    parser.addOption({{QStringLiteral("i"), QStringLiteral("input")},
                      QStringLiteral("Records to map: JSON, NDJSON, CSV or an API envelope. Required."),
                      QStringLiteral("FILE")});
    parser.addOption({{QStringLiteral("o"), QStringLiteral("output")},
                      QStringLiteral("Write the NDJSON lines here instead of standard output (the file is replaced)."),
                      QStringLiteral("FILE")});
    parser.addOption(
        {{QStringLiteral("v"), QStringLiteral("verbose")}, QStringLiteral("Log debug detail to standard error.")});
    args.prepend(app.applicationName() + QStringLiteral(" map"));
    if (!parser.parse(args)) {
        std::fprintf(stderr, "%s\n", qPrintable(parser.errorText()));
        return int(PreviewExit::Usage);
    }
    if (helpWanted(parser)) {
        printHelp(parser, QStringLiteral("map"), mapEpilogue);
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

/// SQLite maps the store's WAL index (the -shm file beside it) into memory; when that file stops
/// being writable under a running engine (made immutable or read-only, its disk gone), the next
/// write to it is a SIGBUS. Say so and exit 2 instead of dying without a word: every call in flight
/// had its intent committed first, so the next run settles them as after a kill.
void installStoreFaultHandler()
{
    struct sigaction action {};
    action.sa_handler = [](int) {
        static const char message[] =
            "error: the sync store could not be written: its shared index (the .db-shm file beside the store) "
            "stopped being writable under the engine (made read-only or immutable, or its disk failed). Stopped at "
            "once; fix the file or its disk and run again: what was in flight is looked up before anything is sent "
            "again.\n";
        [[maybe_unused]] const auto n = ::write(STDERR_FILENO, message, sizeof message - 1);
        ::_exit(2);
    };
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGBUS, &action, nullptr);
}

/// What `transom-run <command> --help` says for the engine commands: what the command does, its arguments,
/// the options it takes (the others are accepted but hidden from its help), its exit codes and examples.
struct EngineHelp {
    const char *description;
    std::vector<std::pair<const char *, const char *>> arguments;
    std::vector<std::pair<const char *, const char *>> options; ///< option name → help for this command
    const char *epilogue;
};

constexpr const char *credentialsHelp =
    "Credentials file (JSON, mode 0600, owned by the user who runs Transom). Default: $TRANSOM_CREDENTIALS, "
    "else credentials.json beside the project. TRANSOM_SECRET_<CONNECTION>_<KEY> variables win over the file.";

const EngineHelp &engineHelp(const QString &command)
{
    static const EngineHelp run{
        "Runs the project's jobs once, to completion. Each job pulls what is new or changed at its source since "
        "its checkpoint (a webhook job takes what waits in its inbox), maps it, and delivers it within the "
        "connections' rate limits, retrying with backoff. One summary line per job: received, created, updated, "
        "unchanged, retried, to dead letters. Every step is a JSON line in the project's log folder "
        "(logs/transom.jsonl). A second run sends nothing twice: unchanged records are skipped, and a record "
        "whose outcome was unknown is looked up by external id before anything is created again.",
        {{"project", "The project file (JSON, \"transom_project\": 1)."}},
        {{"job", "Run only this job (repeatable). Default: every job of the project."},
         {"credentials", credentialsHelp}},
        R"(
Exit codes:
  0   every record delivered (or nothing new)
  1   done, but some records are in dead letters: see 'transom-run deadletters PROJECT list'
  2   a job could not run or lost its source, destination or store (a missing secret, a revoked
      token, a vendor that stays down, a full or unwritable store: nothing more is sent, and the
      next run settles what was in flight), or the project could not be used
  3   stopped by SIGTERM/SIGINT before the end (requests in flight were settled first)
  64  wrong arguments, or a --job the project does not have

Examples:
  transom-run run brokerage/project.json
  transom-run run brokerage/project.json --job portal-leads-to-crm --credentials /etc/transom/creds.json
  TRANSOM_SECRET_CRM_API_KEY=... transom-run run brokerage/project.json
)"};
    static const EngineHelp serve{
        "Runs until SIGTERM or SIGINT, for servers. Starts every job once, then runs each poll job every "
        "every_minutes (its trigger) and receives webhooks for webhook jobs on --listen, at /hooks/<job> or the "
        "trigger's path: each event's signature (the scheme the connection names: standard-webhooks, the "
        "default, github or stripe; id and time signed, 300 s tolerance), and its size are checked, the event is "
        "stored before its 200, then delivered; a resent event is a no-op, a replayed or stale one is refused "
        "(401). A job that cannot run (a missing API key, a broken mapping) is answered 503 with the reason in "
        "the output and the log, and tried again while the vendor sends. Events that arrived while serve was "
        "down are delivered at start. Prints one line per finished job run with its counts; every step is in "
        "logs/transom.jsonl. On SIGTERM it stops taking work, lets requests in flight settle (up to 30 s) and "
        "exits 0. A systemd unit is in /usr/share/doc/transom/examples/transom-run@.service.",
        {{"project", "The project file (JSON, \"transom_project\": 1)."}},
        {{"listen", "Address for incoming webhooks: HOST:PORT, [IPv6]:PORT or :PORT (loopback); HOST may be a "
                    "host name, resolved at start (serve prints what it bound). Port 0: any free port. Used only "
                    "when a job is triggered by webhooks. Keep it on loopback or a private address: serve speaks "
                    "plain HTTP, so to receive from the internet put a TLS reverse proxy (nginx, Caddy) in front "
                    "and let it forward to 127.0.0.1."},
         {"credentials", credentialsHelp}},
        R"(
Exit codes:
  0   stopped by SIGTERM/SIGINT after settling what was in flight
  2   the project could not be used, a webhook job's connection has no usable webhook_secret or
      names an unknown signature scheme, or the --listen address cannot be bound
  64  wrong arguments

Examples:
  transom-run serve /var/lib/transom/brokerage/project.json
  transom-run serve project.json --listen localhost:8787 --credentials /var/lib/transom/brokerage/credentials.json
                                                   # behind a TLS reverse proxy that forwards /hooks/ here
  systemctl enable --now transom-run@brokerage     # with the example unit installed
)"};
    static const EngineHelp deadLetters{
        "Works the dead-letter queue: the records that could not be delivered. Each keeps its source record, "
        "the mapped record, the mapping revision, the error class, the HTTP status, the vendor's message and "
        "the attempts.\n\n"
        "Actions:\n"
        "  list [--job J] [--class C] [--search TEXT] [--all] [--limit N] [--offset N]\n"
        "      One tab-separated line per dead letter: id, job, source id, class, status, HTTP status,\n"
        "      message, oldest first, 100 at a time (--limit 0: all); on standard error which of how many\n"
        "      are shown (\"showing 1–100 of 3,558 dead letters\") and the totals by class. Open ones\n"
        "      only, unless --all.\n"
        "  show ID\n"
        "      The whole dead letter as JSON, with its history.\n"
        "  edit ID --set PATH=VALUE... | --file RECORD.json\n"
        "      Change the mapped record before retrying it. VALUE is read as JSON when it parses (42,\n"
        "      true, \"text\"), as text otherwise.\n"
        "  retry ID... | retry --class C [--job J] [--remap]\n"
        "      Send again: the stored mapped record, or with --remap the source record mapped again with\n"
        "      the current mapping (after you fixed the mapping). A delivered retry is resolved; one that\n"
        "      fails again goes back to dead letters. Nothing is sent twice.\n"
        "  discard ID --reason TEXT\n"
        "      Close it without sending; the reason stays in its history.\n\n"
        "Error classes: field (the mapping found field errors; nothing was sent), permanent (the destination "
        "refused the record, e.g. 422), auth (401 or 403), duplicate (409), exhausted (retryable failures "
        "until the job's max_attempts), update_unsupported (a changed record whose connection can only create: "
        "it was not sent again). Statuses: open, retrying, resolved, discarded.",
        {{"project", "The project file (JSON, \"transom_project\": 1)."},
         {"action", "list (the default), show, edit, retry or discard."},
         {"ids", "Dead letter ids, as list prints them (show, edit, discard: one; retry: any number)."}},
        {{"job", "list, retry --class: only this job's dead letters."},
         {"class", "list, retry: only this error class (field, permanent, auth, duplicate, exhausted, "
                   "update_unsupported)."},
         {"search", "list: only dead letters whose source id, message or records contain TEXT (an e-mail "
                    "address, a name)."},
         {"all", "list: include retrying, resolved and discarded dead letters."},
         {"limit", "list: at most N dead letters (default 100; 0: all)."},
         {"offset", "list: skip the first N (with --limit, to page through)."},
         {"set", "edit: set a field of the mapped record (repeatable), e.g. --set person.stage=Lead."},
         {"file", "edit: replace the whole mapped record with this JSON object."},
         {"remap", "retry: map the source record again with the current mapping instead of sending the stored "
                   "mapped record (needed for class field)."},
         {"reason", "discard: why (required; kept in the history)."},
         {"credentials", credentialsHelp}},
        R"(
Exit codes:
  0   done (list, show, edit, discard); retry: every retried record delivered
  1   retry: some records failed again and are back in dead letters
  2   the project, its store or the dead letter could not be used; retry: a job could not run
  64  wrong arguments (an unknown action, edit without --set/--file, discard without --reason)

Examples:
  transom-run deadletters project.json list
  transom-run deadletters project.json list --class permanent --search maria@example.com
  transom-run deadletters project.json show 17
  transom-run deadletters project.json edit 17 --set person.stage=Lead --set 'person.phones[0].value=+15125550142'
  transom-run deadletters project.json retry 17 18
  transom-run deadletters project.json retry --class permanent --job portal-leads-to-crm --remap
  transom-run deadletters project.json discard 19 --reason "test lead from the portal"
)"};
    static const EngineHelp trace{
        "Finds records by source id, e-mail address, phone number, name or other text in the project's logs "
        "and dead letters, and prints each record's path with UTC times: received, mapped, sent (HTTP status, "
        "duration), retried, looked up, dead-lettered. Then what the ledger knows (delivered, and as which "
        "destination id; or outcome unknown, looked up before any resend) and the record's dead letters.",
        {{"project", "The project file (JSON, \"transom_project\": 1)."},
         {"text", "A source record id (ZL-100231), an e-mail address, or other text from the record."}},
        {{"credentials", credentialsHelp}},
        R"(
Exit codes:
  0   at least one record found
  1   no record matches
  2   the project could not be used
  64  wrong arguments

Examples:
  transom-run trace project.json ZL-100231
  transom-run trace project.json maria@example.com
)"};
    if (command == QLatin1String("serve"))
        return serve;
    if (command == QLatin1String("deadletters"))
        return deadLetters;
    if (command == QLatin1String("trace"))
        return trace;
    return run;
}

int runEngineCommand(QCoreApplication &app, const QString &command, QStringList args)
{
    const EngineHelp &help = engineHelp(command);
    QCommandLineParser parser;
    parser.setApplicationDescription(QString::fromUtf8(help.description));
    parser.addHelpOption();
    for (const auto &[name, text] : help.arguments)
        parser.addPositionalArgument(QString::fromLatin1(name), QString::fromUtf8(text));
    // Every engine command accepts the same options; its help shows the ones it uses.
    auto option = [&help](const char *name, const char *valueName = nullptr, const char *defaultValue = nullptr) {
        QCommandLineOption o(QString::fromLatin1(name), QString(),
                             valueName ? QString::fromLatin1(valueName) : QString(),
                             defaultValue ? QString::fromLatin1(defaultValue) : QString());
        const auto it = std::find_if(help.options.begin(), help.options.end(),
                                     [name](const auto &entry) { return qstrcmp(entry.first, name) == 0; });
        if (it != help.options.end())
            o.setDescription(QString::fromUtf8(it->second));
        else
            o.setFlags(QCommandLineOption::HiddenFromHelp);
        return o;
    };
    parser.addOption(option("job", "NAME"));
    parser.addOption(option("credentials", "FILE"));
    parser.addOption(option("listen", "HOST:PORT", "127.0.0.1:8787"));
    parser.addOption(option("class", "CLASS"));
    parser.addOption(option("search", "TEXT"));
    parser.addOption(option("reason", "TEXT"));
    parser.addOption(option("file", "RECORD.json"));
    parser.addOption(option("set", "PATH=VALUE"));
    parser.addOption(option("limit", "N"));
    parser.addOption(option("offset", "N"));
    parser.addOption(option("all"));
    parser.addOption(option("remap"));
    args.prepend(app.applicationName() + QLatin1Char(' ') + command);
    if (!parser.parse(args)) {
        std::fprintf(stderr, "%s\n", qPrintable(parser.errorText()));
        return 64;
    }
    if (helpWanted(parser)) {
        printHelp(parser, command, help.epilogue);
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
    installStoreFaultHandler();
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
    for (const char *name : {"job", "class", "search", "reason", "file", "limit", "offset"})
        if (parser.isSet(QString::fromLatin1(name)))
            action << QStringLiteral("--%1").arg(QString::fromLatin1(name)) << parser.value(QString::fromLatin1(name));
    for (const QString &assignment : parser.values(QStringLiteral("set")))
        action << QStringLiteral("--set") << assignment;
    for (const char *flag : {"all", "remap"})
        if (parser.isSet(QString::fromLatin1(flag)))
            action << QStringLiteral("--%1").arg(QString::fromLatin1(flag));
    return transom::sync::commands::deadLetters(context, action);
}

/// `transom-run docs connectors`: the connector reference (docs/connectors.md) on stdout.
int runDocs(const QStringList &args)
{
    if (args.size() == 1 && (args.first() == QLatin1String("--help") || args.first() == QLatin1String("-h"))) {
        std::fputs("Usage: transom-run docs connectors\n\nPrints the connector settings reference (every setting "
                   "of every connector,\nevery sign-in style) as Markdown; docs/connectors.md is its output:\n"
                   "  transom-run docs connectors > docs/connectors.md\n",
                   stdout);
        return 0;
    }
    if (args != QStringList{QStringLiteral("connectors")}) {
        std::fputs("transom-run docs: the only page is 'connectors' (transom-run docs connectors)\n", stderr);
        return int(PreviewExit::Usage);
    }
    const QByteArray text = transom::connect::connectorReferenceMarkdown().toUtf8();
    return std::fwrite(text.constData(), 1, size_t(text.size()), stdout) == size_t(text.size()) &&
                   std::fflush(stdout) == 0
               ? 0
               : 2;
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
    if (command == QLatin1String("docs"))
        return runDocs(args);
    std::fprintf(stderr, "unknown command '%s'\n\n%s", qPrintable(command), usageText);
    return int(PreviewExit::Usage);
}
