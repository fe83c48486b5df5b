#include "ui/samples.h"

#include "core/io/recordreader.h"

#include <QFileInfo>

namespace transom::ui {

Expected<SampleSet> loadSamples(const QString &path, int limit)
{
    auto reader = io::RecordReader::open(path);
    if (!reader)
        return reader.error();
    SampleSet set;
    set.origin = QFileInfo(path).fileName();
    io::SourceRecord record;
    while (set.records.size() < limit && reader.value()->next(record)) {
        if (!record.problem.isEmpty()) {
            set.problems.append(
                QStringLiteral("record %1, line %2: %3").arg(record.index + 1).arg(record.line).arg(record.problem));
            continue;
        }
        set.schema.add(record.data);
        set.records.append(std::move(record.data));
    }
    return set;
}

SampleSet samplesFrom(const QString &origin, const QList<QJsonObject> &records)
{
    SampleSet set;
    set.origin = origin;
    set.records = records;
    for (const QJsonObject &r : records)
        set.schema.add(r);
    return set;
}

} // namespace transom::ui
