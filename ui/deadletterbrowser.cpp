#include "ui/deadletterbrowser.h"
#include "ui/workerpool.h"

#include "core/mapping/mappingdocument.h"
#include "core/sync/deadletters.h"
#include "ui/deadlettermodel.h"
#include "ui/projectsession.h"

#include <QComboBox>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTextBlock>
#include <QTextCursor>
#include <QTreeView>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <limits>

namespace transom::ui {

namespace {

/// What a worker thread brings back: a value, or why not.
template<class T> struct StoreAnswer {
    T value{};
    QString error;
};

QString pretty(const QByteArray &json)
{
    if (json.trimmed().isEmpty())
        return {};
    const QJsonDocument doc = QJsonDocument::fromJson(json);
    return doc.isNull() ? QString::fromUtf8(json) : QString::fromUtf8(doc.toJson(QJsonDocument::Indented));
}

QPlainTextEdit *jsonPane(QWidget *parent, const QString &name, bool readOnly)
{
    auto *edit = new QPlainTextEdit(parent);
    edit->setAccessibleName(name);
    edit->setReadOnly(readOnly);
    edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    QFont mono = edit->font();
    mono.setFamily(QStringLiteral("monospace"));
    mono.setStyleHint(QFont::TypeWriter);
    edit->setFont(mono);
    return edit;
}

// Problems in a colour readable on light and dark palettes.
void markProblem(QLabel *label, bool problem)
{
    QPalette p = label->parentWidget() ? label->parentWidget()->palette() : label->palette();
    if (problem) {
        const bool dark = p.color(QPalette::Base).lightness() < 128;
        p.setColor(QPalette::WindowText, dark ? QColor(0xff, 0x6b, 0x6b) : QColor(0xc6, 0x28, 0x28));
    }
    label->setPalette(p);
}

QWidget *titled(const QString &title, QWidget *content, QWidget *extra = nullptr)
{
    auto *box = new QGroupBox(title);
    box->setAccessibleName(title);
    auto *layout = new QVBoxLayout(box);
    layout->addWidget(content, 1);
    if (extra)
        layout->addWidget(extra);
    return box;
}

} // namespace

// The store connection is opened, used and closed on the worker thread: QtSql connections belong to
// the thread that made them. `work` runs there; `done` runs back on this widget's thread.
template<class T, class Work, class Done> void DeadLetterBrowser::onStoreThread(Work work, Done done)
{
    ++m_inFlight;
    auto *watcher = new QFutureWatcher<StoreAnswer<T>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, done] {
        watcher->deleteLater();
        --m_inFlight;
        done(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run(workerPool(), [path = m_session->storePath(), work]() -> StoreAnswer<T> {
        auto opened = store::openStorage(path);
        if (!opened)
            return {T{}, opened.error().toString()};
        return work(*opened.value());
    }));
}

DeadLetterBrowser::DeadLetterBrowser(ProjectSession *session, QWidget *parent)
    : QWidget(parent), m_session(session), m_model(new DeadLetterModel(this))
{
    setAccessibleName(tr("Dead letters"));
    new QVBoxLayout(this);
    buildFilterBar();
    buildPanes();
    buildActions();
    connect(m_session, &ProjectSession::projectChanged, this, &DeadLetterBrowser::attachEngine);
    attachEngine();
}

void DeadLetterBrowser::buildFilterBar()
{
    m_job = new QComboBox(this);
    m_job->setAccessibleName(tr("Job"));
    m_status = new QComboBox(this);
    m_status->setAccessibleName(tr("Letter status"));
    m_status->addItem(tr("Open"), QStringLiteral("open"));
    m_status->addItem(tr("All"), QString());
    m_text = new QLineEdit(this);
    m_text->setAccessibleName(tr("Search dead letters"));
    m_text->setPlaceholderText(tr("Record id, e-mail address, name or message"));
    m_text->setClearButtonEnabled(true);
    m_count = new QLabel(this);
    m_count->setAccessibleName(tr("Number of dead letters"));
    m_refresh = new QPushButton(tr("Refresh"), this);
    m_refresh->setAccessibleName(tr("Refresh the dead letters"));
    m_textDelay.setSingleShot(true);
    m_textDelay.setInterval(250);
    m_loadMore = new QPushButton(this);
    m_loadMore->setAccessibleName(tr("Load more dead letters"));
    m_loadMore->hide();
    connect(m_job, &QComboBox::currentIndexChanged, this, &DeadLetterBrowser::filterChanged);
    connect(m_status, &QComboBox::currentIndexChanged, this, &DeadLetterBrowser::filterChanged);
    connect(m_text, &QLineEdit::textChanged, &m_textDelay, qOverload<>(&QTimer::start));
    connect(&m_textDelay, &QTimer::timeout, this, &DeadLetterBrowser::filterChanged);
    connect(m_refresh, &QPushButton::clicked, this, &DeadLetterBrowser::refresh);
    connect(m_loadMore, &QPushButton::clicked, this, &DeadLetterBrowser::loadMore);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_job);
    bar->addWidget(m_status);
    bar->addWidget(m_text, 1);
    bar->addWidget(m_count);
    bar->addWidget(m_loadMore);
    bar->addWidget(m_refresh);
    static_cast<QVBoxLayout *>(layout())->addLayout(bar);
}

void DeadLetterBrowser::buildPanes()
{
    m_tree = new QTreeView(this);
    m_tree->setAccessibleName(tr("Dead letters by error class"));
    m_tree->setModel(m_model);
    m_tree->setUniformRowHeights(true);
    m_tree->setWordWrap(false);
    m_tree->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_tree->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tree->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(DeadLetterModel::MessageColumn, QHeaderView::Stretch);
    connect(m_tree->selectionModel(), &QItemSelectionModel::selectionChanged, this, &DeadLetterBrowser::showSelection);

    m_source = jsonPane(this, tr("Source record"), true);
    m_mapped = jsonPane(this, tr("Mapped record"), false);
    m_error = jsonPane(this, tr("Error"), true);
    m_error->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_mappedProblem = new QLabel(this);
    m_mappedProblem->setAccessibleName(tr("Problem in the mapped record"));
    m_mappedProblem->setWordWrap(true);
    markProblem(m_mappedProblem, true);
    m_save = new QPushButton(tr("Save edit"), this);
    m_save->setAccessibleName(tr("Save the edited mapped record"));
    m_save->setEnabled(false);
    connect(m_save, &QPushButton::clicked, this, &DeadLetterBrowser::saveEdit);
    connect(m_mapped, &QPlainTextEdit::modificationChanged, this, &DeadLetterBrowser::updateActions);
    auto *mappedFooter = new QWidget(this);
    mappedFooter->setAccessibleName(tr("Saving the mapped record"));
    auto *footer = new QHBoxLayout(mappedFooter);
    footer->setContentsMargins(0, 0, 0, 0);
    footer->addWidget(m_mappedProblem, 1);
    footer->addWidget(m_save);

    m_history = new QTreeWidget(this);
    m_history->setAccessibleName(tr("History of the dead letter"));
    m_history->setHeaderLabels({tr("When"), tr("Action"), tr("Detail")});
    m_history->setRootIsDecorated(false);
    m_history->setUniformRowHeights(true);

    auto *records = new QSplitter(Qt::Horizontal, this);
    records->setAccessibleName(tr("Records and error"));
    records->addWidget(titled(tr("Source record"), m_source));
    records->addWidget(titled(tr("Mapped record"), m_mapped, mappedFooter));
    auto *errorSide = new QSplitter(Qt::Vertical, records);
    errorSide->setAccessibleName(tr("Error and history"));
    errorSide->addWidget(titled(tr("Error"), m_error));
    errorSide->addWidget(titled(tr("History"), m_history));
    records->addWidget(errorSide);

    auto *split = new QSplitter(Qt::Vertical, this);
    split->setAccessibleName(tr("Dead letters and details"));
    split->addWidget(m_tree);
    split->addWidget(records);
    // Only the letters and their records scroll in a short dock: the filter above and the actions below
    // stay where they can be pressed.
    auto *scroll = new QScrollArea(this);
    scroll->setAccessibleName(tr("Dead letters and details"));
    scroll->setWidget(split);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    layout()->addWidget(scroll);
}

void DeadLetterBrowser::buildActions()
{
    m_retryMode = new QComboBox(this);
    m_retryMode->setAccessibleName(tr("How to retry"));
    m_retryMode->addItem(tr("Re-map with the job's mapping"), int(RetryMode::Remap));
    m_retryMode->addItem(tr("Send as edited"), int(RetryMode::AsEdited));
    // The choices name files: room for a name, the whole text in the list and the tooltip, and a dock
    // that does not grow with a long file name.
    m_retryMode->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_retryMode->setMinimumContentsLength(32);
    connect(m_retryMode, &QComboBox::currentTextChanged, m_retryMode, &QComboBox::setToolTip);
    m_mappingNote = new QLabel(this);
    m_mappingNote->setAccessibleName(tr("Mapping a re-map uses"));
    m_mappingNote->setWordWrap(true);
    m_mappingNote->hide();
    m_retry = new QPushButton(tr("Retry"), this);
    m_retry->setAccessibleName(tr("Retry the selected dead letters"));
    m_discard = new QPushButton(tr("Discard\u2026"), this);
    m_discard->setAccessibleName(tr("Discard the selected dead letters"));
    m_message = new QLabel(this);
    m_message->setAccessibleName(tr("Dead letter status"));
    m_message->setWordWrap(true);
    connect(m_retry, &QPushButton::clicked, this, &DeadLetterBrowser::retrySelected);
    connect(m_discard, &QPushButton::clicked, this, &DeadLetterBrowser::discardSelected);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_message, 1);
    bar->addWidget(m_retryMode);
    bar->addWidget(m_retry);
    bar->addWidget(m_discard);
    layout()->addWidget(m_mappingNote);
    static_cast<QVBoxLayout *>(layout())->addLayout(bar);
    updateActions();
}

void DeadLetterBrowser::attachEngine()
{
    if (m_engine)
        disconnect(m_engine, nullptr, this, nullptr);
    m_engine = m_session->engine();
    m_retrying.clear();
    {
        const QSignalBlocker block(m_job);
        m_job->clear();
        m_job->addItem(tr("All jobs"), QString());
        if (m_engine)
            for (const sync::JobConfig &job : m_session->project().jobs)
                m_job->addItem(job.name, job.name);
    }
    if (!m_engine) {
        ++m_loadGeneration;
        m_model->setLetters({});
        showSelection();
        return;
    }
    connect(m_engine, &sync::SyncEngine::jobFinished, this, &DeadLetterBrowser::onJobFinished);
    readMappingRevisions();
    refresh();
}

void DeadLetterBrowser::setPageSize(int letters)
{
    m_pageSize = std::max(1, letters);
    m_limit = m_pageSize;
}

void DeadLetterBrowser::filterChanged()
{
    m_limit = m_pageSize; // a new question starts at its first page
    refresh();
}

void DeadLetterBrowser::loadMore()
{
    m_limit = int(std::min<qint64>(qint64(m_limit) + m_pageSize, std::numeric_limits<int>::max()));
    refresh();
}

void DeadLetterBrowser::refresh()
{
    if (!m_session->isOpen())
        return;
    store::DeadLetterFilter filter;
    filter.job = m_job->currentData().toString();
    filter.status = m_status->currentData().toString();
    filter.text = m_text->text().trimmed();
    filter.limit = m_limit;
    const quint64 generation = ++m_loadGeneration;
    struct Page {
        QList<store::DeadLetter> letters;
        qint64 total = 0;
    };
    onStoreThread<Page>(
        [filter](store::SyncStorage &s) -> StoreAnswer<Page> {
            auto letters = s.deadLetters(filter);
            if (!letters)
                return {{}, letters.error().toString()};
            auto total = s.deadLetterCount(filter);
            if (!total)
                return {{}, total.error().toString()};
            return {{letters.value(), total.value()}, {}};
        },
        [this, generation](const StoreAnswer<Page> &answer) {
            if (generation != m_loadGeneration)
                return;
            if (!answer.error.isEmpty()) {
                say(tr("Cannot read the dead letters: %1").arg(answer.error), true);
                return;
            }
            showLetters(answer.value.letters, answer.value.total);
            if (!m_pendingSummary.isEmpty()) { // a retry's outcome, now that the list shows it
                const QString summary = std::exchange(m_pendingSummary, QString());
                say(summary, m_pendingFailure);
                Q_EMIT actionFinished(summary);
            }
            Q_EMIT refreshed();
        });
}

void DeadLetterBrowser::showLetters(const QList<store::DeadLetter> &letters, qint64 total)
{
    // Keep what the user was looking at: the same letters, or the same class.
    QList<qint64> ids;
    QStringList classes;
    for (const QModelIndex &i : m_tree->selectionModel()->selectedRows()) {
        if (const store::DeadLetter *d = m_model->letter(i))
            ids.append(d->id);
        else
            classes.append(i.data(DeadLetterModel::ErrorClassRole).toString());
    }
    m_model->setLetters(letters);
    m_tree->expandAll();
    for (int c = 0; c < DeadLetterModel::ColumnCount; ++c)
        if (c != DeadLetterModel::MessageColumn)
            m_tree->resizeColumnToContents(c);
    QItemSelection keep;
    for (qint64 id : std::as_const(ids))
        if (const QModelIndex i = m_model->indexOfLetter(id); i.isValid())
            keep.select(i, i.siblingAtColumn(DeadLetterModel::ColumnCount - 1));
    for (const QString &c : std::as_const(classes))
        if (const QModelIndex i = m_model->indexOfClass(c); i.isValid())
            keep.select(i, i.siblingAtColumn(DeadLetterModel::ColumnCount - 1));
    // A reset clears the selection without a signal: show the panes again when nothing is kept.
    // (Reselecting the letter being edited keeps the edit: see showLetter.)
    m_tree->selectionModel()->select(keep, QItemSelectionModel::ClearAndSelect);
    if (keep.isEmpty())
        showSelection();
    m_total = total;
    const int loaded = m_model->letterCount();
    const QLocale locale;
    m_count->setText(total == 0 ? tr("No dead letters match.")
                     : loaded < total
                         ? tr("Showing %1 of %2 dead letters").arg(locale.toString(loaded), locale.toString(total))
                         : tr("%n dead letter(s)", nullptr, loaded));
    const int more = int(std::min<qint64>(m_pageSize, total - loaded));
    m_loadMore->setVisible(more > 0);
    if (more > 0)
        m_loadMore->setText(tr("Load %n more", nullptr, more));
}

QList<store::DeadLetter> DeadLetterBrowser::selectedLetters() const
{
    QList<store::DeadLetter> out;
    QSet<qint64> seen;
    for (const QModelIndex &i : m_tree->selectionModel()->selectedRows())
        for (const store::DeadLetter &d : m_model->letters(i))
            if (!seen.contains(d.id)) {
                seen.insert(d.id);
                out.append(d);
            }
    return out;
}

void DeadLetterBrowser::showSelection()
{
    const QModelIndexList rows = m_tree->selectionModel()->selectedRows();
    const store::DeadLetter *single = rows.size() == 1 ? m_model->letter(rows.first()) : nullptr;
    if (single) {
        showLetter(*single);
    } else {
        m_currentId = 0;
        m_source->clear();
        m_mapped->clear();
        m_mapped->document()->setModified(false);
        m_mappedProblem->clear();
        m_history->clear();
        const QString errorClass =
            rows.size() == 1 ? rows.first().data(DeadLetterModel::ErrorClassRole).toString() : QString();
        m_error->setPlainText(rows.isEmpty() ? QString()
                              : errorClass.isEmpty()
                                  ? tr("%n dead letter(s) selected.", nullptr, int(selectedLetters().size()))
                                  : DeadLetterModel::classDescription(errorClass));
    }
    m_mapped->setReadOnly(!single);
    updateActions();
}

void DeadLetterBrowser::showLetter(const store::DeadLetter &d)
{
    const bool same = d.id == m_currentId;
    if (same && m_mapped->document()->isModified())
        return; // the user is editing this one: keep the edit
    m_currentId = d.id;
    m_source->setPlainText(pretty(d.sourceRecord));
    m_mapped->setPlainText(pretty(d.mappedRecord));
    m_mapped->document()->setModified(false);
    m_mappedProblem->clear();
    QStringList error{tr("Class: %1").arg(DeadLetterModel::className(d.errorClass)), tr("Job: %1").arg(d.job),
                      tr("Attempts: %1").arg(d.attempts), tr("Status: %1").arg(DeadLetterModel::statusName(d.status))};
    if (d.httpStatus)
        error.append(tr("HTTP status: %1").arg(d.httpStatus));
    if (d.mappingRevision)
        error.append(tr("Mapped with revision %1").arg(d.mappingRevision));
    error.append(QString());
    error.append(d.message);
    m_error->setPlainText(error.join(QLatin1Char('\n')));
    if (!same)
        m_history->clear();
    loadHistory(d.id);
}

void DeadLetterBrowser::loadHistory(qint64 id)
{
    using Actions = QList<QJsonObject>;
    onStoreThread<Actions>(
        [id](store::SyncStorage &s) -> StoreAnswer<Actions> {
            auto actions = s.deadLetterActions(id);
            if (!actions)
                return {{}, actions.error().toString()};
            return {actions.value(), {}};
        },
        [this, id](const StoreAnswer<Actions> &answer) {
            if (id != m_currentId)
                return;
            m_history->clear();
            if (!answer.error.isEmpty()) {
                say(tr("Cannot read the history: %1").arg(answer.error), true);
                return;
            }
            for (const QJsonObject &a : answer.value) {
                auto *row = new QTreeWidgetItem(m_history);
                row->setText(0, a.value(QLatin1String("at")).toString());
                row->setText(1, a.value(QLatin1String("action")).toString());
                row->setText(2, a.value(QLatin1String("detail")).toString());
                row->setToolTip(2, a.value(QLatin1String("detail")).toString());
            }
            m_history->resizeColumnToContents(0);
            m_history->resizeColumnToContents(1);
            Q_EMIT historyLoaded(id);
        });
}

bool DeadLetterBrowser::saveEdit()
{
    const auto parsed = sync::parseEditedRecord(m_mapped->toPlainText().toUtf8());
    if (!parsed) {
        const Error &e = parsed.error();
        m_mappedProblem->setText(tr("Line %1, column %2: %3").arg(e.line).arg(e.column).arg(e.message));
        // Put the cursor where the mistake is, so the fix is one keystroke away.
        const QTextBlock block = m_mapped->document()->findBlockByLineNumber(std::max(0, e.line - 1));
        if (block.isValid()) {
            QTextCursor cursor(block);
            cursor.movePosition(QTextCursor::Right, QTextCursor::MoveAnchor,
                                std::clamp(e.column - 1, 0, std::max(0, block.length() - 1)));
            m_mapped->setTextCursor(cursor);
        }
        say(tr("The mapped record is not valid JSON; nothing was saved."), true);
        return false;
    }
    saveEditThen({});
    return true;
}

void DeadLetterBrowser::saveEditThen(std::function<void()> then)
{
    const auto parsed = sync::parseEditedRecord(m_mapped->toPlainText().toUtf8());
    if (!parsed || m_currentId == 0)
        return;
    m_mappedProblem->clear();
    const qint64 id = m_currentId;
    const QJsonObject record = parsed.value();
    m_save->setEnabled(false);
    onStoreThread<QString>(
        [id, record](store::SyncStorage &s) -> StoreAnswer<QString> {
            auto edited = sync::editDeadLetter(s, id, record);
            if (!edited)
                return {{}, edited.error().toString()};
            return {edited.value(), {}};
        },
        [this, id, then](const StoreAnswer<QString> &answer) {
            if (!answer.error.isEmpty()) {
                say(tr("Cannot save the edit: %1").arg(answer.error), true);
                updateActions();
                return;
            }
            if (id == m_currentId)
                m_mapped->document()->setModified(false);
            setRetryMode(RetryMode::AsEdited); // Retry now sends what was just saved, not a re-map over it
            say(tr("Dead letter %1 edited: %2").arg(id).arg(answer.value));
            Q_EMIT actionFinished(tr("Dead letter %1 edited: %2").arg(id).arg(answer.value));
            if (then)
                then();
            else
                refresh();
        });
}

void DeadLetterBrowser::retrySelected()
{
    const QList<store::DeadLetter> letters = selectedLetters();
    if (letters.isEmpty() || !m_engine) {
        say(tr("Select dead letters, or an error class, to retry."), true);
        return;
    }
    const RetryMode mode = retryMode();
    if (mode == RetryMode::AsEdited && m_currentId && m_mapped->document()->isModified()) {
        if (!sync::parseEditedRecord(m_mapped->toPlainText().toUtf8())) {
            saveEdit(); // shows where the mistake is
            return;
        }
        saveEditThen([this, letters] { startRetry(letters, false); });
        return;
    }
    if (mode != RetryMode::RemapOnScreen) {
        startRetry(letters, mode == RetryMode::Remap);
        return;
    }
    // The mapping on screen goes to the engine as a saved file, so each letter's history names a revision
    // that exists.
    QString path = m_editor.path;
    if (m_editor.modified) {
        QString error;
        path = m_saveEditorMapping ? m_saveEditorMapping(&error) : QString();
        if (path.isEmpty()) {
            say(tr("The mapping on screen was not saved, so nothing was retried: %1")
                    .arg(error.isEmpty() ? tr("there is nowhere to save it") : error),
                true);
            return;
        }
        // Saving a shipped mapping reopens the project with the job pointing at the user's copy.
        if (m_engine != m_session->engine())
            attachEngine();
    }
    startRetry(letters, true, path);
}

void DeadLetterBrowser::startRetry(const QList<store::DeadLetter> &letters, bool remap, const QString &mappingPath)
{
    if (!m_engine)
        return;
    const sync::RetryPlan plan = sync::planRetry(letters, remap);
    QString usedMapping;
    for (auto it = plan.byJob.cbegin(); it != plan.byJob.cend(); ++it) {
        const sync::JobConfig *job = m_session->project().job(it.key());
        // The job's own file (as the project may name it again after a save) needs no override.
        const bool own = mappingPath.isEmpty() || (job && QFileInfo(job->mapping).absoluteFilePath() ==
                                                              QFileInfo(mappingPath).absoluteFilePath());
        const QString file = own ? (job ? job->mapping : QString()) : mappingPath;
        usedMapping = QFileInfo(file).fileName();
        m_retrying.insert(it.key(), it.value());
        m_engine->retryDeadLetters(it.key(), it.value(), remap, own ? QString() : mappingPath);
    }
    QString message =
        !remap ? tr("Sending %n dead letter(s) as edited\u2026", nullptr, plan.size())
        : plan.byJob.size() == 1 && !usedMapping.isEmpty()
            ? tr("Retrying %n dead letter(s), re-mapped with %1\u2026", nullptr, plan.size()).arg(usedMapping)
            : tr("Retrying %n dead letter(s), each re-mapped with its job's mapping\u2026", nullptr, plan.size());
    if (!plan.skipped.isEmpty())
        message += QLatin1Char(' ') + tr("%n dead letter(s) without a mapped record to send: retry re-mapped instead.",
                                         nullptr, int(plan.skipped.size()));
    say(message, plan.size() == 0);
    updateActions();
}

void DeadLetterBrowser::onJobFinished(const QString &job, const QString &status, const QString &message,
                                      const QJsonObject &)
{
    readMappingRevisions(); // a run may follow a save: the revisions named are the files'
    const auto retried = m_retrying.constFind(job);
    if (retried == m_retrying.cend()) {
        refresh();
        return;
    }
    const QList<qint64> ids = retried.value();
    m_retrying.erase(retried);
    if (status == QLatin1String("failed")) {
        m_pendingSummary = tr("Retry of %1 failed: %2").arg(job, message);
        m_pendingFailure = true;
        refresh();
        return;
    }
    summarizeRetry(job, status, ids);
}

void DeadLetterBrowser::summarizeRetry(const QString &job, const QString &status, const QList<qint64> &ids)
{
    // Counted from the letters themselves, read before the list is: the numbers are what it then shows.
    struct Outcome {
        int delivered = 0;
        int failing = 0;
    };
    onStoreThread<Outcome>(
        [ids](store::SyncStorage &s) -> StoreAnswer<Outcome> {
            Outcome o;
            for (qint64 id : ids) {
                const auto letter = s.deadLetter(id);
                if (!letter)
                    return {o, letter.error().toString()};
                if (letter->status == QLatin1String("resolved"))
                    ++o.delivered;
                else if (letter->status != QLatin1String("discarded"))
                    ++o.failing;
            }
            return {o, {}};
        },
        [this, job, status](const StoreAnswer<Outcome> &answer) {
            if (!answer.error.isEmpty()) {
                m_pendingSummary = tr("Retry of %1 %2; its letters cannot be read: %3").arg(job, status, answer.error);
                m_pendingFailure = true;
            } else {
                m_pendingSummary = tr("Retry of %1 %2: %3 delivered, %4 still failing.")
                                       .arg(job, status)
                                       .arg(answer.value.delivered)
                                       .arg(answer.value.failing);
                m_pendingFailure = answer.value.failing > 0 || status != QLatin1String("completed");
            }
            refresh();
        });
}

void DeadLetterBrowser::discardSelected()
{
    const QList<store::DeadLetter> letters = selectedLetters();
    if (letters.isEmpty()) {
        say(tr("Select dead letters, or an error class, to discard."), true);
        return;
    }
    // Opened, not exec()'d: the window stays responsive and the dialog can be driven by tests.
    auto *dialog = new QInputDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAccessibleName(tr("Reason for discarding"));
    dialog->setWindowTitle(tr("Discard dead letters"));
    dialog->setLabelText(
        tr("Why discard %n dead letter(s)? The reason is kept in their history.", nullptr, int(letters.size())));
    dialog->setInputMode(QInputDialog::TextInput);
    connect(dialog, &QInputDialog::textValueSelected, this, &DeadLetterBrowser::discardSelectedWithReason);
    dialog->open();
}

void DeadLetterBrowser::discardSelectedWithReason(const QString &reason)
{
    QList<qint64> ids;
    for (const store::DeadLetter &d : selectedLetters())
        ids.append(d.id);
    if (ids.isEmpty())
        return;
    if (reason.trimmed().isEmpty()) {
        say(tr("Discarding needs a reason, so the history says why."), true);
        return;
    }
    onStoreThread<int>(
        [ids, reason](store::SyncStorage &s) -> StoreAnswer<int> {
            int done = 0;
            for (qint64 id : ids) {
                const auto discarded = sync::discardDeadLetter(s, id, reason);
                if (!discarded)
                    return {done, discarded.error().toString()};
                ++done;
            }
            return {done, {}};
        },
        [this, reason](const StoreAnswer<int> &answer) {
            if (!answer.error.isEmpty())
                say(tr("Cannot discard: %1").arg(answer.error), true);
            else
                say(tr("%n dead letter(s) discarded: %1", nullptr, answer.value).arg(reason));
            Q_EMIT actionFinished(m_message->text());
            if (m_currentId)
                loadHistory(m_currentId);
            refresh();
        });
}

DeadLetterBrowser::RetryMode DeadLetterBrowser::retryMode() const
{
    return RetryMode(m_retryMode->currentData().toInt());
}

void DeadLetterBrowser::setRetryMode(RetryMode mode)
{
    m_retryMode->setCurrentIndex(m_retryMode->findData(int(mode)));
}

QString DeadLetterBrowser::statusText() const
{
    return m_message->text();
}

void DeadLetterBrowser::say(const QString &message, bool failure)
{
    m_message->setText(message);
    markProblem(m_message, failure);
    if (failure)
        Q_EMIT actionFailed(message);
}

void DeadLetterBrowser::updateActions()
{
    const bool any = m_tree->selectionModel()->hasSelection();
    m_retry->setEnabled(any && m_engine);
    m_discard->setEnabled(any);
    m_save->setEnabled(m_currentId != 0 && m_mapped->document()->isModified());
    updateRemapChoices();
}

void DeadLetterBrowser::setEditorMapping(const QString &path, bool modified, int revision)
{
    m_editor = {path.isEmpty() ? QString() : QFileInfo(path).absoluteFilePath(), modified, revision};
    if (!modified && !m_editor.path.isEmpty()) // what is on screen, unmodified, is what the file holds
        m_revisions.insert(m_editor.path, revision);
    updateRemapChoices();
}

QString DeadLetterBrowser::retryJob() const
{
    QSet<QString> jobs;
    for (const store::DeadLetter &d : selectedLetters())
        jobs.insert(d.job);
    if (jobs.size() == 1)
        return *jobs.cbegin();
    if (!jobs.isEmpty() || !m_session->isOpen())
        return {};
    if (const QString filtered = m_job->currentData().toString(); !filtered.isEmpty())
        return filtered;
    const QList<sync::JobConfig> &all = m_session->project().jobs;
    return all.size() == 1 ? all.first().name : QString();
}

void DeadLetterBrowser::readMappingRevisions()
{
    if (!m_session->isOpen())
        return;
    QStringList paths;
    for (const sync::JobConfig &job : m_session->project().jobs)
        paths.append(QFileInfo(job.mapping).absoluteFilePath());
    ++m_inFlight;
    using Revisions = QHash<QString, int>;
    auto *watcher = new QFutureWatcher<Revisions>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
        watcher->deleteLater();
        --m_inFlight;
        const Revisions read = watcher->result();
        for (auto it = read.cbegin(); it != read.cend(); ++it)
            m_revisions.insert(it.key(), it.value());
        updateRemapChoices();
    });
    watcher->setFuture(QtConcurrent::run(workerPool(), [paths] {
        Revisions out;
        for (const QString &path : paths)
            if (const auto document = mapping::MappingDocument::load(path))
                out.insert(path, document.value().revision);
        return out;
    }));
}

void DeadLetterBrowser::updateRemapChoices()
{
    const QString jobName = retryJob();
    const sync::JobConfig *job = jobName.isEmpty() ? nullptr : m_session->project().job(jobName);
    const RemapChoice choice = RemapChoice::describe(job, m_editor, m_revisions);
    m_retryMode->setItemText(m_retryMode->findData(int(RetryMode::Remap)), choice.remap);
    const int onScreen = m_retryMode->findData(int(RetryMode::RemapOnScreen));
    if (choice.onScreen.isEmpty() && onScreen >= 0) {
        if (m_retryMode->currentIndex() == onScreen)
            setRetryMode(RetryMode::Remap);
        m_retryMode->removeItem(onScreen);
    } else if (!choice.onScreen.isEmpty() && onScreen >= 0) {
        m_retryMode->setItemText(onScreen, choice.onScreen);
    } else if (!choice.onScreen.isEmpty()) {
        m_retryMode->insertItem(1, choice.onScreen, int(RetryMode::RemapOnScreen));
    }
    m_mappingNote->setText(choice.note);
    m_mappingNote->setVisible(!choice.note.isEmpty());
}

} // namespace transom::ui
