// Keychain secrets belong to one project and to the origins they are sent to (issue 17, item 3), against
// a real Secret Service (gnome-keyring-daemon on the test's own bus): a secret typed into the connection
// editor is saved for this project and where the connection sends it; a project file changed to send it
// elsewhere gets nothing until the user agrees in the studio's question; another project with a
// connection of the same name never sees it; an earlier Transom's unscoped entry is asked about; and a
// refresh token that came from the keychain goes back there when the vendor rotates it (item 4).
#include "core/auth/desktopsecretstore.h"
#include "core/auth/secretstore.h"
#include "core/sync/credentialurls.h"
#include "privatesessionbus.h"
#include "sandboxfixture.h"
#include "ui/connectioneditor.h"
#include "ui/projectsession.h"
#include "ui/secretoriginprompt.h"

#include <QApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <thread>

using namespace transom;
using namespace transom::testing;

namespace {

const QString crm = QStringLiteral("crm");
const QString crmOAuth = QStringLiteral("crm-oauth");
const QString apiKey = QStringLiteral("api_key");
const QString refreshToken = QStringLiteral("refresh_token");

/// A project folder with a CRM on an API key and one on OAuth, both at `baseUrl`.
QString writeProject(const QTemporaryDir &dir, const QString &baseUrl, const QString &id = {})
{
    QJsonObject root{
        {QStringLiteral("transom_project"), 1},
        {QStringLiteral("name"), QStringLiteral("keychain")},
        {QStringLiteral("connections"),
         QJsonObject{{crm, QJsonObject{{QStringLiteral("preset"), QStringLiteral("oauth-crm")},
                                       {QStringLiteral("base_url"), baseUrl},
                                       {QStringLiteral("auth"),
                                        QJsonObject{{QStringLiteral("style"), QStringLiteral("basic_api_key")}}}}},
                     {crmOAuth, QJsonObject{{QStringLiteral("preset"), QStringLiteral("oauth-crm")},
                                            {QStringLiteral("base_url"), baseUrl},
                                            {QStringLiteral("auth"), QJsonObject{{QStringLiteral("client_id"),
                                                                                  QStringLiteral("transom-demo")}}}}}}},
        {QStringLiteral("jobs"), QJsonArray{}}};
    if (!id.isEmpty())
        root.insert(QStringLiteral("id"), id);
    const QString path = dir.filePath(QStringLiteral("project.json"));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        qFatal("cannot write the project");
    f.write(QJsonDocument(root).toJson());
    return path;
}

/// Points a connection of the project file at another base URL, as someone editing the file would.
void moveConnection(const QString &projectPath, const QString &connection, const QString &baseUrl)
{
    QFile f(projectPath);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QJsonObject root = QJsonDocument::fromJson(f.readAll()).object();
    f.close();
    QJsonObject connections = root.value(QLatin1String("connections")).toObject();
    QJsonObject entry = connections.value(connection).toObject();
    entry.insert(QStringLiteral("base_url"), baseUrl);
    connections.insert(connection, entry);
    root.insert(QStringLiteral("connections"), connections);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(QJsonDocument(root).toJson());
}

bool openAndSettle(ui::ProjectSession &session, const QString &path)
{
    QString error;
    if (!session.open(path, &error)) {
        qWarning("%s", qPrintable(error));
        return false;
    }
    return QTest::qWaitFor([&session] { return session.keychainSettled(); }, 30000);
}

} // namespace

class TestSecretOrigin : public QObject {
    Q_OBJECT
    std::unique_ptr<PrivateSessionBus> m_bus;
    int m_run = 0;

private Q_SLOTS:
    void initTestCase()
    {
        m_bus = std::make_unique<PrivateSessionBus>(PrivateSessionBus::Kind::WithKeyring);
        QVERIFY2(m_bus->ok(), qPrintable(m_bus->problem()));
    }
    void init()
    {
        // Each test its own keychain service: nothing one test saves is seen by another.
        ui::ProjectSession::setKeychainService(
            QStringLiteral("Transom-tst-secretorigin-%1-%2").arg(QCoreApplication::applicationPid()).arg(++m_run));
    }
    void cleanupTestCase() { m_bus.reset(); }

    void aChangedOriginIsAskedAboutBeforeTheSecretIsSent();
    void anotherProjectNeverSeesTheSecret();
    void anEarlierTransomsEntryIsAskedAbout();
    void aRotatedRefreshTokenGoesBackToTheKeychain();
};

void TestSecretOrigin::aChangedOriginIsAskedAboutBeforeTheSecretIsSent()
{
    SandboxFixture sandbox;
    QTemporaryDir dir;
    const QString path = writeProject(dir, sandbox.server.baseUrl());
    QWidget window;
    ui::ProjectSession session;
    ui::SecretOriginPrompt prompt(&session, &window);
    QVERIFY(openAndSettle(session, path));

    // The admin types the key into the connection editor and saves: the keychain takes it.
    {
        ui::ConnectionEditor editor(&session, crm);
        editor.show();
        QTest::keyClicks(editor.secretEditor(apiKey), QStringLiteral("kc-key-1357"));
        QSignalSpy saved(&editor, &ui::ConnectionEditor::saved);
        QSignalSpy toFile(&editor, &ui::ConnectionEditor::secretsSavedToFile);
        QTest::mouseClick(editor.findChild<QPushButton *>(QStringLiteral("saveButton")), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(saved.size(), 1, 30000);
        QCOMPARE(toFile.size(), 0); // a real Secret Service: nothing in the credentials file
    }
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("credentials.json"))));
    QVERIFY(openAndSettle(session, path));
    QCOMPARE(session.secrets().read(crm, apiKey), QStringLiteral("kc-key-1357"));
    QVERIFY(session.heldSecrets().isEmpty());
    QVERIFY(!prompt.question());

    // Someone points the connection at another host: the key is held back and the studio asks.
    const QString elsewhere = QStringLiteral("https://crm.example.com.evil.example");
    moveConnection(path, crm, elsewhere);
    QSignalSpy asked(&session, &ui::ProjectSession::secretOriginChanged);
    QVERIFY(openAndSettle(session, path));
    QCOMPARE(asked.size(), 1);
    QCOMPARE(session.secrets().read(crm, apiKey), QString());
    QCOMPARE(session.heldSecrets().size(), 1);
    QTRY_VERIFY(prompt.question() && prompt.question()->isVisible());
    const QString question = prompt.question()->text();
    QVERIFY2(question.contains(elsewhere) && question.contains(sandbox.server.baseUrl()) &&
                 question.contains(QLatin1String("\"crm\"")) && question.contains(QLatin1String("API key")),
             qPrintable(question));
    QVERIFY(!question.contains(QLatin1String("kc-key-1357")));

    // "Keep it back": nothing is sent.
    QSignalSpy answered(&prompt, &ui::SecretOriginPrompt::answered);
    QTest::mouseClick(prompt.question()->findChild<QPushButton *>(QStringLiteral("keepSecret")), Qt::LeftButton);
    QTRY_COMPARE(answered.size(), 1);
    QCOMPARE(answered.first().at(1).toBool(), false);
    QCOMPARE(session.secrets().read(crm, apiKey), QString());

    // Asked again on the next open; "Send to the new address" ties it there and uses it.
    QVERIFY(openAndSettle(session, path));
    QTRY_VERIFY(prompt.question() && prompt.question()->isVisible());
    QTest::mouseClick(prompt.question()->findChild<QPushButton *>(QStringLiteral("sendSecret")), Qt::LeftButton);
    QTRY_COMPARE(answered.size(), 2);
    QCOMPARE(answered.last().at(1).toBool(), true);
    QTRY_COMPARE_WITH_TIMEOUT(session.secrets().read(crm, apiKey), QStringLiteral("kc-key-1357"), 30000);
    QVERIFY(session.heldSecrets().isEmpty());
    asked.clear();
    QVERIFY(openAndSettle(session, path));
    QCOMPARE(asked.size(), 0);
    QCOMPARE(session.secrets().read(crm, apiKey), QStringLiteral("kc-key-1357"));
}

void TestSecretOrigin::anotherProjectNeverSeesTheSecret()
{
    SandboxFixture sandbox;
    QTemporaryDir mine, theirs;
    const QString myPath = writeProject(mine, sandbox.server.baseUrl());
    const QString theirPath = writeProject(theirs, sandbox.server.baseUrl());
    ui::ProjectSession session;
    QVERIFY(openAndSettle(session, myPath));
    auto store = session.makeSecretStore(session.project());
    bool written = false;
    store->write(crm, apiKey, QStringLiteral("kc-key-mine"),
                 [&written](const Expected<bool> &ok) { written = ok.ok(); });
    QTRY_VERIFY_WITH_TIMEOUT(written, 30000);
    QVERIFY(openAndSettle(session, myPath));
    QCOMPARE(session.secrets().read(crm, apiKey), QStringLiteral("kc-key-mine"));

    // Same connection name, same URLs, another project: not its secret, and nothing to ask about.
    QSignalSpy asked(&session, &ui::ProjectSession::secretOriginChanged);
    QVERIFY(openAndSettle(session, theirPath));
    QVERIFY(session.project().id != sync::Project::derivedId(myPath));
    QCOMPARE(session.secrets().read(crm, apiKey), QString());
    QCOMPARE(asked.size(), 0);
}

void TestSecretOrigin::anEarlierTransomsEntryIsAskedAbout()
{
    SandboxFixture sandbox;
    QTemporaryDir dir;
    const QString path = writeProject(dir, sandbox.server.baseUrl(), QStringLiteral("brokerage-leads"));
    // What Transom 0.x saved: "crm/api_key", for whichever project had a "crm".
    auth::KeychainStore earlier(ui::ProjectSession::keychainService());
    bool written = false;
    earlier.write(crm, apiKey, QStringLiteral("kc-key-old"),
                  [&written](const Expected<bool> &ok) { written = ok.ok(); });
    QTRY_VERIFY_WITH_TIMEOUT(written, 30000);

    QWidget window;
    ui::ProjectSession session;
    ui::SecretOriginPrompt prompt(&session, &window);
    QVERIFY(openAndSettle(session, path));
    QCOMPARE(session.project().id, QStringLiteral("brokerage-leads"));
    QCOMPARE(session.secrets().read(crm, apiKey), QString());
    QCOMPARE(session.heldSecrets().size(), 1);
    QVERIFY(session.heldSecrets().first().earlierVersion());
    QTRY_VERIFY(prompt.question() && prompt.question()->isVisible());
    QVERIFY2(prompt.question()->text().contains(QLatin1String("earlier version of Transom")),
             qPrintable(prompt.question()->text()));
    QTest::mouseClick(prompt.question()->findChild<QPushButton *>(QStringLiteral("sendSecret")), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(session.secrets().read(crm, apiKey), QStringLiteral("kc-key-old"), 30000);
    // Saved for this project now, under its id.
    auth::KeychainStore scoped(ui::ProjectSession::keychainService());
    scoped.setScope(session.scopeFor(session.project()));
    std::optional<Expected<auth::KeychainStore::Lookup>> found;
    scoped.lookup(crm, apiKey, [&found](const Expected<auth::KeychainStore::Lookup> &l) { found = l; });
    QTRY_VERIFY_WITH_TIMEOUT(found.has_value(), 30000);
    QVERIFY(*found && found->value().value && !found->value().change);
    QCOMPARE(scoped.location(crm, apiKey).contains(QLatin1String("brokerage-leads/crm/api_key")), true);
}

void TestSecretOrigin::aRotatedRefreshTokenGoesBackToTheKeychain()
{
    SandboxFixture sandbox;
    QTemporaryDir dir;
    const QString path = writeProject(dir, sandbox.server.baseUrl());
    ui::ProjectSession session;
    QVERIFY(openAndSettle(session, path));
    auto store = session.makeSecretStore(session.project());
    bool written = false;
    store->write(crmOAuth, refreshToken, QStringLiteral("kc-rt-1"),
                 [&written](const Expected<bool> &ok) { written = ok.ok(); });
    QTRY_VERIFY_WITH_TIMEOUT(written, 30000);
    QVERIFY(openAndSettle(session, path));
    QCOMPARE(session.secrets().read(crmOAuth, refreshToken), QStringLiteral("kc-rt-1"));

    // The vendor rotates it during a run, on a worker thread: stored in the keychain before it is used.
    bool stored = false;
    std::thread worker([&] { stored = session.secrets().write(crmOAuth, refreshToken, QStringLiteral("kc-rt-2")); });
    QTRY_VERIFY_WITH_TIMEOUT(stored, 30000);
    worker.join();
    QCOMPARE(session.secrets().read(crmOAuth, refreshToken), QStringLiteral("kc-rt-2"));
    QVERIFY2(!QFile::exists(dir.filePath(QStringLiteral("credentials.json"))),
             "the rotated token went to the credentials file, not back to the keychain");
    QVERIFY(openAndSettle(session, path)); // what the keychain holds now
    QCOMPARE(session.secrets().read(crmOAuth, refreshToken), QStringLiteral("kc-rt-2"));

    // A token that came from the credentials file goes back to the file.
    session.close();
    auth::CredentialsFileStore file(dir.filePath(QStringLiteral("credentials.json")));
    QVERIFY(file.writeNow(crm, refreshToken, QStringLiteral("file-rt-1")).ok());
    QVERIFY(openAndSettle(session, path));
    std::thread other([&] { stored = session.secrets().write(crm, refreshToken, QStringLiteral("file-rt-2")); });
    other.join();
    QCOMPARE(file.readNow(crm, refreshToken).value().value_or(QString()), QStringLiteral("file-rt-2"));
}

QTEST_MAIN(TestSecretOrigin)
#include "tst_secretorigin.moc"
