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
                               QList<FieldError> *recovered, FieldTrace *trace) const
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
        QString note;
        if (!step.rule->apply(value, source, message)) {
            // A rule that fails leaves the value as it was: it is the input the error names.
#ifndef NDEBUG
            Q_ASSERT(value == before);
#endif
            if (step.onError == OnError::Error) {
                error = FieldError{field.target.text(), step.name, value.toJson(), message};
                return false;
            }
            // The policy stands in for the error; only this (rare) path pays for the note.
            const QJsonValue failedOn = value.toJson();
            if (step.onError == OnError::Null)
                value = Value(QJsonValue::Null);
            else if (step.onError == OnError::Default)
                value = step.fallback;
            note = QStringLiteral("%1 → %2 (on error: %3)")
                       .arg(message,
                            step.onError == OnError::Keep ? QStringLiteral("kept as it was") : describeValue(value),
                            onErrorName(step.onError));
            if (recovered)
                recovered->append(FieldError{field.target.text(), step.name, failedOn, note});
        }
        if (trace) {
            trace->ruleNames.append(step.name);
            trace->afterEachRule.append(value.toJson());
            trace->notes.append(note);
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
        if (!runField(m_fields[i], source, out.m_values[i], error, &out.recovered, nullptr)) {
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
    thread_local json::TextBuffer buffer;
    buffer.clear();
    if (!m_mapping || !m_mapping->write(m_values, buffer))
        out.append("{}", 2);
    else
        out.append(buffer.data(), qsizetype(buffer.size()));
    if (buffer.capacity() > (size_t(1) << 20))
        buffer.release(); // do not keep a huge record's room for the life of the thread
}

void MappedRecord::appendJson(json::TextBuffer &out) const
{
    if (!m_mapping || !m_mapping->write(m_values, out))
        out.append("{}", 2);
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

bool CompiledMapping::writeValue(const Value &v, json::TextBuffer &out)
{
    switch (v.type()) {
    case Value::Undefined:
        return false;
    case Value::Null:
        if (!v.isSentNull())
            return false;
        out.append("null", 4);
        break;
    case Value::String:
        if (v.isUtf8())
            out.commit(json::writeUtf8String(out.room(v.utf8().size() * 6 + 2), v.utf8()));
        else
            out.commit(json::writeString(out.room(size_t(v.qstring().size()) * 6 + 2), v.qstring()));
        break;
    case Value::Double:
        if (v.isInteger()) {
            out.commit(json::writeInteger(out.room(24), v.toInteger()));
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
        v.toBool() ? out.append("true", 4) : out.append("false", 5);
        break;
    }
    return true;
}

void CompiledMapping::layOutWriter()
{
    m_writeSteps.clear();
    layOut(m_root, std::string(), m_writeSteps);
}

void CompiledMapping::layOut(const OutputNode &node, const std::string &key, std::vector<WriteStep> &steps)
{
    if (node.slot >= 0) {
        steps.push_back({WriteStep::Kind::Leaf, false, node.slot, key});
        return;
    }
    steps.push_back({WriteStep::Kind::Open, node.isArray, -1, key});
    if (node.isArray) {
        for (const auto &item : node.items)
            layOut(item.node, std::string(), steps);
    } else {
        for (const auto &member : node.members)
            layOut(member.node, member.node.keyJson, steps);
    }
    steps.push_back({WriteStep::Kind::Close, node.isArray, -1, std::string()});
}

bool CompiledMapping::write(const std::vector<Value> &slots, json::TextBuffer &out) const
{
    // One frame per open object or list: where it began (to take it back when nothing in it had a
    // value, as fields that mapped to nothing are left out) and whether anything was written in it.
    struct Frame {
        size_t start;
        bool any;
    };
    Frame frames[32];
    int depth = 0;
    std::vector<Frame> deeper; // paths nested deeper than 32, should a mapping have them
    auto top = [&]() -> Frame & { return depth <= 32 ? frames[depth - 1] : deeper[size_t(depth - 33)]; };
    for (const WriteStep &step : m_writeSteps) {
        switch (step.kind) {
        case WriteStep::Kind::Open: {
            const size_t start = out.size();
            if (depth > 0 && top().any)
                out.append(',');
            out.append(step.key.data(), step.key.size());
            out.append(step.isArray ? '[' : '{');
            ++depth;
            if (depth <= 32)
                frames[depth - 1] = {start, false};
            else
                deeper.push_back({start, false});
            break;
        }
        case WriteStep::Kind::Leaf: {
            Frame &frame = top();
            const size_t mark = out.size();
            if (frame.any)
                out.append(',');
            out.append(step.key.data(), step.key.size());
            if (writeValue(slots[size_t(step.slot)], out))
                frame.any = true;
            else
                out.resize(mark);
            break;
        }
        case WriteStep::Kind::Close: {
            const Frame frame = top();
            if (depth > 32)
                deeper.pop_back();
            --depth;
            if (!frame.any) {
                out.resize(frame.start);
                if (depth == 0)
                    return false;
                break;
            }
            out.append(step.isArray ? ']' : '}');
            if (depth == 0)
                return true;
            top().any = true;
            break;
        }
        }
    }
    return false;
}

FieldTrace CompiledMapping::traceField(const QJsonObject &source, int fieldIndex) const
{
    FieldTrace trace;
    if (fieldIndex < 0 || size_t(fieldIndex) >= m_fields.size())
        return trace;
    const Field &field = m_fields[size_t(fieldIndex)];
    Value value;
    if (!runField(field, ObjectRecord(source), value, trace.error, nullptr, &trace)) {
        trace.ruleNames.append(trace.error.rule);
        trace.afterEachRule.append(QJsonValue(QJsonValue::Undefined));
        trace.notes.append(QString());
    }
    return trace;
}

QJsonValue CompiledMapping::assemble(const OutputNode &node, const std::vector<Value> &slots)
{
    if (node.slot >= 0) {
        const Value &v = slots[size_t(node.slot)];
        return v.isNull() && !v.isSentNull() ? QJsonValue(QJsonValue::Undefined) : v.toJson();
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
