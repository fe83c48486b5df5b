#pragma once

#include <QByteArrayView>
#include <QString>

#include <vector>

namespace transom::utf8 {

/// Byte offset of the first byte at or after `from` that does not belong to well-formed UTF-8 (RFC 3629:
/// no overlong forms, no surrogates, nothing past U+10FFFF, no cut sequence), or -1 when the rest of
/// `text` is valid. Inputs are checked with this before they are decoded, so that a bad byte is
/// reported with where it is instead of silently becoming U+FFFD.
qsizetype firstInvalid(QByteArrayView text, qsizetype from = 0);

/// Every byte of `text` that does not belong to well-formed UTF-8, in order (empty when it is valid).
std::vector<qsizetype> allInvalid(QByteArrayView text);

/// The one wording every reader uses: "not valid UTF-8 at byte offset 57 (line 3, column 12)".
/// `offset` counts from the start of the input, `line` and `column` are 1-based (column in bytes).
QString problem(qint64 offset, qint64 line, qint64 column);
/// The same, for a byte of `text` (line and column counted in it).
QString problemIn(QByteArrayView text, qsizetype offset);

} // namespace transom::utf8
