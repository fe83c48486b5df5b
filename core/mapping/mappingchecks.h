#pragma once

#include "core/common/expected.h"
#include "core/mapping/compiledmapping.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace transom::mapping {

/// A pinned sample: a source record and the output the mapping must produce for it. Stored beside
/// the mapping as <mapping>.checks.json so a vendor's schema change shows up as a failed check.
struct MappingCheck {
    QString name;
    QJsonObject source;
    QJsonObject expected;
};

struct CheckResult {
    QString name;
    bool passed = false;
    QStringList differences; ///< "person.phones[0].value: expected \"+15125550142\", got nothing (phone: ...)"
};

/// Where the checks of the mapping at `mappingPath` live.
QString checksPathFor(const QString &mappingPath);
/// The checks in `path`; an empty list when the file does not exist.
Expected<QList<MappingCheck>> loadChecks(const QString &path);
Expected<bool> saveChecks(const QString &path, const QList<MappingCheck> &checks);

/// Maps each check's source and compares with its expected output field by field.
QList<CheckResult> runChecks(const CompiledMapping &mapping, const QList<MappingCheck> &checks);

} // namespace transom::mapping
