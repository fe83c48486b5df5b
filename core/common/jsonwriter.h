#pragma once

#include <QByteArray>
#include <QJsonValue>
#include <QStringView>

#include <cstring>
#include <memory>
#include <string>
#include <string_view>

namespace transom::json {

/// Appends `text` as a JSON string literal (quoted, escaped, UTF-8) to `out`.
void appendString(QByteArray &out, QStringView text);
void appendString(std::string &out, QStringView text);

/// A growing byte buffer for writers that make room first and then write without checks (std::string
/// checks its capacity on every append, or zero-fills on resize).
class TextBuffer {
public:
    /// Room for `extra` more bytes; returns where they start. Write, then commit() the end.
    char *room(size_t extra)
    {
        if (m_size + extra > m_capacity)
            grow(m_size + extra);
        return m_data.get() + m_size;
    }
    void commit(const char *end) { m_size = size_t(end - m_data.get()); }
    void append(const char *text, size_t n)
    {
        if (!n)
            return; // (no memcpy to the null of a buffer not yet allocated)
        std::memcpy(room(n), text, n);
        m_size += n;
    }
    void append(char c)
    {
        *room(1) = c;
        ++m_size;
    }
    const char *data() const { return m_data.get(); }
    size_t size() const { return m_size; }
    size_t capacity() const { return m_capacity; }
    void resize(size_t size) { m_size = size; } ///< to a size not larger than now
    void clear() { m_size = 0; }
    void release()
    {
        m_data.reset();
        m_size = m_capacity = 0;
    }

private:
    void grow(size_t needed);
    std::unique_ptr<char[]> m_data;
    size_t m_size = 0;
    size_t m_capacity = 0;
};

/// Writes UTF-8 `text` (valid UTF-8) as a JSON string literal at `w`, which must have room for
/// 6 * text.size() + 2 bytes; returns the end. The bytes writeString() writes for the same text held
/// as UTF-16, without going through UTF-16.
char *writeUtf8String(char *w, std::string_view text);
/// Writes a whole number in decimal at `w` (room for 20 bytes); returns the end.
char *writeInteger(char *w, qint64 value);

/// Writes `text` as a JSON string literal at `w`, which must have room for 6 * text.size() + 2 bytes;
/// returns the end of what was written.
char *writeString(char *w, QStringView text);

/// Appends a whole number in decimal.
void appendInteger(QByteArray &out, qint64 value);

/// Appends a value as compact JSON. Numbers that are whole print without a fraction; non-finite
/// numbers, which JSON cannot hold, print as null.
void appendValue(QByteArray &out, const QJsonValue &value);

} // namespace transom::json
