// Issue 18 item 6: rules by their titles in the studio, and compiler messages in plain words.
#include "ui/ruletitles.h"

#include <QTest>

using namespace transom::ui;

class TestRuleTitles : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void titles_data()
    {
        QTest::addColumn<QString>("rule");
        QTest::addColumn<QString>("title");
        QTest::newRow("phone") << "phone"
                               << "Phone number";
        QTest::newRow("value map") << "value_map"
                                   << "Value map";
        QTest::newRow("collapse whitespace") << "collapse_whitespace"
                                             << "Collapse spaces";
        QTest::newRow("datetime") << "datetime"
                                  << "Date and time";
        QTest::newRow("a rule the table does not know") << "strip_emoji"
                                                        << "Strip emoji";
    }
    void titles()
    {
        QFETCH(QString, rule);
        QFETCH(QString, title);
        QCOMPARE(ruleTitle(rule), title);
    }
    void messages_data()
    {
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("plain");
        QTest::newRow("a missing parameter")
            << R"(field "occurredAt": rule "datetime" needs the parameter "patterns")"
            << "field \"occurredAt\": the rule \u201cDate and time\u201d needs the parameter \"patterns\"";
        QTest::newRow("two rules") << R"(rule "trim" before rule "value_map")"
                                   << "the rule \u201cTrim spaces\u201d before the rule \u201cValue map\u201d";
        QTest::newRow("nothing to change") << "no rules here"
                                           << "no rules here";
    }
    void messages()
    {
        QFETCH(QString, message);
        QFETCH(QString, plain);
        QCOMPARE(plainRuleMessage(message), plain);
    }
};

QTEST_MAIN(TestRuleTitles)
#include "tst_ruletitles.moc"
