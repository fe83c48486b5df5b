// JsonLocator: where a value sits in JSON text (for errors that name a line and column), and where a
// list's elements start; hostile nesting stops the scan with a message instead of the stack.
#include "core/common/jsonlocator.h"

#include <QTest>

using transom::JsonLocator;
using Steps = std::vector<JsonLocator::Step>;

Q_DECLARE_METATYPE(Steps)

class TestJsonLocator : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void offsetOf_data();
    void offsetOf();
    void elementOffsets_data();
    void elementOffsets();
};

void TestJsonLocator::offsetOf_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<Steps>("path");
    QTest::addColumn<qsizetype>("offset");
    QTest::addColumn<QString>("problem"); ///< part of the scanner's message; empty: none
    const QByteArray deep =
        "{\"a\": " + QByteArray("[").repeated(1025) + QByteArray("]").repeated(1025) + ", \"b\": 2}";
    QTest::newRow("member") << QByteArray(R"({"a": 1, "b": [true, {"c": "x"}]})")
                            << Steps{QStringLiteral("b"), 1, QStringLiteral("c")} << qsizetype(27) << QString();
    QTest::newRow("missing") << QByteArray(R"({"a": 1})") << Steps{QStringLiteral("z")} << qsizetype(-1) << QString();
    QTest::newRow("past 1024 nested lists, skipped on the way")
        << deep << Steps{QStringLiteral("b")} << qsizetype(-1)
        << QStringLiteral("the JSON nests deeper than 1024 levels at byte 1030");
    const QByteArray justDeepEnough =
        "{\"a\": " + QByteArray("[").repeated(1024) + QByteArray("]").repeated(1024) + ", \"b\": 2}";
    QTest::newRow("1024 nested lists, skipped on the way")
        << justDeepEnough << Steps{QStringLiteral("b")} << qsizetype(justDeepEnough.size() - 2) << QString();
    QTest::newRow("200,000 open brackets")
        << "{\"a\": " + QByteArray("{\"k\": ").repeated(200000) + ", \"b\": 1}" << Steps{QStringLiteral("b")}
        << qsizetype(-1) << QStringLiteral("nests deeper than 1024 levels");
}

void TestJsonLocator::offsetOf()
{
    QFETCH(QByteArray, json);
    QFETCH(Steps, path);
    QFETCH(qsizetype, offset);
    QFETCH(QString, problem);
    QString why;
    QCOMPARE(JsonLocator::offsetOf(json, path, &why), offset);
    if (problem.isEmpty())
        QVERIFY2(why.isEmpty(), qPrintable(why));
    else
        QVERIFY2(why.contains(problem), qPrintable(why));
}

void TestJsonLocator::elementOffsets_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<Steps>("path");
    QTest::addColumn<QList<qsizetype>>("offsets");
    QTest::newRow("top list") << QByteArray(R"([{"a": 1}, 2 ,"x"])") << Steps{} << QList<qsizetype>{1, 11, 14, 17};
    QTest::newRow("envelope") << QByteArray(R"({"n": 1, "value": [ {} ]})") << Steps{QStringLiteral("value")}
                              << QList<qsizetype>{20, 23};
    QTest::newRow("empty list") << QByteArray("[ ]") << Steps{} << QList<qsizetype>{2};
    QTest::newRow("not a list") << QByteArray(R"({"value": 1})") << Steps{QStringLiteral("value")}
                                << QList<qsizetype>{};
    // Found by fuzz_jsonlocator: each looped forever, a bracket that closes nothing or a NUL byte taken
    // as an element that ends where it starts.
    QTest::newRow("a list closed with a brace") << QByteArray("[}]") << Steps{} << QList<qsizetype>{};
    QTest::newRow("a NUL byte after an element") << QByteArray("[1\0]", 4) << Steps{} << QList<qsizetype>{};
    QTest::newRow("a list in a list closed with a brace")
        << QByteArray(R"({"value": [[1], 2 }]})") << Steps{QStringLiteral("value")} << QList<qsizetype>{};
    QTest::newRow("an element nested too deep")
        << "[1, " + QByteArray("[").repeated(2000) + "]" << Steps{} << QList<qsizetype>{};
}

void TestJsonLocator::elementOffsets()
{
    QFETCH(QByteArray, json);
    QFETCH(Steps, path);
    QFETCH(QList<qsizetype>, offsets);
    const std::vector<qsizetype> found = JsonLocator::elementOffsets(json, path);
    QCOMPARE(QList<qsizetype>(found.begin(), found.end()), offsets);
}

QTEST_APPLESS_MAIN(TestJsonLocator)
#include "tst_jsonlocator.moc"
