#include "core/connect/connector.h"

#include <QJsonDocument>

#include <memory>

namespace transom::connect {

QList<QJsonObject> SourcePage::objects() const
{
    QList<QJsonObject> out;
    out.reserve(records.size());
    for (const QByteArray &record : records)
        out.append(QJsonDocument::fromJson(record).object());
    return out;
}

void Sink::deliverBatch(const QList<SinkRecord> &records, std::function<void(const QList<DeliveryResult> &)> done)
{
    // Without a batch endpoint, one call per record, answered together.
    auto results = std::make_shared<QList<DeliveryResult>>(records.size());
    auto remaining = std::make_shared<qsizetype>(records.size());
    if (records.isEmpty()) {
        done({});
        return;
    }
    for (qsizetype i = 0; i < records.size(); ++i) {
        deliver(records.at(i), [results, remaining, i, done](const DeliveryResult &r) {
            (*results)[i] = r;
            if (--*remaining == 0)
                done(*results);
        });
    }
}

} // namespace transom::connect
