#include "core/net/httpclient.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QHash>
#include <QSocketNotifier>
#include <QTimer>

#include <curl/curl.h>

#include <mutex>
#include <unordered_map>

namespace transom::net {

QByteArray HttpResponse::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

namespace {

/// Where a reply's body goes, and how much of it may come.
struct BodySink {
    QByteArray *body = nullptr;
    qint64 max = HttpRequest::kDefaultMaxReplyBytes;
    bool overflowed = false;
};

} // namespace

struct HttpClient::Transfer {
    CURL *easy = nullptr;
    curl_slist *headerList = nullptr;
    HttpRequest request;
    QByteArray url;
    HttpResponse response;
    BodySink sink;
    Callback done;
    int attempts = 0; ///< requests curl put on the wire for this transfer
    QElapsedTimer timer;
    char errorBuffer[CURL_ERROR_SIZE] = {};
    std::pair<int *, bool> sendGuard{&attempts, false};
};

struct HttpClient::Multi {
    CURLM *handle = nullptr;
    QTimer timer;
    struct Watch {
        QSocketNotifier *read = nullptr;
        QSocketNotifier *write = nullptr;
    };
    QHash<curl_socket_t, Watch> watches;
    std::unordered_map<CURL *, std::unique_ptr<Transfer>> active;
    std::vector<CURL *> idle;
};

namespace {

size_t onBody(char *data, size_t size, size_t count, void *userp)
{
    auto *sink = static_cast<BodySink *>(userp);
    const qint64 n = qint64(size * count);
    if (sink->body->size() + n > sink->max) { // a short count ends the transfer (CURLE_WRITE_ERROR)
        sink->overflowed = true;
        return 0;
    }
    sink->body->append(data, qsizetype(n));
    return size * count;
}

size_t onHeader(char *data, size_t size, size_t count, void *userp)
{
    auto *headers = static_cast<HeaderList *>(userp);
    const QByteArrayView line = QByteArrayView(data, qsizetype(size * count)).trimmed();
    if (line.startsWith("HTTP/")) {
        headers->clear(); // a new response (after 100 Continue or a redirect) starts over
    } else if (const qsizetype colon = line.indexOf(':'); colon > 0) {
        headers->append({line.first(colon).trimmed().toByteArray(), line.sliced(colon + 1).trimmed().toByteArray()});
    }
    return size * count;
}

/// libcurl silently re-sends a request whose reused connection closed before any reply. For a POST
/// that reached the server, that is a blind duplicate: refuse the second send of a request that is not
/// idempotent, and let the caller settle the unknown outcome (look the record up) instead.
int onBeforeSend(void *clientp, char *, char *, int, int)
{
    auto *attempts = static_cast<std::pair<int *, bool> *>(clientp);
    ++*attempts->first;
    return (*attempts->first > 1 && !attempts->second) ? CURL_PREREQFUNC_ABORT : CURL_PREREQFUNC_OK;
}

void globalInit()
{
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

} // namespace

HttpClient::HttpClient(int maxInFlight, QObject *parent)
    : QObject(parent), m_multi(std::make_unique<Multi>()), m_maxInFlight(std::max(1, maxInFlight))
{
    globalInit();
    m_multi->handle = curl_multi_init();
    m_multi->timer.setSingleShot(true);
    connect(&m_multi->timer, &QTimer::timeout, this, [this] {
        int running = 0;
        curl_multi_socket_action(m_multi->handle, CURL_SOCKET_TIMEOUT, 0, &running);
        drainCompleted();
    });
    curl_multi_setopt(m_multi->handle, CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(m_multi->handle, CURLMOPT_TIMERDATA, this);
    curl_multi_setopt(m_multi->handle, CURLMOPT_MAXCONNECTS, long(m_maxInFlight) * 2);
    using SocketFn = int (*)(CURL *, curl_socket_t, int, void *, void *);
    SocketFn onSocket = [](CURL *, curl_socket_t fd, int what, void *userp, void *) -> int {
        auto *self = static_cast<HttpClient *>(userp);
        auto &watches = self->m_multi->watches;
        if (what == CURL_POLL_REMOVE) {
            // Keep-alive connections are removed after every transfer and added back for the next
            // one: park the notifiers (disabled, so a closed descriptor is never polled) instead of
            // deleting and creating two QObjects per request. A later socket with the same number
            // reuses them; they are deleted with the client.
            const auto it = watches.find(fd);
            if (it != watches.end()) {
                for (QSocketNotifier *n : {it->read, it->write})
                    if (n && n->isEnabled())
                        n->setEnabled(false);
            }
            return 0;
        }
        Multi::Watch &w = watches[fd];
        auto notifier = [self, fd](QSocketNotifier::Type type, int action) {
            auto *n = new QSocketNotifier(qintptr(fd), type, self);
            QObject::connect(n, &QSocketNotifier::activated, self, [self, fd, action] {
                int running = 0;
                curl_multi_socket_action(self->m_multi->handle, fd, action, &running);
                self->drainCompleted();
            });
            return n;
        };
        if (!w.read)
            w.read = notifier(QSocketNotifier::Read, CURL_CSELECT_IN);
        if (!w.write)
            w.write = notifier(QSocketNotifier::Write, CURL_CSELECT_OUT);
        const bool read = what == CURL_POLL_IN || what == CURL_POLL_INOUT;
        const bool write = what == CURL_POLL_OUT || what == CURL_POLL_INOUT;
        if (w.read->isEnabled() != read)
            w.read->setEnabled(read);
        if (w.write->isEnabled() != write)
            w.write->setEnabled(write);
        return 0;
    };
    using TimerFn = int (*)(CURLM *, long, void *);
    TimerFn onTimer = [](CURLM *, long timeoutMs, void *userp) -> int {
        auto *self = static_cast<HttpClient *>(userp);
        if (timeoutMs < 0)
            self->m_multi->timer.stop();
        else
            self->m_multi->timer.start(int(timeoutMs));
        return 0;
    };
    curl_multi_setopt(m_multi->handle, CURLMOPT_SOCKETFUNCTION, onSocket);
    curl_multi_setopt(m_multi->handle, CURLMOPT_TIMERFUNCTION, onTimer);
}

HttpClient::~HttpClient()
{
    for (auto &[easy, transfer] : m_multi->active) {
        curl_multi_remove_handle(m_multi->handle, easy);
        curl_slist_free_all(transfer->headerList);
        curl_easy_cleanup(easy);
    }
    m_multi->active.clear();
    for (CURL *easy : m_multi->idle)
        curl_easy_cleanup(easy);
    curl_multi_cleanup(m_multi->handle);
    for (const Multi::Watch &w : std::as_const(m_multi->watches)) {
        delete w.read;
        delete w.write;
    }
}

int HttpClient::inFlight() const
{
    return int(m_multi->active.size());
}

int HttpClient::queued() const
{
    return int(m_queue.size());
}

void HttpClient::setMaxInFlight(int max)
{
    m_maxInFlight = std::max(1, max);
    startQueued();
}

void HttpClient::send(HttpRequest request, Callback done)
{
    auto transfer = std::make_unique<Transfer>();
    transfer->request = std::move(request);
    transfer->done = std::move(done);
    m_queue.push_back(std::move(transfer));
    startQueued();
}

void HttpClient::startQueued()
{
    bool started = false;
    while (!m_queue.empty() && inFlight() < m_maxInFlight) {
        std::unique_ptr<Transfer> next = std::move(m_queue.front());
        m_queue.pop_front();
        start(std::move(next));
        started = true;
    }
    if (!started)
        return;
    // Written to the socket now rather than when curl's zero-length timer comes round in the event
    // loop: a reused connection takes the request at once, and a reply the caller waits for (the
    // next page of a cursor-paged feed) comes back one turn of the busy loop sooner. A transfer that
    // has already ended here (a refused connection) is reported from the event loop, never from
    // inside send().
    int running = 0;
    curl_multi_socket_action(m_multi->handle, CURL_SOCKET_TIMEOUT, 0, &running);
    if (running < inFlight() && !m_drainPosted) {
        m_drainPosted = true;
        QMetaObject::invokeMethod(
            this,
            [this] {
                m_drainPosted = false;
                drainCompleted();
            },
            Qt::QueuedConnection);
    }
}

void HttpClient::start(std::unique_ptr<Transfer> t)
{
    CURL *easy = nullptr;
    if (!m_multi->idle.empty()) {
        easy = m_multi->idle.back();
        m_multi->idle.pop_back();
        curl_easy_reset(easy);
    } else {
        easy = curl_easy_init();
    }
    t->easy = easy;
    t->url = t->request.url.toEncoded();
    curl_easy_setopt(easy, CURLOPT_URL, t->url.constData());
    curl_easy_setopt(easy, CURLOPT_PRIVATE, t.get());
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, long(t->request.timeoutMs));
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, long(std::min(t->request.timeoutMs, 10000)));
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, t->errorBuffer);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, onBody);
    t->sink = {&t->response.body, std::max<qint64>(0, t->request.maxReplyBytes), false};
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &t->sink);
    // A Content-Length above the cap ends the transfer before any of the body is read.
    curl_easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(t->sink.max));
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, onHeader);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, &t->response.headers);
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    const QByteArray &method = t->request.method;
    if (method == "GET") {
        curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
    } else {
        if (method != "POST")
            curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, method.constData());
        if (method != "HEAD" && method != "DELETE") {
            curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(t->request.body.size()));
            curl_easy_setopt(easy, CURLOPT_POSTFIELDS, t->request.body.constData());
        }
        if (method == "HEAD")
            curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
    }
    const bool idempotent = method == "GET" || method == "HEAD" || method == "PUT" || method == "DELETE" ||
                            std::any_of(t->request.headers.cbegin(), t->request.headers.cend(), [](const auto &h) {
                                return h.first.compare("Idempotency-Key", Qt::CaseInsensitive) == 0;
                            });
    t->sendGuard = {&t->attempts, idempotent};
    curl_easy_setopt(easy, CURLOPT_PREREQFUNCTION, onBeforeSend);
    curl_easy_setopt(easy, CURLOPT_PREREQDATA, &t->sendGuard);
    for (const auto &[name, value] : std::as_const(t->request.headers))
        t->headerList = curl_slist_append(t->headerList, QByteArray(name + ": " + value).constData());
    t->headerList = curl_slist_append(t->headerList, "Expect:"); // no 100-continue round trip
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, t->headerList);
    t->timer.start();
    m_multi->active.emplace(easy, std::move(t));
    curl_multi_add_handle(m_multi->handle, easy);
}

void HttpClient::drainCompleted()
{
    std::vector<std::unique_ptr<Transfer>> finished;
    int pending = 0;
    while (CURLMsg *msg = curl_multi_info_read(m_multi->handle, &pending)) {
        if (msg->msg != CURLMSG_DONE)
            continue;
        CURL *easy = msg->easy_handle;
        const CURLcode result = msg->data.result;
        auto it = m_multi->active.find(easy);
        if (it == m_multi->active.end())
            continue;
        std::unique_ptr<Transfer> t = std::move(it->second);
        m_multi->active.erase(it);
        long status = 0;
        long connects = 0;
        curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
        curl_easy_getinfo(easy, CURLINFO_NUM_CONNECTS, &connects);
        t->response.status = result == CURLE_OK ? int(status) : 0;
        t->response.newConnection = connects > 0;
        t->response.elapsedUs = t->timer.nsecsElapsed() / 1000;
        if (result != CURLE_OK) {
            t->response.timedOut = result == CURLE_OPERATION_TIMEDOUT;
            t->response.transportError =
                QString::fromUtf8(t->errorBuffer[0] ? t->errorBuffer : curl_easy_strerror(result));
            // Unless the request never left (no connection), the server may have acted on it. A request
            // put on the wire once (onBeforeSend counted it) may have been acted on whatever ends the
            // transfer: after a reused connection closes with no reply, libcurl connects again, and
            // when that is refused (the server went away) it reports "couldn't connect".
            t->response.localError = result == CURLE_URL_MALFORMAT || result == CURLE_UNSUPPORTED_PROTOCOL ||
                                     result == CURLE_BAD_FUNCTION_ARGUMENT || result == CURLE_NOT_BUILT_IN;
            t->response.outcomeUnknown =
                !t->response.localError &&
                (t->attempts > 0 || (result != CURLE_COULDNT_CONNECT && result != CURLE_COULDNT_RESOLVE_HOST));
            t->response.unreachable = result == CURLE_COULDNT_CONNECT || result == CURLE_COULDNT_RESOLVE_HOST ||
                                      result == CURLE_OPERATION_TIMEDOUT;
            if (result == CURLE_FILESIZE_EXCEEDED || (result == CURLE_WRITE_ERROR && t->sink.overflowed)) {
                // Sending again brings the same reply: not a network failure. The server answered, so it
                // may have acted on the request.
                t->response.tooLarge = true;
                t->response.unreachable = false;
                t->response.body.clear();
                const qint64 mib = t->sink.max / (1024 * 1024);
                t->response.transportError =
                    QStringLiteral("the reply from %1 is larger than %2")
                        .arg(t->request.url.host(), mib > 0 && t->sink.max % (1024 * 1024) == 0
                                                        ? QStringLiteral("%1 MiB").arg(mib)
                                                        : QStringLiteral("%1 bytes").arg(t->sink.max));
            }
            if (result == CURLE_ABORTED_BY_CALLBACK && t->attempts > 1)
                t->response.transportError =
                    QStringLiteral("the connection closed after the request was sent, with no "
                                   "reply; it was not sent again because it is not idempotent");
        }
        curl_multi_remove_handle(m_multi->handle, easy);
        curl_slist_free_all(t->headerList);
        t->headerList = nullptr;
        m_multi->idle.push_back(easy);
        finished.push_back(std::move(t));
    }
    startQueued();
    for (auto &t : finished)
        t->done(t->response);
}

HttpResponse HttpClient::sendAndWait(HttpRequest request)
{
    QEventLoop loop;
    HttpResponse result;
    send(std::move(request), [&](const HttpResponse &r) {
        result = r;
        loop.quit();
    });
    loop.exec();
    return result;
}

} // namespace transom::net
