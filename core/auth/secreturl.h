#pragma once

#include <QString>

namespace transom::auth {

/// True for a host that is this machine: "localhost", 127.0.0.0/8 and ::1 (as a URL's host, without
/// brackets). Names that merely start with them ("127.0.0.1.evil.example") are not.
bool isLoopbackHost(const QString &host);

/// Why `url` may not receive a secret (a client secret, a token, an API key), or an empty string when it
/// may: it must be https://, or http:// to this machine (isLoopbackHost), and hold no user name or
/// password ("http://127.0.0.1@evil.example" goes to evil.example).
QString secretUrlProblem(const QString &url);

} // namespace transom::auth
