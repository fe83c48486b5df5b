#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace transom {

/// The SHA-1 of `data` (20 bytes): what the ledger keeps to tell a changed record from an unchanged one.
/// Computed with OpenSSL, which uses the CPU's SHA instructions where there are some (QCryptographicHash's
/// portable SHA-1 was a twentieth of the engine's work per record); the bytes are the same.
QByteArray contentHash(QByteArrayView data);

} // namespace transom
