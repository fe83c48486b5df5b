#pragma once

#include <QStyledItemDelegate>

namespace transom::ui {

/// The "Becomes" column of a value map. Every cell shows a drop-down arrow, an empty one a placeholder,
/// so that the column reads as something to fill in; editing opens an editable combo box that offers
/// the values the target field accepts (typing another value is still allowed). Picking an entry
/// commits it at once.
class ValueChoiceDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    explicit ValueChoiceDelegate(QObject *parent = nullptr);

    /// The values offered, in order (declared ones first, then the ones seen in the target samples).
    void setChoices(const QStringList &choices) { m_choices = choices; }
    const QStringList &choices() const { return m_choices; }
    void setPlaceholder(const QString &text) { m_placeholder = text; }
    const QString &placeholder() const { return m_placeholder; }

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    void setEditorData(QWidget *editor, const QModelIndex &index) const override;
    void setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const override;

private:
    static int arrowWidth(const QStyleOptionViewItem &option);

    QStringList m_choices;
    QString m_placeholder;
};

} // namespace transom::ui
