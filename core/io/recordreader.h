#pragma once

#include "core/common/expected.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <memory>

class QIODevice;

namespace transom::io {

/// One record read from an input, with where it came from. A record that could not be read (a
/// malformed NDJSON line, a CSV row of the wrong width or with a quote left open, bytes that are not
/// UTF-8 in any format) keeps its position and a `problem`, so the caller can report it and go on with
/// the rest: one bad record never hides the records after it.
struct SourceRecord {
    QJsonObject data;
    qint64 index = 0; ///< 0-based position among the input's records
    qint64 line = 0;  ///< 1-based line where the record starts, 0 when unknown
    QString problem;  ///< why the record is unusable; empty for a good record
};

/// Reads records from JSON arrays, NDJSON, CSV and the envelopes real APIs use (OData `value` with
/// `@odata.nextLink`, `_metadata` + collection, a single `data`/`results`/`items` list). NDJSON and CSV
/// are streamed; JSON documents are read whole. Text is checked for UTF-8 before it is decoded: a bad
/// byte makes its record unreadable, named by line and byte offset, and is never read as U+FFFD.
///
/// CSV: a quoted value may hold separators, doubled quotes and line breaks, so a row may span lines. A
/// row that spans lines must end well: its quote closes within 1,000 lines and before the end of the
/// input, each closing quote is followed by a separator or the end of a line, and the row has as many
/// values as the header. Otherwise (typically a quote left open) only the row's first line is reported
/// unreadable and reading resumes at the next line. Rows on one line are read leniently, as
/// spreadsheets write them. Dotted header names nest fields, at most 32 levels.
class RecordReader {
public:
    enum class Format { Auto, JsonArray, Envelope, Ndjson, Csv };

    virtual ~RecordReader();

    /// Opens a file. Fails (with file, line and column) when the file cannot be read or is not JSON,
    /// NDJSON or CSV at all.
    static Expected<std::unique_ptr<RecordReader>> open(const QString &path, Format format = Format::Auto);
    /// Reads from bytes already in memory; `name` is used in error messages.
    static Expected<std::unique_ptr<RecordReader>> fromData(const QByteArray &data, const QString &name,
                                                            Format format = Format::Auto);

    /// The next record, or false at the end of the input.
    virtual bool next(SourceRecord &record) = 0;

    Format format() const { return m_format; }
    QString formatName() const;
    /// The link to the next page, when the input was an API envelope that had one.
    const QString &nextLink() const { return m_nextLink; }

protected:
    Format m_format = Format::Auto;
    QString m_nextLink;
};

} // namespace transom::io
