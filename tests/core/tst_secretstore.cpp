#include "core/auth/secretstore.h"
#include "core/log/logging.h"
#include "privatesessionbus.h"

#include <spdlog/sinks/ostream_sink.h>

#include <QDir>
#include <QFile>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <sstream>

#include <sys/stat.h>
#include <unistd.h>

using namespace transom::auth;
using transom::Expected;

namespace {

template<class T> QString problem(const Expected<T> &result)
{
    return result ? QString() : result.error().toString();
}

/// Fails the test unless `result` is an error whose message contains `text`.
template<class T> void expectError(const Expected<T> &result, const QString &text)
{
    QVERIFY2(!result, "expected an error");
    QVERIFY2(result.error().message.contains(text), qPrintable(result.error().message));
}

QString valueOf(const Expected<SecretValue> &result)
{
    return result && result.value() ? *result.value() : QStringLiteral("<%1>").arg(problem(result));
}

const QString crmOAuth = QStringLiteral("crm-oauth");
const QString crm = QStringLiteral("crm");
const QString mls = QStringLiteral("mls");
const QString refreshToken = QStringLiteral("refresh_token");
const QString clientSecret = QStringLiteral("client_secret");
const QString apiKey = QStringLiteral("api_key");

unsigned modeOf(const QString &path)
{
    struct stat info {};
    return ::stat(QFile::encodeName(path).constData(), &info) == 0 ? info.st_mode & 07777 : 0;
}

void writeRaw(const QString &path, const QByteArray &text, unsigned mode)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(file.write(text), text.size());
    file.close();
    QCOMPARE(::chmod(QFile::encodeName(path).constData(), mode), 0);
}

QByteArray readRaw(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

const QByteArray sample = R"({
    "comment": "managed by ops",
    "connections": {
        "crm-oauth": {"client_secret": "cs-1111", "refresh_token": "rt-old"},
        "mls": {"api_key": "mls-2222"}
    }
})";

/// Runs an asynchronous call and waits for its callback.
template<class T, class Call> std::optional<Expected<T>> await(Call call)
{
    std::optional<Expected<T>> result;
    call([&result](const Expected<T> &r) { result = r; });
    if (!QTest::qWaitFor([&result] { return result.has_value(); }, 30'000))
        qWarning("no answer within 30 s");
    return result;
}

/// A store that answers from the event loop, as the keychain does.
class DeferredStore final : public SecretStore {
public:
    QHash<QString, QString> values;

    void read(const QString &connection, const QString &key, ReadCallback done) override
    {
        const QString entry = connection + QLatin1Char('/') + key;
        const SecretValue value = values.contains(entry) ? SecretValue(values.value(entry)) : SecretValue();
        QTimer::singleShot(0, [done, value] { done(value); });
    }
    void write(const QString &connection, const QString &key, const QString &value, ChangeCallback done) override
    {
        values.insert(connection + QLatin1Char('/') + key, value);
        QTimer::singleShot(0, [done] { done(true); });
    }
    void remove(const QString &connection, const QString &key, ChangeCallback done) override
    {
        const bool removed = values.remove(connection + QLatin1Char('/') + key);
        QTimer::singleShot(0, [done, removed] { done(removed); });
    }
    bool isWritable() const override { return true; }
    QString location(const QString &, const QString &) const override { return QStringLiteral("deferred store"); }
};

} // namespace

class TestSecretStore : public QObject {
    Q_OBJECT
    std::unique_ptr<QTemporaryDir> m_dir; ///< a fresh folder for each test
    QString m_path;                       ///< credentials.json in it, not created
    /// A Secret Service of the test's own (gnome-keyring-daemon on a private bus): the user's keychain,
    /// or the lack of one, never decides the outcome.
    std::unique_ptr<transom::testing::PrivateSessionBus> m_bus;

private Q_SLOTS:
    void initTestCase()
    {
        m_bus = std::make_unique<transom::testing::PrivateSessionBus>(
            transom::testing::PrivateSessionBus::Kind::WithKeyring);
    }
    void cleanupTestCase() { m_bus.reset(); }
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_path = m_dir->filePath(QStringLiteral("credentials.json"));
    }
    void fileRoundTrip();
    void fileModes_data();
    void fileModes();
    void fixCommandQuotesThePath();
    void fileOwnedBySomeoneElseIsRefused();
    void missingFileAndFolder();
    void malformedFile_data();
    void malformedFile();
    void updateIsAtomicAndKeepsOtherKeys();
    void updateIsDurableAndVisibleAtOnce();
    void concurrentWritersLoseNothing();
    void removeKeepsOtherKeys();
    void environmentNames_data();
    void environmentNames();
    void environmentStoreReadsOnly();
    void chainedPrecedence();
    void chainedWritesAndRemoves();
    void chainedWithoutWritableStore();
    void chainedWaitsForAsyncStores();
    void secretsReachTheRedactor();
    void keychainRoundTrip();
    void keychainEntriesBelongToAProjectAndItsOrigins_data();
    void keychainEntriesBelongToAProjectAndItsOrigins();
};

void TestSecretStore::fileRoundTrip()
{
    CredentialsFileStore store(m_path);
    const auto before = store.readNow(crmOAuth, refreshToken);
    QVERIFY2(before, qPrintable(problem(before)));
    QVERIFY(!before.value().has_value());

    const auto written = store.writeNow(crmOAuth, refreshToken, QStringLiteral("rt-1"));
    QVERIFY2(written, qPrintable(problem(written)));
    QVERIFY(written.value());
    QCOMPARE(modeOf(m_path), 0600u);
    QCOMPARE(valueOf(store.readNow(crmOAuth, refreshToken)), QStringLiteral("rt-1"));
    const QJsonObject root = QJsonDocument::fromJson(readRaw(m_path)).object();
    QCOMPARE(root.value(QLatin1String("connections")).toObject().value(QLatin1String("crm-oauth")).toObject(),
             QJsonObject({{refreshToken, QStringLiteral("rt-1")}}));

    const auto again = store.writeNow(crmOAuth, refreshToken, QStringLiteral("rt-1"));
    QVERIFY2(again && !again.value(), "writing the stored value again changes nothing");
    QVERIFY(!store.readNow(QString(), refreshToken));
    QVERIFY(!store.writeNow(crm, QStringLiteral(" "), QStringLiteral("x")));
}

void TestSecretStore::fileModes_data()
{
    QTest::addColumn<unsigned>("mode");
    QTest::addColumn<QString>("refusal"); // empty: accepted
    QTest::newRow("0600") << 0600u << QString();
    QTest::newRow("0400") << 0400u << QString();
    QTest::newRow("0700") << 0700u << QString();
    QTest::newRow("0644") << 0644u << QStringLiteral("can be read by other users (its mode is 0644)");
    QTest::newRow("0640") << 0640u << QStringLiteral("can be read by other users (its mode is 0640)");
    QTest::newRow("0604") << 0604u << QStringLiteral("can be read by other users (its mode is 0604)");
    QTest::newRow("0620") << 0620u << QStringLiteral("can be changed by other users (its mode is 0620)");
    QTest::newRow("0602") << 0602u << QStringLiteral("can be changed by other users (its mode is 0602)");
    QTest::newRow("0666") << 0666u << QStringLiteral("can be read and changed by other users (its mode is 0666)");
}

void TestSecretStore::fileModes()
{
    QFETCH(unsigned, mode);
    QFETCH(QString, refusal);
    writeRaw(m_path, sample, mode);
    CredentialsFileStore store(m_path);
    const auto read = store.readNow(mls, apiKey);
    if (refusal.isEmpty()) {
        QCOMPARE(valueOf(read), QStringLiteral("mls-2222"));
        return;
    }
    expectError(read, refusal);
    QCOMPARE(read.error().file, m_path);
    QVERIFY2(read.error().message.endsWith(QStringLiteral("Fix: chmod 600 ") + m_path),
             qPrintable(read.error().message));
    QVERIFY(!read.error().toString().contains(QLatin1String("mls-2222")));

    // Nothing is written into a file others can read either.
    const auto write = store.writeNow(mls, apiKey, QStringLiteral("mls-3333"));
    expectError(write, refusal);
    QCOMPARE(readRaw(m_path), sample);
    QCOMPARE(modeOf(m_path), mode);
}

void TestSecretStore::fixCommandQuotesThePath()
{
    const QString path = m_dir->filePath(QStringLiteral("ops' creds.json"));
    writeRaw(path, sample, 0644);
    const auto read = CredentialsFileStore(path).readNow(mls, apiKey);
    QVERIFY(!read);
    const QString quoted = QStringLiteral("'") + m_dir->path() + QStringLiteral("/ops'\\'' creds.json'");
    QVERIFY2(read.error().message.endsWith(QStringLiteral("chmod 600 ") + quoted), qPrintable(read.error().message));
}

void TestSecretStore::fileOwnedBySomeoneElseIsRefused()
{
    if (::geteuid() != 0)
        QSKIP("giving a file to another user needs root; the ownership check is covered when tests run as "
              "root");
    writeRaw(m_path, sample, 0600);
    QCOMPARE(::chown(QFile::encodeName(m_path).constData(), 65534, 65534), 0);
    const auto read = CredentialsFileStore(m_path).readNow(mls, apiKey);
    expectError(read, QLatin1String("belongs to user"));
    expectError(read, QStringLiteral("Fix: chown root %1 && chmod 600 %1").arg(m_path));
}

void TestSecretStore::missingFileAndFolder()
{
    CredentialsFileStore store(m_path);
    const auto read = store.readNow(crm, QStringLiteral("password"));
    QVERIFY2(read, qPrintable(problem(read)));
    QVERIFY(!read.value());
    QCOMPARE(store.location(crm, QStringLiteral("password")),
             QStringLiteral("credentials file %1 (which does not exist)").arg(m_path));
    QVERIFY(!QFile::exists(m_path));

    const QString nowhere = m_dir->filePath(QStringLiteral("etc/transom/credentials.json"));
    const auto write =
        CredentialsFileStore(nowhere).writeNow(crm, QStringLiteral("password"), QStringLiteral("pw-123456"));
    expectError(write,
                QStringLiteral("the folder %1/etc/transom does not exist; create it (mkdir -p").arg(m_dir->path()));
    QVERIFY(!CredentialsFileStore(QString()).readNow(crm, QStringLiteral("password")));
}

void TestSecretStore::malformedFile_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("message");
    QTest::newRow("bad value") << QByteArray("{\n  \"connections\": {\n    \"crm\": {\"refresh_token\": }\n  }\n}") << 3
                               << 31 << QString() << QStringLiteral("is not valid JSON: ");
    QTest::newRow("unterminated") << QByteArray("{\"connections\": {\"crm\": {\"a\": \"b\"}}") << 1 << 36 << QString()
                                  << QStringLiteral("is not valid JSON");
    QTest::newRow("array") << QByteArray("[1, 2]") << 1 << 1 << QString()
                           << QStringLiteral("a credentials file must look like {\"connections\"");
    QTest::newRow("connections list") << QByteArray("{\"connections\": []}") << 1 << 17 << QStringLiteral("connections")
                                      << QStringLiteral("must be an object of connections");
    QTest::newRow("connection text") << QByteArray("{\"connections\": {\n  \"crm\": \"tok-9999\"}}") << 2 << 10
                                     << QStringLiteral("connections.crm")
                                     << QStringLiteral("must be an object of secrets");
    QTest::newRow("secret number") << QByteArray("{\"connections\": {\"crm\": {\n  \"pin\": 987654321}}}") << 2 << 10
                                   << QStringLiteral("connections.crm.pin")
                                   << QStringLiteral("a secret must be text in double quotes");
}

void TestSecretStore::malformedFile()
{
    QFETCH(QByteArray, text);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(QString, path);
    QFETCH(QString, message);
    writeRaw(m_path, text, 0600);
    const auto read = CredentialsFileStore(m_path).readNow(crm, QStringLiteral("pin"));
    expectError(read, message);
    const transom::Error &error = read.error();
    QCOMPARE(error.file, m_path);
    QCOMPARE(error.line, line);
    QCOMPARE(error.column, column);
    QCOMPARE(error.path, path);
    QVERIFY2(!error.toString().contains(QLatin1String("987654321")) &&
                 !error.toString().contains(QLatin1String("tok-9999")),
             "an error never quotes a secret");
}

void TestSecretStore::updateIsAtomicAndKeepsOtherKeys()
{
    writeRaw(m_path, sample, 0600);
    struct stat before {};
    QCOMPARE(::stat(QFile::encodeName(m_path).constData(), &before), 0);
    QFile oldHandle(m_path);
    QVERIFY(oldHandle.open(QIODevice::ReadOnly));

    CredentialsFileStore store(m_path);
    const auto written = store.writeNow(crmOAuth, refreshToken, QStringLiteral("rt-new"));
    QVERIFY2(written, qPrintable(problem(written)));

    // The file was replaced by a rename, never rewritten in place: a reader that opened it earlier still
    // sees the whole old file, a new reader the whole new one.
    QCOMPARE(oldHandle.readAll(), sample);
    struct stat after {};
    QCOMPARE(::stat(QFile::encodeName(m_path).constData(), &after), 0);
    QVERIFY(before.st_ino != after.st_ino);
    QCOMPARE(modeOf(m_path), 0600u);
    QCOMPARE(QDir(m_dir->path()).entryList(QDir::Files | QDir::Hidden),
             QStringList{QStringLiteral("credentials.json")});

    const QJsonObject root = QJsonDocument::fromJson(readRaw(m_path)).object();
    QCOMPARE(root.value(QLatin1String("comment")).toString(), QStringLiteral("managed by ops"));
    const QJsonObject connections = root.value(QLatin1String("connections")).toObject();
    QCOMPARE(connections.value(QLatin1String("crm-oauth")).toObject(),
             QJsonObject({{clientSecret, QStringLiteral("cs-1111")}, {refreshToken, QStringLiteral("rt-new")}}));
    QCOMPARE(connections.value(QLatin1String("mls")).toObject(), QJsonObject({{apiKey, QStringLiteral("mls-2222")}}));
}

void TestSecretStore::updateIsDurableAndVisibleAtOnce()
{
    writeRaw(m_path, sample, 0600);
    CredentialsFileStore writer(m_path);
    for (int rotation = 1; rotation <= 20; ++rotation) {
        const QString token = QStringLiteral("rt-rotation-%1").arg(rotation);
        const auto written = writer.writeNow(crmOAuth, refreshToken, token);
        QVERIFY2(written && written.value(), qPrintable(problem(written)));
        // Another process (here: another store and a plain read) sees the new token as soon as writeNow
        // returns.
        QCOMPARE(valueOf(CredentialsFileStore(m_path).readNow(crmOAuth, refreshToken)), token);
        QVERIFY(readRaw(m_path).contains(token.toUtf8()));
    }
    QCOMPARE(valueOf(writer.readNow(crmOAuth, clientSecret)), QStringLiteral("cs-1111"));
}

void TestSecretStore::concurrentWritersLoseNothing()
{
    auto writeKeys = [path = m_path](const QString &connection) {
        CredentialsFileStore store(path); // its own instance: only the lock file keeps writers apart
        for (int i = 0; i < 15; ++i)
            store.writeNow(connection, QStringLiteral("key%1").arg(i),
                           QStringLiteral("value-%1-%2").arg(connection).arg(i));
    };
    std::unique_ptr<QThread> a(QThread::create(writeKeys, crm));
    std::unique_ptr<QThread> b(QThread::create(writeKeys, mls));
    a->start();
    b->start();
    QVERIFY(a->wait(60'000) && b->wait(60'000));
    CredentialsFileStore store(m_path);
    for (const QString &connection : {crm, mls}) {
        for (int i = 0; i < 15; ++i)
            QCOMPARE(valueOf(store.readNow(connection, QStringLiteral("key%1").arg(i))),
                     QStringLiteral("value-%1-%2").arg(connection).arg(i));
    }
}

void TestSecretStore::removeKeepsOtherKeys()
{
    writeRaw(m_path, sample, 0600);
    CredentialsFileStore store(m_path);
    auto removed = store.removeNow(crmOAuth, refreshToken);
    QVERIFY2(removed && removed.value(), qPrintable(problem(removed)));
    removed = store.removeNow(crmOAuth, refreshToken);
    QVERIFY2(removed && !removed.value(), "removing again finds nothing");
    QCOMPARE(valueOf(store.readNow(crmOAuth, clientSecret)), QStringLiteral("cs-1111"));
    QVERIFY(store.removeNow(mls, apiKey).value());
    const QJsonObject connections =
        QJsonDocument::fromJson(readRaw(m_path)).object().value(QLatin1String("connections")).toObject();
    QCOMPARE(connections.keys(), QStringList{crmOAuth});
    QCOMPARE(modeOf(m_path), 0600u);
}

void TestSecretStore::environmentNames_data()
{
    QTest::addColumn<QString>("connection");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("variable");
    QTest::newRow("oauth") << crmOAuth << refreshToken << QStringLiteral("TRANSOM_SECRET_CRM_OAUTH_REFRESH_TOKEN");
    QTest::newRow("spaces and dots") << QStringLiteral("mls.feed 2") << QStringLiteral("api key")
                                     << QStringLiteral("TRANSOM_SECRET_MLS_FEED_2_API_KEY");
    QTest::newRow("mixed case") << QStringLiteral("Zillow") << QStringLiteral("X-Api-Key")
                                << QStringLiteral("TRANSOM_SECRET_ZILLOW_X_API_KEY");
    QTest::newRow("non-ascii") << QString::fromUtf8("café") << QStringLiteral("pw")
                               << QStringLiteral("TRANSOM_SECRET_CAF__PW");
    QTest::newRow("outside the BMP") << QString::fromUtf8("crm😀") << QStringLiteral("pw")
                                     << QStringLiteral("TRANSOM_SECRET_CRM__PW");
}

void TestSecretStore::environmentNames()
{
    QFETCH(QString, connection);
    QFETCH(QString, key);
    QFETCH(QString, variable);
    QCOMPARE(EnvironmentStore::variableName(connection, key), variable);
    QCOMPARE(EnvironmentStore().location(connection, key), QStringLiteral("environment variable ") + variable);
}

void TestSecretStore::environmentStoreReadsOnly()
{
    EnvironmentStore store;
    QVERIFY(!store.isWritable());
    qputenv("TRANSOM_SECRET_CRM_OAUTH_CLIENT_SECRET", "env-cs-4444");
    QCOMPARE(valueOf(store.readNow(crmOAuth, clientSecret)), QStringLiteral("env-cs-4444"));
    qputenv("TRANSOM_SECRET_CRM_OAUTH_CLIENT_SECRET", "");
    QVERIFY(!store.readNow(crmOAuth, clientSecret).value());
    qunsetenv("TRANSOM_SECRET_CRM_OAUTH_CLIENT_SECRET");
    QVERIFY(!store.readNow(crmOAuth, clientSecret).value());

    const auto write = store.writeNow(crmOAuth, clientSecret, QStringLiteral("x"));
    expectError(write, QLatin1String("set TRANSOM_SECRET_CRM_OAUTH_CLIENT_SECRET in the environment"));
    const auto remove = store.removeNow(crmOAuth, clientSecret);
    QVERIFY(!remove);
    QVERIFY(remove.error().message.contains(QLatin1String("unset TRANSOM_SECRET_CRM_OAUTH_CLIENT_SECRET")));
}

void TestSecretStore::chainedPrecedence()
{
    auto file = std::make_shared<CredentialsFileStore>(m_path);
    ChainedStore chain({std::make_shared<EnvironmentStore>(), file});
    auto read = [&chain] { return *await<SecretValue>([&chain](auto done) { chain.read(mls, apiKey, done); }); };
    qunsetenv("TRANSOM_SECRET_MLS_API_KEY");

    QVERIFY(!read().value()); // neither holds it, and a missing file is no error
    const QString missing = chain.missing(mls, apiKey).message;
    QCOMPARE(missing,
             QStringLiteral("connection \"mls\" has no \"api_key\" secret; Transom looked in: environment variable "
                            "TRANSOM_SECRET_MLS_API_KEY; credentials file %1 (which does not exist). Add it "
                            "there, or sign in to the connection again.")
                 .arg(m_path));

    writeRaw(m_path, sample, 0600);
    QCOMPARE(valueOf(read()), QStringLiteral("mls-2222")); // the file answers
    qputenv("TRANSOM_SECRET_MLS_API_KEY", "env-mls-5555");
    QCOMPARE(valueOf(read()), QStringLiteral("env-mls-5555")); // the environment overrides it

    QCOMPARE(::chmod(QFile::encodeName(m_path).constData(), 0644), 0);
    QCOMPARE(valueOf(read()), QStringLiteral("env-mls-5555")); // the file is not even opened
    qunsetenv("TRANSOM_SECRET_MLS_API_KEY");
    const auto refused = read(); // an unsafe file stops the search: no older value slips through
    expectError(refused, QLatin1String("chmod 600"));
}

void TestSecretStore::chainedWritesAndRemoves()
{
    ChainedStore chain({std::make_shared<EnvironmentStore>(), std::make_shared<CredentialsFileStore>(m_path)});
    QVERIFY(chain.isWritable());

    std::ostringstream captured;
    const auto logger = transom::log::logger();
    const std::vector<spdlog::sink_ptr> savedSinks = logger->sinks();
    logger->sinks() = {std::make_shared<spdlog::sinks::ostream_sink_mt>(captured)};
    qputenv("TRANSOM_SECRET_CRM_REFRESH_TOKEN", "env-rt-6666");
    const auto written =
        await<bool>([&chain](auto done) { chain.write(crm, refreshToken, QStringLiteral("rt-rotated-7777"), done); });
    qunsetenv("TRANSOM_SECRET_CRM_REFRESH_TOKEN");
    logger->sinks() = savedSinks;
    QVERIFY(written);
    QVERIFY2(*written && written->value(), qPrintable(problem(*written)));
    QCOMPARE(valueOf(CredentialsFileStore(m_path).readNow(crm, refreshToken)), QStringLiteral("rt-rotated-7777"));
    const QString warning = QString::fromStdString(captured.str());
    QVERIFY2(warning.contains(QLatin1String("is also set in environment variable TRANSOM_SECRET_CRM_REFRESH_TOKEN")),
             qPrintable(warning));
    QVERIFY2(!warning.contains(QLatin1String("env-rt-6666")) && !warning.contains(QLatin1String("rt-rotated-7777")),
             qPrintable(warning));

    const auto removed = await<bool>([&chain](auto done) { chain.remove(crm, refreshToken, done); });
    QVERIFY(removed && *removed && removed->value());
    QVERIFY(!CredentialsFileStore(m_path).readNow(crm, refreshToken).value());
}

void TestSecretStore::chainedWithoutWritableStore()
{
    ChainedStore readOnly({std::make_shared<EnvironmentStore>()});
    QVERIFY(!readOnly.isWritable());
    const auto refused =
        await<bool>([&readOnly](auto done) { readOnly.write(crm, QStringLiteral("pw"), QStringLiteral("x"), done); });
    QVERIFY(refused);
    expectError(*refused, QLatin1String("can only be read"));
    ChainedStore empty({});
    QVERIFY(!await<SecretValue>([&empty](auto done) { empty.read(crm, QStringLiteral("pw"), done); })->value());
    QCOMPARE(empty.location(crm, QStringLiteral("pw")), QStringLiteral("nowhere (no secret store is configured)"));
}

void TestSecretStore::chainedWaitsForAsyncStores()
{
    writeRaw(m_path, sample, 0600);
    auto deferred = std::make_shared<DeferredStore>();
    auto chain = std::make_unique<ChainedStore>(
        std::vector<std::shared_ptr<SecretStore>>{deferred, std::make_shared<CredentialsFileStore>(m_path)});

    std::optional<Expected<SecretValue>> result;
    chain->read(mls, apiKey, [&result](const Expected<SecretValue> &r) { result = r; });
    QVERIFY(!result); // the deferred store answers from the event loop
    chain.reset();    // callbacks still running keep the stores alive
    QTRY_VERIFY(result.has_value());
    QCOMPARE(valueOf(*result), QStringLiteral("mls-2222"));

    deferred->values.insert(QStringLiteral("mls/api_key"), QStringLiteral("deferred-8888"));
    ChainedStore again({deferred, std::make_shared<CredentialsFileStore>(m_path)});
    const auto first = await<SecretValue>([&again](auto done) { again.read(mls, apiKey, done); });
    QVERIFY(first);
    QCOMPARE(valueOf(*first), QStringLiteral("deferred-8888"));
    const auto written = await<bool>([&again](auto done) { again.write(mls, apiKey, QStringLiteral("d-9"), done); });
    QVERIFY(written && written->value());
    QCOMPARE(deferred->values.value(QStringLiteral("mls/api_key")),
             QStringLiteral("d-9")); // the first writable store
    const auto removed = await<bool>([&again](auto done) { again.remove(mls, apiKey, done); });
    QVERIFY(removed && removed->value());
    QVERIFY(deferred->values.isEmpty());
    QVERIFY(!CredentialsFileStore(m_path).readNow(mls, apiKey).value()); // removed everywhere
}

void TestSecretStore::secretsReachTheRedactor()
{
    writeRaw(m_path, sample, 0600);
    transom::log::redactor().clearSecrets();
    QVERIFY(CredentialsFileStore(m_path).readNow(crmOAuth, clientSecret));
    qputenv("TRANSOM_SECRET_CRM_PASSWORD", "env-pw-123456");
    QVERIFY(EnvironmentStore().readNow(crm, QStringLiteral("password")));
    qunsetenv("TRANSOM_SECRET_CRM_PASSWORD");
    QVERIFY(CredentialsFileStore(m_path).writeNow(crm, apiKey, QStringLiteral("new-key-0987")));
    QCOMPARE(transom::log::redactor().redact(QStringLiteral("echo cs-1111 env-pw-123456 new-key-0987 mls-2222")),
             QStringLiteral("echo *** *** *** mls-2222")); // mls-2222 was never handed out
    transom::log::redactor().clearSecrets();
}

void TestSecretStore::keychainRoundTrip()
{
    QVERIFY2(m_bus->ok(), qPrintable(m_bus->problem()));
    KeychainStore store;
    QCOMPARE(store.backend(), KeychainStore::Backend::Unknown);
    QVERIFY(store.isWritable());
    const auto badName = await<SecretValue>([&store](auto done) { store.read(QString(), QStringLiteral("pw"), done); });
    QVERIFY(badName && !*badName);
    QCOMPARE(store.location(crm, QStringLiteral("pw")),
             QStringLiteral("the system keychain (service \"Transom\", entry \"crm/pw\")"));

    const QString connection = QStringLiteral("tst-secretstore-%1").arg(QCoreApplication::applicationPid());
    const auto written =
        await<bool>([&](auto done) { store.write(connection, refreshToken, QStringLiteral("kc-rt-1234"), done); });
    QVERIFY2(written, "the keychain never answered");
    QVERIFY2(*written, qPrintable(problem(*written)));
    QCOMPARE(store.backend(), KeychainStore::Backend::Available);
    const auto read = await<SecretValue>([&](auto done) { store.read(connection, refreshToken, done); });
    QVERIFY(read);
    QCOMPARE(valueOf(*read), QStringLiteral("kc-rt-1234"));
    const auto removed = await<bool>([&](auto done) { store.remove(connection, refreshToken, done); });
    QVERIFY(removed);
    QVERIFY2(*removed, qPrintable(problem(*removed)));
    const auto gone = await<SecretValue>([&](auto done) { store.read(connection, refreshToken, done); });
    QVERIFY(gone && *gone && !gone->value());
}

void TestSecretStore::keychainEntriesBelongToAProjectAndItsOrigins_data()
{
    QTest::addColumn<QString>("savedBy");     // "project" (this one, scoped), "other" project, or "earlier" Transom
    QTest::addColumn<QString>("savedOrigin"); // where the secret went when it was saved
    QTest::addColumn<QString>("nowOrigin");   // where this project would send it now
    QTest::addColumn<bool>("handedOut");
    QTest::addColumn<bool>("asked"); // a SecretOriginChange is reported
    const QString crmOrigin = QStringLiteral("https://crm.example.com");
    const QString evil = QStringLiteral("https://crm.example.com.evil.example");
    QTest::newRow("same project, same origin") << "project" << crmOrigin << crmOrigin << true << false;
    QTest::newRow("same project, the file now names another host") << "project" << crmOrigin << evil << false << true;
    QTest::newRow("same project, plain http now")
        << "project" << crmOrigin << "http://crm.example.com" << false << true;
    QTest::newRow("same project, another port")
        << "project" << crmOrigin << "https://crm.example.com:8443" << false << true;
    QTest::newRow("another project with a connection of the same name")
        << "other" << crmOrigin << crmOrigin << false << false;
    QTest::newRow("an earlier Transom's entry, for any project")
        << "earlier" << QString() << crmOrigin << false << true;
}

// Keychain entries are the machine's, project files anyone's: a secret is handed to a project only for
// the project and the origins it was saved for; anything else is a question for the user, and the
// secret is used only once the user agrees (adopt).
void TestSecretStore::keychainEntriesBelongToAProjectAndItsOrigins()
{
    QFETCH(QString, savedBy);
    QFETCH(QString, savedOrigin);
    QFETCH(QString, nowOrigin);
    QFETCH(bool, handedOut);
    QFETCH(bool, asked);
    QVERIFY2(m_bus->ok(), qPrintable(m_bus->problem()));
    // One service per row: rows never see each other's entries.
    const QString service = QStringLiteral("Transom-tst-%1-%2")
                                .arg(QCoreApplication::applicationPid())
                                .arg(qHash(QString::fromLatin1(QTest::currentDataTag())));
    const QString secret = QStringLiteral("kc-api-key-%1").arg(QCoreApplication::applicationPid());
    KeychainStore saver(service);
    if (savedBy != QLatin1String("earlier"))
        saver.setScope({savedBy == QLatin1String("project") ? QStringLiteral("project-a") : QStringLiteral("project-b"),
                        [savedOrigin](const QString &, const QString &) { return savedOrigin; }});
    const auto written = await<bool>([&](auto done) { saver.write(crm, apiKey, secret, done); });
    QVERIFY2(written && *written && written->value(), "the keychain did not take the secret");

    KeychainStore store(service);
    store.setScope({QStringLiteral("project-a"), [nowOrigin](const QString &, const QString &) { return nowOrigin; }});
    QCOMPARE(store.location(crm, apiKey),
             QStringLiteral("the system keychain (service \"%1\", entry \"project-a/crm/api_key\")").arg(service));
    const auto found = await<KeychainStore::Lookup>([&](auto done) { store.lookup(crm, apiKey, done); });
    QVERIFY(found && *found);
    const KeychainStore::Lookup &lookup = found->value();
    QCOMPARE(lookup.value.has_value(), handedOut);
    if (handedOut)
        QCOMPARE(*lookup.value, secret);
    QCOMPARE(lookup.change.has_value(), asked);
    const auto read = await<SecretValue>([&](auto done) { store.read(crm, apiKey, done); });
    QCOMPARE(valueOf(*read), handedOut ? secret : QStringLiteral("<>")); // read() never hands out a held one
    if (!asked)
        return;
    QCOMPARE(lookup.change->connection, crm);
    QCOMPARE(lookup.change->key, apiKey);
    QCOMPARE(lookup.change->savedOrigin, savedOrigin);
    QCOMPARE(lookup.change->currentOrigin, nowOrigin);
    QCOMPARE(lookup.change->earlierVersion(), savedBy == QLatin1String("earlier"));

    // The user agrees: from now on the secret is this project's, for where it goes now.
    const auto adopted = await<bool>([&](auto done) { store.adopt(crm, apiKey, done); });
    QVERIFY(adopted && *adopted && adopted->value());
    const auto after = await<KeychainStore::Lookup>([&](auto done) { store.lookup(crm, apiKey, done); });
    QVERIFY(after && *after);
    QCOMPARE(after->value().value.value_or(QString()), secret);
    QVERIFY(!after->value().change);
    // ...and only for there: the project moving it once more asks again.
    store.setScope({QStringLiteral("project-a"),
                    [](const QString &, const QString &) { return QStringLiteral("https://third.example"); }});
    const auto moved = await<KeychainStore::Lookup>([&](auto done) { store.lookup(crm, apiKey, done); });
    QVERIFY(moved && *moved && !moved->value().value && moved->value().change);
    QCOMPARE(moved->value().change->savedOrigin, nowOrigin);
}

QTEST_GUILESS_MAIN(TestSecretStore)
#include "tst_secretstore.moc"
