#pragma once

#include "core/common/expected.h"
#include "core/connect/connector.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonObject>

#include <memory>

namespace transom::connect {

/// Describes one connector for the studio's connection editor.
struct ConnectorSpec {
    QString name; ///< "rest", "file"
    QString kind; ///< "source" or "sink"
    QString summary;
    QList<SettingSpec> settings;
};

/// The connectors Transom knows, by kind and name; each builds itself from a connection's settings
/// and describes those settings.
class ConnectorRegistry {
public:
    static const ConnectorRegistry &builtin();

    QList<ConnectorSpec> specs() const { return m_specs; }
    const ConnectorSpec *find(const QString &kind, const QString &name) const;

    Expected<std::unique_ptr<Source>> createSource(const QString &name, const QJsonObject &settings,
                                                   auth::AuthorizedClient &client) const;
    Expected<std::unique_ptr<Sink>> createSink(const QString &name, const QJsonObject &settings,
                                               auth::AuthorizedClient &client) const;

private:
    QList<ConnectorSpec> m_specs;
};

/// A vendor preset: how to talk to one kind of system (auth style, paging, limits, fields), as data
/// in resources/presets/*.json or the user's own preset folder. Settings may use {base} for the
/// connection's base URL.
struct Preset {
    QString id;
    QString name;
    QString kind;         ///< "source" or "sink"
    QString connector;    ///< "rest"
    QJsonObject auth;     ///< {"style": "oauth_client_credentials" | "oauth_authorization_code" | "basic_api_key" |
                          ///< "api_key_header" | "bearer", ...}
    QJsonObject settings; ///< the connector's settings
    QJsonObject limits;   ///< {"windows": [{"limit": 100, "per": "minute"}], "max_in_flight": 10}
    QJsonArray fields;    ///< the record fields this system has (source fields or target fields)
    QJsonObject webhook;  ///< how the vendor signs pushes: signature header, prefix, encoding, timestamp
    QString file;

    /// The settings with {base} replaced.
    QJsonObject settingsFor(const QString &baseUrl) const;
};

/// `object` with {base} in every text value (nested objects too) replaced by `base`.
QJsonObject withBaseUrl(const QJsonObject &object, const QString &base);

/// Loads presets from the shipped folder and any user folders; a broken file is reported by name.
class PresetLibrary {
public:
    static PresetLibrary load(const QStringList &folders, QList<Error> *errors = nullptr);
    static Expected<Preset> parse(const QByteArray &json, const QString &file);

    QList<Preset> presets() const { return m_presets; }
    const Preset *find(const QString &id) const;
    /// The folders presets were looked for in, in order (for messages that say where to put one).
    QStringList folders() const { return m_folders; }

private:
    QList<Preset> m_presets;
    QStringList m_folders;
};

} // namespace transom::connect
