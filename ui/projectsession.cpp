#include "ui/projectsession.h"

#include "core/auth/desktopsecretstore.h"
#include "core/log/logging.h"
#include "core/sync/credentialurls.h"
#include "core/sync/projectedit.h"

#include <QThread>

#include <future>

namespace transom::ui {

namespace {

QString &serviceName()
{
    static QString name = QStringLiteral("Transom");
    return name;
}

QString cacheId(const QString &connection, const QString &key)
{
    return connection + QLatin1Char('/') + key;
}

/// Answers a worker waiting for a keychain write: with what the keychain said, or false when the write
/// never ran (the project closed first) — whichever copy of it goes last.
class WriteReply {
public:
    std::future<bool> future() { return m_promise.get_future(); }
    void answer(bool ok)
    {
        if (!m_answered.exchange(true))
            m_promise.set_value(ok);
    }
    ~WriteReply() { answer(false); }

private:
    std::promise<bool> m_promise;
    std::atomic<bool> m_answered{false};
};

} // namespace

ProjectSession::ProjectSession(QObject *parent) : QObject(parent), m_keychainContext(new QObject(this)) {}

ProjectSession::~ProjectSession()
{
    // No projectChanged from here: the views that listen may be half destroyed already.
    blockSignals(true);
    close();
}

void ProjectSession::setKeychainService(const QString &service)
{
    serviceName() = service;
}

QString ProjectSession::keychainService()
{
    return serviceName();
}

bool ProjectSession::open(const QString &projectPath, QString *error)
{
    auto opened = sync::openProject(projectPath);
    if (!opened) {
        if (error)
            *error = opened.error().toString();
        return false;
    }
    close();
    m_setup = std::move(opened.value());
    m_keychain = std::make_unique<auth::KeychainStore>(serviceName());
    m_keychain->setScope(scopeFor(m_setup.project));
    // Environment and credentials file first (as the command line), then what the keychain holds.
    m_keychainCache = std::make_shared<KeychainCache>();
    m_keychainCache->keychain = m_keychain.get();
    const auto fileOrEnvironment = m_setup.secrets.read;
    m_setup.secrets.read = [fileOrEnvironment, cache = m_keychainCache](const QString &connection, const QString &key) {
        if (QString value = fileOrEnvironment(connection, key); !value.isEmpty())
            return value;
        QMutexLocker lock(&cache->mutex);
        return cache->values.value(cacheId(connection, key));
    };
    routeWrites();
    readKeychain();
    m_engine = std::make_unique<sync::SyncEngine>(m_setup.project, m_setup.presets, m_setup.secrets);
    Q_EMIT projectChanged();
    return true;
}

void ProjectSession::close()
{
    if (!m_engine)
        return;
    m_engine->stopAll();
    m_engine.reset();
    if (m_keychainCache) {
        QMutexLocker lock(&m_keychainCache->mutex);
        m_keychainCache->keychain = nullptr; // writes still on their way fall back to the file
    }
    m_keychain.reset(); // its jobs still running finish on their own; their callbacks never run
    m_held.clear();
    m_pendingReads = 0;
    m_setup = {};
    Q_EMIT projectChanged();
}

auth::SecretScope ProjectSession::scopeFor(const sync::Project &project) const
{
    auth::SecretScope scope;
    scope.projectId = project.id;
    scope.originOf = [project, presets = m_setup.presets](const QString &connection, const QString &key) {
        const sync::ConnectionConfig *c = project.connection(connection);
        return c ? sync::secretOrigins(project, *c, presets, key) : QString();
    };
    return scope;
}

std::shared_ptr<auth::DesktopSecretStore> ProjectSession::makeSecretStore(const sync::Project &edited) const
{
    auto store = std::make_shared<auth::DesktopSecretStore>(sync::credentialsPath(edited), serviceName());
    store->setScope(scopeFor(edited));
    return store;
}

void ProjectSession::routeWrites()
{
    const auto toFile = m_setup.secrets.write;
    m_setup.secrets.write = [toFile, cache = m_keychainCache, context = m_keychainContext](
                                const QString &connection, const QString &key, const QString &value) {
        const QString id = cacheId(connection, key);
        {
            QMutexLocker lock(&cache->mutex);
            if (!cache->values.contains(id) || !cache->keychain)
                return toFile && toFile(connection, key, value); // it came from the file (or nowhere)
        }
        auto reply = std::make_shared<WriteReply>();
        std::future<bool> written = reply->future();
        const bool onKeychainThread = QThread::currentThread() == context->thread();
        QMetaObject::invokeMethod(
            context,
            [cache, connection, key, value, toFile, onKeychainThread, reply = std::move(reply)]() mutable {
                QMutexLocker lock(&cache->mutex);
                if (!cache->keychain)
                    return reply->answer(false);
                cache->keychain->write(connection, key, value,
                                       [connection, key, value, toFile, onKeychainThread,
                                        reply = std::move(reply)](const Expected<bool> &ok) {
                                           // Nobody waits on the studio's own thread: the file keeps it instead.
                                           if (!ok && onKeychainThread && toFile)
                                               toFile(connection, key, value);
                                           reply->answer(ok.ok());
                                       });
            },
            onKeychainThread ? Qt::DirectConnection : Qt::QueuedConnection);
        // A worker waits for the keychain to store the token before it is used; the studio's own thread
        // cannot wait for itself, and keeps it in memory meanwhile.
        const bool stored = onKeychainThread ||
                            (written.wait_for(std::chrono::seconds(30)) == std::future_status::ready && written.get());
        if (stored) {
            QMutexLocker lock(&cache->mutex);
            cache->values.insert(id, value);
            return true;
        }
        log::logger()->warn("connection \"{}\": the system keychain did not take the new {}; it goes to the "
                            "credentials file instead",
                            connection.toStdString(), key.toStdString());
        const bool savedToFile = toFile && toFile(connection, key, value);
        if (savedToFile) {
            QMutexLocker lock(&cache->mutex);
            cache->values.insert(id, value);
        }
        return savedToFile;
    };
}

void ProjectSession::readKeychain()
{
    for (const sync::ConnectionConfig &c : std::as_const(m_setup.project.connections)) {
        const QJsonObject auth = m_setup.project.effectiveAuth(c, m_setup.presets);
        QStringList keys = sync::secretKeys(auth, c.kind == QLatin1String("source"));
        keys.append(QStringLiteral("refresh_token"));
        for (const QString &key : std::as_const(keys)) {
            ++m_pendingReads;
            m_keychain->lookup(c.name, key,
                               [this, id = cacheId(c.name, key)](const Expected<auth::KeychainStore::Lookup> &found) {
                                   if (found && found->value) {
                                       QMutexLocker lock(&m_keychainCache->mutex);
                                       m_keychainCache->values.insert(id, *found->value);
                                   } else if (found && found->change) {
                                       m_held.append(*found->change);
                                       Q_EMIT secretOriginChanged(*found->change);
                                   }
                                   if (--m_pendingReads == 0)
                                       Q_EMIT keychainRead();
                               });
        }
    }
}

void ProjectSession::allowSecretOrigin(const auth::SecretOriginChange &change,
                                       std::function<void(const QString &)> done)
{
    if (!m_keychain) {
        if (done)
            done(tr("No project is open."));
        return;
    }
    m_keychain->adopt(change.connection, change.key, [this, change, done](const Expected<bool> &adopted) {
        if (adopted && adopted.value()) {
            m_held.erase(std::remove_if(m_held.begin(), m_held.end(),
                                        [&](const auth::SecretOriginChange &h) {
                                            return h.connection == change.connection && h.key == change.key;
                                        }),
                         m_held.end());
            m_keychain->read(change.connection, change.key, [this, change, done](const Expected<auth::SecretValue> &v) {
                if (v && v.value()) {
                    QMutexLocker lock(&m_keychainCache->mutex);
                    m_keychainCache->values.insert(cacheId(change.connection, change.key), *v.value());
                }
                if (done)
                    done(v ? QString() : v.error().message);
            });
            return;
        }
        if (done)
            done(adopted ? tr("The keychain no longer holds this secret.") : adopted.error().message);
    });
}

QString ProjectSession::storePath() const
{
    return m_setup.project.storePath;
}

QString ProjectSession::logDir() const
{
    return m_setup.project.logDir;
}

} // namespace transom::ui
