// What a field does when a rule fails or its value is empty: every rule's on_error policy, the empty
// rule's drop/null, and how both meet "required", the written JSON, the step trace and the preview.
#include "ruletesting.h"

#include "core/mapping/mappingpreview.h"

using namespace transom;
using namespace transom::mapping;
using namespace transom::testing;

class TestErrorPolicies : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void onError_data();
    void onError();
    void compileErrors_data();
    void compileErrors();
    void writtenJson_data();
    void writtenJson();
    void traceAndPreviewShowTheRecovery();
    void everyRuleTakesOnError();
};

namespace {

/// A mapping with `id` (a constant) and `out` (from "in", through `rules`), compiled.
MappingCompiler::Result compileField(const QJsonArray &rules, bool required)
{
    const QJsonObject doc{
        {QStringLiteral("transom_mapping"), 1},
        {QStringLiteral("fields"),
         QJsonArray{QJsonObject{{QStringLiteral("target"), QStringLiteral("id")},
                                {QStringLiteral("rules"),
                                 QJsonArray{QJsonObject{{QStringLiteral("rule"), QStringLiteral("constant")},
                                                        {QStringLiteral("value"), 1}}}}},
                    QJsonObject{{QStringLiteral("target"), QStringLiteral("out")},
                                {QStringLiteral("from"), QStringLiteral("in")},
                                {QStringLiteral("required"), required},
                                {QStringLiteral("rules"), rules}}}}};
    const auto parsed = MappingDocument::parse(QJsonDocument(doc).toJson());
    if (!parsed)
        qFatal("the test mapping does not parse: %s", qPrintable(parsed.error().toString()));
    return MappingCompiler::compile(parsed.value());
}

QJsonArray rulesFrom(const QString &json)
{
    const QJsonDocument doc = QJsonDocument::fromJson(json.toUtf8());
    if (!doc.isArray())
        qFatal("bad rules in a test row: %s", qPrintable(json));
    return doc.array();
}

QJsonObject recordWith(const QJsonValue &input)
{
    QJsonObject record;
    if (!input.isUndefined())
        record.insert(QStringLiteral("in"), input);
    return record;
}

} // namespace

void TestErrorPolicies::onError_data()
{
    QTest::addColumn<QString>("rules");
    QTest::addColumn<bool>("required");
    QTest::addColumn<QJsonValue>("input");
    QTest::addColumn<QJsonValue>("expected"); ///< undefined: the field is left out
    QTest::addColumn<QString>("error");       ///< part of the field error, empty when none
    QTest::addColumn<QString>("note");        ///< part of the recovered note, empty when none
    auto s = [](const char *t) { return QJsonValue(QString::fromUtf8(t)); };
    const QJsonValue null(QJsonValue::Null);

    QTest::newRow("error: the default") << QStringLiteral(R"([{"rule": "boolean"}])") << false << s("maybe") << missing
                                        << QStringLiteral("neither yes nor no") << QString();
    QTest::newRow("error: spelled out") << QStringLiteral(R"([{"rule": "boolean", "on_error": "error"}])") << false
                                        << s("maybe") << missing << QStringLiteral("neither yes nor no") << QString();
    QTest::newRow("null: the field is left out")
        << QStringLiteral(R"([{"rule": "boolean", "on_error": "null"}])") << false << s("maybe") << missing << QString()
        << QStringLiteral("\"maybe\" is neither yes nor no (accepted: ");
    QTest::newRow("null: the note says what happened")
        << QStringLiteral(R"([{"rule": "phone", "on_error": "null"}])") << false << s("555-01") << missing << QString()
        << QStringLiteral("→ null (on error: null)");
    QTest::newRow("null: a value that works is untouched")
        << QStringLiteral(R"([{"rule": "phone", "on_error": "null"}])") << false << s("(512) 555-0142")
        << s("+15125550142") << QString() << QString();
    QTest::newRow("keep: the value before the rule")
        << QStringLiteral(R"([{"rule": "number", "on_error": "keep"}])") << false << s("call us") << s("call us")
        << QString() << QStringLiteral("→ kept as it was (on error: keep)");
    QTest::newRow("keep: earlier rules' work stays")
        << QStringLiteral(R"([{"rule": "trim"}, {"rule": "email", "on_error": "keep"}])") << false
        << s("  not-an-address ") << s("not-an-address") << QString() << QStringLiteral("on error: keep");
    QTest::newRow("keep: later rules still run")
        << QStringLiteral(R"([{"rule": "boolean", "on_error": "keep"}, {"rule": "case", "mode": "upper"}])") << false
        << s("maybe") << s("MAYBE") << QString() << QStringLiteral("on error: keep");
    QTest::newRow("default: a text")
        << QStringLiteral(
               R"([{"rule": "datetime", "patterns": "iso8601", "on_error": "default", "default": "1970-01-01"}])")
        << false << s("next tuesday") << s("1970-01-01") << QString()
        << QStringLiteral("→ \"1970-01-01\" (on error: default)");
    QTest::newRow("default: a number") << QStringLiteral(R"([{"rule": "money", "on_error": "default", "default": 0}])")
                                       << false << s("call for price") << QJsonValue(0) << QString()
                                       << QStringLiteral("→ 0 (on error: default)");
    QTest::newRow("default: value_map shares its default")
        << QStringLiteral(
               R"([{"rule": "value_map", "map": {"a": 1}, "unmapped": "error", "on_error": "default", "default": 9}])")
        << false << s("zzz") << QJsonValue(9) << QString() << QStringLiteral("not in the value map");
    QTest::newRow("default: the value goes on through later rules")
        << QStringLiteral(
               R"([{"rule": "boolean", "on_error": "default", "default": "unknown"}, {"rule": "case", "mode": "upper"}])")
        << false << s("maybe") << s("UNKNOWN") << QString() << QStringLiteral("on error: default");
    QTest::newRow("default: a later rule's failure is still an error")
        << QStringLiteral(R"([{"rule": "boolean", "on_error": "default", "default": "x"}, {"rule": "number"}])")
        << false << s("maybe") << missing << QStringLiteral("not a number") << QStringLiteral("on error: default");
    // A required field whose value an on_error policy or the empty rule removed still fails as required.
    QTest::newRow("null + required: the required error")
        << QStringLiteral(R"([{"rule": "phone", "on_error": "null"}])") << true << s("555-01") << missing
        << QStringLiteral("a value is required but the source field is empty") << QStringLiteral("on error: null");
    QTest::newRow("phone invalid null + required: the required error")
        << QStringLiteral(R"([{"rule": "phone", "invalid": "null"}])") << true << s("(099) 555-0142") << missing
        << QStringLiteral("a value is required but the source field is empty") << QString();
    QTest::newRow("empty drop + required: the required error")
        << QStringLiteral(R"([{"rule": "empty", "then": "drop"}])") << true << s("  ") << missing
        << QStringLiteral("a value is required but the source field is empty") << QString();
    QTest::newRow("empty null + required: the required error")
        << QStringLiteral(R"([{"rule": "empty", "then": "null"}])") << true << s("") << missing
        << QStringLiteral("a value is required but the source field is empty") << QString();
    QTest::newRow("empty null, not required: sent as null")
        << QStringLiteral(R"([{"rule": "empty", "then": "null"}])") << false << s("") << null << QString() << QString();
    QTest::newRow("empty then default: default fills the blank")
        << QStringLiteral(R"([{"rule": "empty"}, {"rule": "default", "value": "Website"}])") << true << s(" ")
        << s("Website") << QString() << QString();
    QTest::newRow("on_error on required itself: default")
        << QStringLiteral(R"([{"rule": "required", "on_error": "default", "default": "n/a"}])") << false << missing
        << s("n/a") << QString() << QStringLiteral("source field is missing");
}

void TestErrorPolicies::onError()
{
    QFETCH(QString, rules);
    QFETCH(bool, required);
    QFETCH(QJsonValue, input);
    QFETCH(QJsonValue, expected);
    QFETCH(QString, error);
    QFETCH(QString, note);
    const auto compiled = compileField(rulesFrom(rules), required);
    QVERIFY2(compiled.ok(), qPrintable(compiled.errors.value(0).message));
    const QJsonObject record = recordWith(input);
    const MappedRecord mapped = compiled.mapping->map(record);
    const QString forms = compareForms(*compiled.mapping, record, mapped);
    QVERIFY2(forms.isEmpty(), qPrintable(forms));
    QCOMPARE(mapped.record().value(QStringLiteral("out")), expected);
    if (error.isEmpty()) {
        QVERIFY2(mapped.ok(), qPrintable(mapped.errors.value(0).message));
    } else {
        QCOMPARE(mapped.errors.size(), 1);
        QVERIFY2(mapped.errors.first().message.contains(error), qPrintable(mapped.errors.first().message));
        QCOMPARE(mapped.errors.first().field, QStringLiteral("out"));
    }
    if (note.isEmpty()) {
        QVERIFY(mapped.recovered.isEmpty());
    } else {
        QCOMPARE(mapped.recovered.size(), 1);
        QVERIFY2(mapped.recovered.first().message.contains(note), qPrintable(mapped.recovered.first().message));
        QCOMPARE(mapped.recovered.first().field, QStringLiteral("out"));
    }
}

void TestErrorPolicies::compileErrors_data()
{
    QTest::addColumn<QString>("rules");
    QTest::addColumn<QString>("error");
    QTest::addColumn<QString>("path");
    QTest::newRow("unknown on_error policy")
        << QStringLiteral(R"([{"rule": "phone", "on_error": "skip"}])")
        << QStringLiteral(
               "field \"out\": parameter \"on_error\" of rule \"phone\" must be one of: error, null, keep, default, "
               "not \"skip\"")
        << QStringLiteral("fields[1].rules[0].on_error");
    QTest::newRow("on_error not text")
        << QStringLiteral(R"([{"rule": "trim"}, {"rule": "case", "mode": "upper", "on_error": true}])")
        << QStringLiteral("field \"out\": parameter \"on_error\" of rule \"case\"")
        << QStringLiteral("fields[1].rules[1].on_error");
    QTest::newRow("default policy without a default")
        << QStringLiteral(R"([{"rule": "number", "on_error": "default"}])")
        << QStringLiteral("field \"out\": rule \"number\" has on_error \"default\" but no \"default\" value to use")
        << QStringLiteral("fields[1].rules[0].on_error");
    QTest::newRow("value_map: default policy without a default")
        << QStringLiteral(R"([{"rule": "value_map", "map": {}, "on_error": "default"}])")
        << QStringLiteral("rule \"value_map\" has on_error \"default\" but no \"default\" value")
        << QStringLiteral("fields[1].rules[0].on_error");
    QTest::newRow("unknown phone invalid policy")
        << QStringLiteral(R"([{"rule": "phone", "invalid": "drop"}])")
        << QStringLiteral("field \"out\": parameter \"invalid\" of rule \"phone\" must be one of: error, null, keep, "
                          "digits, not \"drop\"")
        << QStringLiteral("fields[1].rules[0].invalid");
    QTest::newRow("unknown empty choice")
        << QStringLiteral(R"([{"rule": "empty", "then": "keep"}])")
        << QStringLiteral("field \"out\": parameter \"then\" of rule \"empty\" must be one of: drop, null")
        << QStringLiteral("fields[1].rules[0].then");
    QTest::newRow("normalized keys that clash")
        << QStringLiteral(R"([{"rule": "value_map", "map": {"_HOT_": 1, "hot": 2}, "normalize": true}])")
        << QStringLiteral("field \"out\": the keys \"_HOT_\" and \"hot\" are the same once normalized (\"hot\")")
        << QStringLiteral("fields[1].rules[0].map");
}

void TestErrorPolicies::compileErrors()
{
    QFETCH(QString, rules);
    QFETCH(QString, error);
    QFETCH(QString, path);
    const auto compiled = compileField(rulesFrom(rules), false);
    QCOMPARE(compiled.errors.size(), 1);
    QVERIFY2(compiled.errors.first().message.contains(error), qPrintable(compiled.errors.first().message));
    QCOMPARE(compiled.errors.first().path, path);
}

void TestErrorPolicies::writtenJson_data()
{
    // "drop" and the other nulls leave the key out; the empty rule's "null" writes it as null.
    QTest::addColumn<QString>("rules");
    QTest::addColumn<QJsonValue>("input");
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QJsonObject>("object");
    const QJsonObject idOnly{{QStringLiteral("id"), 1}};
    const QJsonObject withNull{{QStringLiteral("id"), 1}, {QStringLiteral("out"), QJsonValue::Null}};
    const QJsonValue blank(QStringLiteral("   "));
    QTest::newRow("no rule: the empty text is sent")
        << QStringLiteral("[]") << blank << QByteArray(R"({"id":1,"out":"   "})")
        << QJsonObject{{QStringLiteral("id"), 1}, {QStringLiteral("out"), blank}};
    QTest::newRow("empty drop: the key is left out")
        << QStringLiteral(R"([{"rule": "empty", "then": "drop"}])") << blank << QByteArray(R"({"id":1})") << idOnly;
    QTest::newRow("empty null: the key is sent as null") << QStringLiteral(R"([{"rule": "empty", "then": "null"}])")
                                                         << blank << QByteArray(R"({"id":1,"out":null})") << withNull;
    QTest::newRow("empty null on a null source: sent as null")
        << QStringLiteral(R"([{"rule": "empty", "then": "null"}])") << QJsonValue(QJsonValue::Null)
        << QByteArray(R"({"id":1,"out":null})") << withNull;
    QTest::newRow("empty null on a missing source: left out")
        << QStringLiteral(R"([{"rule": "empty", "then": "null"}])") << missing << QByteArray(R"({"id":1})") << idOnly;
    QTest::newRow("on_error null: left out like every other null")
        << QStringLiteral(R"([{"rule": "number", "on_error": "null"}])") << QJsonValue(QStringLiteral("n/a"))
        << QByteArray(R"({"id":1})") << idOnly;
    QTest::newRow("empty null, then a rule that fills it")
        << QStringLiteral(R"([{"rule": "empty", "then": "null"}, {"rule": "default", "value": 0}])") << blank
        << QByteArray(R"({"id":1,"out":0})") << QJsonObject{{QStringLiteral("id"), 1}, {QStringLiteral("out"), 0}};
}

void TestErrorPolicies::writtenJson()
{
    QFETCH(QString, rules);
    QFETCH(QJsonValue, input);
    QFETCH(QByteArray, json);
    QFETCH(QJsonObject, object);
    const auto compiled = compileField(rulesFrom(rules), false);
    QVERIFY2(compiled.ok(), qPrintable(compiled.errors.value(0).message));
    const QJsonObject record = recordWith(input);
    const MappedRecord mapped = compiled.mapping->map(record);
    QVERIFY(mapped.ok());
    QCOMPARE(mapped.json(), json);
    QCOMPARE(mapped.record(), object);
    // From JSON text (strings kept as UTF-8) the same.
    RecordParser parser;
    QVERIFY(parser.parse(QJsonDocument(record).toJson(QJsonDocument::Compact)));
    QCOMPARE(compiled.mapping->map(parser.record()).json(), json);
}

void TestErrorPolicies::traceAndPreviewShowTheRecovery()
{
    const auto compiled = compileField(
        rulesFrom(QStringLiteral(
            R"([{"rule": "trim"}, {"rule": "phone", "on_error": "null"}, {"rule": "default", "value": "none"}])")),
        false);
    QVERIFY(compiled.ok());
    const QJsonObject record{{QStringLiteral("in"), QStringLiteral(" 555-01 ")}};

    // The step view: one note per rule that ran, the policy's on the phone step.
    const FieldTrace trace = compiled.mapping->traceField(record, 1);
    QCOMPARE(trace.ruleNames,
             (QStringList{QStringLiteral("trim"), QStringLiteral("phone"), QStringLiteral("default")}));
    QCOMPARE(trace.notes.size(), trace.ruleNames.size());
    QVERIFY(trace.notes.at(0).isEmpty());
    QVERIFY2(trace.notes.at(1).startsWith(QLatin1String("\"555-01\" is not")), qPrintable(trace.notes.at(1)));
    QVERIFY2(trace.notes.at(1).endsWith(QStringLiteral(" → null (on error: null)")), qPrintable(trace.notes.at(1)));
    QCOMPARE(trace.afterEachRule.at(1), QJsonValue(QJsonValue::Null));
    QVERIFY(trace.notes.at(2).isEmpty());
    QCOMPARE(trace.afterEachRule.at(2), QJsonValue(QStringLiteral("none")));
    QVERIFY(trace.error.message.isEmpty());

    // The preview's NDJSON line carries the recovery; a record without one has no "recovered" key.
    const MappedRecord mapped = compiled.mapping->map(record);
    QByteArray line;
    MappingPreview::writeLine(line, 0, mapped);
    const QJsonObject written = QJsonDocument::fromJson(line).object();
    QCOMPARE(written.value(QStringLiteral("record")).toObject().value(QStringLiteral("out")),
             QJsonValue(QStringLiteral("none")));
    QCOMPARE(written.value(QStringLiteral("errors")).toArray().size(), 0);
    const QJsonArray recovered = written.value(QStringLiteral("recovered")).toArray();
    QCOMPARE(recovered.size(), 1);
    QCOMPARE(recovered.first().toObject().value(QStringLiteral("field")), QJsonValue(QStringLiteral("out")));
    QCOMPARE(recovered.first().toObject().value(QStringLiteral("rule")), QJsonValue(QStringLiteral("phone")));
    QCOMPARE(recovered.first().toObject().value(QStringLiteral("input")), QJsonValue(QStringLiteral("555-01")));
    line.clear();
    MappingPreview::writeLine(line, 0,
                              compiled.mapping->map(QJsonObject{{QStringLiteral("in"), QStringLiteral("5125550142")}}));
    QVERIFY2(!line.contains("recovered"), line.constData());
}

void TestErrorPolicies::everyRuleTakesOnError()
{
    // The catalog gives every rule on_error and default, so the studio's form shows them everywhere.
    for (const RuleSpec *spec : RuleCatalog::builtin().specs()) {
        const auto onError = std::find_if(spec->params.cbegin(), spec->params.cend(),
                                          [](const RuleParam &p) { return p.name == QLatin1String("on_error"); });
        QVERIFY2(onError != spec->params.cend(), qPrintable(spec->name));
        QCOMPARE(onError->type, RuleParam::Type::Choice);
        QCOMPARE(onError->choices, (QStringList{QStringLiteral("error"), QStringLiteral("null"), QStringLiteral("keep"),
                                                QStringLiteral("default")}));
        QCOMPARE(onError->choiceLabels.size(), onError->choices.size());
        QVERIFY2(std::any_of(spec->params.cbegin(), spec->params.cend(),
                             [](const RuleParam &p) { return p.name == QLatin1String("default"); }),
                 qPrintable(spec->name));
    }
}

QTEST_APPLESS_MAIN(TestErrorPolicies)
#include "tst_errorpolicies.moc"
