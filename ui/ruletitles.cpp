#include "ui/ruletitles.h"

#include <QCoreApplication>
#include <QHash>
#include <QRegularExpression>

namespace transom::ui {

QString ruleTitle(const QString &rule)
{
    struct Title {
        const char *rule;
        const char *title;
    };
    static const Title titles[] = {
        {"datetime", QT_TRANSLATE_NOOP("transom::ui::RuleTitle", "Date and time")},
        {"template", QT_TRANSLATE_NOOP("transom::ui::RuleTitle", "Text template")},
        {"name", QT_TRANSLATE_NOOP("transom::ui::RuleTitle", "Person's name")},
        {"name_split", QT_TRANSLATE_NOOP("transom::ui::RuleTitle", "Split a full name")},
        {"money", QT_TRANSLATE_NOOP("transom::ui::RuleTitle", "Money to cents")},
        {"number", QT_TRANSLATE_NOOP("transom::ui::RuleTitle", "Number")},
        {"phone", QT_TRANSLATE_NOOP("transom::ui::RuleTitle", "Phone number")},
        {"trim", QT_TRANSLATE_NOOP("transom::ui::RuleTitle", "Trim spaces")},
        {"collapse_whitespace", QT_TRANSLATE_NOOP("transom::ui::RuleTitle", "Collapse spaces")},
        {"case", QT_TRANSLATE_NOOP("transom::ui::RuleTitle", "Upper or lower case")},
        {"truncate", QT_TRANSLATE_NOOP("transom::ui::RuleTitle", "Shorten text")},
        {"email", QT_TRANSLATE_NOOP("transom::ui::RuleTitle", "E-mail address")},
        {"regex_extract", QT_TRANSLATE_NOOP("transom::ui::RuleTitle", "Extract with a pattern")},
        {"regex_replace", QT_TRANSLATE_NOOP("transom::ui::RuleTitle", "Replace with a pattern")},
        {"constant", QT_TRANSLATE_NOOP("transom::ui::RuleTitle", "Fixed value")},
        {"default", QT_TRANSLATE_NOOP("transom::ui::RuleTitle", "Default when empty")},
        {"required", QT_TRANSLATE_NOOP("transom::ui::RuleTitle", "Required")},
        {"boolean", QT_TRANSLATE_NOOP("transom::ui::RuleTitle", "Yes or no")},
        {"value_map", QT_TRANSLATE_NOOP("transom::ui::RuleTitle", "Value map")},
        {"lookup", QT_TRANSLATE_NOOP("transom::ui::RuleTitle", "Look up in a table")},
        {"empty", QT_TRANSLATE_NOOP("transom::ui::RuleTitle", "Empty text")},
    };
    for (const Title &t : titles)
        if (rule == QLatin1String(t.rule))
            return QCoreApplication::translate("transom::ui::RuleTitle", t.title);
    // A rule this table does not know yet: its name in words.
    QString words = rule;
    words.replace(QLatin1Char('_'), QLatin1Char(' '));
    if (!words.isEmpty())
        words[0] = words[0].toUpper();
    return words;
}

QString plainRuleMessage(const QString &message)
{
    static const QRegularExpression ruleName(QStringLiteral("rule \"([a-z0-9_]+)\""));
    QString plain;
    qsizetype last = 0;
    for (auto it = ruleName.globalMatch(message); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        plain += message.mid(last, m.capturedStart() - last);
        plain += QStringLiteral("the rule \u201c%1\u201d").arg(ruleTitle(m.captured(1)));
        last = m.capturedEnd();
    }
    return plain + message.mid(last);
}

} // namespace transom::ui
