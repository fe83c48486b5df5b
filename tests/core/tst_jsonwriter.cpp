#include "core/common/jsonwriter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

class TestJsonWriter : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void values_data();
    void values();
    void roundTripsThroughQtParser_data();
    void roundTripsThroughQtParser();
    void utf8WriterMatchesUtf16Writer_data();
    void utf8WriterMatchesUtf16Writer();
};

void TestJsonWriter::values_data()
{
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("plain") << QJsonValue(QStringLiteral("Maria")) << QByteArray("\"Maria\"");
    QTest::newRow("quote and backslash") << QJsonValue(QStringLiteral("a\"b\\c")) << QByteArray("\"a\\\"b\\\\c\"");
    QTest::newRow("controls") << QJsonValue(QStringLiteral("a\nb\tc\x01")) << QByteArray("\"a\\nb\\tc\\u0001\"");
    QTest::newRow("latin-1 and BMP") << QJsonValue(QStringLiteral("Zoë €"))
                                     << QByteArray("\"Zo\xc3\xab \xe2\x82\xac\"");
    QTest::newRow("astral") << QJsonValue(QStringLiteral("😀")) << QByteArray("\"\xf0\x9f\x98\x80\"");
    QTest::newRow("lone surrogate") << QJsonValue(QString(QChar(0xd800))) << QByteArray("\"\xef\xbf\xbd\"");
    QTest::newRow("empty") << QJsonValue(QString()) << QByteArray("\"\"");
    QTest::newRow("integer") << QJsonValue(45000000) << QByteArray("45000000");
    QTest::newRow("beyond 2^53 in exponent form")
        << QJsonValue(1.2345678901234568e+20) << QByteArray("1.2345678901234568e+20");
    QTest::newRow("negative") << QJsonValue(-120050) << QByteArray("-120050");
    QTest::newRow("fraction") << QJsonValue(599999.99) << QByteArray("599999.99");
    QTest::newRow("big integer") << QJsonValue(qint64(9007199254740991)) << QByteArray("9007199254740991");
    QTest::newRow("bools and null") << QJsonValue(QJsonArray{true, false, QJsonValue()})
                                    << QByteArray("[true,false,null]");
    QTest::newRow("nested") << QJsonValue(QJsonObject{{QStringLiteral("a"), QJsonArray{1, QStringLiteral("x")}}})
                            << QByteArray("{\"a\":[1,\"x\"]}");
}

void TestJsonWriter::values()
{
    QFETCH(QJsonValue, value);
    QFETCH(QByteArray, expected);
    QByteArray out("prefix:");
    transom::json::appendValue(out, value);
    QCOMPARE(out, QByteArray("prefix:") + expected);
}

void TestJsonWriter::roundTripsThroughQtParser_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("mixed") << QStringLiteral("José \"Pepe\" Núñez\\n<script>\u2028😀\x7f");
    QTest::newRow("long") << QString(100000, QChar(0x00e9));
}

void TestJsonWriter::roundTripsThroughQtParser()
{
    QFETCH(QString, text);
    QByteArray out("[");
    transom::json::appendString(out, text);
    out.append(']');
    QJsonParseError e;
    const QJsonDocument doc = QJsonDocument::fromJson(out, &e);
    QCOMPARE(e.error, QJsonParseError::NoError);
    QCOMPARE(doc.array().first().toString(), text);
}

void TestJsonWriter::utf8WriterMatchesUtf16Writer_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << QString();
    QTest::newRow("plain") << QStringLiteral("Maria Garcia");
    QTest::newRow("escapes") << QStringLiteral("a\"b\\c\nd\re\tf\bg\fh\x01i\x1f");
    QTest::newRow("escape first and last") << QStringLiteral("\nx\"");
    QTest::newRow("unicode") << QStringLiteral("José \"Pepe\" Núñez <script>\u2028😀\x7f 李");
    QTest::newRow("many escapes") << QString(5000, QLatin1Char('\n')) + QStringLiteral("end");
    QTest::newRow("long") << QString(100000, QChar(0x00e9));
    // Every ASCII character once.
    QString ascii;
    for (char16_t c = 0; c < 0x80; ++c)
        ascii.append(QChar(c));
    QTest::newRow("all ASCII") << ascii;
}

void TestJsonWriter::utf8WriterMatchesUtf16Writer()
{
    QFETCH(QString, text);
    std::string fromUtf16("x"), fromUtf8("x");
    transom::json::appendString(fromUtf16, text);
    const QByteArray utf8 = text.toUtf8();
    const size_t start = fromUtf8.size();
    fromUtf8.resize(start + size_t(utf8.size()) * 6 + 2);
    char *end = transom::json::writeUtf8String(fromUtf8.data() + start,
                                               std::string_view(utf8.constData(), size_t(utf8.size())));
    fromUtf8.resize(size_t(end - fromUtf8.data()));
    QCOMPARE(QByteArray::fromStdString(fromUtf8), QByteArray::fromStdString(fromUtf16));
}

QTEST_APPLESS_MAIN(TestJsonWriter)
#include "tst_jsonwriter.moc"
