#pragma once

#include "core/common/expected.h"
#include "core/sync/project.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace transom::sync {

/// Auth styles a connection may use, in the order the connection editor offers them.
QStringList authStyles();

/// The secrets a connection needs besides what the project file says, by key as a SecretStore files
/// them: "client_secret", "api_key", "token", a secret header ("x-system-key") and, for a source that
/// receives webhooks, "webhook_secret". The refresh token of an authorization-code sign-in is left out:
/// it comes from signing in, not from a form.
QStringList secretKeys(const QJsonObject &effectiveAuth, bool receivesWebhooks);

/// What a connection inherits for each setting of `spec`: its preset's value (still with {base}), else
/// the connector's default.
QJsonObject inheritedSettings(const QList<connect::SettingSpec> &spec, const QJsonObject &presetSettings);

/// The values a connection form starts with: the inherited ones with the connection's own on top.
QJsonObject formSettings(const QList<connect::SettingSpec> &spec, const QJsonObject &presetSettings,
                         const QJsonObject &overrides);

/// The settings a connection stores after an edit in a form: the values that differ from what it
/// inherits, and its earlier overrides the form left unchanged. An empty text means "inherit". Keys of
/// `previous` that the form does not show are kept as they were.
QJsonObject settingOverrides(const QList<connect::SettingSpec> &spec, const QJsonObject &presetSettings,
                             const QJsonObject &previous, const QJsonObject &formValues);

/// `project` with `connection` in place of its namesake (appended when it is new). For trying out an
/// edit, e.g. testing a connection before saving it.
Project withConnection(Project project, const ConnectionConfig &connection);

/// Writes `connection` into the project file at `projectPath`: its entry under "connections" gets the
/// connection's preset, connector, kind, base URL, settings, auth, limits and webhook (empty ones
/// removed); every other key of the file and of that entry stays as it was. A file without an "id" gets
/// the one it had until then (Project::derivedId), so its keychain entries follow it when it moves. Secret values that
/// found their way into `auth` are dropped, never written. The file is replaced atomically.
Expected<bool> saveConnection(const QString &projectPath, const ConnectionConfig &connection);

/// Points the jobs of the project file at `projectPath` that use the mapping `fromMapping` at `toMapping`
/// instead (written relative to the project when it lies in the project's folder). Every other key stays
/// as it was; the file is replaced atomically. Returns how many jobs changed (0: the file is untouched).
Expected<int> repointJobMappings(const QString &projectPath, const QString &fromMapping, const QString &toMapping);

/// The credentials file the commands read for this project: $TRANSOM_CREDENTIALS, else credentials.json
/// beside the project file.
QString credentialsPath(const Project &project);

} // namespace transom::sync
