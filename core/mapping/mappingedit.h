#pragma once

#include "core/mapping/mappingdocument.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace transom::mapping {

/// Edits the studio makes to a mapping document. Each returns whether the document changed; the
/// studio snapshots the document around them for undo.

/// Index of the field mapping for `target` in document.fields, or -1.
int fieldIndexOf(const MappingDocument &document, const QString &target);

enum class MapMode {
    Replace,  ///< the source becomes the only input
    AddInput, ///< the source is added as a further input (first non-empty wins; templates read all)
};

/// Maps `source` (a field path, schema form "Media[].MediaKey" accepted: [] becomes [0]) onto `target`.
/// A new field mapping gets no rules; an existing one keeps its rules.
bool mapField(MappingDocument &document, const QString &target, const QString &source, MapMode mode);
/// Removes the field mapping of `target` (its rules go with it).
bool unmapField(MappingDocument &document, const QString &target);
/// Replaces the rule pipeline of `target`, creating the field mapping when there is none.
bool setRules(MappingDocument &document, const QString &target, const QJsonArray &rules);
/// Marks a target field required (or not), in the target field list and on its field mapping.
bool setRequired(MappingDocument &document, const QString &target, bool required);

/// "Media[].MediaKey" → "Media[0].MediaKey": a schema path as a path the mapping can read.
QString concretePath(const QString &schemaPath);

/// A proposed source → target pair, for the user to accept or reject.
struct Suggestion {
    QString source;
    QString target;
    QString reason;   ///< "same name", "known equivalent (RESO ListPrice ↔ price)", ...
    double score = 0; ///< 0..1, higher first
};

/// Proposes mappings for unmapped target fields from field names (normalised: case, separators, common
/// prefixes) and a table of known equivalents (RESO Data Dictionary names, common CRM and lead-portal
/// names). Each source and each target appears at most once, best score first.
QList<Suggestion> suggestMappings(const MappingDocument &document, const QStringList &sourceFields,
                                  const QStringList &targetFields);

/// Distinct scalar values found at `sourcePath` in the records, most frequent first, with their counts.
QList<QPair<QString, int>> distinctValues(const QList<QJsonObject> &records, const QString &sourcePath,
                                          int limit = 200);

} // namespace transom::mapping
