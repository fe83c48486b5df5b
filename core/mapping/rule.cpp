#include "core/mapping/rule.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>

#include <limits>

namespace transom::mapping {

QString describeValue(const Value &v)
{
    constexpr qsizetype maxChars = 120;
    switch (v.type()) {
    case Value::Undefined:
        return QStringLiteral("nothing (field missing)");
    case Value::Null:
        return QStringLiteral("null");
    case Value::Bool:
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case Value::Double: {
        QString text;
        scalarText(v, text);
        return text;
    }
    case Value::String: {
        const QString s = v.toString();
        if (s.size() <= maxChars)
            return QLatin1Char('"') + s + QLatin1Char('"');
        return QLatin1Char('"') + s.left(maxChars) + QStringLiteral("…\" (%1 characters)").arg(s.size());
    }
    case Value::Array:
        return QStringLiteral("a list of %1 values").arg(v.toArray().size());
    case Value::Object:
        return QStringLiteral("an object");
    }
    return {};
}

QString collapseWhitespace(const QString &text)
{
    bool previousSpace = true; // leading white space counts as a run
    for (const QChar c : text) {
        if (c.isSpace()) {
            if (previousSpace || c != QLatin1Char(' '))
                return text.simplified();
            previousSpace = true;
        } else {
            previousSpace = false;
        }
    }
    return previousSpace && !text.isEmpty() ? text.simplified() : text;
}

bool scalarText(const Value &v, QString &out)
{
    switch (v.type()) {
    case Value::String:
        out = v.toString();
        return true;
    case Value::Bool:
        out = v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
        return true;
    case Value::Double: {
        // Whole numbers without a fraction; the shortest round-trip form for fractions such as 599999.99.
        const double d = v.toDouble();
        const qint64 whole = v.toInteger(std::numeric_limits<qint64>::min());
        out = (v.isInteger() || (whole != std::numeric_limits<qint64>::min() && double(whole) == d))
                  ? QString::number(whole)
                  : QString::number(d, 'g', QLocale::FloatingPointShortest);
        return true;
    }
    default:
        return false;
    }
}

} // namespace transom::mapping
