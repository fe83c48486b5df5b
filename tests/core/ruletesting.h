#pragma once
// Runs one rule through the real pipeline: a one-field mapping compiled by MappingCompiler.

#include "core/common/jsonwriter.h"
#include "core/mapping/mappingcompiler.h"
#include "core/mapping/sourcerecord.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

namespace transom::testing {

struct RuleOutcome {
    QString buildError; ///< the compiler's message when the rule could not be built
    QJsonValue output;  ///< undefined when the field was left out
    QString fieldError; ///< the field error's message
    QString failedRule;
    /// Set when the record read from JSON text (strings kept as UTF-8, the rules' UTF-8 paths) mapped
    /// differently from the same record as a QJsonObject (strings as QString): they must agree.
    QString formsDisagree;
};

/// Every record a rule test maps is mapped twice, from a QJsonObject and from its JSON text, and the
/// two must write the same output and the same errors: this is what holds each rule's UTF-8 path to
/// its QString path. Compared as written JSON (a lone surrogate is U+FFFD in both).
inline QString compareForms(const mapping::CompiledMapping &mapping, const QJsonObject &record,
                            const mapping::MappedRecord &fromObject)
{
    mapping::RecordParser parser;
    QString why;
    if (!parser.parse(QJsonDocument(record).toJson(QJsonDocument::Compact), &why))
        return QStringLiteral("the test record does not parse: ") + why;
    const mapping::MappedRecord fromText = mapping.map(parser.record());
    auto describe = [](const mapping::MappedRecord &m) {
        QByteArray text = m.json();
        for (const mapping::FieldError &e : m.errors) {
            text += ' ';
            json::appendString(text, e.rule + QLatin1Char(':') + e.message);
        }
        return text;
    };
    const QByteArray a = describe(fromObject), b = describe(fromText);
    if (a == b)
        return {};
    return QStringLiteral("from an object: %1\nfrom JSON text: %2").arg(QString::fromUtf8(a), QString::fromUtf8(b));
}

/// Parses a JSON object written in a test row, failing loudly on a typo in the test itself.
inline QJsonObject object(const char *json)
{
    QJsonParseError e;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray(json), &e);
    if (e.error != QJsonParseError::NoError || !doc.isObject())
        qFatal("bad JSON in a test row: %s (%s)", json, qPrintable(e.errorString()));
    return doc.object();
}

/// Applies `rule` (a rule object) to `input` (undefined means the source field is missing).
inline RuleOutcome runRule(const QJsonObject &rule, const QJsonValue &input, const QJsonObject &lookups = {},
                           QJsonObject record = {})
{
    QJsonObject doc{{QStringLiteral("transom_mapping"), 1},
                    {QStringLiteral("lookups"), lookups},
                    {QStringLiteral("fields"), QJsonArray{QJsonObject{{QStringLiteral("target"), QStringLiteral("out")},
                                                                      {QStringLiteral("from"), QStringLiteral("in")},
                                                                      {QStringLiteral("rules"), QJsonArray{rule}}}}}};
    RuleOutcome outcome;
    const auto parsed = mapping::MappingDocument::parse(QJsonDocument(doc).toJson());
    if (!parsed) {
        outcome.buildError = parsed.error().message;
        return outcome;
    }
    const auto compiled = mapping::MappingCompiler::compile(parsed.value());
    if (!compiled.ok()) {
        outcome.buildError = compiled.errors.first().message;
        return outcome;
    }
    if (!input.isUndefined())
        record.insert(QStringLiteral("in"), input);
    const mapping::MappedRecord mapped = compiled.mapping->map(record);
    outcome.formsDisagree = compareForms(*compiled.mapping, record, mapped);
    outcome.output = mapped.record().value(QStringLiteral("out"));
    if (!mapped.errors.isEmpty()) {
        outcome.fieldError = mapped.errors.first().message;
        outcome.failedRule = mapped.errors.first().rule;
    }
    return outcome;
}

/// The usual check of a rule row: either the expected output, or an error containing `errorPart`.
inline void checkRule(const QJsonObject &rule, const QJsonValue &input, const QJsonValue &expected,
                      const QString &errorPart, const QJsonObject &lookups = {})
{
    const RuleOutcome outcome = runRule(rule, input, lookups);
    QVERIFY2(outcome.buildError.isEmpty(), qPrintable(outcome.buildError));
    QVERIFY2(outcome.formsDisagree.isEmpty(), qPrintable(outcome.formsDisagree));
    if (errorPart.isEmpty()) {
        QVERIFY2(outcome.fieldError.isEmpty(), qPrintable(outcome.fieldError));
        QCOMPARE(outcome.output, expected);
    } else {
        QVERIFY2(outcome.fieldError.contains(errorPart, Qt::CaseInsensitive),
                 qPrintable(QStringLiteral("expected an error containing \"%1\", got \"%2\" (output %3)")
                                .arg(errorPart, outcome.fieldError,
                                     QString::fromUtf8(
                                         QJsonDocument(QJsonArray{outcome.output}).toJson(QJsonDocument::Compact)))));
        QVERIFY(outcome.output.isUndefined());
        QCOMPARE(outcome.failedRule, rule.value(QStringLiteral("rule")).toString());
    }
}

inline const QJsonValue missing = QJsonValue(QJsonValue::Undefined);

} // namespace transom::testing
