#include "core/mapping/mappingpreview.h"

#include "core/mapping/mappingcompiler.h"

#include <QIODevice>
#include <QJsonArray>
#include <QJsonDocument>

namespace transom::mapping {

QString PreviewSummary::text() const
{
    QString out = QStringLiteral("%1 records: %2 clean, %3 with field errors").arg(records).arg(clean).arg(withErrors);
    if (unreadable > 0)
        out += QStringLiteral(", %1 unreadable").arg(unreadable);
    out += QLatin1Char('\n');
    if (fieldErrors > 0) {
        QStringList parts;
        for (auto it = errorsByField.cbegin(); it != errorsByField.cend(); ++it)
            parts.append(QStringLiteral("%1 (%2)").arg(it.key()).arg(it.value()));
        out += QStringLiteral("%1 field errors: %2\n").arg(fieldErrors).arg(parts.join(QLatin1String(", ")));
    }
    if (!drift.isEmpty())
        out += QStringLiteral("Drift: %1\n").arg(drift.summary());
    return out;
}

MappingPreview::MappingPreview(const CompiledMapping &mapping, const MappingDocument *document)
    : m_mapping(mapping), m_document(document)
{
}

PreviewSummary MappingPreview::run(io::RecordReader &reader, QIODevice &out)
{
    PreviewSummary summary;
    SchemaInference schema;
    io::SourceRecord source;
    while (reader.next(source)) {
        ++summary.records;
        QJsonObject line;
        line.insert(QLatin1String("index"), source.index);
        if (!source.problem.isEmpty()) {
            ++summary.unreadable;
            if (source.line > 0)
                line.insert(QLatin1String("line"), source.line);
            line.insert(QLatin1String("problem"), source.problem);
        } else {
            if (m_document)
                schema.add(source.data);
            MappedRecord mapped = m_mapping.map(source.data);
            line.insert(QLatin1String("source_id"),
                        mapped.sourceId.isEmpty() ? QStringLiteral("#%1").arg(source.index + 1) : mapped.sourceId);
            line.insert(QLatin1String("record"), mapped.record);
            QJsonArray errors;
            for (const FieldError &e : std::as_const(mapped.errors)) {
                errors.append(e.toJson());
                ++summary.errorsByField[e.field];
            }
            line.insert(QLatin1String("errors"), errors);
            summary.fieldErrors += mapped.errors.size();
            if (mapped.ok())
                ++summary.clean;
            else
                ++summary.withErrors;
        }
        out.write(QJsonDocument(line).toJson(QJsonDocument::Compact));
        out.write("\n", 1);
    }
    if (m_document)
        summary.drift = detectDrift(*m_document, schema);
    return summary;
}

PreviewExit MappingPreview::runFiles(const QString &mappingPath, const QString &inputPath, QIODevice &out,
                                     QIODevice &err)
{
    auto say = [&err](const QString &text) { err.write(text.toUtf8()); };
    const auto document = MappingDocument::load(mappingPath);
    if (!document) {
        say(QStringLiteral("error: %1\n").arg(document.error().toString()));
        return PreviewExit::Unusable;
    }
    const MappingCompiler::Result compiled = MappingCompiler::compile(document.value());
    if (!compiled.ok()) {
        for (const Error &e : compiled.errors)
            say(QStringLiteral("error: %1\n").arg(e.toString()));
        say(QStringLiteral("the mapping has %1 error(s); nothing was mapped\n").arg(compiled.errors.size()));
        return PreviewExit::Unusable;
    }
    auto reader = io::RecordReader::open(inputPath);
    if (!reader) {
        say(QStringLiteral("error: %1\n").arg(reader.error().toString()));
        return PreviewExit::Unusable;
    }
    MappingPreview preview(*compiled.mapping, &document.value());
    const PreviewSummary summary = preview.run(*reader.value(), out);
    say(QStringLiteral("%1 (%2) → %3\n")
            .arg(inputPath, reader.value()->formatName(), document->name.isEmpty() ? mappingPath : document->name));
    say(summary.text());
    return summary.withErrors + summary.unreadable > 0 ? PreviewExit::FieldErrors : PreviewExit::Clean;
}

} // namespace transom::mapping
