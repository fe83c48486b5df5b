#pragma once

#include "core/store/syncstore.h"

#include <QAbstractHttpServer>
#include <QHash>
#include <QHostAddress>
#include <QTimer>

#include <memory>

namespace transom::sync {

/// How one vendor signs its pushes, and which job they feed.
struct WebhookEndpoint {
    QString path; ///< e.g. /hooks/portal
    QString job;
    QByteArray secret; ///< the shared signing secret (never logged)
    QByteArray signatureHeader = QByteArrayLiteral("X-Transom-Signature");
    QByteArray signaturePrefix = QByteArrayLiteral("sha256=");
    bool base64 = false; ///< signature encoding: hex (default) or base64
    QByteArray eventIdHeader = QByteArrayLiteral("X-Transom-Event-Id");
    QByteArray timestampHeader; ///< when the vendor sends one: reject stale or future deliveries
    int toleranceSeconds = 300;
    qint64 maxBodyBytes = 1024 * 1024;
    QString eventIdPath = QStringLiteral("id"); ///< in the body, when there is no event id header
};

/// Receives vendor pushes: checks the HMAC-SHA256 signature (constant-time compare) and timestamp,
/// refuses bad signatures (401), non-JSON (400) and oversized bodies (413), and answers 200 only after
/// the event is durably in the inbox. Events arriving within a millisecond or two share one commit.
/// A resend of an event already held is answered 200 and changes nothing. Loopback unless told otherwise.
class WebhookReceiver : public QAbstractHttpServer {
    Q_OBJECT
public:
    explicit WebhookReceiver(const QString &storePath, QObject *parent = nullptr);
    ~WebhookReceiver() override;

    bool isReady(QString *error = nullptr) const;
    void addEndpoint(const WebhookEndpoint &endpoint);
    quint16 start(quint16 port = 0, const QHostAddress &address = QHostAddress::LocalHost);

    /// Verifies `signature` (as the header carries it) for `body`.
    static bool verify(const WebhookEndpoint &endpoint, const QByteArray &body, const QByteArray &signature);

Q_SIGNALS:
    /// Events were stored for `job` (new ones only).
    void eventsStored(const QString &job, int count);
    /// A delivery was refused; `reason` names why, never the secret.
    void rejected(const QString &path, int status, const QString &reason);

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    struct Pending;
    void commitPending();
    static void reply(QTcpSocket *socket, int status, const QByteArray &body);

    std::unique_ptr<store::SyncStorage> m_store;
    QString m_storeError;
    QHash<QString, WebhookEndpoint> m_endpoints;
    std::vector<std::unique_ptr<Pending>> m_pending;
    QTimer m_commitTimer;
};

} // namespace transom::sync
