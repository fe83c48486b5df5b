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
        m_file->write(connection, key, value, std::move(done));
        return;
    }
    KeychainStore *keychain = m_keychain.get(); // callbacks never run once the keychain store is gone
    m_keychain->write(
        connection, key, value,
        [keychain, file = m_file, connection, key, value, done = std::move(done)](const Expected<bool> &r) {
            if (!r && keychain->backend() == KeychainStore::Backend::Unavailable)
                file->write(connection, key, value, done);
            else
                done(r);
        });
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
