#include "ui/projectsession.h"

#include <QBuffer>

namespace transom::ui {

ProjectSession::ProjectSession(QObject *parent) : QObject(parent) {}

ProjectSession::~ProjectSession()
{
    close();
}

bool ProjectSession::open(const QString &projectPath, QString *error)
{
    QBuffer err;
    err.open(QIODevice::WriteOnly);
    sync::commands::Context context;
    context.projectPath = projectPath;
    context.err = &err;
    sync::commands::Setup setup;
    if (!sync::commands::load(context, setup)) {
        if (error)
            *error = QString::fromUtf8(err.data()).trimmed().remove(QStringLiteral("error: "));
        return false;
    }
    close();
    m_setup = std::move(setup);
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

QString ProjectSession::storePath() const
{
    return m_setup.project.storePath;
}

QString ProjectSession::logDir() const
{
    return m_setup.project.logDir;
}

} // namespace transom::ui
