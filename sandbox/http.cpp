#include "sandbox/http.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace transom::sandbox {

bool Request::jsonBody(QJsonObject &out) const
{
    QJsonParseError e;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &e);
    if (e.error != QJsonParseError::NoError || !doc.isObject())
        return false;
    out = doc.object();
    return true;
}

QUrlQuery Request::form() const
{
    QUrlQuery q;
    // '+' means a space in form bodies; QUrlQuery leaves it alone.
    QByteArray text = body;
    text.replace('+', ' ');
    q.setQuery(QString::fromUtf8(text));
    return q;
}

Reply Reply::json(int status, const QJsonObject &body)
{
    return json(status, QJsonValue(body));
}

Reply Reply::json(int status, const QJsonValue &body)
{
    Reply r;
    r.status = status;
    r.body = body.isArray() ? QJsonDocument(body.toArray()).toJson(QJsonDocument::Compact)
                            : QJsonDocument(body.toObject()).toJson(QJsonDocument::Compact);
    r.headers.append({QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")});
    return r;
}

Reply Reply::html(int status, const QByteArray &body)
{
    Reply r;
    r.status = status;
    r.body = body;
    r.headers.append({QByteArrayLiteral("Content-Type"), QByteArrayLiteral("text/html; charset=utf-8")});
    return r;
}

Reply Reply::error(int status, const QString &code, const QString &description)
{
    return json(status,
                QJsonObject{{QStringLiteral("error"), code}, {QStringLiteral("error_description"), description}});
}

Reply &Reply::header(const QByteArray &name, const QByteArray &value)
{
    headers.append({name, value});
    return *this;
}

} // namespace transom::sandbox
