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
    qint64 maxBodyBytes = 1024 * 1024;
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
class WebhookReceiver : public QAbstractHttpServer {
    Q_OBJECT
public:
    explicit WebhookReceiver(const QString &storePath, QObject *parent = nullptr);
    ~WebhookReceiver() override;

    bool isReady(QString *error = nullptr) const;
    /// Fails when the endpoint's secret cannot be used with its scheme (see WebhookVerifier::create).
    Expected<bool> addEndpoint(const WebhookEndpoint &endpoint);
    quint16 start(quint16 port = 0, const QHostAddress &address = QHostAddress::LocalHost);
    /// While held, new connections wait in the system's queue, unanswered (serve holds them until its
    /// jobs have been opened, so that the first deliveries meet jobs that are known to run or not).
    void holdConnections(bool hold);

    /// Deliveries for `job` are answered 503 (Retry-After) until setJobAvailable(job); `reason` goes to
    /// the rejected() signal, not to the vendor.
    void setJobUnavailable(const QString &job, const QString &reason);
    void setJobAvailable(const QString &job);
    /// Why deliveries for `job` are refused; empty when they are taken.
    QString unavailableReason(const QString &job) const { return m_unavailable.value(job); }

    /// Seconds a vendor is asked to wait (Retry-After) before sending again to a job that cannot run.
    static constexpr int kRetryAfterSeconds = 30;

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
    void commitPending();
    static void reply(QTcpSocket *socket, int status, const QByteArray &body, const QByteArray &extraHeaders = {});

    std::unique_ptr<store::SyncStorage> m_store;
    QString m_storeError;
    QHash<QString, std::shared_ptr<const Route>> m_routes;
    QHash<QString, QString> m_unavailable; ///< job → why it cannot run now
    std::vector<std::unique_ptr<Pending>> m_pending;
    QTimer m_commitTimer;
};

} // namespace transom::sync
