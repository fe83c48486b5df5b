#include "ui/valuechoicedelegate.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QComboBox>
#include <QCompleter>
#include <QLineEdit>
#include <QPainter>

namespace transom::ui {

ValueChoiceDelegate::ValueChoiceDelegate(QObject *parent) : QStyledItemDelegate(parent)
{
    m_placeholder = tr("choose or type…");
}

int ValueChoiceDelegate::arrowWidth(const QStyleOptionViewItem &option)
{
    return option.fontMetrics.height();
}

void ValueChoiceDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const int arrow = arrowWidth(opt);
    const bool empty = opt.text.isEmpty();
    // The cell itself, leaving room for the arrow so that a long value does not run under it.
    QStyleOptionViewItem cell = opt;
    cell.rect.setRight(opt.rect.right() - arrow);
    const QWidget *widget = opt.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawPrimitive(QStyle::PE_PanelItemViewItem, &opt, painter, widget);
    if (empty) {
        cell.text = m_placeholder;
        cell.font.setItalic(true);
        const QColor placeholder = opt.palette.color(QPalette::PlaceholderText);
        cell.palette.setColor(QPalette::Text, placeholder);
        cell.palette.setColor(QPalette::HighlightedText, placeholder);
    }
    cell.backgroundBrush = Qt::NoBrush;
    cell.state &= ~QStyle::State_HasFocus;
    style->drawControl(QStyle::CE_ItemViewItem, &cell, painter, widget);

    QStyleOption arrowOption;
    if (widget)
        arrowOption.initFrom(widget);
    arrowOption.rect = QRect(opt.rect.right() - arrow + 1, opt.rect.top(), arrow - 2, opt.rect.height());
    arrowOption.palette = opt.palette;
    arrowOption.state = opt.state | QStyle::State_Enabled;
    style->drawPrimitive(QStyle::PE_IndicatorArrowDown, &arrowOption, painter, widget);
}

QSize ValueChoiceDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    size.rwidth() += arrowWidth(option);
    return size;
}

QWidget *ValueChoiceDelegate::createEditor(QWidget *parent, const QStyleOptionViewItem &, const QModelIndex &) const
{
    auto *combo = new QComboBox(parent);
    combo->setEditable(true);
    combo->setInsertPolicy(QComboBox::NoInsert);
    combo->addItems(m_choices);
    combo->setAccessibleName(tr("Becomes"));
    combo->lineEdit()->setPlaceholderText(m_placeholder);
    combo->completer()->setCaseSensitivity(Qt::CaseInsensitive);
    combo->completer()->setCompletionMode(QCompleter::PopupCompletion);
    // A value picked from the list is the answer: commit it without waiting for Enter.
    connect(combo, &QComboBox::activated, this, [this, combo] {
        auto *self = const_cast<ValueChoiceDelegate *>(this);
        Q_EMIT self->commitData(combo);
        Q_EMIT self->closeEditor(combo, QAbstractItemDelegate::SubmitModelCache);
    });
    return combo;
}

void ValueChoiceDelegate::setEditorData(QWidget *editor, const QModelIndex &index) const
{
    auto *combo = qobject_cast<QComboBox *>(editor);
    if (!combo)
        return;
    const QString text = index.data(Qt::EditRole).toString();
    const int found = combo->findText(text);
    if (found >= 0)
        combo->setCurrentIndex(found);
    combo->setEditText(text);
}

void ValueChoiceDelegate::setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const
{
    auto *combo = qobject_cast<QComboBox *>(editor);
    if (!combo)
        return;
    const QString text = combo->currentText();
    if (text != index.data(Qt::EditRole).toString())
        model->setData(index, text, Qt::EditRole);
}

} // namespace transom::ui
