#include "core/sync/pacedtransport.h"

namespace transom::sync {

PacedTransport::PacedTransport(net::Transport &inner, RateLimiter &limiter, QObject *parent)
    : QObject(parent), m_inner(inner), m_limiter(limiter)
{
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &PacedTransport::pump);
}

void PacedTransport::send(net::HttpRequest request, Callback done)
{
    m_queue.push_back({std::move(request), std::move(done)});
    // Never answer from inside send(); one posted pump for all the sends of a burst.
    if (!m_timer.isActive() && !m_pumpPosted) {
        m_pumpPosted = true;
        QMetaObject::invokeMethod(
            this,
            [this] {
                m_pumpPosted = false;
                pump();
            },
            Qt::QueuedConnection);
    }
}

void PacedTransport::pump()
{
    while (!m_queue.empty()) {
        const qint64 wait = m_limiter.msUntilNextCall();
        if (wait == RateLimiter::kWaitForSlot)
            return; // a finishing call pumps again
        if (wait > 0) {
            m_timer.start(int(std::min<qint64>(wait, 24 * 3600 * 1000)));
            return;
        }
        Pending next = std::move(m_queue.front());
        m_queue.pop_front();
        m_limiter.callStarted();
        m_inner.send(std::move(next.request), [this, done = std::move(next.done)](const net::HttpResponse &response) {
            m_limiter.callFinished(response.status, response.headers);
            done(response);
            if (!m_timer.isActive())
                pump();
        });
    }
}

} // namespace transom::sync
