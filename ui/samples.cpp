#include "ui/samples.h"

#include "core/io/recordreader.h"
#include "core/mapping/rule.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <QCoreApplication>
#include <QFileInfo>

namespace transom::ui {

QString displayText(const QJsonValue &v)
{
    QString text;
    if (v.isUndefined())
        return {};
    if (v.isNull())
        return QCoreApplication::translate("transom::ui::Samples", "(empty)"); // not the word "null"
    if (mapping::scalarText(v, text))
        return text;
    return QString::fromUtf8(v.isObject() ? QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact)
                                          : QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
}

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
