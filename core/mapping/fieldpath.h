#pragma once

#include "core/common/expected.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>

#include <string>
#include <vector>

namespace transom::mapping {

/// A parsed path to a value inside a JSON record: `person.emails[0].value`, `property.address`,
/// or `["@odata.nextLink"]` for keys that contain dots. Parsed once, evaluated many times.
class FieldPath {
public:
    struct Segment {
        QString key; ///< object key, when index < 0
        int index = -1;
        bool isIndex() const { return index >= 0; }
        bool operator==(const Segment &) const = default;
    };

    /// The most steps a path may have: code that builds records from paths (CSV headers, mapped
    /// targets) nests one level per step, so a path from an untrusted file must stay short.
    static constexpr qsizetype kMaxSegments = 64;

    FieldPath() = default;
    /// Fails with the character where the path went wrong, including a path of more than kMaxSegments steps.
    static Expected<FieldPath> parse(const QString &text);

    bool isEmpty() const { return m_segments.isEmpty(); }
    const QList<Segment> &segments() const { return m_segments; }
    const QString &text() const { return m_text; }

    /// The value at this path, or an undefined QJsonValue when any step is missing or of another type.
    QJsonValue valueIn(const QJsonObject &record) const;

    /// The key of segment `s` in UTF-8 (empty for an index), for readers of JSON text.
    const std::string &utf8Key(qsizetype s) const { return m_utf8Keys[size_t(s)]; }

    bool operator==(const FieldPath &other) const { return m_segments == other.m_segments; }

private:
    QList<Segment> m_segments;
    std::vector<std::string> m_utf8Keys;
    QString m_text;
};

} // namespace transom::mapping
