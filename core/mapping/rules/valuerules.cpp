// Value rules: constant, default, required, empty, boolean, value_map, lookup.
#include "core/mapping/rulecatalog.h"

#include <array>
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

/// Empty or blank text (and null) becomes a null that is sent, or nothing (the field is left out).
class EmptyRule final : public Rule {
public:
    explicit EmptyRule(bool send) : m_send(send) {}
    bool handlesEmpty() const override { return true; }
    bool apply(Value &value, const SourceRecord &, QString &) const override
    {
        if (value.isNull() || isBlankString(value))
            value = m_send ? Value::sentNull() : Value(QJsonValue::Null);
        return true;
    }

private:
    bool m_send;
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

/// How a table matches: exactly, ignoring case and surrounding spaces, or normalized (case,
/// punctuation, underscores and runs of spaces ignored).
enum class Matching { Exact, CaseInsensitive, Normalized };

/// ASCII characters a normalized key treats as a word break: QChar::isPunct() and isSpace(), taken
/// from QChar once so the UTF-8 path and the QString path cannot disagree.
const std::array<bool, 128> &asciiBreaks()
{
    static const std::array<bool, 128> breaks = [] {
        std::array<bool, 128> b{};
        for (char16_t c = 0; c < 128; ++c)
            b[c] = QChar(c).isPunct() || QChar(c).isSpace();
        return b;
    }();
    return breaks;
}

/// `text` normalized: punctuation (underscores, dashes, dots …) and white space read as one space
/// between words, none at the ends, case folded. "_HOT_LEAD_PROSPECT_ " → "hot lead prospect".
QString normalizedKey(QStringView text)
{
    QString out;
    out.reserve(text.size());
    bool pendingSpace = false;
    for (const QChar c : text) {
        if (c.isPunct() || c.isSpace()) {
            pendingSpace = true;
            continue;
        }
        if (pendingSpace && !out.isEmpty())
            out.append(QLatin1Char(' '));
        pendingSpace = false;
        out.append(c);
    }
    return out.toCaseFolded();
}

/// Translates values through a table: value_map (table inline) and lookup (a named document table).
class TableRule final : public Rule {
public:
    TableRule(const QJsonObject &table, Matching matching, Unmapped unmapped, Value fallback, QString what)
        : m_matching(matching), m_unmapped(unmapped), m_default(std::move(fallback)), m_what(std::move(what))
    {
        QHash<QString, QString> original; // folded key → the key as written, to name clashes
        for (auto it = table.begin(); it != table.end(); ++it) {
            const QString key = fold(it.key());
            if (m_matching == Matching::Normalized) {
                const auto seen = original.constFind(key);
                if (seen != original.cend() && m_clash.isEmpty())
                    m_clash = QStringLiteral("the keys \"%1\" and \"%2\" are the same once normalized (\"%3\"); "
                                             "keep one of them")
                                  .arg(seen.value(), it.key(), key);
                original.insert(key, it.key());
            }
            const Value to(QJsonValue(it.value()));
            m_table.insert(key, to);
            // A key that does not survive UTF-8 (a lone surrogate) is left to the QString table.
            const std::string utf8 = key.toStdString();
            if (QString::fromStdString(utf8) == key)
                m_utf8Table.insert_or_assign(utf8, to);
        }
    }

    /// Why the table cannot be used as written (two keys that normalize alike), empty when it can.
    const QString &clash() const { return m_clash; }

    bool apply(Value &value, const SourceRecord &, QString &error) const override
    {
        // A string kept as UTF-8 is looked up as it is (ASCII folded by hand); anything not found that
        // way takes the general path below, which words the errors.
        if (value.isUtf8()) {
            std::string_view key = value.utf8();
            char folded[128];
            if (m_matching == Matching::Normalized) {
                key = normalizeAscii(key, folded);
            } else if (m_matching == Matching::CaseInsensitive) {
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
    QString fold(const QString &key) const
    {
        switch (m_matching) {
        case Matching::Exact:
            return key;
        case Matching::CaseInsensitive:
            return key.trimmed().toCaseFolded();
        case Matching::Normalized:
            return normalizedKey(key);
        }
        return key;
    }

    /// normalizedKey() of ASCII text up to 128 bytes, written into `out` without allocating; a null
    /// view (the general path then) for anything else.
    static std::string_view normalizeAscii(std::string_view text, char (&out)[128])
    {
        if (text.size() > sizeof out || !isAscii(text))
            return {};
        const std::array<bool, 128> &breaks = asciiBreaks();
        size_t n = 0;
        bool pendingSpace = false;
        for (const char ch : text) {
            const auto c = static_cast<unsigned char>(ch);
            if (breaks[c]) {
                pendingSpace = true;
                continue;
            }
            if (pendingSpace && n > 0)
                out[n++] = ' ';
            pendingSpace = false;
            out[n++] = c >= 'A' && c <= 'Z' ? char(c + ('a' - 'A')) : char(c);
        }
        return std::string_view(out, n);
    }

    /// Hashes std::string and std::string_view alike, so a lookup needs no std::string.
    struct Utf8Hash {
        using is_transparent = void;
        size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
    };

    QHash<QString, Value> m_table;
    std::unordered_map<std::string, Value, Utf8Hash, std::equal_to<>> m_utf8Table; ///< the same, by UTF-8 key
    Matching m_matching;
    QString m_clash;
    Unmapped m_unmapped;
    Value m_default;
    QString m_what;
};

const QStringList unmappedChoices = {QStringLiteral("error"), QStringLiteral("default"), QStringLiteral("pass_through"),
                                     QStringLiteral("null")};
const QStringList unmappedLabels = {QStringLiteral("Report a field error"), QStringLiteral("Use the default value"),
                                    QStringLiteral("Pass the value through unchanged"),
                                    QStringLiteral("Leave the field empty (null)")};

/// The `normalize` parameter of value_map and lookup.
RuleParam normalizeParam()
{
    return P{QStringLiteral("normalize"),
             P::Type::Boolean,
             false,
             false,
             {},
             QStringLiteral("match ignoring case, punctuation, underscores and extra spaces (\" _HOT_LEAD_ \" finds "
                            "\"hot lead\")")};
}

Matching matchingOf(const RuleArgs &a)
{
    if (a.boolean(QStringLiteral("normalize")))
        return Matching::Normalized;
    return a.boolean(QStringLiteral("case_insensitive")) ? Matching::CaseInsensitive : Matching::Exact;
}

/// A table rule, or nullptr with `error` set when two of its keys normalize alike.
std::unique_ptr<Rule> tableRule(const QJsonObject &table, const RuleArgs &a, Unmapped policy, const QString &what,
                                RuleBuildError &error)
{
    auto rule =
        std::make_unique<TableRule>(table, matchingOf(a), policy, a.params.value(QLatin1String("default")), what);
    if (!rule->clash().isEmpty()) {
        error = {a.params.contains(QLatin1String("map")) ? QStringLiteral("map") : QStringLiteral("normalize"),
                 rule->clash()};
        return nullptr;
    }
    return rule;
}

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
    catalog.add({QStringLiteral("empty"),
                 QStringLiteral("value"),
                 QStringLiteral("Turns empty or blank text (and null) into nothing, so \"\" is never sent: the "
                                "field is left out, or sent as null to clear it in the destination."),
                 {P{QStringLiteral("then"),
                    P::Type::Choice,
                    false,
                    QStringLiteral("drop"),
                    {QStringLiteral("drop"), QStringLiteral("null")},
                    QStringLiteral("leave the field out, or send it as null"),
                    {QStringLiteral("Leave the field out"),
                     QStringLiteral("Send null (clears the field in the destination)")}}},
                 [](const RuleArgs &a, RuleBuildError &) {
                     return std::make_unique<EmptyRule>(a.string(QStringLiteral("then")) == QLatin1String("null"));
                 }});
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
          normalizeParam(),
          P{QStringLiteral("unmapped"), P::Type::Choice, false, QStringLiteral("error"), unmappedChoices,
            QStringLiteral("what to do with a value the map does not list"), unmappedLabels},
          P{QStringLiteral("default"),
            P::Type::Any,
            false,
            {},
            {},
            QStringLiteral("the value for unmapped input when unmapped is \"default\" (and on error when on_error "
                           "is \"default\")")}},
         [](const RuleArgs &a, RuleBuildError &error) -> std::unique_ptr<Rule> {
             const Unmapped policy = unmappedPolicy(a.string(QStringLiteral("unmapped")));
             if (policy == Unmapped::Default && !a.params.contains(QLatin1String("default"))) {
                 error = {QStringLiteral("default"),
                          QStringLiteral("unmapped is \"default\" but no \"default\" value is given")};
                 return nullptr;
             }
             return tableRule(a.params.value(QLatin1String("map")).toObject(), a, policy, QStringLiteral("value map"),
                              error);
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
                  P{QStringLiteral("case_insensitive"), P::Type::Boolean, false, true, {}, {}}, normalizeParam(),
                  P{QStringLiteral("unmapped"), P::Type::Choice, false, QStringLiteral("error"), unmappedChoices,
                    QStringLiteral("what to do with a value the table does not list"), unmappedLabels},
                  P{QStringLiteral("default"),
                    P::Type::Any,
                    false,
                    {},
                    {},
                    QStringLiteral("the value for unmapped input when unmapped is \"default\" (and on error when "
                                   "on_error is \"default\")")}},
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
                     return tableRule(table.toObject(), a, policy, QStringLiteral("lookup table \"%1\"").arg(name),
                                      error);
                 }});
}

} // namespace transom::mapping
