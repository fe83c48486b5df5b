#include "core/io/recordreader.h"

#include "core/common/jsonlocator.h"
#include "core/common/utf8check.h"

#include <QBuffer>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

#include <algorithm>

namespace transom::io {

namespace {

Error jsonError(const QByteArray &text, const QJsonParseError &e, const QString &name, qint64 firstLine = 1)
{
    Error err{QStringLiteral("not valid JSON: %1").arg(e.errorString()), name, 0, 0, {}};
    JsonLocator::lineColumn(text, e.offset, err.line, err.column);
    err.line += int(firstLine - 1);
    return err;
}

/// Records held in memory: a JSON array, an envelope's list, or one object.
class ArrayReader final : public RecordReader {
public:
    /// A record that holds bytes that are not UTF-8: where, and the words for it.
    struct Unreadable {
        qint64 line = 0;
        QString problem;
    };

    ArrayReader(QJsonArray records, Format format, QString nextLink, QHash<qsizetype, Unreadable> unreadable = {})
        : m_records(std::move(records)), m_unreadable(std::move(unreadable))
    {
        m_format = format;
        m_nextLink = std::move(nextLink);
    }

    bool next(SourceRecord &record) override
    {
        if (m_pos >= m_records.size())
            return false;
        const QJsonValue v = m_records.at(m_pos);
        record = SourceRecord{v.toObject(), m_pos, 0, {}};
        if (const auto bad = m_unreadable.constFind(m_pos); bad != m_unreadable.cend()) {
            record = SourceRecord{{}, m_pos, bad->line, bad->problem};
        } else if (!v.isObject())
            record.problem = QStringLiteral("record %1 is %2, not an object")
                                 .arg(m_pos + 1)
                                 .arg(v.isArray()    ? QStringLiteral("a list")
                                      : v.isString() ? QStringLiteral("text")
                                      : v.isNull()   ? QStringLiteral("null")
                                                     : QStringLiteral("a number or boolean"));
        ++m_pos;
        return true;
    }

private:
    QJsonArray m_records;
    QHash<qsizetype, Unreadable> m_unreadable;
    qsizetype m_pos = 0;
};

class NdjsonReader final : public RecordReader {
public:
    NdjsonReader(std::unique_ptr<QIODevice> device, QString name) : m_device(std::move(device)), m_name(std::move(name))
    {
        m_format = Format::Ndjson;
    }

    bool next(SourceRecord &record) override
    {
        while (!m_device->atEnd()) {
            const QByteArray line = m_device->readLine();
            const qint64 offset = m_offset;
            m_offset += line.size();
            ++m_line;
            if (line.trimmed().isEmpty())
                continue;
            record = SourceRecord{{}, m_index++, m_line, {}};
            if (const qsizetype bad = utf8::firstInvalid(line); bad >= 0) {
                record.problem = QStringLiteral("%1:%2: %3")
                                     .arg(m_name)
                                     .arg(m_line)
                                     .arg(utf8::problem(offset + bad, m_line, bad + 1));
                return true;
            }
            QJsonParseError e;
            const QJsonDocument doc = QJsonDocument::fromJson(line, &e);
            if (e.error != QJsonParseError::NoError) {
                record.problem = jsonError(line, e, m_name, m_line).toString();
            } else if (!doc.isObject()) {
                record.problem =
                    QStringLiteral("%1:%2: the line holds a JSON value that is not an object").arg(m_name).arg(m_line);
            } else {
                record.data = doc.object();
            }
            return true;
        }
        return false;
    }

private:
    std::unique_ptr<QIODevice> m_device;
    QString m_name;
    qint64 m_line = 0;
    qint64 m_offset = 0;
    qint64 m_index = 0;
};

/// CSV after RFC 4180, read so that one bad row never hides the rows after it:
/// - Values are separated by commas (or by semicolons or tabs, when the header has more of those).
///   A value in double quotes may hold separators, doubled quotes ("") and line breaks, so one row
///   may span several lines.
/// - A row on one line is read leniently, as spreadsheets write them. A row that spans lines must end
///   well: its quotes close within kMaxRowLines lines (not at the end of the input), each closing quote
///   is followed by a separator or the end of a line, and it has as many values as the header. When it
///   does not (typically a quote left open), only its first line is reported unreadable and reading
///   resumes at the next line, which is read again as rows of its own: an unclosed quote on row 2 of
///   1,000 costs one row, not 998.
/// - Every line is checked for UTF-8 before it is decoded: a row holding bytes that are not UTF-8 is
///   reported unreadable with its line and the byte offset, never decoded into U+FFFD.
/// - A header names nested fields with dots ("address.city"), at most kMaxHeaderDepth levels.
class CsvReader final : public RecordReader {
public:
    static constexpr int kMaxRowLines = 1000;
    static constexpr int kMaxHeaderDepth = 32;

    CsvReader(std::unique_ptr<QIODevice> device, QString name) : m_device(std::move(device)), m_name(std::move(name))
    {
        m_format = Format::Csv;
    }

    /// Reads the header row; false with `error` when there is none.
    bool start(Error &error)
    {
        QList<QString> header;
        Row row;
        const bool read = readRow(header, row, true);
        if (read && !row.problem.isEmpty()) {
            error = Error{row.problem, m_name, int(row.line), 1, {}};
            return false;
        }
        if (!read || header.isEmpty()) {
            error = Error{QStringLiteral("the CSV file has no header row"), m_name, 1, 1, {}};
            return false;
        }
        for (qsizetype c = 0; c < header.size(); ++c) {
            const QString h = header.at(c).trimmed();
            m_columns.append(h.split(QLatin1Char('.'), Qt::SkipEmptyParts));
            if (m_columns.last().size() > kMaxHeaderDepth) {
                error = Error{QStringLiteral("column %1 (\"%2…\") nests more than %3 levels deep; at most %3 are read")
                                  .arg(c + 1)
                                  .arg(h.left(40))
                                  .arg(kMaxHeaderDepth),
                              m_name,
                              int(row.line),
                              1,
                              {}};
                return false;
            }
        }
        return true;
    }

    bool next(SourceRecord &record) override
    {
        QList<QString> values;
        Row row;
        while (true) {
            if (!readRow(values, row, false))
                return false;
            if (!(values.size() == 1 && values.first().isEmpty()) || !row.problem.isEmpty())
                break; // skip blank lines
        }
        record = SourceRecord{{}, m_index++, row.line, {}};
        if (!row.problem.isEmpty()) {
            record.problem = QStringLiteral("%1:%2: %3").arg(m_name).arg(row.line).arg(row.problem);
            return true;
        }
        if (values.size() != m_columns.size()) {
            record.problem = QStringLiteral("%1:%2: the row has %3 values but the header has %4 columns")
                                 .arg(m_name)
                                 .arg(row.line)
                                 .arg(values.size())
                                 .arg(m_columns.size());
            return true;
        }
        for (qsizetype c = 0; c < values.size(); ++c) {
            const QJsonValue value = values.at(c).isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(values.at(c));
            insertPath(record.data, m_columns.at(c), 0, value);
        }
        return true;
    }

private:
    struct Line {
        QByteArray bytes;
        qint64 number = 0; ///< 1-based
        qint64 offset = 0; ///< of its first byte in the input
    };
    /// Where a row was and what was wrong with it.
    struct Row {
        qint64 line = 0;
        QString problem;
    };

    static void insertPath(QJsonObject &object, const QStringList &keys, qsizetype at, const QJsonValue &value)
    {
        if (keys.isEmpty())
            return;
        if (at == keys.size() - 1) {
            object.insert(keys.at(at), value);
            return;
        }
        QJsonObject child = object.value(keys.at(at)).toObject();
        insertPath(child, keys, at + 1, value); // at most kMaxHeaderDepth deep (start())
        object.insert(keys.at(at), child);
    }

    /// The next physical line: lines given back by a row that ended badly first, then the device's.
    bool readLine(Line &line)
    {
        if (!m_pending.isEmpty()) {
            line = m_pending.takeFirst();
            return true;
        }
        if (m_device->atEnd())
            return false;
        line.bytes = m_device->readLine();
        line.number = ++m_line;
        line.offset = m_offset;
        m_offset += line.bytes.size();
        if (line.number == 1 && line.bytes.startsWith("\xEF\xBB\xBF")) {
            line.bytes.remove(0, 3);
            line.offset += 3;
        }
        return true;
    }

    /// `line` as text. A line that is not UTF-8 is still decoded, only to find where its row ends: the
    /// row is reported with `problem` (the first bad byte of the row), never read.
    static void decode(const Line &line, QString &text, QString &problem)
    {
        const qsizetype bad = utf8::firstInvalid(line.bytes);
        if (bad >= 0 && problem.isEmpty())
            problem = utf8::problem(line.offset + bad, line.number, bad + 1);
        text = QString::fromUtf8(line.bytes);
    }

    void detectSeparator(const QString &text)
    {
        const auto commas = text.count(QLatin1Char(','));
        if (text.count(QLatin1Char(';')) > commas)
            m_separator = QLatin1Char(';');
        if (text.count(QLatin1Char('\t')) > std::max(commas, text.count(QLatin1Char(';'))))
            m_separator = QLatin1Char('\t');
    }

    /// Reads one row into `values`; false at the end of the input. A row that cannot be read comes back
    /// with `row.problem` set, its lines after the first given back to be read again.
    bool readRow(QList<QString> &values, Row &row, bool detect)
    {
        values.clear();
        row = Row{};
        Line first;
        if (!readLine(first))
            return false;
        row.line = first.number;
        QString text;
        QString badBytes; // the first byte of the row that is not UTF-8
        decode(first, text, badBytes);
        if (detect)
            detectSeparator(text);
        QList<Line> more; // lines after the first, while a quoted value spans lines
        QString field;
        bool quoted = false;
        bool wasQuoted = false;
        bool strayAfterQuote = false;
        qsizetype i = 0;
        // A row that spans lines and ends badly: only its first line is lost.
        auto giveBack = [&](const QString &why) {
            for (qsizetype k = more.size() - 1; k >= 0; --k)
                m_pending.prepend(more.at(k));
            values.clear();
            row.problem = why;
            return true;
        };
        while (true) {
            if (i >= text.size()) {
                if (!quoted)
                    break;
                Line line;
                if (more.size() + 1 >= kMaxRowLines || !readLine(line)) {
                    const bool atEnd = more.size() + 1 < kMaxRowLines;
                    return giveBack(atEnd ? QStringLiteral("a quoted value that starts on this line is never closed")
                                          : QStringLiteral("a quoted value that starts on this line is still open "
                                                           "%1 lines later; reading resumes at the next line")
                                                .arg(kMaxRowLines));
                }
                more.append(line);
                decode(line, text, badBytes);
                i = 0;
                continue;
            }
            const QChar c = text.at(i);
            if (quoted) {
                if (c == QLatin1Char('"')) {
                    if (i + 1 < text.size() && text.at(i + 1) == QLatin1Char('"')) {
                        field += c;
                        ++i;
                    } else {
                        quoted = false;
                        const QChar after = i + 1 < text.size() ? text.at(i + 1) : QLatin1Char('\n');
                        if (after != m_separator && after != QLatin1Char('\n') && after != QLatin1Char('\r'))
                            strayAfterQuote = true;
                    }
                } else {
                    field += c;
                }
            } else if (c == QLatin1Char('"') && field.isEmpty() && !wasQuoted) {
                quoted = wasQuoted = true;
            } else if (c == m_separator) {
                values.append(field);
                field.clear();
                wasQuoted = false;
            } else if (c == QLatin1Char('\n') || c == QLatin1Char('\r')) {
                // end of record
            } else {
                field += c;
            }
            ++i;
        }
        values.append(field);
        if (!more.isEmpty() && !detect && (strayAfterQuote || values.size() != m_columns.size()))
            return giveBack(QStringLiteral("a quoted value that starts on this line does not end where a value can "
                                           "end (%1 values over %2 lines); reading resumes at the next line")
                                .arg(values.size())
                                .arg(more.size() + 1));
        if (!badBytes.isEmpty()) {
            values.clear();
            row.problem = badBytes;
        }
        return true;
    }

    std::unique_ptr<QIODevice> m_device;
    QString m_name;
    QList<QStringList> m_columns;
    QChar m_separator = QLatin1Char(',');
    QList<Line> m_pending; ///< lines to read again (see readRow)
    qint64 m_line = 0;
    qint64 m_offset = 0;
    qint64 m_index = 0;
};

/// Finds the records inside an API envelope; false when the object is a plain record. `key` is the
/// member that holds the list.
bool unwrapEnvelope(const QJsonObject &root, QJsonArray &records, QString &nextLink, QString &key)
{
    if (root.value(QLatin1String("value")).isArray()) { // OData / RESO Web API
        key = QStringLiteral("value");
        records = root.value(key).toArray();
        nextLink = root.value(QLatin1String("@odata.nextLink")).toString();
        return true;
    }
    const QJsonObject meta = root.value(QLatin1String("_metadata")).toObject();
    const QString collection = meta.value(QLatin1String("collection")).toString();
    if (!collection.isEmpty() && root.value(collection).isArray()) { // events-style CRMs
        key = collection;
        records = root.value(collection).toArray();
        nextLink = meta.value(QLatin1String("nextLink")).toString();
        return true;
    }
    for (const char *name : {"data", "results", "items", "records", "leads", "people", "contacts"}) {
        const QJsonValue v = root.value(QLatin1String(name));
        if (v.isArray()) {
            key = QLatin1String(name);
            records = v.toArray();
            nextLink = root.value(QLatin1String("next")).toString();
            return true;
        }
    }
    return false;
}

/// A whole input refused for a byte that is not UTF-8 at `offset`.
Error utf8Error(const QByteArray &text, qsizetype offset, const QString &name)
{
    Error error{utf8::problemIn(text, offset), name, 0, 0, {}};
    JsonLocator::lineColumn(text, offset, error.line, error.column);
    return error;
}

/// Bytes that are not UTF-8 in a JSON document read whole: each record holding one is unreadable, as a
/// bad NDJSON line or CSV row is; one outside the records (in an envelope's other members) fails the
/// input. `text` has '?' in place of the bad bytes, so offsets are those of the input.
Expected<QHash<qsizetype, ArrayReader::Unreadable>> unreadableRecords(const QByteArray &text,
                                                                      const std::vector<qsizetype> &bad,
                                                                      const std::vector<JsonLocator::Step> &listPath,
                                                                      bool singleRecord, const QString &name)
{
    QHash<qsizetype, ArrayReader::Unreadable> out;
    std::vector<qsizetype> starts;
    if (!singleRecord)
        starts = JsonLocator::elementOffsets(text, listPath);
    for (const qsizetype at : bad) {
        qsizetype index = 0;
        if (!singleRecord) {
            if (starts.size() < 2 || at < starts.front() || at >= starts.back())
                return utf8Error(text, at, name);
            index = qsizetype(std::upper_bound(starts.begin(), starts.end(), at) - starts.begin()) - 1;
        }
        if (out.contains(index))
            continue; // the first bad byte of a record is the one reported
        int line = 0, column = 0;
        JsonLocator::lineColumn(text, at, line, column);
        out.insert(
            index,
            {line,
             QStringLiteral("%1:%2: record %3: %4").arg(name).arg(line).arg(index + 1).arg(utf8::problemIn(text, at))});
    }
    return out;
}

Expected<std::unique_ptr<RecordReader>> openDevice(std::unique_ptr<QIODevice> device, const QString &name,
                                                   RecordReader::Format format)
{
    using Format = RecordReader::Format;
    if (format == Format::Auto) {
        const QString suffix = QFileInfo(name).suffix().toLower();
        if (suffix == QLatin1String("csv") || suffix == QLatin1String("tsv"))
            format = Format::Csv;
        else if (suffix == QLatin1String("ndjson") || suffix == QLatin1String("jsonl"))
            format = Format::Ndjson;
    }
    if (format == Format::Csv) {
        auto reader = std::make_unique<CsvReader>(std::move(device), name);
        Error error;
        if (!reader->start(error))
            return error;
        return std::unique_ptr<RecordReader>(std::move(reader));
    }
    if (format == Format::Ndjson)
        return std::unique_ptr<RecordReader>(std::make_unique<NdjsonReader>(std::move(device), name));

    const QByteArray original = device->readAll();
    const qsizetype first = [&] {
        qsizetype i = 0;
        while (i < original.size() && QChar::isSpace(uchar(original.at(i))))
            ++i;
        return i;
    }();
    if (first >= original.size())
        return Error{QStringLiteral("the input is empty"), name, 0, 0, {}};
    // Bytes that are not UTF-8 are read as '?' (one byte for one, so offsets hold) and the records
    // holding them reported, rather than decoded into U+FFFD or failing every record with them.
    const std::vector<qsizetype> bad = utf8::allInvalid(original);
    QByteArray text = original;
    for (const qsizetype at : bad)
        text[at] = '?';
    QJsonParseError e;
    const QJsonDocument doc = QJsonDocument::fromJson(text, &e);
    if (e.error == QJsonParseError::GarbageAtEnd && text.at(first) == '{') {
        // More than one JSON value: newline-delimited JSON (which checks its lines itself).
        auto buffer = std::make_unique<QBuffer>();
        buffer->setData(original);
        buffer->open(QIODevice::ReadOnly);
        return std::unique_ptr<RecordReader>(std::make_unique<NdjsonReader>(std::move(buffer), name));
    }
    if (e.error != QJsonParseError::NoError) {
        if (!bad.empty() && bad.front() <= e.offset)
            return utf8Error(text, bad.front(), name);
        return jsonError(text, e, name);
    }
    QJsonArray records;
    QString nextLink;
    QString key;
    Format kind = Format::JsonArray;
    std::vector<JsonLocator::Step> listPath;
    bool single = false;
    if (doc.isArray()) {
        records = doc.array();
    } else if (unwrapEnvelope(doc.object(), records, nextLink, key)) {
        kind = Format::Envelope;
        listPath.push_back(key);
    } else {
        records = QJsonArray{doc.object()};
        single = true;
    }
    QHash<qsizetype, ArrayReader::Unreadable> unreadable;
    if (!bad.empty()) {
        auto found = unreadableRecords(text, bad, listPath, single, name);
        if (!found)
            return found.error();
        unreadable = std::move(found.value());
    }
    return std::unique_ptr<RecordReader>(
        std::make_unique<ArrayReader>(std::move(records), kind, std::move(nextLink), std::move(unreadable)));
}

} // namespace

RecordReader::~RecordReader() = default;

QString RecordReader::formatName() const
{
    switch (m_format) {
    case Format::JsonArray:
        return QStringLiteral("JSON");
    case Format::Envelope:
        return QStringLiteral("API envelope");
    case Format::Ndjson:
        return QStringLiteral("NDJSON");
    case Format::Csv:
        return QStringLiteral("CSV");
    case Format::Auto:
        break;
    }
    return QStringLiteral("unknown");
}

Expected<std::unique_ptr<RecordReader>> RecordReader::open(const QString &path, Format format)
{
    auto file = std::make_unique<QFile>(path);
    if (!file->open(QIODevice::ReadOnly))
        return Error{QStringLiteral("cannot open the input: %1").arg(file->errorString()), path, 0, 0, {}};
    return openDevice(std::move(file), path, format);
}

Expected<std::unique_ptr<RecordReader>> RecordReader::fromData(const QByteArray &data, const QString &name,
                                                               Format format)
{
    auto buffer = std::make_unique<QBuffer>();
    buffer->setData(data);
    buffer->open(QIODevice::ReadOnly);
    return openDevice(std::move(buffer), name, format);
}

} // namespace transom::io
