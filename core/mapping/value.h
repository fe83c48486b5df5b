#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <memory>
#include <string>
#include <string_view>

namespace transom::mapping {

/// A value flowing through a field's rule pipeline. It answers the same questions as QJsonValue
/// (rules were written against that API) but holds strings as an implicitly shared QString and
/// numbers inline: in Qt 6 every string QJsonValue is a QCborValue container with its own copy of the
/// text, and every toString() copies it again, which made value handling most of a mapping's cost.
/// Objects and lists are kept as QJsonValue.
///
/// A string read from JSON text (RecordParser) is kept as the UTF-8 it arrived in until something
/// asks for a QString: fields passed through, and rules with a UTF-8 path (trim, case, e-mail, value
/// maps, templates…), then never pay for UTF-16 at all, and the writer copies the bytes out. Both
/// forms are the same string: type(), toString(), == and toJson() do not tell them apart.
class Value {
public:
    enum Type {
        Undefined = QJsonValue::Undefined,
        Null = QJsonValue::Null,
        Bool = QJsonValue::Bool,
        Double = QJsonValue::Double,
        String = QJsonValue::String,
        Array = QJsonValue::Array,
        Object = QJsonValue::Object
    };

    Value() = default;
    Value(QJsonValue::Type type) // NOLINT: QJsonValue(QJsonValue::Null) reads the same as before
        : m_type(type == QJsonValue::Null ? Null : Undefined)
    {}
    Value(bool b) // NOLINT
        : m_type(Bool), m_bool(b)
    {}
    Value(double d) // NOLINT
        : m_type(Double), m_double(d)
    {}
    Value(qint64 i) // NOLINT
        : m_type(Double), m_isInteger(true), m_integer(i), m_double(double(i))
    {}
    Value(int i) // NOLINT
        : Value(qint64(i))
    {}
    Value(const QString &s) // NOLINT
        : m_type(String), m_string(s)
    {}
    Value(QString &&s) // NOLINT
        : m_type(String), m_string(std::move(s))
    {}
    Value(QLatin1String s) // NOLINT
        : m_type(String), m_string(s)
    {}
    /// A string from UTF-8 text, kept as UTF-8 (`text` must be valid UTF-8, as simdjson checks).
    static Value fromUtf8(std::string_view text)
    {
        Value v;
        v.m_type = String;
        v.m_isUtf8 = true;
        v.m_utf8.assign(text.data(), text.size());
        return v;
    }
    static Value fromUtf8(std::string &&text)
    {
        Value v;
        v.m_type = String;
        v.m_isUtf8 = true;
        v.m_utf8 = std::move(text);
        return v;
    }
    Value(const QJsonValue &v); // NOLINT
    /// A null the writer sends as JSON null. A plain null (a rule's "nothing") leaves the field out of
    /// the target record; this one is written, so a destination clears the field (the `empty` rule's
    /// `then: null`). Rules and == see both as null.
    static Value sentNull()
    {
        Value v(QJsonValue::Null);
        v.m_sentNull = true;
        return v;
    }
    Value(const QJsonObject &o) // NOLINT
        : m_type(Object), m_complex(std::make_shared<const QJsonValue>(o))
    {}
    Value(const QJsonArray &a) // NOLINT
        : m_type(Array), m_complex(std::make_shared<const QJsonValue>(a))
    {}

    Type type() const { return m_type; }
    bool isUndefined() const { return m_type == Undefined; }
    bool isNull() const { return m_type == Null; }
    /// A null made by sentNull(): written as null rather than left out.
    bool isSentNull() const { return m_type == Null && m_sentNull; }
    bool isBool() const { return m_type == Bool; }
    bool isDouble() const { return m_type == Double; }
    bool isString() const { return m_type == String; }
    bool isArray() const { return m_type == Array; }
    bool isObject() const { return m_type == Object; }

    /// As QJsonValue: the default for other types.
    QString toString() const { return m_type != String ? QString() : m_isUtf8 ? utf8ToQString() : m_string; }
    /// A string held as UTF-8: utf8() is its text. False for strings held as QString.
    bool isUtf8() const { return m_type == String && m_isUtf8; }
    std::string_view utf8() const { return m_utf8; }
    /// The QString of a string held as QString (empty otherwise): no copy, for writers.
    const QString &qstring() const { return m_string; }
    bool isEmptyString() const { return m_type == String && (m_isUtf8 ? m_utf8.empty() : m_string.isEmpty()); }
    double toDouble(double defaultValue = 0) const { return m_type == Double ? m_double : defaultValue; }
    qint64 toInteger(qint64 defaultValue = 0) const;
    bool toBool(bool defaultValue = false) const { return m_type == Bool ? m_bool : defaultValue; }
    QJsonArray toArray() const { return m_type == Array ? m_complex->toArray() : QJsonArray(); }
    QJsonObject toObject() const { return m_type == Object ? m_complex->toObject() : QJsonObject(); }
    bool isInteger() const { return m_type == Double && m_isInteger; }

    QJsonValue toJson() const;
    bool operator==(const Value &other) const;

private:
    QString utf8ToQString() const;

    Type m_type = Undefined;
    bool m_bool = false;
    bool m_isInteger = false;
    bool m_isUtf8 = false;   ///< a string held in m_utf8 rather than m_string
    bool m_sentNull = false; ///< a null written to the target record (see sentNull())
    qint64 m_integer = 0;
    double m_double = 0;
    QString m_string;
    std::string m_utf8;
    std::shared_ptr<const QJsonValue> m_complex; ///< objects and lists only: copies of scalars stay cheap
};

} // namespace transom::mapping
