#pragma once

#include "core/common/expected.h"
#include "core/sync/project.h"

namespace transom::sync {

/// Checks, before anything is sent, every URL of a connection that receives a secret: its auth
/// endpoints (token_url, authorize_url, revoke_url, any other "*_url" of "auth"), and when requests
/// are signed (an auth style, or secret headers) its base_url and every "url"/"*_url" setting. Each
/// must be https://, or http:// to this machine (auth::secretUrlProblem). The error names the
/// connection, the setting and the URL.
Expected<bool> checkSecretUrls(const Project &project, const ConnectionConfig &connection,
                               const connect::PresetLibrary &presets);

/// checkSecretUrls for every connection of the project: the first refusal.
Expected<bool> checkSecretUrls(const Project &project, const connect::PresetLibrary &presets);

/// The origins ("https://crm.example.com", "http://127.0.0.1:8765"; sorted, space-separated) a secret of
/// a connection is sent to: for an OAuth client secret or refresh token, those of the auth endpoints; for
/// a webhook secret none (it only checks signatures); for a key, token or secret header, those of every
/// URL the connection signs (base_url and each "url"/"*_url" setting). The keychain ties each secret to
/// them, so a project that would send it elsewhere asks first (auth::SecretScope).
QString secretOrigins(const Project &project, const ConnectionConfig &connection, const connect::PresetLibrary &presets,
                      const QString &key);

} // namespace transom::sync
