#pragma once

#include "core/auth/secretstore.h"

#include <QList>
#include <QMessageBox>
#include <QObject>
#include <QPointer>

class QWidget;

namespace transom::ui {

class ProjectSession;

/// Asks the user, one secret at a time, before a keychain secret goes somewhere it was not saved for:
/// the project file now sends it to another host, or an earlier Transom saved it for any project. The
/// secret stays unused until the user agrees (ProjectSession::allowSecretOrigin).
class SecretOriginPrompt : public QObject {
    Q_OBJECT
public:
    SecretOriginPrompt(ProjectSession *session, QWidget *parent);

    /// The question on screen, or null (for tests).
    QMessageBox *question() const { return m_box; }
    /// The words of a question, for `change`.
    static QString text(const auth::SecretOriginChange &change);

Q_SIGNALS:
    /// The user answered; `sent` says whether the secret is used from now on.
    void answered(const transom::auth::SecretOriginChange &change, bool sent);

private:
    void enqueue(const auth::SecretOriginChange &change);
    void askNext();

    ProjectSession *m_session;
    QWidget *m_parent;
    QList<auth::SecretOriginChange> m_queue;
    QPointer<QMessageBox> m_box;
};

} // namespace transom::ui
