#pragma once

#include "core/auth/requestsigner.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

namespace transom::connect {

/// One setting of a connector, described so the studio can build its form and validate input.
struct SettingSpec {
    /// Headers: a JSON object of header names and their values.
    enum class Type { Text, Url, Secret, Integer, Boolean, Choice, FieldPath, Headers };
    QString key;
    QString label;
    Type type = Type::Text;
    bool required = false;
    QJsonValue defaultValue;
    QStringList choices;
    QString help;
};

/// A page of records from a source, or why there is none.
struct SourcePage {
    QList<QByteArray> records; ///< each record as compact JSON text, as the source sent it
    /// The records as objects (a record that is not a JSON object reads as an empty one).
    QList<QJsonObject> objects() const;
    bool last = true;
    int httpStatus = 0;
    QString error;          ///< empty on success
    bool retryable = false; ///< the same page may be asked for again
    qint64 retryAfterMs = 0;
    int skippedAsSeen = 0; ///< records of the overlap window already delivered by an earlier poll
    QStringList problems;  ///< records that could not be read at all (file sources), with where and why
};

/// Where records come from. A source is driven on one thread: call start(), then next() until a page
/// says `last`; checkpoint() is what a later run passes to start() to continue from there.
class Source {
public:
    virtual ~Source() = default;
    using PageReady = std::function<void(const SourcePage &page)>;

    virtual void start(const QJsonObject &checkpoint) = 0;
    virtual void next(PageReady ready) = 0;
    /// Only valid once every page up to the last has been settled by the caller.
    virtual QJsonObject checkpoint() const = 0;
    virtual int requestsMade() const = 0;
};

/// A mapped record on its way to the destination.
struct SinkRecord {
    QString sourceId;
    QString externalId;    ///< the id the destination can be searched by (often the source id)
    QString destinationId; ///< known when the record was delivered before: update instead of create
    QByteArray body;       ///< the mapped record as compact JSON
    QString requestId;     ///< sent as X-Request-Id and logged, to match our log with the vendor's
};

/// What the destination said, classified: success, worth retrying, or not.
struct DeliveryResult {
    enum class Outcome { Created, Updated, Retryable, Permanent };
    Outcome outcome = Outcome::Permanent;
    int httpStatus = 0;
    QString destinationId;
    QString message;                ///< the server's own words when it gave any
    qint64 retryAfterMs = -1;       ///< from Retry-After, -1 when absent
    bool duplicate = false;         ///< 409: the destination already holds this record
    bool outcomeUnknown = false;    ///< the request may have taken effect (no reply, a 5xx or a 408)
    bool updateUnsupported = false; ///< refused here: a known record on a sink that can only create
    bool unreachable = false;       ///< no connection could be made (refused, unresolved) or the request timed out

    bool succeeded() const { return outcome == Outcome::Created || outcome == Outcome::Updated; }
};

/// Where records go. Driven on one thread; every call answers through its callback.
class Sink {
public:
    virtual ~Sink() = default;
    using Delivered = std::function<void(const DeliveryResult &result)>;
    using Found = std::function<void(bool found, const QString &destinationId, const DeliveryResult &failure)>;

    virtual void deliver(const SinkRecord &record, Delivered done) = 0;
    /// Looks a record up by its external id (to settle an outcome that is unknown).
    virtual void find(const QString &externalId, Found done) = 0;
    /// Whether a record the destination already holds (its destination id known) can be changed there.
    /// A sink that can only create must not be sent such a record: that would make a second one.
    virtual bool canUpdate() const { return false; }
    virtual bool supportsBatch() const { return false; }
    virtual int batchSize() const { return 1; }
    virtual void deliverBatch(const QList<SinkRecord> &records,
                              std::function<void(const QList<DeliveryResult> &)> done);
    virtual int requestsMade() const = 0;
};

} // namespace transom::connect
