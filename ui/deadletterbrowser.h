#pragma once

#include "core/store/syncstore.h"

#include <QPointer>
#include <QSet>
#include <QTimer>
#include <QWidget>

#include <functional>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTreeView;
class QTreeWidget;

namespace transom::sync {
class SyncEngine;
}

namespace transom::ui {

class DeadLetterModel;
class ProjectSession;

/// The dead-letter queue of the open project: letters grouped by error class, the selected letter's
/// source record, mapped record (editable) and error side by side with its history, and the actions
/// that fix it: retry (re-mapped or as edited) and discard with a reason. Letters load a page at a
/// time ("Load more"), with the true total shown. Every store read and write runs on a worker thread
/// with its own connection; retries go through the session's engine.
class DeadLetterBrowser : public QWidget {
    Q_OBJECT
public:
    enum class RetryMode { Remap, AsEdited };

    explicit DeadLetterBrowser(ProjectSession *session, QWidget *parent = nullptr);

    DeadLetterModel *model() const { return m_model; }
    QTreeView *tree() const { return m_tree; }
    QPlainTextEdit *mappedEditor() const { return m_mapped; }
    /// The letter whose records the panes show (0: none).
    qint64 currentLetterId() const { return m_currentId; }
    RetryMode retryMode() const;
    void setRetryMode(RetryMode mode);
    /// A store read or write, or a retry, is under way.
    bool isBusy() const { return m_inFlight > 0 || !m_retryingJobs.isEmpty(); }
    /// The last message shown to the user (an error, or what an action did).
    QString statusText() const;
    /// Letters loaded at first and by each "Load more" (500 unless set).
    void setPageSize(int letters);
    /// How many letters match the filter in all (the tree may hold fewer: loadMore()).
    qint64 totalLetters() const { return m_total; }

public Q_SLOTS:
    /// Reloads the letters with the current filter, keeping the selection where it can (and as many
    /// pages as were loaded).
    void refresh();
    /// Loads the next page of letters.
    void loadMore();
    /// Retries the selected letters, or every letter of a selected error class, in the chosen mode.
    /// Sending as edited saves an edited record first.
    void retrySelected();
    /// Asks for a reason, then discards the selected letters.
    void discardSelected();
    /// Discards the selected letters with `reason` (no dialog).
    void discardSelectedWithReason(const QString &reason);
    /// Checks the edited mapped record and saves it. False (with the line and column shown) when it
    /// is not a JSON object; the save itself finishes asynchronously (actionFinished).
    bool saveEdit();

Q_SIGNALS:
    /// The tree now shows the store's state.
    void refreshed();
    /// The history of letter `id` is shown.
    void historyLoaded(qint64 id);
    void actionFinished(const QString &message);
    void actionFailed(const QString &message);

private:
    void buildFilterBar();
    void buildPanes();
    void buildActions();
    void attachEngine();
    void showLetters(const QList<store::DeadLetter> &letters, qint64 total);
    void filterChanged();
    void showSelection();
    void showLetter(const store::DeadLetter &letter);
    void loadHistory(qint64 id);
    QList<store::DeadLetter> selectedLetters() const;
    void saveEditThen(std::function<void()> then);
    void startRetry(const QList<store::DeadLetter> &letters, bool remap);
    void onJobFinished(const QString &job, const QString &status, const QString &message, const QJsonObject &counts);
    void say(const QString &message, bool failure = false);
    void updateActions();

    template<class T, class Work, class Done> void onStoreThread(Work work, Done done);

    ProjectSession *m_session;
    QPointer<sync::SyncEngine> m_engine;
    DeadLetterModel *m_model;
    QComboBox *m_job = nullptr;
    QComboBox *m_status = nullptr;
    QLineEdit *m_text = nullptr;
    QLabel *m_count = nullptr;
    QPushButton *m_refresh = nullptr;
    QPushButton *m_loadMore = nullptr;
    QTreeView *m_tree = nullptr;
    QPlainTextEdit *m_source = nullptr;
    QPlainTextEdit *m_mapped = nullptr;
    QLabel *m_mappedProblem = nullptr;
    QPushButton *m_save = nullptr;
    QPlainTextEdit *m_error = nullptr;
    QTreeWidget *m_history = nullptr;
    QComboBox *m_retryMode = nullptr;
    QPushButton *m_retry = nullptr;
    QPushButton *m_discard = nullptr;
    QLabel *m_message = nullptr;
    QTimer m_textDelay;
    qint64 m_currentId = 0;
    quint64 m_loadGeneration = 0; ///< a newer refresh makes older answers stale
    int m_pageSize = 500;
    int m_limit = 500;  ///< letters asked for: pages loaded so far
    qint64 m_total = 0; ///< letters matching the filter in all
    int m_inFlight = 0;
    QSet<QString> m_retryingJobs;
};

} // namespace transom::ui
