#include "ui/project/newprojectdialog.h"

#include "core/sync/projectsetup.h"

#include <QComboBox>
#include <QCompleter>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTimeZone>

namespace transom::ui {

NewProjectDialog::NewProjectDialog(QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("New project"));
    setObjectName(QStringLiteral("newProjectDialog"));
    auto *form = new QFormLayout;
    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("projectName"));
    m_name->setPlaceholderText(tr("e.g. Website leads into the CRM"));
    form->addRow(tr("&Name:"), m_name);

    m_timeZone = new QComboBox(this);
    m_timeZone->setObjectName(QStringLiteral("timeZone"));
    m_timeZone->setEditable(true);
    m_timeZone->setInsertPolicy(QComboBox::NoInsert);
    for (const QByteArray &id : QTimeZone::availableTimeZoneIds())
        m_timeZone->addItem(QString::fromUtf8(id));
    m_timeZone->completer()->setFilterMode(Qt::MatchContains);
    m_timeZone->completer()->setCompletionMode(QCompleter::PopupCompletion);
    m_timeZone->setCurrentText(QString::fromUtf8(QTimeZone::systemTimeZoneId()));
    m_timeZone->setToolTip(tr("Where the brokerage works. Times the vendors send without a zone are read in it."));
    form->addRow(tr("Home &time zone:"), m_timeZone);

    auto *folderRow = new QHBoxLayout;
    m_folder = new QLineEdit(this);
    m_folder->setObjectName(QStringLiteral("projectFolder"));
    auto *browse = new QPushButton(tr("&Browse…"), this);
    folderRow->addWidget(m_folder, 1);
    folderRow->addWidget(browse);
    form->addRow(tr("&Folder:"), folderRow);

    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("newProjectError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #b00020;"));
    m_error->hide();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Create"));
    buttons->button(QDialogButtonBox::Ok)->setObjectName(QStringLiteral("createButton"));
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(buttons);

    connect(m_name, &QLineEdit::textChanged, this, &NewProjectDialog::suggestFolder);
    connect(m_folder, &QLineEdit::textEdited, this, [this] { m_folderTouched = true; });
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Folder of the project"), m_folder->text());
        if (!dir.isEmpty()) {
            m_folder->setText(dir);
            m_folderTouched = true;
        }
    });
    connect(buttons, &QDialogButtonBox::accepted, this, &NewProjectDialog::create);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    suggestFolder();
    resize(560, sizeHint().height());
}

void NewProjectDialog::suggestFolder()
{
    if (m_folderTouched)
        return;
    QString slug = m_name->text().trimmed().toLower();
    slug.replace(QRegularExpression(QStringLiteral("[^a-z0-9]+")), QStringLiteral("-"));
    slug.remove(QRegularExpression(QStringLiteral("^-+|-+$")));
    const QString home = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    m_folder->setText(
        QDir(home).filePath(QStringLiteral("Transom/") + (slug.isEmpty() ? QStringLiteral("project") : slug)));
}

void NewProjectDialog::create()
{
    const auto created = sync::createProject(
        {m_folder->text().trimmed(), m_name->text().trimmed(), m_timeZone->currentText().trimmed()});
    if (!created) {
        m_error->setText(created.error().message);
        m_error->show();
        return;
    }
    m_created = created.value();
    Q_EMIT this->created(m_created);
    accept();
}

} // namespace transom::ui
