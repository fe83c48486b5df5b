#include "ui/projectsession.h"

#include "core/auth/secretstore.h"
#include "core/sync/projectedit.h"

namespace transom::ui {

ProjectSession::ProjectSession(QObject *parent) : QObject(parent) {}

ProjectSession::~ProjectSession()
{
    // No projectChanged from here: the views that listen may be half destroyed already.
    blockSignals(true);
    close();
}

bool ProjectSession::open(const QString &projectPath, QString *error)
{
    sync::commands::Context context;
    context.projectPath = projectPath;
    sync::commands::Setup setup;
    if (const auto loaded = sync::commands::load(context, setup); !loaded) {
        if (error)
            *error = loaded.error().toString();
        return false;
    }
    close();
    m_setup = std::move(setup);
    // Environment and credentials file first (as the command line), then what the keychain holds.
    m_keychainCache = std::make_shared<KeychainCache>();
    const auto fileOrEnvironment = m_setup.secrets.read;
    m_setup.secrets.read = [fileOrEnvironment, cache = m_keychainCache](const QString &connection, const QString &key) {
        if (QString value = fileOrEnvironment(connection, key); !value.isEmpty())
            return value;
        QMutexLocker lock(&cache->mutex);
        return cache->values.value(connection + QLatin1Char('/') + key);
    };
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
    m_setup = {};
    Q_EMIT projectChanged();
}

void ProjectSession::readKeychain()
{
    // One store for the life of the process: a keychain job must never be deleted while the Secret
    // Service still owes it an answer (QtKeychain's libsecret backend calls back into it).
    static auth::KeychainStore *keychain = new auth::KeychainStore;
    if (keychain->backend() == auth::KeychainStore::Backend::Unavailable)
        return;
    for (const sync::ConnectionConfig &c : std::as_const(m_setup.project.connections)) {
        const QJsonObject auth = m_setup.project.effectiveAuth(c, m_setup.presets);
        QStringList keys = sync::secretKeys(auth, c.kind == QLatin1String("source"));
        keys.append(QStringLiteral("refresh_token"));
        for (const QString &key : std::as_const(keys))
            keychain->read(c.name, key,
                           [cache = m_keychainCache,
                            id = c.name + QLatin1Char('/') + key](const Expected<auth::SecretValue> &value) {
                               if (value && value.value()) {
                                   QMutexLocker lock(&cache->mutex);
                                   cache->values.insert(id, *value.value());
                               }
                           });
    }
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
