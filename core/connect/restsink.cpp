#include "core/connect/restsink.h"

#include "core/connect/responseclassifier.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

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
    m_statusPath = mapping::FieldPath::parse(m_settings.batchResultStatusPath).value();
    if (!m_settings.batchResultIdPath.isEmpty())
        m_resultIdPath = mapping::FieldPath::parse(m_settings.batchResultIdPath).value();
    if (!m_settings.batchResultErrorPath.isEmpty())
        m_resultErrorPath = mapping::FieldPath::parse(m_settings.batchResultErrorPath).value();
    switch (m_settings.batchBody) {
    case RestSinkSettings::BatchBody::Wrapped: {
        // The key written as JSON writes it (quotes and backslashes escaped): ["key"] without its brackets.
        const QByteArray key = QJsonDocument(QJsonArray{m_settings.batchWrapper}).toJson(QJsonDocument::Compact);
        m_batchOpen = '{' + key.mid(1, key.size() - 2) + ":[";
        m_batchSeparator = ",";
        m_batchClose = "]}";
        break;
    }
    case RestSinkSettings::BatchBody::Array:
        m_batchOpen = "[";
        m_batchSeparator = ",";
        m_batchClose = "]";
        break;
    case RestSinkSettings::BatchBody::Ndjson:
        m_batchSeparator = "\n";
        m_batchClose = "\n";
        break;
    }
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

void RestSink::send(const char *setting, net::HttpRequest request, std::function<void(const net::HttpResponse &)> done)
{
    if (request.url.isEmpty() || !request.url.isValid() || request.url.scheme().isEmpty() ||
        request.url.host().isEmpty()) {
        // Never a call to an empty or partial address (libcurl's words for it, "URL using bad/illegal
        // format or missing URL", name neither the setting nor the fix).
        net::HttpResponse refused;
        refused.localError = true;
        const QString text = request.url.toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery); // no secret in it
        refused.transportError =
            text.isEmpty()
                ? QStringLiteral("setting \"%1\" is empty, and this call needs it: set it in the connection's "
                                 "settings (the connection editor, or \"settings\" of the connection in the project "
                                 "file)")
                      .arg(QLatin1String(setting))
                : QStringLiteral("setting \"%1\" gives \"%2\", which is not a full URL (scheme and host, e.g. "
                                 "https://api.example.com/...): correct it in the connection's settings")
                      .arg(QLatin1String(setting), text);
        done(refused);
        return;
    }
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
    const char *setting = m_settings.mode == M::PutByKey ? "put_url" : update ? "update_url" : "create_url";
    if (!update && m_settings.mode != M::PutByKey && !m_settings.idempotencyKeyHeader.isEmpty())
        r.headers.append({m_settings.idempotencyKeyHeader.toLatin1(), record.externalId.toUtf8()});
    send(setting, r, [this, record, update, done = std::move(done)](const net::HttpResponse &response) {
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
        cannot.message =
            QStringLiteral("cannot tell whether %1 already arrived: the connection has no find_url to look it up by. "
                           "Set find_url in the connection's settings (a lookup by {external_id}, e.g. "
                           "https://api.example.com/contacts?external_id={external_id}), or idempotency_key_header "
                           "or duplicate_is_delivered when the vendor keeps a repeated create to one record")
                .arg(externalId);
        done(false, {}, cannot);
        return;
    }
    SinkRecord key;
    key.externalId = externalId;
    send("find_url", request("GET", m_settings.findUrl, key, {}),
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

QByteArray RestSink::batchBody(const QList<SinkRecord> &records) const
{
    qsizetype size = m_batchOpen.size() + m_batchClose.size();
    for (const SinkRecord &r : records)
        size += r.body.size() + m_bodyPrefix.size() + m_bodySuffix.size() + m_batchSeparator.size();
    QByteArray body;
    body.reserve(size);
    body += m_batchOpen;
    for (qsizetype i = 0; i < records.size(); ++i) {
        if (i > 0)
            body += m_batchSeparator;
        body += m_bodyPrefix;
        body += records.at(i).body;
        body += m_bodySuffix;
    }
    body += m_batchClose;
    return body;
}

void RestSink::deliverBatch(const QList<SinkRecord> &records, std::function<void(const QList<DeliveryResult> &)> done)
{
    if (!supportsBatch()) {
        Sink::deliverBatch(records, std::move(done));
        return;
    }
    SinkRecord batchKey;
    batchKey.requestId = records.isEmpty() ? QString() : records.first().requestId;
    net::HttpRequest r = request("POST", m_settings.batchUrl, batchKey, batchBody(records));
    if (m_settings.batchBody == RestSinkSettings::BatchBody::Ndjson)
        for (auto &header : r.headers)
            if (header.first == "Content-Type")
                header.second = "application/x-ndjson";
    send("batch_url", r, [this, records, done = std::move(done)](const net::HttpResponse &response) {
        const DeliveryResult whole = classifyResponse(response, QDateTime::currentMSecsSinceEpoch());
        if (!whole.succeeded()) {
            done(QList<DeliveryResult>(records.size(), whole)); // the batch as a whole failed: one fate for all
            return;
        }
        QList<DeliveryResult> results(records.size(), whole);
        if (m_settings.batchMatch == RestSinkSettings::BatchMatch::Position && readSuccesses(response.body, results)) {
            done(results);
            return;
        }
        done(readBatchResults(response, records));
    });
}

namespace {

/// A record the batch reply does not clearly account for: it may have been stored, so it is looked up
/// (or sent again where that is safe) before anything else, never counted as delivered.
DeliveryResult unaccounted(int httpStatus, const QString &why)
{
    DeliveryResult r;
    r.outcome = DeliveryResult::Outcome::Retryable;
    r.outcomeUnknown = true;
    r.httpStatus = httpStatus;
    r.message = QStringLiteral("the batch reply does not say what became of this record (%1)").arg(why);
    return r;
}

} // namespace

QList<DeliveryResult> RestSink::readBatchResults(const net::HttpResponse &response,
                                                 const QList<SinkRecord> &records) const
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qsizetype n = records.size();
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(response.body, &parseError);
    const QJsonValue list = m_batchResultsPath.isEmpty() ? (doc.isArray() ? QJsonValue(doc.array()) : QJsonValue())
                                                         : m_batchResultsPath.valueIn(doc.object());
    if (!list.isArray()) {
        const QString where = m_batchResultsPath.isEmpty()
                                  ? QStringLiteral("the reply is not a JSON list")
                                  : QStringLiteral("no list at \"%1\"").arg(m_settings.batchResultsPath);
        return QList<DeliveryResult>(
            n,
            unaccounted(response.status, parseError.error != QJsonParseError::NoError
                                             ? QStringLiteral("the reply is not JSON: %1").arg(parseError.errorString())
                                             : where + QStringLiteral(" (setting batch_results_path)")));
    }
    const QJsonArray items = list.toArray();
    QList<DeliveryResult> results;
    results.reserve(n);
    if (m_settings.batchMatch == RestSinkSettings::BatchMatch::Position) {
        if (items.size() != n)
            return QList<DeliveryResult>(
                n, unaccounted(response.status, QStringLiteral("it lists %1 results for the %2 records sent, so "
                                                               "which result is whose cannot be told")
                                                    .arg(items.size())
                                                    .arg(n)));
        for (const QJsonValue &item : items)
            results.append(readBatchItem(item, now));
        for (DeliveryResult &r : results)
            if (r.outcomeUnknown && r.httpStatus == 0)
                r.httpStatus = response.status;
        return results;
    }
    // By id: each result names its record's external id; a name given twice says nothing reliable.
    QHash<QString, qsizetype> byId;
    QSet<QString> namedTwice;
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QString id = idText(m_resultIdPath.valueIn(items.at(i).toObject()));
        if (id.isEmpty())
            continue; // not an object, or no id: it cannot be matched to any record
        if (byId.contains(id))
            namedTwice.insert(id);
        byId.insert(id, i);
    }
    QHash<QString, int> sentTimes;
    for (const SinkRecord &r : records)
        ++sentTimes[r.externalId];
    for (const SinkRecord &r : records) {
        if (r.externalId.isEmpty())
            results.append(unaccounted(response.status, QStringLiteral("it has no external id to match a result by")));
        else if (sentTimes.value(r.externalId) > 1)
            results.append(
                unaccounted(response.status,
                            QStringLiteral("external id %1 was sent more than once in the batch").arg(r.externalId)));
        else if (namedTwice.contains(r.externalId))
            results.append(unaccounted(
                response.status, QStringLiteral("it names external id %1 in more than one result").arg(r.externalId)));
        else if (!byId.contains(r.externalId))
            results.append(unaccounted(response.status, QStringLiteral("no result names external id %1 at \"%2\"")
                                                            .arg(r.externalId, m_settings.batchResultIdPath)));
        else
            results.append(readBatchItem(items.at(byId.value(r.externalId)), now));
        if (results.last().outcomeUnknown && results.last().httpStatus == 0)
            results.last().httpStatus = response.status;
    }
    return results;
}

DeliveryResult RestSink::readBatchItem(const QJsonValue &value, qint64 now) const
{
    if (!value.isObject())
        return unaccounted(0, QStringLiteral("its result is not a JSON object"));
    const QJsonObject item = value.toObject();
    const QJsonValue status = m_statusPath.valueIn(item);
    const QString errorText =
        m_resultErrorPath.isEmpty() ? QString() : m_resultErrorPath.valueIn(item).toVariant().toString();
    net::HttpResponse one;
    if (status.isDouble()) {
        one.status = status.toInt();
        if (one.status < 100 || one.status > 599)
            return unaccounted(0,
                               QStringLiteral("its result's status %1 is not an HTTP status").arg(status.toDouble()));
    } else if (status.isString()) {
        const QString word = status.toString().trimmed();
        const bool taken = m_settings.batchSuccessStatuses.contains(word, Qt::CaseInsensitive);
        // A word outside the success list is the vendor refusing this record: no retry mends it.
        one.status = taken ? (word.compare(QLatin1String("updated"), Qt::CaseInsensitive) == 0 ? 200 : 201) : 422;
        if (!taken && errorText.isEmpty()) {
            DeliveryResult refused;
            refused.outcome = DeliveryResult::Outcome::Permanent;
            refused.message = QStringLiteral("status \"%1\": %2")
                                  .arg(word, serverMessage(QJsonDocument(item).toJson(QJsonDocument::Compact)));
            return refused;
        }
    } else {
        return unaccounted(0,
                           QStringLiteral("its result has no status at \"%1\"").arg(m_settings.batchResultStatusPath));
    }
    if (one.status < 200 || one.status >= 300) // a success is classified by its status alone
        one.body = QJsonDocument(item).toJson(QJsonDocument::Compact);
    DeliveryResult result = classifyResponse(one, now);
    if (!result.succeeded() && !errorText.isEmpty())
        result.message = errorText;
    if (result.succeeded())
        result.destinationId = idText(m_idPath.valueIn(item));
    return result;
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
