#pragma once

#include "core/auth/secretstore.h"

#include <memory>

namespace transom::auth {

/// Where the studio keeps the secrets typed into a connection: the system keychain when the machine has
/// one, otherwise the project's credentials file (mode 0600, as CredentialsFileStore checks), which the
/// headless commands read too. Reads ask the keychain first, then the file. A write goes to the keychain
/// and, when the keychain does not take it for whatever reason (a headless machine, no Secret Service, a
/// locked or broken one), to the file: a secret is never lost. Whether the keychain works is learnt by
/// trying it, never from the words of its errors; after one failure, writes go straight to the file.
class DesktopSecretStore final : public SecretStore {
public:
    explicit DesktopSecretStore(QString credentialsPath, QString service = QStringLiteral("Transom"));
    ~DesktopSecretStore() override;

    void read(const QString &connection, const QString &key, ReadCallback done) override;
    void write(const QString &connection, const QString &key, const QString &value, ChangeCallback done) override;
    void remove(const QString &connection, const QString &key, ChangeCallback done) override;
    bool isWritable() const override { return true; }
    QString location(const QString &connection, const QString &key) const override;

    /// Keychain entries of one project, tied to the origins their secrets go to (KeychainStore::setScope).
    /// The credentials file is the project's own already.
    void setScope(SecretScope scope) { m_keychain->setScope(std::move(scope)); }

    /// Whether writes go to the keychain (Available), to the file (Unavailable), or are not known yet.
    KeychainStore::Backend backend() const { return m_keychain->backend(); }
    const QString &credentialsPath() const { return m_file->path(); }
    /// Secrets written to the credentials file so far, because the keychain did not take them.
    int fileWrites() const { return m_fileWrites; }
    /// For the person who saved: where the secrets written after the first `since` file writes went and
    /// why, in plain words; empty when none went to the file.
    QString fileNotice(int since = 0) const;

private:
    void writeToFile(const QString &connection, const QString &key, const QString &value, const ChangeCallback &done);

    std::unique_ptr<KeychainStore> m_keychain;
    std::shared_ptr<CredentialsFileStore> m_file; ///< shared with callbacks of keychain jobs
    QString m_keychainProblem;                    ///< the keychain's last refusal of a write
    int m_fileWrites = 0;
};

} // namespace transom::auth
