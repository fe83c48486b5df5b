#pragma once

#include "core/common/expected.h"

#include <QJsonObject>
#include <QMutex>
#include <QString>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

class QObject;
namespace QKeychain {
class Job;
}

namespace transom::auth {

/// A secret's value, or nothing when a store does not hold it (which is not an error).
using SecretValue = std::optional<QString>;

/// Where the secrets of connections live (tokens, client secrets, passwords, API keys), each found by a
/// connection name and a key, e.g. ("crm-oauth", "refresh_token"). Project files never hold secrets: they
/// name the connection, and a SecretStore supplies the values.
///
/// The calls are asynchronous because the system keychain is: `done` runs exactly once, on the calling
/// thread, possibly before the call returns (always so for a SyncSecretStore; the keychain usually
/// answers later, from the event loop). Every value read or written is registered with
/// log::redactor(), so it is hidden in logs from then on.
class SecretStore {
public:
    using ReadCallback = std::function<void(const Expected<SecretValue> &)>;
    /// Receives whether something changed: a value was written, or a removed secret existed.
    using ChangeCallback = std::function<void(const Expected<bool> &)>;

    virtual ~SecretStore();

    virtual void read(const QString &connection, const QString &key, ReadCallback done) = 0;
    virtual void write(const QString &connection, const QString &key, const QString &value, ChangeCallback done) = 0;
    virtual void remove(const QString &connection, const QString &key, ChangeCallback done) = 0;
    /// False for stores Transom can only read (the environment).
    virtual bool isWritable() const = 0;
    /// Where this store keeps a secret, for messages: "environment variable TRANSOM_SECRET_CRM_API_KEY".
    virtual QString location(const QString &connection, const QString &key) const = 0;

    /// The error to report when a secret the caller needs is not stored: what is missing and where
    /// Transom looked for it.
    Error missing(const QString &connection, const QString &key) const;
};

/// A store that answers at once: the asynchronous interface runs the synchronous calls below and
/// invokes `done` before it returns.
class SyncSecretStore : public SecretStore {
public:
    virtual Expected<SecretValue> readNow(const QString &connection, const QString &key) const = 0;
    virtual Expected<bool> writeNow(const QString &connection, const QString &key, const QString &value) = 0;
    virtual Expected<bool> removeNow(const QString &connection, const QString &key) = 0;

    void read(const QString &connection, const QString &key, ReadCallback done) final;
    void write(const QString &connection, const QString &key, const QString &value, ChangeCallback done) final;
    void remove(const QString &connection, const QString &key, ChangeCallback done) final;
};

/// A JSON credentials file for headless servers:
///     {"connections": {"crm-oauth": {"client_secret": "…", "refresh_token": "…"}}}
/// It must belong to the user running Transom and be readable and writable by that user only (mode
/// 0600); any other file is refused, with the command that fixes it. A missing file holds no secrets and
/// is created on the first write. A write replaces the file atomically (a temporary file created with
/// mode 0600 is flushed to disk and renamed over it), so when writeNow() returns the new value survives
/// a crash or power loss: store a rotated refresh token before using it. A lock file next to it
/// (FILE.lock) keeps two processes from losing each other's updates.
class CredentialsFileStore final : public SyncSecretStore {
public:
    explicit CredentialsFileStore(QString path);

    const QString &path() const { return m_path; }

    Expected<SecretValue> readNow(const QString &connection, const QString &key) const override;
    Expected<bool> writeNow(const QString &connection, const QString &key, const QString &value) override;
    Expected<bool> removeNow(const QString &connection, const QString &key) override;
    bool isWritable() const override { return true; }
    QString location(const QString &connection, const QString &key) const override;

private:
    /// The file's root object, checked for ownership, mode and shape; empty when the file is missing.
    Expected<QJsonObject> load() const;
    Expected<bool> save(const QJsonObject &root) const;
    /// Loads, lets `edit` change the connections (returning whether it did) and saves, under the lock.
    Expected<bool> update(const std::function<bool(QJsonObject &connections)> &edit);
    Error failure(const QString &message) const;

    QString m_path;
    QMutex m_mutex; ///< serializes updates within this process; the lock file does across processes
};

/// Secrets from environment variables, read only: TRANSOM_SECRET_<CONNECTION>_<KEY>, upper-cased, with
/// every character other than A–Z and 0–9 turned into "_" (("crm-oauth", "client_secret") →
/// TRANSOM_SECRET_CRM_OAUTH_CLIENT_SECRET). A variable that is set but empty counts as unset. Names that
/// differ only in punctuation share a variable: ("crm-oauth", "key") and ("crm", "oauth_key").
class EnvironmentStore final : public SyncSecretStore {
public:
    static QString variableName(const QString &connection, const QString &key);

    Expected<SecretValue> readNow(const QString &connection, const QString &key) const override;
    Expected<bool> writeNow(const QString &connection, const QString &key, const QString &value) override;
    Expected<bool> removeNow(const QString &connection, const QString &key) override;
    bool isWritable() const override { return false; }
    QString location(const QString &connection, const QString &key) const override;
};

/// Whose keychain entries a store reads and writes: one project's, each secret tied to the origins
/// (scheme://host:port) it is sent to. The keychain is shared by every project on the machine and the
/// URLs come from project files, so a secret is only handed out for the project and the origins it was
/// saved for; anything else is a question for the user (KeychainStore::lookup, KeychainStore::adopt).
struct SecretScope {
    QString projectId;
    /// The origins a secret of a connection goes to now, space-separated ("https://crm.example.com"),
    /// or an empty string for a secret never sent anywhere (a webhook secret only checks signatures).
    std::function<QString(const QString &connection, const QString &key)> originOf = {};
};

/// A keychain entry held for this project (or by an earlier Transom for any project) that may not be
/// used as it is: its secret would go to origins other than those it was saved for.
struct SecretOriginChange {
    QString connection;
    QString key;
    QString savedOrigin;   ///< empty for an entry of an earlier Transom (saved for any project, any origin)
    QString currentOrigin; ///< where the project would send it now
    bool earlierVersion() const { return savedOrigin.isEmpty(); }
};

/// The system keychain through QtKeychain (Secret Service or KWallet on Linux, the macOS Keychain, the
/// Windows Credential Manager), under the service name "Transom". Without a scope an entry is
/// "<connection>/<key>" holding the secret. With a scope (setScope) it is
/// "<project id>/<connection>/<key>" holding the secret and the origins it was saved for: read() answers
/// only when the project would send it to those same origins, lookup() says why not, and adopt() ties it
/// to the current origins once the user agrees.
/// Jobs run on the event loop of the calling thread. Destroying the store leaves jobs still running to
/// finish on their own (the keychain still owes them an answer); their callbacks then never run.
class KeychainStore final : public SecretStore {
public:
    /// A scoped lookup: the secret when it may be used; otherwise what changed (and no secret).
    struct Lookup {
        SecretValue value;
        std::optional<SecretOriginChange> change;
    };
    using LookupCallback = std::function<void(const Expected<Lookup> &)>;

    /// Whether the keychain worked when it was last tried: Unknown until the first job finishes,
    /// Unavailable after any job failed (whatever its error says), Available after one succeeded.
    enum class Backend { Unknown, Available, Unavailable };

    explicit KeychainStore(QString service = QStringLiteral("Transom"));
    ~KeychainStore() override;
    KeychainStore(const KeychainStore &) = delete;
    KeychainStore &operator=(const KeychainStore &) = delete;

    void read(const QString &connection, const QString &key, ReadCallback done) override;
    void write(const QString &connection, const QString &key, const QString &value, ChangeCallback done) override;
    void remove(const QString &connection, const QString &key, ChangeCallback done) override;
    bool isWritable() const override { return true; }
    QString location(const QString &connection, const QString &key) const override;

    void setScope(SecretScope scope) { m_scope = std::move(scope); }
    const SecretScope &scope() const { return m_scope; }
    /// The project's entry, else (scoped) an earlier Transom's unscoped one, checked against the origins
    /// the secret would go to now.
    void lookup(const QString &connection, const QString &key, LookupCallback done);
    /// The user agreed: the held secret (the project's entry or an earlier Transom's) is saved for the
    /// project and the current origins. `done` gets false when there was nothing to adopt.
    void adopt(const QString &connection, const QString &key, ChangeCallback done);

    Backend backend() const { return m_backend; }

private:
    QString entryName(const QString &connection, const QString &key) const;
    /// Reads one entry as it is stored: missing → empty optional.
    void readEntry(const QString &entry, std::function<void(const Expected<std::optional<QString>> &)> done);

    /// Starts `job`; `finished` gets it back, or the Error a person can act on when it failed for a
    /// reason other than a missing entry.
    void start(QKeychain::Job *job, std::function<void(QKeychain::Job &, const std::optional<Error> &)> finished);
    Error failure(const QKeychain::Job &job);

    QString m_service;
    SecretScope m_scope;
    std::unique_ptr<QObject> m_jobs; ///< context of the jobs' callbacks: gone with the store
    Backend m_backend = Backend::Unknown;
};

/// Several stores asked in order: the first that holds a secret answers, so earlier stores override later
/// ones (an EnvironmentStore before a CredentialsFileStore: a variable overrides the file). A store that
/// fails stops the search with its error rather than letting an older value through. Writes go to the
/// first writable store, removals to every writable store.
class ChainedStore final : public SecretStore {
public:
    explicit ChainedStore(std::vector<std::shared_ptr<SecretStore>> stores);

    void read(const QString &connection, const QString &key, ReadCallback done) override;
    /// Warns in the log when a read-only store ahead of the target holds the key too: that value keeps
    /// overriding the one written.
    void write(const QString &connection, const QString &key, const QString &value, ChangeCallback done) override;
    void remove(const QString &connection, const QString &key, ChangeCallback done) override;
    bool isWritable() const override;
    /// Every store's location, in the order they are asked.
    QString location(const QString &connection, const QString &key) const override;

private:
    using Stores = std::vector<std::shared_ptr<SecretStore>>;
    std::shared_ptr<const Stores> m_stores; ///< shared with callbacks still running
};

} // namespace transom::auth
