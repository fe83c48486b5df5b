#include "ui/ruleeditor.h"

#include "core/mapping/rulecatalog.h"
#include "ui/ruletitles.h"
#include "ui/valuechoicedelegate.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QPlainTextEdit>
#include <QSpinBox>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace transom::ui {

namespace {

using mapping::RuleParam;

/// A value typed by the user: a number or boolean when it reads as one, text otherwise.
QJsonValue parseLoose(const QString &text)
{
    if (text.isEmpty())
        return QJsonValue(QJsonValue::Undefined);
    bool isNumber = false;
    const double number = text.toDouble(&isNumber);
    if (isNumber)
        return number;
    if (text == QLatin1String("true") || text == QLatin1String("false"))
        return text == QLatin1String("true");
    if (text == QLatin1String("null"))
        return QJsonValue(QJsonValue::Null);
    return text;
}

QString looseText(const QJsonValue &v)
{
    if (v.isString())
        return v.toString();
    if (v.isDouble())
        return QString::number(v.toDouble(), 'g', 15);
    if (v.isBool())
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (v.isNull())
        return QStringLiteral("null");
    return {};
}

QString summaryOf(const QJsonObject &rule)
{
    QStringList parts;
    for (auto it = rule.begin(); it != rule.end(); ++it) {
        if (it.key() == QLatin1String("rule"))
            continue;
        QString value = it.value().isObject()  ? QStringLiteral("{…%1}").arg(it.value().toObject().size())
                        : it.value().isArray() ? QStringLiteral("[…%1]").arg(it.value().toArray().size())
                                               : looseText(it.value());
        if (value.size() > 24)
            value = value.left(23) + QStringLiteral("…");
        parts.append(QStringLiteral("%1=%2").arg(it.key(), value));
    }
    const QString name = ruleTitle(rule.value(QLatin1String("rule")).toString());
    return parts.isEmpty() ? name : QStringLiteral("%1  (%2)").arg(name, parts.join(QStringLiteral(", ")));
}

} // namespace

RuleEditor::RuleEditor(MappingSession *session, QWidget *parent) : QWidget(parent), m_session(session)
{
    m_title = new QLabel(this);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_title->setWordWrap(true); // a long target path wraps instead of being cut off
    m_from = new QLabel(this);
    m_from->setWordWrap(true);
    m_required = new QCheckBox(tr("Required"), this);
    m_required->setToolTip(
        tr("A record without a value for this field goes to the dead letters instead of the destination"));
    connect(m_required, &QCheckBox::toggled, this, [this](bool on) {
        if (!m_target.isEmpty())
            m_session->setRequired(m_target, on);
    });

    m_list = new QListWidget(this);
    m_list->setAccessibleName(tr("Rule pipeline"));
    m_list->setMaximumHeight(130);
    connect(m_list, &QListWidget::currentRowChanged, this, &RuleEditor::showRule);

    m_add = new QToolButton(this);
    m_add->setText(tr("Add rule"));
    m_add->setPopupMode(QToolButton::InstantPopup);
    auto *menu = new QMenu(m_add);
    QHash<QString, QMenu *> categories;
    for (const mapping::RuleSpec *spec : mapping::RuleCatalog::builtin().specs()) {
        QMenu *&sub = categories[spec->category];
        if (!sub)
            sub = menu->addMenu(spec->category);
        QAction *a = sub->addAction(ruleTitle(spec->name));
        a->setObjectName(QStringLiteral("addRule_") + spec->name);
        a->setToolTip(spec->summary);
        a->setStatusTip(spec->summary);
        const QString name = spec->name;
        connect(a, &QAction::triggered, this, [this, name] { addRule(name); });
    }
    menu->setToolTipsVisible(true);
    m_add->setMenu(menu);
    m_remove = new QToolButton(this);
    m_remove->setText(tr("Remove"));
    connect(m_remove, &QToolButton::clicked, this, &RuleEditor::removeSelectedRule);
    m_up = new QToolButton(this);
    m_up->setArrowType(Qt::UpArrow);
    m_up->setAccessibleName(tr("Move rule up"));
    connect(m_up, &QToolButton::clicked, this, [this] { moveSelectedRule(-1); });
    m_down = new QToolButton(this);
    m_down->setArrowType(Qt::DownArrow);
    m_down->setAccessibleName(tr("Move rule down"));
    connect(m_down, &QToolButton::clicked, this, [this] { moveSelectedRule(1); });

    m_ruleHelp = new QLabel(this);
    m_ruleHelp->setWordWrap(true);
    m_ruleHelp->setEnabled(false);
    m_form = new QWidget(this);
    m_formLayout = new QFormLayout(m_form);
    m_formLayout->setContentsMargins(0, 0, 0, 0);
    m_problems = new QLabel(this);
    m_problems->setWordWrap(true);
    m_problems->setStyleSheet(QStringLiteral("color: #d32f2f"));
    m_valueMap = new QTableWidget(0, 2, this);
    m_valueMap->setAccessibleName(tr("Value map"));
    m_valueMap->setHorizontalHeaderLabels({tr("Value in the samples"), tr("Becomes")});
    m_valueMap->horizontalHeader()->setStretchLastSection(true);
    // Sized by the header and the values whenever they change (a size taken while the table was hidden
    // cut "Value in the samples" down to "lue in the sampl").
    m_valueMap->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_valueMap->verticalHeader()->hide();
    // "Becomes" is the column to fill in: a click opens the drop-down of the target's values.
    m_valueChoices = new ValueChoiceDelegate(m_valueMap);
    m_valueMap->setItemDelegateForColumn(1, m_valueChoices);
    m_valueMap->setEditTriggers(QAbstractItemView::CurrentChanged | QAbstractItemView::SelectedClicked |
                                QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed |
                                QAbstractItemView::AnyKeyPressed);
    connect(m_valueMap, &QTableWidget::itemChanged, this, [this](QTableWidgetItem *item) {
        if (item->column() != 1)
            return;
        const int row = m_list->currentRow();
        QJsonObject rule = m_rules.at(row).toObject();
        QJsonObject map = rule.value(QLatin1String("map")).toObject();
        const QString from = m_valueMap->item(item->row(), 0)->data(Qt::UserRole).toString();
        const QJsonValue to = parseLoose(item->text().trimmed());
        if (to.isUndefined())
            map.remove(from);
        else
            map.insert(from, to);
        rule.insert(QStringLiteral("map"), map);
        m_rules.replace(row, rule);
        apply(QStringLiteral("%1#%2#map").arg(m_target).arg(row));
        m_list->item(row)->setText(summaryOf(rule));
        QFont f = m_valueMap->item(item->row(), 0)->font();
        f.setBold(to.isUndefined());
        m_valueMap->item(item->row(), 0)->setFont(f);
    });

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_add);
    buttons->addWidget(m_remove);
    buttons->addWidget(m_up);
    buttons->addWidget(m_down);
    buttons->addStretch(1);
    buttons->addWidget(m_required);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(m_from);
    layout->addWidget(m_list);
    layout->addLayout(buttons);
    layout->addWidget(m_ruleHelp);
    layout->addWidget(m_form);
    layout->addWidget(m_valueMap, 1);
    layout->addWidget(m_problems);
    layout->addStretch(0);

    connect(session, &MappingSession::selectedTargetChanged, this, &RuleEditor::reload);
    connect(session, &MappingSession::documentChanged, this, [this] {
        // Our own edits are already on screen; an undo or another view's change reloads the form.
        reload();
    });
    reload();
}

QWidget *RuleEditor::parameterEditor(const QString &param) const
{
    return m_editors.value(param);
}

void RuleEditor::reload()
{
    const QString target = m_session->selectedTarget();
    const mapping::MappingDocument &doc = m_session->document();
    const int index = mapping::fieldIndexOf(doc, target);
    const QJsonArray rules = index >= 0 ? doc.fields.at(index).rules : QJsonArray();
    const bool sameTarget = target == m_target;
    const bool sameField = sameTarget && rules == m_rules;
    const int keepRow = m_list->currentRow();
    m_target = target;
    m_rules = rules;
    setEnabled(!target.isEmpty());
    m_title->setText(target.isEmpty() ? tr("Select a target field to edit its rules") : tr("Rules for %1").arg(target));
    const QStringList from = index >= 0 ? doc.fields.at(index).from : QStringList();
    m_from->setText(target.isEmpty() ? QString()
                    : from.isEmpty() ? tr("Not mapped from a source field (rules only).")
                                     : tr("From: %1").arg(from.join(QStringLiteral(", "))));
    bool required = index >= 0 && doc.fields.at(index).required;
    for (const mapping::TargetField &t : doc.targetFields)
        required = required || (t.path == target && t.required);
    {
        const QSignalBlocker block(m_required);
        m_required->setChecked(required);
    }
    QStringList problems;
    for (const Error &e : m_session->compileErrors())
        if (index >= 0 && e.path.startsWith(QStringLiteral("fields[%1]").arg(index)))
            problems.append(e.message);
    m_problems->setText(problems.join(QLatin1Char('\n')));
    m_problems->setVisible(!problems.isEmpty());

    if (sameField && m_list->count() == rules.size()) {
        for (int i = 0; i < rules.size(); ++i)
            m_list->item(i)->setText(summaryOf(rules.at(i).toObject()));
        return; // the form stays as the user is editing it
    }
    const QSignalBlocker block(m_list);
    m_list->clear();
    for (const QJsonValue &rule : rules)
        m_list->addItem(summaryOf(rule.toObject()));
    const int row = rules.isEmpty() ? -1 : std::clamp(sameTarget ? keepRow : 0, 0, int(rules.size()) - 1);
    m_list->setCurrentRow(row);
    showRule(row);
}

void RuleEditor::showRule(int row)
{
    while (m_formLayout->rowCount() > 0)
        m_formLayout->removeRow(0);
    m_editors.clear();
    m_valueMap->hide();
    m_remove->setEnabled(row >= 0);
    m_up->setEnabled(row > 0);
    m_down->setEnabled(row >= 0 && row + 1 < m_rules.size());
    if (row < 0 || row >= m_rules.size()) {
        m_ruleHelp->clear();
        return;
    }
    const QJsonObject rule = m_rules.at(row).toObject();
    const mapping::RuleSpec *spec = mapping::RuleCatalog::builtin().find(rule.value(QLatin1String("rule")).toString());
    if (!spec) {
        m_ruleHelp->setText(tr("Unknown rule \"%1\"").arg(rule.value(QLatin1String("rule")).toString()));
        return;
    }
    m_ruleHelp->setText(spec->summary);
    for (const RuleParam &param : spec->params) {
        const QJsonValue current = rule.value(param.name);
        const QString name = param.name;
        QWidget *editor = nullptr;
        switch (param.type) {
        case RuleParam::Type::Boolean: {
            auto *box = new QCheckBox(m_form);
            box->setChecked(current.isUndefined() ? param.defaultValue.toBool() : current.toBool());
            connect(box, &QCheckBox::toggled, this, [this, row, name](bool on) { setParam(row, name, on); });
            editor = box;
            break;
        }
        case RuleParam::Type::Integer: {
            auto *spin = new QSpinBox(m_form);
            spin->setRange(-1000000, 1000000);
            spin->setValue(current.isUndefined() ? param.defaultValue.toInt() : current.toInt());
            connect(spin, &QSpinBox::valueChanged, this, [this, row, name](int v) { setParam(row, name, v); });
            editor = spin;
            break;
        }
        case RuleParam::Type::Choice: {
            // People pick from what a choice does; the mapping file keeps its name (the item's data,
            // also its tool tip, so the docs' names can be found).
            auto *combo = new QComboBox(m_form);
            for (qsizetype c = 0; c < param.choices.size(); ++c) {
                const QString &choice = param.choices.at(c);
                combo->addItem(param.choiceLabels.value(c, choice), choice);
                combo->setItemData(int(c), QStringLiteral("%1: %2").arg(name, choice), Qt::ToolTipRole);
            }
            const QString selected = current.isUndefined() ? param.defaultValue.toString() : current.toString();
            combo->setCurrentIndex(std::max(0, combo->findData(selected)));
            connect(combo, &QComboBox::currentIndexChanged, this,
                    [this, row, name, combo](int i) { setParam(row, name, combo->itemData(i).toString()); });
            editor = combo;
            break;
        }
        case RuleParam::Type::StringList: {
            auto *line = new QLineEdit(m_form);
            QStringList items;
            for (const QJsonValue &v : current.toArray())
                items.append(v.toString());
            line->setText(items.join(QStringLiteral("; ")));
            line->setPlaceholderText(tr("values separated by ;"));
            connect(line, &QLineEdit::textEdited, this, [this, row, name](const QString &text) {
                QJsonArray list;
                for (const QString &item : text.split(QLatin1Char(';'), Qt::SkipEmptyParts))
                    list.append(item.trimmed());
                setParam(row, name, list.isEmpty() ? QJsonValue(QJsonValue::Undefined) : QJsonValue(list));
            });
            editor = line;
            break;
        }
        case RuleParam::Type::Object: {
            if (rule.value(QLatin1String("rule")).toString() == QLatin1String("value_map") &&
                name == QLatin1String("map")) {
                fillValueMap(row);
                continue;
            }
            auto *text = new QPlainTextEdit(m_form);
            text->setPlainText(QString::fromUtf8(QJsonDocument(current.toObject()).toJson(QJsonDocument::Indented)));
            text->setMaximumHeight(90);
            connect(text, &QPlainTextEdit::textChanged, this, [this, row, name, text] {
                const QJsonDocument doc = QJsonDocument::fromJson(text->toPlainText().toUtf8());
                if (doc.isObject())
                    setParam(row, name, doc.object());
            });
            editor = text;
            break;
        }
        case RuleParam::Type::String:
        case RuleParam::Type::Any: {
            auto *line = new QLineEdit(m_form);
            line->setText(looseText(current));
            line->setPlaceholderText(looseText(param.defaultValue));
            const bool loose = param.type == RuleParam::Type::Any;
            connect(line, &QLineEdit::textEdited, this, [this, row, name, loose](const QString &text) {
                setParam(row, name,
                         loose ? parseLoose(text)
                               : (text.isEmpty() ? QJsonValue(QJsonValue::Undefined) : QJsonValue(text)));
            });
            editor = line;
            break;
        }
        }
        editor->setToolTip(param.help);
        editor->setAccessibleName(param.name);
        m_editors.insert(param.name, editor);
        m_formLayout->addRow(param.required ? param.name + QStringLiteral(" *") : param.name, editor);
    }
}

void RuleEditor::fillValueMap(int row)
{
    const QJsonObject map = m_rules.at(row).toObject().value(QLatin1String("map")).toObject();
    const int index = mapping::fieldIndexOf(m_session->document(), m_target);
    const QStringList from = index >= 0 ? m_session->document().fields.at(index).from : QStringList();
    QList<QPair<QString, int>> seen;
    if (!from.isEmpty())
        seen = mapping::distinctValues(m_session->samples(Side::Source).records, from.first());
    // Unmapped values first (they are what the user has to decide), then mapped ones, then entries
    // the samples never showed.
    QList<QPair<QString, int>> rows;
    for (const auto &v : seen)
        if (!map.contains(v.first))
            rows.append(v);
    for (const auto &v : seen)
        if (map.contains(v.first))
            rows.append(v);
    for (auto it = map.begin(); it != map.end(); ++it)
        if (std::none_of(seen.begin(), seen.end(), [&](const auto &v) { return v.first == it.key(); }))
            rows.append({it.key(), 0});
    QStringList choices = m_session->allowedTargetValues(m_target);
    for (auto it = map.begin(); it != map.end(); ++it) // what the map already uses is a choice too
        if (const QString used = looseText(it.value()); !used.isEmpty() && !choices.contains(used))
            choices.append(used);
    m_valueChoices->setChoices(choices);
    m_valueMap->horizontalHeaderItem(1)->setToolTip(
        choices.isEmpty() ? tr("Type what each value becomes in %1").arg(m_target)
                          : tr("Values %1 accepts: %2").arg(m_target, choices.join(QStringLiteral(", "))));
    const QSignalBlocker block(m_valueMap);
    m_valueMap->setRowCount(int(rows.size()));
    for (int r = 0; r < rows.size(); ++r) {
        const auto &[value, count] = rows.at(r);
        auto *source =
            new QTableWidgetItem(count > 0 ? tr("%1  (×%2)").arg(value.isEmpty() ? tr("(empty)") : value).arg(count)
                                           : tr("%1  (not in the samples)").arg(value));
        source->setData(Qt::UserRole, value);
        source->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
        QFont f = source->font();
        f.setBold(!map.contains(value));
        source->setFont(f);
        if (!map.contains(value))
            source->setToolTip(tr("Not in the map yet: choose or type what it becomes"));
        m_valueMap->setItem(r, 0, source);
        m_valueMap->setItem(r, 1, new QTableWidgetItem(looseText(map.value(value))));
    }
    m_valueMap->show();
}

void RuleEditor::setParam(int row, const QString &param, const QJsonValue &value)
{
    if (row < 0 || row >= m_rules.size())
        return;
    QJsonObject rule = m_rules.at(row).toObject();
    if (value.isUndefined())
        rule.remove(param);
    else
        rule.insert(param, value);
    m_rules.replace(row, rule);
    m_list->item(row)->setText(summaryOf(rule));
    apply(QStringLiteral("%1#%2#%3").arg(m_target).arg(row).arg(param));
}

void RuleEditor::apply(const QString &mergeKey)
{
    m_session->setRules(m_target, m_rules, mergeKey);
}

void RuleEditor::addRule(const QString &name)
{
    const mapping::RuleSpec *spec = mapping::RuleCatalog::builtin().find(name);
    if (!spec || m_target.isEmpty())
        return;
    QJsonObject rule{{QStringLiteral("rule"), name}};
    for (const RuleParam &p : spec->params)
        if (p.required && !p.defaultValue.isUndefined() && !p.defaultValue.isNull())
            rule.insert(p.name, p.defaultValue);
    if (name == QLatin1String("value_map"))
        rule.insert(QStringLiteral("map"), QJsonObject());
    QJsonArray rules = m_rules;
    rules.append(rule);
    m_session->setRules(m_target, rules);
    m_list->setCurrentRow(int(rules.size()) - 1);
}

void RuleEditor::removeSelectedRule()
{
    const int row = m_list->currentRow();
    if (row < 0)
        return;
    QJsonArray rules = m_rules;
    rules.removeAt(row);
    m_session->setRules(m_target, rules);
}

void RuleEditor::moveSelectedRule(int delta)
{
    const int row = m_list->currentRow();
    const int to = row + delta;
    if (row < 0 || to < 0 || to >= m_rules.size())
        return;
    QJsonArray rules = m_rules;
    const QJsonValue moved = rules.takeAt(row);
    rules.insert(to, moved);
    m_session->setRules(m_target, rules);
    m_list->setCurrentRow(to);
}

} // namespace transom::ui
