#include "core/mapping/value.h"

#include <cmath>

namespace transom::mapping {

Value::Value(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null:
        m_type = Null;
        break;
    case QJsonValue::Bool:
        m_type = Bool;
        m_bool = v.toBool();
        break;
    case QJsonValue::Double: {
        m_type = Double;
        m_double = v.toDouble();
        const qint64 i = v.toInteger();
        if (double(i) == m_double) {
            m_isInteger = true;
            m_integer = i;
        }
        break;
    }
    case QJsonValue::String:
        m_type = String;
        m_string = v.toString();
        break;
    case QJsonValue::Array:
    case QJsonValue::Object:
        m_type = v.isArray() ? Array : Object;
        m_complex = std::make_shared<const QJsonValue>(v);
        break;
    case QJsonValue::Undefined:
        break;
    }
}

QString Value::utf8ToQString() const
{
    // QString::fromUtf8 drops a leading byte-order mark; a string value keeps its U+FEFF, as
    // QJsonDocument reads it.
    if (m_utf8.size() >= 3 && m_utf8.compare(0, 3, "\xEF\xBB\xBF") == 0)
        return QChar(0xFEFF) + QString::fromUtf8(m_utf8.data() + 3, qsizetype(m_utf8.size() - 3));
    return QString::fromUtf8(m_utf8.data(), qsizetype(m_utf8.size()));
}

qint64 Value::toInteger(qint64 defaultValue) const
{
    if (m_type != Double)
        return defaultValue;
    if (m_isInteger)
        return m_integer;
    // As QJsonValue: a double holding a whole number that fits.
    if (std::isfinite(m_double) && std::trunc(m_double) == m_double && std::fabs(m_double) < 9.2e18)
        return qint64(m_double);
    return defaultValue;
}

QJsonValue Value::toJson() const
{
    switch (m_type) {
    case Undefined:
        return QJsonValue(QJsonValue::Undefined);
    case Null:
        return QJsonValue(QJsonValue::Null);
    case Bool:
        return QJsonValue(m_bool);
    case Double:
        return m_isInteger ? QJsonValue(m_integer) : QJsonValue(m_double);
    case String:
        return QJsonValue(toString());
    case Array:
    case Object:
        return *m_complex;
    }
    return {};
}

bool Value::operator==(const Value &other) const
{
    if (m_type != other.m_type)
        return false;
    switch (m_type) {
    case Undefined:
    case Null:
        return true;
    case Bool:
        return m_bool == other.m_bool;
    case Double:
        return m_isInteger && other.m_isInteger ? m_integer == other.m_integer : m_double == other.m_double;
    case String:
        if (m_isUtf8 && other.m_isUtf8)
            return m_utf8 == other.m_utf8;
        if (!m_isUtf8 && !other.m_isUtf8)
            return m_string == other.m_string;
        return toString() == other.toString();
    case Array:
    case Object:
        return *m_complex == *other.m_complex;
    }
    return false;
}

} // namespace transom::mapping
