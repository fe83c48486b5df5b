#include "core/common/jsonwriter.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>

namespace transom::json {

namespace {

const char hexDigits[] = "0123456789abcdef";

/// The escape of an ASCII character that JSON does not take as it is (a quote, a backslash, a control
/// character), written at `w`.
char *writeEscape(char *w, unsigned c)
{
    *w++ = '\\';
    switch (c) {
    case '"':
        *w++ = '"';
        break;
    case '\\':
        *w++ = '\\';
        break;
    case '\n':
        *w++ = 'n';
        break;
    case '\r':
        *w++ = 'r';
        break;
    case '\t':
        *w++ = 't';
        break;
    case '\b':
        *w++ = 'b';
        break;
    case '\f':
        *w++ = 'f';
        break;
    default:
        *w++ = 'u';
        *w++ = '0';
        *w++ = '0';
        *w++ = hexDigits[c >> 4];
        *w++ = hexDigits[c & 0xf];
    }
    return w;
}

/// Bytes that cannot go into a JSON string as they are.
constexpr std::array<bool, 256> needsEscape = [] {
    std::array<bool, 256> t{};
    for (unsigned c = 0; c < 0x20; ++c)
        t[c] = true;
    t['"'] = true;
    t['\\'] = true;
    return t;
}();

} // namespace

namespace {

/// The length of the leading run of `p[0..n)` that needs no escape, eight bytes at a time: a byte
/// below 0x20, a quote or a backslash ends it (exact tests, no false alarms).
size_t plainRun(const unsigned char *p, size_t n)
{
    constexpr quint64 ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        quint64 v;
        std::memcpy(&v, p + i, 8);
        const quint64 quote = v ^ (ones * '"'), backslash = v ^ (ones * '\\');
        const quint64 special =
            ((v - ones * 0x20) & ~v) | ((quote - ones) & ~quote) | ((backslash - ones) & ~backslash);
        if (special & highs)
            break;
    }
    while (i < n && !needsEscape[p[i]])
        ++i;
    return i;
}

} // namespace

void TextBuffer::grow(size_t needed)
{
    const size_t capacity = std::max(needed, m_capacity * 2 + 256);
    std::unique_ptr<char[]> data(new char[capacity]);
    if (m_size)
        std::memcpy(data.get(), m_data.get(), m_size);
    m_data = std::move(data);
    m_capacity = capacity;
}

char *writeUtf8String(char *w, std::string_view text)
{
    // Runs of bytes that need no escape are copied whole; UTF-8 is written as it is.
    const auto *p = reinterpret_cast<const unsigned char *>(text.data());
    const size_t n = text.size();
    *w++ = '"';
    size_t i = 0;
    while (i < n) {
        const size_t run = plainRun(p + i, n - i);
        std::memcpy(w, p + i, run);
        w += run;
        i += run;
        if (i == n)
            break;
        w = writeEscape(w, p[i++]);
    }
    *w++ = '"';
    return w;
}

char *writeString(char *w, QStringView text)
{
    *w++ = '"';
    const char16_t *p = text.utf16();
    const char16_t *const end = p + text.size();
    while (p < end) {
        const char16_t c = *p++;
        if (c >= 0x20 && c < 0x80 && c != u'"' && c != u'\\') {
            *w++ = char(c);
        } else if (c < 0x80) {
            w = writeEscape(w, c);
        } else if (c < 0x800) {
            *w++ = char(0xc0 | (c >> 6));
            *w++ = char(0x80 | (c & 0x3f));
        } else if (QChar::isHighSurrogate(c) && p < end && QChar::isLowSurrogate(*p)) {
            const char32_t cp = QChar::surrogateToUcs4(c, *p++);
            *w++ = char(0xf0 | (cp >> 18));
            *w++ = char(0x80 | ((cp >> 12) & 0x3f));
            *w++ = char(0x80 | ((cp >> 6) & 0x3f));
            *w++ = char(0x80 | (cp & 0x3f));
        } else {
            const char16_t unit = QChar::isSurrogate(c) ? char16_t(0xfffd) : c; // a lone surrogate
            *w++ = char(0xe0 | (unit >> 12));
            *w++ = char(0x80 | ((unit >> 6) & 0x3f));
            *w++ = char(0x80 | (unit & 0x3f));
        }
    }
    *w++ = '"';
    return w;
}

// Worst case is six bytes per UTF-16 unit (\u001f): make room, write, then trim to size.
void appendString(QByteArray &out, QStringView text)
{
    const qsizetype start = out.size();
    out.resize(start + text.size() * 6 + 2);
    out.truncate(writeString(out.data() + start, text) - out.constData());
}

void appendString(std::string &out, QStringView text)
{
    const size_t start = out.size();
    out.resize(start + size_t(text.size()) * 6 + 2);
    out.resize(size_t(writeString(out.data() + start, text) - out.data()));
}

namespace {

/// Writes `value` in decimal so that it ends at `end`; returns where it starts.
char *writeIntegerBackwards(char *end, qint64 value)
{
    char *p = end;
    const bool negative = value < 0;
    quint64 v = negative ? quint64(0) - quint64(value) : quint64(value);
    do {
        *--p = char('0' + v % 10);
        v /= 10;
    } while (v);
    if (negative)
        *--p = '-';
    return p;
}

} // namespace

char *writeInteger(char *w, qint64 value)
{
    char buf[24];
    char *const p = writeIntegerBackwards(buf + sizeof buf, value);
    const size_t n = size_t(buf + sizeof buf - p);
    std::memcpy(w, p, n);
    return w + n;
}

void appendInteger(QByteArray &out, qint64 value)
{
    char buf[24];
    char *const p = writeIntegerBackwards(buf + sizeof buf, value);
    out.append(p, buf + sizeof buf - p);
}

void appendValue(QByteArray &out, const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        out.append("null", 4);
        return;
    case QJsonValue::Bool:
        value.toBool() ? out.append("true", 4) : out.append("false", 5);
        return;
    case QJsonValue::Double: {
        const double d = value.toDouble();
        if (!std::isfinite(d))
            out.append("null", 4);
        else if (d == std::floor(d) && std::fabs(d) < 9007199254740992.0)
            appendInteger(out, qint64(d));
        else
            // Beyond 2^53 in exponent form: 'g' would print 21 digits, which strict readers (simdjson)
            // refuse as an integer too wide for 64 bits.
            out.append(
                QByteArray::number(d, std::fabs(d) >= 9007199254740992.0 ? 'e' : 'g', QLocale::FloatingPointShortest));
        return;
    }
    case QJsonValue::String:
        appendString(out, value.toString());
        return;
    case QJsonValue::Array: {
        out.append('[');
        bool first = true;
        for (const QJsonValue &item : value.toArray()) {
            if (!first)
                out.append(',');
            first = false;
            appendValue(out, item);
        }
        out.append(']');
        return;
    }
    case QJsonValue::Object: {
        out.append('{');
        const QJsonObject object = value.toObject();
        bool first = true;
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (!first)
                out.append(',');
            first = false;
            appendString(out, it.key());
            out.append(':');
            appendValue(out, it.value());
        }
        out.append('}');
        return;
    }
    }
}

} // namespace transom::json
