#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPair>
#include <QUrl>

#include <deque>
#include <functional>
#include <memory>

namespace transom::net {

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

/// One HTTP request. Bodies and header values may hold secrets: never log a request whole.
struct HttpRequest {
    QByteArray method = QByteArrayLiteral("GET");
    QUrl url;
    HeaderList headers;
    QByteArray body;
    int timeoutMs = 30000;
    /// A reply whose body is larger is refused (on its Content-Length, or as soon as it goes past): the
    /// transfer ends with a transport error that says so and `tooLarge` set.
    qint64 maxReplyBytes = kDefaultMaxReplyBytes;
    static constexpr qint64 kDefaultMaxReplyBytes = 64LL * 1024 * 1024;
};

/// What came back: a status and body, or a transport error (status 0) with curl's reason.
struct HttpResponse {
    int status = 0;
    HeaderList headers;
    QByteArray body;
    QString transportError; ///< empty when an HTTP reply arrived
    bool timedOut = false;
    /// The request may have reached the server but no reply came (a dropped connection after sending):
    /// the caller must find out whether it took effect before sending it again.
    bool outcomeUnknown = false;
    bool newConnection = false; ///< false when a kept-alive connection was reused
    /// The request could not be made here (a malformed or missing URL, a scheme libcurl lacks): it
    /// never left, and sending it again will not help.
    bool localError = false;
    /// The server could not be reached: the connection was refused or could not be made (or resolved), or
    /// the request timed out. A run reports the time its destination was unreachable.
    bool unreachable = false;
    /// The reply's body was larger than the request's maxReplyBytes: it was not read. Sending again
    /// brings the same reply; the server may have acted on the request.
    bool tooLarge = false;
    qint64 elapsedUs = 0;

    bool ok() const { return transportError.isEmpty() && status >= 200 && status < 300; }
    /// The first header with this name, compared case-insensitively.
    QByteArray header(const QByteArray &name) const;
};

/// Something that carries HTTP requests: the real client, or a layer over it (pacing, credentials).
class Transport {
public:
    using Callback = std::function<void(const HttpResponse &)>;
    virtual ~Transport() = default;
    /// Sends a request; `done` runs later on the caller's thread, never from inside send().
    virtual void send(HttpRequest request, Callback done) = 0;
};

/// An asynchronous HTTP/1.1 client on libcurl's multi interface, driven by the event loop of the thread
/// it lives on (socket notifiers and a timer, no extra threads). Connections are kept alive and reused;
/// at most `maxInFlight` requests run at once and the rest wait in order. Use it from its own thread only.
class HttpClient : public QObject, public Transport {
    Q_OBJECT
public:
    explicit HttpClient(int maxInFlight = 32, QObject *parent = nullptr);
    ~HttpClient() override;

    /// Queues a request; `done` runs on this thread when it completes (never from inside send()).
    void send(HttpRequest request, Callback done) override;
    /// Sends and runs a local event loop until the reply arrives. For command-line tools and tests only:
    /// never call it on a UI thread.
    HttpResponse sendAndWait(HttpRequest request);

    int inFlight() const;
    int queued() const;
    void setMaxInFlight(int max);

private:
    struct Transfer;
    struct Multi;
    void startQueued();
    void start(std::unique_ptr<Transfer> transfer);
    void drainCompleted();

    std::unique_ptr<Multi> m_multi;
    std::deque<std::unique_ptr<Transfer>> m_queue;
    int m_maxInFlight;
    bool m_drainPosted = false; ///< a drain is queued for transfers that ended while being started
};

} // namespace transom::net
