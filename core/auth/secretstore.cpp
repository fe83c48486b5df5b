#include "core/auth/secretstore.h"
#include "core/auth/secretstoredetail.h"

#include "core/common/jsonlocator.h"
#include "core/log/logging.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QLockFile>
#include <QMutexLocker>
#include <QRegularExpression>
#include <QSaveFile>
#include <QStringList>

#include <algorithm>
#include <cerrno>
#include <cstring>

#ifdef Q_OS_UNIX
#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace transom::auth {

std::optional<Error> detail::checkNames(const QString &connection, const QString &key)
{
    if (connection.trimmed().isEmpty())
        return Error{QStringLiteral("a secret was asked for without a connection name")};
    if (key.trimmed().isEmpty())
        return Error{QStringLiteral("a secret of connection \"%1\" was asked for without a key").arg(connection)};
    return std::nullopt;
}

void detail::remember(const QString &value)
{
    log::redactor().addSecret(value);
}

namespace {

using detail::checkNames;
using detail::remember;

using StoreList = std::vector<std::shared_ptr<SecretStore>>;
using Steps = std::vector<JsonLocator::Step>;

const QLatin1String connectionsKey("connections");

/// `path` as a shell argument an admin can paste: quoted only when it needs to be.
QString shellQuoted(const QString &path)
{
    static const QRegularExpression plain(QStringLiteral("^[A-Za-z0-9_./+:@%-]+$"));
    if (plain.match(path).hasMatch())
        return path;
    return QLatin1Char('\'') + QString(path).replace(QLatin1String("'"), QLatin1String("'\\''")) + QLatin1Char('\'');
}

#ifdef Q_OS_UNIX
QString errnoText()
{
    return QString::fromLocal8Bit(std::strerror(errno));
}

QString userName(uid_t uid)
{
    passwd entry{};
    passwd *found = nullptr;
    char buffer[2048];
    if (::getpwuid_r(uid, &entry, buffer, sizeof buffer, &found) == 0 && found)
        return QString::fromLocal8Bit(found->pw_name);
    return QString::number(uid);
}

/// Why the open credentials file must not be used (another owner, or open to other users), if it must not.
std::optional<QString> unsafeFileProblem(int fd, const QString &path)
{
    struct stat info {};
    if (::fstat(fd, &info) != 0)
        return QStringLiteral("cannot check who may read this credentials file: %1").arg(errnoText());
    const QString fix = shellQuoted(path);
    if (info.st_uid != ::geteuid())
        return QStringLiteral("this credentials file belongs to user %1, not to user %2 who runs Transom, so "
                              "Transom will not trust it. Fix: chown %2 %3 && chmod 600 %3")
            .arg(userName(info.st_uid), userName(::geteuid()), fix);
    const unsigned mode = info.st_mode & 07777;
    if ((mode & 066) == 0)
        return std::nullopt;
    const QString exposure = (mode & 044) && (mode & 022) ? QStringLiteral("read and changed")
                             : (mode & 044)               ? QStringLiteral("read")
                                                          : QStringLiteral("changed");
    return QStringLiteral("this credentials file can be %1 by other users (its mode is %2), so Transom will "
                          "not use the secrets in it. Fix: chmod 600 %3")
        .arg(exposure, QStringLiteral("%1").arg(mode, 4, 8, QLatin1Char('0')), fix);
}

/// Flushes the folder entry of a renamed file, so the rename itself survives a power loss.
void syncFolder(const QString &folder)
{
    const int fd = ::open(QFile::encodeName(folder).constData(), O_RDONLY | O_DIRECTORY);
    if (fd < 0 || ::fsync(fd) != 0)
        log::logger()->warn("could not flush the folder {} to disk: {}", folder.toStdString(),
                            errnoText().toStdString());
    if (fd >= 0)
        ::close(fd);
}
#endif

/// An error about the shape of the file, with the line and column of the offending value.
Error shapeError(const QByteArray &text, const QString &file, const Steps &steps, const QString &message)
{
    Error error{message, file, 0, 0, JsonLocator::pathText(steps)};
    JsonLocator::lineColumn(text, std::max<qsizetype>(0, JsonLocator::offsetOf(text, steps)), error.line, error.column);
    return error;
}

/// Checks the layout {"connections": {name: {key: "text"}}}. Messages never quote a value.
Expected<QJsonObject> parseCredentials(const QByteArray &text, const QString &file)
{
    if (text.trimmed().isEmpty())
        return QJsonObject{};
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(text, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        Error error{QStringLiteral("this credentials file is not valid JSON: %1").arg(parseError.errorString()), file};
        JsonLocator::lineColumn(text, parseError.offset, error.line, error.column);
        return error;
    }
    const QString layout = QStringLiteral("{\"connections\": {\"crm-oauth\": {\"refresh_token\": \"…\"}}}");
    if (!document.isObject())
        return shapeError(text, file, {}, QStringLiteral("a credentials file must look like %1").arg(layout));
    const QJsonObject root = document.object();
    const QJsonValue connections = root.value(connectionsKey);
    if (!connections.isUndefined() && !connections.isObject())
        return shapeError(text, file, {QString(connectionsKey)},
                          QStringLiteral("must be an object of connections, like %1").arg(layout));
    const QJsonObject all = connections.toObject();
    for (auto connection = all.begin(); connection != all.end(); ++connection) {
        const Steps at{QString(connectionsKey), connection.key()};
        if (!connection->isObject())
            return shapeError(text, file, at, QStringLiteral("must be an object of secrets, like %1").arg(layout));
        const QJsonObject secrets = connection->toObject();
        for (auto secret = secrets.begin(); secret != secrets.end(); ++secret) {
            if (!secret->isString())
                return shapeError(text, file, {at[0], at[1], secret.key()},
                                  QStringLiteral("a secret must be text in double quotes"));
        }
    }
    return root;
}

void readFrom(std::shared_ptr<const StoreList> stores, std::size_t index, const QString &connection, const QString &key,
              const SecretStore::ReadCallback &done)
{
    if (index == stores->size())
        return done(SecretValue{});
    SecretStore &store = *(*stores)[index];
    store.read(connection, key, [=](const Expected<SecretValue> &result) {
        if (!result || result.value())
            return done(result);
        readFrom(stores, index + 1, connection, key, done);
    });
}

void removeFrom(std::shared_ptr<const StoreList> stores, std::size_t index, const QString &connection,
                const QString &key, bool removedAny, const SecretStore::ChangeCallback &done)
{
    while (index < stores->size() && !(*stores)[index]->isWritable())
        ++index;
    if (index == stores->size())
        return done(removedAny);
    SecretStore &store = *(*stores)[index];
    store.remove(connection, key, [=](const Expected<bool> &result) {
        if (!result)
            return done(result);
        removeFrom(stores, index + 1, connection, key, removedAny || result.value(), done);
    });
}

} // namespace

// SecretStore ------------------------------------------------------------------------------------------

SecretStore::~SecretStore() = default;

Error SecretStore::missing(const QString &connection, const QString &key) const
{
    return Error{QStringLiteral("connection \"%1\" has no \"%2\" secret; Transom looked in: %3. Add it there, or "
                                "sign in to the connection again.")
                     .arg(connection, key, location(connection, key))};
}

void SyncSecretStore::read(const QString &connection, const QString &key, ReadCallback done)
{
    done(readNow(connection, key));
}

void SyncSecretStore::write(const QString &connection, const QString &key, const QString &value, ChangeCallback done)
{
    done(writeNow(connection, key, value));
}

void SyncSecretStore::remove(const QString &connection, const QString &key, ChangeCallback done)
{
    done(removeNow(connection, key));
}

// CredentialsFileStore ---------------------------------------------------------------------------------

CredentialsFileStore::CredentialsFileStore(QString path) : m_path(std::move(path)) {}

Expected<SecretValue> CredentialsFileStore::readNow(const QString &connection, const QString &key) const
{
    if (auto problem = checkNames(connection, key))
        return *problem;
    const Expected<QJsonObject> root = load();
    if (!root)
        return root.error();
    const QJsonValue value = root->value(connectionsKey).toObject().value(connection).toObject().value(key);
    if (!value.isString())
        return SecretValue{};
    remember(value.toString());
    return SecretValue{value.toString()};
}

Expected<bool> CredentialsFileStore::writeNow(const QString &connection, const QString &key, const QString &value)
{
    if (auto problem = checkNames(connection, key))
        return *problem;
    remember(value);
    return update([&](QJsonObject &connections) {
        QJsonObject secrets = connections.value(connection).toObject();
        if (secrets.value(key) == QJsonValue(value))
            return false;
        secrets.insert(key, value);
        connections.insert(connection, secrets);
        return true;
    });
}

Expected<bool> CredentialsFileStore::removeNow(const QString &connection, const QString &key)
{
    if (auto problem = checkNames(connection, key))
        return *problem;
    return update([&](QJsonObject &connections) {
        QJsonObject secrets = connections.value(connection).toObject();
        if (!secrets.contains(key))
            return false;
        secrets.remove(key);
        if (secrets.isEmpty())
            connections.remove(connection);
        else
            connections.insert(connection, secrets);
        return true;
    });
}

QString CredentialsFileStore::location(const QString &, const QString &) const
{
    return QFileInfo::exists(m_path) ? QStringLiteral("credentials file %1").arg(m_path)
                                     : QStringLiteral("credentials file %1 (which does not exist)").arg(m_path);
}

Expected<QJsonObject> CredentialsFileStore::load() const
{
    if (m_path.isEmpty())
        return Error{QStringLiteral("no credentials file was given")};
    QFile file(m_path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (!QFileInfo::exists(m_path))
            return QJsonObject{};
        return failure(QStringLiteral("cannot open this credentials file: %1").arg(file.errorString()));
    }
#ifdef Q_OS_UNIX
    if (const std::optional<QString> problem = unsafeFileProblem(file.handle(), m_path))
        return failure(*problem);
#endif
    return parseCredentials(file.readAll(), m_path);
}

Expected<bool> CredentialsFileStore::save(const QJsonObject &root) const
{
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly))
        return failure(QStringLiteral("cannot write this credentials file: %1").arg(file.errorString()));
#ifdef Q_OS_UNIX
    if (::fchmod(file.handle(), S_IRUSR | S_IWUSR) != 0) {
        file.cancelWriting();
        return failure(QStringLiteral("cannot make the new credentials file private: %1").arg(errnoText()));
    }
#endif
    const QByteArray text = QJsonDocument(root).toJson(QJsonDocument::Indented);
    bool written = file.write(text) == text.size() && file.flush();
#ifdef Q_OS_UNIX
    written = written && ::fsync(file.handle()) == 0;
#endif
    if (!written || !file.commit()) {
        file.cancelWriting();
        return failure(QStringLiteral("cannot write this credentials file: %1").arg(file.errorString()));
    }
#ifdef Q_OS_UNIX
    syncFolder(QFileInfo(m_path).absolutePath());
#endif
    return true;
}

Expected<bool> CredentialsFileStore::update(const std::function<bool(QJsonObject &)> &edit)
{
    if (m_path.isEmpty())
        return Error{QStringLiteral("no credentials file was given")};
    const QFileInfo info(m_path);
    if (!info.absoluteDir().exists())
        return failure(QStringLiteral("the folder %1 does not exist; create it (mkdir -p %2) or choose another "
                                      "credentials file")
                           .arg(info.absolutePath(), shellQuoted(info.absolutePath())));
    QMutexLocker guard(&m_mutex);
    QLockFile lock(m_path + QLatin1String(".lock"));
    if (!lock.tryLock(10'000))
        return failure(lock.error() == QLockFile::LockFailedError
                           ? QStringLiteral("another Transom process has been updating this credentials file "
                                            "for over 10 seconds (lock file %1.lock); try again")
                                 .arg(m_path)
                           : QStringLiteral("cannot create the lock file %1.lock: check that the user running "
                                            "Transom may write in %2")
                                 .arg(m_path, info.absolutePath()));
    Expected<QJsonObject> root = load();
    if (!root)
        return root.error();
    QJsonObject connections = root->value(connectionsKey).toObject();
    if (!edit(connections))
        return false;
    root->insert(connectionsKey, connections);
    return save(*root);
}

Error CredentialsFileStore::failure(const QString &message) const
{
    return Error{message, m_path};
}

// EnvironmentStore -------------------------------------------------------------------------------------

QString EnvironmentStore::variableName(const QString &connection, const QString &key)
{
    QString name = QStringLiteral("TRANSOM_SECRET_");
    const QString words = connection + QLatin1Char('_') + key;
    for (const QChar c : words) {
        if (c.isLowSurrogate())
            continue; // one "_" for a character outside the BMP
        const char16_t u = c.unicode();
        const bool alphanumeric = (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9');
        name += !alphanumeric ? QLatin1Char('_') : QChar(u >= u'a' ? u - (u'a' - u'A') : u);
    }
    return name;
}

Expected<SecretValue> EnvironmentStore::readNow(const QString &connection, const QString &key) const
{
    if (auto problem = checkNames(connection, key))
        return *problem;
    const QString value = qEnvironmentVariable(variableName(connection, key).toLatin1().constData());
    if (value.isEmpty())
        return SecretValue{};
    remember(value);
    return SecretValue{value};
}

Expected<bool> EnvironmentStore::writeNow(const QString &connection, const QString &key, const QString &)
{
    return Error{QStringLiteral("Transom cannot change environment variables: set %1 in the environment of the "
                                "Transom service instead (a value that changes, such as a refresh token, "
                                "belongs in a credentials file)")
                     .arg(variableName(connection, key))};
}

Expected<bool> EnvironmentStore::removeNow(const QString &connection, const QString &key)
{
    return Error{QStringLiteral("Transom cannot change environment variables: unset %1 in the environment of "
                                "the Transom service instead")
                     .arg(variableName(connection, key))};
}

QString EnvironmentStore::location(const QString &connection, const QString &key) const
{
    return QStringLiteral("environment variable %1").arg(variableName(connection, key));
}

// ChainedStore -----------------------------------------------------------------------------------------

ChainedStore::ChainedStore(std::vector<std::shared_ptr<SecretStore>> stores)
    : m_stores(std::make_shared<const Stores>(std::move(stores)))
{}

void ChainedStore::read(const QString &connection, const QString &key, ReadCallback done)
{
    readFrom(m_stores, 0, connection, key, done);
}

void ChainedStore::write(const QString &connection, const QString &key, const QString &value, ChangeCallback done)
{
    const auto target = std::find_if(m_stores->begin(), m_stores->end(),
                                     [](const std::shared_ptr<SecretStore> &store) { return store->isWritable(); });
    if (target == m_stores->end())
        return done(Error{QStringLiteral("cannot save the \"%1\" secret of connection \"%2\": %3 can only be read. "
                                         "Configure a credentials file or the system keychain.")
                              .arg(key, connection, location(connection, key))});
    for (auto ahead = m_stores->begin(); ahead != target; ++ahead) {
        const auto *sync = dynamic_cast<const SyncSecretStore *>(ahead->get());
        const Expected<SecretValue> shadow =
            sync ? sync->readNow(connection, key) : Expected<SecretValue>(SecretValue{});
        if (shadow && shadow.value())
            log::logger()->warn("connection \"{}\": \"{}\" is also set in {}, which overrides the new value saved "
                                "in {}; remove it there so the new value is used",
                                connection.toStdString(), key.toStdString(),
                                (*ahead)->location(connection, key).toStdString(),
                                (*target)->location(connection, key).toStdString());
    }
    (*target)->write(connection, key, value, std::move(done));
}

void ChainedStore::remove(const QString &connection, const QString &key, ChangeCallback done)
{
    removeFrom(m_stores, 0, connection, key, false, done);
}

bool ChainedStore::isWritable() const
{
    return std::any_of(m_stores->begin(), m_stores->end(),
                       [](const std::shared_ptr<SecretStore> &store) { return store->isWritable(); });
}

QString ChainedStore::location(const QString &connection, const QString &key) const
{
    QStringList places;
    for (const std::shared_ptr<SecretStore> &store : *m_stores)
        places.append(store->location(connection, key));
    return places.isEmpty() ? QStringLiteral("nowhere (no secret store is configured)")
                            : places.join(QLatin1String("; "));
}

} // namespace transom::auth
