#include "ui/project/addconnectiondialog.h"

#include "core/sync/projectsetup.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace transom::ui {

namespace {

constexpr int PresetIdRole = Qt::UserRole;

QStringList connectionNames(const sync::Project &project)
{
    QStringList names;
    for (const sync::ConnectionConfig &c : project.connections)
        names.append(c.name);
    return names;
}

} // namespace

QString AddConnectionDialog::category(const connect::Preset &preset)
{
    const QString what = (preset.id + QLatin1Char(' ') + preset.name).toLower();
    if (what.contains(QLatin1String("accounting")) || what.contains(QLatin1String("ledger")))
        return tr("Accounting");
    if (what.contains(QLatin1String("reso")) || what.contains(QLatin1String("mls")) ||
        what.contains(QLatin1String("listing")))
        return tr("Listing feeds");
    if (what.contains(QLatin1String("portal")) || what.contains(QLatin1String("lead")))
        return preset.kind == QLatin1String("sink") ? tr("CRMs") : tr("Lead portals");
    if (what.contains(QLatin1String("crm")) || preset.kind == QLatin1String("sink"))
        return tr("CRMs");
    return tr("Other");
}

AddConnectionDialog::AddConnectionDialog(const sync::Project &project, const connect::PresetLibrary &presets,
                                         QWidget *parent)
    : QDialog(parent), m_project(project)
{
    setObjectName(QStringLiteral("addConnectionDialog"));
    setWindowTitle(tr("Add connection"));
    m_catalog = new QTreeWidget(this);
    m_catalog->setObjectName(QStringLiteral("presetCatalog"));
    m_catalog->setHeaderLabels({tr("Vendor"), tr("Sign-in")});
    m_catalog->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    QHash<QString, QTreeWidgetItem *> groups;
    for (const QString &group : {tr("Listing feeds"), tr("Lead portals"), tr("CRMs"), tr("Accounting"), tr("Other")})
        groups.insert(group, new QTreeWidgetItem(m_catalog, {group}));
    for (const connect::Preset &preset : presets.presets()) {
        auto *item = new QTreeWidgetItem(groups.value(category(preset)),
                                         {preset.name, preset.auth.value(QLatin1String("style")).toString()});
        item->setData(0, PresetIdRole, preset.id);
        item->setToolTip(0, preset.id);
    }
    for (QTreeWidgetItem *group : std::as_const(groups)) {
        group->setFlags(Qt::ItemIsEnabled);
        if (group->childCount() == 0)
            group->setHidden(true);
    }
    m_catalog->expandAll();

    auto *form = new QFormLayout;
    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("connectionName"));
    form->addRow(tr("&Name:"), m_name);
    m_baseUrl = new QLineEdit(this);
    m_baseUrl->setObjectName(QStringLiteral("connectionBaseUrl"));
    m_baseUrl->setPlaceholderText(tr("https://api.vendor.example (your account's address)"));
    form->addRow(tr("&Base URL:"), m_baseUrl);
    m_about = new QLabel(this);
    m_about->setWordWrap(true);
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("addConnectionError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #b00020;"));
    m_error->hide();
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Add"));
    buttons->button(QDialogButtonBox::Ok)->setObjectName(QStringLiteral("addButton"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("What kind of system is it?"), this));
    layout->addWidget(m_catalog, 1);
    layout->addLayout(form);
    layout->addWidget(m_about);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    connect(m_catalog, &QTreeWidget::currentItemChanged, this, &AddConnectionDialog::presetChosen);
    connect(m_name, &QLineEdit::textEdited, this, [this] { m_nameTouched = true; });
    connect(buttons, &QDialogButtonBox::accepted, this, &AddConnectionDialog::add);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    resize(560, 520);
}

bool AddConnectionDialog::selectPreset(const QString &id)
{
    for (QTreeWidgetItemIterator it(m_catalog); *it; ++it)
        if ((*it)->data(0, PresetIdRole).toString() == id) {
            m_catalog->setCurrentItem(*it);
            return true;
        }
    return false;
}

void AddConnectionDialog::presetChosen()
{
    const QTreeWidgetItem *item = m_catalog->currentItem();
    const QString id = item ? item->data(0, PresetIdRole).toString() : QString();
    if (id.isEmpty())
        return;
    if (!m_nameTouched) {
        QString base = id;
        base.remove(QStringLiteral("-style"));
        m_name->setText(sync::uniqueName(base, connectionNames(m_project)));
    }
    m_about->setText(tr("After adding it, enter its secrets and press Test connection."));
}

void AddConnectionDialog::add()
{
    const QTreeWidgetItem *item = m_catalog->currentItem();
    const QString preset = item ? item->data(0, PresetIdRole).toString() : QString();
    if (preset.isEmpty()) {
        m_error->setText(tr("Choose what kind of system it is from the list."));
        m_error->show();
        return;
    }
    const QString name = m_name->text().trimmed();
    const auto written = sync::addConnection(m_project.file, name, preset, m_baseUrl->text().trimmed());
    if (!written) {
        m_error->setText(written.error().message);
        m_error->show();
        return;
    }
    m_added = name;
    Q_EMIT added(name);
    accept();
}

} // namespace transom::ui
