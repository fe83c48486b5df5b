// RecordParser (simdjson) must answer every path exactly as a QJsonObject does, say clearly why text
// is not a record, and map records to the same output as the QJsonObject path.
#include "core/io/recordreader.h"
#include "core/mapping/mappingcompiler.h"
#include "core/mapping/rule.h"
#include "core/mapping/sourcerecord.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace transom::mapping;

class TestSourceRecord : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void samePathsAsQJsonObject_data();
    void samePathsAsQJsonObject();
    void notARecord_data();
    void notARecord();
    void readsWhatQtReads_data();
    void readsWhatQtReads();
    void wholeRecord();
    void reuseKeepsNothingFromThePreviousRecord();
    void sameMappedOutputOnFixtures_data();
    void sameMappedOutputOnFixtures();
    void recordsKeepTheSourceText_data();
    void recordsKeepTheSourceText();
};

void TestSourceRecord::samePathsAsQJsonObject_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("path");
    const QByteArray lead = R"({"lead_id": "ZL-1", "n": 42, "big": 12345678901234567890, "neg": -7, "f": 599999.99,
        "yes": true, "nothing": null, "empty": "", "name": "Zoë Núñez 李", "esc": "a\"b\\c\n\u00e9\ud83d\ude00",
        "property": {"address": "1 Oak St", "geo": {"lat": 30.2}}, "emails": [{"value": "a@b.c"}, {"value": "d@e.f"}],
        "tags": ["x", 2, null], "k.with.dots": "dotted", "nested": {"list": [[1, 2], [3]]}})";
    const char *paths[] = {"lead_id",
                           "n",
                           "big",
                           "neg",
                           "f",
                           "yes",
                           "nothing",
                           "empty",
                           "name",
                           "esc",
                           "property.address",
                           "property.geo.lat",
                           "property.geo",
                           "property",
                           "emails[0].value",
                           "emails[1].value",
                           "emails[2].value",
                           "emails[0]",
                           "emails",
                           "tags[1]",
                           "tags[2]",
                           "tags[3]",
                           "[\"k.with.dots\"]",
                           "nested.list[0][1]",
                           "nested.list[1][0]",
                           "missing",
                           "lead_id.deeper",
                           "emails.value",
                           "property[0]",
                           "n[0]"};
    for (const char *path : paths)
        QTest::newRow(path) << lead << QString::fromUtf8(path);
}

void TestSourceRecord::samePathsAsQJsonObject()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, path);
    const QJsonObject object = QJsonDocument::fromJson(json).object();
    QVERIFY(!object.isEmpty());
    RecordParser parser;
    QString error;
    QVERIFY2(parser.parse(json, &error), qPrintable(error));
    const auto parsed = FieldPath::parse(path);
    QVERIFY(parsed);
    const QJsonValue expected = parsed->valueIn(object);
    const QJsonValue got = parser.record().value(parsed.value()).toJson();
    QCOMPARE(got.type(), expected.type());
    QCOMPARE(got, expected);
    QCOMPARE(ObjectRecord(object).value(parsed.value()).toJson(), expected);
}

void TestSourceRecord::notARecord_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("reason");
    QTest::newRow("empty") << QByteArray() << QStringLiteral("not valid JSON");
    QTest::newRow("truncated") << QByteArray(R"({"a": "b)") << QStringLiteral("not valid JSON");
    QTest::newRow("trailing comma") << QByteArray(R"({"a": 1,})") << QStringLiteral("not valid JSON");
    // Bytes that are not UTF-8 are never read as U+FFFD (as Qt's reader, the fallback, would).
    QTest::newRow("bad utf-8") << QByteArray("{\"a\": \"\xff\xfe\"}")
                               << QStringLiteral("not valid UTF-8 at byte offset 7 (line 1, column 8)");
    QTest::newRow("surrogate in utf-8") << QByteArray("{\"a\":\n \"x\xed\xa0\x80\"}")
                                        << QStringLiteral("not valid UTF-8 at byte offset 9 (line 2, column 4)");
    QTest::newRow("overlong utf-8") << QByteArray("{\"a\": \"\xc0\xaf\"}")
                                    << QStringLiteral("not valid UTF-8 at byte offset 7");
    QTest::newRow("bad utf-8 with a bad escape too")
        << QByteArray("{\"a\": \"\\q\xff\"}") << QStringLiteral("not valid UTF-8 at byte offset 9");
    // The reader and its conversions recurse once per level: 1024 levels at most.
    QTest::newRow("nested 100,000 deep") << QByteArray("{\"a\":") + QByteArray("[").repeated(100000) +
                                                QByteArray("]").repeated(100000) + "}"
                                         << QStringLiteral("the JSON nests deeper than 1024 levels at byte 1028");
    QTest::newRow("array") << QByteArray("[1, 2]") << QStringLiteral("a JSON array, not an object");
    QTest::newRow("number") << QByteArray("42") << QStringLiteral("a single JSON value, not an object");
    QTest::newRow("string") << QByteArray(R"("lead")") << QStringLiteral("a single JSON value, not an object");
    QTest::newRow("two objects") << QByteArray(R"({"a": 1} {"b": 2})") << QStringLiteral("not valid JSON");
    QTest::newRow("injection text") << QByteArray(R"('; DROP TABLE leads; --)") << QStringLiteral("not valid JSON");
}

void TestSourceRecord::notARecord()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, reason);
    RecordParser parser;
    QString error;
    QVERIFY(!parser.parse(json, &error));
    QVERIFY2(error.startsWith(reason), qPrintable(error));
    // Nothing is left readable from a failed parse.
    QVERIFY(parser.record().value(FieldPath::parse(QStringLiteral("a")).value()).isUndefined());
    QCOMPARE(parser.toObject(), QJsonObject());
}

void TestSourceRecord::readsWhatQtReads_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("path");
    QTest::newRow("byte-order mark") << QByteArray("\xEF\xBB\xBF{\"a\": \"x\"}") << QStringLiteral("a");
    QTest::newRow("integer wider than 64 bits") << QByteArray(R"({"a": 123456789012345678901})") << QStringLiteral("a");
    QTest::newRow("duplicate keys: the last wins") << QByteArray(R"({"a": "old", "a": "new"})") << QStringLiteral("a");
    QTest::newRow("duplicate nested keys") << QByteArray(R"({"p": {"c": 1, "c": 2}})") << QStringLiteral("p.c");
    QTest::newRow("whole number written with a fraction") << QByteArray(R"({"id": 1000000.0})") << QStringLiteral("id");
    QTest::newRow("negative zero") << QByteArray(R"({"n": -0.0})") << QStringLiteral("n");
    QTest::newRow("fraction") << QByteArray(R"({"n": 599999.99})") << QStringLiteral("n");
    QTest::newRow("huge double") << QByteArray(R"({"n": 1e300})") << QStringLiteral("n");
    // Keys are compared a word at a time: near misses of every length class, either order.
    const char *const pairs[][2] = {{"ab", "ac"},
                                    {"abc", "abd"},
                                    {"abcd", "abed"},
                                    {"abcdefg", "abcXefg"},
                                    {"abcdefgh", "abcdXfgh"},
                                    {"abcdefghi", "abcdefghX"},
                                    {"abcdefghijklmnop", "abcdefghXjklmnop"},
                                    {"abcdefghijklmnopq", "abcdefghijklmnopX"},
                                    {"lead_id", "lead_ix"}};
    for (const auto &[a, b] : pairs) {
        const QByteArray text = QByteArray("{\"") + a + "\": 1, \"" + b + "\": 2}";
        QTest::newRow(qPrintable(QStringLiteral("near-miss key %1").arg(QString::fromLatin1(a))))
            << text << QString::fromLatin1(a);
        QTest::newRow(qPrintable(QStringLiteral("near-miss key %1").arg(QString::fromLatin1(b))))
            << text << QString::fromLatin1(b);
        QTest::newRow(qPrintable(QStringLiteral("absent key %1x").arg(QString::fromLatin1(a))))
            << text << QString::fromLatin1(a) + QLatin1Char('x');
    }
}

// Text QJsonDocument accepts reads the same through RecordParser (falling back where simdjson is
// stricter), values included, and prints the same text for the mapping.
void TestSourceRecord::readsWhatQtReads()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, path);
    QJsonParseError qtError;
    const QJsonObject object = QJsonDocument::fromJson(json, &qtError).object();
    QCOMPARE(qtError.error, QJsonParseError::NoError);
    RecordParser parser;
    QString error;
    QVERIFY2(parser.parse(json, &error), qPrintable(error));
    const FieldPath p = FieldPath::parse(path).value();
    const Value fromText = parser.record().value(p);
    const Value fromObject = ObjectRecord(object).value(p);
    QCOMPARE(fromText.toJson(), fromObject.toJson());
    QString a, b;
    QCOMPARE(scalarText(fromText, a), scalarText(fromObject, b));
    QCOMPARE(a, b);
}

void TestSourceRecord::wholeRecord()
{
    const QByteArray json = R"({ "a" : [1, 2.5, "x"], "b": {"c": null, "d": true}, "e": "Zoë" })";
    RecordParser parser;
    QVERIFY(parser.parse(json));
    QCOMPARE(parser.toObject(), QJsonDocument::fromJson(json).object());
    QCOMPARE(parser.json(), QByteArray(R"({"a":[1,2.5,"x"],"b":{"c":null,"d":true},"e":"Zoë"})"));
    // A megabyte string survives whole.
    const QByteArray big = "{\"s\": \"" + QByteArray(1 << 20, 'x') + "\"}";
    QVERIFY(parser.parse(big));
    QCOMPARE(parser.record().value(FieldPath::parse(QStringLiteral("s")).value()).toString().size(), 1 << 20);
}

void TestSourceRecord::reuseKeepsNothingFromThePreviousRecord()
{
    RecordParser parser;
    QVERIFY(parser.parse(R"({"a": "first", "b": "only in the first"})"));
    QVERIFY(parser.parse(R"({"a": "second"})"));
    QCOMPARE(parser.record().value(FieldPath::parse(QStringLiteral("a")).value()).toString(), QStringLiteral("second"));
    QVERIFY(parser.record().value(FieldPath::parse(QStringLiteral("b")).value()).isUndefined());
}

void TestSourceRecord::sameMappedOutputOnFixtures_data()
{
    QTest::addColumn<QString>("folder");
    const QDir root(QStringLiteral(TRANSOM_TEST_DATA "/mappings"));
    for (const QString &name : root.entryList(QDir::Dirs | QDir::NoDotAndDotDot))
        QTest::newRow(qPrintable(name)) << root.filePath(name);
}

// Every record of the golden mapping cases, mapped from RecordParser and from QJsonObject: the same
// output and the same field errors.
void TestSourceRecord::sameMappedOutputOnFixtures()
{
    QFETCH(QString, folder);
    const QDir dir(folder);
    auto doc = MappingDocument::load(dir.filePath(QStringLiteral("mapping.json")));
    QVERIFY2(doc, qPrintable(doc ? QString() : doc.error().toString()));
    const auto compiled = MappingCompiler::compile(doc.value());
    QVERIFY(compiled.ok());
    const QStringList sources = dir.entryList({QStringLiteral("source.*")});
    QCOMPARE(sources.size(), 1);
    auto reader = transom::io::RecordReader::open(dir.filePath(sources.first()));
    QVERIFY(reader);
    RecordParser parser;
    transom::io::SourceRecord record;
    int count = 0;
    while (reader.value()->next(record)) {
        if (!record.problem.isEmpty())
            continue;
        QVERIFY(parser.parse(QJsonDocument(record.data).toJson(QJsonDocument::Compact)));
        const MappedRecord viaObject = compiled.mapping->map(record.data);
        const MappedRecord viaParser = compiled.mapping->map(parser.record());
        QCOMPARE(viaParser.sourceId, viaObject.sourceId);
        QCOMPARE(viaParser.json(), viaObject.json());
        QCOMPARE(QJsonDocument::fromJson(viaParser.json()).object(), viaObject.record());
        QCOMPARE(viaParser.errors.size(), viaObject.errors.size());
        for (qsizetype i = 0; i < viaObject.errors.size(); ++i)
            QCOMPARE(viaParser.errors.at(i).toJson(), viaObject.errors.at(i).toJson());
        ++count;
    }
    QVERIFY(count > 0);
}

void TestSourceRecord::recordsKeepTheSourceText_data()
{
    QTest::addColumn<QByteArray>("page");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArrayList>("records");
    QTest::newRow("top-level list") << QByteArray("[{\"a\":1},{\"b\":\"x y\"}]") << QString()
                                    << QByteArrayList{"{\"a\":1}", "{\"b\":\"x y\"}"};
    // The source's own spelling of numbers and escapes is kept: it is what the source sent.
    QTest::newRow("nested, as sent") << QByteArray(
                                            "{\"data\":{\"leads\":[{\"n\":1.50,\"e\":\"\\u00e9\\/\"}]},\"next\":null}")
                                     << QStringLiteral("data.leads")
                                     << QByteArrayList{"{\"n\":1.50,\"e\":\"\\u00e9\\/\"}"};
    QTest::newRow("space between records") << QByteArray("{\"leads\": [{\"a\":1} ,\n {\"b\":2}\n]}")
                                           << QStringLiteral("leads") << QByteArrayList{"{\"a\":1}", "{\"b\":2}"};
    QTest::newRow("pretty records are written compact")
        << QByteArray("{\"leads\": [ {\"a\": 1, \"s\": \"two  words\"},\n {\"b\":2} ]}") << QStringLiteral("leads")
        << QByteArrayList{"{\"a\":1,\"s\":\"two  words\"}", "{\"b\":2}"};
    QTest::newRow("pretty, escapes and numbers as sent")
        << QByteArray(
               "{\"leads\":[\n  {\"q\": \"say \\\"hi\\\" \\\\\",\t\"n\" : 1.50,\r\n   \"l\": [ 1, {\"x\": null} ]}\n]}")
        << QStringLiteral("leads")
        << QByteArrayList{"{\"q\":\"say \\\"hi\\\" \\\\\",\"n\":1.50,\"l\":[1,{\"x\":null}]}"};
    QTest::newRow("duplicate key: the last wins") << QByteArray("{\"leads\":[{\"a\":1}],\"leads\":[{\"b\":2}]}")
                                                  << QStringLiteral("leads") << QByteArrayList{"{\"b\":2}"};
    QTest::newRow("index on the way") << QByteArray(
                                             "{\"pages\":[{\"x\":[{\"a\":0}]},{\"x\":[{\"a\":1},{\"a\":2.50}]}]}")
                                      << QStringLiteral("pages[1].x") << QByteArrayList{"{\"a\":1}", "{\"a\":2.50}"};
    QTest::newRow("not only objects") << QByteArray("{\"leads\":[{\"a\":1},2,\"s\"]}") << QStringLiteral("leads")
                                      << QByteArrayList{"{\"a\":1}", "2", "\"s\""};
    QTest::newRow("escaped key") << QByteArray("{\"le\\u0061ds\":[{\"a\":1}]}") << QStringLiteral("leads")
                                 << QByteArrayList{"{\"a\":1}"};
}

void TestSourceRecord::recordsKeepTheSourceText()
{
    QFETCH(QByteArray, page);
    QFETCH(QString, path);
    QFETCH(QByteArrayList, records);
    FieldPath at;
    if (!path.isEmpty())
        at = FieldPath::parse(path).value();
    RecordParser parser;
    QVERIFY(parser.parseDocument(page));
    QList<QByteArray> got;
    QCOMPARE(parser.recordsAt(at, got), qsizetype(records.size()));
    QCOMPARE(got, records);
    // Whatever their spelling, they are the records QJsonDocument reads there.
    const QJsonDocument doc = QJsonDocument::fromJson(page);
    const QJsonArray list = path.isEmpty() ? doc.array() : at.valueIn(doc.object()).toArray();
    QCOMPARE(list.size(), got.size());
    for (qsizetype i = 0; i < got.size(); ++i)
        QCOMPARE(QJsonDocument::fromJson("[" + got.at(i) + "]").array().at(0), list.at(i));
}

QTEST_APPLESS_MAIN(TestSourceRecord)
#include "tst_sourcerecord.moc"
