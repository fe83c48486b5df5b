#pragma once

#include "core/sync/commands.h"
#include "core/sync/syncengine.h"

#include <QHash>
#include <QMutex>
#include <QObject>

#include <memory>

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

Q_SIGNALS:
    /// A project was opened or closed (views reload their contents).
    void projectChanged();

private:
    /// Secrets the studio saved to the system keychain, read once when the project opens: the engine
    /// asks for secrets synchronously on its worker threads, the keychain only answers asynchronously.
    struct KeychainCache {
        QMutex mutex;
        QHash<QString, QString> values; ///< "connection/key" → secret
    };
    void readKeychain();

    sync::commands::Setup m_setup;
    std::shared_ptr<KeychainCache> m_keychainCache;
    std::unique_ptr<sync::SyncEngine> m_engine;
};

} // namespace transom::ui
