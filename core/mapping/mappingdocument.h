#pragma once

#include "core/common/expected.h"
#include "core/common/jsonlocator.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QStringList>

namespace transom::mapping {

/// One target field of a mapping: where its value comes from and the rules it goes through.
struct FieldMapping {
    QString target;        ///< target field path, e.g. "person.phones[0].value"
    QStringList from;      ///< source field paths; with several, the first non-empty one is used
    QJsonArray rules;      ///< rule objects: {"rule": "phone", "region": "US"}
    bool required = false; ///< shorthand for a final "required" rule
    QString note;
};

/// A field the target system knows, so the studio can show unmapped and required target fields.
struct TargetField {
    QString path;
    bool required = false;
    QString type;
};

/// A mapping document as stored on disk: versioned, readable JSON that diffs well in git.
///
/// {
///   "transom_mapping": 1, "name": "...", "revision": 3,
///   "source": {"type": "portal.lead", "id_field": "lead_id", "fields": ["lead_id", ...]},
///   "target": {"type": "crm.event", "fields": [{"path": "person.firstName", "required": true}]},
///   "lookups": {"agents": {"agent1@brokerage.example": 7}},
///   "fields": [{"target": "...", "from": "...", "rules": [...], "required": true}]
/// }
class MappingDocument {
public:
    static constexpr int formatVersion = 1;

    QString name;
    int revision = 1;
    QString sourceType;
    QString sourceIdField;
    QStringList knownSourceFields;
    QString targetType;
    QList<TargetField> targetFields;
    QJsonObject lookups;
    QList<FieldMapping> fields;

    /// Parses and checks the document's structure; errors carry file, line, column and JSON path.
    static Expected<MappingDocument> parse(const QByteArray &json, const QString &fileName = {});
    static Expected<MappingDocument> load(const QString &path);

    QJsonObject toJson() const;
    QByteArray toJsonText() const;

    /// An error about the value at `path` in the text this document was parsed from, located to a
    /// line and column when the text is known.
    Error errorAt(const std::vector<JsonLocator::Step> &path, const QString &message) const;

    const QString &fileName() const { return m_fileName; }

private:
    QByteArray m_text;
    QString m_fileName;
};

} // namespace transom::mapping
