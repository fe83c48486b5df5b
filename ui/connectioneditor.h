#pragma once

#include "core/connect/connector.h"
#include "core/sync/project.h"

#include <QDialog>
#include <QHash>
#include <QPointer>

#include <functional>
#include <memory>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;

namespace transom::auth {
class LoopbackSignIn;
class SecretStore;
} // namespace transom::auth
namespace transom::net {
class HttpClient;
}

namespace transom::ui {

class ProjectSession;

/// Edits one connection of the open project: its base URL, the connector settings (a form built from the
/// connector's settings spec, the preset's values shown as the starting point), how it signs in, and its
/// secrets, which go to the secret store and never to the project file. "Test connection" makes one real
/// call; "Sign in" runs the OAuth authorization-code flow in the system browser.
class ConnectionEditor : public QDialog {
    Q_OBJECT
public:
    /// What a secret is called on screen: "Client secret", "API key", "X-System-Key header".
    static QString secretLabel(const QString &key);
    ConnectionEditor(ProjectSession *session, const QString &connectionName, QWidget *parent = nullptr);
    ~ConnectionEditor() override;

    QString connectionName() const { return m_original.name; }
    /// The connection as the form describes it now (never with secrets).
    sync::ConnectionConfig connection() const;
    /// Where typed secrets and sign-in tokens are saved. By default the keychain, falling back to the
    /// project's credentials file when there is no keychain.
    void setSecretStore(std::shared_ptr<auth::SecretStore> store);
    /// How the vendor's sign-in page is shown; the system browser (QDesktopServices) by default.
    void setBrowserOpener(std::function<void(const QUrl &)> open);

    /// The form's editor of a connector setting, by its key in the settings spec; null when it has none.
    QWidget *settingEditor(const QString &key) const { return m_settingEditors.value(key); }
    /// The password field of a secret ("client_secret", "api_key", ...); null when it has none.
    QLineEdit *secretEditor(const QString &key) const { return m_secretEditors.value(key); }
    QLineEdit *baseUrlEditor() const { return m_baseUrl; }
    QComboBox *authStyleEditor() const { return m_authStyle; }
    QString testResult() const;
    /// The settings reference window, once showReference() opened it.
    QDialog *referenceWindow() const { return m_reference; }

public Q_SLOTS:
    /// Tests the connection as the form describes it, off the UI thread; testFinished tells the outcome.
    void testConnection();
    void signIn();
    /// Opens the connector settings reference (docs/connectors.md, generated from the same specs as this
    /// form) beside the dialog.
    void showReference();
    /// Writes the connection to the project file and the secrets to the secret store; closes when both worked.
    void save();

Q_SIGNALS:
    void testFinished(bool ok, const QString &message);
    void signInFinished(bool ok, const QString &message);
    /// The project file now holds the edited connection (the session should reload it).
    void saved(const QString &connectionName);
    void saveFailed(const QString &message);
    /// The keychain did not take the secrets, so they went to the credentials file: `notice` says where
    /// and why, in plain words, and the dialog shows it (it stays open until the user closes it).
    void secretsSavedToFile(const QString &notice);

private:
    void buildUi();
    QWidget *buildSettings();
    QWidget *buildAuth();
    QWidget *settingWidget(const connect::SettingSpec &spec, const QJsonValue &value);
    QJsonObject settingValues() const;
    QJsonObject authValues() const;
    QJsonObject effectiveAuth() const;
    void updateAuthFields();
    void scopeSecretsTo(const sync::ConnectionConfig &edited);
    void saveSecrets(const QHash<QString, QString> &secrets);
    void showResult(QLabel *label, bool ok, const QString &message);

    ProjectSession *m_session;
    sync::ConnectionConfig m_original;
    QList<connect::SettingSpec> m_spec;
    QJsonObject m_presetSettings;
    QJsonObject m_presetAuth;
    bool m_receivesWebhooks = false;
    std::shared_ptr<auth::SecretStore> m_store;
    std::function<void(const QUrl &)> m_openBrowser;
    std::unique_ptr<net::HttpClient> m_http; ///< for the sign-in's token exchange, created on first use
    QPointer<auth::LoopbackSignIn> m_signIn;
    QString m_refreshToken; ///< from a sign-in in this dialog, until it is saved

    QLineEdit *m_baseUrl = nullptr;
    QHash<QString, QWidget *> m_settingEditors;
    QComboBox *m_authStyle = nullptr;
    QHash<QString, QLineEdit *> m_authEditors; ///< non-secret auth values: client_id, token_url, ...
    QHash<QString, QLineEdit *> m_secretEditors;
    QFormLayout *m_authForm = nullptr;
    QPushButton *m_signInButton = nullptr;
    QLabel *m_signInStatus = nullptr;
    QPushButton *m_testButton = nullptr;
    QPushButton *m_referenceButton = nullptr;
    QPointer<QDialog> m_reference;
    QLabel *m_testResult = nullptr;
    QLabel *m_saveError = nullptr;
    QLabel *m_saveNotice = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    int m_pendingSecretWrites = 0;
    QStringList m_secretFailures;
};

} // namespace transom::ui
