#pragma once

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QStringList>

namespace transom::mapping {

/// What the samples say about one field: the types seen, how often it is missing or null, and a few
/// example values. Array elements are written with [] ("Media[].MediaKey").
struct FieldStats {
    QString path;
    QStringList types;    ///< in the order first seen: string, number, boolean, null, object, array
    qint64 present = 0;   ///< records in which the field exists (null included)
    qint64 nulls = 0;     ///< occurrences that were null
    QStringList examples; ///< up to three distinct, non-empty values as text

    bool isContainerOnly() const
    {
        return std::all_of(types.begin(), types.end(), [](const QString &t) {
            return t == QLatin1String("object") || t == QLatin1String("array");
        });
    }
};

/// Infers a schema from sample records, one record at a time, in memory bounded by the number of
/// distinct field paths.
class SchemaInference {
public:
    void add(const QJsonObject &record);

    qint64 recordCount() const { return m_records; }
    /// Fields in the order they were first seen (the keys of one object in QJsonObject order: sorted).
    QList<FieldStats> fields() const { return m_fields; }
    const FieldStats *field(const QString &path) const;
    /// Missing or null, as a share of all records (0..1).
    double nullRate(const FieldStats &stats) const;

    QJsonArray toJson() const;

    /// "person.emails[0].value" → "person.emails[].value": a concrete path in schema form.
    static QString schemaPath(const QString &fieldPath);

private:
    void visit(const QString &path, const QJsonValue &value, QSet<QString> &seen);
    FieldStats &statsFor(const QString &path);

    qint64 m_records = 0;
    QList<FieldStats> m_fields;
    QHash<QString, qsizetype> m_index;
};

} // namespace transom::mapping
