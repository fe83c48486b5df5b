#pragma once

#include "core/common/expected.h"

#include <QString>

#include <optional>

/// Checks and bookkeeping every secret store does (secretstore.cpp, keychainstore.cpp).
namespace transom::auth::detail {

/// Why a connection name or key cannot name a secret, or nothing.
std::optional<Error> checkNames(const QString &connection, const QString &key);
/// From now on the value is hidden wherever it would show up in a log.
void remember(const QString &value);

} // namespace transom::auth::detail
