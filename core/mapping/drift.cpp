#include "core/mapping/drift.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>

namespace transom::mapping {

QStringList readPaths(const MappingDocument &mapping)
{
    static const QRegularExpression placeholder(QStringLiteral(R"(\{\s*([^}\s$][^}]*?)\s*\})"));
    QStringList out;
    auto add = [&out](const QString &path) {
        const QString p = SchemaInference::schemaPath(path);
        if (!p.isEmpty() && !out.contains(p))
            out.append(p);
    };
    if (!mapping.sourceIdField.isEmpty())
        add(mapping.sourceIdField);
    for (const FieldMapping &field : mapping.fields) {
        for (const QString &from : field.from)
            add(from);
        for (const QJsonValue &rule : field.rules) {
            const QString text = rule.toObject().value(QLatin1String("template")).toString();
            for (auto it = placeholder.globalMatch(text); it.hasNext();)
                add(it.next().captured(1));
        }
    }
    return out;
}

namespace {

bool coveredBy(const QString &path, const QSet<QString> &known)
{
    // A field is known when it, or an object or list containing it, is known.
    QString p = path;
    while (true) {
        if (known.contains(p))
            return true;
        const qsizetype cut = std::max(p.lastIndexOf(QLatin1Char('.')), p.lastIndexOf(QLatin1String("[]")));
        if (cut <= 0)
            return false;
        p.truncate(cut);
    }
}

} // namespace

QString DriftReport::summary() const
{
    QStringList parts;
    if (!newFields.isEmpty())
        parts.append(QStringLiteral("New in the samples: %1.").arg(newFields.join(QLatin1String(", "))));
    if (!missingFields.isEmpty())
        parts.append(
            QStringLiteral("Mapped but missing from every sample: %1.").arg(missingFields.join(QLatin1String(", "))));
    return parts.join(QLatin1Char(' '));
}

QJsonObject DriftReport::toJson() const
{
    return {{QLatin1String("new_fields"), QJsonArray::fromStringList(newFields)},
            {QLatin1String("missing_fields"), QJsonArray::fromStringList(missingFields)}};
}

DriftReport detectDrift(const MappingDocument &mapping, const SchemaInference &samples)
{
    DriftReport report;
    const QStringList reads = readPaths(mapping);
    QSet<QString> known(reads.begin(), reads.end());
    for (const QString &f : mapping.knownSourceFields)
        known.insert(SchemaInference::schemaPath(f));
    const bool hasFieldList = !mapping.knownSourceFields.isEmpty();

    if (hasFieldList) {
        for (const FieldStats &stats : samples.fields()) {
            if (stats.isContainerOnly())
                continue; // its leaves speak for it
            if (!coveredBy(stats.path, known))
                report.newFields.append(stats.path);
        }
    }
    for (const QString &path : reads) {
        const FieldStats *stats = samples.field(path);
        if (!stats || stats->present == 0)
            report.missingFields.append(path);
    }
    return report;
}

} // namespace transom::mapping
