// Loading and compiling mapping documents: every problem named with file, line, column and path.
#include "core/mapping/mappingcompiler.h"
#include "core/mapping/sourcerecord.h"

#include <QJsonDocument>
#include <QTest>

using namespace transom;
using namespace transom::mapping;

class TestMappingCompiler : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void documentErrors_data();
    void documentErrors();
    void compileErrorsAreAllReportedWithPositions();
    void conflictingTargets_data();
    void conflictingTargets();
    void brokenFieldsAreLeftOutButTheRestCompiles();
    void writtenJsonLeavesOutEmptyObjectsAndLists_data();
    void writtenJsonLeavesOutEmptyObjectsAndLists();
    void roundTripKeepsTheDocument();
    void traceShowsEachStep();
    void catalogDescribesEveryRule();
};

void TestMappingCompiler::documentErrors_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("error");
    QTest::newRow("syntax: missing comma")
        << QByteArray("{\n  \"transom_mapping\": 1\n  \"fields\": []\n}") << 3 << 4 << QStringLiteral("not valid JSON");
    QTest::newRow("syntax: truncated") << QByteArray("{\"transom_mapping\": 1, \"fields\": [") << 1 << 35
                                       << QStringLiteral("not valid JSON");
    QTest::newRow("not an object") << QByteArray("[1, 2]") << 1 << 1 << QStringLiteral("must be a JSON object");
    QTest::newRow("no format number") << QByteArray("{\"fields\": []}") << 1 << 1
                                      << QStringLiteral("not a Transom mapping");
    QTest::newRow("newer format") << QByteArray("{\"transom_mapping\": 9, \"fields\": []}") << 1 << 21
                                  << QStringLiteral("newer than this Transom");
    QTest::newRow("no fields") << QByteArray("{\"transom_mapping\": 1}") << 1 << 1
                               << QStringLiteral("needs a \"fields\" list");
    QTest::newRow("field without target")
        << QByteArray("{\"transom_mapping\": 1,\n \"fields\": [\n  {\"from\": \"a\"}]}") << 3 << 3
        << QStringLiteral("no \"target\"");
    QTest::newRow("from is a number") << QByteArray(
                                             "{\"transom_mapping\": 1, \"fields\": [{\"target\": \"a\", \"from\": 5}]}")
                                      << 1 << 59 << QStringLiteral("\"from\" must be");
    QTest::newRow("rule is text")
        << QByteArray(
               "{\"transom_mapping\": 1, \"fields\": [{\"target\": \"a\", \"from\": \"b\", \"rules\": [\"trim\"]}]}")
        << 1 << 74 << QStringLiteral("must be an object");
    QTest::newRow("empty file") << QByteArray("") << 1 << 1 << QStringLiteral("not valid JSON");
    QTest::newRow("binary junk") << QByteArray("\x00\xff\xfe{", 4) << 1 << 2 << QStringLiteral("not valid JSON");
}

void TestMappingCompiler::documentErrors()
{
    QFETCH(QByteArray, json);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(QString, error);
    const auto doc = MappingDocument::parse(json, QStringLiteral("m.json"));
    QVERIFY(!doc.ok());
    QVERIFY2(doc.error().message.contains(error), qPrintable(doc.error().toString()));
    QCOMPARE(doc.error().file, QStringLiteral("m.json"));
    QCOMPARE(doc.error().line, line);
    QCOMPARE(doc.error().column, column);
    QVERIFY(doc.error().toString().startsWith(QStringLiteral("m.json:%1:%2: ").arg(line).arg(column)));
}

void TestMappingCompiler::compileErrorsAreAllReportedWithPositions()
{
    const QByteArray json = R"({
  "transom_mapping": 1,
  "fields": [
    {"target": "a", "from": "x", "rules": [{"rule": "titlecase"}]},
    {"target": "b", "from": "y",
     "rules": [{"rule": "phone", "region": "Texas"}]},
    {"target": "c", "from": "z..q"},
    {"target": "d"}
  ]
})";
    const auto doc = MappingDocument::parse(json, QStringLiteral("leads.json"));
    QVERIFY(doc.ok());
    const auto result = MappingCompiler::compile(doc.value());
    QCOMPARE(result.errors.size(), 4);
    QCOMPARE(result.errors.at(0).toString().left(20), QStringLiteral("leads.json:4:53: fie"));
    QVERIFY(result.errors.at(0).message.contains(QStringLiteral("unknown rule \"titlecase\"")));
    QCOMPARE(result.errors.at(0).path, QStringLiteral("fields[0].rules[0].rule"));
    QCOMPARE(result.errors.at(1).line, 6);
    QCOMPARE(result.errors.at(1).column, 44);
    QCOMPARE(result.errors.at(1).path, QStringLiteral("fields[1].rules[0].region"));
    QVERIFY(result.errors.at(1).message.contains(QStringLiteral("\"Texas\" is not a region code")));
    QCOMPARE(result.errors.at(2).line, 7);
    QVERIFY(result.errors.at(2).message.contains(QStringLiteral("empty key")));
    QCOMPARE(result.errors.at(3).line, 8);
    QVERIFY(result.errors.at(3).message.contains(QStringLiteral("no \"from\" source")));
}

void TestMappingCompiler::conflictingTargets_data()
{
    QTest::addColumn<QString>("first");
    QTest::addColumn<QString>("second");
    QTest::newRow("same target") << QStringLiteral("person.name") << QStringLiteral("person.name");
    QTest::newRow("value then object") << QStringLiteral("person") << QStringLiteral("person.name");
    QTest::newRow("object then value") << QStringLiteral("person.name") << QStringLiteral("person");
    QTest::newRow("object then list") << QStringLiteral("tags.a") << QStringLiteral("tags[0]");
    QTest::newRow("list then object") << QStringLiteral("tags[0]") << QStringLiteral("tags.a");
    QTest::newRow("list at the root") << QStringLiteral("a") << QStringLiteral("[0]");
}

void TestMappingCompiler::conflictingTargets()
{
    QFETCH(QString, first);
    QFETCH(QString, second);
    MappingDocument doc;
    doc.fields = {FieldMapping{first, {QStringLiteral("x")}, {}, false, {}},
                  FieldMapping{second, {QStringLiteral("y")}, {}, false, {}}};
    const auto result = MappingCompiler::compile(doc);
    QCOMPARE(result.errors.size(), 1);
    QVERIFY2(result.errors.first().message.contains(QStringLiteral("another field")) ||
                 result.errors.first().message.contains(QStringLiteral("array index")),
             qPrintable(result.errors.first().message));
    QCOMPARE(result.mapping->fieldCount(), 1);
}

void TestMappingCompiler::brokenFieldsAreLeftOutButTheRestCompiles()
{
    MappingDocument doc;
    doc.sourceIdField = QStringLiteral("id");
    doc.fields = {FieldMapping{QStringLiteral("ok"), {QStringLiteral("a")}, {}, false, {}},
                  FieldMapping{QStringLiteral("bad"),
                               {QStringLiteral("b")},
                               QJsonArray{QJsonObject{{QStringLiteral("rule"), QStringLiteral("nope")}}},
                               false,
                               {}}};
    const auto result = MappingCompiler::compile(doc);
    QVERIFY(!result.ok());
    QCOMPARE(result.mapping->fieldCount(), 1);
    const MappedRecord mapped = result.mapping->map(QJsonObject{{QStringLiteral("id"), 9}, {QStringLiteral("a"), 1}});
    QCOMPARE(mapped.sourceId, QStringLiteral("9"));
    QCOMPARE(mapped.record(), (QJsonObject{{QStringLiteral("ok"), 1}}));
}

void TestMappingCompiler::writtenJsonLeavesOutEmptyObjectsAndLists_data()
{
    QTest::addColumn<QString>("record");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("everything") << QStringLiteral("{\"a\": 1, \"b\": \"x\", \"c\": true, \"d\": \"y\"}")
                                << QByteArray("{\"p\":{\"q\":{\"r\":1},\"list\":[{\"s\":\"x\"},\"y\"]},\"t\":true}");
    QTest::newRow("deepest missing") << QStringLiteral("{\"b\": \"x\", \"c\": true, \"d\": \"y\"}")
                                     << QByteArray("{\"p\":{\"list\":[{\"s\":\"x\"},\"y\"]},\"t\":true}");
    QTest::newRow("first list item missing")
        << QStringLiteral("{\"a\": 1, \"d\": \"y\"}") << QByteArray("{\"p\":{\"q\":{\"r\":1},\"list\":[\"y\"]}}");
    QTest::newRow("only the last field") << QStringLiteral("{\"c\": false}") << QByteArray("{\"t\":false}");
    QTest::newRow("nothing") << QStringLiteral("{}") << QByteArray("{}");
    QTest::newRow("nulls are left out") << QStringLiteral("{\"a\": null, \"b\": null, \"c\": null, \"d\": null}")
                                        << QByteArray("{}");
}

// The writer's output, field by field in mapping order, is the object record() assembles, with
// every object and list that ends up empty left out.
void TestMappingCompiler::writtenJsonLeavesOutEmptyObjectsAndLists()
{
    QFETCH(QString, record);
    QFETCH(QByteArray, expected);
    MappingDocument doc;
    doc.fields = {FieldMapping{QStringLiteral("p.q.r"), {QStringLiteral("a")}, {}, false, {}},
                  FieldMapping{QStringLiteral("p.list[0].s"), {QStringLiteral("b")}, {}, false, {}},
                  FieldMapping{QStringLiteral("p.list[1]"), {QStringLiteral("d")}, {}, false, {}},
                  FieldMapping{QStringLiteral("t"), {QStringLiteral("c")}, {}, false, {}}};
    const auto result = MappingCompiler::compile(doc);
    QVERIFY(result.ok());
    const QJsonObject source = QJsonDocument::fromJson(record.toUtf8()).object();
    const MappedRecord mapped = result.mapping->map(source);
    QCOMPARE(mapped.json(), expected);
    QCOMPARE(QJsonDocument::fromJson(mapped.json()).object(), mapped.record());
    RecordParser parser;
    QVERIFY(parser.parse(record.toUtf8()));
    QCOMPARE(result.mapping->map(parser.record()).json(), expected);
}

void TestMappingCompiler::roundTripKeepsTheDocument()
{
    const auto doc =
        MappingDocument::load(QStringLiteral(TRANSOM_RESOURCES "/mappings/portal-leads-to-crm-event.json"));
    QVERIFY(doc.ok());
    const auto again = MappingDocument::parse(doc->toJsonText());
    QVERIFY(again.ok());
    QCOMPARE(again->toJson(), doc->toJson());
    QCOMPARE(again->fields.size(), doc->fields.size());
    QCOMPARE(again->knownSourceFields, doc->knownSourceFields);
    QCOMPARE(again->targetFields.size(), doc->targetFields.size());
    QVERIFY(again->targetFields.first().required);
    QVERIFY(MappingCompiler::compile(again.value()).ok());
}

void TestMappingCompiler::traceShowsEachStep()
{
    MappingDocument doc;
    doc.fields = {FieldMapping{
        QStringLiteral("name"),
        {QStringLiteral("n")},
        QJsonArray{QJsonObject{{QStringLiteral("rule"), QStringLiteral("trim")}},
                   QJsonObject{{QStringLiteral("rule"), QStringLiteral("case")},
                               {QStringLiteral("mode"), QStringLiteral("upper")}},
                   QJsonObject{{QStringLiteral("rule"), QStringLiteral("truncate")}, {QStringLiteral("max"), 3}}},
        true,
        {}}};
    const auto result = MappingCompiler::compile(doc);
    QVERIFY(result.ok());
    const FieldTrace trace =
        result.mapping->traceField(QJsonObject{{QStringLiteral("n"), QStringLiteral("  maria ")}}, 0);
    QCOMPARE(trace.input, QJsonValue(QStringLiteral("  maria ")));
    QCOMPARE(trace.ruleNames, (QStringList{QStringLiteral("trim"), QStringLiteral("case"), QStringLiteral("truncate"),
                                           QStringLiteral("required")}));
    QCOMPARE(trace.afterEachRule.at(0), QJsonValue(QStringLiteral("maria")));
    QCOMPARE(trace.afterEachRule.at(1), QJsonValue(QStringLiteral("MARIA")));
    QCOMPARE(trace.afterEachRule.at(2), QJsonValue(QStringLiteral("MAR")));
    QVERIFY(trace.error.message.isEmpty());
    const FieldTrace failed = result.mapping->traceField(QJsonObject{}, 0);
    QCOMPARE(failed.error.rule, QStringLiteral("required"));
}

void TestMappingCompiler::catalogDescribesEveryRule()
{
    const QStringList expected = {QStringLiteral("trim"),          QStringLiteral("collapse_whitespace"),
                                  QStringLiteral("case"),          QStringLiteral("truncate"),
                                  QStringLiteral("email"),         QStringLiteral("regex_extract"),
                                  QStringLiteral("regex_replace"), QStringLiteral("template"),
                                  QStringLiteral("name_split"),    QStringLiteral("constant"),
                                  QStringLiteral("default"),       QStringLiteral("required"),
                                  QStringLiteral("empty"),         QStringLiteral("boolean"),
                                  QStringLiteral("value_map"),     QStringLiteral("lookup"),
                                  QStringLiteral("phone"),         QStringLiteral("datetime"),
                                  QStringLiteral("money"),         QStringLiteral("number")};
    QStringList names;
    for (const RuleSpec *spec : RuleCatalog::builtin().specs()) {
        names.append(spec->name);
        QVERIFY2(!spec->summary.isEmpty(), qPrintable(spec->name));
        QVERIFY(!spec->category.isEmpty());
    }
    QCOMPARE(names, expected);
}

QTEST_APPLESS_MAIN(TestMappingCompiler)
#include "tst_mappingcompiler.moc"
