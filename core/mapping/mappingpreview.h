#pragma once

#include "core/io/recordreader.h"
#include "core/mapping/compiledmapping.h"
#include "core/mapping/drift.h"

#include <QMap>
#include <QString>

class QIODevice;

namespace transom::mapping {

/// Counts from one preview run, and the one-paragraph summary the command line prints.
struct PreviewSummary {
    qint64 records = 0;
    qint64 clean = 0;
    qint64 withErrors = 0;
    qint64 unreadable = 0;
    qint64 fieldErrors = 0;
    qint64 recovered = 0; ///< rule failures an on_error policy turned into a value
    QMap<QString, qint64> errorsByField;
    DriftReport drift;

    QString text() const;
};

/// The required target fields that `mapping` does not produce: not mapped at all, or mapped by a field
/// that did not compile. Each is an error on every record, since the destination refuses a record
/// without them; MappingPreview and the studio's preview add these to each record's own errors.
/// One error per field, in the document's order (target fields first, then required field mappings).
QList<FieldError> unmappedRequiredErrors(const MappingDocument &document, const CompiledMapping &mapping);

/// Exit codes of `transom-run map` (documented in the README and --help).
enum class PreviewExit : int {
    Clean = 0,       ///< every record mapped without a field error
    FieldErrors = 1, ///< some records carry field errors or could not be read
    Unusable = 2,    ///< the mapping or the input could not be used at all
    Usage = 64,      ///< wrong command-line arguments
};

/// Maps every record of a reader and writes one NDJSON line per record:
/// {"source_id": ..., "index": n, "record": {...}, "errors": [{field, rule, input, message}]}, plus
/// "recovered": [{field, rule, input, message}] when an on_error policy stood in for a field error,
/// and, for a record that could not be read, {"index": n, "line": l, "problem": "..."}.
/// Streams: memory stays flat however many records the reader yields. With the mapping's document, a
/// required target field the mapping does not produce is an error on every record.
class MappingPreview {
public:
    MappingPreview(const CompiledMapping &mapping, const MappingDocument *document = nullptr);

    PreviewSummary run(io::RecordReader &reader, QIODevice &out);

    /// The whole `transom-run map` command: load and compile the mapping, open the input, map, write
    /// NDJSON to `out` and the summary or errors to `err`. Returns the exit code.
    static PreviewExit runFiles(const QString &mappingPath, const QString &inputPath, QIODevice &out, QIODevice &err);

    /// One output line (without the newline) for a mapped record.
    static void writeLine(QByteArray &line, qint64 index, const MappedRecord &mapped);

private:
    const CompiledMapping &m_mapping;
    const MappingDocument *m_document;
};

} // namespace transom::mapping
