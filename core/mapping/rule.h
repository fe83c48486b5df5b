#pragma once

#include "core/mapping/sourcerecord.h"
#include "core/mapping/value.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <string>
#include <string_view>

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

/// What a failing rule does to its field: every rule takes an `on_error` parameter (and a `default`
/// value for Default). The compiled field applies it, so no rule handles it itself.
enum class OnError {
    Error,  ///< a field error (the rule's message)
    Null,   ///< the value becomes null (the field is left out unless a later rule fills it)
    Keep,   ///< the value stays as it was before the rule
    Default ///< the value becomes the rule's `default`
};

/// The word for a policy as written in a mapping ("null").
QString onErrorName(OnError policy);

/// True for undefined, null and the empty string: the values `required` and `default` treat as missing.
inline bool isEmptyValue(const Value &v)
{
    return v.isUndefined() || v.isNull() || v.isEmptyString();
}

std::string_view utf8Trimmed(std::string_view text);

/// True for a string that is empty or only white space.
inline bool isBlankString(const Value &v)
{
    return v.isString() && (v.isUtf8() ? utf8Trimmed(v.utf8()).empty() : v.qstring().trimmed().isEmpty());
}

/// A short, printable rendering of a value for error messages (long strings are cut).
QString describeValue(const Value &v);

/// `text` with white space trimmed and runs of it collapsed to one space, as QString::simplified(),
/// but without a new string when there is nothing to change (the usual case for names and streets).
QString collapseWhitespace(const QString &text);

/// Text of a scalar value (numbers without a trailing ".0", booleans as true/false); false for
/// objects and arrays.
bool scalarText(const Value &v, QString &out);
/// The same text appended to `out` as UTF-8.
bool appendScalarUtf8(const Value &v, std::string &out);

/// Room for the UTF-16 text of a short string without allocating (see textView()).
struct Utf16Scratch {
    char16_t small[64];
    QString large;
};

/// The text of a string value as UTF-16 for reading: a QString as it is, a short ASCII string kept as
/// UTF-8 widened into `scratch` (no allocation), anything else converted into `scratch.large`. Empty
/// for values that are not strings. Valid while `v` and `scratch` are.
QStringView textView(const Value &v, Utf16Scratch &scratch);

// UTF-8 helpers for rules that work on strings kept as UTF-8 (Value::isUtf8) without a QString. Each
// gives the answers of the QString function it names (tst_textrules holds them to it).

/// True when every byte is ASCII.
bool isAscii(std::string_view text);
/// The length in bytes of the white space character (QChar::isSpace) that starts at `p`, 0 if none.
size_t utf8SpaceAt(const char *p, const char *end);
/// `text` as QString::trimmed() would cut it.
std::string_view utf8Trimmed(std::string_view text);
/// `text` as QString::simplified() would write it, into `out`; false when that is `text` unchanged.
bool utf8Simplified(std::string_view text, std::string &out);

} // namespace transom::mapping
