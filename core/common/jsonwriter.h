#pragma once

#include <QByteArray>
#include <QJsonValue>
#include <QStringView>

namespace transom::json {

/// Appends `text` as a JSON string literal (quoted, escaped, UTF-8) to `out`.
void appendString(QByteArray &out, QStringView text);

/// Appends a whole number in decimal.
void appendInteger(QByteArray &out, qint64 value);

/// Appends a value as compact JSON. Numbers that are whole print without a fraction; non-finite
/// numbers, which JSON cannot hold, print as null.
void appendValue(QByteArray &out, const QJsonValue &value);

} // namespace transom::json
