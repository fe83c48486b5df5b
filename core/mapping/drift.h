#pragma once

#include "core/mapping/mappingdocument.h"
#include "core/mapping/schemainference.h"

#include <QJsonObject>
#include <QStringList>

namespace transom::mapping {

/// How the records a mapping now sees differ from what it was built for.
struct DriftReport {
    QStringList newFields;     ///< in the records, unknown to the mapping
    QStringList missingFields; ///< read by the mapping, absent from every record

    bool isEmpty() const { return newFields.isEmpty() && missingFields.isEmpty(); }
    /// One sentence for a banner: "New in the samples: phone_number. Mapped but missing: phone."
    QString summary() const;
    QJsonObject toJson() const;
};

/// Source paths a mapping reads, in schema form ("Media[].MediaKey"): its "from" inputs, template
/// placeholders and the id field.
QStringList readPaths(const MappingDocument &mapping);

/// Compares the fields seen in sample records with the fields a mapping knows (its source field list)
/// and reads (its "from" paths and template placeholders).
DriftReport detectDrift(const MappingDocument &mapping, const SchemaInference &samples);

} // namespace transom::mapping
