#pragma once

#include "ui/mappingsession.h"

#include <QJsonArray>
#include <QWidget>

class QCheckBox;
class QFormLayout;
class QLabel;
class QListWidget;
class QTableWidget;
class QToolButton;

namespace transom::ui {

/// The rule pipeline of the selected target field: add, remove and reorder rules, and a form for the
/// selected rule's parameters built from the rule catalog. For a value map, a table lists the distinct
/// values seen in the samples, unmapped ones first, each with what it becomes.
class ValueChoiceDelegate;

class RuleEditor : public QWidget {
    Q_OBJECT
public:
    explicit RuleEditor(MappingSession *session, QWidget *parent = nullptr);

    QListWidget *pipeline() const { return m_list; }
    /// The value map table (visible when the selected rule is a value map).
    QTableWidget *valueMapTable() const { return m_valueMap; }
    /// The "Becomes" column's editor: a drop-down of the values the target field accepts.
    ValueChoiceDelegate *valueChoices() const { return m_valueChoices; }
    /// The parameter editor for `param` of the selected rule, for tests and accessibility.
    QWidget *parameterEditor(const QString &param) const;

    // The actions of the buttons, public so that menus and tests use the same code.
    void addRule(const QString &name);
    void removeSelectedRule();
    void moveSelectedRule(int delta);

private:
    void reload();
    void showRule(int row);
    void apply(const QString &mergeKey);
    void setParam(int row, const QString &param, const QJsonValue &value);
    void fillValueMap(int row);

    MappingSession *m_session;
    QString m_target;
    QJsonArray m_rules;
    QLabel *m_title;
    QLabel *m_from;
    QCheckBox *m_required;
    QListWidget *m_list;
    QToolButton *m_add;
    QToolButton *m_remove;
    QToolButton *m_up;
    QToolButton *m_down;
    QWidget *m_form;
    QFormLayout *m_formLayout;
    QLabel *m_ruleHelp;
    QLabel *m_problems;
    QTableWidget *m_valueMap;
    ValueChoiceDelegate *m_valueChoices;
    QHash<QString, QWidget *> m_editors;
};

} // namespace transom::ui
