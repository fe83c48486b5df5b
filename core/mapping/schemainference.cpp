#include "core/mapping/schemainference.h"

#include "core/mapping/rule.h"

#include <QRegularExpression>
#include <QSet>

namespace transom::mapping {

namespace {

QString typeOf(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::String:
        return QStringLiteral("string");
    case QJsonValue::Double:
        return QStringLiteral("number");
    case QJsonValue::Bool:
        return QStringLiteral("boolean");
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Object:
        return QStringLiteral("object");
    case QJsonValue::Array:
        return QStringLiteral("array");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("undefined");
}

} // namespace

FieldStats &SchemaInference::statsFor(const QString &path)
{
    const auto it = m_index.constFind(path);
    if (it != m_index.cend())
        return m_fields[*it];
    m_index.insert(path, m_fields.size());
    m_fields.append(FieldStats{path, {}, 0, 0, {}});
    return m_fields.last();
}

void SchemaInference::add(const QJsonObject &record)
{
    ++m_records;
    QSet<QString> seen;
    for (auto it = record.begin(); it != record.end(); ++it)
        visit(it.key(), it.value(), seen);
}

void SchemaInference::visit(const QString &path, const QJsonValue &value, QSet<QString> &seen)
{
    {
        FieldStats &stats = statsFor(path);
        if (!seen.contains(path)) {
            seen.insert(path);
            ++stats.present;
        }
        const QString type = typeOf(value);
        if (!stats.types.contains(type))
            stats.types.append(type);
        if (value.isNull())
            ++stats.nulls;
        QString text;
        if (stats.examples.size() < 3 && !isEmptyValue(value) && scalarText(value, text)) {
            if (text.size() > 80)
                text = text.left(80) + QStringLiteral("…");
            if (!stats.examples.contains(text))
                stats.examples.append(text);
        }
    } // `stats` may dangle once children are added
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            visit(path + QLatin1Char('.') + it.key(), it.value(), seen);
    } else if (value.isArray()) {
        const QJsonArray array = value.toArray();
        const QString element = path + QStringLiteral("[]");
        for (const QJsonValue &item : array)
            visit(element, item, seen);
    }
}

const FieldStats *SchemaInference::field(const QString &path) const
{
    const auto it = m_index.constFind(path);
    return it == m_index.cend() ? nullptr : &m_fields.at(*it);
}

double SchemaInference::nullRate(const FieldStats &stats) const
{
    if (m_records == 0)
        return 0;
    const qint64 missing = m_records - stats.present;
    return std::clamp(double(missing + stats.nulls) / double(m_records), 0.0, 1.0);
}

QJsonArray SchemaInference::toJson() const
{
    QJsonArray out;
    for (const FieldStats &f : m_fields) {
        out.append(QJsonObject{{QLatin1String("path"), f.path},
                               {QLatin1String("types"), QJsonArray::fromStringList(f.types)},
                               {QLatin1String("present"), f.present},
                               {QLatin1String("null_rate"), nullRate(f)},
                               {QLatin1String("examples"), QJsonArray::fromStringList(f.examples)}});
    }
    return out;
}

QString SchemaInference::schemaPath(const QString &fieldPath)
{
    static const QRegularExpression index(QStringLiteral(R"(\[\d+\])"));
    QString out = fieldPath;
    out.replace(index, QStringLiteral("[]"));
    return out;
}

} // namespace transom::mapping
