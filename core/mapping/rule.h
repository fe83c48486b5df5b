#pragma once

#include "core/mapping/sourcerecord.h"
#include "core/mapping/value.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QString>

namespace transom::mapping {

/// One compiled step of a field's rule pipeline. Parameters are validated and prepared (regexes
/// compiled, time zones loaded, tables folded) when the rule is built, so apply() does only the work
/// that depends on the value.
class Rule {
public:
    virtual ~Rule() = default;

    /// Transforms `value` in place. `record` is the whole source record, for rules that read other
    /// fields (templates). On failure returns false, sets `error` to a message a person can act on and
    /// leaves `value` as it was (the field error quotes it; debug builds assert this).
    virtual bool apply(Value &value, const SourceRecord &record, QString &error) const = 0;

    /// Rules that do not handle empty input are skipped for null/undefined values, so a pipeline like
    /// [phone, required] reports the empty field once, from `required`.
    virtual bool handlesEmpty() const { return false; }
};

/// True for undefined, null and the empty string: the values `required` and `default` treat as missing.
inline bool isEmptyValue(const Value &v)
{
    return v.isUndefined() || v.isNull() || (v.isString() && v.stringRef().isEmpty());
}

/// A short, printable rendering of a value for error messages (long strings are cut).
QString describeValue(const Value &v);

/// `text` with white space trimmed and runs of it collapsed to one space, as QString::simplified(),
/// but without a new string when there is nothing to change (the usual case for names and streets).
QString collapseWhitespace(const QString &text);

/// Text of a scalar value (numbers without a trailing ".0", booleans as true/false); false for
/// objects and arrays.
bool scalarText(const Value &v, QString &out);

} // namespace transom::mapping
