#pragma once

#include "core/sync/recordtrace.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QTreeWidget;

namespace transom::ui {

class ProjectSession;

/// A record's whole path, found by id, e-mail or name: every step from the logs (received, mapped,
/// sent, retried, looked up, dead-lettered, delivered) with times, statuses and messages, what the
/// ledger knows, and its dead letters. The same facts as `transom-run trace`, searched off the UI thread.
class TraceView : public QWidget {
    Q_OBJECT
public:
    explicit TraceView(ProjectSession *session, QWidget *parent = nullptr);

    QString text() const;
    bool isBusy() const { return m_busy; }
    /// The records of the last finished search.
    const QList<sync::RecordTrace> &traces() const { return m_traces; }
    QTreeWidget *tree() const { return m_tree; }

public Q_SLOTS:
    /// Searches for `text` (a record id, an e-mail address, a name) and shows what it finds.
    void trace(const QString &text);

Q_SIGNALS:
    void traceFinished(int records);

private:
    void showTraces(const QString &text, const QList<sync::RecordTrace> &traces);
    void addRecord(const sync::RecordTrace &t);

    ProjectSession *m_session;
    QLineEdit *m_input;
    QPushButton *m_go;
    QLabel *m_status;
    QTreeWidget *m_tree;
    QList<sync::RecordTrace> m_traces;
    quint64 m_generation = 0; ///< a newer search makes older results stale
    bool m_busy = false;
};

} // namespace transom::ui
