// Every rule family on an arbitrary value: one mapping, compiled once, with a field per rule setup
// (phone, datetime, money, number, name, case, value_map, template, ...), all reading the field "in".
// The input is the value as text, or, after a leading '=', as JSON (numbers, booleans, lists...).
// Each record is mapped from a QJsonObject and from its JSON text (the rules' UTF-8 paths): both must
// write the same output and the same errors, as tests/core/ruletesting.h holds the rule tests to.
#include "core/common/jsonwriter.h"
#include "core/mapping/mappingcompiler.h"
#include "core/mapping/sourcerecord.h"
#include "tests/fuzz/fuzzsupport.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace transom::mapping;

namespace {

const char *const kRules[] = {
    R"js({"rule": "trim"})js",
    R"js({"rule": "collapse_whitespace"})js",
    R"js({"rule": "case", "mode": "upper"})js",
    R"js({"rule": "case", "mode": "lower"})js",
    R"js({"rule": "case", "mode": "title"})js",
    R"js({"rule": "truncate", "max": 5, "ellipsis": "…"})js",
    R"js({"rule": "email"})js",
    R"js({"rule": "regex_extract", "pattern": "(\\d+)-(\\w*)", "group": "2", "on_no_match": "null"})js",
    R"js({"rule": "regex_replace", "pattern": "\\s+", "replacement": "_", "case_insensitive": true})js",
    R"js({"rule": "phone"})js",
    R"js({"rule": "phone", "region": "GB", "format": "international", "extension": "keep", "validate": false})js",
    R"js({"rule": "phone", "format": "rfc3966", "extension": "only"})js",
    R"js({"rule": "phone", "format": "national"})js",
    R"js({"rule": "datetime", "patterns": ["MM/dd/yyyy hh:mm a", "iso8601"], "timezone": "America/Chicago"})js",
    R"js({"rule": "datetime", "patterns": ["epoch_s", "epoch_ms"], "output": "iso8601_offset",
        "output_timezone": "Europe/Berlin", "ambiguous": "error", "nonexistent": "error"})js",
    R"js({"rule": "datetime", "patterns": ["EEEE, MMMM d yyyy", "M/d/yy", "yyyy-MM-dd"], "output": "date"})js",
    R"js({"rule": "datetime", "patterns": ["iso8601"], "output": "pattern", "output_pattern": "dd.MM.yyyy HH:mm"})js",
    R"js({"rule": "datetime", "patterns": ["iso8601", "dd.MM.yyyy HH:mm:ss"], "timezone": "Australia/Lord_Howe",
        "output": "epoch_ms", "ambiguous": "later"})js",
    R"js({"rule": "money"})js",
    R"js({"rule": "money", "output": "decimal", "suffixes": true})js",
    R"js({"rule": "money", "output": "units", "decimal_point": ","})js",
    R"js({"rule": "number"})js",
    R"js({"rule": "number", "output": "integer", "suffixes": true})js",
    R"js({"rule": "number", "output": "text", "decimals": 12, "decimal_point": ","})js",
    R"js({"rule": "name_split", "part": "first"})js",
    R"js({"rule": "name_split", "part": "middle"})js",
    R"js({"rule": "name_split", "part": "last"})js",
    R"js({"rule": "name_split", "part": "given"})js",
    R"js({"rule": "template", "template": "{$} [({other})] {missing}"})js",
    R"js({"rule": "template", "template": "[{$}, ]{other}", "collapse_whitespace": false})js",
    R"js({"rule": "value_map", "map": {"Zillow": ["zillow", "portal"], "1": "Yes"}, "case_insensitive": true,
        "unmapped": "pass_through"})js",
    R"js({"rule": "value_map", "map": {"a": 1}})js",
    R"js({"rule": "lookup", "table": "agents", "unmapped": "default", "default": 0})js",
    R"js({"rule": "boolean"})js",
    R"js({"rule": "default", "value": "Website"})js",
    R"js({"rule": "required"})js",
    R"js({"rule": "constant", "value": 3})js",
    R"js({"rule": "phone", "invalid": "digits"})js",
    R"js({"rule": "phone", "region": "GB", "invalid": "keep", "on_error": "null"})js",
    R"js({"rule": "value_map", "map": {"hot lead prospect": "HOT", "A+": 1, "sí señor": 2}, "normalize": true,
        "on_error": "default", "default": "?"})js",
    R"js({"rule": "empty", "then": "null"})js",
    R"js({"rule": "number", "on_error": "keep"})js",
};

std::shared_ptr<const CompiledMapping> compileRules()
{
    QJsonArray fields;
    for (const char *rule : kRules) {
        QJsonParseError error;
        const QJsonDocument parsed = QJsonDocument::fromJson(QByteArray(rule), &error);
        FUZZ_CHECK(error.error == QJsonParseError::NoError);
        fields.append(QJsonObject{{QStringLiteral("target"), QStringLiteral("out%1").arg(fields.size())},
                                  {QStringLiteral("from"), QStringLiteral("in")},
                                  {QStringLiteral("rules"), QJsonArray{parsed.object()}}});
    }
    const QJsonObject lookups{
        {QStringLiteral("agents"), QJsonObject{{QStringLiteral("agent1@brokerage.example"), 7},
                                               {QStringLiteral("Ünïcödé Agent"), QStringLiteral("x")}}}};
    const QJsonObject document{{QStringLiteral("transom_mapping"), 1},
                               {QStringLiteral("lookups"), lookups},
                               {QStringLiteral("fields"), fields}};
    const auto parsed = MappingDocument::parse(QJsonDocument(document).toJson());
    FUZZ_CHECK(parsed.ok());
    const MappingCompiler::Result result = MappingCompiler::compile(*parsed);
    if (!result.ok())
        std::fprintf(stderr, "%s\n", qPrintable(result.errors.first().toString()));
    FUZZ_CHECK(result.ok());
    return result.mapping;
}

/// The written record and its errors, to compare the two ways of reading a record.
QByteArray describe(const MappedRecord &mapped)
{
    QByteArray text = mapped.json();
    for (const FieldError &e : mapped.errors) {
        text += ' ';
        transom::json::appendString(text, e.field + QLatin1Char(' ') + e.rule + QLatin1Char(':') + e.message);
    }
    return text;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    transom::fuzz::quietQtMessages();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const std::shared_ptr<const CompiledMapping> mapping = compileRules();
    const QByteArray input = transom::fuzz::bytes(data, size);
    QJsonValue value = QString::fromUtf8(input);
    if (input.startsWith('=')) {
        const QJsonDocument parsed = QJsonDocument::fromJson('[' + input.mid(1) + ']');
        if (!parsed.isArray() || parsed.array().isEmpty())
            return 0;
        value = parsed.array().first();
    }
    const QJsonObject record{{QStringLiteral("in"), value}, {QStringLiteral("other"), value}};
    const MappedRecord fromObject = mapping->map(record);

    static RecordParser parser;
    FUZZ_CHECK(parser.parse(QJsonDocument(record).toJson(QJsonDocument::Compact)));
    const MappedRecord fromText = mapping->map(parser.record());
    const QByteArray a = describe(fromObject), b = describe(fromText);
    if (a != b) {
        std::fprintf(stderr, "from an object: %s\nfrom JSON text: %s\n", a.constData(), b.constData());
        FUZZ_CHECK(a == b);
    }
    return 0;
}
