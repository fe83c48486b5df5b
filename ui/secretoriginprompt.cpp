#include "ui/secretoriginprompt.h"

#include "ui/connectioneditor.h"
#include "ui/projectsession.h"

#include <QMessageBox>
#include <QPushButton>

namespace transom::ui {

namespace {

QString secretName(const QString &key)
{
    return SecretOriginPrompt::tr("secret \u201c%1\u201d").arg(ConnectionEditor::secretLabel(key));
}

QString where(const QString &origins)
{
    return origins.isEmpty() ? SecretOriginPrompt::tr("nowhere (it is only used to check signatures)")
                             : QString(origins).replace(QLatin1Char(' '), QStringLiteral(", "));
}

} // namespace

SecretOriginPrompt::SecretOriginPrompt(ProjectSession *session, QWidget *parent)
    : QObject(parent), m_session(session), m_parent(parent)
{
    connect(session, &ProjectSession::secretOriginChanged, this, &SecretOriginPrompt::enqueue);
    connect(session, &ProjectSession::projectChanged, this, [this] {
        m_queue.clear(); // the questions were about the project that was open
        if (m_box)
            m_box->deleteLater();
    });
}

QString SecretOriginPrompt::text(const auth::SecretOriginChange &change)
{
    if (change.earlierVersion())
        return tr("The system keychain holds a %1 for a connection named \"%2\", saved by an earlier version of "
                  "Transom for whichever project had a connection of that name. This project would send it to "
                  "%3.\n\nUse it only if this project is the one you saved it for; otherwise enter the secret "
                  "again in the connection.")
            .arg(secretName(change.key), change.connection, where(change.currentOrigin));
    return tr("The connection \"%1\" would now send its %2 to %3, but it was saved for %4. The project file was "
              "changed since.\n\nSend it to the new address only if you changed the connection yourself; "
              "otherwise keep it back and check the project file.")
        .arg(change.connection, secretName(change.key), where(change.currentOrigin), where(change.savedOrigin));
}

void SecretOriginPrompt::enqueue(const auth::SecretOriginChange &change)
{
    m_queue.append(change);
    if (!m_box)
        askNext();
}

void SecretOriginPrompt::askNext()
{
    if (m_queue.isEmpty())
        return;
    const auth::SecretOriginChange change = m_queue.takeFirst();
    m_box = new QMessageBox(QMessageBox::Warning, tr("Send a saved secret to a new address?"), text(change),
                            QMessageBox::NoButton, m_parent);
    m_box->setObjectName(QStringLiteral("secretOriginQuestion"));
    m_box->setAttribute(Qt::WA_DeleteOnClose);
    QPushButton *send =
        m_box->addButton(change.earlierVersion() ? tr("&Use it for this project") : tr("&Send to the new address"),
                         QMessageBox::AcceptRole);
    send->setObjectName(QStringLiteral("sendSecret"));
    QPushButton *keep = m_box->addButton(tr("&Keep it back"), QMessageBox::RejectRole);
    keep->setObjectName(QStringLiteral("keepSecret"));
    m_box->setDefaultButton(keep);
    connect(m_box, &QMessageBox::finished, this, [this, change, send] {
        const bool sent = m_box && m_box->clickedButton() == send;
        if (sent)
            m_session->allowSecretOrigin(change);
        Q_EMIT answered(change, sent);
        m_box = nullptr;
        askNext();
    });
    m_box->open(); // never exec(): the studio keeps running while the question waits
}

} // namespace transom::ui
