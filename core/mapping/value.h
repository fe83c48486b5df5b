#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <memory>

namespace transom::mapping {

/// A value flowing through a field's rule pipeline. It answers the same questions as QJsonValue
/// (rules were written against that API) but holds strings as an implicitly shared QString and
/// numbers inline: in Qt 6 every string QJsonValue is a QCborValue container with its own copy of the
/// text, and every toString() copies it again, which made value handling most of a mapping's cost.
/// Objects and lists are kept as QJsonValue.
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
    Value(const QJsonValue &v); // NOLINT
    Value(const QJsonObject &o) // NOLINT
        : m_type(Object), m_complex(std::make_shared<const QJsonValue>(o))
    {}
    Value(const QJsonArray &a) // NOLINT
        : m_type(Array), m_complex(std::make_shared<const QJsonValue>(a))
    {}

    Type type() const { return m_type; }
    bool isUndefined() const { return m_type == Undefined; }
    bool isNull() const { return m_type == Null; }
    bool isBool() const { return m_type == Bool; }
    bool isDouble() const { return m_type == Double; }
    bool isString() const { return m_type == String; }
    bool isArray() const { return m_type == Array; }
    bool isObject() const { return m_type == Object; }

    /// As QJsonValue: the default for other types.
    QString toString() const { return m_type == String ? m_string : QString(); }
    const QString &stringRef() const { return m_string; } ///< the string, empty for other types
    double toDouble(double defaultValue = 0) const { return m_type == Double ? m_double : defaultValue; }
    qint64 toInteger(qint64 defaultValue = 0) const;
    bool toBool(bool defaultValue = false) const { return m_type == Bool ? m_bool : defaultValue; }
    QJsonArray toArray() const { return m_type == Array ? m_complex->toArray() : QJsonArray(); }
    QJsonObject toObject() const { return m_type == Object ? m_complex->toObject() : QJsonObject(); }
    bool isInteger() const { return m_type == Double && m_isInteger; }

    QJsonValue toJson() const;
    bool operator==(const Value &other) const;

private:
    Type m_type = Undefined;
    bool m_bool = false;
    bool m_isInteger = false;
    qint64 m_integer = 0;
    double m_double = 0;
    QString m_string;
    std::shared_ptr<const QJsonValue> m_complex; ///< objects and lists only: copies of scalars stay cheap
};

} // namespace transom::mapping
