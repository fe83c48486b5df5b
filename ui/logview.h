#pragma once

#include <QPointer>
#include <QTimer>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLineEdit;
class QModelIndex;
class QPushButton;
class QTableView;

namespace transom::sync {
class SyncEngine;
}

namespace transom::ui {

class LogFilterProxy;
class LogModel;
class ProjectSession;

/// The live log of the open project's jobs: a filter bar over a bounded, batched table.
class LogView : public QWidget {
    Q_OBJECT
public:
    explicit LogView(ProjectSession *session, QWidget *parent = nullptr);

    LogModel *model() const { return m_model; }
    LogFilterProxy *proxy() const { return m_proxy; }
    QTableView *table() const { return m_table; }
    bool isFollowing() const;
    void setFollowing(bool follow);

Q_SIGNALS:
    /// The user asked for a record's whole path (double-click, or "Trace record" in the context menu).
    void traceRequested(const QString &recordId);

private:
    void buildFilterBar();
    void buildTable();
    void attachEngine();
    void addJob(const QString &job);
    void applyLevel();
    void showContextMenu(const QPoint &at);
    void requestTrace(const QModelIndex &proxyIndex);
    QString recordAt(const QModelIndex &proxyIndex) const;

    ProjectSession *m_session;
    QPointer<sync::SyncEngine> m_engine;
    LogModel *m_model;
    LogFilterProxy *m_proxy;
    QComboBox *m_level = nullptr;
    QComboBox *m_job = nullptr;
    QLineEdit *m_record = nullptr;
    QLineEdit *m_text = nullptr;
    QPushButton *m_clear = nullptr;
    QCheckBox *m_follow = nullptr;
    QTableView *m_table = nullptr;
    QTimer m_textDelay; ///< filtering 50,000 lines per keystroke would lag the typing
};

} // namespace transom::ui
