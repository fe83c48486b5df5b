#pragma once

#include "core/connect/connector.h"
#include "core/net/httpclient.h"

namespace transom::connect {

/// Sorts an HTTP outcome into success, retryable (network errors, 408, 425, 429, 5xx) or permanent
/// (a request that could not be made here, such as a bad URL; a reply larger than the request's cap; 400, 401 after a
/// refresh, 403, 404, 409 as a duplicate, 422 and other 4xx), keeping the server's message (errorMessage, message,
/// error_description, error, errors[].message with their fields) and Retry-After (seconds or an HTTP date).
DeliveryResult classifyResponse(const net::HttpResponse &response, qint64 nowMs);

/// The human part of an error body, or a short excerpt of it.
QString serverMessage(const QByteArray &body);

/// Retry-After as milliseconds from `nowMs`, -1 when absent or unreadable.
qint64 retryAfterMs(const QByteArray &value, qint64 nowMs);

} // namespace transom::connect
