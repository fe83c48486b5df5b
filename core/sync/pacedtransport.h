#pragma once

#include "core/net/httpclient.h"
#include "core/sync/ratelimiter.h"

#include <QObject>
#include <QTimer>

#include <deque>

namespace transom::sync {

/// Sends requests through a RateLimiter: each waits until the limiter allows it (even pacing, every
/// window, the in-flight cap, Retry-After), and every reply's rate headers go back to the limiter.
/// One per connection; lives on the connection's thread.
class PacedTransport : public QObject, public net::Transport {
    Q_OBJECT
public:
    PacedTransport(net::Transport &inner, RateLimiter &limiter, QObject *parent = nullptr);

    void send(net::HttpRequest request, Callback done) override;
    int waiting() const { return int(m_queue.size()); }
    /// How long the requests waiting now will take under the current budget.
    qint64 estimateMs() const { return m_limiter.estimateMs(qint64(m_queue.size())); }

private:
    void pump();

    struct Pending {
        net::HttpRequest request;
        Callback done;
    };
    net::Transport &m_inner;
    RateLimiter &m_limiter;
    std::deque<Pending> m_queue;
    QTimer m_timer;
    bool m_pumpPosted = false;
};

} // namespace transom::sync
