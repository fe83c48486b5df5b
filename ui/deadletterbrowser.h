#pragma once

#include "core/store/syncstore.h"
#include "ui/remapchoice.h"

#include <QHash>
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
    /// Remap: with the mapping the job names, as saved. RemapOnScreen: with the mapping open in the editor
    /// (saved first when it has unsaved changes); offered only when that is not what Remap would use.
    enum class RetryMode { Remap, AsEdited, RemapOnScreen };

    explicit DeadLetterBrowser(ProjectSession *session, QWidget *parent = nullptr);

    DeadLetterModel *model() const { return m_model; }
    QTreeView *tree() const { return m_tree; }
    QPlainTextEdit *mappedEditor() const { return m_mapped; }
    /// The letter whose records the panes show (0: none).
    qint64 currentLetterId() const { return m_currentId; }
    RetryMode retryMode() const;
    void setRetryMode(RetryMode mode);
    /// A store read or write, or a retry, is under way.
    bool isBusy() const { return m_inFlight > 0 || !m_retrying.isEmpty(); }
    /// The last message shown to the user (an error, or what an action did).
    QString statusText() const;
    /// Letters loaded at first and by each "Load more" (500 unless set).
    void setPageSize(int letters);
    /// The mapping open in the editor: when it is not the saved mapping a re-map would use (another file,
    /// or unsaved changes), the browser says so and offers to re-map with it.
    void setEditorMapping(const QString &path, bool modified, int revision);
    /// Saves the editor's mapping before a re-map with it; returns where it saved ("" with `error` set).
    void setSaveEditorMapping(std::function<QString(QString *error)> save) { m_saveEditorMapping = std::move(save); }
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
    /// `mappingPath`: re-map with this saved mapping file instead of each job's own (empty: the job's).
    void startRetry(const QList<store::DeadLetter> &letters, bool remap, const QString &mappingPath = {});
    void onJobFinished(const QString &job, const QString &status, const QString &message, const QJsonObject &counts);
    /// "N delivered, M still failing" of a finished retry, from the letters' state in the store, said once
    /// the list shows that state.
    void summarizeRetry(const QString &job, const QString &status, const QList<qint64> &ids);
    /// The job a re-map of the selection (or the filter) concerns; empty when several or none.
    QString retryJob() const;
    /// Reads the revision of each job's saved mapping, off this thread.
    void readMappingRevisions();
    /// The re-map choices and the note on which mapping they use, for the selection and the editor.
    void updateRemapChoices();
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
    QLabel *m_mappingNote = nullptr;
    QTimer m_textDelay;
    EditorMapping m_editor;
    std::function<QString(QString *)> m_saveEditorMapping;
    QHash<QString, int> m_revisions; ///< absolute path of a saved mapping → its revision
    QString m_pendingSummary;        ///< said when the next refresh lands (a retry's outcome)
    bool m_pendingFailure = false;
    qint64 m_currentId = 0;
    quint64 m_loadGeneration = 0; ///< a newer refresh makes older answers stale
    int m_pageSize = 500;
    int m_limit = 500;  ///< letters asked for: pages loaded so far
    qint64 m_total = 0; ///< letters matching the filter in all
    int m_inFlight = 0;
    QHash<QString, QList<qint64>> m_retrying; ///< job → the letters its retry under way was given
};

} // namespace transom::ui
