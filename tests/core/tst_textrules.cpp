#include "ruletesting.h"

#include "core/mapping/rule.h"
#include "core/mapping/rulecatalog.h"

#include <QRandomGenerator>
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
    void utf8SpacesAreQCharSpaces();
    void utf8PathsAgreeOnRandomText();
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
    for (const char *row : {"", " ", "a", "a b", "a  b", " a", "a ", "a\tb", "a\nb", "Oak St",
                            "100   Oak\tSt \n Apt 4 ", "a\u00a0b", "\u2003a", "a b c d", "a b  c"})
        QTest::newRow(row) << QString::fromUtf8(row);
}

// collapse_whitespace skips the copy when nothing changes, and otherwise answers as simplified().
void TestTextRules::collapseMatchesSimplified()
{
    QFETCH(QString, text);
    QCOMPARE(transom::mapping::collapseWhitespace(text), text.simplified());
    // The UTF-8 forms give the same answers.
    const QByteArray utf8 = text.toUtf8();
    const std::string_view view(utf8.constData(), size_t(utf8.size()));
    std::string simplified;
    const bool changed = transom::mapping::utf8Simplified(view, simplified);
    QCOMPARE(changed, text.simplified() != text);
    QCOMPARE(QString::fromUtf8(changed ? simplified : std::string(view)), text.simplified());
    const std::string_view trimmed = transom::mapping::utf8Trimmed(view);
    QCOMPARE(QString::fromUtf8(trimmed.data(), qsizetype(trimmed.size())), text.trimmed());
}

// utf8SpaceAt knows every white space character QChar::isSpace knows, and no other.
void TestTextRules::utf8SpacesAreQCharSpaces()
{
    for (char32_t cp = 0; cp <= 0x10ffff; ++cp) {
        if (cp >= 0xd800 && cp <= 0xdfff)
            continue;
        const QByteArray utf8 = QString::fromUcs4(&cp, 1).toUtf8();
        const size_t n = transom::mapping::utf8SpaceAt(utf8.constData(), utf8.constData() + utf8.size());
        if ((n != 0) != QChar::isSpace(cp) || (n != 0 && n != size_t(utf8.size())))
            QFAIL(
                qPrintable(QStringLiteral("U+%1: utf8SpaceAt says %2").arg(uint(cp), 4, 16, QLatin1Char('0')).arg(n)));
    }
}

// Random text through every text rule: strings kept as UTF-8 and strings held as QString map alike
// (runRule maps each record both ways and reports any difference).
void TestTextRules::utf8PathsAgreeOnRandomText()
{
    const QStringList pieces = {
        QStringLiteral(" "),       QStringLiteral("  "),     QStringLiteral("\t"),      QStringLiteral("\n"),
        QStringLiteral("\u00a0"),  QStringLiteral("\u3000"), QStringLiteral("\u2028"),  QStringLiteral("a"),
        QStringLiteral("Z"),       QStringLiteral("maria"),  QStringLiteral("O'BRIEN"), QStringLiteral("-"),
        QStringLiteral("3rd"),     QStringLiteral("é"),      QStringLiteral("Ñ"),       QStringLiteral("ß"),
        QStringLiteral("ǆ"),       QStringLiteral("😀"),      QStringLiteral("@"),       QStringLiteral("."),
        QStringLiteral("example"), QStringLiteral("com"),    QStringLiteral("mailto:"), QStringLiteral("\""),
        QStringLiteral("\\"),      QStringLiteral("_"),      QStringLiteral("1"),       QStringLiteral("\ufeff")};
    const char *const rules[] = {
        "{\"rule\": \"trim\"}",
        "{\"rule\": \"collapse_whitespace\"}",
        "{\"rule\": \"case\", \"mode\": \"upper\"}",
        "{\"rule\": \"case\", \"mode\": \"lower\"}",
        "{\"rule\": \"case\", \"mode\": \"title\"}",
        "{\"rule\": \"truncate\", \"max\": 6, \"ellipsis\": \"…\"}",
        "{\"rule\": \"email\"}",
        "{\"rule\": \"value_map\", \"map\": {\"maria\": 1, \"a b\": 2, \"é\": 3}, \"case_insensitive\": true, "
        "\"unmapped\": \"pass_through\"}",
        "{\"rule\": \"value_map\", \"map\": {\"maria\": 1, \"a\": 2}, \"unmapped\": \"error\"}",
        "{\"rule\": \"template\", \"template\": \"<{$}> {other}[ ({missing})]\"}",
        "{\"rule\": \"required\"}",
        "{\"rule\": \"regex_extract\", \"pattern\": \"(\\\\w+)\\\\s*(é|ß)?\", \"on_no_match\": \"null\"}",
        "{\"rule\": \"regex_extract\", \"pattern\": \"^(?<a>[a-z]+)(\\\\d)?\", \"case_insensitive\": true, "
        "\"group\": \"a\", \"on_no_match\": \"pass_through\"}",
        "{\"rule\": \"regex_extract\", \"pattern\": \"(x)?(.)\", \"group\": \"1\", \"on_no_match\": \"null\"}",
        "{\"rule\": \"regex_extract\", \"pattern\": \"ñ+|😀\", \"group\": \"0\"}",
        "{\"rule\": \"regex_extract\", \"pattern\": \"(\\\\C)\", \"on_no_match\": \"null\"}",
    };
    QRandomGenerator rng(7);
    for (int i = 0; i < 400; ++i) {
        QString text;
        const int n = rng.bounded(6);
        for (int k = 0; k < n; ++k)
            text += pieces.at(rng.bounded(int(pieces.size())));
        if (i % 50 == 0)
            text = QStringLiteral("a@b.co"); // some valid addresses
        for (const char *rule : rules) {
            const RuleOutcome outcome =
                runRule(object(rule), QJsonValue(text), {}, QJsonObject{{QStringLiteral("other"), text}});
            QVERIFY2(outcome.buildError.isEmpty(), qPrintable(outcome.buildError));
            QVERIFY2(outcome.formsDisagree.isEmpty(),
                     qPrintable(
                         QStringLiteral("%1 on \"%2\": %3").arg(QString::fromUtf8(rule), text, outcome.formsDisagree)));
        }
    }
}

void TestTextRules::emailCheckMatchesItsPattern_data()
{
    QTest::addColumn<QString>("text");
    const char *rows[] = {"a@b.co",
                          "maria.garcia@example.com",
                          "lead+zillow@example.com",
                          "josé@bücher.de",
                          "a@b",
                          "a@b.c",
                          "a@.com",
                          "a@b..com",
                          "a@b.com.",
                          "@b.com",
                          "a@@b.com",
                          "a@b@c.com",
                          "a b@c.com",
                          "a@b c.com",
                          "a@b.c0m",
                          "a@b.co1",
                          "a@1.2.com",
                          "a@b.c-m",
                          "a\tb@c.com",
                          "a@b.com\n",
                          "\"a\"@b.com",
                          "a<b@c.com",
                          "a@b.co)",
                          "a@[1.2.3.4]",
                          "a@b.com;x@y.com",
                          "a:b@c.com",
                          "a\\b@c.com",
                          "a@b.com,",
                          "x@y.com\r\nbcc: all@corp.com",
                          "a@b.münchen",
                          "a@b.中国",
                          "a@b.c\u00a0om",
                          "a.@b.com",
                          ".a@b.com",
                          "a@-b.com",
                          "a@b.-com",
                          "",
                          "@",
                          "a@",
                          "a@.",
                          "a@b.",
                          "a@.b",
                          "a@b.cc.",
                          "ab",
                          "a@b.c2",
                          "a@b.22",
                          "a@b.𝒜",
                          "a@b.𝒜𝒜",
                          "𝒜@b.co",
                          "a@𝒜.co"};
    for (const char *row : rows)
        QTest::newRow(row) << QString::fromUtf8(row);
}

// The hand-written check gives the answers of the pattern it replaced (with \z for $: the rule trims
// its input, so the newline $ would let through before the end never reaches it).
void TestTextRules::emailCheckMatchesItsPattern()
{
    QFETCH(QString, text);
    static const QRegularExpression pattern(QStringLiteral(
        "^[^\\s@\"<>(),;:\\\\\\[\\]]+@(?:[^\\s@\"<>(),;:\\\\\\[\\].]+\\.)+[^\\s@\"<>(),;:\\\\\\[\\].\\d]{2,}\\z"));
    QCOMPARE(transom::mapping::isPracticalEmail(text), pattern.match(text).hasMatch());
}

QTEST_APPLESS_MAIN(TestTextRules)
#include "tst_textrules.moc"
