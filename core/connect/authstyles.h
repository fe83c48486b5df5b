#pragma once

#include "core/connect/connector.h"

namespace transom::connect {

/// One way a connection signs its calls (the "style" of a connection's "auth"), described as data: the
/// studio's sign-in form, the connector reference (docs/connectors.md) and the runtime's error for an
/// unknown style all read this list.
struct AuthStyleSpec {
    QString style;             ///< "bearer", "oauth_client_credentials", ...
    QString label;             ///< as the studio names it
    QString help;              ///< what it sends, in a sentence
    QList<SettingSpec> values; ///< the non-secret keys of "auth" it reads
    QStringList secrets;       ///< the secrets it needs (credentials file, keychain or environment)
    QJsonObject example;       ///< an "auth" object using it
};

/// Every auth style, in the order the studio offers them.
const QList<AuthStyleSpec> &authStyleSpecs();
/// The spec of `style`; null when there is no such style.
const AuthStyleSpec *findAuthStyle(const QString &style);
/// The keys every style accepts besides its own: extra_headers, secret_headers.
const QList<SettingSpec> &authCommonValues();

} // namespace transom::connect
