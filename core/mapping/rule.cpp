#include "core/mapping/rule.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>

#include <cstring>
#include <limits>

namespace transom::mapping {

QString onErrorName(OnError policy)
{
    switch (policy) {
    case OnError::Error:
        return QStringLiteral("error");
    case OnError::Null:
        return QStringLiteral("null");
    case OnError::Keep:
        return QStringLiteral("keep");
    case OnError::Default:
        return QStringLiteral("default");
    }
    return {};
}

QString describeValue(const Value &v)
{
    constexpr qsizetype maxChars = 120;
    switch (v.type()) {
    case Value::Undefined:
        return QStringLiteral("nothing (field missing)");
    case Value::Null:
        return QStringLiteral("null");
    case Value::Bool:
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case Value::Double: {
        QString text;
        scalarText(v, text);
        return text;
    }
    case Value::String: {
        const QString s = v.toString();
        if (s.size() <= maxChars)
            return QLatin1Char('"') + s + QLatin1Char('"');
        return QLatin1Char('"') + s.left(maxChars) + QStringLiteral("…\" (%1 characters)").arg(s.size());
    }
    case Value::Array:
        return QStringLiteral("a list of %1 values").arg(v.toArray().size());
    case Value::Object:
        return QStringLiteral("an object");
    }
    return {};
}

QString collapseWhitespace(const QString &text)
{
    bool previousSpace = true; // leading white space counts as a run
    for (const QChar c : text) {
        if (c.isSpace()) {
            if (previousSpace || c != QLatin1Char(' '))
                return text.simplified();
            previousSpace = true;
        } else {
            previousSpace = false;
        }
    }
    return previousSpace && !text.isEmpty() ? text.simplified() : text;
}

bool scalarText(const Value &v, QString &out)
{
    switch (v.type()) {
    case Value::String:
        out = v.toString();
        return true;
    case Value::Bool:
        out = v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
        return true;
    case Value::Double: {
        // Whole numbers without a fraction; the shortest round-trip form for fractions such as 599999.99.
        const double d = v.toDouble();
        const qint64 whole = v.toInteger(std::numeric_limits<qint64>::min());
        out = (v.isInteger() || (whole != std::numeric_limits<qint64>::min() && double(whole) == d))
                  ? QString::number(whole)
                  : QString::number(d, 'g', QLocale::FloatingPointShortest);
        return true;
    }
    default:
        return false;
    }
}

bool appendScalarUtf8(const Value &v, std::string &out)
{
    if (v.isUtf8()) {
        out.append(v.utf8());
        return true;
    }
    QString text;
    if (!scalarText(v, text))
        return false;
    out.append(text.toUtf8().toStdString());
    return true;
}

QStringView textView(const Value &v, Utf16Scratch &scratch)
{
    if (!v.isString())
        return {};
    if (!v.isUtf8())
        return v.qstring();
    const std::string_view text = v.utf8();
    if (text.size() <= std::size(scratch.small) && isAscii(text)) {
        for (size_t i = 0; i < text.size(); ++i)
            scratch.small[i] = char16_t(static_cast<unsigned char>(text[i]));
        return QStringView(scratch.small, qsizetype(text.size()));
    }
    scratch.large = v.toString();
    return scratch.large;
}

bool isAscii(std::string_view text)
{
    // Eight bytes at a time: any high bit set means a byte outside ASCII.
    const char *p = text.data();
    const char *const end = p + text.size();
    for (; end - p >= 8; p += 8) {
        quint64 word;
        std::memcpy(&word, p, 8);
        if (word & 0x8080808080808080ULL)
            return false;
    }
    for (; p < end; ++p)
        if (static_cast<unsigned char>(*p) >= 0x80)
            return false;
    return true;
}

size_t utf8SpaceAt(const char *p, const char *end)
{
    const auto *u = reinterpret_cast<const unsigned char *>(p);
    const size_t left = size_t(end - p);
    const unsigned char c = u[0];
    if (c < 0x80)
        return (c == 0x20 || (c >= 0x09 && c <= 0x0d)) ? 1 : 0;
    // The other white space of QChar::isSpace: U+0085, U+00A0, U+1680, U+2000..U+200A, U+2028,
    // U+2029, U+202F, U+205F, U+3000.
    if (c == 0xc2)
        return left >= 2 && (u[1] == 0x85 || u[1] == 0xa0) ? 2 : 0;
    if (left < 3)
        return 0;
    if (c == 0xe1)
        return u[1] == 0x9a && u[2] == 0x80 ? 3 : 0;
    if (c == 0xe2) {
        if (u[1] == 0x80)
            return u[2] <= 0x8a || u[2] == 0xa8 || u[2] == 0xa9 || u[2] == 0xaf ? 3 : 0;
        return u[1] == 0x81 && u[2] == 0x9f ? 3 : 0;
    }
    if (c == 0xe3)
        return u[1] == 0x80 && u[2] == 0x80 ? 3 : 0;
    return 0;
}

std::string_view utf8Trimmed(std::string_view text)
{
    const char *begin = text.data();
    const char *end = begin + text.size();
    while (begin < end) {
        const size_t n = utf8SpaceAt(begin, end);
        if (!n)
            break;
        begin += n;
    }
    while (end > begin) {
        const char *last = end - 1;
        while (last > begin && (static_cast<unsigned char>(*last) & 0xc0) == 0x80)
            --last; // back to the first byte of the last character
        if (utf8SpaceAt(last, end) != size_t(end - last))
            break;
        end = last;
    }
    return {begin, size_t(end - begin)};
}

bool utf8Simplified(std::string_view text, std::string &out)
{
    // Usually there is nothing to do: single spaces between words, nothing at the ends.
    {
        const char *p = text.data();
        const char *const end = p + text.size();
        bool previousSpace = true; // white space at the start is a change
        bool change = false;
        for (; p < end; ++p) {
            const auto c = static_cast<unsigned char>(*p);
            if (c == ' ') {
                if (previousSpace) {
                    change = true;
                    break;
                }
                previousSpace = true;
            } else if (c < 0x80 ? (c >= 0x09 && c <= 0x0d) : utf8SpaceAt(p, end) != 0) {
                change = true;
                break;
            } else {
                previousSpace = false;
            }
        }
        if (!change && !(previousSpace && !text.empty()))
            return false;
    }
    out.clear();
    out.reserve(text.size());
    const char *p = text.data();
    const char *const end = p + text.size();
    bool pendingSpace = false;
    while (p < end) {
        const auto c = static_cast<unsigned char>(*p);
        const size_t n = c < 0x80 ? (c == ' ' || (c >= 0x09 && c <= 0x0d) ? 1 : 0) : utf8SpaceAt(p, end);
        if (n) {
            pendingSpace = true;
            p += n;
            continue;
        }
        if (pendingSpace && !out.empty())
            out.push_back(' ');
        pendingSpace = false;
        // The rest of the word at once.
        const char *word = p++;
        while (p<end &&static_cast<unsigned char>(*p)> ' ' && static_cast<unsigned char>(*p) < 0x80)
            ++p;
        out.append(word, size_t(p - word));
    }
    return out != text;
}

} // namespace transom::mapping
