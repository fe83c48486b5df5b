#include "ui/project/jobdialog.h"

#include "core/sync/projectsetup.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>

namespace transom::ui {

namespace {

enum TriggerIndex { OnDemand, Every, Webhook };

/// The mapping files a job can use: those in the project's "mappings" folder and those jobs use now.
QStringList mappingFiles(const sync::Project &project)
{
    QStringList files;
    const QDir folder(sync::mappingsFolder(project.file));
    for (const QString &name : folder.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name))
        files.append(folder.absoluteFilePath(name));
    for (const sync::JobConfig &j : project.jobs)
        if (!files.contains(j.mapping))
            files.append(j.mapping);
    return files;
}

void fillConnections(QComboBox *box, const sync::Project &project, const QString &current)
{
    for (const sync::ConnectionConfig &c : project.connections)
        box->addItem(c.name);
    box->setCurrentIndex(std::max(0, box->findText(current)));
}

} // namespace

JobDialog::JobDialog(const sync::Project &project, const QString &existing, QWidget *parent)
    : QDialog(parent), m_project(project), m_existing(existing)
{
    if (const sync::JobConfig *j = project.job(existing))
        m_original = *j;
    setObjectName(QStringLiteral("jobDialog"));
    setWindowTitle(existing.isEmpty() ? tr("New job") : tr("Job %1").arg(existing));
    auto *form = new QFormLayout;
    m_name = new QLineEdit(m_original.name, this);
    m_name->setObjectName(QStringLiteral("jobName"));
    m_name->setPlaceholderText(tr("e.g. website leads"));
    form->addRow(tr("&Name:"), m_name);
    m_source = new QComboBox(this);
    m_source->setObjectName(QStringLiteral("jobSource"));
    fillConnections(m_source, project, m_original.source);
    form->addRow(tr("Records &from:"), m_source);
    m_mapping = new QComboBox(this);
    m_mapping->setObjectName(QStringLiteral("jobMapping"));
    for (const QString &file : mappingFiles(project))
        m_mapping->addItem(QFileInfo(file).fileName(), file);
    m_mapping->setCurrentIndex(std::max(0, m_mapping->findData(m_original.mapping)));
    auto *mappingRow = new QHBoxLayout;
    mappingRow->addWidget(m_mapping, 1);
    auto *otherMapping = new QPushButton(tr("Other…"), this);
    mappingRow->addWidget(otherMapping);
    connect(otherMapping, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("Mapping"), {}, tr("Mappings (*.json)"));
        if (file.isEmpty())
            return;
        m_mapping->addItem(QFileInfo(file).fileName(), file);
        m_mapping->setCurrentIndex(m_mapping->count() - 1);
    });
    form->addRow(tr("Through the &mapping:"), mappingRow);
    m_sink = new QComboBox(this);
    m_sink->setObjectName(QStringLiteral("jobSink"));
    fillConnections(m_sink, project, m_original.sink);
    if (m_original.sink.isEmpty() && m_sink->count() > 1)
        m_sink->setCurrentIndex(m_sink->count() - 1);
    form->addRow(tr("&Into:"), m_sink);

    auto *mode = new QHBoxLayout;
    m_single = new QRadioButton(tr("One record per request"), this);
    m_single->setObjectName(QStringLiteral("jobSingle"));
    m_batches = new QRadioButton(tr("In batches"), this);
    m_batches->setObjectName(QStringLiteral("jobBatches"));
    (m_original.batch ? m_batches : m_single)->setChecked(true);
    mode->addWidget(m_single);
    mode->addWidget(m_batches);
    mode->addStretch(1);
    form->addRow(tr("Sending:"), mode);

    m_trigger = new QComboBox(this);
    m_trigger->setObjectName(QStringLiteral("jobTrigger"));
    m_trigger->addItems({tr("When I press Start"), tr("Every few minutes"), tr("When the vendor sends a webhook")});
    m_trigger->setCurrentIndex(m_original.trigger.kind == sync::TriggerConfig::Kind::Poll      ? Every
                               : m_original.trigger.kind == sync::TriggerConfig::Kind::Webhook ? Webhook
                                                                                               : OnDemand);
    form->addRow(tr("&Runs:"), m_trigger);
    m_every = new QSpinBox(this);
    m_every->setObjectName(QStringLiteral("jobEveryMinutes"));
    m_every->setRange(1, 24 * 60);
    m_every->setSuffix(tr(" min"));
    m_every->setValue(m_original.trigger.everyMinutes);
    form->addRow(tr("Every:"), m_every);
    m_webhookPath = new QLineEdit(m_original.trigger.path, this);
    m_webhookPath->setObjectName(QStringLiteral("jobWebhookPath"));
    m_webhookPath->setPlaceholderText(QStringLiteral("/hooks/leads"));
    form->addRow(tr("Webhook path:"), m_webhookPath);
    m_recordPath = new QLineEdit(m_original.trigger.recordPath, this);
    m_recordPath->setPlaceholderText(tr("where the record sits in an event, e.g. lead"));
    form->addRow(tr("Record in the event:"), m_recordPath);
    m_externalId = new QLineEdit(m_original.externalIdField, this);
    m_externalId->setObjectName(QStringLiteral("jobExternalId"));
    m_externalId->setPlaceholderText(tr("the mapped field the destination can find a record by"));
    form->addRow(tr("Record id at the destination:"), m_externalId);
    m_sourceSamples = new QLineEdit(m_original.sourceSamples, this);
    m_sourceSamples->setObjectName(QStringLiteral("jobSourceSamples"));
    form->addRow(tr("Source samples:"), browseRow(m_sourceSamples, tr("Sample records from the source")));
    m_targetSamples = new QLineEdit(m_original.targetSamples, this);
    m_targetSamples->setObjectName(QStringLiteral("jobTargetSamples"));
    form->addRow(tr("Destination samples:"), browseRow(m_targetSamples, tr("Sample records of the destination")));

    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("jobError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #b00020;"));
    m_error->hide();
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Save)->setObjectName(QStringLiteral("saveJob"));
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    connect(m_trigger, &QComboBox::currentIndexChanged, this, &JobDialog::updateTrigger);
    connect(buttons, &QDialogButtonBox::accepted, this, &JobDialog::save);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    updateTrigger();
    resize(620, sizeHint().height());
}

QWidget *JobDialog::browseRow(QLineEdit *field, const QString &title)
{
    auto *row = new QWidget(this);
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    field->setParent(row);
    layout->addWidget(field, 1);
    auto *browse = new QPushButton(tr("Browse…"), row);
    layout->addWidget(browse);
    connect(browse, &QPushButton::clicked, this, [this, field, title] {
        const QString file =
            QFileDialog::getOpenFileName(this, title, field->text(), tr("Records (*.json *.ndjson *.jsonl *.csv)"));
        if (!file.isEmpty())
            field->setText(file);
    });
    return row;
}

void JobDialog::updateTrigger()
{
    const int kind = m_trigger->currentIndex();
    m_every->setEnabled(kind == Every);
    m_webhookPath->setEnabled(kind == Webhook);
    m_recordPath->setEnabled(kind == Webhook);
}

sync::JobConfig JobDialog::job() const
{
    sync::JobConfig j = m_original;
    j.name = m_name->text().trimmed();
    j.source = m_source->currentText();
    j.mapping = m_mapping->currentData().toString();
    j.sink = m_sink->currentText();
    j.batch = m_batches->isChecked();
    const int kind = m_trigger->currentIndex();
    j.trigger.kind = kind == Every     ? sync::TriggerConfig::Kind::Poll
                     : kind == Webhook ? sync::TriggerConfig::Kind::Webhook
                                       : sync::TriggerConfig::Kind::OnDemand;
    j.trigger.everyMinutes = m_every->value();
    j.trigger.path = m_webhookPath->text().trimmed();
    j.trigger.recordPath = m_recordPath->text().trimmed();
    j.externalIdField = m_externalId->text().trimmed();
    j.sourceSamples = m_sourceSamples->text().trimmed();
    j.targetSamples = m_targetSamples->text().trimmed();
    return j;
}

void JobDialog::save()
{
    const sync::JobConfig j = job();
    const auto written = sync::saveJob(m_project.file, j, m_existing);
    if (!written) {
        m_error->setText(written.error().message);
        m_error->show();
        return;
    }
    m_saved = j.name;
    Q_EMIT saved(j.name);
    accept();
}

} // namespace transom::ui
