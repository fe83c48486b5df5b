#include "ui/mappingview.h"
#include "ui/ruletitles.h"

#include "ui/mappingcanvas.h"
#include "ui/previewmodel.h"
#include "ui/ruleeditor.h"
#include "ui/studiowindow.h"

#include <QAction>
#include <QCheckBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QSplitter>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace transom::ui {

namespace {

QString stepValue(const QJsonValue &v)
{
    if (v.isUndefined())
        return MappingView::tr("(nothing)");
    return v.isString() ? QStringLiteral("\"%1\"").arg(v.toString()) : displayText(v);
}

} // namespace

MappingView::MappingView(MappingSession *session, QWidget *parent) : QWidget(parent), m_session(session)
{
    m_banner = new QLabel(this);
    m_banner->setWordWrap(true);
    m_banner->setAccessibleName(tr("Mapping alerts"));
    m_banner->setStyleSheet(
        QStringLiteral("QLabel { background: #fff4ce; color: #5c4400; padding: 6px; border-radius: 3px; }"));
    m_banner->hide();

    m_canvas = new MappingCanvas(session, this);
    connect(m_canvas, &MappingCanvas::openSamplesRequested, this, &MappingView::openSamplesRequested);
    connect(m_canvas, &MappingCanvas::fetchSamplesRequested, this, &MappingView::fetchSamplesRequested);
    connect(m_canvas, &MappingCanvas::samplesFileDropped, this, &MappingView::samplesFileDropped);
    m_rules = new RuleEditor(session, this);
    m_rules->setMinimumWidth(300);

    auto *suggest = new QPushButton(tr("Suggest mappings…"), this);
    suggest->setToolTip(tr("Propose source → target pairs from field names and known equivalents"));
    connect(suggest, &QPushButton::clicked, this, [this] { this->suggest(); });
    auto *pin = new QPushButton(tr("Pin sample as check"), this);
    pin->setToolTip(tr("Keep the current sample and its current output; \"Run checks\" then flags any difference"));
    connect(pin, &QPushButton::clicked, this, [this] {
        QString error;
        if (!pinCurrentSample(&error))
            QMessageBox::warning(this, tr("Pin sample"), error);
    });
    auto *check = new QPushButton(tr("Run checks"), this);
    connect(check, &QPushButton::clicked, this, [this] { runChecks(); });
    auto *tools = new QHBoxLayout;
    tools->addWidget(suggest);
    tools->addWidget(pin);
    tools->addWidget(check);
    tools->addStretch(1);

    m_preview = new PreviewModel(session, this);
    m_previewFilter = new PreviewErrorFilter(m_preview, this);
    m_previewTable = new QTableView(this);
    m_previewTable->setModel(m_previewFilter);
    m_previewTable->setAccessibleName(tr("Preview of the mapped samples"));
    m_previewTable->setWordWrap(false);
    const int rowHeight = m_previewTable->fontMetrics().height() + 6;
    m_previewTable->verticalHeader()->setDefaultSectionSize(rowHeight);
    // However the docks are arranged, the preview keeps a header and five rows in view.
    m_previewTable->setMinimumHeight(rowHeight * 6 + 2 * m_previewTable->frameWidth() + 2);
    m_previewTable->horizontalHeader()->setDefaultSectionSize(140);
    m_previewTable->setSelectionBehavior(QAbstractItemView::SelectItems);
    m_previewSummary = new QLabel(this);
    m_previewSummary->setWordWrap(true);
    m_errorsOnly = new QCheckBox(tr("Rows with errors only"), this);
    m_errorsOnly->setToolTip(tr("Hide the samples that mapped without an error"));
    connect(m_errorsOnly, &QCheckBox::toggled, m_previewFilter, &PreviewErrorFilter::setErrorsOnly);
    m_nextError = new QAction(tr("Next error"), this);
    m_nextError->setShortcut(QKeySequence(Qt::Key_F8));
    m_nextError->setToolTip(tr("Select the next failed cell of the preview (F8)"));
    connect(m_nextError, &QAction::triggered, this, [this] { goToNextError(); });
    addAction(m_nextError);
    auto *nextErrorButton = new QToolButton(this);
    nextErrorButton->setDefaultAction(m_nextError);
    nextErrorButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_steps = new QListWidget(this);
    m_steps->setAccessibleName(tr("Rule steps of the selected cell"));
    m_steps->setMinimumWidth(260);
    // The table shows the filter's rows: its indexes are mapped back to sample rows.
    connect(m_previewTable, &QTableView::clicked, this, [this](const QModelIndex &index) {
        const QModelIndex source = m_previewFilter->mapToSource(index);
        showSteps(source.row(), source.column());
    });
    connect(m_previewTable->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex &index) {
                const QModelIndex source = m_previewFilter->mapToSource(index);
                if (source.isValid()) {
                    showSteps(source.row(), source.column());
                    m_session->setCurrentRecord(source.row());
                }
            });
    connect(m_preview, &PreviewModel::refreshed, this, [this] {
        m_previewSummary->setText(m_preview->summary());
        m_nextError->setEnabled(m_preview->recordsWithErrors() > 0);
        const QModelIndex current = m_previewFilter->mapToSource(m_previewTable->currentIndex());
        if (current.isValid())
            showSteps(current.row(), current.column());
    });

    auto *top = new QSplitter(Qt::Horizontal, this);
    top->addWidget(m_canvas);
    auto *rulesArea = new QScrollArea(this);
    rulesArea->setWidget(m_rules);
    rulesArea->setWidgetResizable(true);
    rulesArea->setFrameShape(QFrame::NoFrame);
    top->addWidget(rulesArea);
    top->setStretchFactor(0, 5);
    top->setStretchFactor(1, 2);
    top->setSizes({760, 340}); // the rule editor's buttons and "Required" fit without a scroll bar
    auto *previewPane = new QWidget(this);
    auto *previewLayout = new QVBoxLayout(previewPane);
    previewLayout->setContentsMargins(0, 0, 0, 0);
    auto *previewBar = new QHBoxLayout;
    previewBar->addWidget(m_previewSummary, 1);
    previewBar->addWidget(m_errorsOnly);
    previewBar->addWidget(nextErrorButton);
    previewLayout->addLayout(previewBar);
    auto *previewSplit = new QSplitter(Qt::Horizontal, previewPane);
    previewSplit->addWidget(m_previewTable);
    previewSplit->addWidget(m_steps);
    previewSplit->setStretchFactor(0, 4);
    previewSplit->setStretchFactor(1, 1);
    previewLayout->addWidget(previewSplit);
    auto *vertical = new QSplitter(Qt::Vertical, this);
    vertical->addWidget(top);
    vertical->addWidget(previewPane);
    vertical->setStretchFactor(0, 3);
    vertical->setStretchFactor(1, 2);
    vertical->setSizes({330, 260});
    vertical->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addLayout(tools);
    layout->addWidget(vertical, 1);

    connect(session, &MappingSession::samplesChanged, this, &MappingView::updateBanner);
    connect(session, &MappingSession::documentChanged, this, &MappingView::updateBanner);
    connect(session, &MappingSession::pathChanged, this, [this] {
        m_checkResults.clear();
        updateBanner();
    });
    m_previewSummary->setText(m_preview->summary());
    m_nextError->setEnabled(m_preview->recordsWithErrors() > 0);
    updateBanner();
}

bool MappingView::goToNextError()
{
    const QAbstractItemModel *model = m_previewFilter;
    const int rows = model->rowCount();
    const int columns = model->columnCount();
    if (rows == 0 || columns == 0)
        return false;
    const QModelIndex current = m_previewTable->currentIndex();
    // Cells in reading order, starting just after the current one; one full lap at most.
    const qint64 cells = qint64(rows) * columns;
    const qint64 start = current.isValid() ? qint64(current.row()) * columns + current.column() + 1 : 0;
    for (qint64 step = 0; step < cells; ++step) {
        const qint64 cell = (start + step) % cells;
        const QModelIndex index = model->index(int(cell / columns), int(cell % columns));
        if (index.data(PreviewModel::ErrorRole).toString().isEmpty())
            continue;
        m_previewTable->setCurrentIndex(index);
        m_previewTable->scrollTo(index, QAbstractItemView::EnsureVisible);
        m_previewTable->setFocus(Qt::ShortcutFocusReason);
        return true;
    }
    return false;
}

void MappingView::showSteps(int row, int column)
{
    m_steps->clear();
    const auto compiled = m_session->compiled();
    const QList<QJsonObject> &records = m_session->samples(Side::Source).records;
    if (row >= 0 && row < records.size() && m_preview->isUnmappedColumn(column)) {
        m_steps->addItem(tr("%1 of record %2").arg(m_preview->targetOf(column)).arg(row + 1));
        auto *item = new QListWidgetItem(m_preview->index(row, column).data(PreviewModel::ErrorRole).toString());
        item->setForeground(QColor(0xd3, 0x2f, 0x2f));
        m_steps->addItem(item);
        return;
    }
    if (!compiled || row < 0 || row >= records.size() || column < 0 || column >= compiled->fieldCount())
        return;
    const mapping::FieldTrace trace = compiled->traceField(records.at(row), column);
    m_steps->addItem(tr("%1 of record %2").arg(compiled->targetOf(column)).arg(row + 1));
    m_steps->addItem(tr("input: %1").arg(stepValue(trace.input)));
    for (int i = 0; i < trace.ruleNames.size(); ++i) {
        const bool failed = !trace.error.message.isEmpty() && i == trace.ruleNames.size() - 1;
        const QString note = trace.notes.value(i);
        const QString title = ruleTitle(trace.ruleNames.at(i));
        QString text = failed ? tr("%1 failed: %2").arg(title, plainRuleMessage(trace.error.message))
                              : tr("after %1: %2").arg(title, stepValue(trace.afterEachRule.value(i)));
        // A failure an on_error policy handled is not an error, but the user should see it happened.
        if (!failed && !note.isEmpty())
            text += tr("  — %1").arg(note);
        auto *item = new QListWidgetItem(text);
        if (failed)
            item->setForeground(QColor(0xd3, 0x2f, 0x2f));
        else if (!note.isEmpty())
            item->setForeground(QColor(0xb2, 0x6a, 0x00));
        m_steps->addItem(item);
    }
}

int MappingView::suggest()
{
    const QList<mapping::Suggestion> suggestions = m_session->suggestions();
    if (suggestions.isEmpty()) {
        QMessageBox::information(this, tr("Suggest mappings"),
                                 tr("No suggestions: every target field that resembles a source field is mapped."));
        return 0;
    }
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Suggested mappings"));
    auto *list = new QListWidget(&dialog);
    list->setAccessibleName(tr("Suggested mappings"));
    for (const mapping::Suggestion &s : suggestions) {
        auto *item = new QListWidgetItem(tr("%1 → %2   (%3)").arg(s.source, s.target, s.reason), list);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(s.score >= 0.7 ? Qt::Checked : Qt::Unchecked);
    }
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Map the checked ones"));
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    auto *layout = new QVBoxLayout(&dialog);
    layout->addWidget(new QLabel(tr("Check the pairs to map; nothing changes until you confirm."), &dialog));
    layout->addWidget(list);
    layout->addWidget(buttons);
    dialog.resize(520, 360);
    if (dialog.exec() != QDialog::Accepted)
        return 0;
    QList<mapping::Suggestion> accepted;
    for (int i = 0; i < list->count(); ++i)
        if (list->item(i)->checkState() == Qt::Checked)
            accepted.append(suggestions.at(i));
    return m_session->acceptSuggestions(accepted);
}

bool MappingView::pinCurrentSample(QString *error)
{
    const int current = m_session->currentRecord();
    const auto compiled = m_session->compiled();
    if (current < 0 || !compiled) {
        *error = tr("Load source samples first.");
        return false;
    }
    if (m_session->path().isEmpty()) {
        *error = tr("Save the mapping first: checks are kept beside it.");
        return false;
    }
    if (StudioWindow::isShippedFile(m_session->path())) { // nothing is written beside a shipped mapping
        *error = tr("This mapping comes with Transom and is never changed. Save it first (File → Save mapping "
                    "makes your own copy): checks are kept beside it.");
        return false;
    }
    const QString path = mapping::checksPathFor(m_session->path());
    auto checks = mapping::loadChecks(path);
    if (!checks) {
        *error = checks.error().toString();
        return false;
    }
    const QJsonObject &record = m_session->samples(Side::Source).records.at(current);
    const mapping::MappedRecord mapped = compiled->map(record);
    const QString name = mapped.sourceId.isEmpty() ? tr("sample %1").arg(current + 1) : mapped.sourceId;
    checks.value().append({name, record, mapped.record()});
    auto saved = mapping::saveChecks(path, checks.value());
    if (!saved) {
        *error = saved.error().toString();
        return false;
    }
    runChecks();
    return true;
}

QList<mapping::CheckResult> MappingView::runChecks()
{
    m_checkResults.clear();
    const auto compiled = m_session->compiled();
    if (compiled && !m_session->path().isEmpty()) {
        auto checks = mapping::loadChecks(mapping::checksPathFor(m_session->path()));
        if (checks)
            m_checkResults = mapping::runChecks(*compiled, checks.value());
        else
            m_checkResults.append({tr("checks file"), false, {checks.error().toString()}});
    }
    updateBanner();
    return m_checkResults;
}

void MappingView::updateBanner()
{
    QStringList lines;
    const mapping::DriftReport drift = m_session->drift();
    if (!drift.newFields.isEmpty())
        lines.append(tr("New in the samples: %1.").arg(drift.newFields.join(QStringLiteral(", "))));
    if (!drift.missingFields.isEmpty())
        lines.append(
            tr("Mapped but missing from the samples: %1.").arg(drift.missingFields.join(QStringLiteral(", "))));
    int failed = 0;
    for (const mapping::CheckResult &r : std::as_const(m_checkResults))
        if (!r.passed) {
            ++failed;
            lines.append(tr("Check \"%1\" failed: %2").arg(r.name, r.differences.join(QStringLiteral("; "))));
        }
    if (!m_checkResults.isEmpty() && failed == 0)
        lines.append(tr("All %n check(s) pass.", nullptr, int(m_checkResults.size())));
    // Plain words on the banner; where in the file, and the rule's own name, behind its tooltip (Details).
    QStringList details;
    for (const Error &e : m_session->compileErrors()) {
        lines.append(tr("The mapping cannot run yet: %1. Fix it in the rule editor.")
                         .arg(plainRuleMessage(e.message).remove(QRegularExpression(QStringLiteral("\\.$")))));
        details.append(e.toString());
    }
    m_banner->setToolTip(details.isEmpty() ? QString() : tr("Details:\n%1").arg(details.join(QLatin1Char('\n'))));
    m_banner->setText(lines.join(QLatin1Char('\n')));
    m_banner->setVisible(!lines.isEmpty());
}

} // namespace transom::ui
