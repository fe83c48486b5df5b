#pragma once

#include "core/common/expected.h"
#include "core/connect/connectorregistry.h"

#include <QJsonObject>
#include <QList>
#include <QString>

namespace transom::sync {

/// A connection in a project: which preset (or connector) it uses, where, and the non-secret parts
/// of its credentials. Secrets (client secret, API key, refresh token) live in a SecretStore.
struct ConnectionConfig {
    QString name;
    QString preset;    ///< id of a preset; its settings are the defaults
    QString connector; ///< "rest" or "file"
    QString kind;      ///< "source" or "sink"
    QString baseUrl;
    QJsonObject settings; ///< overrides of the preset's settings
    QJsonObject auth;     ///< style and non-secret values (client id, header names)
    QJsonObject limits;   ///< {"windows": [{"limit": 100, "per": "minute"}], "max_in_flight": 8}
    QJsonObject webhook;  ///< signature settings for pushed events
};

/// How a job runs: on demand, polling every N minutes, or from pushed webhook events.
struct TriggerConfig {
    enum class Kind { OnDemand, Poll, Webhook };
    Kind kind = Kind::OnDemand;
    int everyMinutes = 5;
    QString path;       ///< webhook: the receiver path, e.g. /hooks/portal
    QString recordPath; ///< webhook: where the record sits in an event, e.g. "lead"
    /// webhook: the signature scheme and tolerance, over the source connection's (empty, 0: theirs)
    QString scheme;
    int toleranceSeconds = 0;
};

struct RetryConfig {
    int maxAttempts = 6;
    int baseMs = 2000; ///< 2 s, 4 s, 8 s ... with jitter
    int capMs = 300000;
};

/// A job: records from a source connection, through a mapping, to a sink connection.
struct JobConfig {
    QString name;
    QString source;
    QString mapping; ///< path of the mapping document (relative to the project file)
    QString sink;
    TriggerConfig trigger;
    RetryConfig retry;
    QString externalIdField; ///< where the mapped record carries the id the destination can be searched by
    bool batch = false;
    /// "version_field": the source record's modification time (ISO 8601 or epoch seconds/ms), compared with
    /// the version the ledger last delivered so that an older version never overwrites a newer one. When
    /// the job names none, the source connection's "watermark_field"; "" turns the comparison off (webhook
    /// events are then compared by the time their signature covers, when their scheme signs one).
    QString versionField;
    bool versionFieldSet = false; ///< the job names a version_field (possibly "")
    /// "samples": {"source": ..., "target": ...}: files the studio opens beside the mapping (absolute)
    QString sourceSamples;
    QString targetSamples;
};

/// A Transom project file: versioned JSON, no secrets. Paths inside are relative to the file.
class Project {
public:
    static constexpr int formatVersion = 1;
    static Expected<Project> load(const QString &path);
    static Expected<Project> parse(const QByteArray &json, const QString &path);

    QString name;
    /// Who the project is to the system keychain: "id" in the file, else one derived from the file's path
    /// (derivedId). Secrets saved in the keychain for one project are never handed to another.
    QString id;
    QString file;
    /// "time_zone": the brokerage's home time zone (IANA id); times that carry no zone are read in it.
    QString timeZone;
    QString storePath; ///< the SQLite file
    QString logDir;
    bool maskPii = false; ///< "logging": {"mask_pii": true}: e-mail addresses and phone numbers masked in logs
    QList<ConnectionConfig> connections;
    QList<JobConfig> jobs;

    /// The id of a project file without an "id": the same for the same file, different for another.
    static QString derivedId(const QString &path);

    const ConnectionConfig *connection(const QString &connectionName) const;
    const JobConfig *job(const QString &jobName) const;
    /// A path from the project file made absolute.
    QString resolve(const QString &relative) const;
    /// A connection's settings: the preset's, with {base} filled in, then the project's overrides.
    QJsonObject effectiveSettings(const ConnectionConfig &c, const connect::PresetLibrary &presets) const;
    QJsonObject effectiveAuth(const ConnectionConfig &c, const connect::PresetLibrary &presets) const;
    QJsonObject effectiveLimits(const ConnectionConfig &c, const connect::PresetLibrary &presets) const;
};

} // namespace transom::sync
