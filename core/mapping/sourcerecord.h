#pragma once

#include "core/mapping/fieldpath.h"
#include "core/mapping/value.h"

#include <QByteArrayView>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>

#include <functional>
#include <memory>

namespace transom::mapping {

/// A source record as a mapping reads it: values by path. Either a QJsonObject (ObjectRecord: the
/// studio, tests, records already parsed) or JSON text read by RecordParser, which answers paths
/// straight from the parsed text without building a QJsonObject first (the fast path for streams and
/// runs: most of a record's fields are never read by a mapping, and those that are become one
/// Value each).
class SourceRecord {
public:
    virtual ~SourceRecord() = default;
    /// The value at `path`, or undefined when any step is missing or of another type.
    virtual Value value(const FieldPath &path) const = 0;

protected:
    SourceRecord() = default;
    SourceRecord(const SourceRecord &) = default;
    SourceRecord &operator=(const SourceRecord &) = default;
};

/// A QJsonObject seen as a source record (the object must outlive it).
class ObjectRecord final : public SourceRecord {
public:
    explicit ObjectRecord(const QJsonObject &object) : m_object(object) {}
    Value value(const FieldPath &path) const override { return path.valueIn(m_object); }

private:
    const QJsonObject &m_object;
};

/// Reads one JSON object at a time (simdjson) into a SourceRecord. Reuse one parser for many records,
/// on one thread: each parse replaces the previous record.
class RecordParser {
public:
    RecordParser();
    ~RecordParser();
    RecordParser(const RecordParser &) = delete;
    RecordParser &operator=(const RecordParser &) = delete;

    /// Parses `json`, which must be one JSON object. On failure returns false and, when `error` is
    /// given, says why ("not valid JSON near byte 12: …", "a JSON array, not an object").
    bool parse(QByteArrayView json, QString *error = nullptr);
    /// Parses a whole document, such as an API reply: an object or a list. record() then answers
    /// paths from its top object (a cursor, a next link) and recordsAt() gives its records.
    bool parseDocument(QByteArrayView json, QString *error = nullptr);
    /// Appends the records of the list at `path` in the last document (the document itself when
    /// `path` is empty) to `records`, each as compact JSON text (the source's own text when it has no
    /// whitespace outside strings, else written out again); `keep`, when given, sees each record
    /// first and leaves it out by returning false. Returns how many records the list holds, or -1 when
    /// there is no list there.
    qsizetype recordsAt(const FieldPath &path, QList<QByteArray> &records,
                        const std::function<bool(const SourceRecord &)> &keep = {}) const;
    /// How many records the list at `path` of the last document holds; -1 when there is no list there.
    qsizetype countAt(const FieldPath &path) const;
    /// Shows each element of the list at `path` in the last document to `visit`, in order, without
    /// keeping any text (a batch reply's statuses and ids); returns how many there are, -1 when there
    /// is no list there.
    qsizetype visitAt(const FieldPath &path, const std::function<void(const SourceRecord &)> &visit) const;

    /// The last record parsed (empty before the first successful parse).
    const SourceRecord &record() const;
    /// The whole last record as a QJsonObject (for code that needs one: dead letters, previews).
    QJsonObject toObject() const;
    /// The last record as compact JSON text.
    QByteArray json() const;

private:
    struct Data;
    std::unique_ptr<Data> d;
};

} // namespace transom::mapping
