#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrlQuery>

namespace transom::sandbox {

/// One HTTP request as the sandbox's vendors see it: header names lower-cased.
struct Request {
    QByteArray method; ///< "GET", "POST", ...
    QString path;
    QUrlQuery query;
    QHash<QByteArray, QByteArray> headers;
    QByteArray body;
    QString baseUrl; ///< scheme://host:port of this server, for links in replies

    QByteArray header(const char *name) const { return headers.value(QByteArray(name)); }
    /// The body as a JSON object; false when it is not one.
    bool jsonBody(QJsonObject &out) const;
    /// The body as application/x-www-form-urlencoded fields.
    QUrlQuery form() const;
};

/// A reply before it is written: status, headers, body.
struct Reply {
    int status = 200;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;

    static Reply json(int status, const QJsonObject &body);
    static Reply json(int status, const QJsonValue &body);
    static Reply html(int status, const QByteArray &body);
    /// RFC 6749 §5.2 style: {"error": code, "error_description": description}.
    static Reply error(int status, const QString &code, const QString &description);
    Reply &header(const QByteArray &name, const QByteArray &value);
};

} // namespace transom::sandbox
