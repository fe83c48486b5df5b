#include "core/connect/restsink.h"

#include "core/connect/responseclassifier.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

namespace transom::connect {

namespace {

QString idText(const QJsonValue &v)
{
    return v.isDouble() ? QString::number(v.toInteger()) : v.toString();
}

} // namespace

RestSink::RestSink(RestSinkSettings settings, auth::AuthorizedClient &client)
    : m_settings(std::move(settings)), m_client(client)
{
    m_idPath = mapping::FieldPath::parse(m_settings.idPath).value();
    if (!m_settings.findRecordsPath.isEmpty())
        m_findRecordsPath = mapping::FieldPath::parse(m_settings.findRecordsPath).value();
    if (!m_settings.batchResultsPath.isEmpty())
        m_batchResultsPath = mapping::FieldPath::parse(m_settings.batchResultsPath).value();
    m_statusPath = mapping::FieldPath::parse(QStringLiteral("status")).value();
    m_replyParser = std::make_unique<mapping::RecordParser>();
    // The body template is split once around "$record" so each record is spliced in without parsing.
    const QByteArray t = m_settings.bodyTemplate.toUtf8();
    const qsizetype at = t.indexOf("\"$record\"") >= 0 ? t.indexOf("\"$record\"") : t.indexOf("$record");
    const qsizetype length = t.indexOf("\"$record\"") >= 0 ? 9 : 7;
    m_bodyPrefix = at >= 0 ? t.left(at) : QByteArray();
    m_bodySuffix = at >= 0 ? t.mid(at + length) : QByteArray();
}

QByteArray RestSink::wrap(const QByteArray &record) const
{
    return m_bodyPrefix + record + m_bodySuffix;
}

net::HttpRequest RestSink::request(const QByteArray &method, const QString &urlTemplate, const SinkRecord &record,
                                   const QByteArray &body) const
{
    net::HttpRequest r;
    r.method = method;
    if (!urlTemplate.contains(QLatin1Char('{'))) {
        // Most writes go to one fixed address: parse it once.
        if (m_fixedUrlText != urlTemplate) {
            m_fixedUrlText = urlTemplate;
            m_fixedUrl = QUrl(urlTemplate);
        }
        r.url = m_fixedUrl;
    } else {
        QString url = urlTemplate;
        auto fill = [&url](QLatin1String placeholder, const QString &value) {
            if (url.contains(placeholder))
                url.replace(placeholder, QString::fromLatin1(QUrl::toPercentEncoding(value)));
        };
        fill(QLatin1String("{destination_id}"), record.destinationId);
        fill(QLatin1String("{external_id}"), record.externalId);
        fill(QLatin1String("{key}"), record.externalId);
        r.url = QUrl(url);
    }
    r.body = body;
    r.timeoutMs = m_settings.timeoutMs;
    r.headers = m_settings.headers;
    r.headers.append(net::HeaderList::value_type("Accept", "application/json"));
    if (!record.requestId.isEmpty())
        r.headers.append(net::HeaderList::value_type("X-Request-Id", record.requestId.toLatin1()));
    if (!body.isEmpty())
        r.headers.append(net::HeaderList::value_type("Content-Type", "application/json"));
    return r;
}

void RestSink::send(net::HttpRequest request, std::function<void(const net::HttpResponse &)> done)
{
    ++m_requests;
    m_client.send(std::move(request), [done = std::move(done)](const net::HttpResponse &response,
                                                               const auth::AuthFailure &) { done(response); });
}

void RestSink::deliver(const SinkRecord &record, Delivered done)
{
    // Upsert through a lookup: the destination may already hold this record from elsewhere.
    if (m_settings.mode == RestSinkSettings::Mode::Upsert && m_settings.findBeforeCreate &&
        record.destinationId.isEmpty() && !record.externalId.isEmpty()) {
        find(record.externalId, [this, record, done = std::move(done)](bool found, const QString &id,
                                                                       const DeliveryResult &failure) mutable {
            if (!failure.message.isEmpty()) {
                done(failure);
                return;
            }
            SinkRecord target = record;
            if (found)
                target.destinationId = id;
            write(target, std::move(done));
        });
        return;
    }
    write(record, std::move(done));
}

bool RestSinkSettings::resolvesUncertainCreates() const
{
    return mode == Mode::PutByKey || !findUrl.isEmpty() || !idempotencyKeyHeader.isEmpty() || duplicateIsDelivered ||
           (mode == Mode::Create && updateByCreate);
}

bool RestSink::canUpdate() const
{
    using M = RestSinkSettings::Mode;
    return m_settings.mode != M::Create || !m_settings.updateUrl.isEmpty() || m_settings.updateByCreate;
}

void RestSink::write(const SinkRecord &record, Delivered done)
{
    using M = RestSinkSettings::Mode;
    const bool known = !record.destinationId.isEmpty();
    if (known && !canUpdate()) { // never a second POST for a record the destination holds
        DeliveryResult refused;
        refused.updateUnsupported = true;
        refused.message = QStringLiteral("this connection can only create records and %1 is at the destination "
                                         "already (as %2): it has no update_url to change it")
                              .arg(record.sourceId, record.destinationId);
        done(refused);
        return;
    }
    const bool update = known && m_settings.mode != M::PutByKey && !m_settings.updateUrl.isEmpty() &&
                        !(m_settings.mode == M::Create && m_settings.updateByCreate);
    net::HttpRequest r =
        m_settings.mode == M::PutByKey ? request("PUT", m_settings.putUrl, record, wrap(record.body))
        : update ? request(m_settings.updateMethod.toLatin1(), m_settings.updateUrl, record, wrap(record.body))
                 : request("POST", m_settings.createUrl, record, wrap(record.body));
    if (!update && m_settings.mode != M::PutByKey && !m_settings.idempotencyKeyHeader.isEmpty())
        r.headers.append({m_settings.idempotencyKeyHeader.toLatin1(), record.externalId.toUtf8()});
    send(r, [this, record, update, done = std::move(done)](const net::HttpResponse &response) {
        DeliveryResult result = classifyResponse(response, QDateTime::currentMSecsSinceEpoch());
        if (result.succeeded()) {
            result.outcome = update || response.status == 200 || !record.destinationId.isEmpty()
                                 ? DeliveryResult::Outcome::Updated
                                 : DeliveryResult::Outcome::Created;
            if (m_settings.mode == RestSinkSettings::Mode::PutByKey)
                result.destinationId = record.externalId;
            else if (update)
                result.destinationId = record.destinationId;
            else
                result.destinationId = idText(m_idPath.valueIn(QJsonDocument::fromJson(response.body).object()));
        }
        done(result);
    });
}

void RestSink::find(const QString &externalId, Found done)
{
    if (m_settings.mode == RestSinkSettings::Mode::PutByKey) {
        done(false, {}, {}); // a PUT by key is safe to repeat: nothing to look up
        return;
    }
    if (m_settings.findUrl.isEmpty()) {
        if (m_settings.resolvesUncertainCreates()) {
            done(false, {}, {}); // sent again: the key, the 409 or the intake keeps it to one record
            return;
        }
        DeliveryResult cannot; // a setting missing here: no retry would mend it
        cannot.message = QStringLiteral("cannot tell whether %1 already arrived: the connection has no find_url to "
                                        "look it up by")
                             .arg(externalId);
        done(false, {}, cannot);
        return;
    }
    SinkRecord key;
    key.externalId = externalId;
    send(request("GET", m_settings.findUrl, key, {}),
         [this, done = std::move(done)](const net::HttpResponse &response) {
             if (response.status != 200) {
                 done(false, {}, classifyResponse(response, QDateTime::currentMSecsSinceEpoch()));
                 return;
             }
             const QJsonDocument doc = QJsonDocument::fromJson(response.body);
             const QJsonArray found =
                 m_findRecordsPath.isEmpty() ? doc.array() : m_findRecordsPath.valueIn(doc.object()).toArray();
             if (found.isEmpty()) {
                 done(false, {}, {});
                 return;
             }
             done(true, idText(m_idPath.valueIn(found.first().toObject())), {});
         });
}

void RestSink::deliverBatch(const QList<SinkRecord> &records, std::function<void(const QList<DeliveryResult> &)> done)
{
    if (!supportsBatch()) {
        Sink::deliverBatch(records, std::move(done));
        return;
    }
    qsizetype size = 16 + m_settings.batchWrapper.size();
    for (const SinkRecord &r : records)
        size += r.body.size() + m_bodyPrefix.size() + m_bodySuffix.size() + 1;
    QByteArray body;
    body.reserve(size);
    body += "{\"" + m_settings.batchWrapper.toUtf8() + "\":[";
    for (qsizetype i = 0; i < records.size(); ++i) {
        if (i > 0)
            body += ',';
        body += m_bodyPrefix;
        body += records.at(i).body;
        body += m_bodySuffix;
    }
    body += "]}";
    SinkRecord batchKey;
    batchKey.requestId = records.isEmpty() ? QString() : records.first().requestId;
    send(request("POST", m_settings.batchUrl, batchKey, body),
         [this, n = records.size(), done = std::move(done)](const net::HttpResponse &response) {
             const DeliveryResult whole = classifyResponse(response, QDateTime::currentMSecsSinceEpoch());
             QList<DeliveryResult> results(n, whole);
             if (!whole.succeeded()) {
                 done(results); // the batch as a whole failed: every record shares its fate
                 return;
             }
             if (readSuccesses(response.body, results)) {
                 done(results);
                 return;
             }
             const QJsonArray items =
                 m_batchResultsPath.valueIn(QJsonDocument::fromJson(response.body).object()).toArray();
             for (qsizetype i = 0; i < n; ++i) {
                 const QJsonObject item = items.at(i).toObject();
                 net::HttpResponse one;
                 one.status = item.value(QLatin1String("status")).toInt(items.size() == n ? 0 : 502);
                 if (one.status < 200 || one.status >= 300) // a success is classified by its status alone
                     one.body = QJsonDocument(item).toJson(QJsonDocument::Compact);
                 if (one.status == 0) {
                     one.status = 502;
                     one.body = R"({"errorMessage":"the batch reply has no result for this record"})";
                 }
                 results[i] = classifyResponse(one, QDateTime::currentMSecsSinceEpoch());
                 if (results[i].succeeded())
                     results[i].destinationId = idText(m_idPath.valueIn(item));
             }
             done(results);
         });
}

bool RestSink::readSuccesses(const QByteArray &reply, QList<DeliveryResult> &results) const
{
    // Every record of a batch succeeding is the rule: its statuses and ids are read with simdjson,
    // without building a QJsonObject per record (that was most of the cost of a batch's reply). Any
    // other reply is read the thorough way, which keeps each failure's body for its message.
    if (!m_replyParser->parseDocument(reply))
        return false;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    qsizetype i = 0;
    bool allSucceeded = true;
    const qsizetype count = m_replyParser->visitAt(m_batchResultsPath, [&](const mapping::SourceRecord &item) {
        if (!allSucceeded || i >= results.size())
            return;
        const mapping::Value status = item.value(m_statusPath);
        net::HttpResponse one;
        one.status = status.isInteger() ? int(status.toInteger()) : 0;
        if (one.status < 200 || one.status >= 300) {
            allSucceeded = false;
            return;
        }
        DeliveryResult &result = results[i++];
        result = classifyResponse(one, now);
        result.destinationId = idText(item.value(m_idPath).toJson());
    });
    return allSucceeded && count == results.size() && i == count;
}

} // namespace transom::connect
