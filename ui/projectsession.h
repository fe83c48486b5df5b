#pragma once

#include "core/auth/secretstore.h"
#include "core/sync/projectsetup.h"
#include "core/sync/syncengine.h"

#include <QHash>
#include <QMutex>
#include <QObject>

#include <functional>
#include <memory>

namespace transom::auth {
class DesktopSecretStore;
}

namespace transom::ui {

/// The project the studio has open: its file, presets, secrets and the sync engine that runs its jobs.
/// Every view takes the session and listens to it; none of them loads a project itself.
class ProjectSession : public QObject {
    Q_OBJECT
public:
    explicit ProjectSession(QObject *parent = nullptr);
    ~ProjectSession() override;

    /// Loads a project file (and its presets and credentials). On failure returns false with a message
    /// for the user in `error` and keeps the project that was open.
    bool open(const QString &projectPath, QString *error);
    void close();

    bool isOpen() const { return m_engine != nullptr; }
    const sync::Project &project() const { return m_setup.project; }
    const connect::PresetLibrary &presets() const { return m_setup.presets; }
    const sync::SecretAccess &secrets() const { return m_setup.secrets; }
    /// The engine running this project's jobs; null while no project is open.
    sync::SyncEngine *engine() const { return m_engine.get(); }
    /// The project's SQLite store and log folder, absolute.
    QString storePath() const;
    QString logDir() const;

    /// The keychain service the studio's secrets live under ("Transom"; tests use their own).
    static void setKeychainService(const QString &service);
    static QString keychainService();
    /// How a form saves secrets for this project: the keychain (entries of this project, tied to the
    /// origins each secret goes to) or, without one, the credentials file.
    std::shared_ptr<auth::DesktopSecretStore> makeSecretStore(const sync::Project &edited) const;
    /// The keychain scope of `project` (this one, or an edit of it): its id, and the origins each secret
    /// of its connections goes to.
    auth::SecretScope scopeFor(const sync::Project &project) const;
    /// Keychain secrets that are held back until the user agrees to send them to where the project now
    /// sends them (secretOriginChanged).
    QList<auth::SecretOriginChange> heldSecrets() const { return m_held; }
    /// The user agreed: the secret is tied to the connection's current origins and used from now on.
    /// `done` gets an empty string, or why it could not be.
    void allowSecretOrigin(const auth::SecretOriginChange &change, std::function<void(const QString &error)> done = {});
    /// Whether every keychain read of the open project has answered.
    bool keychainSettled() const { return m_pendingReads == 0; }

Q_SIGNALS:
    /// A project was opened or closed (views reload their contents).
    void projectChanged();
    /// A secret in the keychain would now go elsewhere than where it was saved for (or was saved by an
    /// earlier Transom for any project): it is not used until allowSecretOrigin().
    void secretOriginChanged(const transom::auth::SecretOriginChange &change);
    /// Every keychain read of the open project has answered.
    void keychainRead();

private:
    /// Secrets the studio saved to the system keychain, read once when the project opens: the engine
    /// asks for secrets synchronously on its worker threads, the keychain only answers asynchronously.
    struct KeychainCache {
        QMutex mutex;
        QHash<QString, QString> values; ///< "connection/key" → secret
        /// The keychain, used on the studio's thread only; null once the project is closed.
        auth::KeychainStore *keychain = nullptr;
    };
    void readKeychain();
    /// Rotated tokens go back where they came from: to the keychain when it held them.
    void routeWrites();

    sync::ProjectSetup m_setup;
    std::shared_ptr<KeychainCache> m_keychainCache;
    std::unique_ptr<auth::KeychainStore> m_keychain;
    QObject *m_keychainContext = nullptr; ///< where writes from worker threads are sent to reach m_keychain
    QList<auth::SecretOriginChange> m_held;
    int m_pendingReads = 0;
    std::unique_ptr<sync::SyncEngine> m_engine;
};

} // namespace transom::ui
