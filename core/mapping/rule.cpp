#include "core/mapping/rule.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>

namespace transom::mapping {

QString describeValue(const QJsonValue &v)
{
    constexpr qsizetype maxChars = 120;
    switch (v.type()) {
    case QJsonValue::Undefined:
        return QStringLiteral("nothing (field missing)");
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double: {
        QString text;
        scalarText(v, text);
        return text;
    }
    case QJsonValue::String: {
        const QString s = v.toString();
        if (s.size() <= maxChars)
            return QLatin1Char('"') + s + QLatin1Char('"');
        return QLatin1Char('"') + s.left(maxChars) + QStringLiteral("…\" (%1 characters)").arg(s.size());
    }
    case QJsonValue::Array:
        return QStringLiteral("a list of %1 values").arg(v.toArray().size());
    case QJsonValue::Object:
        return QStringLiteral("an object");
    }
    return {};
}

bool scalarText(const QJsonValue &v, QString &out)
{
    switch (v.type()) {
    case QJsonValue::String:
        out = v.toString();
        return true;
    case QJsonValue::Bool:
        out = v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
        return true;
    case QJsonValue::Double: {
        const double d = v.toDouble();
        const qint64 i = v.toInteger();
        out = (double(i) == d) ? QString::number(i) : QString::number(d, 'g', 17);
        // Prefer the shortest round-trip form for fractions such as 599999.99.
        if (double(i) != d)
            out = QString::number(d, 'g', QLocale::FloatingPointShortest);
        return true;
    }
    default:
        return false;
    }
}

} // namespace transom::mapping
