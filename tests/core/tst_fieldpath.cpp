#include "core/mapping/fieldpath.h"

#include <QJsonDocument>
#include <QTest>

using transom::mapping::FieldPath;

class TestFieldPath : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parse_data();
    void parse();
    void valueIn_data();
    void valueIn();
};

void TestFieldPath::parse_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("segments"); // keys as-is, indices as "#n"
    QTest::addColumn<QString>("error");
    QTest::newRow("plain") << QStringLiteral("phone") << QStringList{QStringLiteral("phone")} << QString();
    QTest::newRow("nested") << QStringLiteral("property.address")
                            << QStringList{QStringLiteral("property"), QStringLiteral("address")} << QString();
    QTest::newRow("array") << QStringLiteral("person.emails[0].value")
                           << QStringList{QStringLiteral("person"), QStringLiteral("emails"), QStringLiteral("#0"),
                                          QStringLiteral("value")}
                           << QString();
    QTest::newRow("nested arrays") << QStringLiteral("m[1][2]")
                                   << QStringList{QStringLiteral("m"), QStringLiteral("#1"), QStringLiteral("#2")}
                                   << QString();
    QTest::newRow("quoted key with dots")
        << QStringLiteral("[\"@odata.nextLink\"]") << QStringList{QStringLiteral("@odata.nextLink")} << QString();
    QTest::newRow("quoted key after key")
        << QStringLiteral("a['b.c'].d") << QStringList{QStringLiteral("a"), QStringLiteral("b.c"), QStringLiteral("d")}
        << QString();
    QTest::newRow("unicode key") << QStringLiteral("dirección.código")
                                 << QStringList{QStringLiteral("dirección"), QStringLiteral("código")} << QString();
    QTest::newRow("empty") << QString() << QStringList{} << QStringLiteral("the path is empty");
    QTest::newRow("double dot") << QStringLiteral("a..b") << QStringList{} << QStringLiteral("empty key");
    QTest::newRow("trailing dot") << QStringLiteral("a.") << QStringList{} << QStringLiteral("ends with a dot");
    QTest::newRow("leading dot") << QStringLiteral(".a") << QStringList{} << QStringLiteral("empty key");
    QTest::newRow("bad index") << QStringLiteral("a[x]") << QStringList{} << QStringLiteral("must be a number");
    QTest::newRow("negative index") << QStringLiteral("a[-1]") << QStringList{} << QStringLiteral("must be a number");
    QTest::newRow("unclosed bracket") << QStringLiteral("a[0") << QStringList{} << QStringLiteral("must be a number");
    QTest::newRow("stray bracket") << QStringLiteral("a]") << QStringList{} << QStringLiteral("unexpected ']'");
    QTest::newRow("key after index without dot")
        << QStringLiteral("a[0]b") << QStringList{} << QStringLiteral("expected '.' or '['");
    QTest::newRow("unterminated quote") << QStringLiteral("[\"abc") << QStringList{} << QStringLiteral("unterminated");
    QTest::newRow("huge index") << QStringLiteral("a[99999999999]") << QStringList{} << QStringLiteral("out of range");
    // Records are built one level per step (CSV headers, mapped targets): a path has at most 64.
    QStringList sixtyFour;
    for (int i = 0; i < 64; ++i)
        sixtyFour.append(QStringLiteral("k"));
    QTest::newRow("64 steps, the most allowed") << sixtyFour.join(QLatin1Char('.')) << sixtyFour << QString();
    QTest::newRow("65 steps") << (sixtyFour + QStringList{QStringLiteral("k")}).join(QLatin1Char('.')) << QStringList{}
                              << QStringLiteral("at character 129: the path has more than 64 steps");
    QTest::newRow("100,000 indices") << QStringLiteral("a") + QStringLiteral("[0]").repeated(100000) << QStringList{}
                                     << QStringLiteral("the path has more than 64 steps");
    QTest::newRow("long path quoted short")
        << QStringLiteral("a.").repeated(5000) << QStringList{} << QStringLiteral("\"a.a.a.a.");
}

void TestFieldPath::parse()
{
    QFETCH(QString, text);
    QFETCH(QStringList, segments);
    QFETCH(QString, error);
    const auto path = FieldPath::parse(text);
    if (!error.isEmpty()) {
        QVERIFY(!path.ok());
        QVERIFY2(path.error().message.contains(error), qPrintable(path.error().message));
        return;
    }
    QVERIFY2(path.ok(), qPrintable(path.ok() ? QString() : path.error().message));
    QStringList actual;
    for (const FieldPath::Segment &s : path->segments())
        actual.append(s.isIndex() ? QStringLiteral("#%1").arg(s.index) : s.key);
    QCOMPARE(actual, segments);
    QCOMPARE(path->text(), text);
}

void TestFieldPath::valueIn_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QJsonValue>("expected");
    QTest::newRow("top") << QStringLiteral("lead_id") << QJsonValue(QStringLiteral("ZL-1"));
    QTest::newRow("nested") << QStringLiteral("property.city") << QJsonValue(QStringLiteral("Austin"));
    QTest::newRow("array element") << QStringLiteral("emails[1].value") << QJsonValue(QStringLiteral("b@x.com"));
    QTest::newRow("null is null") << QStringLiteral("unit") << QJsonValue(QJsonValue::Null);
    QTest::newRow("missing key") << QStringLiteral("nope") << QJsonValue(QJsonValue::Undefined);
    QTest::newRow("index past end") << QStringLiteral("emails[5].value") << QJsonValue(QJsonValue::Undefined);
    QTest::newRow("index into object") << QStringLiteral("property[0]") << QJsonValue(QJsonValue::Undefined);
    QTest::newRow("key into array") << QStringLiteral("emails.value") << QJsonValue(QJsonValue::Undefined);
    QTest::newRow("key into string") << QStringLiteral("lead_id.x") << QJsonValue(QJsonValue::Undefined);
    QTest::newRow("dotted key") << QStringLiteral("[\"@odata.id\"]") << QJsonValue(7);
}

void TestFieldPath::valueIn()
{
    QFETCH(QString, path);
    QFETCH(QJsonValue, expected);
    const QJsonObject record = QJsonDocument::fromJson(
                                   R"({"lead_id": "ZL-1", "unit": null, "@odata.id": 7, "property": {"city": "Austin"},
            "emails": [{"value": "a@x.com"}, {"value": "b@x.com"}]})")
                                   .object();
    const auto parsed = FieldPath::parse(path);
    QVERIFY(parsed.ok());
    QCOMPARE(parsed->valueIn(record), expected);
}

QTEST_APPLESS_MAIN(TestFieldPath)
#include "tst_fieldpath.moc"
