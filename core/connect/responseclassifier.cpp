#include "core/connect/responseclassifier.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

namespace transom::connect {

qint64 retryAfterMs(const QByteArray &value, qint64 nowMs)
{
    const QByteArray v = value.trimmed();
    if (v.isEmpty())
        return -1;
    bool ok = false;
    const qint64 seconds = v.toLongLong(&ok);
    if (ok) // a vendor's number: capped at a day before it becomes milliseconds (no overflow)
        return seconds < 0 ? -1 : std::min<qint64>(seconds, 24LL * 3600) * 1000;
    // HTTP-date: "Wed, 21 Oct 2015 07:28:00 GMT"
    QDateTime at = QLocale::c().toDateTime(QString::fromLatin1(v), QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"));
    if (!at.isValid())
        return -1;
    at.setTimeSpec(Qt::UTC);
    return std::max<qint64>(0, at.toMSecsSinceEpoch() - nowMs);
}

QString serverMessage(const QByteArray &body)
{
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    const QJsonObject o = doc.object();
    QStringList parts;
    for (const char *key : {"errorMessage", "message", "error_description", "detail", "title"}) {
        const QString v = o.value(QLatin1String(key)).toString();
        if (!v.isEmpty()) {
            parts.append(v);
            break;
        }
    }
    const QJsonValue error = o.value(QLatin1String("error"));
    if (parts.isEmpty() && error.isString())
        parts.append(error.toString());
    if (parts.isEmpty() && error.isObject())
        parts.append(error.toObject().value(QLatin1String("message")).toString());
    for (const QJsonValue &e : o.value(QLatin1String("errors")).toArray()) {
        const QJsonObject item = e.toObject();
        const QString field = item.value(QLatin1String("field")).toString();
        const QString message = item.value(QLatin1String("message")).toString(e.toString());
        parts.append(field.isEmpty() ? message : QStringLiteral("%1: %2").arg(field, message));
    }
    parts.removeAll(QString());
    if (!parts.isEmpty())
        return parts.join(QLatin1String("; "));
    const QString text = QString::fromUtf8(body.left(300)).simplified();
    return text;
}

DeliveryResult classifyResponse(const net::HttpResponse &response, qint64 nowMs)
{
    DeliveryResult r;
    r.httpStatus = response.status;
    if (response.status == 0 && response.localError) { // a bad URL is not a bad network: no retry mends it
        r.outcome = DeliveryResult::Outcome::Permanent;
        r.message = QStringLiteral("the request could not be made (check the connection's settings): %1")
                        .arg(response.transportError);
        return r;
    }
    if (response.status == 0 && response.tooLarge) { // the same reply would come again: no retry mends it
        r.outcome = DeliveryResult::Outcome::Permanent;
        r.message = response.transportError;
        r.outcomeUnknown = response.outcomeUnknown;
        return r;
    }
    if (response.status == 0) {
        r.outcome = DeliveryResult::Outcome::Retryable;
        r.message = response.transportError;
        r.outcomeUnknown = response.outcomeUnknown;
        r.unreachable = response.unreachable;
        return r;
    }
    r.retryAfterMs = retryAfterMs(response.header("Retry-After"), nowMs);
    const int s = response.status;
    if (s >= 200 && s < 300) {
        r.outcome = s == 201 ? DeliveryResult::Outcome::Created : DeliveryResult::Outcome::Updated;
        return r;
    }
    r.message = serverMessage(response.body);
    if (r.message.isEmpty())
        r.message = QStringLiteral("HTTP %1").arg(s);
    if (s == 408 || s == 425 || s == 429 || s >= 500) {
        r.outcome = DeliveryResult::Outcome::Retryable;
        // A gateway error or timeout can come after the server acted (a lost acknowledgement):
        // a create must be looked up before it is sent again. A 429 or 425 was refused unprocessed.
        r.outcomeUnknown = s != 429 && s != 425;
        return r;
    }
    r.outcome = DeliveryResult::Outcome::Permanent;
    if (s == 409) {
        r.duplicate = true;
        const QJsonValue id = QJsonDocument::fromJson(response.body).object().value(QLatin1String("id"));
        r.destinationId = id.isDouble() ? QString::number(id.toInteger()) : id.toString();
    }
    return r;
}

} // namespace transom::connect
