#pragma once

#include "sandbox/http.h"

#include <QRegularExpression>

#include <functional>
#include <vector>

namespace transom::sandbox {

/// Routes requests by method and path pattern to handlers, each under an endpoint name that fault
/// plans and counters use ("crm.people.create").
class Router {
public:
    using Handler = std::function<Reply(const Request &, const QRegularExpressionMatch &)>;

    /// `pattern` is a regular expression matched against the whole path.
    void add(const char *method, const char *pattern, const char *endpoint, Handler handler);

    struct Match {
        const Handler *handler = nullptr;
        QString endpoint;
        QRegularExpressionMatch captures;
        bool pathKnown = false; ///< the path exists under another method
    };
    Match find(const Request &request) const;

private:
    struct Route {
        QByteArray method;
        QRegularExpression path;
        QString endpoint;
        Handler handler;
    };
    std::vector<Route> m_routes;
};

} // namespace transom::sandbox
