#include "core/mapping/rulecatalog.h"

#include <QJsonArray>

#include <algorithm>

namespace transom::mapping {

QStringList RuleArgs::stringList(const QString &name) const
{
    QStringList out;
    const QJsonValue v = params.value(name);
    if (v.isString()) {
        out.append(v.toString());
        return out;
    }
    const QJsonArray array = v.toArray();
    for (const QJsonValue &item : array)
        out.append(item.toString());
    return out;
}

const RuleCatalog &RuleCatalog::builtin()
{
    static const RuleCatalog catalog = [] {
        RuleCatalog c;
        registerTextRules(c);
        registerNameRules(c);
        registerValueRules(c);
        registerPhoneRules(c);
        registerDateTimeRules(c);
        registerNumberRules(c);
        return c;
    }();
    return catalog;
}

QList<RuleParam> RuleCatalog::commonParams()
{
    return {RuleParam{
                QStringLiteral("on_error"),
                RuleParam::Type::Choice,
                false,
                QStringLiteral("error"),
                {QStringLiteral("error"), QStringLiteral("null"), QStringLiteral("keep"), QStringLiteral("default")},
                QStringLiteral("what to do when this rule cannot handle the value"),
                {QStringLiteral("Report a field error"), QStringLiteral("Leave the field empty (null)"),
                 QStringLiteral("Keep the value as it was before this rule"), QStringLiteral("Use the default value")}},
            RuleParam{QStringLiteral("default"),
                      RuleParam::Type::Any,
                      false,
                      {},
                      {},
                      QStringLiteral("the value to use when on_error is \"default\"")}};
}

void RuleCatalog::add(RuleSpec spec)
{
    // Every rule takes the common parameters; a rule with its own `default` (value_map, lookup) shares
    // it with on_error.
    for (const RuleParam &common : commonParams()) {
        if (std::none_of(spec.params.cbegin(), spec.params.cend(),
                         [&](const RuleParam &p) { return p.name == common.name; }))
            spec.params.append(common);
    }
    if (!m_specs.contains(spec.name))
        m_order.append(spec.name);
    const QString name = spec.name;
    m_specs.insert(name, std::move(spec));
}

const RuleSpec *RuleCatalog::find(const QString &name) const
{
    const auto it = m_specs.constFind(name);
    return it == m_specs.cend() ? nullptr : &it.value();
}

QList<const RuleSpec *> RuleCatalog::specs() const
{
    QList<const RuleSpec *> out;
    for (const QString &name : m_order)
        out.append(&m_specs.find(name).value());
    return out;
}

namespace {

QString typeName(RuleParam::Type t)
{
    switch (t) {
    case RuleParam::Type::String:
        return QStringLiteral("text");
    case RuleParam::Type::Integer:
        return QStringLiteral("a whole number");
    case RuleParam::Type::Boolean:
        return QStringLiteral("true or false");
    case RuleParam::Type::Choice:
        return QStringLiteral("one of the listed choices");
    case RuleParam::Type::StringList:
        return QStringLiteral("a list of texts");
    case RuleParam::Type::Object:
        return QStringLiteral("an object");
    case RuleParam::Type::Any:
        return QStringLiteral("any value");
    }
    return {};
}

bool typeMatches(const RuleParam &p, const QJsonValue &v)
{
    switch (p.type) {
    case RuleParam::Type::String:
        return v.isString();
    case RuleParam::Type::Integer:
        return v.isDouble() && v.toDouble() == double(v.toInteger());
    case RuleParam::Type::Boolean:
        return v.isBool();
    case RuleParam::Type::Choice:
        return v.isString() && p.choices.contains(v.toString());
    case RuleParam::Type::StringList: {
        if (v.isString())
            return true;
        if (!v.isArray())
            return false;
        const QJsonArray a = v.toArray();
        return std::all_of(a.begin(), a.end(), [](const QJsonValue &item) { return item.isString(); });
    }
    case RuleParam::Type::Object:
        return v.isObject();
    case RuleParam::Type::Any:
        return !v.isUndefined();
    }
    return false;
}

} // namespace

std::unique_ptr<Rule> RuleCatalog::build(const QJsonObject &ruleObject, const QJsonObject &lookups,
                                         RuleBuildError &error, ErrorPolicy *policy) const
{
    const QJsonValue nameValue = ruleObject.value(QLatin1String("rule"));
    if (!nameValue.isString()) {
        error = {QStringLiteral("rule"), QStringLiteral("each rule needs a \"rule\" name, e.g. {\"rule\": \"trim\"}")};
        return nullptr;
    }
    const RuleSpec *spec = find(nameValue.toString());
    if (!spec) {
        error = {QStringLiteral("rule"), QStringLiteral("unknown rule \"%1\"; known rules: %2")
                                             .arg(nameValue.toString(), m_order.join(QLatin1String(", ")))};
        return nullptr;
    }
    RuleArgs args;
    args.lookups = lookups;
    for (auto it = ruleObject.begin(); it != ruleObject.end(); ++it) {
        if (it.key() == QLatin1String("rule") || it.key() == QLatin1String("comment"))
            continue;
        const auto known = std::find_if(spec->params.cbegin(), spec->params.cend(),
                                        [&](const RuleParam &p) { return p.name == it.key(); });
        if (known == spec->params.cend()) {
            QStringList names;
            for (const RuleParam &p : spec->params)
                names.append(p.name);
            error = {it.key(), QStringLiteral("rule \"%1\" has no parameter \"%2\"%3")
                                   .arg(spec->name, it.key(),
                                        names.isEmpty()
                                            ? QString()
                                            : QStringLiteral(" (it takes: %1)").arg(names.join(QLatin1String(", "))))};
            return nullptr;
        }
    }
    for (const RuleParam &p : spec->params) {
        const QJsonValue v = ruleObject.value(p.name);
        if (v.isUndefined()) {
            if (p.required) {
                error = {p.name,
                         QStringLiteral("rule \"%1\" needs the parameter \"%2\" (%3)").arg(spec->name, p.name, p.help)};
                return nullptr;
            }
            if (!p.defaultValue.isUndefined() && !p.defaultValue.isNull())
                args.params.insert(p.name, p.defaultValue);
            continue;
        }
        if (!typeMatches(p, v)) {
            QString expected = typeName(p.type);
            if (p.type == RuleParam::Type::Choice)
                expected = QStringLiteral("one of: %1").arg(p.choices.join(QLatin1String(", ")));
            error = {p.name, QStringLiteral("parameter \"%1\" of rule \"%2\" must be %3, not %4")
                                 .arg(p.name, spec->name, expected, describeValue(v))};
            return nullptr;
        }
        args.params.insert(p.name, v);
    }
    const QString onError = args.string(QStringLiteral("on_error"));
    ErrorPolicy wanted;
    wanted.onError = onError == QLatin1String("null")      ? OnError::Null
                     : onError == QLatin1String("keep")    ? OnError::Keep
                     : onError == QLatin1String("default") ? OnError::Default
                                                           : OnError::Error;
    if (wanted.onError == OnError::Default) {
        if (!args.params.contains(QLatin1String("default"))) {
            error = {
                QStringLiteral("on_error"),
                QStringLiteral("rule \"%1\" has on_error \"default\" but no \"default\" value to use").arg(spec->name)};
            return nullptr;
        }
        wanted.fallback = args.params.value(QLatin1String("default"));
    }
    std::unique_ptr<Rule> rule = spec->factory(args, error);
    if (rule && policy)
        *policy = wanted;
    if (!rule && error.message.isEmpty())
        error.message = QStringLiteral("rule \"%1\" could not be built").arg(spec->name);
    return rule;
}

} // namespace transom::mapping
