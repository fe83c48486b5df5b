#include "ui/traceview.h"
#include "ui/workerpool.h"

#include "ui/deadlettermodel.h"
#include "ui/projectsession.h"

#include <QDateTime>
#include <QFutureWatcher>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPalette>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace transom::ui {

namespace {

enum Column { TimeColumn, JobColumn, StepColumn, StatusColumn, DurationColumn, MessageColumn };

QBrush attentionBrush()
{
    const bool dark = QGuiApplication::palette().color(QPalette::Base).lightness() < 128;
    return dark ? QColor(0xff, 0x6b, 0x6b) : QColor(0xc6, 0x28, 0x28);
}

} // namespace

TraceView::TraceView(ProjectSession *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_input(new QLineEdit(this))
    , m_go(new QPushButton(tr("Trace"), this))
    , m_status(new QLabel(this))
    , m_tree(new QTreeWidget(this))
{
    setAccessibleName(tr("Record trace"));
    m_input->setAccessibleName(tr("Record to trace"));
    m_input->setPlaceholderText(tr("Record id, e-mail address or name"));
    m_input->setClearButtonEnabled(true);
    m_go->setAccessibleName(tr("Trace the record"));
    m_status->setAccessibleName(tr("Trace status"));
    m_status->setWordWrap(true);
    m_tree->setAccessibleName(tr("Record path"));
    m_tree->setHeaderLabels({tr("Time"), tr("Job"), tr("Step"), tr("HTTP"), tr("Duration"), tr("Message")});
    m_tree->setUniformRowHeights(true);
    m_tree->setWordWrap(false);
    m_tree->setRootIsDecorated(true);
    m_tree->header()->setStretchLastSection(true);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_input, 1);
    bar->addWidget(m_go);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_status);
    layout->addWidget(m_tree, 1);

    connect(m_go, &QPushButton::clicked, this, [this] { trace(m_input->text()); });
    connect(m_input, &QLineEdit::returnPressed, this, [this] { trace(m_input->text()); });
    connect(m_session, &ProjectSession::projectChanged, this, [this] {
        ++m_generation;
        m_busy = false;
        m_traces.clear();
        m_tree->clear();
        m_status->clear();
    });
}

QString TraceView::text() const
{
    return m_input->text().trimmed();
}

void TraceView::trace(const QString &text)
{
    const QString wanted = text.trimmed();
    m_input->setText(wanted);
    if (wanted.isEmpty() || !m_session->isOpen()) {
        m_status->setText(m_session->isOpen() ? tr("Type a record id, an e-mail address or a name.")
                                              : tr("Open a project to trace its records."));
        return;
    }
    const quint64 generation = ++m_generation;
    m_busy = true;
    m_status->setText(tr("Searching the logs and dead letters for \u201c%1\u201d\u2026").arg(wanted));
    QStringList jobs;
    for (const sync::JobConfig &job : m_session->project().jobs)
        jobs.append(job.name);
    const QString logDir = m_session->logDir();
    const QString storePath = m_session->storePath();
    auto *watcher = new QFutureWatcher<QList<sync::RecordTrace>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation, wanted] {
        watcher->deleteLater();
        if (generation != m_generation)
            return;
        m_busy = false;
        showTraces(wanted, watcher->result());
    });
    // The store connection is opened, used and closed on the worker thread (a QtSql rule).
    watcher->setFuture(QtConcurrent::run(workerPool(), [logDir, storePath, jobs, wanted] {
        auto opened = store::openStorage(storePath);
        return sync::traceRecords(logDir, opened ? opened.value().get() : nullptr, jobs, wanted);
    }));
}

void TraceView::showTraces(const QString &text, const QList<sync::RecordTrace> &traces)
{
    m_traces = traces;
    m_tree->clear();
    if (traces.isEmpty())
        m_status->setText(tr("No record matches \u201c%1\u201d in the logs or the dead letters.").arg(text));
    else
        m_status->setText(tr("%n record(s) match \u201c%1\u201d.", nullptr, int(traces.size())).arg(text));
    for (const sync::RecordTrace &t : traces)
        addRecord(t);
    m_tree->expandAll();
    for (int c = 0; c < MessageColumn; ++c)
        m_tree->resizeColumnToContents(c);
    Q_EMIT traceFinished(int(traces.size()));
}

void TraceView::addRecord(const sync::RecordTrace &t)
{
    auto *top = new QTreeWidgetItem(m_tree);
    top->setText(TimeColumn, tr("Record %1").arg(t.recordId));
    top->setFirstColumnSpanned(true);
    for (const QJsonObject &line : t.lines) {
        auto *step = new QTreeWidgetItem(top);
        step->setText(TimeColumn, line.value(QLatin1String("ts")).toString());
        step->setText(JobColumn, line.value(QLatin1String("job")).toString());
        step->setText(StepColumn, line.value(QLatin1String("event")).toString());
        const int status = line.value(QLatin1String("status")).toInt();
        step->setText(StatusColumn, status ? QString::number(status) : QString());
        const qint64 ms = line.value(QLatin1String("ms")).toInteger(-1);
        step->setText(DurationColumn, ms >= 0 ? tr("%1 ms").arg(ms) : QString());
        step->setText(MessageColumn, line.value(QLatin1String("message")).toString());
        step->setToolTip(MessageColumn, line.value(QLatin1String("snippet")).toString());
        const QString level = line.value(QLatin1String("level")).toString();
        if (level.startsWith(QLatin1String("err")) || level.startsWith(QLatin1String("warn")))
            for (int c = 0; c <= MessageColumn; ++c)
                step->setForeground(c, attentionBrush());
    }
    for (const sync::RecordTrace::LedgerState &e : t.ledger) {
        auto *ledger = new QTreeWidgetItem(top);
        ledger->setText(JobColumn, e.job);
        ledger->setText(StepColumn, tr("ledger"));
        ledger->setText(MessageColumn,
                        e.delivered
                            ? (e.destinationId.isEmpty() ? tr("delivered") : tr("delivered as %1").arg(e.destinationId))
                            : tr("outcome unknown; looked up before any resend"));
    }
    for (const store::DeadLetter &d : t.deadLetters) {
        auto *letter = new QTreeWidgetItem(top);
        letter->setText(TimeColumn,
                        QDateTime::fromMSecsSinceEpoch(d.lastFailedAt, Qt::UTC).toString(Qt::ISODateWithMs));
        letter->setText(JobColumn, d.job);
        letter->setText(StepColumn, tr("dead letter %1").arg(d.id));
        letter->setText(StatusColumn, d.httpStatus ? QString::number(d.httpStatus) : QString());
        letter->setText(MessageColumn, tr("%1, %2: %3")
                                           .arg(DeadLetterModel::className(d.errorClass),
                                                DeadLetterModel::statusName(d.status), d.message));
        if (d.status == QLatin1String("open"))
            for (int c = 0; c <= MessageColumn; ++c)
                letter->setForeground(c, attentionBrush());
    }
}

} // namespace transom::ui
