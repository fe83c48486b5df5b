#include "core/io/recordreader.h"
#include "core/mapping/drift.h"
#include "core/mapping/schemainference.h"

#include <QJsonDocument>
#include <QTest>

using namespace transom;
using namespace transom::mapping;

class TestSchemaInference : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void infersFromFixtures();
    void typesNullsAndExamples();
    void schemaPath_data();
    void schemaPath();
};

namespace {

SchemaInference inferFile(const QString &path)
{
    SchemaInference schema;
    auto reader = io::RecordReader::open(path);
    io::SourceRecord r;
    while (reader.value()->next(r))
        schema.add(r.data);
    return schema;
}

} // namespace

void TestSchemaInference::infersFromFixtures()
{
    const SchemaInference schema = inferFile(QStringLiteral(TRANSOM_TEST_DATA "/fixtures/reso-property.json"));
    QCOMPARE(schema.recordCount(), 8);
    const FieldStats *unit = schema.field(QStringLiteral("UnitNumber"));
    QVERIFY(unit);
    QCOMPARE(unit->types, (QStringList{QStringLiteral("null"), QStringLiteral("string")}));
    QCOMPARE(schema.nullRate(*unit), 0.5);
    QCOMPARE(unit->examples, QStringList{QStringLiteral("4B")});
    const FieldStats *media = schema.field(QStringLiteral("Media[].MediaURL"));
    QVERIFY(media);
    QCOMPARE(media->present, 5); // five listings have photos
    QCOMPARE(media->examples.size(), 3);
    const FieldStats *price = schema.field(QStringLiteral("ListPrice"));
    QCOMPARE(price->types, QStringList{QStringLiteral("number")});
    QCOMPARE(price->examples.first(), QStringLiteral("425000"));
    QCOMPARE(schema.fields().first().path, QStringLiteral("BathroomsTotalInteger")); // QJsonObject keeps keys sorted
    QCOMPARE(schema.toJson().size(), schema.fields().size());
}

void TestSchemaInference::typesNullsAndExamples()
{
    SchemaInference schema;
    schema.add(QJsonDocument::fromJson(R"({"a": 1, "b": {"c": "x"}, "tags": ["t1", "t2"]})").object());
    schema.add(QJsonDocument::fromJson(R"({"a": "one", "b": null})").object());
    schema.add(QJsonDocument::fromJson(R"({"a": null, "tags": []})").object());
    schema.add(QJsonObject{});
    const FieldStats *a = schema.field(QStringLiteral("a"));
    QCOMPARE(a->types, (QStringList{QStringLiteral("number"), QStringLiteral("string"), QStringLiteral("null")}));
    QCOMPARE(a->present, 3);
    QCOMPARE(schema.nullRate(*a), 0.5); // one null, one missing, of four
    QCOMPARE(a->examples, (QStringList{QStringLiteral("1"), QStringLiteral("one")}));
    QCOMPARE(schema.field(QStringLiteral("b.c"))->present, 1);
    QCOMPARE(schema.field(QStringLiteral("tags[]"))->examples,
             (QStringList{QStringLiteral("t1"), QStringLiteral("t2")}));
    QVERIFY(schema.field(QStringLiteral("tags"))->isContainerOnly());
    QVERIFY(!schema.field(QStringLiteral("b"))->isContainerOnly()); // it was null once
}

void TestSchemaInference::schemaPath_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("expected");
    QTest::newRow("plain") << "phone"
                           << "phone";
    QTest::newRow("index") << "person.emails[0].value"
                           << "person.emails[].value";
    QTest::newRow("two indices") << "m[10][2]"
                                 << "m[][]";
}

void TestSchemaInference::schemaPath()
{
    QFETCH(QString, path);
    QFETCH(QString, expected);
    QCOMPARE(SchemaInference::schemaPath(path), expected);
}

QTEST_APPLESS_MAIN(TestSchemaInference)
#include "tst_schemainference.moc"
