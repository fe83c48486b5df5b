#pragma once

#include "core/connect/connectorregistry.h"
#include "core/sync/connectionruntime.h"
#include "core/sync/projectsetup.h"

#include <QHostAddress>
#include <QIODevice>
#include <QString>
#include <QStringList>

namespace transom::sync::commands {

/// Exit codes of transom-run's engine commands (documented in --help and the README).
enum Exit : int {
    Ok = 0,             ///< every record delivered (or nothing to do)
    NeedsAttention = 1, ///< the run completed; some records are in dead letters
    Failed = 2,         ///< a job could not run or lost its source or destination; or bad input
    Stopped = 3,        ///< stopped by a signal before the end
    Usage = 64,
};

struct Context {
    QString projectPath;
    QString credentialsFile; ///< empty: $TRANSOM_CREDENTIALS, else credentials.json beside the project
    QIODevice *out = nullptr;
    QIODevice *err = nullptr;
};

/// `transom-run run PROJECT [--job NAME]...`: runs the jobs to completion and prints a summary.
int run(const Context &context, const QStringList &jobs);
/// Where serve takes webhooks: `HOST:PORT`, `:PORT` (loopback), `[IPv6]:PORT`; HOST an address or a
/// host name (resolved once, at start: its first address is bound).
struct ListenAddress {
    QString host;         ///< as given ("localhost", "10.0.0.5"; "127.0.0.1" when none was)
    QHostAddress address; ///< what is bound
    quint16 port = 0;     ///< 0: any free port
    /// "localhost (127.0.0.1)", or the address alone when that is what was given.
    QString shown() const;
};
Expected<ListenAddress> parseListen(const QString &listen);

/// `transom-run serve PROJECT`: polls and receives webhooks until SIGTERM/SIGINT (QCoreApplication::quit).
int serve(const Context &context, const QString &listen);
/// `transom-run deadletters PROJECT list|show|edit|retry|discard ...`
int deadLetters(const Context &context, const QStringList &args);
/// `transom-run trace PROJECT TEXT`: a record's whole path (by id, e-mail, name ...) from logs and store.
int trace(const Context &context, const QString &text);

/// Shared by the commands: the project with its presets and secret stores.
using Setup = ProjectSetup;
/// Loads the project, the presets and the secret stores; otherwise prints why (to context.err, when set)
/// and returns the error.
Expected<bool> load(const Context &context, Setup &setup);
void say(QIODevice *device, const QString &text);
QString describeCounts(const QJsonObject &counts);
/// "; crm unreachable for 41 s (8,012 refused connections), resumed" when the counts hold an outage of the
/// destination ("unreachable"), else empty.
QString describeOutage(const QJsonObject &counts);

} // namespace transom::sync::commands
