#include "core/auth/secreturl.h"

#include <QHostAddress>
#include <QUrl>

namespace transom::auth {

bool isLoopbackHost(const QString &host)
{
    QString name = host.toLower();
    if (name.endsWith(QLatin1Char('.')))
        name.chop(1);
    if (name == QLatin1String("localhost"))
        return true;
    QHostAddress address;
    return address.setAddress(name) && address.isLoopback();
}

QString secretUrlProblem(const QString &text)
{
    const QUrl url(text.trimmed());
    if (text.trimmed().isEmpty() || !url.isValid() || url.scheme().isEmpty() || url.host().isEmpty())
        return QStringLiteral("it is not a full URL (scheme and host)");
    if (!url.userInfo().isEmpty())
        return QStringLiteral("it holds a user name or password before '@', and would go to %1: put credentials in "
                              "the credentials file or the keychain")
            .arg(url.host());
    const QString scheme = url.scheme().toLower();
    if (scheme == QLatin1String("https"))
        return {};
    if (scheme == QLatin1String("http")) {
        if (isLoopbackHost(url.host()))
            return {};
        return QStringLiteral("plain http:// to %1 would send the secret unencrypted; use https:// (http:// is "
                              "accepted only for this machine: localhost, 127.0.0.0/8, ::1)")
            .arg(url.host());
    }
    return QStringLiteral("%1:// is not allowed; use https:// (or http:// for this machine only)").arg(scheme);
}

} // namespace transom::auth
