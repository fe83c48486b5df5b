#include "ruletesting.h"

using namespace transom::testing;

class TestNumberRules : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void money_data();
    void money();
    void number_data();
    void number();
};

void TestNumberRules::money_data()
{
    QTest::addColumn<QString>("rule");
    QTest::addColumn<QJsonValue>("input");
    QTest::addColumn<QJsonValue>("expected");
    QTest::addColumn<QString>("error");

    const QString cents = QStringLiteral(R"({"rule": "money"})");
    const QString suffixes = QStringLiteral(R"({"rule": "money", "suffixes": true})");
    auto s = [](const char *t) { return QJsonValue(QString::fromUtf8(t)); };
    auto c = [](qint64 v) { return QJsonValue(v); };

    QTest::newRow("dollars and cents") << cents << s("$450,000.00") << c(45000000) << QString();
    QTest::newRow("plain digits") << cents << s("450000") << c(45000000) << QString();
    QTest::newRow("currency code first") << cents << s("USD 450,000") << c(45000000) << QString();
    QTest::newRow("currency code last") << cents << s("450,000 usd") << c(45000000) << QString();
    QTest::newRow("US$") << cents << s("US$785,500") << c(78550000) << QString();
    QTest::newRow("euro after") << cents << s("1200 €") << c(120000) << QString();
    QTest::newRow("CA$") << cents << s("CA$1,200") << c(120000) << QString();
    QTest::newRow("C$") << cents << s("C$5") << c(500) << QString();
    QTest::newRow("pound before") << cents << s("£99") << c(9900) << QString();
    QTest::newRow("dollar after") << cents << s("99$") << c(9900) << QString();
    QTest::newRow("minus before the symbol") << cents << s("-$5") << c(-500) << QString();
    QTest::newRow("minus after the symbol") << cents << s("$-5") << c(-500) << QString();
    QTest::newRow("a symbol alone") << cents << s("$") << missing << QStringLiteral("no digits");
    QTest::newRow("fraction of a cent rounds half up") << cents << s("$599,999.995") << c(60000000) << QString();
    QTest::newRow("json number") << cents << QJsonValue(599999.99) << c(59999999) << QString();
    QTest::newRow("json integer") << cents << QJsonValue(1250000) << c(125000000) << QString();
    QTest::newRow("negative with minus") << cents << s("-$1,200.50") << c(-120050) << QString();
    QTest::newRow("negative in parentheses") << cents << s("($1,200.50)") << c(-120050) << QString();
    QTest::newRow("spaces") << cents << s("  $ 450,000 ") << c(45000000) << QString();
    QTest::newRow("K suffix") << suffixes << s("450K") << c(45000000) << QString();
    QTest::newRow("M suffix with decimals") << suffixes << s("$1.2M") << c(120000000) << QString();
    QTest::newRow("MM suffix") << suffixes << s("$1.25MM") << c(125000000) << QString();
    QTest::newRow("lowercase k with space") << suffixes << s("450 k") << c(45000000) << QString();
    QTest::newRow("european decimal comma")
        << QStringLiteral(R"({"rule": "money", "decimal_point": ","})") << s("1.200,50 €") << c(120050) << QString();
    QTest::newRow("decimal output") << QStringLiteral(R"({"rule": "money", "output": "decimal"})") << s("$450,000")
                                    << s("450000.00") << QString();
    QTest::newRow("decimal output, negative cents")
        << QStringLiteral(R"({"rule": "money", "output": "decimal"})") << s("-0.05") << s("-0.05") << QString();
    QTest::newRow("units output") << QStringLiteral(R"({"rule": "money", "output": "units"})") << s("$1,234.56")
                                  << QJsonValue(1234.56) << QString();
    QTest::newRow("empty text is no amount") << cents << s("  ") << missing << QString();
    QTest::newRow("null passes") << cents << QJsonValue(QJsonValue::Null) << missing << QString();
    // Nonsense is a field error.
    QTest::newRow("call me") << cents << s("call me") << missing << QStringLiteral("not an amount of money");
    QTest::newRow("suffix not enabled") << cents << s("$1.2M") << missing << QStringLiteral("turn on \"suffixes\"");
    QTest::newRow("bad grouping") << cents << s("45,00,000") << missing << QStringLiteral("grouping");
    QTest::newRow("two points") << cents << s("1.2.3") << missing << QStringLiteral("not part of a number");
    QTest::newRow("range") << cents << s("$400,000 - $450,000") << missing << QStringLiteral("not an amount");
    QTest::newRow("only a symbol") << cents << s("$") << missing << QStringLiteral("no digits");
    QTest::newRow("boolean") << cents << QJsonValue(true) << missing << QStringLiteral("not a number");
    QTest::newRow("too many digits") << cents << s("123456789012345678901234567890123") << missing
                                     << QStringLiteral("too many digits");
    QTest::newRow("too large for cents") << cents << s("99999999999999999999") << missing
                                         << QStringLiteral("too large");
    QTest::newRow("1 MB string") << cents << QJsonValue(QString(1 << 20, QLatin1Char('9'))) << missing
                                 << QStringLiteral("far too long");
    // Untrusted sizes that once overflowed 128 bits (undefined behaviour, an abort under UBSan).
    QTest::newRow("30 digits with a B suffix")
        << suffixes << s("999999999999999999999999999999B") << missing << QStringLiteral("too large");
    QTest::newRow("30 digits and 12 decimals wanted")
        << QStringLiteral(R"({"rule": "money", "output": "decimal"})") << s("999999999999999999999999999999") << missing
        << QStringLiteral("too large");
    QTest::newRow("injection") << cents << s("1; DROP TABLE deals") << missing << QStringLiteral("not an amount");
    QTest::newRow("infinity-like text") << cents << s("inf") << missing << QStringLiteral("not an amount");
}

void TestNumberRules::money()
{
    QFETCH(QString, rule);
    QFETCH(QJsonValue, input);
    QFETCH(QJsonValue, expected);
    QFETCH(QString, error);
    checkRule(object(rule.toUtf8().constData()), input, expected, error);
}

void TestNumberRules::number_data()
{
    QTest::addColumn<QString>("rule");
    QTest::addColumn<QJsonValue>("input");
    QTest::addColumn<QJsonValue>("expected");
    QTest::addColumn<QString>("error");
    auto s = [](const char *t) { return QJsonValue(QString::fromUtf8(t)); };

    QTest::newRow("grouped integer") << QStringLiteral(R"({"rule": "number", "output": "integer"})") << s("3,100")
                                     << QJsonValue(qint64(3100)) << QString();
    QTest::newRow("integer rounds half away") << QStringLiteral(R"({"rule": "number", "output": "integer"})")
                                              << s("2.5") << QJsonValue(qint64(3)) << QString();
    QTest::newRow("negative rounds away") << QStringLiteral(R"({"rule": "number", "output": "integer"})") << s("-2.5")
                                          << QJsonValue(qint64(-3)) << QString();
    QTest::newRow("decimal number") << QStringLiteral(R"({"rule": "number"})") << s("2.75") << QJsonValue(2.75)
                                    << QString();
    QTest::newRow("fixed text") << QStringLiteral(R"({"rule": "number", "output": "text", "decimals": 2})")
                                << QJsonValue(1.005) << s("1.01") << QString();
    QTest::newRow("number passes") << QStringLiteral(R"({"rule": "number", "output": "integer"})") << QJsonValue(4)
                                   << QJsonValue(qint64(4)) << QString();
    QTest::newRow("suffix") << QStringLiteral(R"({"rule": "number", "suffixes": true, "output": "integer"})")
                            << s("1.5K") << QJsonValue(qint64(1500)) << QString();
    QTest::newRow("currency not accepted")
        << QStringLiteral(R"({"rule": "number"})") << s("$5") << missing << QStringLiteral("not a number");
    QTest::newRow("words") << QStringLiteral(R"({"rule": "number"})") << s("three") << missing
                           << QStringLiteral("not a number");
    QTest::newRow("30 digits × 10^12") << QStringLiteral(R"({"rule": "number", "output": "text", "decimals": 12})")
                                       << s("999999999999999999999999999999") << missing << QStringLiteral("too large");
    QTest::newRow("30 digits with MM") << QStringLiteral(R"({"rule": "number", "suffixes": true, "decimals": 12})")
                                       << s("999999999999999999999999999999MM") << missing
                                       << QStringLiteral("too large");
    QTest::newRow("array") << QStringLiteral(R"({"rule": "number"})") << QJsonValue(QJsonArray{1, 2}) << missing
                           << QStringLiteral("not a number");
}

void TestNumberRules::number()
{
    QFETCH(QString, rule);
    QFETCH(QJsonValue, input);
    QFETCH(QJsonValue, expected);
    QFETCH(QString, error);
    checkRule(object(rule.toUtf8().constData()), input, expected, error);
}

QTEST_APPLESS_MAIN(TestNumberRules)
#include "tst_numberrules.moc"
