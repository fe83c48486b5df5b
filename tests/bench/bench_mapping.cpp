// Mapping throughput: N synthetic leads, streamed one NDJSON line at a time through parse → map →
// serialize, on one thread. In the same run, the ceiling: the same lines only parsed and re-serialized.
// Prints records/s (wall and CPU), the ratio to the ceiling, and peak RSS after each size.
//
//   build-release/tests/bench/bench_mapping [--sizes 100000,1000000]
#include "core/mapping/mappingcompiler.h"
#include "core/mapping/mappingpreview.h"
#include "core/mapping/sourcerecord.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>

#include <phonenumbers/phonenumberutil.h>

#include <sys/resource.h>

#include <cstdio>

using namespace transom::mapping;

namespace {

double cpuSeconds()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

long peakRssMb()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss / 1024;
}

/// Leads as a portal sends them: every phone number distinct, formats and statuses mixed, some mess.
QList<QByteArray> makeLeadPool(int size)
{
    QRandomGenerator rng(42);
    static const char *const first[] = {"Maria", "James", "Liam",   "Sofia", "Priya",
                                        "Chen",  "Aisha", "Olivia", "José",  "Zoë"};
    static const char *const last[] = {"Garcia", "Smith",   "Wei",    "Rossi", "Patel",
                                       "Khan",   "Johnson", "Miller", "Núñez"};
    static const char *const status[] = {
        "_new_", "_cold_lead_", "_warm_lead_", "_hot_lead_prospect_", "_appointment_set_", "_nurture_"};
    static const char *const source[] = {"Zillow", "Website", "Realtor.com", "Open House"};
    static const int areas[] = {512, 737, 214, 713, 210, 469, 832, 281};
    QList<QByteArray> pool;
    pool.reserve(size);
    for (int i = 0; i < size; ++i) {
        const int area = areas[rng.bounded(int(std::size(areas)))];
        const int exchange = 200 + rng.bounded(800);
        const int line = rng.bounded(10000);
        QString phone;
        switch (i % 5) {
        case 0:
            phone = QStringLiteral("(%1) %2-%3").arg(area).arg(exchange).arg(line, 4, 10, QLatin1Char('0'));
            break;
        case 1:
            phone = QStringLiteral(" %1 %2 %3 ").arg(area).arg(exchange).arg(line, 4, 10, QLatin1Char('0'));
            break;
        case 2:
            phone = QStringLiteral("1-%1-%2-%3").arg(area).arg(exchange).arg(line, 4, 10, QLatin1Char('0'));
            break;
        case 3:
            phone = QStringLiteral("%1.%2.%3").arg(area).arg(exchange).arg(line, 4, 10, QLatin1Char('0'));
            break;
        default:
            phone = QStringLiteral("(%1)%2-%3 ext. 12").arg(area).arg(exchange).arg(line, 4, 10, QLatin1Char('0'));
            break;
        }
        const QStringList budgets = {QStringLiteral("$%L1.00").arg(300000 + rng.bounded(900000)),
                                     QString::number(300000 + rng.bounded(900000)), QStringLiteral("$450,000"),
                                     QStringLiteral("$1.2M")};
        const int day = 1 + rng.bounded(28), month = 1 + rng.bounded(12), hour = 1 + rng.bounded(12);
        const QJsonObject lead{
            {QStringLiteral("lead_id"), QStringLiteral("ZL-%1").arg(100000 + i)},
            {QStringLiteral("first_name"), QString::fromUtf8(first[rng.bounded(int(std::size(first)))])},
            {QStringLiteral("last_name"), QString::fromUtf8(last[rng.bounded(int(std::size(last)))])},
            {QStringLiteral("phone"), phone},
            {QStringLiteral("email"), QStringLiteral("Lead.%1@Example.com").arg(i)},
            {QStringLiteral("created_at"), QStringLiteral("%1/%2/2026 %3:%4 %5")
                                               .arg(month, 2, 10, QLatin1Char('0'))
                                               .arg(day, 2, 10, QLatin1Char('0'))
                                               .arg(hour, 2, 10, QLatin1Char('0'))
                                               .arg(rng.bounded(60), 2, 10, QLatin1Char('0'))
                                               .arg(rng.bounded(2) ? QStringLiteral("PM") : QStringLiteral("AM"))},
            {QStringLiteral("status"), QString::fromLatin1(status[rng.bounded(int(std::size(status)))])},
            {QStringLiteral("budget"), budgets.at(rng.bounded(int(budgets.size())))},
            {QStringLiteral("source"), QString::fromLatin1(source[rng.bounded(int(std::size(source)))])},
            {QStringLiteral("property"),
             QJsonObject{{QStringLiteral("address"), QStringLiteral("%1 Oak St").arg(100 + i % 900)},
                         {QStringLiteral("city"), QStringLiteral("Austin")},
                         {QStringLiteral("state"), QStringLiteral("tx")},
                         {QStringLiteral("zip"), QStringLiteral("78704")},
                         {QStringLiteral("mls_number"), QStringLiteral("ACT%1").arg(5000000 + i)}}},
            {QStringLiteral("message"), QStringLiteral("Is this   still available?")},
            {QStringLiteral("agent_email"),
             i % 2 ? QStringLiteral("agent1@brokerage.example") : QStringLiteral("agent2@brokerage.example")}};
        pool.append(QJsonDocument(lead).toJson(QJsonDocument::Compact));
    }
    return pool;
}

struct Result {
    double wall = 0;
    double cpu = 0;
    qint64 bytesOut = 0;
    qint64 withErrors = 0;
};

/// Streams `n` records from the pool through `work`; returns the time taken.
template<class Work> Result stream(const QList<QByteArray> &pool, qint64 n, Work work)
{
    Result r;
    QElapsedTimer timer;
    const double cpu0 = cpuSeconds();
    timer.start();
    for (qint64 i = 0; i < n; ++i) {
        const QJsonObject record = QJsonDocument::fromJson(pool.at(qsizetype(i % pool.size()))).object();
        work(record, r);
    }
    r.wall = double(timer.nsecsElapsed()) / 1e9;
    r.cpu = cpuSeconds() - cpu0;
    return r;
}

/// The same, each record read with RecordParser (simdjson) instead of into a QJsonObject.
template<class Work> Result streamParsed(const QList<QByteArray> &pool, qint64 n, Work work)
{
    Result r;
    RecordParser parser;
    QElapsedTimer timer;
    const double cpu0 = cpuSeconds();
    timer.start();
    for (qint64 i = 0; i < n; ++i) {
        if (!parser.parse(pool.at(qsizetype(i % pool.size()))))
            qFatal("unreadable record %lld", static_cast<long long>(i));
        work(parser, r);
    }
    r.wall = double(timer.nsecsElapsed()) / 1e9;
    r.cpu = cpuSeconds() - cpu0;
    return r;
}

std::shared_ptr<const CompiledMapping> compileLeads(bool withPhones)
{
    auto doc = MappingDocument::load(QStringLiteral(TRANSOM_RESOURCES "/mappings/portal-leads-to-crm-event.json"));
    if (!doc)
        qFatal("%s", qPrintable(doc.error().toString()));
    if (!withPhones) {
        doc->fields.removeIf([](const FieldMapping &f) { return f.target.contains(QLatin1String("phones")); });
    }
    auto compiled = MappingCompiler::compile(doc.value());
    if (!compiled.ok())
        qFatal("%s", qPrintable(compiled.errors.first().toString()));
    return compiled.mapping;
}

void report(const char *name, qint64 n, const Result &r, const Result &ceiling)
{
    std::printf("  %-28s %9.0f rec/s wall  %9.0f rec/s cpu  %5.0f%% of the QJsonDocument ceiling  %lld with field errors\n", name,
                double(n) / r.wall, double(n) / r.cpu, 100.0 * ceiling.cpu / r.cpu,
                static_cast<long long>(r.withErrors));
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    std::setvbuf(stdout, nullptr, _IOLBF, 0); // figures appear as they are measured
    QList<qint64> sizes = {100000, 1000000};
    const QStringList args = app.arguments();
    const qsizetype at = args.indexOf(QStringLiteral("--sizes"));
    if (at >= 0 && at + 1 < args.size()) {
        sizes.clear();
        for (const QString &s : args.at(at + 1).split(QLatin1Char(',')))
            sizes.append(s.toLongLong());
    }
    const QList<QByteArray> pool = makeLeadPool(
        qEnvironmentVariableIntValue("BENCH_POOL") > 0 ? qEnvironmentVariableIntValue("BENCH_POOL") : 20000);
    const auto leads = compileLeads(true);
    const auto noPhones = compileLeads(false);
    std::printf("bench_mapping: portal leads → CRM event (%d fields), one thread, pool of %lld distinct leads\n",
                leads->fieldCount(), static_cast<long long>(pool.size()));
    std::printf("  peak RSS before: %ld MB\n", peakRssMb());
    if (args.contains(QStringLiteral("--per-field"))) {
        // Where a record's time goes: each field alone (RecordParser's parse included).
        auto doc = MappingDocument::load(QStringLiteral(TRANSOM_RESOURCES "/mappings/portal-leads-to-crm-event.json"));
        const qint64 n = sizes.first();
        RecordParser parser;
        for (const FieldMapping &f : doc->fields) {
            MappingDocument one = doc.value();
            one.fields = {f};
            auto compiled = MappingCompiler::compile(one);
            QElapsedTimer t;
            t.start();
            qint64 sink = 0;
            for (qint64 i = 0; i < n; ++i) {
                parser.parse(pool.at(qsizetype(i % pool.size())));
                sink += compiled.mapping->map(parser.record()).errors.size();
            }
            std::printf("  %-28s %7.0f ns/record  (%lld errors)\n", qPrintable(f.target),
                        double(t.nsecsElapsed()) / double(n), static_cast<long long>(sink));
        }
        return 0;
    }

    // The same output line transom-run map writes.
    QByteArray line;
    qint64 index = 0;
    auto serialize = [&](const MappedRecord &m, Result &r) {
        line.resize(0); // keeps the capacity, as a writer reusing its buffer does
        MappingPreview::writeLine(line, index++, m);
        r.bytesOut += line.size() + 1;
        r.withErrors += m.errors.isEmpty() ? 0 : 1;
    };
    for (const qint64 n : sizes) {
        std::printf("N = %lld\n", static_cast<long long>(n));
        if (args.contains(QStringLiteral("--only-no-phones"))) {
            // For profilers: the mapping without phone rules and nothing else.
            const Result plain = streamParsed(
                pool, n, [&](const RecordParser &parser, Result &r) { serialize(noPhones->map(parser.record()), r); });
            std::printf("  %-28s %9.0f rec/s wall\n", "without phone rules", double(n) / plain.wall);
            continue;
        }
        const Result ceiling = stream(pool, n, [](const QJsonObject &rec, Result &r) {
            r.bytesOut += QJsonDocument(rec).toJson(QJsonDocument::Compact).size() + 1;
        });
        std::printf("  %-28s %9.0f rec/s wall  %9.0f rec/s cpu  (QJsonDocument parse + re-serialize only)\n",
                    "ceiling, QJsonDocument", double(n) / ceiling.wall, double(n) / ceiling.cpu);
        const Result fastCeiling = streamParsed(pool, n, [](const RecordParser &parser, Result &r) {
            r.bytesOut += parser.json().size() + 1;
        });
        std::printf("  %-28s %9.0f rec/s wall  %9.0f rec/s cpu  (RecordParser parse + re-serialize only)\n",
                    "ceiling, RecordParser", double(n) / fastCeiling.wall, double(n) / fastCeiling.cpu);
        const Result viaObject =
            stream(pool, n, [&](const QJsonObject &rec, Result &r) { serialize(leads->map(rec), r); });
        report("lead mapping via QJsonObject", n, viaObject, ceiling);
        const Result full = streamParsed(
            pool, n, [&](const RecordParser &parser, Result &r) { serialize(leads->map(parser.record()), r); });
        report("lead mapping", n, full, ceiling);
        // libphonenumber alone on the same phone strings (parse + IsValidNumber + E.164), for scale.
        {
            using i18n::phonenumbers::PhoneNumberUtil;
            const PhoneNumberUtil &util = *PhoneNumberUtil::GetInstance();
            std::vector<std::string> phones;
            for (const QByteArray &raw : pool)
                phones.push_back(
                    QJsonDocument::fromJson(raw).object().value(QStringLiteral("phone")).toString().toStdString());
            QElapsedTimer t;
            const double c0 = cpuSeconds();
            t.start();
            qint64 valid = 0;
            for (qint64 i = 0; i < n; ++i) {
                i18n::phonenumbers::PhoneNumber number;
                std::string out;
                if (util.Parse(phones[size_t(i % qint64(phones.size()))], "US", &number) ==
                        PhoneNumberUtil::NO_PARSING_ERROR &&
                    util.IsValidNumber(number)) {
                    util.Format(number, PhoneNumberUtil::E164, &out);
                    ++valid;
                }
            }
            const double cpu = cpuSeconds() - c0;
            std::printf("  %-28s %9.0f rec/s wall  %9.0f rec/s cpu  (one phone per record, nothing else)\n",
                        "libphonenumber alone", double(n) / (double(t.nsecsElapsed()) / 1e9), double(n) / cpu);
        }
        const Result plain = streamParsed(
            pool, n, [&](const RecordParser &parser, Result &r) { serialize(noPhones->map(parser.record()), r); });
        report("same, without phone rules", n, plain, ceiling);
        std::printf("  peak RSS after N = %lld: %ld MB\n", static_cast<long long>(n), peakRssMb());
    }
    return 0;
}
