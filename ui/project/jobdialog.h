#pragma once

#include "core/sync/project.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QRadioButton;
class QSpinBox;

namespace transom::ui {

/// New job / Edit job: where records come from, the mapping they go through, where they go, single
/// records or batches, and when the job runs (on demand, every N minutes, or on webhooks), with the
/// sample files the studio opens beside the mapping. Saved through core (sync::saveJob).
class JobDialog : public QDialog {
    Q_OBJECT
public:
    /// `existing`: the job to edit, or empty for a new one.
    JobDialog(const sync::Project &project, const QString &existing, QWidget *parent = nullptr);

    /// The job as the form says.
    sync::JobConfig job() const;
    QString savedName() const { return m_saved; }

Q_SIGNALS:
    void saved(const QString &jobName);

private:
    void save();
    void updateTrigger();
    QWidget *browseRow(QLineEdit *field, const QString &title);

    sync::Project m_project;
    sync::JobConfig m_original;
    QString m_existing;
    QLineEdit *m_name;
    QComboBox *m_source;
    QComboBox *m_mapping;
    QComboBox *m_sink;
    QRadioButton *m_single;
    QRadioButton *m_batches;
    QComboBox *m_trigger;
    QSpinBox *m_every;
    QLineEdit *m_webhookPath;
    QLineEdit *m_recordPath;
    QLineEdit *m_externalId;
    QLineEdit *m_sourceSamples;
    QLineEdit *m_targetSamples;
    QLabel *m_error;
    QString m_saved;
};

} // namespace transom::ui
