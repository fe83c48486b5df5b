// The connection editor against the sandbox over loopback: the form follows the connector's settings
// spec, "Test connection" makes a real call and reports the vendor's refusal of a wrong key, saving keeps
// every other key of the project file and writes secrets only to the secret store, and "Sign in" runs the
// authorization-code flow and stores the refresh token.
#include "core/auth/secretstore.h"
#include "core/connect/connectorregistry.h"
#include "core/sync/projectedit.h"
#include "privatesessionbus.h"
#include "sandboxfixture.h"
#include "ui/connectioneditor.h"
#include "ui/projectsession.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QUrlQuery>

#include <sys/stat.h>

using namespace transom;
using namespace transom::testing;

class TestConnectionEditor : public QObject {
    Q_OBJECT
    /// The session bus of this process: a private one without a Secret Service, or none at all
    /// (TRANSOM_TEST_BUS=none), so a keychain write always fails here, whatever the machine has.
    std::unique_ptr<PrivateSessionBus> m_bus;

private Q_SLOTS:
    void initTestCase()
    {
        m_bus = std::make_unique<PrivateSessionBus>(
            qgetenv("TRANSOM_TEST_BUS") == "none" ? PrivateSessionBus::Kind::NoBus : PrivateSessionBus::Kind::EmptyBus);
        QVERIFY2(m_bus->ok(), qPrintable(m_bus->problem()));
    }
    void cleanupTestCase() { m_bus.reset(); }
    void formFollowsTheSpec_data();
    void formFollowsTheSpec();
    void testConnection_data();
    void testConnection();
    void saveKeepsOtherKeysAndNoSecret();
    void signInStoresTheRefreshToken();
    void signInSendsNoSecretOverPlainHttp_data();
    void signInSendsNoSecretOverPlainHttp();
    void withoutAKeychainSecretsGoToTheCredentialsFile();
    void settingsReference_data();
    void settingsReference();

private:
    struct Fixture {
        SandboxFixture sandbox;
        QTemporaryDir dir;
        QString projectPath;
        QString credentialsPath;
        ui::ProjectSession session;
        std::shared_ptr<auth::CredentialsFileStore> store;
        Fixture();
    };
    static QPushButton *button(QWidget *w, const char *name)
    {
        return w->findChild<QPushButton *>(QLatin1String(name));
    }
};

TestConnectionEditor::Fixture::Fixture()
{
    const QJsonObject root{
        {QStringLiteral("transom_project"), 1},
        {QStringLiteral("name"), QStringLiteral("editor")},
        {QStringLiteral("ui"), QJsonObject{{QStringLiteral("last_tab"), QStringLiteral("run")}}}, // not ours: kept
        {QStringLiteral("connections"),
         QJsonObject{
             {QStringLiteral("portal"),
              QJsonObject{{QStringLiteral("preset"), QStringLiteral("webhook-lead-portal")},
                          {QStringLiteral("base_url"), sandbox.server.baseUrl()},
                          {QStringLiteral("note"), QStringLiteral("the office's lead portal")}}},
             {QStringLiteral("crm"),
              QJsonObject{
                  {QStringLiteral("preset"), QStringLiteral("oauth-crm")},
                  {QStringLiteral("base_url"), sandbox.server.baseUrl()},
                  {QStringLiteral("auth"), QJsonObject{{QStringLiteral("style"), QStringLiteral("basic_api_key")}}},
                  {QStringLiteral("settings"), QJsonObject{{QStringLiteral("mode"), QStringLiteral("create")}}}}},
             {QStringLiteral("crm-oauth"),
              QJsonObject{{QStringLiteral("preset"), QStringLiteral("oauth-crm")},
                          {QStringLiteral("base_url"), sandbox.server.baseUrl()},
                          {QStringLiteral("auth"),
                           QJsonObject{{QStringLiteral("client_id"), QStringLiteral("transom-demo")}}}}}}},
        {QStringLiteral("jobs"), QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("leads")},
                                                        {QStringLiteral("source"), QStringLiteral("portal")},
                                                        {QStringLiteral("sink"), QStringLiteral("crm")},
                                                        {QStringLiteral("mapping"), QStringLiteral("leads.json")}}}}};
    projectPath = dir.filePath(QStringLiteral("project.json"));
    QFile f(projectPath);
    if (!f.open(QIODevice::WriteOnly))
        qFatal("cannot write the project");
    f.write(QJsonDocument(root).toJson());
    f.close();
    credentialsPath = dir.filePath(QStringLiteral("credentials.json"));
    store = std::make_shared<auth::CredentialsFileStore>(credentialsPath);
    // The CRM's key is stored; the portal's is typed into the form.
    if (!store->writeNow(QStringLiteral("crm"), QStringLiteral("api_key"), QStringLiteral("sandbox-api-key")))
        qFatal("cannot write the credentials");
    QString error;
    if (!session.open(projectPath, &error))
        qFatal("%s", qPrintable(error));
}

void TestConnectionEditor::formFollowsTheSpec_data()
{
    QTest::addColumn<QString>("connection");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("secret");
    QTest::newRow("portal (source)") << "portal"
                                     << "source"
                                     << "api_key";
    QTest::newRow("crm (sink)") << "crm"
                                << "sink"
                                << "api_key";
    QTest::newRow("crm-oauth (sink)") << "crm-oauth"
                                      << "sink"
                                      << "client_secret";
}

void TestConnectionEditor::formFollowsTheSpec()
{
    QFETCH(QString, connection);
    QFETCH(QString, kind);
    QFETCH(QString, secret);
    Fixture f;
    ui::ConnectionEditor editor(&f.session, connection);
    editor.show();
    const connect::ConnectorSpec *spec = connect::ConnectorRegistry::builtin().find(kind, QStringLiteral("rest"));
    QVERIFY(spec && !spec->settings.isEmpty());
    using T = connect::SettingSpec::Type;
    for (const connect::SettingSpec &s : spec->settings) {
        QWidget *w = editor.settingEditor(s.key);
        QVERIFY2(w, qPrintable(s.key));
        QVERIFY(!w->accessibleName().isEmpty());
        switch (s.type) {
        case T::Integer:
            QVERIFY2(qobject_cast<QSpinBox *>(w), qPrintable(s.key));
            break;
        case T::Boolean:
            QVERIFY2(qobject_cast<QCheckBox *>(w), qPrintable(s.key));
            break;
        case T::Choice:
            QVERIFY2(qobject_cast<QComboBox *>(w), qPrintable(s.key));
            QCOMPARE(static_cast<QComboBox *>(w)->count(), s.choices.size());
            break;
        default:
            QVERIFY2(qobject_cast<QLineEdit *>(w), qPrintable(s.key));
        }
    }
    QCOMPARE(editor.baseUrlEditor()->text(), f.sandbox.server.baseUrl());
    QLineEdit *secretEdit = editor.secretEditor(secret);
    QVERIFY(secretEdit);
    QCOMPARE(secretEdit->echoMode(), QLineEdit::Password);
    QVERIFY(secretEdit->isVisibleTo(&editor));
    QVERIFY(secretEdit->text().isEmpty()); // a stored secret is never shown
    if (connection == QLatin1String("portal")) {
        // The preset's values are the starting point.
        QCOMPARE(static_cast<QLineEdit *>(editor.settingEditor(QStringLiteral("url")))->text(),
                 QStringLiteral("{base}/portal/leads"));
        QCOMPARE(static_cast<QSpinBox *>(editor.settingEditor(QStringLiteral("page_size")))->value(), 100);
        QCOMPARE(static_cast<QComboBox *>(editor.settingEditor(QStringLiteral("paging")))->currentText(),
                 QStringLiteral("cursor"));
        QVERIFY(editor.secretEditor(QStringLiteral("webhook_secret"))->isVisibleTo(&editor));
        QVERIFY(!editor.secretEditor(QStringLiteral("client_secret"))->isVisibleTo(&editor));
        QVERIFY(!button(&editor, "signInButton")->isVisibleTo(&editor));
    } else if (connection == QLatin1String("crm")) {
        QCOMPARE(static_cast<QComboBox *>(editor.settingEditor(QStringLiteral("mode")))->currentText(),
                 QStringLiteral("create")); // the connection's own value over the preset's upsert
        QCOMPARE(secretEdit->placeholderText().contains(QStringLiteral("Stored")), true);
    } else {
        QCOMPARE(editor.authStyleEditor()->currentData().toString(), QStringLiteral("oauth_authorization_code"));
        QVERIFY(button(&editor, "signInButton")->isVisibleTo(&editor));
    }
}

void TestConnectionEditor::testConnection_data()
{
    QTest::addColumn<QString>("connection");
    QTest::addColumn<QString>("typedKey");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("says");
    QTest::newRow("source, typed key") << "portal"
                                       << "sandbox-api-key" << true << "Connected: 100 records on the first page";
    QTest::newRow("source, wrong key") << "portal"
                                       << "wrong-key" << false << "HTTP 401: X-Api-Key is missing or wrong";
    QTest::newRow("source, no key") << "portal"
                                    << "" << false << "needs its api key";
    QTest::newRow("sink, stored key") << "crm"
                                      << "" << true << "Connected: the destination answered a lookup";
    QTest::newRow("sink, wrong key") << "crm"
                                     << "wrong-key" << false << "HTTP 401";
}

void TestConnectionEditor::testConnection()
{
    QFETCH(QString, connection);
    QFETCH(QString, typedKey);
    QFETCH(bool, ok);
    QFETCH(QString, says);
    Fixture f;
    ui::ConnectionEditor editor(&f.session, connection);
    editor.show();
    QTest::keyClicks(editor.secretEditor(QStringLiteral("api_key")), typedKey);
    QSignalSpy tested(&editor, &ui::ConnectionEditor::testFinished);
    QPushButton *test = button(&editor, "testButton");
    QTest::mouseClick(test, Qt::LeftButton);
    QVERIFY(!test->isEnabled()); // the call runs off the UI thread; the dialog stays responsive
    QVERIFY(tested.wait(30000));
    const QString message = tested.first().at(1).toString();
    QCOMPARE(tested.first().at(0).toBool(), ok);
    QVERIFY2(message.contains(says), qPrintable(message));
    QVERIFY(editor.testResult().contains(says));
    QVERIFY(test->isEnabled());
    if (!typedKey.isEmpty())
        QVERIFY(!message.contains(typedKey));
}

void TestConnectionEditor::saveKeepsOtherKeysAndNoSecret()
{
    Fixture f;
    const QJsonObject before = QJsonDocument::fromJson([&] {
                                   QFile in(f.projectPath);
                                   return in.open(QIODevice::ReadOnly) ? in.readAll() : QByteArray();
                               }())
                                   .object();
    ui::ConnectionEditor editor(&f.session, QStringLiteral("portal"));
    editor.setSecretStore(f.store);
    editor.show();
    static_cast<QSpinBox *>(editor.settingEditor(QStringLiteral("page_size")))->setValue(50);
    QTest::keyClicks(editor.secretEditor(QStringLiteral("api_key")), QStringLiteral("portal-secret-4321"));
    QTest::keyClicks(editor.secretEditor(QStringLiteral("webhook_secret")), QStringLiteral("whsec-portal-8765"));
    QSignalSpy saved(&editor, &ui::ConnectionEditor::saved);
    QTest::mouseClick(button(&editor, "saveButton"), Qt::LeftButton);
    QTRY_COMPARE(saved.size(), 1);
    QCOMPARE(editor.result(), int(QDialog::Accepted));

    QFile in(f.projectPath);
    QVERIFY(in.open(QIODevice::ReadOnly));
    const QByteArray text = in.readAll();
    QVERIFY(!text.contains("portal-secret-4321"));
    QVERIFY(!text.contains("whsec-portal-8765"));
    QVERIFY(!text.contains("sandbox-api-key"));
    const QJsonObject after = QJsonDocument::fromJson(text).object();
    for (const QString &key :
         {QStringLiteral("transom_project"), QStringLiteral("name"), QStringLiteral("ui"), QStringLiteral("jobs")})
        QCOMPARE(after.value(key), before.value(key));
    const QJsonObject connections = after.value(QStringLiteral("connections")).toObject();
    const QJsonObject beforeConnections = before.value(QStringLiteral("connections")).toObject();
    QCOMPARE(connections.value(QStringLiteral("crm")), beforeConnections.value(QStringLiteral("crm")));
    QCOMPARE(connections.value(QStringLiteral("crm-oauth")), beforeConnections.value(QStringLiteral("crm-oauth")));
    const QJsonObject portal = connections.value(QStringLiteral("portal")).toObject();
    QCOMPARE(portal.value(QStringLiteral("note")).toString(), QStringLiteral("the office's lead portal"));
    QCOMPARE(portal.value(QStringLiteral("preset")).toString(), QStringLiteral("webhook-lead-portal"));
    QCOMPARE(portal.value(QStringLiteral("base_url")).toString(), f.sandbox.server.baseUrl());
    // Only what differs from the preset is written.
    QCOMPARE(portal.value(QStringLiteral("settings")).toObject(), QJsonObject({{QStringLiteral("page_size"), 50}}));
    QVERIFY(!portal.contains(QStringLiteral("auth")));
    QVERIFY(sync::Project::load(f.projectPath)); // still a project

    // The secrets went to the secret store (a 0600 file here).
    const auto apiKey = f.store->readNow(QStringLiteral("portal"), QStringLiteral("api_key"));
    QVERIFY(apiKey && apiKey.value());
    QCOMPARE(*apiKey.value(), QStringLiteral("portal-secret-4321"));
    const auto webhook = f.store->readNow(QStringLiteral("portal"), QStringLiteral("webhook_secret"));
    QVERIFY(webhook && webhook.value());
    QCOMPARE(*webhook.value(), QStringLiteral("whsec-portal-8765"));
    const QFile::Permissions others =
        QFile::ReadGroup | QFile::WriteGroup | QFile::ReadOther | QFile::WriteOther | QFile::ExeGroup | QFile::ExeOther;
    QVERIFY(!(QFile::permissions(f.credentialsPath) & others));
}

void TestConnectionEditor::signInStoresTheRefreshToken()
{
    Fixture f;
    ui::ConnectionEditor editor(&f.session, QStringLiteral("crm-oauth"));
    editor.setSecretStore(f.store);
    QUrl opened;
    editor.setBrowserOpener([&opened](const QUrl &url) { opened = url; });
    editor.show();
    QTest::keyClicks(editor.secretEditor(QStringLiteral("client_secret")), QStringLiteral("sandbox-client-secret"));
    QSignalSpy signedIn(&editor, &ui::ConnectionEditor::signInFinished);
    QTest::mouseClick(button(&editor, "signInButton"), Qt::LeftButton);
    QVERIFY2(opened.isValid(), qPrintable(editor.findChild<QLabel *>(QStringLiteral("signInStatus"))->text()));
    QCOMPARE(QUrlQuery(opened).queryItemValue(QStringLiteral("code_challenge_method")), QStringLiteral("S256"));

    // The person signs in at the vendor's page; the browser follows the redirect to the loopback.
    const QByteArray form = opened.query(QUrl::FullyEncoded).toUtf8() + "&username=dana&password=sandbox";
    const net::HttpResponse login = f.sandbox.call("POST", QStringLiteral("/oauth/authorize"), form,
                                                   {{"Content-Type", "application/x-www-form-urlencoded"}});
    QCOMPARE(login.status, 302);
    net::HttpRequest redirect;
    redirect.url = QUrl(QString::fromUtf8(login.header("Location")));
    QCOMPARE(f.sandbox.client.sendAndWait(redirect).status, 200);
    QTRY_COMPARE(signedIn.size(), 1);
    QVERIFY2(signedIn.first().at(0).toBool(), qPrintable(signedIn.first().at(1).toString()));
    const auto token = f.store->readNow(QStringLiteral("crm-oauth"), QStringLiteral("refresh_token"));
    QVERIFY(token && token.value() && !token.value()->isEmpty());

    // With the token from the sign-in, the connection works.
    QSignalSpy tested(&editor, &ui::ConnectionEditor::testFinished);
    QTest::mouseClick(button(&editor, "testButton"), Qt::LeftButton);
    QVERIFY(tested.wait(30000));
    QVERIFY2(tested.first().at(0).toBool(), qPrintable(tested.first().at(1).toString()));
}

void TestConnectionEditor::signInSendsNoSecretOverPlainHttp_data()
{
    // A URL typed into the form (the project itself would be refused when opened).
    QTest::addColumn<QString>("setting");
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("why");
    QTest::newRow("token URL over plain http") << "token_url"
                                               << "http://192.0.2.1/oauth/token"
                                               << "plain http:// to 192.0.2.1";
    QTest::newRow("sign-in page behind a user name") << "authorize_url"
                                                     << "http://127.0.0.1@evil.example/oauth/authorize"
                                                     << "would go to evil.example";
    QTest::newRow("token URL over ftp") << "token_url"
                                        << "ftp://crm.example.com/token"
                                        << "ftp:// is not allowed";
}

void TestConnectionEditor::signInSendsNoSecretOverPlainHttp()
{
    QFETCH(QString, setting);
    QFETCH(QString, url);
    QFETCH(QString, why);
    Fixture f;
    ui::ConnectionEditor editor(&f.session, QStringLiteral("crm-oauth"));
    editor.setSecretStore(f.store);
    bool browserOpened = false;
    editor.setBrowserOpener([&browserOpened](const QUrl &) { browserOpened = true; });
    editor.show();
    auto *field = editor.findChild<QLineEdit *>(QStringLiteral("auth_") + setting);
    QVERIFY(field);
    field->setText(url);
    QTest::keyClicks(editor.secretEditor(QStringLiteral("client_secret")), QStringLiteral("sandbox-client-secret"));
    QSignalSpy signedIn(&editor, &ui::ConnectionEditor::signInFinished);
    QTest::mouseClick(button(&editor, "signInButton"), Qt::LeftButton);
    QTRY_COMPARE(signedIn.size(), 1);
    QVERIFY(!signedIn.first().at(0).toBool());
    const QString message = signedIn.first().at(1).toString();
    QVERIFY2(message.startsWith(QStringLiteral("%1 \"%2\" cannot be used: ").arg(setting, url)), qPrintable(message));
    QVERIFY2(message.contains(why), qPrintable(message));
    QVERIFY(!browserOpened);
    const QJsonObject counters = SandboxFixture::json(f.sandbox.call("GET", QStringLiteral("/_admin/counters")));
    QCOMPARE(counters.value(QLatin1String("requests.oauth.token")).toInteger(), 0);
}

void TestConnectionEditor::withoutAKeychainSecretsGoToTheCredentialsFile()
{
    Fixture f;
    QFile::remove(f.credentialsPath);                               // the first secret creates the file
    ui::ConnectionEditor editor(&f.session, QStringLiteral("crm")); // the default store: keychain, else file
    editor.show();
    QTest::keyClicks(editor.secretEditor(QStringLiteral("api_key")), QStringLiteral("rotated-key-2468"));
    QSignalSpy saved(&editor, &ui::ConnectionEditor::saved);
    QSignalSpy failed(&editor, &ui::ConnectionEditor::saveFailed);
    QSignalSpy toFile(&editor, &ui::ConnectionEditor::secretsSavedToFile);
    QTest::mouseClick(button(&editor, "saveButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(saved.size() + failed.size(), 1, 30000);
    QVERIFY2(failed.isEmpty(), qPrintable(failed.isEmpty() ? QString() : failed.first().first().toString()));

    // The keychain refused (no Secret Service here); the secret is in the credentials file, private.
    const auto key = f.store->readNow(QStringLiteral("crm"), QStringLiteral("api_key"));
    QVERIFY2(key, qPrintable(key ? QString() : key.error().toString()));
    QVERIFY(key.value());
    QCOMPARE(*key.value(), QStringLiteral("rotated-key-2468"));
    struct stat info {};
    QCOMPARE(::stat(QFile::encodeName(f.credentialsPath).constData(), &info), 0);
    QCOMPARE(info.st_mode & 07777, 0600u);

    // ... and the dialog says so, in plain words, naming the file; it stays open until closed.
    QCOMPARE(toFile.size(), 1);
    auto *notice = editor.findChild<QLabel *>(QStringLiteral("saveNotice"));
    QVERIFY(notice);
    QVERIFY(notice->isVisible());
    QVERIFY2(notice->text().contains(f.credentialsPath), qPrintable(notice->text()));
    QVERIFY2(notice->text().contains(QLatin1String("could not go to the system keychain")), qPrintable(notice->text()));
    QVERIFY2(notice->text().contains(QLatin1String("0600")), qPrintable(notice->text()));
    QVERIFY(editor.isVisible());
    QVERIFY(!notice->text().contains(QLatin1String("rotated-key-2468")));

    // A second secret saved later goes straight to the file (the keychain was tried and did not work).
    QTest::mouseClick(button(&editor, "saveButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(saved.size(), 2, 30000);
    QCOMPARE(toFile.size(), 2);
    QTest::mouseClick(button(&editor, "cancelButton"), Qt::LeftButton);
    QVERIFY(!editor.isVisible());
}

void TestConnectionEditor::settingsReference_data()
{
    QTest::addColumn<QString>("connection");
    QTest::addColumn<QString>("kind");
    QTest::newRow("portal (source)") << "portal"
                                     << "source";
    QTest::newRow("crm (sink)") << "crm"
                                << "sink";
}

// Issue 21: the form's help and the reference both come from the connector's spec; the reference opens
// beside the form and shows every setting, paging style and sign-in style.
void TestConnectionEditor::settingsReference()
{
    QFETCH(QString, connection);
    QFETCH(QString, kind);
    Fixture f;
    ui::ConnectionEditor editor(&f.session, connection);
    editor.show();
    const connect::ConnectorSpec *spec = connect::ConnectorRegistry::builtin().find(kind, QStringLiteral("rest"));
    QVERIFY(spec);
    for (const connect::SettingSpec &s : spec->settings)
        if (!s.help.isEmpty())
            QCOMPARE(editor.settingEditor(s.key)->toolTip(), s.help);
    QVERIFY(!editor.referenceWindow());
    QTest::mouseClick(button(&editor, "referenceButton"), Qt::LeftButton);
    QDialog *reference = editor.referenceWindow();
    QVERIFY(reference);
    QTRY_VERIFY(reference->isVisible());
    auto *text = reference->findChild<QTextBrowser *>(QStringLiteral("referenceText"));
    QVERIFY(text);
    const QString shown = text->toPlainText();
    for (const connect::SettingSpec &s : spec->settings)
        QVERIFY2(shown.contains(s.key), qPrintable(s.key));
    for (const QString &word : sync::authStyles())
        QVERIFY2(shown.contains(word), qPrintable(word));
    for (const char *paging : {"offset", "page", "cursor", "next_link"})
        QVERIFY2(shown.contains(QLatin1String(paging)), paging);
    // The form stays usable: the reference is not modal, and a second click brings back the same window.
    QVERIFY(!reference->isModal());
    QTest::mouseClick(button(&editor, "referenceButton"), Qt::LeftButton);
    QCOMPARE(editor.referenceWindow(), reference);
    if (kind == QLatin1String("sink")) {
        // headers, read by the sink but missing from the form before: a JSON object in, a JSON object out.
        auto *headers = qobject_cast<QLineEdit *>(editor.settingEditor(QStringLiteral("headers")));
        QVERIFY(headers);
        headers->setText(QStringLiteral(R"({"X-System": "Transom"})"));
        QCOMPARE(editor.connection().settings.value(QStringLiteral("headers")).toObject(),
                 QJsonObject({{QStringLiteral("X-System"), QStringLiteral("Transom")}}));
    }
}

QTEST_MAIN(TestConnectionEditor)
#include "tst_connectioneditor.moc"
