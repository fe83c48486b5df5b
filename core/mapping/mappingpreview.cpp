#include "core/mapping/mappingpreview.h"

#include "core/common/jsonwriter.h"
#include "core/mapping/mappingcompiler.h"
#include "core/mapping/mappingedit.h"

#include <QIODevice>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

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
    if (recovered > 0)
        out += QStringLiteral("%1 rule failures handled by on_error policies (see \"recovered\")\n").arg(recovered);
    if (!drift.isEmpty())
        out += QStringLiteral("Drift: %1\n").arg(drift.summary());
    return out;
}

QList<FieldError> unmappedRequiredErrors(const MappingDocument &document, const CompiledMapping &mapping)
{
    QSet<QString> produced;
    for (int i = 0; i < mapping.fieldCount(); ++i)
        produced.insert(mapping.targetOf(i));
    QList<FieldError> errors;
    QSet<QString> reported;
    auto check = [&](const QString &path) {
        if (path.isEmpty() || produced.contains(path) || reported.contains(path))
            return;
        reported.insert(path);
        const bool mappedButBroken = fieldIndexOf(document, path) >= 0;
        errors.append({path, QStringLiteral("required"), QJsonValue(QJsonValue::Undefined),
                       mappedButBroken
                           ? QStringLiteral("\"%1\" is required, and its mapping has a problem: fix it").arg(path)
                           : QStringLiteral("\"%1\" is required but nothing is mapped to it").arg(path)});
    };
    for (const TargetField &t : document.targetFields)
        if (t.required)
            check(t.path);
    for (const FieldMapping &f : document.fields)
        if (f.required)
            check(f.target);
    return errors;
}

MappingPreview::MappingPreview(const CompiledMapping &mapping, const MappingDocument *document)
    : m_mapping(mapping), m_document(document)
{}

PreviewSummary MappingPreview::run(io::RecordReader &reader, QIODevice &out)
{
    PreviewSummary summary;
    SchemaInference schema;
    io::SourceRecord source;
    QByteArray line;
    const QList<FieldError> unmapped =
        m_document ? unmappedRequiredErrors(*m_document, m_mapping) : QList<FieldError>();
    while (reader.next(source)) {
        ++summary.records;
        line.clear();
        if (!source.problem.isEmpty()) {
            ++summary.unreadable;
            QJsonObject problem{{QLatin1String("index"), source.index}, {QLatin1String("problem"), source.problem}};
            if (source.line > 0)
                problem.insert(QLatin1String("line"), source.line);
            line = QJsonDocument(problem).toJson(QJsonDocument::Compact);
        } else {
            if (m_document)
                schema.add(source.data);
            MappedRecord mapped = m_mapping.map(source.data);
            mapped.errors.append(unmapped);
            writeLine(line, source.index, mapped);
            for (const FieldError &e : mapped.errors)
                ++summary.errorsByField[e.field];
            summary.fieldErrors += mapped.errors.size();
            summary.recovered += mapped.recovered.size();
            if (mapped.ok())
                ++summary.clean;
            else
                ++summary.withErrors;
        }
        line.append('\n');
        out.write(line);
    }
    if (m_document)
        summary.drift = detectDrift(*m_document, schema);
    return summary;
}

void MappingPreview::writeLine(QByteArray &line, qint64 index, const MappedRecord &mapped)
{
    // Put together in a buffer this thread reuses, then appended to `line` at once.
    thread_local json::TextBuffer text;
    text.clear();
    text.append("{\"source_id\":", 13);
    const QString id = mapped.sourceId.isEmpty() ? QStringLiteral("#%1").arg(index + 1) : mapped.sourceId;
    text.commit(json::writeString(text.room(size_t(id.size()) * 6 + 2), id));
    text.append(",\"index\":", 9);
    text.commit(json::writeInteger(text.room(24), index));
    text.append(",\"record\":", 10);
    mapped.appendJson(text);
    text.append(",\"errors\":[", 11);
    for (qsizetype i = 0; i < mapped.errors.size(); ++i) {
        if (i > 0)
            text.append(',');
        QByteArray error;
        json::appendValue(error, mapped.errors.at(i).toJson());
        text.append(error.constData(), size_t(error.size()));
    }
    text.append(']');
    // What on_error policies did instead of failing, so a preview shows why a field came out null.
    if (!mapped.recovered.isEmpty()) {
        text.append(",\"recovered\":[", 14);
        for (qsizetype i = 0; i < mapped.recovered.size(); ++i) {
            if (i > 0)
                text.append(',');
            QByteArray note;
            json::appendValue(note, mapped.recovered.at(i).toJson());
            text.append(note.constData(), size_t(note.size()));
        }
        text.append(']');
    }
    text.append('}');
    line.append(text.data(), qsizetype(text.size()));
    if (text.capacity() > (size_t(1) << 20))
        text.release(); // a huge record's room is not kept for the life of the thread
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
