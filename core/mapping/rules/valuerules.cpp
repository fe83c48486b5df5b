// Value rules: constant, default, required, boolean, value_map, lookup.
#include "core/mapping/rulecatalog.h"

#include <string>
#include <string_view>
#include <unordered_map>

#include <QHash>
#include <QJsonArray>
#include <QSet>

namespace transom::mapping {

namespace {

using P = RuleParam;

class ConstantRule final : public Rule {
public:
    explicit ConstantRule(Value v) : m_value(std::move(v)) {}
    bool handlesEmpty() const override { return true; }
    bool apply(Value &value, const SourceRecord &, QString &) const override
    {
        value = m_value;
        return true;
    }

private:
    Value m_value;
};

class DefaultRule final : public Rule {
public:
    explicit DefaultRule(Value v) : m_value(std::move(v)) {}
    bool handlesEmpty() const override { return true; }
    bool apply(Value &value, const SourceRecord &, QString &) const override
    {
        if (isEmptyValue(value))
            value = m_value;
        return true;
    }

private:
    Value m_value;
};

class RequiredRule final : public Rule {
public:
    bool handlesEmpty() const override { return true; }
    bool apply(Value &value, const SourceRecord &, QString &error) const override
    {
        if (isEmptyValue(value) || isBlankString(value)) {
            error = value.isUndefined() ? QStringLiteral("a value is required but the source field is missing")
                                        : QStringLiteral("a value is required but the source field is empty");
            return false;
        }
        return true;
    }
};

class BooleanRule final : public Rule {
public:
    BooleanRule(const QStringList &truthy, const QStringList &falsy)
    {
        for (const QString &t : truthy)
            m_true.insert(t.trimmed().toCaseFolded());
        for (const QString &f : falsy)
            m_false.insert(f.trimmed().toCaseFolded());
    }

    bool apply(Value &value, const SourceRecord &, QString &error) const override
    {
        if (value.isBool())
            return true;
        QString text;
        if (scalarText(value, text)) {
            const QString key = text.trimmed().toCaseFolded();
            if (m_true.contains(key)) {
                value = true;
                return true;
            }
            if (m_false.contains(key)) {
                value = false;
                return true;
            }
        }
        error = QStringLiteral("%1 is neither yes nor no (accepted: %2 / %3)")
                    .arg(describeValue(value), QStringList(m_true.values()).join(QLatin1Char('|')),
                         QStringList(m_false.values()).join(QLatin1Char('|')));
        return false;
    }

private:
    QSet<QString> m_true;
    QSet<QString> m_false;
};

enum class Unmapped { Error, Default, PassThrough, Null };

Unmapped unmappedPolicy(const QString &text)
{
    if (text == QLatin1String("default"))
        return Unmapped::Default;
    if (text == QLatin1String("pass_through"))
        return Unmapped::PassThrough;
    if (text == QLatin1String("null"))
        return Unmapped::Null;
    return Unmapped::Error;
}

/// Translates values through a table: value_map (table inline) and lookup (a named document table).
class TableRule final : public Rule {
public:
    TableRule(const QJsonObject &table, bool caseInsensitive, Unmapped unmapped, Value fallback, QString what)
        : m_caseInsensitive(caseInsensitive)
        , m_unmapped(unmapped)
        , m_default(std::move(fallback))
        , m_what(std::move(what))
    {
        for (auto it = table.begin(); it != table.end(); ++it) {
            const QString key = fold(it.key());
            const Value to(QJsonValue(it.value()));
            m_table.insert(key, to);
            // A key that does not survive UTF-8 (a lone surrogate) is left to the QString table.
            const std::string utf8 = key.toStdString();
            if (QString::fromStdString(utf8) == key)
                m_utf8Table.insert_or_assign(utf8, to);
        }
    }

    bool apply(Value &value, const SourceRecord &, QString &error) const override
    {
        // A string kept as UTF-8 is looked up as it is (ASCII folded by hand); anything not found that
        // way takes the general path below, which words the errors.
        if (value.isUtf8()) {
            std::string_view key = value.utf8();
            char folded[128];
            if (m_caseInsensitive) {
                key = utf8Trimmed(key);
                if (key.size() <= sizeof folded && isAscii(key)) {
                    for (size_t i = 0; i < key.size(); ++i)
                        folded[i] = key[i] >= 'A' && key[i] <= 'Z' ? char(key[i] + ('a' - 'A')) : key[i];
                    key = std::string_view(folded, key.size());
                } else {
                    key = {};
                }
            }
            if (key.data()) {
                const auto it = m_utf8Table.find(key);
                if (it != m_utf8Table.end()) {
                    value = it->second;
                    return true;
                }
            }
        }
        QString key;
        if (!scalarText(value, key)) {
            error = QStringLiteral("expected a single value to translate, got %1").arg(describeValue(value));
            return false;
        }
        const auto it = m_table.constFind(fold(key));
        if (it != m_table.cend()) {
            value = it.value();
            return true;
        }
        switch (m_unmapped) {
        case Unmapped::Error:
            error = QStringLiteral("%1 is not in the %2").arg(describeValue(value), m_what);
            return false;
        case Unmapped::Default:
            value = m_default;
            return true;
        case Unmapped::Null:
            value = Value(QJsonValue::Null);
            return true;
        case Unmapped::PassThrough:
            return true;
        }
        return true;
    }

private:
    QString fold(const QString &key) const { return m_caseInsensitive ? key.trimmed().toCaseFolded() : key; }

    /// Hashes std::string and std::string_view alike, so a lookup needs no std::string.
    struct Utf8Hash {
        using is_transparent = void;
        size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
    };

    QHash<QString, Value> m_table;
    std::unordered_map<std::string, Value, Utf8Hash, std::equal_to<>> m_utf8Table; ///< the same, by UTF-8 key
    bool m_caseInsensitive;
    Unmapped m_unmapped;
    Value m_default;
    QString m_what;
};

const QStringList unmappedChoices = {QStringLiteral("error"), QStringLiteral("default"), QStringLiteral("pass_through"),
                                     QStringLiteral("null")};

} // namespace

void registerValueRules(RuleCatalog &catalog)
{
    catalog.add({QStringLiteral("constant"),
                 QStringLiteral("value"),
                 QStringLiteral("Always writes the given value, whatever the source holds."),
                 {P{QStringLiteral("value"), P::Type::Any, true, {}, {}, QStringLiteral("the value to write")}},
                 [](const RuleArgs &a, RuleBuildError &) {
                     return std::make_unique<ConstantRule>(a.params.value(QLatin1String("value")));
                 }});
    catalog.add({QStringLiteral("default"),
                 QStringLiteral("value"),
                 QStringLiteral("Writes the given value when the source is missing, null or empty."),
                 {P{QStringLiteral("value"), P::Type::Any, true, {}, {}, QStringLiteral("the value to use")}},
                 [](const RuleArgs &a, RuleBuildError &) {
                     return std::make_unique<DefaultRule>(a.params.value(QLatin1String("value")));
                 }});
    catalog.add({QStringLiteral("required"),
                 QStringLiteral("value"),
                 QStringLiteral("Reports a field error when the value is missing, null or blank."),
                 {},
                 [](const RuleArgs &, RuleBuildError &) { return std::make_unique<RequiredRule>(); }});
    catalog.add({QStringLiteral("boolean"),
                 QStringLiteral("value"),
                 QStringLiteral("Reads yes/no answers (yes, Y, true, 1, no, N, false, 0 …) as true or false."),
                 {P{QStringLiteral("true_values"),
                    P::Type::StringList,
                    false,
                    QJsonArray{QStringLiteral("true"), QStringLiteral("yes"), QStringLiteral("y"), QStringLiteral("1"),
                               QStringLiteral("t"), QStringLiteral("on"), QStringLiteral("x"), QStringLiteral("si"),
                               QStringLiteral("sí")},
                    {},
                    QStringLiteral("texts read as true")},
                  P{QStringLiteral("false_values"),
                    P::Type::StringList,
                    false,
                    QJsonArray{QStringLiteral("false"), QStringLiteral("no"), QStringLiteral("n"), QStringLiteral("0"),
                               QStringLiteral("f"), QStringLiteral("off")},
                    {},
                    QStringLiteral("texts read as false")}},
                 [](const RuleArgs &a, RuleBuildError &) {
                     return std::make_unique<BooleanRule>(a.stringList(QStringLiteral("true_values")),
                                                          a.stringList(QStringLiteral("false_values")));
                 }});
    catalog.add(
        {QStringLiteral("value_map"),
         QStringLiteral("value"),
         QStringLiteral("Translates values (\"_hot_lead_prospect_\" → 7) with a policy for values the "
                        "map does not list."),
         {P{QStringLiteral("map"), P::Type::Object, true, {}, {}, QStringLiteral("source value → target value")},
          P{QStringLiteral("case_insensitive"),
            P::Type::Boolean,
            false,
            false,
            {},
            QStringLiteral("match regardless of case and surrounding spaces")},
          P{QStringLiteral("unmapped"), P::Type::Choice, false, QStringLiteral("error"), unmappedChoices,
            QStringLiteral("what to do with a value the map does not list")},
          P{QStringLiteral("default"),
            P::Type::Any,
            false,
            {},
            {},
            QStringLiteral("the value for unmapped input when unmapped is \"default\"")}},
         [](const RuleArgs &a, RuleBuildError &error) -> std::unique_ptr<Rule> {
             const Unmapped policy = unmappedPolicy(a.string(QStringLiteral("unmapped")));
             if (policy == Unmapped::Default && !a.params.contains(QLatin1String("default"))) {
                 error = {QStringLiteral("default"),
                          QStringLiteral("unmapped is \"default\" but no \"default\" value is given")};
                 return nullptr;
             }
             return std::make_unique<TableRule>(a.params.value(QLatin1String("map")).toObject(),
                                                a.boolean(QStringLiteral("case_insensitive")), policy,
                                                a.params.value(QLatin1String("default")), QStringLiteral("value map"));
         }});
    catalog.add({QStringLiteral("lookup"),
                 QStringLiteral("value"),
                 QStringLiteral("Looks the value up in one of the mapping's named tables (e.g. agent e-mail → "
                                "CRM user id)."),
                 {P{QStringLiteral("table"),
                    P::Type::String,
                    true,
                    {},
                    {},
                    QStringLiteral("name of a table under \"lookups\"")},
                  P{QStringLiteral("case_insensitive"), P::Type::Boolean, false, true, {}, {}},
                  P{QStringLiteral("unmapped"), P::Type::Choice, false, QStringLiteral("error"), unmappedChoices,
                    QStringLiteral("what to do with a value the table does not list")},
                  P{QStringLiteral("default"), P::Type::Any, false, {}, {}, {}}},
                 [](const RuleArgs &a, RuleBuildError &error) -> std::unique_ptr<Rule> {
                     const QString name = a.string(QStringLiteral("table"));
                     const Value table = a.lookups.value(name);
                     if (!table.isObject()) {
                         error = {QStringLiteral("table"),
                                  QStringLiteral("there is no lookup table \"%1\" under \"lookups\"").arg(name)};
                         return nullptr;
                     }
                     const Unmapped policy = unmappedPolicy(a.string(QStringLiteral("unmapped")));
                     if (policy == Unmapped::Default && !a.params.contains(QLatin1String("default"))) {
                         error = {QStringLiteral("default"),
                                  QStringLiteral("unmapped is \"default\" but no \"default\" value is given")};
                         return nullptr;
                     }
                     return std::make_unique<TableRule>(table.toObject(), a.boolean(QStringLiteral("case_insensitive")),
                                                        policy, a.params.value(QLatin1String("default")),
                                                        QStringLiteral("lookup table \"%1\"").arg(name));
                 }});
}

} // namespace transom::mapping
