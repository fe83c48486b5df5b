#pragma once

#include <QByteArray>
#include <QJsonValue>
#include <QStringView>

#include <string>
#include <string_view>

namespace transom::json {

/// Appends `text` as a JSON string literal (quoted, escaped, UTF-8) to `out`.
void appendString(QByteArray &out, QStringView text);
void appendString(std::string &out, QStringView text);

/// Appends UTF-8 `text` (valid UTF-8) as a JSON string literal: the bytes writeString would write for
/// the same text held as UTF-16, without going through UTF-16.
void appendUtf8String(std::string &out, std::string_view text);

/// Writes `text` as a JSON string literal at `w`, which must have room for 6 * text.size() + 2 bytes;
/// returns the end of what was written.
char *writeString(char *w, QStringView text);

/// Appends a whole number in decimal.
void appendInteger(QByteArray &out, qint64 value);
void appendInteger(std::string &out, qint64 value);

/// Appends a value as compact JSON. Numbers that are whole print without a fraction; non-finite
/// numbers, which JSON cannot hold, print as null.
void appendValue(QByteArray &out, const QJsonValue &value);

} // namespace transom::json
