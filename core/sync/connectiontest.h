#pragma once

#include "core/common/expected.h"
#include "core/sync/connectionruntime.h"
#include "core/sync/project.h"

namespace transom::sync {

/// Makes one real call with a connection, as "Test connection" in the studio does: a source fetches its
/// first page; a sink looks up an external id no record has (an authenticated GET on its find URL), or,
/// without a find URL, GETs its base URL. Returns a sentence for a person ("Connected: 12 records on the
/// first page") or the vendor's error with the HTTP status. Blocks the calling thread on a local event
/// loop with its own HTTP client: call it off the UI thread. Counts against no stored rate budget.
Expected<QString> testConnection(const Project &project, const QString &connectionName,
                                 const connect::PresetLibrary &presets, const SecretAccess &secrets,
                                 int timeoutMs = 20000);

/// The records of a source connection's first page, for the studio's samples ("Fetch…"). Same blocking
/// rules as testConnection: call it off the UI thread.
Expected<QList<QJsonObject>> fetchFirstPage(const Project &project, const QString &connectionName,
                                            const connect::PresetLibrary &presets, const SecretAccess &secrets,
                                            int timeoutMs = 20000);

} // namespace transom::sync
