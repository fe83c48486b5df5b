// The system keychain (QtKeychain), optionally scoped to one project and the origins of each secret.
#include "core/auth/secretstore.h"
#include "core/auth/secretstoredetail.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <qt6keychain/keychain.h>

namespace transom::auth {

using detail::checkNames;
using detail::remember;

KeychainStore::KeychainStore(QString service) : m_service(std::move(service)), m_jobs(std::make_unique<QObject>()) {}

KeychainStore::~KeychainStore() = default;

namespace {

const QLatin1String envelopeMark("transom_secret");

/// A scoped entry's text: the secret and the origins it was saved for.
QString envelope(const QString &value, const QString &origin)
{
    return QString::fromUtf8(
        QJsonDocument(
            QJsonObject{{envelopeMark, 1}, {QStringLiteral("origin"), origin}, {QStringLiteral("value"), value}})
            .toJson(QJsonDocument::Compact));
}

struct Opened {
    QString value;
    std::optional<QString> origin; ///< none: not an envelope (an entry written without a scope)
};

Opened open(const QString &text)
{
    const QJsonObject o = QJsonDocument::fromJson(text.toUtf8()).object();
    if (o.value(envelopeMark).toInt() != 1 || !o.value(QLatin1String("value")).isString())
        return {text, std::nullopt};
    return {o.value(QLatin1String("value")).toString(), o.value(QLatin1String("origin")).toString()};
}

} // namespace

QString KeychainStore::entryName(const QString &connection, const QString &key) const
{
    const QString plain = connection + QLatin1Char('/') + key;
    return m_scope.projectId.isEmpty() ? plain : m_scope.projectId + QLatin1Char('/') + plain;
}

void KeychainStore::readEntry(const QString &entry, std::function<void(const Expected<std::optional<QString>> &)> done)
{
    auto *job = new QKeychain::ReadPasswordJob(m_service); // see start()
    job->setKey(entry);
    start(job, [done = std::move(done)](QKeychain::Job &finished, const std::optional<Error> &problem) {
        if (problem)
            return done(*problem);
        if (finished.error() == QKeychain::EntryNotFound)
            return done(std::optional<QString>{});
        done(std::optional<QString>{static_cast<QKeychain::ReadPasswordJob &>(finished).textData()});
    });
}

void KeychainStore::read(const QString &connection, const QString &key, ReadCallback done)
{
    lookup(connection, key, [done = std::move(done)](const Expected<Lookup> &found) {
        if (!found)
            return done(found.error());
        done(found->value); // a secret whose origins changed is not handed out: lookup() says why
    });
}

void KeychainStore::lookup(const QString &connection, const QString &key, LookupCallback done)
{
    if (auto problem = checkNames(connection, key))
        return done(*problem);
    const QString current = m_scope.originOf ? m_scope.originOf(connection, key) : QString();
    const bool scoped = !m_scope.projectId.isEmpty();
    readEntry(entryName(connection, key), [this, connection, key, current, scoped,
                                           done = std::move(done)](const Expected<std::optional<QString>> &text) {
        if (!text)
            return done(text.error());
        if (text.value()) {
            const Opened entry = open(*text.value());
            remember(entry.value);
            if (!scoped || (entry.origin && *entry.origin == current))
                return done(Lookup{entry.value, std::nullopt});
            return done(
                Lookup{SecretValue{}, SecretOriginChange{connection, key, entry.origin.value_or(QString()), current}});
        }
        if (!scoped)
            return done(Lookup{});
        // Not saved for this project: an earlier Transom may hold one under the bare name, for any project.
        readEntry(connection + QLatin1Char('/') + key,
                  [connection, key, current, done](const Expected<std::optional<QString>> &legacy) {
                      if (!legacy)
                          return done(legacy.error());
                      if (!legacy.value())
                          return done(Lookup{});
                      remember(open(*legacy.value()).value);
                      done(Lookup{SecretValue{}, SecretOriginChange{connection, key, QString(), current}});
                  });
    });
}

void KeychainStore::adopt(const QString &connection, const QString &key, ChangeCallback done)
{
    if (auto problem = checkNames(connection, key))
        return done(*problem);
    auto keep = [this, connection, key, done](const QString &value) { write(connection, key, value, done); };
    readEntry(entryName(connection, key), [this, connection, key, keep,
                                           done](const Expected<std::optional<QString>> &text) {
        if (!text)
            return done(text.error());
        if (text.value())
            return keep(open(*text.value()).value);
        if (m_scope.projectId.isEmpty())
            return done(false);
        readEntry(connection + QLatin1Char('/') + key, [keep, done](const Expected<std::optional<QString>> &legacy) {
            if (!legacy)
                return done(legacy.error());
            if (!legacy.value())
                return done(false);
            keep(open(*legacy.value()).value);
        });
    });
}

void KeychainStore::write(const QString &connection, const QString &key, const QString &value, ChangeCallback done)
{
    if (auto problem = checkNames(connection, key))
        return done(*problem);
    remember(value);
    auto *job = new QKeychain::WritePasswordJob(m_service); // see start()
    job->setKey(entryName(connection, key));
    job->setTextData(m_scope.projectId.isEmpty()
                         ? value
                         : envelope(value, m_scope.originOf ? m_scope.originOf(connection, key) : QString()));
    start(job, [done = std::move(done)](QKeychain::Job &, const std::optional<Error> &problem) {
        problem ? done(*problem) : done(true);
    });
}

void KeychainStore::remove(const QString &connection, const QString &key, ChangeCallback done)
{
    if (auto problem = checkNames(connection, key))
        return done(*problem);
    auto *job = new QKeychain::DeletePasswordJob(m_service); // see start()
    job->setKey(entryName(connection, key));
    start(job, [done = std::move(done)](QKeychain::Job &finished, const std::optional<Error> &problem) {
        problem ? done(*problem) : done(finished.error() != QKeychain::EntryNotFound);
    });
}

QString KeychainStore::location(const QString &connection, const QString &key) const
{
    return QStringLiteral("the system keychain (service \"%1\", entry \"%2\")")
        .arg(m_service, entryName(connection, key));
}

void KeychainStore::start(QKeychain::Job *job,
                          std::function<void(QKeychain::Job &, const std::optional<Error> &)> finished)
{
    // A job is never deleted while the Secret Service still owes it an answer (QtKeychain's libsecret
    // backend calls back into it): it has no parent and deletes itself once finished. When this store
    // goes first, m_jobs takes the connection with it, so `finished` never runs.
    job->setAutoDelete(true);
    QObject::connect(job, &QKeychain::Job::finished, m_jobs.get(),
                     [this, finished = std::move(finished)](QKeychain::Job *done) {
                         std::optional<Error> problem;
                         if (done->error() != QKeychain::NoError && done->error() != QKeychain::EntryNotFound)
                             problem = failure(*done);
                         else
                             m_backend = Backend::Available;
                         finished(*done, problem);
                     });
    job->start();
}

Error KeychainStore::failure(const QKeychain::Job &job)
{
    // Whether the keychain works is decided by what it just did, never by the words of its error: a
    // Secret Service that is missing, locked or broken often says only "Unknown error".
    m_backend = Backend::Unavailable;
    const QString entry = QStringLiteral("\"%1\" in the system keychain").arg(job.key());
    const QString said = job.errorString().isEmpty() ? QStringLiteral("no reason given") : job.errorString();
    switch (job.error()) {
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        return Error{QStringLiteral("no system keychain is available (%1). On a desktop, start and unlock GNOME "
                                    "Keyring or KWallet; on a server, use a credentials file or TRANSOM_SECRET_… "
                                    "environment variables instead")
                         .arg(said)};
    case QKeychain::AccessDeniedByUser:
        return Error{QStringLiteral("access to %1 was refused; allow Transom when the keychain asks, then try "
                                    "again")
                         .arg(entry)};
    case QKeychain::AccessDenied:
        return Error{QStringLiteral("the keychain refused access to %1 (%2); unlock the keychain, then try again")
                         .arg(entry, said)};
    default:
        break;
    }
    return Error{QStringLiteral("the system keychain could not handle \"%1\" (it said: %2)").arg(job.key(), said)};
}

} // namespace transom::auth
