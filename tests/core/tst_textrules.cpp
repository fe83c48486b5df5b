#include "ruletesting.h"

#include "core/mapping/rule.h"
#include "core/mapping/rulecatalog.h"

#include <QRegularExpression>

using namespace transom::testing;

class TestTextRules : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void collapseMatchesSimplified_data();
    void collapseMatchesSimplified();
    void emailCheckMatchesItsPattern_data();
    void emailCheckMatchesItsPattern();
    void text_data();
    void text();
    void badParameters_data();
    void badParameters();
};

void TestTextRules::text_data()
{
    QTest::addColumn<QString>("rule");
    QTest::addColumn<QJsonValue>("input");
    QTest::addColumn<QJsonValue>("expected");
    QTest::addColumn<QString>("error");
    auto s = [](const char *t) { return QJsonValue(QString::fromUtf8(t)); };
    const QString trim = QStringLiteral("{\"rule\": \"trim\"}");
    const QString collapse = QStringLiteral("{\"rule\": \"collapse_whitespace\"}");
    const QString title = QStringLiteral("{\"rule\": \"case\", \"mode\": \"title\"}");
    const QString email = QStringLiteral("{\"rule\": \"email\"}");

    QTest::newRow("trim") << trim << s("  Maria \t\n") << s("Maria") << QString();
    QTest::newRow("trim number") << trim << QJsonValue(42) << s("42") << QString();
    QTest::newRow("trim keeps inner spaces") << trim << s(" a  b ") << s("a  b") << QString();
    QTest::newRow("trim object") << trim << QJsonValue(QJsonObject{}) << missing
                                 << QStringLiteral("expected text, got an object");
    QTest::newRow("trim null passes") << trim << QJsonValue(QJsonValue::Null) << missing << QString();
    QTest::newRow("collapse") << collapse << s("  100   Oak\tSt \n Apt 4 ") << s("100 Oak St Apt 4") << QString();
    QTest::newRow("upper") << QStringLiteral("{\"rule\": \"case\", \"mode\": \"upper\"}") << s("tx") << s("TX")
                           << QString();
    QTest::newRow("upper sharp s") << QStringLiteral("{\"rule\": \"case\", \"mode\": \"upper\"}") << s("straße")
                                   << s("STRASSE") << QString();
    QTest::newRow("lower") << QStringLiteral("{\"rule\": \"case\", \"mode\": \"lower\"}") << s("ÉLODIE") << s("élodie")
                           << QString();
    QTest::newRow("title") << title << s("maria GARCIA") << s("Maria Garcia") << QString();
    QTest::newRow("title apostrophe and hyphen") << title << s("o'brien-smith") << s("O'Brien-Smith") << QString();
    QTest::newRow("title accents") << title << s("josé ÁLVAREZ") << s("José Álvarez") << QString();
    QTest::newRow("title outside the BMP") << title << s("𝒜bc def") << s("𝒜bc Def") << QString();
    QTest::newRow("title digraph") << title << s("ǆuro") << s("ǅuro") << QString();
    QTest::newRow("title deseret (cases outside the BMP)") << title << s("𐐨𐐯 𐐨") << s("𐐀𐐯 𐐀") << QString();
    QTest::newRow("title greek and cyrillic") << title << s("ΣΩΚΡΑΤΗΣ иван") << s("Σωκρατησ Иван") << QString();
    QTest::newRow("title digits join words") << title << s("3rd ave 12b") << s("3rd Ave 12b") << QString();
    QTest::newRow("truncate") << QStringLiteral("{\"rule\": \"truncate\", \"max\": 5}") << s("abcdefgh") << s("abcde")
                              << QString();
    QTest::newRow("truncate with ellipsis")
        << QStringLiteral("{\"rule\": \"truncate\", \"max\": 5, \"ellipsis\": \"…\"}") << s("abcdefgh") << s("abcd…")
        << QString();
    QTest::newRow("truncate short stays")
        << QStringLiteral("{\"rule\": \"truncate\", \"max\": 5}") << s("abc") << s("abc") << QString();
    QTest::newRow("truncate never splits a surrogate pair")
        << QStringLiteral("{\"rule\": \"truncate\", \"max\": 2}") << s("a😀b") << s("a") << QString();
    QTest::newRow("truncate 1 MB") << QStringLiteral("{\"rule\": \"truncate\", \"max\": 3}")
                                   << QJsonValue(QString(1 << 20, QLatin1Char('x'))) << s("xxx") << QString();
    QTest::newRow("email") << email << s("  Maria.Garcia@Example.COM ") << s("maria.garcia@example.com") << QString();
    QTest::newRow("email mailto") << email << s("mailto:a@b.co") << s("a@b.co") << QString();
    QTest::newRow("email plus tag") << email << s("lead+zillow@example.com") << s("lead+zillow@example.com")
                                    << QString();
    QTest::newRow("email unicode domain") << email << s("josé@bücher.de") << s("josé@bücher.de") << QString();
    QTest::newRow("email no at") << email << s("maria.example.com") << missing
                                 << QStringLiteral("not a valid e-mail address");
    QTest::newRow("email two ats") << email << s("a@b@c.com") << missing
                                   << QStringLiteral("not a valid e-mail address");
    QTest::newRow("email no tld") << email << s("maria@localhost") << missing
                                  << QStringLiteral("not a valid e-mail address");
    QTest::newRow("email spaces") << email << s("maria garcia@example.com") << missing
                                  << QStringLiteral("not a valid e-mail address");
    QTest::newRow("email injection") << email << s("x@y.com\r\nBcc: all@corp.com") << missing
                                     << QStringLiteral("not a valid e-mail address");
    QTest::newRow("email 1 MB") << email << QJsonValue(QString(1 << 20, QLatin1Char('a')) + QStringLiteral("@x.com"))
                                << missing << QStringLiteral("not a valid e-mail address");
    QTest::newRow("email empty") << email << s("   ") << missing << QString();
    QTest::newRow("regex extract zip")
        << QStringLiteral("{\"rule\": \"regex_extract\", \"pattern\": \"^(\\\\d{5})(?:-\\\\d{4})?$\"}")
        << s("78704-1234") << s("78704") << QString();
    QTest::newRow("regex extract named")
        << QStringLiteral(
               "{\"rule\": \"regex_extract\", \"pattern\": \"MLS#\\\\s*(?<mls>\\\\w+)\", \"group\": \"mls\"}")
        << s("see MLS# ACT500") << s("ACT500") << QString();
    QTest::newRow("regex extract no match")
        << QStringLiteral("{\"rule\": \"regex_extract\", \"pattern\": \"^(\\\\d{5})$\"}") << s("TX") << missing
        << QStringLiteral("does not match");
    QTest::newRow("regex extract no match null")
        << QStringLiteral("{\"rule\": \"regex_extract\", \"pattern\": \"^(\\\\d{5})$\", \"on_no_match\": \"null\"}")
        << s("TX") << missing << QString();
    QTest::newRow("regex extract pass through")
        << QStringLiteral(
               "{\"rule\": \"regex_extract\", \"pattern\": \"^(\\\\d{5})$\", \"on_no_match\": \"pass_through\"}")
        << s("TX") << s("TX") << QString();
    QTest::newRow("regex replace")
        << QStringLiteral("{\"rule\": \"regex_replace\", \"pattern\": \"[^0-9]\", \"replacement\": \"\"}")
        << s("(512) 555-0142") << s("5125550142") << QString();
    QTest::newRow("regex replace backreference")
        << QStringLiteral(
               "{\"rule\": \"regex_replace\", \"pattern\": \"(\\\\w+), (\\\\w+)\", \"replacement\": \"\\\\2 \\\\1\"}")
        << s("Garcia, Maria") << s("Maria Garcia") << QString();
}

void TestTextRules::text()
{
    QFETCH(QString, rule);
    QFETCH(QJsonValue, input);
    QFETCH(QJsonValue, expected);
    QFETCH(QString, error);
    checkRule(object(rule.toUtf8().constData()), input, expected, error);
}

void TestTextRules::badParameters_data()
{
    QTest::addColumn<QString>("rule");
    QTest::addColumn<QString>("error");
    QTest::newRow("case without mode") << QStringLiteral("{\"rule\": \"case\"}")
                                       << QStringLiteral("needs the parameter \"mode\"");
    QTest::newRow("case bad mode") << QStringLiteral("{\"rule\": \"case\", \"mode\": \"camel\"}")
                                   << QStringLiteral("one of: upper, lower, title");
    QTest::newRow("truncate zero") << QStringLiteral("{\"rule\": \"truncate\", \"max\": 0}")
                                   << QStringLiteral("at least 1");
    QTest::newRow("truncate fraction") << QStringLiteral("{\"rule\": \"truncate\", \"max\": 2.5}")
                                       << QStringLiteral("whole number");
    QTest::newRow("broken regex") << QStringLiteral("{\"rule\": \"regex_extract\", \"pattern\": \"(abc\"}")
                                  << QStringLiteral("not a valid regular expression");
    QTest::newRow("missing group") << QStringLiteral("{\"rule\": \"regex_extract\", \"pattern\": \"abc\"}")
                                   << QStringLiteral("no capture group \"1\"");
    QTest::newRow("unknown rule") << QStringLiteral("{\"rule\": \"titlecase\"}")
                                  << QStringLiteral("unknown rule \"titlecase\"");
    QTest::newRow("rule name missing") << QStringLiteral("{\"mode\": \"upper\"}")
                                       << QStringLiteral("needs a \"rule\" name");
}

void TestTextRules::badParameters()
{
    QFETCH(QString, rule);
    QFETCH(QString, error);
    const RuleOutcome outcome = runRule(object(rule.toUtf8().constData()), QJsonValue(QStringLiteral("x")));
    QVERIFY2(outcome.buildError.contains(error), qPrintable(outcome.buildError));
}

void TestTextRules::collapseMatchesSimplified_data()
{
    QTest::addColumn<QString>("text");
    for (const char *row : {"", " ", "a", "a b", "a  b", " a", "a ", "a\tb", "a\nb", "Oak St", "100   Oak\tSt \n Apt 4 ",
                            "a\u00a0b", "\u2003a", "a b c d", "a b  c"})
        QTest::newRow(row) << QString::fromUtf8(row);
}

// collapse_whitespace skips the copy when nothing changes, and otherwise answers as simplified().
void TestTextRules::collapseMatchesSimplified()
{
    QFETCH(QString, text);
    QCOMPARE(transom::mapping::collapseWhitespace(text), text.simplified());
}

void TestTextRules::emailCheckMatchesItsPattern_data()
{
    QTest::addColumn<QString>("text");
    const char *rows[] = {"a@b.co", "maria.garcia@example.com", "lead+zillow@example.com", "josé@bücher.de",
                          "a@b", "a@b.c", "a@.com", "a@b..com", "a@b.com.", "@b.com", "a@@b.com", "a@b@c.com",
                          "a b@c.com", "a@b c.com", "a@b.c0m", "a@b.co1", "a@1.2.com", "a@b.c-m", "a\tb@c.com",
                          "a@b.com\n", "\"a\"@b.com", "a<b@c.com", "a@b.co)", "a@[1.2.3.4]", "a@b.com;x@y.com",
                          "a:b@c.com", "a\\b@c.com", "a@b.com,", "x@y.com\r\nbcc: all@corp.com", "a@b.münchen",
                          "a@b.中国", "a@b.c\u00a0om", "a.@b.com", ".a@b.com", "a@-b.com", "a@b.-com", "", "@",
                          "a@", "a@.", "a@b.", "a@.b", "a@b.cc.", "ab", "a@b.c2", "a@b.22", "a@b.𝒜", "a@b.𝒜𝒜",
                          "𝒜@b.co", "a@𝒜.co"};
    for (const char *row : rows)
        QTest::newRow(row) << QString::fromUtf8(row);
}

// The hand-written check gives the answers of the pattern it replaced (with \z for $: the rule trims
// its input, so the newline $ would let through before the end never reaches it).
void TestTextRules::emailCheckMatchesItsPattern()
{
    QFETCH(QString, text);
    static const QRegularExpression pattern(QStringLiteral("^[^\\s@\"<>(),;:\\\\\\[\\]]+@(?:[^\\s@\"<>(),;:\\\\\\[\\].]+\\.)+[^\\s@\"<>(),;:\\\\\\[\\].\\d]{2,}\\z"));
    QCOMPARE(transom::mapping::isPracticalEmail(text), pattern.match(text).hasMatch());
}

QTEST_APPLESS_MAIN(TestTextRules)
#include "tst_textrules.moc"
