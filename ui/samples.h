#pragma once

#include "core/common/expected.h"
#include "core/mapping/schemainference.h"

#include <QJsonObject>
#include <QList>
#include <QString>

namespace transom::ui {

/// Sample records of one side of a mapping, with what schema inference says about their fields.
struct SampleSet {
    QString origin; ///< file name or connection the samples came from
    QList<QJsonObject> records;
    mapping::SchemaInference schema;
    QStringList problems; ///< records that could not be read ("record 4, line 5: ...")

    bool isEmpty() const { return records.isEmpty(); }
};

/// A value as the studio shows it in a cell: "" for a missing value, "null", a scalar's text (numbers
/// without ".0"), objects and lists as compact JSON.
QString displayText(const QJsonValue &value);

/// Reads samples from a file (JSON array, NDJSON, CSV, API envelopes), at most `limit` records. Call it
/// off the UI thread: big files take time.
Expected<SampleSet> loadSamples(const QString &path, int limit = 100000);
/// Samples from records already in memory (a page fetched from a connection).
SampleSet samplesFrom(const QString &origin, const QList<QJsonObject> &records);

} // namespace transom::ui
