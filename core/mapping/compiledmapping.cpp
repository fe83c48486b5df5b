#include "core/mapping/compiledmapping.h"

#include "core/common/jsonwriter.h"

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

QString CompiledMapping::sourceIdOf(const SourceRecord &source) const
{
    QString id;
    if (!m_idPath.isEmpty())
        scalarText(source.value(m_idPath), id);
    return id;
}

Value CompiledMapping::input(const Field &field, const SourceRecord &source) const
{
    if (field.sources.empty())
        return {};
    Value value = source.value(field.sources.front());
    // Several inputs: the first one that holds something.
    for (size_t i = 1; i < field.sources.size() && isEmptyValue(value); ++i) {
        Value next = source.value(field.sources[i]);
        if (!next.isUndefined())
            value = std::move(next);
    }
    return value;
}

bool CompiledMapping::runField(const Field &field, const SourceRecord &source, Value &value, FieldError &error,
                               FieldTrace *trace) const
{
    value = input(field, source);
    if (trace)
        trace->input = value.toJson();
    for (const Step &step : field.steps) {
        if ((value.isUndefined() || value.isNull()) && !step.rule->handlesEmpty())
            continue;
#ifndef NDEBUG
        const Value before = value; // checks the rules' contract in debug builds (the tests)
#endif
        QString message;
        if (!step.rule->apply(value, source, message)) {
            // A rule that fails leaves the value as it was: it is the input the error names.
#ifndef NDEBUG
            Q_ASSERT(value == before);
#endif
            error = FieldError{field.target.text(), step.name, value.toJson(), message};
            return false;
        }
        if (trace) {
            trace->ruleNames.append(step.name);
            trace->afterEachRule.append(value.toJson());
        }
    }
    return true;
}

MappedRecord CompiledMapping::map(const SourceRecord &source) const
{
    MappedRecord out;
    out.sourceId = sourceIdOf(source);
    out.m_mapping = shared_from_this();
    out.m_values.resize(m_fields.size());
    FieldError error;
    for (size_t i = 0; i < m_fields.size(); ++i) {
        if (!runField(m_fields[i], source, out.m_values[i], error, nullptr)) {
            out.m_values[i] = Value();
            out.errors.append(std::exchange(error, FieldError()));
        }
    }
    return out;
}

QJsonObject MappedRecord::record() const
{
    return m_mapping ? CompiledMapping::assemble(m_mapping->m_root, m_values).toObject() : QJsonObject();
}

void MappedRecord::appendJson(QByteArray &out) const
{
    // Written into a buffer this thread reuses, then appended once: far fewer calls into QByteArray.
    thread_local std::string buffer;
    buffer.clear();
    if (!m_mapping || !CompiledMapping::write(m_mapping->m_root, m_values, buffer))
        out.append("{}", 2);
    else
        out.append(buffer.data(), qsizetype(buffer.size()));
    if (buffer.capacity() > (size_t(1) << 20))
        std::string().swap(buffer); // do not keep a huge record's room for the life of the thread
}

QByteArray MappedRecord::json() const
{
    // One allocation for a usual record: as much as the last one on this thread took. (A fixed large
    // reserve would ask malloc for a large chunk every time, which makes glibc consolidate its bins.)
    thread_local qsizetype lastSize = 256;
    QByteArray out;
    out.reserve(lastSize + 32);
    appendJson(out);
    lastSize = out.size();
    return out;
}

QJsonValue MappedRecord::value(int fieldIndex) const
{
    if (fieldIndex < 0 || size_t(fieldIndex) >= m_values.size())
        return QJsonValue(QJsonValue::Undefined);
    return m_values[size_t(fieldIndex)].toJson();
}

bool CompiledMapping::write(const OutputNode &node, const std::vector<Value> &slots, std::string &out)
{
    if (node.slot >= 0) {
        const Value &v = slots[size_t(node.slot)];
        switch (v.type()) {
        case Value::Undefined:
        case Value::Null:
            return false;
        case Value::String:
            if (v.isUtf8())
                json::appendUtf8String(out, v.utf8());
            else
                json::appendString(out, v.qstring());
            break;
        case Value::Double:
            if (v.isInteger()) {
                json::appendInteger(out, v.toInteger());
                break;
            }
            [[fallthrough]];
        case Value::Array:
        case Value::Object: {
            QByteArray text;
            json::appendValue(text, v.toJson());
            out.append(text.constData(), size_t(text.size()));
            break;
        }
        case Value::Bool:
            out.append(v.toBool() ? "true" : "false");
            break;
        }
        return true;
    }
    const size_t start = out.size();
    out.push_back(node.isArray ? '[' : '{');
    bool any = false;
    auto child = [&](const OutputNode &c, bool member) {
        const size_t mark = out.size();
        if (any)
            out.push_back(',');
        if (member)
            out.append(c.keyJson);
        if (write(c, slots, out))
            any = true;
        else
            out.resize(mark);
    };
    if (node.isArray) {
        for (const auto &item : node.items)
            child(item.second, false);
    } else {
        for (const auto &member : node.members)
            child(member.second, true);
    }
    if (!any) {
        out.resize(start);
        return false;
    }
    out.push_back(node.isArray ? ']' : '}');
    return true;
}

FieldTrace CompiledMapping::traceField(const QJsonObject &source, int fieldIndex) const
{
    FieldTrace trace;
    if (fieldIndex < 0 || size_t(fieldIndex) >= m_fields.size())
        return trace;
    const Field &field = m_fields[size_t(fieldIndex)];
    Value value;
    if (!runField(field, ObjectRecord(source), value, trace.error, &trace)) {
        trace.ruleNames.append(trace.error.rule);
        trace.afterEachRule.append(QJsonValue(QJsonValue::Undefined));
    }
    return trace;
}

QJsonValue CompiledMapping::assemble(const OutputNode &node, const std::vector<Value> &slots)
{
    if (node.slot >= 0) {
        const Value &v = slots[size_t(node.slot)];
        return v.isNull() ? QJsonValue(QJsonValue::Undefined) : v.toJson();
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
