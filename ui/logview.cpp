#include "ui/logview.h"

#include "ui/logmodel.h"
#include "ui/projectsession.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QScrollBar>
#include <QTableView>
#include <QVBoxLayout>

namespace transom::ui {

LogView::LogView(ProjectSession *session, QWidget *parent)
    : QWidget(parent), m_session(session), m_model(new LogModel(this)), m_proxy(new LogFilterProxy(this))
{
    setAccessibleName(tr("Live log"));
    m_proxy->setSourceModel(m_model);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    buildFilterBar();
    buildTable();
    connect(m_model, &LogModel::jobSeen, this, &LogView::addJob);
    connect(m_session, &ProjectSession::projectChanged, this, &LogView::attachEngine);
    attachEngine();
}

void LogView::buildFilterBar()
{
    auto *bar = new QHBoxLayout;
    m_level = new QComboBox(this);
    m_level->setAccessibleName(tr("Minimum level"));
    m_level->addItem(tr("All levels"), int(LogModel::Debug));
    m_level->addItem(tr("Info and above"), int(LogModel::Info));
    m_level->addItem(tr("Warnings and errors"), int(LogModel::Warning));
    m_level->addItem(tr("Errors only"), int(LogModel::Error));
    connect(m_level, &QComboBox::currentIndexChanged, this, &LogView::applyLevel);

    m_job = new QComboBox(this);
    m_job->setAccessibleName(tr("Job"));
    m_job->addItem(tr("All jobs"), QString());
    connect(m_job, &QComboBox::currentIndexChanged, this, [this] { m_proxy->setJob(m_job->currentData().toString()); });

    m_record = new QLineEdit(this);
    m_record->setAccessibleName(tr("Record id"));
    m_record->setPlaceholderText(tr("Record id"));
    m_record->setClearButtonEnabled(true);
    connect(m_record, &QLineEdit::textChanged, this, [this](const QString &t) { m_proxy->setRecordId(t.trimmed()); });

    m_text = new QLineEdit(this);
    m_text->setAccessibleName(tr("Search the log"));
    m_text->setPlaceholderText(tr("Search messages, records, events"));
    m_text->setClearButtonEnabled(true);
    m_textDelay.setSingleShot(true);
    m_textDelay.setInterval(150);
    connect(m_text, &QLineEdit::textChanged, &m_textDelay, qOverload<>(&QTimer::start));
    connect(&m_textDelay, &QTimer::timeout, this, [this] { m_proxy->setText(m_text->text().trimmed()); });

    m_clear = new QPushButton(tr("Clear"), this);
    m_clear->setAccessibleName(tr("Clear the log"));
    connect(m_clear, &QPushButton::clicked, m_model, &LogModel::clear);

    m_follow = new QCheckBox(tr("Follow"), this);
    m_follow->setAccessibleName(tr("Follow the newest line"));
    m_follow->setChecked(true);

    auto *levelLabel = new QLabel(tr("Level:"), this);
    levelLabel->setBuddy(m_level);
    levelLabel->setAccessibleName(tr("Level"));
    bar->addWidget(levelLabel);
    bar->addWidget(m_level);
    bar->addWidget(m_job);
    bar->addWidget(m_record, 1);
    bar->addWidget(m_text, 2);
    bar->addWidget(m_clear);
    bar->addWidget(m_follow);
    static_cast<QVBoxLayout *>(layout())->addLayout(bar);
}

void LogView::buildTable()
{
    m_table = new QTableView(this);
    m_table->setAccessibleName(tr("Log lines"));
    m_table->setModel(m_proxy);
    m_table->setWordWrap(false);
    m_table->setShowGrid(false);
    m_table->setAlternatingRowColors(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    m_table->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    // Fixed row heights and column widths set once: nothing is measured per inserted line.
    QHeaderView *rows = m_table->verticalHeader();
    rows->setVisible(false);
    rows->setSectionResizeMode(QHeaderView::Fixed);
    rows->setDefaultSectionSize(fontMetrics().height() + 6);
    QHeaderView *columns = m_table->horizontalHeader();
    columns->setSectionResizeMode(QHeaderView::Interactive);
    columns->setStretchLastSection(true);
    const QFontMetrics fm = fontMetrics();
    const int pad = fm.averageCharWidth() * 2;
    m_table->setColumnWidth(LogModel::TimeColumn, fm.horizontalAdvance(QStringLiteral("00:00:00.000")) + pad);
    m_table->setColumnWidth(LogModel::LevelColumn, fm.horizontalAdvance(LogModel::levelName(LogModel::Warning)) + pad);
    m_table->setColumnWidth(LogModel::JobColumn, fm.averageCharWidth() * 14 + pad);
    m_table->setColumnWidth(LogModel::RecordColumn, fm.averageCharWidth() * 16 + pad);
    m_table->setColumnWidth(LogModel::EventColumn, fm.horizontalAdvance(QStringLiteral("dead_lettered")) + pad);
    m_table->setColumnWidth(LogModel::StatusColumn, fm.horizontalAdvance(QStringLiteral("000")) + pad);
    layout()->addWidget(m_table);

    // Scrolled once the view has taken the new rows in (its geometry updates after this signal).
    connect(
        m_proxy, &QAbstractItemModel::rowsInserted, this,
        [this] {
            if (m_follow->isChecked())
                m_table->scrollToBottom();
        },
        Qt::QueuedConnection);
    // Dragging the scroll bar means the user wants to read: stop following until asked again.
    connect(m_table->verticalScrollBar(), &QScrollBar::sliderMoved, this, [this](int value) {
        if (value < m_table->verticalScrollBar()->maximum())
            m_follow->setChecked(false);
    });
    connect(m_follow, &QCheckBox::toggled, this, [this](bool on) {
        if (on)
            m_table->scrollToBottom();
    });
    connect(m_table, &QTableView::doubleClicked, this, &LogView::requestTrace);
    connect(m_table, &QTableView::customContextMenuRequested, this, &LogView::showContextMenu);
}

bool LogView::isFollowing() const
{
    return m_follow->isChecked();
}

void LogView::setFollowing(bool follow)
{
    m_follow->setChecked(follow);
}

void LogView::attachEngine()
{
    if (m_engine)
        disconnect(m_engine, nullptr, m_model, nullptr);
    m_engine = m_session->engine();
    m_model->clear();
    while (m_job->count() > 1)
        m_job->removeItem(1);
    if (!m_engine)
        return;
    for (const sync::JobConfig &job : m_session->project().jobs)
        addJob(job.name);
    for (const QString &job : m_model->jobs())
        addJob(job);
    connect(m_engine, &sync::SyncEngine::jobLog, m_model, &LogModel::append);
}

void LogView::addJob(const QString &job)
{
    if (m_job->findData(job) < 0)
        m_job->addItem(job, job);
}

void LogView::applyLevel()
{
    m_proxy->setMinimumLevel(LogModel::Level(m_level->currentData().toInt()));
}

QString LogView::recordAt(const QModelIndex &proxyIndex) const
{
    return proxyIndex.isValid() ? proxyIndex.siblingAtColumn(LogModel::RecordColumn).data().toString() : QString();
}

void LogView::requestTrace(const QModelIndex &proxyIndex)
{
    const QString record = recordAt(proxyIndex);
    if (!record.isEmpty())
        Q_EMIT traceRequested(record);
}

void LogView::showContextMenu(const QPoint &at)
{
    const QModelIndex index = m_table->indexAt(at);
    if (!index.isValid())
        return;
    const QString record = recordAt(index);
    auto *menu = new QMenu(this);
    menu->setAccessibleName(tr("Log line actions"));
    menu->setAttribute(Qt::WA_DeleteOnClose);
    QAction *trace = menu->addAction(tr("Trace record"), this, [this, record] { Q_EMIT traceRequested(record); });
    trace->setEnabled(!record.isEmpty());
    QAction *only = menu->addAction(tr("Show only this record"), this, [this, record] { m_record->setText(record); });
    only->setEnabled(!record.isEmpty());
    const QString message = index.siblingAtColumn(LogModel::MessageColumn).data().toString();
    menu->addAction(tr("Copy message"), this, [message] { QApplication::clipboard()->setText(message); });
    menu->popup(m_table->viewport()->mapToGlobal(at));
}

} // namespace transom::ui
