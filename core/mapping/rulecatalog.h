#pragma once

#include "core/common/expected.h"
#include "core/mapping/rule.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QStringList>

#include <functional>
#include <memory>

namespace transom::mapping {

/// Describes one parameter of a rule, for validation here and for the studio's rule forms later.
struct RuleParam {
    enum class Type { String, Integer, Boolean, Choice, StringList, Object, Any };
    QString name;
    Type type = Type::String;
    bool required = false;
    QJsonValue defaultValue;
    QStringList choices; ///< for Type::Choice
    QString help;
    /// For Type::Choice: what each choice does, in words, in the order of `choices` (the studio shows
    /// these; a choice without one shows its name).
    QStringList choiceLabels = {};
};

/// A rule's `on_error` and `default` parameters, as RuleCatalog::build() read them.
struct ErrorPolicy {
    OnError onError = OnError::Error;
    QJsonValue fallback = {}; ///< the value for OnError::Default
};

/// What a rule factory gets: the rule's parameters (validated against its spec, defaults filled in)
/// and the document-level lookup tables.
struct RuleArgs {
    QJsonObject params;
    QJsonObject lookups;

    QString string(const QString &name) const { return params.value(name).toString(); }
    bool boolean(const QString &name) const { return params.value(name).toBool(); }
    int integer(const QString &name) const { return params.value(name).toInt(); }
    QStringList stringList(const QString &name) const;
};

/// A failure while building a rule: the message and, when it concerns one parameter, its name.
struct RuleBuildError {
    QString param;
    QString message;
};

using RuleFactory = std::function<std::unique_ptr<Rule>(const RuleArgs &, RuleBuildError &)>;

/// The self-description of a rule: name, what it does, its parameters and how to build it.
struct RuleSpec {
    QString name;
    QString category;
    QString summary;
    QList<RuleParam> params;
    RuleFactory factory;
};

/// Every rule Transom knows, by name. Building a rule validates its parameters against the spec
/// (unknown names, wrong types, missing required ones, values outside a choice list) before the
/// rule's own factory checks what only it can.
class RuleCatalog {
public:
    /// The catalog with all built-in rules.
    static const RuleCatalog &builtin();

    void add(RuleSpec spec);
    const RuleSpec *find(const QString &name) const;
    QList<const RuleSpec *> specs() const;

    /// Builds the rule described by `ruleObject` ({"rule": "phone", "region": "US", ...}). `policy`, when
    /// given, receives what the rule's `on_error` and `default` parameters ask for.
    std::unique_ptr<Rule> build(const QJsonObject &ruleObject, const QJsonObject &lookups, RuleBuildError &error,
                                ErrorPolicy *policy = nullptr) const;

    /// The parameters every rule takes (`on_error`, `default`); add() appends them to each spec.
    static QList<RuleParam> commonParams();

private:
    QHash<QString, RuleSpec> m_specs;
    QStringList m_order;
};

// Registration functions, one per rule family (rules/*.cpp).
void registerTextRules(RuleCatalog &catalog);
/// The e-mail rule's address check (one @, no spaces, a dotted domain with a 2+ letter top level).
bool isPracticalEmail(QStringView email);
void registerNameRules(RuleCatalog &catalog);
void registerValueRules(RuleCatalog &catalog);
void registerPhoneRules(RuleCatalog &catalog);
void registerDateTimeRules(RuleCatalog &catalog);
void registerNumberRules(RuleCatalog &catalog);

} // namespace transom::mapping
