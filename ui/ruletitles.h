#pragma once

#include <QString>

namespace transom::ui {

/// A rule's name as the studio shows it: "Phone number" for `phone`, "Value map" for `value_map`. Rule
/// names stay the files' vocabulary; people read these.
QString ruleTitle(const QString &rule);

/// A message from the mapping compiler in the studio's words: `rule "value_map"` becomes
/// `the rule "Value map"`, `field "x"` stays.
QString plainRuleMessage(const QString &message);

} // namespace transom::ui
