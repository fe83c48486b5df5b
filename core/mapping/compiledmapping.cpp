#include "core/mapping/compiledmapping.h"

#include <QJsonArray>

namespace transom::mapping {

QJsonObject FieldError::toJson() const
{
    QJsonObject o{{QLatin1String("field"), field}, {QLatin1String("rule"), rule}, {QLatin1String("message"), message}};
    // Keep the offending value, but never a megabyte of it.
    if (input.isString() && input.toString().size() > 200)
        o.insert(QLatin1String("input"), describeValue(input));
    else if (!input.isUndefined())
        o.insert(QLatin1String("input"), input);
    return o;
}

CompiledMapping::~CompiledMapping() = default;

QString CompiledMapping::sourceIdOf(const QJsonObject &source) const
{
    QString id;
    if (!m_idPath.isEmpty())
        scalarText(m_idPath.valueIn(source), id);
    return id;
}

QJsonValue CompiledMapping::input(const Field &field, const QJsonObject &source) const
{
    if (field.sources.empty())
        return QJsonValue(QJsonValue::Undefined);
    QJsonValue value = field.sources.front().valueIn(source);
    // Several inputs: the first one that holds something.
    for (size_t i = 1; i < field.sources.size() && isEmptyValue(value); ++i) {
        const QJsonValue next = field.sources[i].valueIn(source);
        if (!next.isUndefined())
            value = next;
    }
    return value;
}

bool CompiledMapping::runField(const Field &field, const QJsonObject &source, QJsonValue &value,
                               FieldError &error, FieldTrace *trace) const
{
    value = input(field, source);
    if (trace)
        trace->input = value;
    for (const Step &step : field.steps) {
        if ((value.isUndefined() || value.isNull()) && !step.rule->handlesEmpty())
            continue;
        const QJsonValue before = value;
        QString message;
        if (!step.rule->apply(value, source, message)) {
            error = FieldError{field.target.text(), step.name, before, message};
            return false;
        }
        if (trace) {
            trace->ruleNames.append(step.name);
            trace->afterEachRule.append(value);
        }
    }
    return true;
}

MappedRecord CompiledMapping::map(const QJsonObject &source) const
{
    MappedRecord out;
    out.sourceId = sourceIdOf(source);
    std::vector<QJsonValue> slots(m_fields.size());
    for (size_t i = 0; i < m_fields.size(); ++i) {
        FieldError error;
        if (!runField(m_fields[i], source, slots[i], error, nullptr)) {
            slots[i] = QJsonValue(QJsonValue::Undefined);
            out.errors.append(std::move(error));
        }
    }
    out.record = assemble(m_root, slots).toObject();
    return out;
}

FieldTrace CompiledMapping::traceField(const QJsonObject &source, int fieldIndex) const
{
    FieldTrace trace;
    if (fieldIndex < 0 || size_t(fieldIndex) >= m_fields.size())
        return trace;
    const Field &field = m_fields[size_t(fieldIndex)];
    QJsonValue value;
    if (!runField(field, source, value, trace.error, &trace)) {
        trace.ruleNames.append(trace.error.rule);
        trace.afterEachRule.append(QJsonValue(QJsonValue::Undefined));
    }
    return trace;
}

QJsonValue CompiledMapping::assemble(const OutputNode &node, const std::vector<QJsonValue> &slots)
{
    if (node.slot >= 0) {
        const QJsonValue &v = slots[size_t(node.slot)];
        return v.isNull() ? QJsonValue(QJsonValue::Undefined) : v;
    }
    if (node.isArray) {
        QJsonArray array;
        for (const auto &[index, child] : node.items) {
            const QJsonValue v = assemble(child, slots);
            if (!v.isUndefined())
                array.append(v);
        }
        return array.isEmpty() ? QJsonValue(QJsonValue::Undefined) : QJsonValue(array);
    }
    QJsonObject object;
    for (const auto &[key, child] : node.members) {
        QJsonValue v = assemble(child, slots);
        if (!v.isUndefined())
            object.insert(key, v);
    }
    return object.isEmpty() ? QJsonValue(QJsonValue::Undefined) : QJsonValue(object);
}

} // namespace transom::mapping
