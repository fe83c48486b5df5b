#pragma once

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QString>
#include <QTimeZone>

namespace transom::sandbox {

/// How the sandbox behaves: credentials, token lifetime, limits, data sizes. Everything can be set on
/// the command line of transom-sandbox, and most of it at run time under /_admin.
struct SandboxConfig {
    quint32 seed = 42;
    int leads = 200;
    int listings = 200;
    int agents = 20;
    QString clientId = QStringLiteral("transom-demo");
    QString clientSecret = QStringLiteral("sandbox-client-secret");
    QString username = QStringLiteral("dana");
    QString password = QStringLiteral("sandbox");
    QString apiKey = QStringLiteral("sandbox-api-key");
    int tokenLifetimeSeconds = 3600;
    bool rotateRefreshTokens = true;
    int crmRateLimit = 0; ///< calls per window, 0 = unlimited
    int crmRateWindowSeconds = 10;
    bool crmRejectDuplicates = false; ///< 409 on a second person with the same externalId, naming the existing id
    bool crmNoLookup = false; ///< GET /v1/people?externalId=… answers 404: a vendor without a lookup by external id
    int odataMaxTop = 1000;
    /// When set ("http://127.0.0.1:9999"), the OData feed's @odata.nextLink points there instead of at the
    /// sandbox: a feed that sends its client elsewhere, to test that credentials do not follow.
    QString odataNextLinkBase;
    int odataMinuteQuota = 0; ///< 0 = unlimited
    int odataHourQuota = 0;
    int portalSchemaVersion = 1; ///< 2 renames phone → phone_number and adds a required consent field
    /// How the plain REST contacts CRM's batch reply misbehaves: "" (it does not), "short" (the last result
    /// is missing), "no_ids" (the first result has no external_id), "not_objects" (the first result is a
    /// string), "unknown_id" (the first names an id not sent), "duplicate_id" (the first is listed twice),
    /// "no_status" (the first has no status). Every valid contact is stored all the same.
    QString contactsBatchReply;
};

/// The sandbox's clock: real time plus an offset that tests and demos can move forward
/// (POST /_admin/clock {"advance_seconds": 3600}) to expire tokens or roll a quota day without waiting.
class SandboxClock {
public:
    qint64 nowMs() const { return QDateTime::currentMSecsSinceEpoch() + m_offsetMs; }
    QDateTime now() const { return QDateTime::fromMSecsSinceEpoch(nowMs(), Qt::UTC); }
    void advance(qint64 ms) { m_offsetMs += ms; }

private:
    qint64 m_offsetMs = 0;
};

/// What happened on the wire, by name: "requests.crm.people.create.201", "crm.people.stored",
/// "crm.duplicates.rejected", ... Read over HTTP at GET /_admin/counters.
class Counters {
public:
    void add(const QString &name, qint64 n = 1) { m_values[name] += n; }
    qint64 value(const QString &name) const { return m_values.value(name); }
    void clear() { m_values.clear(); }
    QJsonObject toJson() const;

private:
    QHash<QString, qint64> m_values;
};

/// Faults to inject on one endpoint, as shares of its requests (0..1).
struct FaultPlan {
    double serverError = 0; ///< 503 before anything is stored
    double tooMany = 0;     ///< 429 with Retry-After before anything is stored
    int retryAfterSeconds = 1;
    /// The injected 429s are unrelated to the rate: their X-RateLimit-* headers say budget remains (the
    /// CRM's real budget when it has one). false: a bare 429 with Retry-After only.
    bool tooManyBudgetLeft = true;
    double slow = 0; ///< delay the reply by slowMs
    int slowMs = 0;
    double drop = 0;      ///< close the connection without a reply, nothing stored
    double lostAck = 0;   ///< store the record, then reply 503 or drop the connection
    double malformed = 0; ///< reply 200 with a body that is not JSON
    double badUtf8 = 0;   ///< reply with a byte that is not UTF-8 in the first string of the first record of a list

    static FaultPlan fromJson(const QJsonObject &o);
    QJsonObject toJson() const;
    bool any() const { return serverError + tooMany + slow + drop + lostAck + malformed + badUtf8 > 0; }
};

} // namespace transom::sandbox
