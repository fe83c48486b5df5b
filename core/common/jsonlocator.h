#pragma once

#include <QByteArray>
#include <QString>

#include <variant>
#include <vector>

namespace transom {

/// Finds where a value sits in JSON text, so errors found after parsing (an unknown rule, a bad
/// parameter) can still name a line and column. Only used on error paths: it rescans the text.
/// Values nested deeper than kMaxDepth are not walked (the scanner recurses once per level): the
/// lookup fails and `problem`, when given, says so and where.
class JsonLocator {
public:
    using Step = std::variant<QString, int>;
    /// As deep as QJsonDocument and simdjson read, so any document they took can be walked.
    static constexpr int kMaxDepth = 1024;

    /// Byte offset of the value at `path` (object keys and array indices), or -1 if not found.
    static qsizetype offsetOf(const QByteArray &json, const std::vector<Step> &path, QString *problem = nullptr);

    /// Where each element of the list at `path` starts, then where the list's closing bracket is (so
    /// element i spans [offsets[i], offsets[i + 1])); empty when there is no list there.
    static std::vector<qsizetype> elementOffsets(const QByteArray &json, const std::vector<Step> &path,
                                                 QString *problem = nullptr);

    /// 1-based line and column (in characters) of a byte offset.
    static void lineColumn(const QByteArray &json, qsizetype offset, int &line, int &column);

    /// Renders a path the way error messages show it: fields[3].rules[0].region
    static QString pathText(const std::vector<Step> &path);
};

} // namespace transom
