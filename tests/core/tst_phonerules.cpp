#include "ruletesting.h"

#include "core/mapping/rules/phonevalidity.h"

#include <QRandomGenerator>

#include <set>

#include <phonenumbers/phonenumberutil.h>

using namespace transom::testing;

class TestPhoneRules : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void phone_data();
    void phone();
    void badParameters_data();
    void badParameters();
    void regionValidatorAgrees_data();
    void regionValidatorAgrees();
    void fastParseAgrees_data();
    void fastParseAgrees();
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

    // The `invalid` policy: what a number that cannot be read or is not valid becomes.
    const QString asError = QStringLiteral(R"({"rule": "phone", "invalid": "error"})");
    const QString asNull = QStringLiteral(R"({"rule": "phone", "invalid": "null"})");
    const QString asKept = QStringLiteral(R"({"rule": "phone", "invalid": "keep"})");
    const QString asDigits = QStringLiteral(R"({"rule": "phone", "invalid": "digits"})");
    const QJsonValue unassigned(QStringLiteral("(099) 555-0142"));
    QTest::newRow("invalid error: the default, spelled out")
        << asError << unassigned << missing << QStringLiteral("not a valid phone number");
    QTest::newRow("invalid null: valid US number still formatted")
        << asNull << QJsonValue(QStringLiteral("(512) 555-0142")) << QJsonValue(QStringLiteral("+15125550142"))
        << QString();
    QTest::newRow("invalid null: unassigned area code") << asNull << unassigned << missing << QString();
    QTest::newRow("invalid null: too short") << asNull << QJsonValue(QStringLiteral("555-01")) << missing << QString();
    QTest::newRow("invalid null: words") << asNull << QJsonValue(QStringLiteral("call me")) << missing << QString();
    QTest::newRow("invalid null: 1 MB string")
        << asNull << QJsonValue(QString(1 << 20, QLatin1Char('5'))) << missing << QString();
    QTest::newRow("invalid null: empty text") << asNull << QJsonValue(QString()) << missing << QString();
    QTest::newRow("invalid null: a boolean is still no phone")
        << asNull << QJsonValue(true) << missing << QStringLiteral("expected a phone number");
    QTest::newRow("invalid keep: valid GB number still formatted")
        << QStringLiteral(R"({"rule": "phone", "region": "GB", "invalid": "keep"})")
        << QJsonValue(QStringLiteral("020 7946 0958")) << QJsonValue(QStringLiteral("+442079460958")) << QString();
    QTest::newRow("invalid keep: unassigned area code") << asKept << unassigned << unassigned << QString();
    QTest::newRow("invalid keep: words") << asKept << QJsonValue(QStringLiteral("call me"))
                                         << QJsonValue(QStringLiteral("call me")) << QString();
    QTest::newRow("invalid keep: a JSON number stays a number")
        << asKept << QJsonValue(5550142.0) << QJsonValue(5550142.0) << QString();
    QTest::newRow("invalid keep: empty text") << asKept << QJsonValue(QString()) << missing << QString();
    QTest::newRow("invalid digits: valid number still formatted")
        << asDigits << QJsonValue(QStringLiteral("512.555.0123")) << QJsonValue(QStringLiteral("+15125550123"))
        << QString();
    QTest::newRow("invalid digits: unassigned area code")
        << asDigits << unassigned << QJsonValue(QStringLiteral("0995550142")) << QString();
    QTest::newRow("invalid digits: the plus is kept") << asDigits << QJsonValue(QStringLiteral(" +1 (099) 555-0142 "))
                                                      << QJsonValue(QStringLiteral("+10995550142")) << QString();
    QTest::newRow("invalid digits: too short")
        << asDigits << QJsonValue(QStringLiteral("555-01")) << QJsonValue(QStringLiteral("55501")) << QString();
    QTest::newRow("invalid digits: no digits at all")
        << asDigits << QJsonValue(QStringLiteral("call me")) << missing << QString();
    QTest::newRow("invalid digits: empty text") << asDigits << QJsonValue(QString()) << missing << QString();
    QTest::newRow("invalid digits: missing passes") << asDigits << missing << missing << QString();
    QTest::newRow("invalid digits, validation off: possible number formatted")
        << QStringLiteral(R"({"rule": "phone", "validate": false, "invalid": "digits"})") << unassigned
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
    QTest::newRow("unknown invalid policy") << QStringLiteral(R"({"rule": "phone", "invalid": "drop"})")
                                            << QStringLiteral("\"invalid\" of rule \"phone\" must be one of: error, "
                                                              "null, keep, digits");
}

void TestPhoneRules::badParameters()
{
    QFETCH(QString, rule);
    QFETCH(QString, error);
    const RuleOutcome outcome = runRule(object(rule.toUtf8().constData()), QJsonValue(QStringLiteral("5125550142")));
    QVERIFY2(outcome.buildError.contains(error), qPrintable(outcome.buildError));
}

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

void TestPhoneRules::regionValidatorAgrees_data()
{
    // Every region libphonenumber knows (a "yes" from the fast check is final, so a disagreement anywhere
    // would be a false "valid"), the brokerages' own regions with many more numbers.
    QTest::addColumn<QString>("region");
    QTest::addColumn<int>("numbers");
    const std::set<std::string> main = {"US", "CA", "GB", "DE", "FR", "MX", "IN", "AU", "BR", "JP", "ES", "NL"};
    std::set<std::string> regions;
    PhoneNumberUtil::GetInstance()->GetSupportedRegions(&regions);
    for (const std::string &region : regions)
        QTest::newRow(region.c_str()) << QString::fromStdString(region) << (main.count(region) ? 20000 : 1200);
}

// The phone rule's fast validity check must give libphonenumber's answer: numbers near every kind of
// example number of the region (the last one to six digits changed) and random ones.
void TestPhoneRules::regionValidatorAgrees()
{
    QFETCH(QString, region);
    QFETCH(int, numbers);
    const std::string code = region.toStdString();
    const PhoneNumberUtil &util = *PhoneNumberUtil::GetInstance();
    const auto *validator = transom::mapping::RegionValidator::forRegion(code);
    QVERIFY(validator);
    const int countryCode = util.GetCountryCodeForRegion(code);
    QRandomGenerator rng(quint32(qHash(region)));
    std::vector<std::string> seeds;
    for (int type = PhoneNumberUtil::FIXED_LINE; type <= PhoneNumberUtil::VOICEMAIL; ++type) {
        PhoneNumber example;
        if (util.GetExampleNumberForType(code, PhoneNumberUtil::PhoneNumberType(type), &example)) {
            std::string national;
            util.GetNationalSignificantNumber(example, &national);
            seeds.push_back(national);
        }
    }
    if (seeds.empty())
        QSKIP("libphonenumber has no example number for this region");
    int valid = 0, checked = 0;
    for (int i = 0; i < numbers; ++i) {
        std::string national;
        if (i % 6 == 5) {
            const int length = 5 + rng.bounded(9);
            national = std::to_string(1 + rng.bounded(9));
            while (int(national.size()) < length)
                national += char('0' + rng.bounded(10));
        } else {
            national = seeds[size_t(i) % seeds.size()];
            const int changed = 1 + rng.bounded(qMin(6, int(national.size()) - 1));
            for (size_t k = national.size() - size_t(changed); k < national.size(); ++k)
                national[k] = char('0' + rng.bounded(10));
        }
        if (national[0] == '0')
            continue; // numbers with a leading zero are stored differently (italian_leading_zero)
        PhoneNumber number;
        number.set_country_code(countryCode);
        number.set_national_number(std::stoull(national));
        const bool expected = util.IsValidNumberForRegion(number, code);
        const bool fast = validator->isValid(national);
        QVERIFY2(fast == expected,
                 qPrintable(QStringLiteral("%1 %2: libphonenumber says %3")
                                .arg(region, QString::fromStdString(national))
                                .arg(expected ? QStringLiteral("valid") : QStringLiteral("invalid"))));
        valid += expected ? 1 : 0;
        ++checked;
    }
    // Both answers were exercised, not only "invalid".
    QVERIFY2(valid > checked / 20 && valid < checked,
             qPrintable(QStringLiteral("%1 valid of %2").arg(valid).arg(checked)));
}

void TestPhoneRules::fastParseAgrees_data()
{
    QTest::addColumn<QString>("form"); // %a area code, %e exchange, %l line
    for (const char *form : {"(%a) %e-%l",
                             "%a-%e-%l",
                             "1-%a-%e-%l",
                             "+1 %a %e %l",
                             "%a.%e.%l",
                             " %a %e %l ",
                             "%a%e%l",
                             "(%a)%e-%l ext. 12",
                             "%a-%e-%l ext 7",
                             "%a-%e-%l ext12",
                             "%a-%e-%l EXT. 345",
                             "%a-%e-%l Ext.9",
                             "%a-%e-%l extension 123",
                             "%a-%e-%l Extension 4",
                             "%a-%e-%l x12",
                             "%a-%e-%l x 34",
                             "%a-%e-%l X 999999",
                             "%a%e%lx5",
                             "+1 (%a) %e-%l x 77",
                             "1 %a %e %l ext. 88",
                             "%a-%e-%l x 1234567",
                             "%a-%e-%l #12",
                             "%a-%e-%l ext 12a",
                             "%a-%e-%l ex 12",
                             "%a-%e-%l x",
                             "%a-%e-%l ext.",
                             "%a-%e-%l, ext 12",
                             "%a-%e-%l ext: 12",
                             "%a-%e-%l xx12",
                             "%a-%e-%l extension12",
                             "+%a %e %l",
                             "11-%a-%e-%l"})
        QTest::newRow(form) << QString::fromLatin1(form);
}

// Every form the phone rule reads without libphonenumber's parser must come out exactly as
// libphonenumber reads it (number, extension, validity), and forms it does not take must too.
void TestPhoneRules::fastParseAgrees()
{
    QFETCH(QString, form);
    const PhoneNumberUtil &util = *PhoneNumberUtil::GetInstance();
    QRandomGenerator rng(7);
    static const int areas[] = {512, 212, 415, 737, 989, 204, 416, 800, 900, 311, 555};
    const QJsonObject keep = object(R"({"rule": "phone", "extension": "keep"})");
    const QJsonObject loose = object(R"({"rule": "phone", "extension": "keep", "validate": false})");
    for (int i = 0; i < 60; ++i) {
        const QString text =
            QString(form)
                .replace(QLatin1String("%a"), QString::number(areas[rng.bounded(int(std::size(areas)))]))
                .replace(QLatin1String("%e"), QString::number(200 + rng.bounded(800)))
                .replace(QLatin1String("%l"), QStringLiteral("%1").arg(rng.bounded(10000), 4, 10, QLatin1Char('0')));
        PhoneNumber number;
        QJsonValue expected = QJsonValue(QJsonValue::Undefined);
        QJsonValue expectedLoose = QJsonValue(QJsonValue::Undefined);
        if (util.Parse(text.toStdString(), "US", &number) == PhoneNumberUtil::NO_PARSING_ERROR) {
            std::string e164;
            PhoneNumber plain = number;
            plain.clear_extension();
            util.Format(plain, PhoneNumberUtil::E164, &e164);
            if (number.has_extension())
                e164 += ";ext=" + number.extension();
            expectedLoose = QString::fromStdString(e164);
            if (util.IsValidNumber(number))
                expected = expectedLoose;
        }
        QCOMPARE(runRule(keep, text).output, expected);
        QCOMPARE(runRule(loose, text).output, expectedLoose);
    }
}

QTEST_APPLESS_MAIN(TestPhoneRules)
#include "tst_phonerules.moc"
