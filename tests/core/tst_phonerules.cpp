#include "ruletesting.h"

using namespace transom::testing;

class TestPhoneRules : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void phone_data();
    void phone();
    void badParameters_data();
    void badParameters();
};

void TestPhoneRules::phone_data()
{
    QTest::addColumn<QString>("rule");
    QTest::addColumn<QJsonValue>("input");
    QTest::addColumn<QJsonValue>("expected");
    QTest::addColumn<QString>("error");

    const QString e164 = QStringLiteral(R"({"rule": "phone", "region": "US"})");
    QTest::newRow("parentheses") << e164 << QJsonValue(QStringLiteral("(512) 555-0142"))
                                 << QJsonValue(QStringLiteral("+15125550142")) << QString();
    QTest::newRow("spaces around") << e164 << QJsonValue(QStringLiteral(" 512 555 0134 "))
                                   << QJsonValue(QStringLiteral("+15125550134")) << QString();
    QTest::newRow("leading 1 with dashes") << e164 << QJsonValue(QStringLiteral("1-512-555-0100"))
                                           << QJsonValue(QStringLiteral("+15125550100")) << QString();
    QTest::newRow("dots") << e164 << QJsonValue(QStringLiteral("512.555.0123"))
                          << QJsonValue(QStringLiteral("+15125550123")) << QString();
    QTest::newRow("already e164") << e164 << QJsonValue(QStringLiteral("+15125550142"))
                                  << QJsonValue(QStringLiteral("+15125550142")) << QString();
    QTest::newRow("json number") << e164 << QJsonValue(5125550142.0) << QJsonValue(QStringLiteral("+15125550142"))
                                 << QString();
    QTest::newRow("extension dropped") << e164 << QJsonValue(QStringLiteral("(512)555-0166 ext. 12"))
                                       << QJsonValue(QStringLiteral("+15125550166")) << QString();
    QTest::newRow("extension kept in e164") << QStringLiteral(R"({"rule": "phone", "extension": "keep"})")
                                            << QJsonValue(QStringLiteral("(512)555-0166 ext. 12"))
                                            << QJsonValue(QStringLiteral("+15125550166;ext=12")) << QString();
    QTest::newRow("extension only") << QStringLiteral(R"({"rule": "phone", "extension": "only"})")
                                    << QJsonValue(QStringLiteral("512-555-0166 x 34"))
                                    << QJsonValue(QStringLiteral("34")) << QString();
    QTest::newRow("extension only, none") << QStringLiteral(R"({"rule": "phone", "extension": "only"})")
                                          << QJsonValue(QStringLiteral("512-555-0166")) << missing << QString();
    QTest::newRow("national format") << QStringLiteral(R"({"rule": "phone", "format": "national"})")
                                     << QJsonValue(QStringLiteral("5125550142"))
                                     << QJsonValue(QStringLiteral("(512) 555-0142")) << QString();
    QTest::newRow("international format")
        << QStringLiteral(R"({"rule": "phone", "format": "international"})") << QJsonValue(QStringLiteral("5125550142"))
        << QJsonValue(QStringLiteral("+1 512-555-0142")) << QString();
    QTest::newRow("rfc3966") << QStringLiteral(R"({"rule": "phone", "format": "rfc3966"})")
                             << QJsonValue(QStringLiteral("5125550142"))
                             << QJsonValue(QStringLiteral("tel:+1-512-555-0142")) << QString();
    QTest::newRow("foreign with plus") << e164 << QJsonValue(QStringLiteral("+44 20 7946 0958"))
                                       << QJsonValue(QStringLiteral("+442079460958")) << QString();
    QTest::newRow("mexico with IDD from US") << e164 << QJsonValue(QStringLiteral("011 52 55 1234 5678"))
                                             << QJsonValue(QStringLiteral("+525512345678")) << QString();
    QTest::newRow("region GB national") << QStringLiteral(R"({"rule": "phone", "region": "GB"})")
                                        << QJsonValue(QStringLiteral("020 7946 0958"))
                                        << QJsonValue(QStringLiteral("+442079460958")) << QString();
    QTest::newRow("vanity letters") << e164 << QJsonValue(QStringLiteral("1-800-FLOWERS"))
                                    << QJsonValue(QStringLiteral("+18003569377")) << QString();
    QTest::newRow("empty text is no number") << e164 << QJsonValue(QString()) << missing << QString();
    QTest::newRow("null passes") << e164 << QJsonValue(QJsonValue::Null) << missing << QString();
    QTest::newRow("missing passes") << e164 << missing << missing << QString();
    // Field errors, never a silently passed-on value.
    QTest::newRow("too short") << e164 << QJsonValue(QStringLiteral("555-01")) << missing << QStringLiteral("not a");
    QTest::newRow("seven digits, no area code")
        << e164 << QJsonValue(QStringLiteral("555-0142")) << missing << QStringLiteral("without its area code");
    QTest::newRow("unassigned area code") << e164 << QJsonValue(QStringLiteral("(099) 555-0142")) << missing
                                          << QStringLiteral("not a valid phone number");
    QTest::newRow("too long") << e164 << QJsonValue(QStringLiteral("512555014212345678")) << missing
                              << QStringLiteral("not a");
    QTest::newRow("words") << e164 << QJsonValue(QStringLiteral("call me")) << missing
                           << QStringLiteral("not a phone number");
    QTest::newRow("injection") << e164 << QJsonValue(QStringLiteral("'; DROP TABLE leads; --")) << missing
                               << QStringLiteral("not a phone number");
    QTest::newRow("html") << e164 << QJsonValue(QStringLiteral("<script>alert(1)</script>")) << missing
                          << QStringLiteral("not a phone number");
    QTest::newRow("boolean") << e164 << QJsonValue(true) << missing << QStringLiteral("expected a phone number");
    QTest::newRow("object") << e164 << QJsonValue(QJsonObject{{QStringLiteral("n"), 1}}) << missing
                            << QStringLiteral("expected a phone number");
    QTest::newRow("1 MB string") << e164 << QJsonValue(QString(1 << 20, QLatin1Char('5'))) << missing
                                 << QStringLiteral("far too long");
    QTest::newRow("unicode digits") << e164 << QJsonValue(QStringLiteral("٥١٢٥٥٥٠١٤٢"))
                                    << QJsonValue(QStringLiteral("+15125550142")) << QString();
    QTest::newRow("validation off keeps possible numbers")
        << QStringLiteral(R"({"rule": "phone", "validate": false})") << QJsonValue(QStringLiteral("(099) 555-0142"))
        << QJsonValue(QStringLiteral("+10995550142")) << QString();
}

void TestPhoneRules::phone()
{
    QFETCH(QString, rule);
    QFETCH(QJsonValue, input);
    QFETCH(QJsonValue, expected);
    QFETCH(QString, error);
    checkRule(object(rule.toUtf8().constData()), input, expected, error);
}

void TestPhoneRules::badParameters_data()
{
    QTest::addColumn<QString>("rule");
    QTest::addColumn<QString>("error");
    QTest::newRow("unknown region") << QStringLiteral(R"({"rule": "phone", "region": "XX"})")
                                    << QStringLiteral("not a region code");
    QTest::newRow("unknown format") << QStringLiteral(R"({"rule": "phone", "format": "e.164"})")
                                    << QStringLiteral("one of: e164");
    QTest::newRow("unknown parameter") << QStringLiteral(R"({"rule": "phone", "country": "US"})")
                                       << QStringLiteral("has no parameter \"country\"");
    QTest::newRow("wrong type") << QStringLiteral(R"({"rule": "phone", "validate": "yes"})")
                                << QStringLiteral("must be true or false");
}

void TestPhoneRules::badParameters()
{
    QFETCH(QString, rule);
    QFETCH(QString, error);
    const RuleOutcome outcome = runRule(object(rule.toUtf8().constData()), QJsonValue(QStringLiteral("5125550142")));
    QVERIFY2(outcome.buildError.contains(error), qPrintable(outcome.buildError));
}

QTEST_APPLESS_MAIN(TestPhoneRules)
#include "tst_phonerules.moc"
