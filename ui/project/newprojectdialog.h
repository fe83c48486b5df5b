#pragma once

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;

namespace transom::ui {

/// File → New project: a name, the brokerage's home time zone (asked once: times without a zone are read
/// in it) and the folder the project lives in. Creates the project through core (sync::createProject).
class NewProjectDialog : public QDialog {
    Q_OBJECT
public:
    explicit NewProjectDialog(QWidget *parent = nullptr);

    /// The project file created, once accepted.
    QString createdPath() const { return m_created; }

Q_SIGNALS:
    void created(const QString &projectPath);

private:
    void create();
    void suggestFolder();

    QLineEdit *m_name;
    QComboBox *m_timeZone;
    QLineEdit *m_folder;
    QLabel *m_error;
    QString m_created;
    bool m_folderTouched = false;
};

} // namespace transom::ui
