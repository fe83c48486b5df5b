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
         {}},
        {QStringLiteral("page_size"), QStringLiteral("Page size"), T::Integer, false, 100, {}, {}},
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
         {}},
        {QStringLiteral("cursor_param"),
         QStringLiteral("Cursor parameter"),
         T::Text,
         false,
         QStringLiteral("cursor"),
         {},
         {}},
        {QStringLiteral("cursor_path"),
         QStringLiteral("Next cursor is at"),
         T::FieldPath,
         false,
         QStringLiteral("next_cursor"),
         {},
         {}},
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
        {QStringLiteral("id_field"), QStringLiteral("Record id field"), T::FieldPath, false, QString(), {}, {}},
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
        {QStringLiteral("create_url"), QStringLiteral("Create URL"), T::Url, false, {}, {}, {}},
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
         {}},
        {QStringLiteral("id_path"),
         QStringLiteral("Destination id is at"),
         T::FieldPath,
         false,
         QStringLiteral("id"),
         {},
         {}},
        {QStringLiteral("body_template"),
         QStringLiteral("Body"),
         T::Text,
         false,
         QStringLiteral("$record"),
         {},
         QStringLiteral("JSON with $record where the mapped record goes, e.g. {\"person\": $record}")},
        {QStringLiteral("batch_url"), QStringLiteral("Batch URL"), T::Url, false, {}, {}, {}},
        {QStringLiteral("batch_size"), QStringLiteral("Batch size"), T::Integer, false, 100, {}, {}},
        {QStringLiteral("batch_wrapper"),
         QStringLiteral("Batch list key"),
         T::Text,
         false,
         QStringLiteral("people"),
         {},
         {}},
        {QStringLiteral("batch_results_path"),
         QStringLiteral("Batch results are under"),
         T::FieldPath,
         false,
         QStringLiteral("results"),
         {},
         {}},
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
    s.batchWrapper = json.value(QLatin1String("batch_wrapper")).toString(s.batchWrapper);
    s.batchResultsPath = json.value(QLatin1String("batch_results_path")).toString(s.batchResultsPath);
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
    for (const char *key : {"find_records_path", "id_path", "batch_results_path"})
        if (!validPath(json, key))
            return settingError(QLatin1String(key), QStringLiteral("not a field path"));
    if (!s.bodyTemplate.contains(QLatin1String("$record")))
        return settingError(QStringLiteral("body_template"), QStringLiteral("must contain $record"));
    const QJsonObject headers = json.value(QLatin1String("headers")).toObject();
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
