#pragma once

#include "core/connect/connectorregistry.h"
#include "core/sync/project.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QTreeWidget;

namespace transom::ui {

/// Project → Add connection: the preset catalog grouped by what the vendor is (listing feed, lead portal,
/// CRM, accounting), a name and the account's base URL. Adds the connection through core
/// (sync::addConnection); the connection editor then takes its secrets and tests it.
class AddConnectionDialog : public QDialog {
    Q_OBJECT
public:
    AddConnectionDialog(const sync::Project &project, const connect::PresetLibrary &presets, QWidget *parent = nullptr);

    /// What kind of vendor a preset is, for the catalog's groups: "Listing feeds", "Lead portals", "CRMs",
    /// "Accounting", else "Other".
    static QString category(const connect::Preset &preset);
    /// Chooses a preset by id (for tests and for "change preset").
    bool selectPreset(const QString &id);
    QString addedName() const { return m_added; }

Q_SIGNALS:
    void added(const QString &connectionName);

private:
    void presetChosen();
    void add();

    sync::Project m_project;
    QTreeWidget *m_catalog;
    QLineEdit *m_name;
    QLineEdit *m_baseUrl;
    QLabel *m_about;
    QLabel *m_error;
    QString m_added;
    bool m_nameTouched = false;
};

} // namespace transom::ui
