#include "ruletesting.h"

using namespace transom::testing;

class TestDateTimeRules : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void datetime_data();
    void datetime();
    void badParameters_data();
    void badParameters();
};

void TestDateTimeRules::datetime_data()
{
    QTest::addColumn<QString>("rule");
    QTest::addColumn<QJsonValue>("input");
    QTest::addColumn<QJsonValue>("expected");
    QTest::addColumn<QString>("error");

    const QString chicago = QStringLiteral(
        R"({"rule": "datetime", "patterns": ["MM/dd/yyyy hh:mm a", "iso8601"], "timezone": "America/Chicago"})");
    auto s = [](const char *t) { return QJsonValue(QString::fromUtf8(t)); };

    QTest::newRow("portal time, CST") << chicago << s("11/20/2026 08:14 AM") << s("2026-11-20T14:14:00Z") << QString();
    QTest::newRow("portal time, PM") << chicago << s("11/20/2026 02:34 PM") << s("2026-11-20T20:34:00Z") << QString();
    QTest::newRow("12 AM is midnight") << chicago << s("11/20/2026 12:05 AM") << s("2026-11-20T06:05:00Z") << QString();
    QTest::newRow("12 PM is noon") << chicago << s("11/20/2026 12:10 PM") << s("2026-11-20T18:10:00Z") << QString();
    QTest::newRow("a.m.") << chicago << s("11/20/2026 08:14 a.m.") << s("2026-11-20T14:14:00Z") << QString();
    QTest::newRow("P.M.") << chicago << s("11/20/2026 02:34 P.M.") << s("2026-11-20T20:34:00Z") << QString();
    QTest::newRow("pm lower case") << chicago << s("11/20/2026 02:34 pm") << s("2026-11-20T20:34:00Z") << QString();
    QTest::newRow("Am mixed case") << chicago << s("11/20/2026 08:14 Am") << s("2026-11-20T14:14:00Z") << QString();
    QTest::newRow("half marker cut short")
        << chicago << s("11/20/2026 08:14 p") << missing << QStringLiteral("matches none");
    QTest::newRow("half marker a.m without the last dot")
        << chicago << s("11/20/2026 08:14 a.m") << missing << QStringLiteral("matches none");
    QTest::newRow("not a half marker") << chicago << s("11/20/2026 08:14 ax") << missing
                                       << QStringLiteral("matches none");
    QTest::newRow("lowercase pm, extra spaces")
        << chicago << s("  11/20/2026   02:34 pm ") << s("2026-11-20T20:34:00Z") << QString();
    QTest::newRow("summer time, CDT") << chicago << s("07/04/2026 09:00 AM") << s("2026-07-04T14:00:00Z") << QString();
    QTest::newRow("iso with Z wins over zone")
        << chicago << s("2026-11-20T14:05:00Z") << s("2026-11-20T14:05:00Z") << QString();
    QTest::newRow("iso with offset") << chicago << s("2026-11-20T08:05:00-06:00") << s("2026-11-20T14:05:00Z")
                                     << QString();
    QTest::newRow("iso with millis") << chicago << s("2026-11-01T00:23:47.000Z") << s("2026-11-01T00:23:47Z")
                                     << QString();
    QTest::newRow("iso keeps nonzero millis")
        << chicago << s("2026-11-01T00:23:47.250Z") << s("2026-11-01T00:23:47.250Z") << QString();
    QTest::newRow("iso local time uses zone")
        << chicago << s("2026-11-20T08:05:00") << s("2026-11-20T14:05:00Z") << QString();
    QTest::newRow("iso date only") << chicago << s("2026-11-20") << s("2026-11-20T06:00:00Z") << QString();
    QTest::newRow("leap day") << chicago << s("02/29/2028 10:00 AM") << s("2028-02-29T16:00:00Z") << QString();
    // DST: 2026-03-08 02:00 CST jumps to 03:00 CDT; 2026-11-01 02:00 CDT falls back to 01:00 CST.
    QTest::newRow("gap shifts forward") << chicago << s("03/08/2026 02:30 AM") << s("2026-03-08T08:30:00Z")
                                        << QString();
    QTest::newRow("gap error policy")
        << QStringLiteral(
               R"({"rule": "datetime", "patterns": ["MM/dd/yyyy hh:mm a"], "timezone": "America/Chicago", "nonexistent": "error"})")
        << s("03/08/2026 02:30 AM") << missing << QStringLiteral("clocks skip this hour");
    QTest::newRow("just after the gap") << chicago << s("03/08/2026 03:00 AM") << s("2026-03-08T08:00:00Z")
                                        << QString();
    QTest::newRow("overlap earlier") << chicago << s("11/01/2026 01:30 AM") << s("2026-11-01T06:30:00Z") << QString();
    QTest::newRow("overlap later")
        << QStringLiteral(
               R"({"rule": "datetime", "patterns": ["MM/dd/yyyy hh:mm a"], "timezone": "America/Chicago", "ambiguous": "later"})")
        << s("11/01/2026 01:30 AM") << s("2026-11-01T07:30:00Z") << QString();
    QTest::newRow("overlap error")
        << QStringLiteral(
               R"({"rule": "datetime", "patterns": ["MM/dd/yyyy hh:mm a"], "timezone": "America/Chicago", "ambiguous": "error"})")
        << s("11/01/2026 01:30 AM") << missing << QStringLiteral("happens twice");
    QTest::newRow("southern hemisphere")
        << QStringLiteral(R"({"rule": "datetime", "patterns": ["dd/MM/yyyy HH:mm"], "timezone": "Australia/Sydney"})")
        << s("15/01/2026 09:00") << s("2026-01-14T22:00:00Z") << QString();
    QTest::newRow("month names")
        << QStringLiteral(R"({"rule": "datetime", "patterns": ["MMM d, yyyy h:mm a"], "timezone": "America/New_York"})")
        << s("Nov 3, 2026 9:05 am") << s("2026-11-03T14:05:00Z") << QString();
    QTest::newRow("weekday and full month")
        << QStringLiteral(R"({"rule": "datetime", "patterns": ["EEEE, MMMM d yyyy"], "timezone": "UTC"})")
        << s("Friday, November 20 2026") << s("2026-11-20T00:00:00Z") << QString();
    QTest::newRow("two-digit year") << QStringLiteral(
                                           R"({"rule": "datetime", "patterns": ["M/d/yy"], "timezone": "UTC"})")
                                    << s("1/5/27") << s("2027-01-05T00:00:00Z") << QString();
    QTest::newRow("epoch seconds number") << QStringLiteral(R"({"rule": "datetime", "patterns": ["epoch_s"]})")
                                          << QJsonValue(1795183200.0) << s("2026-11-20T14:00:00Z") << QString();
    QTest::newRow("epoch millis text") << QStringLiteral(R"({"rule": "datetime", "patterns": ["epoch_ms"]})")
                                       << s("1795183200000") << s("2026-11-20T14:00:00Z") << QString();
    QTest::newRow("output date in source zone")
        << QStringLiteral(
               R"({"rule": "datetime", "patterns": ["iso8601"], "timezone": "America/Chicago", "output": "date"})")
        << s("2026-11-21T03:00:00Z") << s("2026-11-20") << QString();
    QTest::newRow("output with offset")
        << QStringLiteral(
               R"({"rule": "datetime", "patterns": ["iso8601"], "output": "iso8601_offset", "output_timezone": "America/Chicago"})")
        << s("2026-07-04T14:00:00Z") << s("2026-07-04T09:00:00-05:00") << QString();
    QTest::newRow("output epoch ms") << QStringLiteral(
                                            R"({"rule": "datetime", "patterns": ["iso8601"], "output": "epoch_ms"})")
                                     << s("1970-01-01T00:00:01Z") << QJsonValue(qint64(1000)) << QString();
    QTest::newRow("output pattern")
        << QStringLiteral(
               R"({"rule": "datetime", "patterns": ["iso8601"], "output": "pattern", "output_pattern": "dd.MM.yyyy HH:mm", "output_timezone": "Europe/Berlin"})")
        << s("2026-11-20T14:05:00Z") << s("20.11.2026 15:05") << QString();
    QTest::newRow("null passes") << chicago << QJsonValue(QJsonValue::Null) << missing << QString();
    // Field errors.
    QTest::newRow("february 30") << chicago << s("02/30/2026 10:00 AM") << missing
                                 << QStringLiteral("February 2026 has no day 30");
    QTest::newRow("month 13") << chicago << s("13/01/2026 10:00 AM") << missing << QStringLiteral("no month 13");
    QTest::newRow("not a leap year") << chicago << s("02/29/2027 10:00 AM") << missing << QStringLiteral("no day 29");
    QTest::newRow("hour 13 on a 12-hour clock")
        << chicago << s("11/20/2026 13:00 PM") << missing << QStringLiteral("12-hour clock");
    QTest::newRow("hour 25") << chicago << s("2026-11-20T25:00:00") << missing << QStringLiteral("not a time of day");
    QTest::newRow("wrong pattern") << chicago << s("20.11.2026") << missing
                                   << QStringLiteral("matches none of the date patterns");
    QTest::newRow("empty text") << chicago << s("") << missing << QStringLiteral("matches none");
    QTest::newRow("words") << chicago << s("yesterday") << missing << QStringLiteral("matches none");
    QTest::newRow("trailing garbage") << chicago << s("11/20/2026 08:14 AM; DROP TABLE") << missing
                                      << QStringLiteral("matches none");
    QTest::newRow("number without epoch pattern")
        << chicago << QJsonValue(20261120.0) << missing << QStringLiteral("expected a date");
    // Out of range: 1e20 seconds read as the year -292275055; years outside 1-9999 cannot be written.
    const QString epochS = QStringLiteral(R"({"rule": "datetime", "patterns": ["epoch_s"]})");
    const QString epochMs = QStringLiteral(R"({"rule": "datetime", "patterns": ["epoch_ms"]})");
    const QString iso = QStringLiteral(R"({"rule": "datetime", "patterns": ["iso8601"]})");
    QTest::newRow("epoch seconds 1e20") << epochS << QJsonValue(1e20) << missing
                                        << QStringLiteral("as seconds since 1970 is out of range: dates are read "
                                                          "from the year 1 to the year 9999");
    QTest::newRow("epoch seconds -1e20") << epochS << QJsonValue(-1e20) << missing << QStringLiteral("out of range");
    QTest::newRow("epoch ms 1e20") << epochMs << QJsonValue(1e20) << missing
                                   << QStringLiteral("as milliseconds since 1970 is out of range");
    QTest::newRow("epoch seconds text past 9999")
        << epochS << s("253402300800") << missing << QStringLiteral("\"253402300800\" as seconds since 1970 is out");
    QTest::newRow("epoch seconds text, the last second of 9999")
        << epochS << s("253402300799") << s("9999-12-31T23:59:59Z") << QString();
    QTest::newRow("epoch seconds text, the first second of year 1")
        << epochS << s("-62135596800") << s("0001-01-01T00:00:00Z") << QString();
    QTest::newRow("epoch seconds text that overflows 64 bits")
        << epochS << s("9223372036854775807") << missing << QStringLiteral("out of range");
    QTest::newRow("epoch ms text wider than 64 bits")
        << epochMs << s("99999999999999999999999") << missing << QStringLiteral("out of range");
    QTest::newRow("year 0") << iso << s("0000-06-01") << missing
                            << QStringLiteral("\"0000-06-01\" is out of range: dates are read from the year 1");
    QTest::newRow("year 1 with an offset that leaves it")
        << iso << s("0001-01-01T00:30:00+01:00") << missing << QStringLiteral("out of range");
    QTest::newRow("1 MB string") << chicago << QJsonValue(QString(1 << 20, QLatin1Char('1'))) << missing
                                 << QStringLiteral("far too long");
}

void TestDateTimeRules::datetime()
{
    QFETCH(QString, rule);
    QFETCH(QJsonValue, input);
    QFETCH(QJsonValue, expected);
    QFETCH(QString, error);
    checkRule(object(rule.toUtf8().constData()), input, expected, error);
}

void TestDateTimeRules::badParameters_data()
{
    QTest::addColumn<QString>("rule");
    QTest::addColumn<QString>("error");
    QTest::newRow("no patterns") << QStringLiteral(R"({"rule": "datetime"})")
                                 << QStringLiteral("needs the parameter \"patterns\"");
    QTest::newRow("empty patterns") << QStringLiteral(R"({"rule": "datetime", "patterns": []})")
                                    << QStringLiteral("at least one input pattern");
    QTest::newRow("unknown zone") << QStringLiteral(
                                         R"({"rule": "datetime", "patterns": ["iso8601"], "timezone": "Mars/Olympus"})")
                                  << QStringLiteral("not a time zone");
    QTest::newRow("bad letter") << QStringLiteral(R"({"rule": "datetime", "patterns": ["yyyy-MM-ddTHH:mm"]})")
                                << QStringLiteral("'T' is not a date/time letter");
    QTest::newRow("open quote") << QStringLiteral("{\"rule\": \"datetime\", \"patterns\": [\"yyyy'T\"]}")
                                << QStringLiteral("never closed");
    QTest::newRow("policy typo") << QStringLiteral(
                                        R"({"rule": "datetime", "patterns": ["iso8601"], "ambiguous": "first"})")
                                 << QStringLiteral("one of: earlier, later, error");
    QTest::newRow("pattern output without pattern")
        << QStringLiteral(R"({"rule": "datetime", "patterns": ["iso8601"], "output": "pattern"})")
        << QStringLiteral("no output_pattern");
}

void TestDateTimeRules::badParameters()
{
    QFETCH(QString, rule);
    QFETCH(QString, error);
    const RuleOutcome outcome = runRule(object(rule.toUtf8().constData()), QJsonValue(QStringLiteral("2026-01-01")));
    QVERIFY2(outcome.buildError.contains(error), qPrintable(outcome.buildError));
}

QTEST_APPLESS_MAIN(TestDateTimeRules)
#include "tst_datetimerules.moc"
