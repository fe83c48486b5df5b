#include "core/io/recordreader.h"

#include "core/common/jsonlocator.h"

#include <QBuffer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

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
    ArrayReader(QJsonArray records, Format format, QString nextLink) : m_records(std::move(records))
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
        if (!v.isObject())
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
            ++m_line;
            if (line.trimmed().isEmpty())
                continue;
            record = SourceRecord{{}, m_index++, m_line, {}};
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
    qint64 m_index = 0;
};

class CsvReader final : public RecordReader {
public:
    CsvReader(std::unique_ptr<QIODevice> device, QString name) : m_device(std::move(device)), m_name(std::move(name))
    {
        m_format = Format::Csv;
    }

    /// Reads the header row; false with `error` when there is none.
    bool start(Error &error)
    {
        QList<QString> header;
        qint64 startLine = 0;
        QString problem;
        if (!readRow(header, startLine, problem, true) || header.isEmpty()) {
            error = Error{QStringLiteral("the CSV file has no header row"), m_name, 1, 1, {}};
            return false;
        }
        if (!problem.isEmpty()) {
            error = Error{problem, m_name, int(startLine), 1, {}};
            return false;
        }
        for (QString &h : header) {
            h = h.trimmed();
            m_columns.append(h.split(QLatin1Char('.'), Qt::SkipEmptyParts));
        }
        return true;
    }

    bool next(SourceRecord &record) override
    {
        QList<QString> row;
        qint64 startLine = 0;
        QString problem;
        while (true) {
            if (!readRow(row, startLine, problem, false))
                return false;
            if (!(row.size() == 1 && row.first().isEmpty()) || !problem.isEmpty())
                break; // skip blank lines
        }
        record = SourceRecord{{}, m_index++, startLine, {}};
        if (!problem.isEmpty()) {
            record.problem = QStringLiteral("%1:%2: %3").arg(m_name).arg(startLine).arg(problem);
            return true;
        }
        if (row.size() != m_columns.size()) {
            record.problem = QStringLiteral("%1:%2: the row has %3 values but the header has %4 columns")
                                 .arg(m_name)
                                 .arg(startLine)
                                 .arg(row.size())
                                 .arg(m_columns.size());
            return true;
        }
        for (qsizetype c = 0; c < row.size(); ++c) {
            const QJsonValue value = row.at(c).isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(row.at(c));
            insertPath(record.data, m_columns.at(c), 0, value);
        }
        return true;
    }

private:
    static void insertPath(QJsonObject &object, const QStringList &keys, qsizetype at, const QJsonValue &value)
    {
        if (keys.isEmpty())
            return;
        if (at == keys.size() - 1) {
            object.insert(keys.at(at), value);
            return;
        }
        QJsonObject child = object.value(keys.at(at)).toObject();
        insertPath(child, keys, at + 1, value);
        object.insert(keys.at(at), child);
    }

    // RFC 4180: separator-delimited, double quotes around fields that hold separators, quotes or line breaks.
    bool readRow(QList<QString> &row, qint64 &startLine, QString &problem, bool detectSeparator)
    {
        row.clear();
        if (m_device->atEnd())
            return false;
        QString text = QString::fromUtf8(m_device->readLine());
        ++m_line;
        startLine = m_line;
        if (m_line == 1 && text.startsWith(QChar(0xFEFF)))
            text.remove(0, 1);
        if (detectSeparator) {
            const auto commas = text.count(QLatin1Char(','));
            if (text.count(QLatin1Char(';')) > commas)
                m_separator = QLatin1Char(';');
            if (text.count(QLatin1Char('\t')) > std::max(commas, text.count(QLatin1Char(';'))))
                m_separator = QLatin1Char('\t');
        }
        QString field;
        bool quoted = false;
        bool wasQuoted = false;
        qsizetype i = 0;
        while (true) {
            if (i >= text.size()) {
                if (quoted) {
                    if (m_device->atEnd()) {
                        problem = QStringLiteral("a quoted value that starts on this line is never closed");
                        row.append(field);
                        return true;
                    }
                    text = QString::fromUtf8(m_device->readLine());
                    ++m_line;
                    i = 0;
                    continue;
                }
                break;
            }
            const QChar c = text.at(i);
            if (quoted) {
                if (c == QLatin1Char('"')) {
                    if (i + 1 < text.size() && text.at(i + 1) == QLatin1Char('"')) {
                        field += c;
                        ++i;
                    } else {
                        quoted = false;
                    }
                } else {
                    field += c;
                }
            } else if (c == QLatin1Char('"') && field.isEmpty() && !wasQuoted) {
                quoted = wasQuoted = true;
            } else if (c == m_separator) {
                row.append(field);
                field.clear();
                wasQuoted = false;
            } else if (c == QLatin1Char('\n') || c == QLatin1Char('\r')) {
                // end of record
            } else {
                field += c;
            }
            ++i;
        }
        row.append(field);
        return true;
    }

    std::unique_ptr<QIODevice> m_device;
    QString m_name;
    QList<QStringList> m_columns;
    QChar m_separator = QLatin1Char(',');
    qint64 m_line = 0;
    qint64 m_index = 0;
};

/// Finds the records inside an API envelope; false when the object is a plain record.
bool unwrapEnvelope(const QJsonObject &root, QJsonArray &records, QString &nextLink)
{
    if (root.value(QLatin1String("value")).isArray()) { // OData / RESO Web API
        records = root.value(QLatin1String("value")).toArray();
        nextLink = root.value(QLatin1String("@odata.nextLink")).toString();
        return true;
    }
    const QJsonObject meta = root.value(QLatin1String("_metadata")).toObject();
    const QString collection = meta.value(QLatin1String("collection")).toString();
    if (!collection.isEmpty() && root.value(collection).isArray()) { // events-style CRMs
        records = root.value(collection).toArray();
        nextLink = meta.value(QLatin1String("nextLink")).toString();
        return true;
    }
    for (const char *key : {"data", "results", "items", "records", "leads", "people", "contacts"}) {
        const QJsonValue v = root.value(QLatin1String(key));
        if (v.isArray()) {
            records = v.toArray();
            nextLink = root.value(QLatin1String("next")).toString();
            return true;
        }
    }
    return false;
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

    const QByteArray text = device->readAll();
    const qsizetype first = [&] {
        qsizetype i = 0;
        while (i < text.size() && QChar::isSpace(uchar(text.at(i))))
            ++i;
        return i;
    }();
    if (first >= text.size())
        return Error{QStringLiteral("the input is empty"), name, 0, 0, {}};
    QJsonParseError e;
    const QJsonDocument doc = QJsonDocument::fromJson(text, &e);
    if (e.error == QJsonParseError::GarbageAtEnd && text.at(first) == '{') {
        // More than one JSON value: newline-delimited JSON.
        auto buffer = std::make_unique<QBuffer>();
        buffer->setData(text);
        buffer->open(QIODevice::ReadOnly);
        return std::unique_ptr<RecordReader>(std::make_unique<NdjsonReader>(std::move(buffer), name));
    }
    if (e.error != QJsonParseError::NoError)
        return jsonError(text, e, name);
    if (doc.isArray())
        return std::unique_ptr<RecordReader>(std::make_unique<ArrayReader>(doc.array(), Format::JsonArray, QString()));
    QJsonArray records;
    QString nextLink;
    if (unwrapEnvelope(doc.object(), records, nextLink))
        return std::unique_ptr<RecordReader>(std::make_unique<ArrayReader>(records, Format::Envelope, nextLink));
    return std::unique_ptr<RecordReader>(
        std::make_unique<ArrayReader>(QJsonArray{doc.object()}, Format::JsonArray, QString()));
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
