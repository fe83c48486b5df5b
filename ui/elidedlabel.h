#pragma once

#include <QFrame>

namespace transom::ui {

/// A one-line label that shortens its text with "…" to the width its layout gives it and then shows the
/// whole text in its tooltip: a long file name neither widens the layout nor gets cut off mid-letter.
class ElidedLabel : public QFrame {
    Q_OBJECT
public:
    explicit ElidedLabel(QWidget *parent = nullptr);

    void setText(const QString &text);
    const QString &text() const { return m_text; }
    /// What is drawn at the current width ("Source: portal.lead — 12 records from portal-l…").
    QString displayedText() const;
    bool isElided() const { return displayedText() != m_text; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void updateToolTip();

    QString m_text;
};

} // namespace transom::ui
