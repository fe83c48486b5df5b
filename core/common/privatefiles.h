#pragma once

#include <QString>

#include <cstdio>

namespace transom::files {

/// Logs, stores and credentials hold contact details (PII) and delivery history: they are for the
/// user who runs Transom only, whatever the process umask says.

/// Creates `folder` and any missing parent, each new one 0700 (folders that exist are left as they
/// are: a shared parent is not the engine's to change). False with `why` when one cannot be made.
bool makePrivateFolder(const QString &folder, QString *why = nullptr);

/// Makes `path` (created empty when missing) readable and writable by its owner only (0600), before
/// a library opens it with the umask's mode. False with `why` when that fails.
bool makePrivateFile(const QString &path, QString *why = nullptr);

/// The same for a file a library has just opened (a rotated log): 0600 through its descriptor.
void makePrivate(std::FILE *file);

} // namespace transom::files
