#include "ui/connectioneditor.h"
#include "ui/workerpool.h"

#include "core/auth/desktopsecretstore.h"
#include "core/auth/loopbacksignin.h"
#include "core/auth/secreturl.h"
#include "core/connect/connectorreference.h"
#include "core/sync/connectiontest.h"
#include "core/sync/projectedit.h"
#include "ui/projectsession.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QTextBrowser>
#include <QVBoxLayout>
#include <QtConcurrent>

#include <limits>

namespace transom::ui {

namespace {

/// What a connection test said, as a value a QFuture can carry.
struct TestOutcome {
    bool ok = false;
    QString message;
};

const QStringList &authValueKeys()
{
    static const QStringList keys = {QStringLiteral("client_id"), QStringLiteral("token_url"),
                                     QStringLiteral("authorize_url"), QStringLiteral("scope"),
                                     QStringLiteral("header")};
    return keys;
}

QString authStyleName(const QString &style)
{
    if (style == QLatin1String("none"))
        return ConnectionEditor::tr("No sign-in");
    if (style == QLatin1String("api_key_header"))
        return ConnectionEditor::tr("API key in a header");
    if (style == QLatin1String("basic_api_key"))
        return ConnectionEditor::tr("API key as Basic auth user");
    if (style == QLatin1String("bearer"))
        return ConnectionEditor::tr("Bearer token");
    if (style == QLatin1String("oauth_client_credentials"))
        return ConnectionEditor::tr("OAuth 2.0, client credentials");
    if (style == QLatin1String("oauth_authorization_code"))
        return ConnectionEditor::tr("OAuth 2.0, sign in with the browser");
    return style;
}

QString authValueLabel(const QString &key)
{
    if (key == QLatin1String("client_id"))
        return ConnectionEditor::tr("Client ID");
    if (key == QLatin1String("token_url"))
        return ConnectionEditor::tr("Token URL");
    if (key == QLatin1String("authorize_url"))
        return ConnectionEditor::tr("Sign-in page URL");
    if (key == QLatin1String("scope"))
        return ConnectionEditor::tr("Scope");
    if (key == QLatin1String("header"))
        return ConnectionEditor::tr("API key header");
    return key;
}

} // namespace

QString ConnectionEditor::secretLabel(const QString &key)
{
    if (key == QLatin1String("client_secret"))
        return ConnectionEditor::tr("Client secret");
    if (key == QLatin1String("api_key"))
        return ConnectionEditor::tr("API key");
    if (key == QLatin1String("token"))
        return ConnectionEditor::tr("Access token");
    if (key == QLatin1String("webhook_secret"))
        return ConnectionEditor::tr("Webhook signing secret");
    if (key == QLatin1String("refresh_token"))
        return ConnectionEditor::tr("Sign-in (refresh token)");
    return ConnectionEditor::tr("%1 header").arg(key);
}

namespace {

/// Which auth values a style uses (the rest of the rows are hidden).
bool styleUses(const QString &style, const QString &key)
{
    if (key == QLatin1String("header"))
        return style == QLatin1String("api_key_header");
    if (key == QLatin1String("authorize_url"))
        return style == QLatin1String("oauth_authorization_code");
    return style.startsWith(QLatin1String("oauth_"));
}

/// A headers setting as typed: a JSON object, or the text itself when it is not one (loading the
/// connection then names the setting).
QJsonValue headersValue(const QString &text)
{
    const QString typed = text.trimmed();
    const QJsonDocument doc = QJsonDocument::fromJson(typed.toUtf8());
    if (typed.isEmpty())
        return QJsonObject();
    return doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(typed);
}

/// Spec labels come from core in English; a translation may still supply them.
QString specText(const QString &text)
{
    return QCoreApplication::translate("transom::connect::SettingSpec", text.toUtf8().constData());
}

} // namespace

ConnectionEditor::ConnectionEditor(ProjectSession *session, const QString &connectionName, QWidget *parent)
    : QDialog(parent), m_session(session)
{
    const sync::Project &project = session->project();
    if (const sync::ConnectionConfig *c = project.connection(connectionName))
        m_original = *c;
    m_original.name = connectionName;
    QString connector = m_original.connector;
    QString kind = m_original.kind;
    if (const connect::Preset *preset = session->presets().find(m_original.preset)) {
        m_presetSettings = preset->settings;
        m_presetAuth = preset->auth;
        m_receivesWebhooks = !preset->webhook.isEmpty();
        connector = connector.isEmpty() ? preset->connector : connector;
        kind = kind.isEmpty() ? preset->kind : kind;
    }
    m_receivesWebhooks = m_receivesWebhooks || !m_original.webhook.isEmpty();
    if (const connect::ConnectorSpec *spec =
            connect::ConnectorRegistry::builtin().find(kind, connector.isEmpty() ? QStringLiteral("rest") : connector))
        m_spec = spec->settings;
    m_store = session->makeSecretStore(project);
    m_openBrowser = [](const QUrl &url) { QDesktopServices::openUrl(url); };
    buildUi();
}

ConnectionEditor::~ConnectionEditor()
{
    delete m_signIn; // before the HTTP client it exchanges the code with
}

void ConnectionEditor::setSecretStore(std::shared_ptr<auth::SecretStore> store)
{
    m_store = std::move(store);
}

void ConnectionEditor::setBrowserOpener(std::function<void(const QUrl &)> open)
{
    m_openBrowser = std::move(open);
}

void ConnectionEditor::buildUi()
{
    setWindowTitle(tr("Connection %1").arg(m_original.name));
    setAccessibleName(tr("Connection editor"));
    auto *layout = new QVBoxLayout(this);

    auto *top = new QFormLayout;
    const connect::Preset *preset = m_session->presets().find(m_original.preset);
    auto *presetLabel = new QLabel(preset ? preset->name : tr("No preset"), this);
    presetLabel->setAccessibleName(tr("Preset"));
    top->addRow(tr("Preset:"), presetLabel);
    m_baseUrl = new QLineEdit(m_original.baseUrl, this);
    m_baseUrl->setObjectName(QStringLiteral("baseUrl"));
    m_baseUrl->setAccessibleName(tr("Base URL"));
    m_baseUrl->setPlaceholderText(tr("https://api.example.com"));
    m_baseUrl->setToolTip(tr("Written wherever the preset's settings say {base}."));
    top->addRow(tr("&Base URL:"), m_baseUrl);
    layout->addLayout(top);

    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    auto *inner = new QWidget(scroll);
    auto *innerLayout = new QVBoxLayout(inner);
    innerLayout->addWidget(buildAuth());
    innerLayout->addWidget(buildSettings());
    innerLayout->addStretch(1);
    scroll->setWidget(inner);
    layout->addWidget(scroll, 1);

    auto *testRow = new QHBoxLayout;
    m_testButton = new QPushButton(tr("&Test connection"), this);
    m_testButton->setObjectName(QStringLiteral("testButton"));
    m_testButton->setAccessibleName(tr("Test the connection"));
    m_testResult = new QLabel(this);
    m_testResult->setObjectName(QStringLiteral("testResult"));
    m_testResult->setAccessibleName(tr("Connection test result"));
    m_testResult->setWordWrap(true);
    m_testResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_referenceButton = new QPushButton(tr("Settings &reference"), this);
    m_referenceButton->setObjectName(QStringLiteral("referenceButton"));
    m_referenceButton->setAccessibleName(tr("Show the reference of every connection setting"));
    m_referenceButton->setToolTip(tr("Every setting of every connector and every sign-in style, with examples"));
    testRow->addWidget(m_testButton);
    testRow->addWidget(m_testResult, 1);
    testRow->addWidget(m_referenceButton);
    layout->addLayout(testRow);

    m_saveError = new QLabel(this);
    m_saveError->setObjectName(QStringLiteral("saveError"));
    m_saveError->setAccessibleName(tr("Why the connection was not saved"));
    m_saveError->setWordWrap(true);
    m_saveError->hide();
    layout->addWidget(m_saveError);

    // Where the secrets went when the keychain would not take them: the dialog stays open to say so.
    m_saveNotice = new QLabel(this);
    m_saveNotice->setObjectName(QStringLiteral("saveNotice"));
    m_saveNotice->setAccessibleName(tr("Where the secrets were saved"));
    m_saveNotice->setWordWrap(true);
    m_saveNotice->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_saveNotice->hide();
    layout->addWidget(m_saveNotice);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Save)->setObjectName(QStringLiteral("saveButton"));
    buttons->button(QDialogButtonBox::Cancel)->setObjectName(QStringLiteral("cancelButton"));
    m_buttons = buttons;
    layout->addWidget(buttons);

    connect(m_testButton, &QPushButton::clicked, this, &ConnectionEditor::testConnection);
    connect(m_referenceButton, &QPushButton::clicked, this, &ConnectionEditor::showReference);
    connect(buttons, &QDialogButtonBox::accepted, this, &ConnectionEditor::save);
    connect(buttons, &QDialogButtonBox::rejected, this, &ConnectionEditor::reject);
    connect(m_authStyle, &QComboBox::currentIndexChanged, this, &ConnectionEditor::updateAuthFields);
    updateAuthFields();
    resize(640, 720);
}

QWidget *ConnectionEditor::buildSettings()
{
    auto *box = new QGroupBox(tr("Settings"), this);
    auto *form = new QFormLayout(box);
    const QJsonObject values = sync::formSettings(m_spec, m_presetSettings, m_original.settings);
    for (const connect::SettingSpec &spec : std::as_const(m_spec)) {
        QWidget *editor = settingWidget(spec, values.value(spec.key));
        editor->setParent(box);
        editor->setObjectName(QStringLiteral("setting_%1").arg(spec.key));
        editor->setAccessibleName(specText(spec.label));
        if (!spec.help.isEmpty()) {
            editor->setToolTip(specText(spec.help));
            editor->setAccessibleDescription(specText(spec.help));
        }
        form->addRow(spec.required ? tr("%1 (required):").arg(specText(spec.label)) : specText(spec.label) + u':',
                     editor);
    }
    if (m_spec.isEmpty())
        form->addRow(new QLabel(tr("This connector has no settings."), box));
    return box;
}

QWidget *ConnectionEditor::settingWidget(const connect::SettingSpec &spec, const QJsonValue &value)
{
    using T = connect::SettingSpec::Type;
    switch (spec.type) {
    case T::Integer: {
        auto *spin = new QSpinBox;
        spin->setRange(0, std::numeric_limits<int>::max());
        spin->setValue(value.toInt(spec.defaultValue.toInt()));
        m_settingEditors.insert(spec.key, spin);
        return spin;
    }
    case T::Boolean: {
        auto *check = new QCheckBox;
        check->setChecked(value.toBool(spec.defaultValue.toBool()));
        m_settingEditors.insert(spec.key, check);
        return check;
    }
    case T::Choice: {
        auto *combo = new QComboBox;
        combo->addItems(spec.choices);
        const int i = combo->findText(value.toString(spec.defaultValue.toString()));
        combo->setCurrentIndex(std::max(0, i));
        m_settingEditors.insert(spec.key, combo);
        return combo;
    }
    case T::Secret: { // kept in the secret store under the setting's key, never in the project
        auto *edit = new QLineEdit;
        edit->setEchoMode(QLineEdit::Password);
        m_secretEditors.insert(spec.key, edit);
        m_settingEditors.insert(spec.key, edit);
        return edit;
    }
    case T::Headers: { // a JSON object, edited as its compact text
        auto *edit =
            new QLineEdit(value.isObject() && !value.toObject().isEmpty()
                              ? QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact))
                              : QString());
        edit->setPlaceholderText(QStringLiteral("{\"X-System\": \"Transom\"}"));
        m_settingEditors.insert(spec.key, edit);
        return edit;
    }
    case T::Text:
    case T::Url:
    case T::FieldPath:
        break;
    }
    auto *edit = new QLineEdit(value.isString() ? value.toString() : value.toVariant().toString());
    edit->setPlaceholderText(spec.help.isEmpty() ? QString() : specText(spec.help));
    m_settingEditors.insert(spec.key, edit);
    return edit;
}

QWidget *ConnectionEditor::buildAuth()
{
    auto *box = new QGroupBox(tr("Sign-in"), this);
    m_authForm = new QFormLayout(box);
    const QJsonObject values = sync::formSettings({}, m_presetAuth, m_original.auth);

    m_authStyle = new QComboBox(box);
    m_authStyle->setObjectName(QStringLiteral("authStyle"));
    m_authStyle->setAccessibleName(tr("How Transom signs in"));
    for (const QString &style : sync::authStyles())
        m_authStyle->addItem(authStyleName(style), style);
    m_authStyle->setCurrentIndex(
        std::max(0, m_authStyle->findData(values.value(QLatin1String("style")).toString(QStringLiteral("none")))));
    m_authForm->addRow(tr("&Sign-in:"), m_authStyle);

    for (const QString &key : authValueKeys()) {
        auto *edit = new QLineEdit(values.value(key).toString(), box);
        edit->setObjectName(QStringLiteral("auth_%1").arg(key));
        edit->setAccessibleName(authValueLabel(key));
        m_authEditors.insert(key, edit);
        m_authForm->addRow(authValueLabel(key) + u':', edit);
    }

    // Every secret a style may need gets a row; updateAuthFields shows the ones the chosen style uses.
    QStringList secrets = {QStringLiteral("client_secret"), QStringLiteral("api_key"), QStringLiteral("token")};
    for (const QString &key :
         sync::secretKeys(sync::formSettings({}, m_presetAuth, m_original.auth), m_receivesWebhooks))
        if (!secrets.contains(key))
            secrets.append(key);
    const sync::SecretAccess &stored = m_session->secrets();
    for (const QString &key : std::as_const(secrets)) {
        auto *edit = new QLineEdit(box);
        edit->setEchoMode(QLineEdit::Password);
        edit->setObjectName(QStringLiteral("secret_%1").arg(key));
        edit->setAccessibleName(secretLabel(key));
        // Only whether a value is stored: the value itself is never read into the form.
        const bool isStored = stored.read && !stored.read(m_original.name, key).isEmpty();
        edit->setPlaceholderText(isStored ? tr("Stored; type a new value to replace it") : tr("Not stored yet"));
        m_secretEditors.insert(key, edit);
        m_authForm->addRow(secretLabel(key) + u':', edit);
    }

    auto *signInRow = new QWidget(box);
    auto *signInLayout = new QHBoxLayout(signInRow);
    signInLayout->setContentsMargins(0, 0, 0, 0);
    m_signInButton = new QPushButton(tr("Sign &in…"), signInRow);
    m_signInButton->setObjectName(QStringLiteral("signInButton"));
    m_signInButton->setAccessibleName(tr("Sign in with the browser"));
    m_signInStatus = new QLabel(signInRow);
    m_signInStatus->setObjectName(QStringLiteral("signInStatus"));
    m_signInStatus->setAccessibleName(tr("Sign-in status"));
    m_signInStatus->setWordWrap(true);
    const bool signedIn = stored.read && !stored.read(m_original.name, QStringLiteral("refresh_token")).isEmpty();
    m_signInStatus->setText(signedIn ? tr("Signed in.") : tr("Not signed in yet."));
    signInLayout->addWidget(m_signInButton);
    signInLayout->addWidget(m_signInStatus, 1);
    m_authForm->addRow(signInRow);
    connect(m_signInButton, &QPushButton::clicked, this, &ConnectionEditor::signIn);
    return box;
}

void ConnectionEditor::updateAuthFields()
{
    const QString style = m_authStyle->currentData().toString();
    for (auto it = m_authEditors.begin(); it != m_authEditors.end(); ++it)
        m_authForm->setRowVisible(it.value(), styleUses(style, it.key()));
    const QStringList needed = sync::secretKeys(effectiveAuth(), m_receivesWebhooks);
    for (auto it = m_secretEditors.begin(); it != m_secretEditors.end(); ++it)
        if (m_authForm->indexOf(it.value()) >= 0)
            m_authForm->setRowVisible(it.value(), needed.contains(it.key()));
    m_authForm->setRowVisible(m_signInButton->parentWidget(), style == QLatin1String("oauth_authorization_code"));
}

void ConnectionEditor::showReference()
{
    if (!m_reference) {
        // Non-modal, so the form stays usable while the reference is read beside it.
        m_reference = new QDialog(this);
        m_reference->setObjectName(QStringLiteral("settingsReference"));
        m_reference->setWindowTitle(tr("Connection settings reference"));
        auto *layout = new QVBoxLayout(m_reference);
        auto *text = new QTextBrowser(m_reference);
        text->setObjectName(QStringLiteral("referenceText"));
        text->setAccessibleName(tr("Connection settings reference"));
        text->setOpenExternalLinks(true);
        text->setMarkdown(connect::connectorReferenceMarkdown());
        layout->addWidget(text);
        auto *close = new QDialogButtonBox(QDialogButtonBox::Close, m_reference);
        connect(close, &QDialogButtonBox::rejected, m_reference.data(), &QDialog::close);
        layout->addWidget(close);
        m_reference->resize(760, 680);
    }
    m_reference->show();
    m_reference->raise();
}

QJsonObject ConnectionEditor::settingValues() const
{
    QJsonObject values;
    for (const connect::SettingSpec &spec : m_spec) {
        QWidget *w = m_settingEditors.value(spec.key);
        if (spec.type == connect::SettingSpec::Type::Secret || !w)
            continue;
        if (auto *spin = qobject_cast<QSpinBox *>(w))
            values.insert(spec.key, spin->value());
        else if (auto *check = qobject_cast<QCheckBox *>(w))
            values.insert(spec.key, check->isChecked());
        else if (auto *combo = qobject_cast<QComboBox *>(w))
            values.insert(spec.key, combo->currentText());
        else if (auto *edit = qobject_cast<QLineEdit *>(w))
            values.insert(spec.key, spec.type == connect::SettingSpec::Type::Headers ? headersValue(edit->text())
                                                                                     : edit->text().trimmed());
    }
    return values;
}

QJsonObject ConnectionEditor::authValues() const
{
    QJsonObject values{{QStringLiteral("style"), m_authStyle->currentData().toString()}};
    for (auto it = m_authEditors.begin(); it != m_authEditors.end(); ++it)
        values.insert(it.key(), it.value()->text().trimmed());
    return values;
}

sync::ConnectionConfig ConnectionEditor::connection() const
{
    sync::ConnectionConfig c = m_original;
    c.baseUrl = m_baseUrl->text().trimmed();
    c.settings = sync::settingOverrides(m_spec, m_presetSettings, m_original.settings, settingValues());
    c.auth = sync::settingOverrides({}, m_presetAuth, m_original.auth, authValues());
    return c;
}

QJsonObject ConnectionEditor::effectiveAuth() const
{
    return m_session->project().effectiveAuth(connection(), m_session->presets());
}

QString ConnectionEditor::testResult() const
{
    return m_testResult->text();
}

void ConnectionEditor::showResult(QLabel *label, bool ok, const QString &message)
{
    label->setText(message);
    label->setStyleSheet(ok ? QStringLiteral("color: palette(text);") : QStringLiteral("color: #b00020;"));
}

void ConnectionEditor::testConnection()
{
    const QString name = m_original.name;
    const sync::Project project = sync::withConnection(m_session->project(), connection());
    const connect::PresetLibrary presets = m_session->presets();
    QHash<QString, QString> typed;
    for (auto it = m_secretEditors.begin(); it != m_secretEditors.end(); ++it)
        if (!it.value()->text().isEmpty())
            typed.insert(it.key(), it.value()->text());
    if (!m_refreshToken.isEmpty())
        typed.insert(QStringLiteral("refresh_token"), m_refreshToken);
    const sync::SecretAccess stored = m_session->secrets();
    sync::SecretAccess secrets; // what was typed wins over what is stored: the test is of the form
    secrets.read = [stored, typed, name](const QString &connection, const QString &key) {
        if (connection == name && typed.contains(key))
            return typed.value(key);
        return stored.read ? stored.read(connection, key) : QString();
    };
    secrets.write = stored.write; // a refresh token the vendor rotates during the test must not be lost

    m_testButton->setEnabled(false);
    showResult(m_testResult, true, tr("Testing…"));
    auto *watcher = new QFutureWatcher<TestOutcome>(this);
    connect(watcher, &QFutureWatcher<TestOutcome>::finished, this, [this, watcher] {
        const TestOutcome outcome = watcher->result();
        watcher->deleteLater();
        m_testButton->setEnabled(true);
        showResult(m_testResult, outcome.ok, outcome.ok ? outcome.message : tr("Failed: %1").arg(outcome.message));
        Q_EMIT testFinished(outcome.ok, outcome.message);
    });
    watcher->setFuture(QtConcurrent::run(workerPool(), [project, name, presets, secrets] {
        const Expected<QString> result = sync::testConnection(project, name, presets, secrets);
        return result ? TestOutcome{true, result.value()} : TestOutcome{false, result.error().message};
    }));
}

void ConnectionEditor::signIn()
{
    const QJsonObject authValues = effectiveAuth();
    auto fail = [this](const QString &message) {
        showResult(m_signInStatus, false, message);
        Q_EMIT signInFinished(false, message);
    };
    auth::OAuthSettings o;
    o.grant = auth::OAuthSettings::Grant::AuthorizationCode;
    o.tokenUrl = QUrl(authValues.value(QLatin1String("token_url")).toString());
    o.clientId = authValues.value(QLatin1String("client_id")).toString();
    o.scope = authValues.value(QLatin1String("scope")).toString();
    o.clientSecret = m_secretEditors.value(QStringLiteral("client_secret"))->text();
    if (o.clientSecret.isEmpty() && m_session->secrets().read)
        o.clientSecret = m_session->secrets().read(m_original.name, QStringLiteral("client_secret"));
    const QUrl authorizeUrl(authValues.value(QLatin1String("authorize_url")).toString());
    if (!o.tokenUrl.isValid() || o.tokenUrl.isEmpty() || !authorizeUrl.isValid() || authorizeUrl.isEmpty())
        return fail(tr("Fill in the token URL and the sign-in page URL first."));
    if (o.clientId.isEmpty() || o.clientSecret.isEmpty())
        return fail(tr("Fill in the client ID and the client secret first."));
    // The client secret goes to the token URL and the browser to the sign-in page: neither over plain
    // HTTP to another machine.
    for (const auto &[setting, url] : {std::pair{QStringLiteral("token_url"), o.tokenUrl.toString()},
                                       std::pair{QStringLiteral("authorize_url"), authorizeUrl.toString()}}) {
        if (const QString why = auth::secretUrlProblem(url); !why.isEmpty())
            return fail(tr("%1 \"%2\" cannot be used: %3").arg(setting, url, why));
    }
    if (!m_http)
        m_http = std::make_unique<net::HttpClient>(4);
    delete m_signIn;
    m_signIn = new auth::LoopbackSignIn(o, authorizeUrl, *m_http, this);
    connect(m_signIn, &auth::LoopbackSignIn::openBrowser, this, [this](const QUrl &url) { m_openBrowser(url); });
    connect(m_signIn, &auth::LoopbackSignIn::failed, this, fail);
    connect(m_signIn, &auth::LoopbackSignIn::signedIn, this, [this, fail](const QJsonObject &tokens) {
        const QString refreshToken = tokens.value(QLatin1String("refresh_token")).toString();
        if (refreshToken.isEmpty())
            return fail(tr("The vendor signed you in but sent no refresh token: Transom could not stay signed in."));
        m_refreshToken = refreshToken;
        const QPointer<ConnectionEditor> guard(this);
        scopeSecretsTo(connection());
        const QString where = m_store->location(m_original.name, QStringLiteral("refresh_token"));
        m_store->write(m_original.name, QStringLiteral("refresh_token"), refreshToken,
                       [guard, fail, where](const Expected<bool> &written) {
                           if (!guard)
                               return;
                           if (!written)
                               return fail(
                                   tr("Signed in, but the token could not be stored: %1").arg(written.error().message));
                           const QString message = tr("Signed in.");
                           guard->showResult(guard->m_signInStatus, true, message);
                           Q_EMIT guard->signInFinished(true, message);
                       });
    });
    showResult(m_signInStatus, true, tr("Waiting for you to sign in in the browser…"));
    QString error;
    if (!m_signIn->start(&error))
        fail(error);
}

void ConnectionEditor::save()
{
    m_saveError->hide();
    const sync::ConnectionConfig edited = connection();
    const Expected<bool> written = sync::saveConnection(m_session->project().file, edited);
    if (!written) {
        m_saveError->setText(tr("Not saved: %1").arg(written.error().message));
        m_saveError->show();
        Q_EMIT saveFailed(written.error().message);
        return;
    }
    const QStringList needed = sync::secretKeys(effectiveAuth(), m_receivesWebhooks);
    QHash<QString, QString> secrets;
    for (auto it = m_secretEditors.begin(); it != m_secretEditors.end(); ++it)
        if (!it.value()->text().isEmpty() && (needed.contains(it.key()) || m_authForm->indexOf(it.value()) < 0))
            secrets.insert(it.key(), it.value()->text());
    scopeSecretsTo(edited);
    saveSecrets(secrets);
}

void ConnectionEditor::scopeSecretsTo(const sync::ConnectionConfig &edited)
{
    // Secrets typed here are for the URLs on this form: the keychain ties them to those.
    if (auto *desktop = dynamic_cast<auth::DesktopSecretStore *>(m_store.get()))
        desktop->setScope(m_session->scopeFor(sync::withConnection(m_session->project(), edited)));
}

void ConnectionEditor::saveSecrets(const QHash<QString, QString> &secrets)
{
    m_secretFailures.clear();
    m_saveNotice->hide();
    m_pendingSecretWrites = int(secrets.size());
    const auto *desktop = dynamic_cast<const auth::DesktopSecretStore *>(m_store.get());
    const int fileWritesBefore = desktop ? desktop->fileWrites() : 0;
    auto finished = [this, desktop, fileWritesBefore] {
        if (!m_secretFailures.isEmpty()) {
            const QString message = tr("The connection was saved, but not its secrets: %1")
                                        .arg(m_secretFailures.join(QStringLiteral("; ")));
            m_saveError->setText(message);
            m_saveError->show();
            Q_EMIT saveFailed(message);
            return;
        }
        Q_EMIT saved(m_original.name);
        const QString notice = desktop ? desktop->fileNotice(fileWritesBefore) : QString();
        if (notice.isEmpty()) {
            accept();
            return;
        }
        m_saveNotice->setText(tr("Saved. %1").arg(notice));
        m_saveNotice->show();
        m_buttons->button(QDialogButtonBox::Cancel)->setText(tr("Close"));
        Q_EMIT secretsSavedToFile(notice);
    };
    if (secrets.isEmpty())
        return finished();
    const QPointer<ConnectionEditor> guard(this);
    for (auto it = secrets.begin(); it != secrets.end(); ++it) {
        const QString label = secretLabel(it.key());
        m_store->write(m_original.name, it.key(), it.value(), [guard, label, finished](const Expected<bool> &written) {
            if (!guard)
                return;
            if (!written)
                guard->m_secretFailures.append(tr("%1: %2").arg(label, written.error().message));
            if (--guard->m_pendingSecretWrites == 0)
                finished();
        });
    }
}

} // namespace transom::ui
