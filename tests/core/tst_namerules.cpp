#include "ruletesting.h"

using namespace transom::testing;

class TestNameRules : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void templates_data();
    void templates();
    void nameSplit_data();
    void nameSplit();
    void badTemplates_data();
    void badTemplates();
};

void TestNameRules::templates_data()
{
    QTest::addColumn<QString>("templateText");
    QTest::addColumn<QString>("record");
    QTest::addColumn<QJsonValue>("expected");
    QTest::addColumn<QString>("error");
    auto s = [](const char *t) { return QJsonValue(QString::fromUtf8(t)); };

    QTest::newRow("full name") << QStringLiteral("{first_name} {last_name}")
                               << QStringLiteral(R"({"first_name": "Maria", "last_name": "Garcia"})")
                               << s("Maria Garcia") << QString();
    QTest::newRow("missing part tidied") << QStringLiteral("{first_name} {last_name}")
                                         << QStringLiteral(R"({"first_name": "Maria"})") << s("Maria") << QString();
    QTest::newRow("all missing is no value")
        << QStringLiteral("{first_name} {last_name}") << QStringLiteral(R"({"other": 1})") << missing << QString();
    QTest::newRow("nested paths") << QStringLiteral("{property.address}, {property.city}")
                                  << QStringLiteral(R"({"property": {"address": "100 Oak St", "city": "Austin"}})")
                                  << s("100 Oak St, Austin") << QString();
    QTest::newRow("array index") << QStringLiteral("{emails[1].value}")
                                 << QStringLiteral(R"({"emails": [{"value": "a@x.com"}, {"value": "b@x.com"}]})")
                                 << s("b@x.com") << QString();
    QTest::newRow("optional section kept")
        << QStringLiteral("{StreetNumber} {StreetName}[ #{UnitNumber}]")
        << QStringLiteral(R"({"StreetNumber": "102", "StreetName": "Barton Springs", "UnitNumber": "4B"})")
        << s("102 Barton Springs #4B") << QString();
    QTest::newRow("optional section dropped")
        << QStringLiteral("{StreetNumber} {StreetName}[ #{UnitNumber}]")
        << QStringLiteral(R"({"StreetNumber": "100", "StreetName": "Barton Springs", "UnitNumber": null})")
        << s("100 Barton Springs") << QString();
    QTest::newRow("numbers in text") << QStringLiteral("{beds} bd / {baths} ba")
                                     << QStringLiteral(R"({"beds": 3, "baths": 2.5})") << s("3 bd / 2.5 ba")
                                     << QString();
    QTest::newRow("escaped braces") << QStringLiteral("\\{literal\\} {a}") << QStringLiteral(R"({"a": "x"})")
                                    << s("{literal} x") << QString();
    QTest::newRow("current value") << QStringLiteral("Lead: {$}") << QStringLiteral(R"({"in": "Zillow"})")
                                   << s("Lead: Zillow") << QString();
    QTest::newRow("unicode") << QStringLiteral("{first_name} {last_name}")
                             << QStringLiteral(R"({"first_name": "Zoë", "last_name": "Ñúñez"})") << s("Zoë Ñúñez")
                             << QString();
    QTest::newRow("nested sections, inner one filled")
        << QStringLiteral("{a}[ ({b}[ #{c}])]") << QStringLiteral(R"({"a": "A", "b": "B", "c": "C"})") << s("A (B #C)")
        << QString();
    QTest::newRow("nested sections, inner one empty")
        << QStringLiteral("{a}[ ({b}[ #{c}])]") << QStringLiteral(R"({"a": "A", "b": "B"})") << s("A (B)") << QString();
    QTest::newRow("nested sections, outer one empty")
        << QStringLiteral("{a}[ ({b}[ #{c}])]") << QStringLiteral(R"({"a": "A", "c": "C"})") << s("A") << QString();
    QTest::newRow("32 nested sections, the most allowed")
        << QString(32, QLatin1Char('[')) + QStringLiteral("<{a}>") + QString(32, QLatin1Char(']'))
        << QStringLiteral(R"({"a": "x"})") << s("<x>") << QString();
    QTest::newRow("object placeholder") << QStringLiteral("{property}") << QStringLiteral(R"({"property": {"a": 1}})")
                                        << missing << QStringLiteral("holds an object, not text");
}

void TestNameRules::templates()
{
    QFETCH(QString, templateText);
    QFETCH(QString, record);
    QFETCH(QJsonValue, expected);
    QFETCH(QString, error);
    const QJsonObject rule{{QStringLiteral("rule"), QStringLiteral("template")},
                           {QStringLiteral("template"), templateText}};
    QJsonObject source = object(record.toUtf8().constData());
    const QJsonValue in = source.take(QStringLiteral("in"));
    const RuleOutcome outcome = runRule(rule, in, {}, source);
    QVERIFY2(outcome.buildError.isEmpty(), qPrintable(outcome.buildError));
    QVERIFY2(outcome.formsDisagree.isEmpty(), qPrintable(outcome.formsDisagree));
    if (error.isEmpty()) {
        QVERIFY2(outcome.fieldError.isEmpty(), qPrintable(outcome.fieldError));
        QCOMPARE(outcome.output, expected);
    } else {
        QVERIFY2(outcome.fieldError.contains(error), qPrintable(outcome.fieldError));
    }
}

void TestNameRules::nameSplit_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("first");
    QTest::addColumn<QString>("middle");
    QTest::addColumn<QString>("last");

    QTest::newRow("two words") << QStringLiteral("Maria Garcia") << QStringLiteral("Maria") << QString()
                               << QStringLiteral("Garcia");
    QTest::newRow("last, first") << QStringLiteral("Garcia, Maria") << QStringLiteral("Maria") << QString()
                                 << QStringLiteral("Garcia");
    QTest::newRow("middle name") << QStringLiteral("James Earl Jones") << QStringLiteral("James")
                                 << QStringLiteral("Earl") << QStringLiteral("Jones");
    QTest::newRow("title and suffix") << QStringLiteral("Dr. Martin Luther King Jr.") << QStringLiteral("Martin")
                                      << QStringLiteral("Luther") << QStringLiteral("King");
    QTest::newRow("particles") << QStringLiteral("María José de la Cruz") << QStringLiteral("María")
                               << QStringLiteral("José") << QStringLiteral("de la Cruz");
    QTest::newRow("single word") << QStringLiteral("Cher") << QStringLiteral("Cher") << QString() << QString();
    QTest::newRow("extra spaces") << QStringLiteral("  Liam    Wei ") << QStringLiteral("Liam") << QString()
                                  << QStringLiteral("Wei");
    QTest::newRow("suffix after comma") << QStringLiteral("John Smith, Jr.") << QStringLiteral("John") << QString()
                                        << QStringLiteral("Smith");
    QTest::newRow("non-latin") << QStringLiteral("Nguyễn Văn An") << QStringLiteral("Nguyễn") << QStringLiteral("Văn")
                               << QStringLiteral("An");
}

void TestNameRules::nameSplit()
{
    QFETCH(QString, input);
    QFETCH(QString, first);
    QFETCH(QString, middle);
    QFETCH(QString, last);
    const std::pair<QString, QString> parts[] = {
        {QStringLiteral("first"), first}, {QStringLiteral("middle"), middle}, {QStringLiteral("last"), last}};
    for (const auto &[part, expected] : parts) {
        const QJsonObject rule{{QStringLiteral("rule"), QStringLiteral("name_split")}, {QStringLiteral("part"), part}};
        const RuleOutcome outcome = runRule(rule, QJsonValue(input));
        QVERIFY2(outcome.formsDisagree.isEmpty(), qPrintable(outcome.formsDisagree));
        QVERIFY2(outcome.fieldError.isEmpty(), qPrintable(outcome.fieldError));
        QCOMPARE(outcome.output, expected.isEmpty() ? missing : QJsonValue(expected));
    }
    const RuleOutcome wrongType = runRule(object(R"({"rule": "name_split", "part": "first"})"), QJsonValue(5));
    QVERIFY(wrongType.fieldError.contains(QStringLiteral("expected a name")));
}

void TestNameRules::badTemplates_data()
{
    QTest::addColumn<QString>("templateText");
    QTest::addColumn<QString>("error");
    QTest::newRow("unclosed brace") << QStringLiteral("{first_name {last}")
                                    << QStringLiteral("not closed before the next");
    QTest::newRow("never closed") << QStringLiteral("Hello {name") << QStringLiteral("never closed");
    QTest::newRow("stray bracket") << QStringLiteral("a ] b") << QStringLiteral("unexpected ']'");
    QTest::newRow("open section") << QStringLiteral("[ {a}") << QStringLiteral("never closed");
    QTest::newRow("empty placeholder") << QStringLiteral("{}") << QStringLiteral("the path is empty");
    // Sections inside sections: the parser recursed once per '[' and 20,000 of them overflowed the stack.
    auto nested = [](int depth) {
        return QString(depth, QLatin1Char('[')) + QStringLiteral("{a}") + QString(depth, QLatin1Char(']'));
    };
    QTest::newRow("33 nested sections") << nested(33)
                                        << QStringLiteral(
                                               "the section '[' at character 33 is nested more than 32 deep");
    QTest::newRow("20,000 nested sections") << nested(20000) << QStringLiteral("nested more than 32 deep");
    QTest::newRow("20,000 unclosed sections")
        << QString(20000, QLatin1Char('[')) << QStringLiteral("nested more than 32 deep");
}

void TestNameRules::badTemplates()
{
    QFETCH(QString, templateText);
    QFETCH(QString, error);
    const QJsonObject rule{{QStringLiteral("rule"), QStringLiteral("template")},
                           {QStringLiteral("template"), templateText}};
    const RuleOutcome outcome = runRule(rule, QJsonValue(QStringLiteral("x")));
    QVERIFY2(outcome.buildError.contains(error), qPrintable(outcome.buildError));
}

QTEST_APPLESS_MAIN(TestNameRules)
#include "tst_namerules.moc"
