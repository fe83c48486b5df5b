#include "core/mapping/sourcerecord.h"

#include "core/common/jsonwriter.h"
#include "core/common/utf8check.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <vector>

namespace transom::mapping {

namespace {

namespace dom = simdjson::dom;

Value toValue(dom::element e);

/// A whole element as QJsonValue: lists and objects built here, scalars as toValue() reads them.
QJsonValue toJsonValue(dom::element e)
{
    switch (e.type()) {
    case dom::element_type::ARRAY: {
        QJsonArray array;
        const dom::array items = e.get_array().value_unsafe();
        for (dom::element item : items)
            array.append(toJsonValue(item));
        return array;
    }
    case dom::element_type::OBJECT: {
        QJsonObject object;
        const dom::object fields = e.get_object().value_unsafe();
        for (const dom::key_value_pair field : fields)
            object.insert(QString::fromUtf8(field.key.data(), qsizetype(field.key.size())), toJsonValue(field.value));
        return object;
    }
    default:
        return toValue(e).toJson();
    }
}

/// Scalars straight to a Value (no QJsonValue on the way); objects and lists through toJsonValue.
Value toValue(dom::element e)
{
    switch (e.type()) {
    case dom::element_type::STRING:
        return Value::fromUtf8(e.get_string().value_unsafe()); // kept as UTF-8 until a QString is asked for
    case dom::element_type::INT64:
        return Value(qint64(e.get_int64().value_unsafe()));
    case dom::element_type::UINT64:
        return Value(double(e.get_uint64().value_unsafe()));
    case dom::element_type::DOUBLE: {
        // "1000000.0" is the whole number QJsonValue would give, and prints as one.
        const double d = e.get_double().value_unsafe();
        if (std::trunc(d) == d && std::fabs(d) < 9007199254740992.0 && !(d == 0 && std::signbit(d)))
            return Value(qint64(d));
        return Value(d);
    }
    case dom::element_type::BOOL:
        return Value(e.get_bool().value_unsafe());
    case dom::element_type::NULL_VALUE:
        return Value(QJsonValue::Null);
    case dom::element_type::ARRAY:
    case dom::element_type::OBJECT:
        return Value(toJsonValue(e));
    }
    return {};
}

/// The members of the objects a record's paths go through, read once per record: a mapping reads a
/// dozen or more fields from the same object, and finding each by scanning simdjson's object (every key
/// compared, the last of duplicates kept) was a tenth of a record's mapping.
class ObjectIndex {
public:
    /// Forgets what was indexed; call whenever the document under it changes.
    void clear()
    {
        for (Entry &e : m_entries)
            e.id = nullptr;
    }

    /// The member `key` of `object` (the last one when the key repeats, as in QJsonObject).
    bool find(dom::object object, std::string_view key, dom::element &out)
    {
        const auto first = object.begin();
        if (first == object.end())
            return false;
        // An object is known by where its first key's text lies in the parsed document.
        const char *const id = first.key().data();
        if (id == m_entries[m_last].id)
            return lookIn(m_entries[m_last], key, out);
        Entry *entry = nullptr;
        for (Entry &e : m_entries) {
            if (e.id == id) {
                entry = &e;
                break;
            }
        }
        if (!entry) {
            entry = &m_entries[m_next++ % m_entries.size()];
            entry->id = id;
            entry->members.clear();
            for (const dom::key_value_pair member : object)
                entry->members.push_back({member.key, member.value});
        }
        m_last = unsigned(entry - m_entries.data());
        return lookIn(*entry, key, out);
    }

private:
    struct Member {
        std::string_view key;
        dom::element value;
    };
    struct Entry {
        const char *id = nullptr;
        std::vector<Member> members;
    };

    /// a[0..n) == b[0..n): keys are short, so with two overlapping word loads where they fit
    /// rather than a call to memcmp.
    static bool sameText(const char *a, const char *b, size_t n)
    {
        auto load8 = [](const char *p) {
            quint64 v;
            std::memcpy(&v, p, 8);
            return v;
        };
        auto load4 = [](const char *p) {
            quint32 v;
            std::memcpy(&v, p, 4);
            return v;
        };
        if (n >= 8 && n <= 16)
            return load8(a) == load8(b) && load8(a + n - 8) == load8(b + n - 8);
        if (n >= 4 && n < 8)
            return load4(a) == load4(b) && load4(a + n - 4) == load4(b + n - 4);
        if (n > 16)
            return std::memcmp(a, b, n) == 0;
        for (size_t i = 0; i < n; ++i)
            if (a[i] != b[i])
                return false;
        return true;
    }

    static bool lookIn(const Entry &entry, std::string_view key, dom::element &out)
    {
        for (auto m = entry.members.rbegin(); m != entry.members.rend(); ++m) {
            if (m->key.size() == key.size() && sameText(m->key.data(), key.data(), key.size())) {
                out = m->value;
                return true;
            }
        }
        return false;
    }

    std::array<Entry, 4> m_entries;
    unsigned m_next = 0;
    unsigned m_last = 0; ///< the entry found last: paths often read the same object in a row
};

/// Follows `path` from `current`; false when a step is missing or of another type. Objects are
/// looked up through `index` when one is given.
bool follow(const FieldPath &path, dom::element &current, ObjectIndex *index = nullptr)
{
    const auto &segments = path.segments();
    for (qsizetype s = 0; s < segments.size(); ++s) {
        if (segments.at(s).isIndex()) {
            dom::array array;
            if (current.get_array().get(array) != simdjson::SUCCESS ||
                array.at(size_t(segments.at(s).index)).get(current) != simdjson::SUCCESS)
                return false;
        } else {
            dom::object object;
            if (current.get_object().get(object) != simdjson::SUCCESS)
                return false;
            const std::string_view key = path.utf8Key(s);
            if (index) {
                if (!index->find(object, key, current))
                    return false;
                continue;
            }
            // The last of duplicate keys wins, as in QJsonObject (the studio's preview reads those).
            bool found = false;
            for (const dom::key_value_pair field : object) {
                if (field.key == key) {
                    current = field.value;
                    found = true;
                }
            }
            if (!found)
                return false;
        }
    }
    return true;
}

class ParsedRecord final : public SourceRecord {
public:
    Value value(const FieldPath &path) const override
    {
        if (!m_parsed || path.isEmpty())
            return {};
        dom::element current = m_root;
        if (!follow(path, current, &m_index))
            return {};
        return toValue(current);
    }

    /// Points the record at another element (or at nothing) of a parsed document.
    void reset(dom::element root, bool parsed)
    {
        m_root = root;
        m_parsed = parsed;
        m_index.clear();
    }

    dom::element m_root;
    bool m_parsed = false;

private:
    mutable ObjectIndex m_index; ///< one record is read on one thread (RecordParser's contract)
};

} // namespace

struct RecordParser::Data {
    dom::parser parser;
    simdjson::ondemand::parser rawParser; ///< finds where the records of a list start and end
    std::vector<char> buffer;             ///< the text with simdjson's padding after it
    std::size_t size = 0;                 ///< of the text in `buffer`
    ParsedRecord record;
};

namespace {

namespace od = simdjson::ondemand;

/// Byte offset of the bracket that opens level `maxDepth + 1` (outside strings), for the error that
/// names where a document nests too deep; -1 when none does.
qsizetype tooDeepAt(QByteArrayView json, size_t maxDepth)
{
    size_t depth = 0;
    bool inString = false;
    for (qsizetype i = 0; i < json.size(); ++i) {
        const char c = json.at(i);
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            if (++depth > maxDepth)
                return i;
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return -1;
}

std::string_view trimmedRight(std::string_view text)
{
    while (!text.empty() && (text.back() == ' ' || text.back() == '\n' || text.back() == '\r' || text.back() == '\t'))
        text.remove_suffix(1);
    return text;
}

/// The list at `path` of a parsed document; false when there is none.
bool listAt(const ParsedRecord &document, const FieldPath &path, dom::array &items)
{
    if (!document.m_parsed)
        return false;
    dom::element list = document.m_root;
    return follow(path, list) && list.get_array().get(items) == simdjson::SUCCESS;
}

/// The text of each object in the list at `path` of the document in `buffer` (its first `size` bytes,
/// padded), as the source wrote it; false when the path cannot be followed this way (a duplicate key on
/// the way, an element that is not an object), and the caller writes the elements out itself.
bool rawElements(od::parser &parser, const std::vector<char> &buffer, std::size_t size, const FieldPath &path,
                 std::vector<std::string_view> &out)
{
    const char *const end = buffer.data() + buffer.size(); // the padding is past the text's end
    std::string_view current(buffer.data(), size);
    auto open = [&](od::document &doc) {
        return parser.iterate(current.data(), current.size(), std::size_t(end - current.data())).get(doc) ==
               simdjson::SUCCESS;
    };
    auto rawOf = [](od::value value, std::string_view &raw) {
        od::json_type type;
        if (value.type().get(type) != simdjson::SUCCESS)
            return false;
        if (type == od::json_type::object) {
            od::object o;
            return value.get_object().get(o) == simdjson::SUCCESS && o.raw_json().get(raw) == simdjson::SUCCESS;
        }
        if (type == od::json_type::array) {
            od::array a;
            return value.get_array().get(a) == simdjson::SUCCESS && a.raw_json().get(raw) == simdjson::SUCCESS;
        }
        return false;
    };
    const auto &segments = path.segments();
    for (qsizetype s = 0; s < segments.size(); ++s) {
        od::document doc;
        if (!open(doc))
            return false;
        std::string_view next;
        if (segments.at(s).isIndex()) {
            od::array array;
            if (doc.get_array().get(array) != simdjson::SUCCESS)
                return false;
            int at = 0;
            for (auto element : array) {
                od::value v;
                if (element.get(v) != simdjson::SUCCESS)
                    return false;
                if (at++ == segments.at(s).index) {
                    if (!rawOf(v, next))
                        return false;
                    break;
                }
            }
        } else {
            od::object object;
            if (doc.get_object().get(object) != simdjson::SUCCESS)
                return false;
            const std::string_view key = path.utf8Key(s);
            for (auto field : object) {
                std::string_view name;
                od::value v;
                if (field.unescaped_key().get(name) != simdjson::SUCCESS || field.value().get(v) != simdjson::SUCCESS)
                    return false;
                if (name != key)
                    continue;
                if (!next.empty())
                    return false; // a duplicate key: the DOM reader takes the last one; leave it to it
                if (!rawOf(v, next))
                    return false;
            }
        }
        if (next.empty())
            return false;
        current = trimmedRight(next);
    }
    od::document doc;
    od::array list;
    if (!open(doc) || doc.get_array().get(list) != simdjson::SUCCESS)
        return false;
    for (auto element : list) {
        od::object record;
        std::string_view raw;
        if (element.get_object().get(record) != simdjson::SUCCESS || record.raw_json().get(raw) != simdjson::SUCCESS)
            return false;
        out.push_back(trimmedRight(raw));
    }
    return true;
}

} // namespace

RecordParser::RecordParser() : d(std::make_unique<Data>()) {}

RecordParser::~RecordParser() = default;

bool RecordParser::parse(QByteArrayView json, QString *error)
{
    if (!parseDocument(json, error))
        return false;
    if (!d->record.m_root.is_object()) {
        d->record.m_parsed = false;
        if (error)
            *error = d->record.m_root.is_array() ? QStringLiteral("a JSON array, not an object")
                                                 : QStringLiteral("a single JSON value, not an object");
        return false;
    }
    return true;
}

qsizetype RecordParser::recordsAt(const FieldPath &path, QList<QByteArray> &records,
                                  const std::function<bool(const SourceRecord &)> &keep) const
{
    dom::array items;
    if (!listAt(d->record, path, items))
        return -1;
    records.reserve(records.size() + qsizetype(items.size()));
    // Each record is kept as the text the source sent, with any whitespace outside its strings taken
    // out (simdjson's minifier): writing it out again from the parsed document cost more than the rest
    // of reading the page, and so did looking for that whitespace a byte at a time.
    thread_local std::vector<std::string_view> raw;
    raw.clear();
    if (!rawElements(d->rawParser, d->buffer, d->size, path, raw) || raw.size() != items.size())
        raw.clear();
    ParsedRecord item;
    std::size_t at = 0;
    for (dom::element element : items) {
        const std::size_t i = at++;
        item.reset(element, true);
        if (keep && !keep(item))
            continue;
        if (!raw.empty()) {
            QByteArray text(qsizetype(raw[i].size()), Qt::Uninitialized);
            std::size_t size = 0;
            if (simdjson::minify(raw[i].data(), raw[i].size(), text.data(), size) == simdjson::SUCCESS) {
                text.truncate(qsizetype(size));
                records.append(std::move(text));
                continue;
            }
        }
        const std::string text = simdjson::minify(element);
        records.append(QByteArray(text.data(), qsizetype(text.size())));
    }
    return qsizetype(items.size());
}

qsizetype RecordParser::countAt(const FieldPath &path) const
{
    dom::array items;
    return listAt(d->record, path, items) ? qsizetype(items.size()) : -1;
}

qsizetype RecordParser::visitAt(const FieldPath &path, const std::function<void(const SourceRecord &)> &visit) const
{
    dom::array items;
    if (!listAt(d->record, path, items))
        return -1;
    ParsedRecord item;
    for (dom::element element : items) {
        item.reset(element, true);
        visit(item);
    }
    return qsizetype(items.size());
}

bool RecordParser::parseDocument(QByteArrayView json, QString *error)
{
    d->record.reset({}, false);
    if (json.startsWith("\xEF\xBB\xBF"))
        json = json.sliced(3); // a byte-order mark, as some servers send
    auto load = [this](QByteArrayView text, dom::element &root) {
        const size_t size = size_t(text.size());
        if (d->buffer.size() < size + simdjson::SIMDJSON_PADDING)
            d->buffer.resize(size + simdjson::SIMDJSON_PADDING);
        if (size)
            std::memcpy(d->buffer.data(), text.data(), size);
        std::memset(d->buffer.data() + size, 0, simdjson::SIMDJSON_PADDING);
        d->size = size;
        return d->parser.parse(d->buffer.data(), size, false).get(root);
    };
    dom::element root;
    if (const auto loaded = load(json, root); loaded == simdjson::UTF8_ERROR || loaded == simdjson::DEPTH_ERROR) {
        // Never decoded into U+FFFD (as Qt's reader would) nor walked past the depth the reader recurses to.
        if (error)
            *error = loaded == simdjson::UTF8_ERROR
                         ? utf8::problemIn(json, std::max<qsizetype>(0, utf8::firstInvalid(json)))
                         : QStringLiteral("the JSON nests deeper than %1 levels at byte %2")
                               .arg(d->parser.max_depth())
                               .arg(tooDeepAt(json, d->parser.max_depth()));
        return false;
    } else if (loaded != simdjson::SUCCESS) {
        // simdjson is strict where Qt is lenient (unknown escapes, integers wider than 64 bits, "1."):
        // what QJsonDocument reads is taken as it reads it, so no feed stalls on a page it used to accept.
        QJsonParseError qtError;
        const QJsonDocument doc = QJsonDocument::fromJson(json.toByteArray(), &qtError);
        // Written back with Transom's writer: large numbers in exponent form, which simdjson takes.
        QByteArray again;
        if (qtError.error == QJsonParseError::NoError)
            json::appendValue(again, doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object()));
        const auto code = qtError.error == QJsonParseError::NoError ? load(again, root) : simdjson::TAPE_ERROR;
        if (code != simdjson::SUCCESS) {
            if (error)
                *error =
                    qtError.error != QJsonParseError::NoError
                        ? QStringLiteral("not valid JSON: %1 at byte %2").arg(qtError.errorString()).arg(qtError.offset)
                        : QStringLiteral("not valid JSON: %1").arg(QString::fromUtf8(simdjson::error_message(code)));
            return false;
        }
    }
    d->record.reset(root, true);
    return true;
}

const SourceRecord &RecordParser::record() const
{
    return d->record;
}

QJsonObject RecordParser::toObject() const
{
    return d->record.m_parsed ? toJsonValue(d->record.m_root).toObject() : QJsonObject();
}

} // namespace transom::mapping

namespace transom::mapping {

QByteArray RecordParser::json() const
{
    if (!d->record.m_parsed)
        return QByteArray("{}");
    const std::string text = simdjson::minify(d->record.m_root);
    return QByteArray(text.data(), qsizetype(text.size()));
}

} // namespace transom::mapping
