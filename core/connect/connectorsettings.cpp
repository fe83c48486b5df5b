// Settings specs of the REST source and sink, and reading them from a connection's JSON.
#include "core/connect/restsink.h"
#include "core/connect/restsource.h"

#include <QJsonArray>

namespace transom::connect {

namespace {

using T = SettingSpec::Type;

Error settingError(const QString &key, const QString &message)
{
    return Error(QStringLiteral("setting \"%1\": %2").arg(key, message), {}, 0, 0, key);
}

bool validPath(const QJsonObject &json, const char *key)
{
    const QString path = json.value(QLatin1String(key)).toString();
    return path.isEmpty() || mapping::FieldPath::parse(path).ok();
}

/// The batch settings of a sink: the body's shape and how the reply's results are read.
Expected<bool> readBatchSettings(const QJsonObject &json, RestSinkSettings &s)
{
    using B = RestSinkSettings::BatchBody;
    s.batchWrapper = json.value(QLatin1String("batch_wrapper")).toString(s.batchWrapper).trimmed();
    // An empty list key means no wrapper: a bare array (before, it sent {"": [...]}).
    const QString body = json.value(QLatin1String("batch_body"))
                             .toString(s.batchWrapper.isEmpty() ? QStringLiteral("array") : QStringLiteral("wrapped"));
    static const QHash<QString, B> bodies = {{QStringLiteral("wrapped"), B::Wrapped},
                                             {QStringLiteral("array"), B::Array},
                                             {QStringLiteral("ndjson"), B::Ndjson}};
    if (!bodies.contains(body))
        return settingError(QStringLiteral("batch_body"),
                            QStringLiteral("\"%1\" is not one of wrapped, array, ndjson").arg(body));
    s.batchBody = bodies.value(body);
    if (s.batchBody == B::Wrapped && s.batchWrapper.isEmpty())
        return settingError(QStringLiteral("batch_wrapper"),
                            QStringLiteral("a wrapped batch body needs the list's key (e.g. \"contacts\" for "
                                           "{\"contacts\": [...]}); for a bare JSON array set batch_body to "
                                           "\"array\""));
    if (s.batchBody == B::Ndjson && s.bodyTemplate.contains(QLatin1Char('\n')))
        return settingError(QStringLiteral("body_template"),
                            QStringLiteral("an ndjson batch sends one record per line: the body template must "
                                           "be on one line"));
    s.batchResultsPath = json.value(QLatin1String("batch_results_path")).toString(s.batchResultsPath);
    const QString match = json.value(QLatin1String("batch_match")).toString(QStringLiteral("position"));
    if (match == QLatin1String("position"))
        s.batchMatch = RestSinkSettings::BatchMatch::Position;
    else if (match == QLatin1String("id"))
        s.batchMatch = RestSinkSettings::BatchMatch::Id;
    else
        return settingError(QStringLiteral("batch_match"),
                            QStringLiteral("\"%1\" is not one of position, id").arg(match));
    s.batchResultIdPath = json.value(QLatin1String("batch_result_id_path")).toString();
    if (s.batchMatch == RestSinkSettings::BatchMatch::Id && s.batchResultIdPath.isEmpty())
        return settingError(QStringLiteral("batch_result_id_path"),
                            QStringLiteral("batch_match \"id\" needs the path of the external id in each result, "
                                           "e.g. external_id"));
    s.batchResultStatusPath = json.value(QLatin1String("batch_result_status_path")).toString(s.batchResultStatusPath);
    if (s.batchResultStatusPath.isEmpty())
        return settingError(QStringLiteral("batch_result_status_path"),
                            QStringLiteral("needs the path of each result's status, e.g. status"));
    s.batchResultErrorPath = json.value(QLatin1String("batch_result_error_path")).toString();
    return true;
}

} // namespace

QList<SettingSpec> RestSourceSettings::spec()
{
    return {
        {QStringLiteral("url"),
         QStringLiteral("First page URL"),
         T::Url,
         true,
         {},
         {},
         QStringLiteral("e.g. https://api.example.com/leads")},
        {QStringLiteral("records_path"),
         QStringLiteral("Records are under"),
         T::FieldPath,
         false,
         QString(),
         {},
         QStringLiteral(
             "where the list sits in each reply: value, leads, _embedded.items; empty when the reply is the list")},
        {QStringLiteral("paging"),
         QStringLiteral("Paging"),
         T::Choice,
         false,
         QStringLiteral("none"),
         {QStringLiteral("none"), QStringLiteral("offset"), QStringLiteral("page"), QStringLiteral("cursor"),
          QStringLiteral("next_link")},
         QStringLiteral("none: one request; offset: offset_param counts records read; page: page_param counts "
                        "pages from 1; cursor: the reply's cursor_path is sent back in cursor_param; next_link: the "
                        "reply's next_link_path is the next page's URL")},
        {QStringLiteral("page_size"),
         QStringLiteral("Page size"),
         T::Integer,
         false,
         100,
         {},
         QStringLiteral("records asked for per page (sent in page_size_param); a shorter page is the last")},
        {QStringLiteral("page_size_param"),
         QStringLiteral("Page size parameter"),
         T::Text,
         false,
         QStringLiteral("limit"),
         {},
         QStringLiteral("limit, per_page, $top")},
        {QStringLiteral("offset_param"),
         QStringLiteral("Offset parameter"),
         T::Text,
         false,
         QStringLiteral("offset"),
         {},
         QStringLiteral("offset, $skip")},
        {QStringLiteral("page_param"),
         QStringLiteral("Page parameter"),
         T::Text,
         false,
         QStringLiteral("page"),
         {},
         QStringLiteral("page paging: the page number's parameter, e.g. page, p")},
        {QStringLiteral("cursor_param"),
         QStringLiteral("Cursor parameter"),
         T::Text,
         false,
         QStringLiteral("cursor"),
         {},
         QStringLiteral("cursor paging: the parameter the next cursor is sent in")},
        {QStringLiteral("cursor_path"),
         QStringLiteral("Next cursor is at"),
         T::FieldPath,
         false,
         QStringLiteral("next_cursor"),
         {},
         QStringLiteral("cursor paging: where the reply gives the next cursor; empty or missing ends the run")},
        {QStringLiteral("next_link_path"),
         QStringLiteral("Next link is at"),
         T::FieldPath,
         false,
         QStringLiteral("[\"@odata.nextLink\"]"),
         {},
         QStringLiteral("[\"@odata.nextLink\"], _metadata.nextLink")},
        {QStringLiteral("watermark_field"),
         QStringLiteral("Modification time field"),
         T::FieldPath,
         false,
         QString(),
         {},
         QStringLiteral("for incremental polling: updated_at, ModificationTimestamp")},
        {QStringLiteral("since_param"),
         QStringLiteral("Changed-since parameter"),
         T::Text,
         false,
         QString(),
         {},
         QStringLiteral("e.g. updated_since")},
        {QStringLiteral("since_filter_param"),
         QStringLiteral("Filter parameter"),
         T::Text,
         false,
         QString(),
         {},
         QStringLiteral("e.g. $filter")},
        {QStringLiteral("since_filter"),
         QStringLiteral("Filter"),
         T::Text,
         false,
         QString(),
         {},
         QStringLiteral("e.g. ModificationTimestamp ge {since}")},
        {QStringLiteral("overlap_seconds"),
         QStringLiteral("Overlap"),
         T::Integer,
         false,
         60,
         {},
         QStringLiteral("seconds asked again before the last poll, so records sharing a time are not missed")},
        {QStringLiteral("id_field"),
         QStringLiteral("Record id field"),
         T::FieldPath,
         false,
         QString(),
         {},
         QStringLiteral("the record's own id, to recognise records of the overlap window already delivered")},
        {QStringLiteral("after_id_param"),
         QStringLiteral("Resume-after-id parameter"),
         T::Text,
         false,
         QString(),
         {},
         QStringLiteral("e.g. after_id, when the feed lists records by time then id: the next poll starts right "
                        "after the last record read, with no overlap")},
    };
}

Expected<RestSourceSettings> RestSourceSettings::fromJson(const QJsonObject &json)
{
    RestSourceSettings s;
    s.url = QUrl(json.value(QLatin1String("url")).toString());
    if (!s.url.isValid() || s.url.scheme().isEmpty())
        return settingError(QStringLiteral("url"),
                            QStringLiteral("\"%1\" is not a URL").arg(json.value(QLatin1String("url")).toString()));
    for (const char *key : {"records_path", "cursor_path", "next_link_path", "watermark_field", "id_field"})
        if (!validPath(json, key))
            return settingError(QLatin1String(key), QStringLiteral("not a field path"));
    s.recordsPath = json.value(QLatin1String("records_path")).toString();
    const QString paging = json.value(QLatin1String("paging")).toString(QStringLiteral("none"));
    static const QHash<QString, Paging> pagings = {{QStringLiteral("none"), Paging::None},
                                                   {QStringLiteral("offset"), Paging::Offset},
                                                   {QStringLiteral("page"), Paging::Page},
                                                   {QStringLiteral("cursor"), Paging::Cursor},
                                                   {QStringLiteral("next_link"), Paging::NextLink}};
    if (!pagings.contains(paging))
        return settingError(QStringLiteral("paging"),
                            QStringLiteral("\"%1\" is not one of none, offset, page, cursor, next_link").arg(paging));
    s.paging = pagings.value(paging);
    s.pageSize = json.value(QLatin1String("page_size")).toInt(s.pageSize);
    if (s.pageSize < 1)
        return settingError(QStringLiteral("page_size"), QStringLiteral("must be at least 1"));
    s.pageSizeParam = json.value(QLatin1String("page_size_param")).toString(s.pageSizeParam);
    s.offsetParam = json.value(QLatin1String("offset_param")).toString(s.offsetParam);
    s.pageParam = json.value(QLatin1String("page_param")).toString(s.pageParam);
    s.cursorParam = json.value(QLatin1String("cursor_param")).toString(s.cursorParam);
    s.cursorPath = json.value(QLatin1String("cursor_path")).toString(s.cursorPath);
    s.nextLinkPath = json.value(QLatin1String("next_link_path")).toString(QStringLiteral("[\"@odata.nextLink\"]"));
    s.watermarkField = json.value(QLatin1String("watermark_field")).toString();
    s.sinceParam = json.value(QLatin1String("since_param")).toString();
    s.sinceFilterParam = json.value(QLatin1String("since_filter_param")).toString();
    s.sinceFilter = json.value(QLatin1String("since_filter")).toString();
    s.overlapSeconds = json.value(QLatin1String("overlap_seconds")).toInt(s.overlapSeconds);
    s.idField = json.value(QLatin1String("id_field")).toString();
    s.afterIdParam = json.value(QLatin1String("after_id_param")).toString();
    if (!s.afterIdParam.isEmpty() && (s.watermarkField.isEmpty() || s.idField.isEmpty() || s.sinceParam.isEmpty()))
        return settingError(QStringLiteral("after_id_param"),
                            QStringLiteral("resuming after an id needs watermark_field, id_field and since_param"));
    if (!s.watermarkField.isEmpty() && s.sinceParam.isEmpty() && s.sinceFilter.isEmpty())
        return settingError(QStringLiteral("since_param"),
                            QStringLiteral("incremental polling needs since_param or since_filter"));
    return s;
}

QList<SettingSpec> RestSinkSettings::spec()
{
    return {
        {QStringLiteral("mode"),
         QStringLiteral("Delivery"),
         T::Choice,
         false,
         QStringLiteral("create"),
         {QStringLiteral("create"), QStringLiteral("upsert"), QStringLiteral("put_by_key")},
         QStringLiteral("create: POST new records (a changed one is updated by id when there is an update URL); "
                        "upsert: update when known, else create; put_by_key: PUT to a URL keyed by the record id")},
        {QStringLiteral("create_url"),
         QStringLiteral("Create URL"),
         T::Url,
         false,
         {},
         {},
         QStringLiteral("where new records are POSTed, e.g. {base}/contacts")},
        {QStringLiteral("update_url"),
         QStringLiteral("Update URL"),
         T::Url,
         false,
         {},
         {},
         QStringLiteral("with {destination_id}")},
        {QStringLiteral("update_method"),
         QStringLiteral("Update method"),
         T::Choice,
         false,
         QStringLiteral("PUT"),
         {QStringLiteral("PUT"), QStringLiteral("PATCH"), QStringLiteral("POST")},
         {}},
        {QStringLiteral("put_url"),
         QStringLiteral("PUT-by-key URL"),
         T::Url,
         false,
         {},
         {},
         QStringLiteral("with {key}")},
        {QStringLiteral("find_url"),
         QStringLiteral("Find by external id URL"),
         T::Url,
         false,
         {},
         {},
         QStringLiteral("with {external_id}")},
        {QStringLiteral("find_before_create"),
         QStringLiteral("Look up before creating"),
         T::Boolean,
         false,
         false,
         {},
         QStringLiteral(
             "upsert: search by external id before creating, so records the destination already has are updated")},
        {QStringLiteral("update_by_create"),
         QStringLiteral("Creating again updates"),
         T::Boolean,
         false,
         false,
         {},
         QStringLiteral("create: the create endpoint updates the record it already holds (an events intake that "
                        "matches people), so a changed record is sent there again")},
        {QStringLiteral("idempotency_key_header"),
         QStringLiteral("Idempotency key header"),
         T::Text,
         false,
         QString(),
         {},
         QStringLiteral("e.g. Idempotency-Key, when the vendor does a repeated create with the same key once: the "
                        "record's external id is sent in it")},
        {QStringLiteral("duplicate_is_delivered"),
         QStringLiteral("409 names the record"),
         T::Boolean,
         false,
         false,
         {},
         QStringLiteral("the vendor answers a second create of the same external id with 409 and the record's id")},
        {QStringLiteral("find_records_path"),
         QStringLiteral("Found records are under"),
         T::FieldPath,
         false,
         QStringLiteral("people"),
         {},
         QStringLiteral("where the list sits in a find_url reply; empty when the reply is the list")},
        {QStringLiteral("id_path"),
         QStringLiteral("Destination id is at"),
         T::FieldPath,
         false,
         QStringLiteral("id"),
         {},
         QStringLiteral("the destination's id in a create reply, a found record and a batch result")},
        {QStringLiteral("body_template"),
         QStringLiteral("Body"),
         T::Text,
         false,
         QStringLiteral("$record"),
         {},
         QStringLiteral("JSON with $record where the mapped record goes, e.g. {\"person\": $record}")},
        {QStringLiteral("headers"),
         QStringLiteral("Extra headers"),
         T::Headers,
         false,
         QJsonObject(),
         {},
         QStringLiteral("non-secret headers sent with every call, as a JSON object: {\"X-System\": \"Transom\"}; "
                        "secrets go in the sign-in settings")},
        {QStringLiteral("batch_url"),
         QStringLiteral("Batch URL"),
         T::Url,
         false,
         {},
         {},
         QStringLiteral("where a job with \"batch\": true sends many records in one call; empty: one call per "
                        "record")},
        {QStringLiteral("batch_size"),
         QStringLiteral("Batch size"),
         T::Integer,
         false,
         100,
         {},
         QStringLiteral("records per batch call (1 to 1000)")},
        {QStringLiteral("batch_body"),
         QStringLiteral("Batch body"),
         T::Choice,
         false,
         QStringLiteral("wrapped"),
         {QStringLiteral("wrapped"), QStringLiteral("array"), QStringLiteral("ndjson")},
         QStringLiteral("wrapped: {\"<batch_wrapper>\": [record, ...]}; array: a bare JSON array [record, ...]; "
                        "ndjson: one record per line (application/x-ndjson). Default: wrapped, or array when "
                        "batch_wrapper is empty")},
        {QStringLiteral("batch_wrapper"),
         QStringLiteral("Batch list key"),
         T::Text,
         false,
         QStringLiteral("people"),
         {},
         QStringLiteral("the list's key in a wrapped batch body; empty means a bare array")},
        {QStringLiteral("batch_results_path"),
         QStringLiteral("Batch results are under"),
         T::FieldPath,
         false,
         QStringLiteral("results"),
         {},
         QStringLiteral("where the per-record results sit in a batch reply; empty when the reply is the list")},
        {QStringLiteral("batch_match"),
         QStringLiteral("Batch results match records by"),
         T::Choice,
         false,
         QStringLiteral("position"),
         {QStringLiteral("position"), QStringLiteral("id")},
         QStringLiteral("position: the n-th result is the n-th record's (the list must have one per record); id: "
                        "each result names its record's external id at batch_result_id_path")},
        {QStringLiteral("batch_result_id_path"),
         QStringLiteral("Result's external id is at"),
         T::FieldPath,
         false,
         QString(),
         {},
         QStringLiteral("batch_match id: where a result names the record's external id, e.g. external_id")},
        {QStringLiteral("batch_result_status_path"),
         QStringLiteral("Result's status is at"),
         T::FieldPath,
         false,
         QStringLiteral("status"),
         {},
         QStringLiteral("an HTTP status (201, 422, ...) or a word: created, updated, ok, success mean taken; any "
                        "other word is a refusal")},
        {QStringLiteral("batch_result_error_path"),
         QStringLiteral("Result's error message is at"),
         T::FieldPath,
         false,
         QString(),
         {},
         QStringLiteral("e.g. error.message; empty: read like an error reply (errorMessage, message, errors, ...)")},
        {QStringLiteral("timeout_ms"),
         QStringLiteral("Timeout"),
         T::Integer,
         false,
         30000,
         {},
         QStringLiteral("milliseconds to wait for a reply")},
    };
}

Expected<RestSinkSettings> RestSinkSettings::fromJson(const QJsonObject &json)
{
    RestSinkSettings s;
    const QString mode = json.value(QLatin1String("mode")).toString(QStringLiteral("create"));
    if (mode == QLatin1String("create"))
        s.mode = Mode::Create;
    else if (mode == QLatin1String("upsert"))
        s.mode = Mode::Upsert;
    else if (mode == QLatin1String("put_by_key"))
        s.mode = Mode::PutByKey;
    else
        return settingError(QStringLiteral("mode"),
                            QStringLiteral("\"%1\" is not one of create, upsert, put_by_key").arg(mode));
    s.createUrl = json.value(QLatin1String("create_url")).toString();
    s.updateUrl = json.value(QLatin1String("update_url")).toString();
    s.updateMethod = json.value(QLatin1String("update_method")).toString(s.updateMethod);
    s.putUrl = json.value(QLatin1String("put_url")).toString();
    s.findUrl = json.value(QLatin1String("find_url")).toString();
    s.findBeforeCreate = json.value(QLatin1String("find_before_create")).toBool();
    s.updateByCreate = json.value(QLatin1String("update_by_create")).toBool();
    s.idempotencyKeyHeader = json.value(QLatin1String("idempotency_key_header")).toString().trimmed();
    s.duplicateIsDelivered = json.value(QLatin1String("duplicate_is_delivered")).toBool();
    if (s.findBeforeCreate && s.findUrl.isEmpty())
        return settingError(QStringLiteral("find_url"), QStringLiteral("find_before_create needs a find_url"));
    s.findRecordsPath = json.value(QLatin1String("find_records_path")).toString(s.findRecordsPath);
    s.idPath = json.value(QLatin1String("id_path")).toString(s.idPath);
    s.bodyTemplate = json.value(QLatin1String("body_template")).toString(s.bodyTemplate);
    s.batchUrl = json.value(QLatin1String("batch_url")).toString();
    s.batchSize = std::clamp(json.value(QLatin1String("batch_size")).toInt(s.batchSize), 1, 1000);
    if (auto batch = readBatchSettings(json, s); !batch)
        return batch.error();
    s.timeoutMs = json.value(QLatin1String("timeout_ms")).toInt(s.timeoutMs);
    if (s.timeoutMs < 1)
        return settingError(QStringLiteral("timeout_ms"), QStringLiteral("must be at least 1"));
    if (s.mode == Mode::PutByKey && !s.putUrl.contains(QLatin1String("{key}")))
        return settingError(QStringLiteral("put_url"), QStringLiteral("put_by_key needs a put_url containing {key}"));
    if (s.mode != Mode::PutByKey && s.createUrl.isEmpty())
        return settingError(QStringLiteral("create_url"), QStringLiteral("is required to create records"));
    if (s.mode == Mode::Upsert && !s.updateUrl.contains(QLatin1String("{destination_id}")))
        return settingError(QStringLiteral("update_url"),
                            QStringLiteral("upsert needs an update_url containing {destination_id}"));
    if (!s.updateUrl.isEmpty() && !s.updateUrl.contains(QLatin1String("{destination_id}")))
        return settingError(QStringLiteral("update_url"), QStringLiteral("must contain {destination_id}"));
    if (!s.findUrl.isEmpty() && !s.findUrl.contains(QLatin1String("{external_id}")))
        return settingError(QStringLiteral("find_url"), QStringLiteral("must contain {external_id}"));
    for (const char *key : {"find_records_path", "id_path", "batch_results_path", "batch_result_id_path",
                            "batch_result_status_path", "batch_result_error_path"})
        if (!validPath(json, key))
            return settingError(QLatin1String(key), QStringLiteral("not a field path"));
    if (!s.bodyTemplate.contains(QLatin1String("$record")))
        return settingError(QStringLiteral("body_template"), QStringLiteral("must contain $record"));
    const QJsonValue headerValue = json.value(QLatin1String("headers"));
    if (!headerValue.isUndefined() && !headerValue.isNull() && !headerValue.isObject())
        return settingError(QStringLiteral("headers"),
                            QStringLiteral("must be a JSON object of header names and values, e.g. {\"X-System\": "
                                           "\"Transom\"}"));
    const QJsonObject headers = headerValue.toObject();
    for (auto it = headers.begin(); it != headers.end(); ++it)
        s.headers.append({it.key().toLatin1(), it.value().toString().toUtf8()});
    if (!s.resolvesUncertainCreates())
        return settingError(
            QStringLiteral("find_url"),
            QStringLiteral("a connection that creates records needs a way to tell whether a create whose answer was "
                           "lost arrived, or a retry could create a second record: a find_url (look it up by external "
                           "id), an idempotency_key_header the vendor honours, or duplicate_is_delivered (the vendor "
                           "answers a second create with 409 and the record's id)"));
    return s;
}

} // namespace transom::connect
