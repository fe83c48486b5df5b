#include "ruletesting.h"

using namespace transom::testing;

class TestValueRules : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void values_data();
    void values();
    void badParameters_data();
    void badParameters();
};

static const char *const lookupsJson =
    R"({"agents": {"agent1@brokerage.example": 7, "Agent2@Brokerage.example": 12}, "clash": {"a_b": 1, "a-b": 2}})";

void TestValueRules::values_data()
{
    QTest::addColumn<QString>("rule");
    QTest::addColumn<QJsonValue>("input");
    QTest::addColumn<QJsonValue>("expected");
    QTest::addColumn<QString>("error");
    auto s = [](const char *t) { return QJsonValue(QString::fromUtf8(t)); };
    const QString stages = QStringLiteral(R"({"rule": "value_map", "map": {"_new_": 1, "_hot_lead_prospect_": 7}})");
    const QString stagesFolded = QStringLiteral(
        R"({"rule": "value_map", "map": {"_new_": 1, "_hot_lead_prospect_": 7}, "case_insensitive": true})");

    QTest::newRow("value map hit") << stages << s("_hot_lead_prospect_") << QJsonValue(7) << QString();
    QTest::newRow("value map miss is an error")
        << stages << s("_cold_lead_") << missing << QStringLiteral("\"_cold_lead_\" is not in the value map");
    QTest::newRow("value map is case sensitive by default")
        << stages << s("_HOT_LEAD_PROSPECT_") << missing << QStringLiteral("not in the value map");
    QTest::newRow("value map case folding") << stagesFolded << s(" _HOT_Lead_Prospect_ ") << QJsonValue(7) << QString();
    QTest::newRow("value map default policy")
        << QStringLiteral(R"({"rule": "value_map", "map": {"a": 1}, "unmapped": "default", "default": 0})") << s("zzz")
        << QJsonValue(0) << QString();
    QTest::newRow("value map pass through")
        << QStringLiteral(R"({"rule": "value_map", "map": {"a": 1}, "unmapped": "pass_through"})") << s("zzz")
        << s("zzz") << QString();
    QTest::newRow("value map null policy")
        << QStringLiteral(R"({"rule": "value_map", "map": {"a": 1}, "unmapped": "null"})") << s("zzz") << missing
        << QString();
    QTest::newRow("value map number key")
        << QStringLiteral(R"({"rule": "value_map", "map": {"1": "Yes"}})") << QJsonValue(1) << s("Yes") << QString();
    QTest::newRow("value map to a list") << QStringLiteral(
                                                R"({"rule": "value_map", "map": {"Zillow": ["zillow", "portal"]}})")
                                         << s("Zillow")
                                         << QJsonValue(QJsonArray{QStringLiteral("zillow"), QStringLiteral("portal")})
                                         << QString();
    QTest::newRow("value map object input")
        << stages << QJsonValue(QJsonObject{}) << missing << QStringLiteral("expected a single value");
    QTest::newRow("value map null passes") << stages << QJsonValue(QJsonValue::Null) << missing << QString();
    // normalize: case, punctuation, underscores and runs of spaces ignored, on the keys and the input.
    const QString hot = QStringLiteral(
        R"({"rule": "value_map", "map": {"hot lead prospect": "HOT", "_cold_": "COLD"}, "normalize": true})");
    const QString hotUnderscored =
        QStringLiteral(R"({"rule": "value_map", "map": {"_hot_lead_prospect_": "HOT"}, "normalize": true})");
    QTest::newRow("normalize: shouted with underscores, spaced key")
        << hot << s(" _HOT_LEAD_PROSPECT_ ") << s("HOT") << QString();
    QTest::newRow("normalize: shouted with underscores, underscored key")
        << hotUnderscored << s(" _HOT_LEAD_PROSPECT_ ") << s("HOT") << QString();
    QTest::newRow("normalize: plain words, underscored key")
        << hotUnderscored << s("Hot Lead Prospect") << s("HOT") << QString();
    QTest::newRow("normalize: dashes, dots and runs of spaces")
        << hot << s("hot-lead.  prospect\t") << s("HOT") << QString();
    QTest::newRow("normalize: punctuation only at the ends") << hot << s("(cold)!") << s("COLD") << QString();
    QTest::newRow("normalize: words stay apart")
        << hot << s("hotleadprospect") << missing << QStringLiteral("\"hotleadprospect\" is not in the value map");
    QTest::newRow("normalize: symbols are not punctuation")
        << QStringLiteral(R"({"rule": "value_map", "map": {"A+": "top", "A": "good"}, "normalize": true})") << s(" a+ ")
        << s("top") << QString();
    QTest::newRow("normalize: non-ASCII text")
        << QStringLiteral(R"({"rule": "value_map", "map": {"Prospección caliente": "WARM"}, "normalize": true})")
        << s("  PROSPECCIÓN_CALIENTE ") << s("WARM") << QString();
    QTest::newRow("normalize: longer than the ASCII fast path")
        << QStringLiteral(
               R"({"rule": "value_map", "map": {"a b c d e f g h i j k l m n o p q r s t u v w x y z a b )"
               R"(c d e f g h i j k l m n o p q r s t u v w x y z a b c d e f g h i j k l m n o p q r s t": 1},)"
               R"( "normalize": true})")
        << s("A_B_C_D_E_F_G_H_I_J_K_L_M_N_O_P_Q_R_S_T_U_V_W_X_Y_Z_A_B_C_D_E_F_G_H_I_J_K_L_M_N_O_P_Q_R_S_T_U_V_W_X_Y_Z_"
             "A_B_C_D_E_F_G_H_I_J_K_L_M_N_O_P_Q_R_S_T__")
        << QJsonValue(1) << QString();
    QTest::newRow("normalize: a number input")
        << QStringLiteral(R"({"rule": "value_map", "map": {" 7 ": "seven"}, "normalize": true})") << QJsonValue(7)
        << s("seven") << QString();
    QTest::newRow("normalize: unmapped null")
        << QStringLiteral(R"({"rule": "value_map", "map": {"a": 1}, "normalize": true, "unmapped": "null"})")
        << s("_b_") << missing << QString();
    QTest::newRow("normalize: lookup table")
        << QStringLiteral(R"({"rule": "lookup", "table": "agents", "normalize": true})")
        << s(" AGENT1 @ brokerage.example") << QJsonValue(7) << QString();
    // empty: blank text (and null) becomes nothing, or a null that is sent.
    const QString drop = QStringLiteral(R"({"rule": "empty"})");
    const QString sendNull = QStringLiteral(R"({"rule": "empty", "then": "null"})");
    const QJsonValue null(QJsonValue::Null);
    QTest::newRow("empty drop: empty text") << drop << s("") << missing << QString();
    QTest::newRow("empty drop: blank text") << drop << s(" \t\n ") << missing << QString();
    QTest::newRow("empty drop: null") << drop << null << missing << QString();
    QTest::newRow("empty drop: text kept as it is") << drop << s(" x ") << s(" x ") << QString();
    QTest::newRow("empty drop: zero is a value") << drop << QJsonValue(0) << QJsonValue(0) << QString();
    QTest::newRow("empty null: empty text is sent as null") << sendNull << s("") << null << QString();
    QTest::newRow("empty null: blank text is sent as null") << sendNull << s("\u00a0 ") << null << QString();
    QTest::newRow("empty null: null is sent as null") << sendNull << null << null << QString();
    QTest::newRow("empty null: a missing field stays missing") << sendNull << missing << missing << QString();
    QTest::newRow("empty null: false is a value") << sendNull << QJsonValue(false) << QJsonValue(false) << QString();
    QTest::newRow("empty null: text kept") << sendNull << s("Zillow") << s("Zillow") << QString();
    QTest::newRow("lookup hit") << QStringLiteral(R"({"rule": "lookup", "table": "agents"})")
                                << s("agent1@brokerage.example") << QJsonValue(7) << QString();
    QTest::newRow("lookup folds case by default") << QStringLiteral(R"({"rule": "lookup", "table": "agents"})")
                                                  << s("AGENT2@brokerage.example") << QJsonValue(12) << QString();
    QTest::newRow("lookup miss") << QStringLiteral(R"({"rule": "lookup", "table": "agents"})") << s("nobody@x.com")
                                 << missing << QStringLiteral("not in the lookup table \"agents\"");
    QTest::newRow("constant") << QStringLiteral(R"({"rule": "constant", "value": "Transom"})") << s("anything")
                              << s("Transom") << QString();
    QTest::newRow("constant on missing") << QStringLiteral(R"({"rule": "constant", "value": 3})") << missing
                                         << QJsonValue(3) << QString();
    QTest::newRow("default on missing") << QStringLiteral(R"({"rule": "default", "value": "Website"})") << missing
                                        << s("Website") << QString();
    QTest::newRow("default on empty") << QStringLiteral(R"({"rule": "default", "value": "Website"})") << s("")
                                      << s("Website") << QString();
    QTest::newRow("default keeps value") << QStringLiteral(R"({"rule": "default", "value": "Website"})") << s("Zillow")
                                         << s("Zillow") << QString();
    QTest::newRow("required ok") << QStringLiteral(R"({"rule": "required"})") << s("x") << s("x") << QString();
    QTest::newRow("required missing") << QStringLiteral(R"({"rule": "required"})") << missing << missing
                                      << QStringLiteral("source field is missing");
    QTest::newRow("required null") << QStringLiteral(R"({"rule": "required"})") << QJsonValue(QJsonValue::Null)
                                   << missing << QStringLiteral("is empty");
    QTest::newRow("required blank") << QStringLiteral(R"({"rule": "required"})") << s("   ") << missing
                                    << QStringLiteral("is empty");
    QTest::newRow("required zero is a value")
        << QStringLiteral(R"({"rule": "required"})") << QJsonValue(0) << QJsonValue(0) << QString();
    const QString boolean = QStringLiteral(R"({"rule": "boolean"})");
    QTest::newRow("bool yes") << boolean << s("yes") << QJsonValue(true) << QString();
    QTest::newRow("bool Y") << boolean << s("Y") << QJsonValue(true) << QString();
    QTest::newRow("bool TRUE") << boolean << s(" TRUE ") << QJsonValue(true) << QString();
    QTest::newRow("bool 1 number") << boolean << QJsonValue(1) << QJsonValue(true) << QString();
    QTest::newRow("bool sí") << boolean << s("Sí") << QJsonValue(true) << QString();
    QTest::newRow("bool no") << boolean << s("no") << QJsonValue(false) << QString();
    QTest::newRow("bool 0 text") << boolean << s("0") << QJsonValue(false) << QString();
    QTest::newRow("bool passes bool") << boolean << QJsonValue(false) << QJsonValue(false) << QString();
    QTest::newRow("bool maybe") << boolean << s("maybe") << missing << QStringLiteral("neither yes nor no");
    QTest::newRow("bool 2") << boolean << QJsonValue(2) << missing << QStringLiteral("neither yes nor no");
    QTest::newRow("bool custom values")
        << QStringLiteral(R"({"rule": "boolean", "true_values": ["pre-approved"], "false_values": ["none"]})")
        << s("Pre-Approved") << QJsonValue(true) << QString();
}

void TestValueRules::values()
{
    QFETCH(QString, rule);
    QFETCH(QJsonValue, input);
    QFETCH(QJsonValue, expected);
    QFETCH(QString, error);
    checkRule(object(rule.toUtf8().constData()), input, expected, error, object(lookupsJson));
}

void TestValueRules::badParameters_data()
{
    QTest::addColumn<QString>("rule");
    QTest::addColumn<QString>("error");
    QTest::newRow("map not an object") << QStringLiteral(R"({"rule": "value_map", "map": ["a"]})")
                                       << QStringLiteral("must be an object");
    QTest::newRow("default policy without default")
        << QStringLiteral(R"({"rule": "value_map", "map": {}, "unmapped": "default"})")
        << QStringLiteral("no \"default\" value");
    QTest::newRow("unknown policy") << QStringLiteral(R"({"rule": "value_map", "map": {}, "unmapped": "skip"})")
                                    << QStringLiteral("one of: error, default, pass_through, null");
    QTest::newRow("unknown lookup table")
        << QStringLiteral(R"({"rule": "lookup", "table": "offices"})") << QStringLiteral("no lookup table \"offices\"");
    QTest::newRow("normalize: two keys that read alike")
        << QStringLiteral(R"({"rule": "value_map", "map": {"_hot_": 1, "Hot": 2}, "normalize": true})")
        << QStringLiteral("the keys \"Hot\" and \"_hot_\" are the same once normalized (\"hot\")");
    QTest::newRow("normalize: lookup keys that read alike")
        << QStringLiteral(R"({"rule": "lookup", "table": "clash", "normalize": true})")
        << QStringLiteral("the keys \"a-b\" and \"a_b\" are the same once normalized (\"a b\")");
    QTest::newRow("normalize not a boolean")
        << QStringLiteral(R"({"rule": "value_map", "map": {}, "normalize": "yes"})")
        << QStringLiteral("parameter \"normalize\" of rule \"value_map\" must be true or false");
    QTest::newRow("empty: unknown choice") << QStringLiteral(R"({"rule": "empty", "then": "blank"})")
                                           << QStringLiteral("parameter \"then\" of rule \"empty\" must be one of: "
                                                             "drop, null");
    QTest::newRow("constant without value")
        << QStringLiteral(R"({"rule": "constant"})") << QStringLiteral("needs the parameter \"value\"");
}

void TestValueRules::badParameters()
{
    QFETCH(QString, rule);
    QFETCH(QString, error);
    const RuleOutcome outcome =
        runRule(object(rule.toUtf8().constData()), QJsonValue(QStringLiteral("x")), object(lookupsJson));
    QVERIFY2(outcome.buildError.contains(error), qPrintable(outcome.buildError));
}

QTEST_APPLESS_MAIN(TestValueRules)
#include "tst_valuerules.moc"
