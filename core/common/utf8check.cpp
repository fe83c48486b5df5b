#include "core/common/utf8check.h"

#include <simdjson.h>

namespace transom::utf8 {

namespace {

/// Length of the well-formed sequence that starts at `p` (at most `left` bytes there), 0 when there is none.
int sequenceLength(const unsigned char *p, qsizetype left)
{
    const unsigned char b = p[0];
    if (b < 0x80)
        return 1;
    auto continuation = [&](qsizetype i) { return i < left && (p[i] & 0xC0) == 0x80; };
    if (b >= 0xC2 && b <= 0xDF)
        return continuation(1) ? 2 : 0;
    if (b >= 0xE0 && b <= 0xEF) {
        if (left < 2)
            return 0;
        // E0: no overlong forms (second byte A0..BF); ED: no surrogates (second byte 80..9F).
        const unsigned char lo = b == 0xE0 ? 0xA0 : 0x80;
        const unsigned char hi = b == 0xED ? 0x9F : 0xBF;
        return p[1] >= lo && p[1] <= hi && continuation(2) ? 3 : 0;
    }
    if (b >= 0xF0 && b <= 0xF4) {
        if (left < 2)
            return 0;
        // F0: no overlong forms (90..BF); F4: nothing past U+10FFFF (80..8F).
        const unsigned char lo = b == 0xF0 ? 0x90 : 0x80;
        const unsigned char hi = b == 0xF4 ? 0x8F : 0xBF;
        return p[1] >= lo && p[1] <= hi && continuation(2) && continuation(3) ? 4 : 0;
    }
    return 0; // a continuation byte on its own, C0/C1 (overlong), F5..FF
}

} // namespace

qsizetype firstInvalid(QByteArrayView text, qsizetype from)
{
    if (from >= text.size())
        return -1;
    const auto *data = reinterpret_cast<const unsigned char *>(text.data());
    // The common case, valid text, at simdjson's speed; the byte-wise walk only when there is something to find.
    if (simdjson::validate_utf8(reinterpret_cast<const char *>(data + from), size_t(text.size() - from)))
        return -1;
    for (qsizetype i = from; i < text.size();) {
        const int n = sequenceLength(data + i, text.size() - i);
        if (n == 0)
            return i;
        i += n;
    }
    return -1;
}

std::vector<qsizetype> allInvalid(QByteArrayView text)
{
    std::vector<qsizetype> out;
    const auto *data = reinterpret_cast<const unsigned char *>(text.data());
    for (qsizetype i = firstInvalid(text); i >= 0 && i < text.size();) {
        const int n = sequenceLength(data + i, text.size() - i);
        if (n == 0)
            out.push_back(i++);
        else
            i += n;
    }
    return out;
}

QString problemIn(QByteArrayView text, qsizetype offset)
{
    qint64 line = 1;
    qsizetype lineStart = 0;
    for (qsizetype i = 0; i < offset && i < text.size(); ++i) {
        if (text.at(i) == '\n') {
            ++line;
            lineStart = i + 1;
        }
    }
    return problem(offset, line, offset - lineStart + 1);
}

QString problem(qint64 offset, qint64 line, qint64 column)
{
    return QStringLiteral("not valid UTF-8 at byte offset %1 (line %2, column %3)").arg(offset).arg(line).arg(column);
}

} // namespace transom::utf8
