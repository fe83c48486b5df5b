// Value answers as QJsonValue did for every kind of value the rules see, and converts back losslessly.
#include "core/mapping/value.h"

#include <QTest>

using transom::mapping::Value;

class TestValue : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sameAnswersAsQJsonValue_data();
    void sameAnswersAsQJsonValue();
    void utf8StringsAreTheSameStrings_data();
    void utf8StringsAreTheSameStrings();
};

void TestValue::sameAnswersAsQJsonValue_data()
{
    QTest::addColumn<QJsonValue>("json");
    QTest::newRow("undefined") << QJsonValue(QJsonValue::Undefined);
    QTest::newRow("null") << QJsonValue(QJsonValue::Null);
    QTest::newRow("true") << QJsonValue(true);
    QTest::newRow("false") << QJsonValue(false);
    QTest::newRow("integer") << QJsonValue(qint64(450000));
    QTest::newRow("negative integer") << QJsonValue(qint64(-7));
    QTest::newRow("large integer") << QJsonValue(qint64(9007199254740993LL));
    QTest::newRow("whole double") << QJsonValue(425000.0);
    QTest::newRow("fraction") << QJsonValue(599999.99);
    QTest::newRow("huge double") << QJsonValue(1e300);
    QTest::newRow("negative zero") << QJsonValue(-0.0);
    QTest::newRow("beyond qint64") << QJsonValue(1.0e19);
    QTest::newRow("empty string") << QJsonValue(QString());
    QTest::newRow("unicode string") << QJsonValue(QStringLiteral("Zoë Núñez 李 😀"));
    QTest::newRow("object") << QJsonValue(QJsonObject{{QStringLiteral("a"), 1}});
    QTest::newRow("array") << QJsonValue(QJsonArray{1, QStringLiteral("x")});
}

void TestValue::sameAnswersAsQJsonValue()
{
    QFETCH(QJsonValue, json);
    const Value value(json);
    QCOMPARE(int(value.type()), int(json.type()));
    QCOMPARE(value.isUndefined(), json.isUndefined());
    QCOMPARE(value.isNull(), json.isNull());
    QCOMPARE(value.isString(), json.isString());
    QCOMPARE(value.toString(), json.toString());
    QCOMPARE(value.toDouble(-1), json.toDouble(-1));
    QCOMPARE(value.toInteger(-1), json.toInteger(-1));
    QCOMPARE(value.toBool(), json.toBool());
    QCOMPARE(value.toObject(), json.toObject());
    QCOMPARE(value.toArray(), json.toArray());
    QCOMPARE(value.toJson(), json);
    QVERIFY(Value(value.toJson()) == value);
}

void TestValue::utf8StringsAreTheSameStrings_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << QString();
    QTest::newRow("ascii") << QStringLiteral("Maria");
    QTest::newRow("longer than the small-string buffer") << QStringLiteral("lead.1234567@example.com");
    QTest::newRow("unicode") << QStringLiteral("Zoë Núñez 李 😀");
    QTest::newRow("leading U+FEFF") << QStringLiteral("\uFEFFMaría");
    QTest::newRow("U+FEFF alone") << QStringLiteral("\uFEFF");
}

// A string kept as UTF-8 (as RecordParser reads it) answers exactly as the same string held as QString.
void TestValue::utf8StringsAreTheSameStrings()
{
    QFETCH(QString, text);
    const QByteArray utf8 = text.toUtf8();
    const Value fromUtf8 = Value::fromUtf8(std::string_view(utf8.constData(), size_t(utf8.size())));
    const Value fromQString(text);
    QVERIFY(fromUtf8.isUtf8());
    QVERIFY(!fromQString.isUtf8());
    QCOMPARE(int(fromUtf8.type()), int(Value::String));
    QVERIFY(fromUtf8.isString());
    QCOMPARE(fromUtf8.toString(), text);
    QCOMPARE(fromUtf8.isEmptyString(), text.isEmpty());
    QCOMPARE(fromUtf8.toJson(), QJsonValue(text));
    QVERIFY(fromUtf8 == fromQString);
    QVERIFY(fromQString == fromUtf8);
    QVERIFY(fromUtf8 == Value::fromUtf8(std::string(utf8.constData(), size_t(utf8.size()))));
    QVERIFY(!(fromUtf8 == Value(text + QLatin1Char('x'))));
    QVERIFY(!(fromUtf8 == Value(qint64(1))));
    Value copy = fromUtf8;
    QCOMPARE(copy.toString(), text);
    Value moved = std::move(copy);
    QCOMPARE(moved.toString(), text);
}

QTEST_APPLESS_MAIN(TestValue)
#include "tst_value.moc"
