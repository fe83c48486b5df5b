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

} // namespace transom::sync
