#include "core/auth/desktopsecretstore.h"

namespace transom::auth {

DesktopSecretStore::DesktopSecretStore(QString credentialsPath, QString service)
    : m_keychain(std::make_unique<KeychainStore>(std::move(service)))
    , m_file(std::make_shared<CredentialsFileStore>(std::move(credentialsPath)))
{}

DesktopSecretStore::~DesktopSecretStore() = default;

void DesktopSecretStore::read(const QString &connection, const QString &key, ReadCallback done)
{
    if (m_keychain->backend() == KeychainStore::Backend::Unavailable) {
        m_file->read(connection, key, std::move(done));
        return;
    }
    m_keychain->read(connection, key,
                     [file = m_file, connection, key, done = std::move(done)](const Expected<SecretValue> &value) {
                         if (value && value.value()) {
                             done(value);
                             return;
                         }
                         file->read(connection, key, done); // not in the keychain, or no keychain
                     });
}

void DesktopSecretStore::write(const QString &connection, const QString &key, const QString &value, ChangeCallback done)
{
    if (m_keychain->backend() == KeychainStore::Backend::Unavailable) {
        writeToFile(connection, key, value, done);
        return;
    }
    // Callbacks never run once the keychain store is gone, and it goes with this object.
    m_keychain->write(connection, key, value, [this, connection, key, value, done](const Expected<bool> &written) {
        if (written) {
            done(written);
            return;
        }
        // Whatever the reason, the secret must not be lost: the keychain did not take it, the file will.
        m_keychainProblem = written.error().message;
        writeToFile(connection, key, value, done);
    });
}

void DesktopSecretStore::writeToFile(const QString &connection, const QString &key, const QString &value,
                                     const ChangeCallback &done)
{
    const Expected<bool> written = m_file->writeNow(connection, key, value);
    if (!written) {
        done(m_keychainProblem.isEmpty()
                 ? written
                 : Expected<bool>(Error{QStringLiteral("the system keychain could not store it (%1), nor the "
                                                       "credentials file: %2")
                                            .arg(m_keychainProblem, written.error().toString())}));
        return;
    }
    ++m_fileWrites;
    done(written);
}

QString DesktopSecretStore::fileNotice(int since) const
{
    if (m_fileWrites <= since)
        return {};
    const QString why = m_keychainProblem.isEmpty() ? QStringLiteral("there is no system keychain on this computer")
                                                    : m_keychainProblem;
    return QStringLiteral("The secrets could not go to the system keychain: %1. They are saved instead in the "
                          "credentials file %2, which only your user can read or change (mode 0600); Transom's "
                          "runs read them from there.")
        .arg(why, m_file->path());
}

void DesktopSecretStore::remove(const QString &connection, const QString &key, ChangeCallback done)
{
    // From both: a value left in the file would come back when the keychain goes away.
    const Expected<bool> fromFile = m_file->removeNow(connection, key);
    if (m_keychain->backend() == KeychainStore::Backend::Unavailable) {
        done(fromFile);
        return;
    }
    m_keychain->remove(connection, key, [fromFile, done = std::move(done)](const Expected<bool> &r) {
        if (!fromFile)
            done(fromFile);
        else if (r)
            done(r.value() || fromFile.value());
        else
            done(fromFile); // no keychain: the file was all there was
    });
}

QString DesktopSecretStore::location(const QString &connection, const QString &key) const
{
    switch (m_keychain->backend()) {
    case KeychainStore::Backend::Available:
        return m_keychain->location(connection, key);
    case KeychainStore::Backend::Unavailable:
        return m_file->location(connection, key);
    case KeychainStore::Backend::Unknown:
        break;
    }
    return QStringLiteral("%1, else %2").arg(m_keychain->location(connection, key), m_file->location(connection, key));
}

} // namespace transom::auth
