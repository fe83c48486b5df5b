#pragma once

#include "core/auth/requestsigner.h"
#include "core/connect/connector.h"
#include "core/mapping/fieldpath.h"
#include "core/mapping/sourcerecord.h"

namespace transom::connect {

/// Settings of a REST sink, as stored in a connection (no secrets here). URLs are templates:
/// {destination_id}, {external_id} and {key} are filled per record (percent-encoded).
struct RestSinkSettings {
    enum class Mode {
        Create,  ///< POST new records; a known one is updated by id when there is an update_url
        Upsert,  ///< update when the destination id is known, else create
        PutByKey ///< PUT to a URL keyed by the record's own id (UUID-keyed CRMs): naturally idempotent
    };
    Mode mode = Mode::Create;
    QString createUrl; ///< e.g. http://host/v1/people
    QString updateUrl; ///< e.g. http://host/v1/people/{destination_id}
    QString updateMethod = QStringLiteral("PUT");
    QString putUrl;                ///< e.g. http://host/v2/leads/{key}
    QString findUrl;               ///< e.g. http://host/v1/people?externalId={external_id}
    bool findBeforeCreate = false; ///< upsert: look a new record up by external id first
    /// create: the create endpoint changes the record it already holds (an events intake that matches
    /// people by e-mail and phone), so a changed record is POSTed again; without it and without an
    /// update_url, a changed record is not sent (a second POST would make a second record).
    bool updateByCreate = false;
    /// Sent with every create, carrying the record's external id, for vendors that honour an
    /// idempotency key (a create repeated with the same key is not done twice). Empty: none.
    QString idempotencyKeyHeader;
    /// The vendor answers a second create of the same external id with 409 naming the record's id:
    /// a create whose answer was lost can simply be sent again.
    bool duplicateIsDelivered = false;
    /// Whether a create whose answer was lost can be settled without risking a second record: a
    /// lookup by external id, an idempotency key, a 409 that names the record, or an intake that
    /// merges what it is sent.
    bool resolvesUncertainCreates() const;
    QString findRecordsPath = QStringLiteral("people");
    QString idPath = QStringLiteral("id");            ///< the destination id in a create reply and in found records
    QString bodyTemplate = QStringLiteral("$record"); ///< JSON text with "$record" standing for the mapped record
    QString batchUrl;                                 ///< empty: no batch endpoint
    int batchSize = 100;
    /// How a batch is sent: {"<batch_wrapper>": [...]}, a bare JSON array, or one record per line.
    enum class BatchBody { Wrapped, Array, Ndjson };
    BatchBody batchBody = BatchBody::Wrapped;
    QString batchWrapper = QStringLiteral("people");      ///< the list's key in a wrapped batch body
    QString batchResultsPath = QStringLiteral("results"); ///< the per-record results; empty: the reply is the list
    /// How a result is matched to its record: by its place in the list, or by the external id it names.
    enum class BatchMatch { Position, Id };
    BatchMatch batchMatch = BatchMatch::Position;
    QString batchResultIdPath;                                ///< BatchMatch::Id: the external id in a result
    QString batchResultStatusPath = QStringLiteral("status"); ///< an HTTP status, or a word (batchSuccessStatuses)
    QString batchResultErrorPath; ///< a failed result's message; empty: read like an error reply
    /// Status words that mean the record was taken (compared without case); "updated" counts as an update.
    QStringList batchSuccessStatuses = {QStringLiteral("created"), QStringLiteral("updated"), QStringLiteral("ok"),
                                        QStringLiteral("success")};
    net::HeaderList headers; ///< non-secret headers for every call (secrets go in the signer)
    int timeoutMs = 30000;

    static QList<SettingSpec> spec();
    static Expected<RestSinkSettings> fromJson(const QJsonObject &json);
};

/// Delivers mapped records to a REST API: create, update, upsert, PUT by key, or batches where the
/// vendor has them; each reply classified as success, retryable or permanent with the server's message.
/// It never re-sends on its own: retries and lookups after unknown outcomes belong to the engine.
class RestSink final : public Sink {
public:
    RestSink(RestSinkSettings settings, auth::AuthorizedClient &client);

    void deliver(const SinkRecord &record, Delivered done) override;
    void find(const QString &externalId, Found done) override;
    bool canUpdate() const override;
    bool supportsBatch() const override { return !m_settings.batchUrl.isEmpty(); }
    int batchSize() const override { return m_settings.batchSize; }
    void deliverBatch(const QList<SinkRecord> &records,
                      std::function<void(const QList<DeliveryResult> &)> done) override;
    int requestsMade() const override { return m_requests; }

private:
    net::HttpRequest request(const QByteArray &method, const QString &urlTemplate, const SinkRecord &record,
                             const QByteArray &body) const;
    QByteArray wrap(const QByteArray &record) const;
    QByteArray batchBody(const QList<SinkRecord> &records) const;
    /// Sends `request`, made from the setting `setting`; a request without a usable URL is never sent:
    /// it fails at once as a local error that names the setting.
    void send(const char *setting, net::HttpRequest request, std::function<void(const net::HttpResponse &)> done);
    void write(const SinkRecord &record, Delivered done);
    bool readSuccesses(const QByteArray &reply, QList<DeliveryResult> &results) const;
    /// Each record's result from a batch reply the server accepted as a whole. The reply is untrusted:
    /// a record it does not account for clearly (no result, a result that is not an object, an id named
    /// twice, a list of the wrong length) gets an unknown outcome, to be looked up before it is sent again.
    QList<DeliveryResult> readBatchResults(const net::HttpResponse &response, const QList<SinkRecord> &records) const;
    DeliveryResult readBatchItem(const QJsonValue &item, qint64 now) const;

    RestSinkSettings m_settings;
    auth::AuthorizedClient &m_client;
    mapping::FieldPath m_idPath;
    mapping::FieldPath m_findRecordsPath;
    mapping::FieldPath m_batchResultsPath;
    mapping::FieldPath m_statusPath;
    mapping::FieldPath m_resultIdPath;
    mapping::FieldPath m_resultErrorPath;
    QByteArray m_batchOpen;                               ///< before the first record of a batch body
    QByteArray m_batchSeparator;                          ///< between two records
    QByteArray m_batchClose;                              ///< after the last
    std::unique_ptr<mapping::RecordParser> m_replyParser; ///< batch replies, read on the sink's thread
    QByteArray m_bodyPrefix;
    QByteArray m_bodySuffix;
    int m_requests = 0;
    mutable QString m_fixedUrlText; ///< the last placeholder-free address parsed, and its QUrl
    mutable QUrl m_fixedUrl;
};

} // namespace transom::connect
