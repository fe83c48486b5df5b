#pragma once

#include <QByteArray>
#include <QString>

#include <variant>
#include <vector>

namespace transom {

/// Finds where a value sits in JSON text, so errors found after parsing (an unknown rule, a bad
/// parameter) can still name a line and column. Only used on error paths: it rescans the text.
class JsonLocator {
public:
    using Step = std::variant<QString, int>;

    /// Byte offset of the value at `path` (object keys and array indices), or -1 if not found.
    static qsizetype offsetOf(const QByteArray &json, const std::vector<Step> &path);

    /// 1-based line and column (in characters) of a byte offset.
    static void lineColumn(const QByteArray &json, qsizetype offset, int &line, int &column);

    /// Renders a path the way error messages show it: fields[3].rules[0].region
    static QString pathText(const std::vector<Step> &path);
};

} // namespace transom
