#include "sandbox/router.h"

namespace transom::sandbox {

void Router::add(const char *method, const char *pattern, const char *endpoint, Handler handler)
{
    QRegularExpression re(QRegularExpression::anchoredPattern(QString::fromLatin1(pattern)));
    re.optimize();
    m_routes.push_back(Route{QByteArray(method), re, QString::fromLatin1(endpoint), std::move(handler)});
}

Router::Match Router::find(const Request &request) const
{
    Match out;
    for (const Route &route : m_routes) {
        QRegularExpressionMatch m = route.path.match(request.path);
        if (!m.hasMatch())
            continue;
        if (route.method != request.method) {
            out.pathKnown = true;
            continue;
        }
        out.handler = &route.handler;
        out.endpoint = route.endpoint;
        out.captures = m;
        return out;
    }
    return out;
}

} // namespace transom::sandbox
