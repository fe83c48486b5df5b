#pragma once

#include "core/store/syncstore.h"
#include "core/sync/connectionruntime.h"
#include "core/sync/project.h"
#include "core/sync/webhookverifier.h"

#include <QAbstractHttpServer>
#include <QHash>
#include <QHostAddress>
#include <QTimer>

#include <memory>

namespace transom::sync {

/// Where a vendor pushes events for a job, and how it signs them.
struct WebhookEndpoint {
    QString path; ///< e.g. /hooks/portal
    QString job;
    WebhookScheme scheme = WebhookScheme::StandardWebhooks;
    QByteArray secret; ///< the shared signing secret, as the vendor shows it (never logged)
    int toleranceSeconds = WebhookVerifier::kDefaultToleranceSeconds;
    /// Larger bodies are refused 413: on their Content-Length before any of the body is read, and a
    /// chunked one as soon as its chunks go past it (the connection's "max_body_bytes").
    qint64 maxBodyBytes = kDefaultMaxBodyBytes;
    static constexpr qint64 kDefaultMaxBodyBytes = 1024 * 1024;
    static constexpr qint64 kLargestMaxBodyBytes = 64 * 1024 * 1024;
    QString eventIdPath = QStringLiteral("id"); ///< in the body, when the scheme has no id header (Stripe)
};

/// The endpoint of a webhook job: its trigger's path, the signature scheme and tolerance (the trigger's
/// "scheme"/"tolerance_seconds" over the source connection's "webhook" over its preset's; Standard
/// Webhooks and 300 s when none says), and the connection's webhook_secret. Fails with a message that
/// says what to change (no secret, an unknown scheme, the retired body-only settings).
Expected<WebhookEndpoint> webhookEndpointFor(const Project &project, const JobConfig &job,
                                             const connect::PresetLibrary &presets, const SecretAccess &secrets);

/// Receives vendor pushes: checks the signature with the endpoint's scheme (WebhookVerifier: id and
/// time signed, constant-time compare, 300 s tolerance), refuses bad or stale signatures (401),
/// non-JSON (400) and oversized bodies (413), answers 503 for a job that cannot run (the vendor keeps
/// the event and sends it again), and answers 200 only after the event is durably in the inbox with
/// its event id and signed time. Events arriving within a millisecond or two share one commit. A
/// resend of an event already held (same job and event id) is answered 200 and changes nothing.
/// Loopback unless told otherwise.
///
/// Nothing a client sends is held without a bound (see Limits): the request head and body are watched as
/// they arrive, before Qt's server buffers them; a body larger than its endpoint's maxBodyBytes is refused
/// 413 on its Content-Length or, chunked, as soon as it goes past; a head or body that is too slow is
/// answered 408 and the connection closed; connections beyond maxConnections are answered 503 and closed;
/// deliveries beyond the pending bound are answered 503 with Retry-After.
class WebhookReceiver : public QAbstractHttpServer {
    Q_OBJECT
public:
    struct Limits {
        int maxConnections = 256;                    ///< open at once; more are answered 503 and closed
        int headerTimeoutMs = 10000;                 ///< to send a request head (and, kept alive, for the next one)
        int bodyTimeoutMs = 30000;                   ///< to send a body, from the end of its head
        int maxHeaderBytes = 64 * 1024;              ///< a longer request head is answered 431
        int maxPendingDeliveries = 512;              ///< waiting to be stored; more are answered 503 (Retry-After)
        qint64 maxPendingBytes = 64LL * 1024 * 1024; ///< the bodies of those, together
        int groupDeliveriesMs = 1;                   ///< deliveries that arrive within this share one commit
    };

    explicit WebhookReceiver(const QString &storePath, QObject *parent = nullptr);
    ~WebhookReceiver() override;

    bool isReady(QString *error = nullptr) const;
    /// Fails when the endpoint's secret cannot be used with its scheme (see WebhookVerifier::create).
    Expected<bool> addEndpoint(const WebhookEndpoint &endpoint);
    quint16 start(quint16 port = 0, const QHostAddress &address = QHostAddress::LocalHost);
    /// While held, new connections wait in the system's queue, unanswered (serve holds them until its
    /// jobs have been opened, so that the first deliveries meet jobs that are known to run or not).
    void holdConnections(bool hold);
    /// Applies to connections accepted and requests read from now on.
    void setLimits(const Limits &limits);
    const Limits &limits() const { return m_limits; }
    /// Connections open now.
    int openConnections() const { return int(m_connections.size()); }
    /// Bytes of requests read into memory since the start (not those thrown away after a refusal).
    qint64 bytesRead() const { return m_bytesRead; }

    /// Deliveries for `job` are answered 503 (Retry-After) until setJobAvailable(job); `reason` goes to
    /// the rejected() signal, not to the vendor.
    void setJobUnavailable(const QString &job, const QString &reason);
    void setJobAvailable(const QString &job);
    /// Why deliveries for `job` are refused; empty when they are taken.
    QString unavailableReason(const QString &job) const { return m_unavailable.value(job); }

    /// Seconds a vendor is asked to wait (Retry-After) before sending again to a job that cannot run.
    static constexpr int kRetryAfterSeconds = 30;
    /// Seconds a vendor is asked to wait when the receiver is busy (too many connections or deliveries).
    static constexpr int kBusyRetryAfterSeconds = 5;

Q_SIGNALS:
    /// Events were stored for `job` (new ones only).
    void eventsStored(const QString &job, int count);
    /// A delivery was refused; `reason` names why, never the secret.
    void rejected(const QString &path, int status, const QString &reason);
    /// A delivery with a valid signature came for a job marked unavailable (it was answered 503).
    void deliveryForUnavailableJob(const QString &job);

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    struct Route {
        WebhookEndpoint endpoint;
        WebhookVerifier verifier;
    };
    struct Pending;
    struct Connection;
    class Listener;
    void commitPending();
    /// Answers a request read whole (and, on a kept-alive connection, waits for the next one).
    void reply(QTcpSocket *socket, int status, const QByteArray &body, const QByteArray &extraHeaders = {});
    void acceptConnection(Listener *listener, qintptr descriptor);
    void read(Connection *c);
    bool readHead(Connection *c, QByteArrayView &data);
    bool readChunks(Connection *c, QByteArrayView &data);
    void requestRead(Connection *c);
    void refuseEarly(Connection *c, int status, const QString &why);
    void timedOut(Connection *c);
    qint64 bodyLimitFor(QByteArrayView path) const;

    std::unique_ptr<store::SyncStorage> m_store;
    QString m_storeError;
    QHash<QString, std::shared_ptr<const Route>> m_routes;
    QHash<QString, QString> m_unavailable; ///< job → why it cannot run now
    std::vector<std::unique_ptr<Pending>> m_pending;
    qint64 m_pendingBytes = 0;
    QTimer m_commitTimer;
    Limits m_limits;
    QHash<QTcpSocket *, Connection *> m_connections;
    qint64 m_bytesRead = 0;
    bool m_saidFull = false; ///< the connection limit was reported, and not left since
};

} // namespace transom::sync
