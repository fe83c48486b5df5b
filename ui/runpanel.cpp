#include "ui/runpanel.h"

#include "ui/projectsession.h"

#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QFileInfo>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QLocale>
#include <QPalette>
#include <QProgressBar>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace transom::ui {

namespace {

QString countLabel(const QString &key)
{
    if (key == QLatin1String("received"))
        return RunPanel::tr("Received");
    if (key == QLatin1String("created"))
        return RunPanel::tr("Created");
    if (key == QLatin1String("updated"))
        return RunPanel::tr("Updated");
    if (key == QLatin1String("skipped"))
        return RunPanel::tr("Unchanged");
    if (key == QLatin1String("retried"))
        return RunPanel::tr("Retries");
    if (key == QLatin1String("dead_lettered"))
        return RunPanel::tr("Dead letters");
    if (key == QLatin1String("field_errors"))
        return RunPanel::tr("Field errors");
    return key;
}

QString durationText(qint64 ms)
{
    if (ms < 1000)
        return RunPanel::tr("less than a second");
    const qint64 s = (ms + 999) / 1000;
    if (s < 60)
        return RunPanel::tr("%n second(s)", nullptr, int(s));
    if (s < 3600)
        return RunPanel::tr("%1 min %2 s").arg(s / 60).arg(s % 60);
    return RunPanel::tr("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
}

/// The counts shown, in display order: the key of RunCounts::toJson (the label's name) and the field.
struct CountField {
    const char *key;
    qint64 sync::RunCounts::*value;
};
constexpr CountField kCountFields[] = {
    {"received", &sync::RunCounts::received},        {"created", &sync::RunCounts::created},
    {"updated", &sync::RunCounts::updated},          {"skipped", &sync::RunCounts::skipped},
    {"retried", &sync::RunCounts::retried},          {"dead_lettered", &sync::RunCounts::deadLettered},
    {"field_errors", &sync::RunCounts::fieldErrors},
};

/// "this minute", "in the last 10 seconds": how a person says which window a budget counts.
QString windowText(const sync::BudgetState &budget)
{
    const qint64 per = budget.perMs.value_or(0);
    const bool sliding = budget.sliding;
    if (sliding && per > 0)
        return RunPanel::tr("in the last %n second(s)", nullptr, int(per / 1000));
    switch (per) {
    case 1000:
        return RunPanel::tr("this second");
    case 60000:
        return RunPanel::tr("this minute");
    case 3600000:
        return RunPanel::tr("this hour");
    case 86400000:
        return RunPanel::tr("today");
    default:
        break;
    }
    if (per > 0)
        return RunPanel::tr("in this %n-second window", nullptr, int(per / 1000));
    return RunPanel::tr("in this window (%1)").arg(budget.name);
}

/// Puts `axis` on whole numbers: a range from `from` to at least `to` that ends on a round number, and
/// ticks one round step apart (1, 2, 5, 10, 20, …), at most `maxTicks` of them. With "%d" labels, five
/// ticks between 0 and 1.1 read "0 0 0 0 1".
void fitWholeNumbers(QValueAxis *axis, qreal from, qreal to, int maxTicks = 5)
{
    to = std::max(to, from + 1);
    auto stepsFor = [&](qreal step) { return std::ceil(to / step) - std::floor(from / step); };
    qreal step = 1;
    for (qreal magnitude = 1; stepsFor(step) > maxTicks - 1; magnitude *= 10) {
        for (const qreal factor : {1.0, 2.0, 5.0}) {
            step = factor * magnitude;
            if (stepsFor(step) <= maxTicks - 1)
                break;
        }
    }
    const qreal low = std::floor(from / step) * step;
    const qreal high = std::ceil(to / step) * step;
    axis->setTickType(QValueAxis::TicksFixed);
    axis->setRange(low, high);
    axis->setTickCount(int(std::lround((high - low) / step)) + 1);
    axis->setMinorTickCount(0);
}

QLineSeries *addLineChart(QChart *chart, const QString &title, const QString &tooltip)
{
    // Follow the application's palette: a white chart in a dark window glares.
    const bool dark = QApplication::palette().color(QPalette::Window).lightness() < 128;
    chart->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    chart->setBackgroundBrush(QApplication::palette().color(QPalette::Base));
    chart->setTitle(title); // the unit is in the title: a vertical axis title has no room in a 160 px chart
    chart->setToolTip(tooltip);
    chart->legend()->hide();
    chart->setAnimationOptions(QChart::NoAnimation); // redrawn every second: animations would cost more than the data
    auto *series = new QLineSeries(chart);
    chart->addSeries(series);
    auto *x = new QValueAxis(chart);
    x->setTitleText(RunPanel::tr("seconds"));
    x->setLabelFormat(QStringLiteral("%d"));
    auto *y = new QValueAxis(chart);
    y->setLabelFormat(QStringLiteral("%d"));
    fitWholeNumbers(x, 0, 1);
    fitWholeNumbers(y, 0, 1);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
    return series;
}

} // namespace

QStringList RunPanel::countKeys()
{
    QStringList keys;
    for (const CountField &field : kCountFields)
        keys.append(QLatin1String(field.key));
    return keys;
}

RunPanel::RunPanel(ProjectSession *session, QWidget *parent) : QWidget(parent), m_session(session)
{
    buildUi();
    m_sampler = new QTimer(this);
    m_sampler->setInterval(1000);
    connect(m_sampler, &QTimer::timeout, this, &RunPanel::sample);
    connect(m_session, &ProjectSession::projectChanged, this, &RunPanel::reload);
    reload();
}

RunPanel::~RunPanel() = default;

void RunPanel::buildUi()
{
    setAccessibleName(tr("Run panel"));
    auto *layout = new QVBoxLayout(this);

    auto *controls = new QHBoxLayout;
    auto *jobLabel = new QLabel(tr("&Job:"), this);
    m_job = new QComboBox(this);
    m_job->setObjectName(QStringLiteral("jobSelector"));
    m_job->setAccessibleName(tr("Job to run"));
    jobLabel->setBuddy(m_job);
    m_start = new QPushButton(tr("&Start"), this);
    m_start->setObjectName(QStringLiteral("startButton"));
    m_start->setAccessibleName(tr("Start the job"));
    m_stop = new QPushButton(tr("S&top"), this);
    m_stop->setObjectName(QStringLiteral("stopButton"));
    m_stop->setAccessibleName(tr("Stop the job"));
    controls->addWidget(jobLabel);
    controls->addWidget(m_job, 1);
    controls->addWidget(m_start);
    controls->addWidget(m_stop);
    layout->addLayout(controls);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("statusLine"));
    m_status->setAccessibleName(tr("Run status"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_status);
    m_mappingLine = new QLabel(this);
    m_mappingLine->setObjectName(QStringLiteral("mappingLine"));
    m_mappingLine->setAccessibleName(tr("Mapping the job runs with"));
    m_mappingLine->setWordWrap(true);
    layout->addWidget(m_mappingLine);

    layout->addWidget(buildCounts());

    auto *budgetBox = new QGroupBox(tr("Rate budget of the destination"), this);
    auto *budgetLayout = new QVBoxLayout(budgetBox);
    m_budget = new QProgressBar(budgetBox);
    m_budget->setObjectName(QStringLiteral("budgetGauge"));
    m_budget->setAccessibleName(tr("Calls used of the rate budget"));
    m_budget->setRange(0, 1);
    m_budget->setValue(0);
    m_budget->setFormat(tr("No run yet"));
    m_eta = new QLabel(budgetBox);
    m_eta->setObjectName(QStringLiteral("etaLabel"));
    m_eta->setAccessibleName(tr("Time left"));
    budgetLayout->addWidget(m_budget);
    budgetLayout->addWidget(m_eta);
    layout->addWidget(budgetBox);

    layout->addWidget(buildCharts(), 1);

    connect(m_job, &QComboBox::currentIndexChanged, this, &RunPanel::onJobChanged);
    connect(m_start, &QPushButton::clicked, this, &RunPanel::start);
    connect(m_stop, &QPushButton::clicked, this, &RunPanel::stop);
}

QWidget *RunPanel::buildCounts()
{
    auto *box = new QGroupBox(tr("Records"), this);
    auto *grid = new QGridLayout(box);
    const QStringList keys = countKeys();
    for (int i = 0; i < keys.size(); ++i) {
        auto *name = new QLabel(countLabel(keys.at(i)), box);
        auto *value = new QLabel(QStringLiteral("0"), box);
        value->setObjectName(QStringLiteral("count_%1").arg(keys.at(i)));
        value->setAccessibleName(countLabel(keys.at(i)));
        value->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        name->setBuddy(value);
        const int column = (i % 4) * 2;
        grid->addWidget(name, i / 4, column);
        grid->addWidget(value, i / 4, column + 1);
        m_counts.insert(keys.at(i), value);
    }
    return box;
}

QWidget *RunPanel::buildCharts()
{
    auto *charts = new QWidget(this);
    auto *row = new QHBoxLayout(charts);
    row->setContentsMargins(0, 0, 0, 0);
    m_throughputChart = new QChart;
    m_throughputSeries =
        addLineChart(m_throughputChart, tr("Records per second"), tr("Records the destination took each second"));
    m_errorChart = new QChart;
    m_errorSeries = addLineChart(m_errorChart, tr("Errors per second"), tr("Retries and dead letters each second"));
    for (auto [chart, name] :
         {std::pair{m_throughputChart, tr("Throughput chart")}, std::pair{m_errorChart, tr("Errors chart")}}) {
        auto *view = new QChartView(chart, charts); // the view owns the chart
        view->setAccessibleName(name);
        view->setMinimumHeight(160);
        row->addWidget(view);
    }
    return charts;
}

void RunPanel::reload()
{
    const QString previous = currentJob();
    m_job->blockSignals(true);
    m_job->clear();
    m_latest.clear();
    if (m_session->isOpen())
        for (const sync::JobConfig &job : m_session->project().jobs)
            m_job->addItem(job.name, job.name);
    // The engine is new with every project: connections to the old one went with it.
    if (sync::SyncEngine *engine = m_session->engine(); engine && m_connectedEngine != engine) {
        m_connectedEngine = engine;
        connect(engine, &sync::SyncEngine::jobStarted, this, &RunPanel::onStarted);
        connect(engine, &sync::SyncEngine::jobProgress, this, &RunPanel::onProgress);
        connect(engine, &sync::SyncEngine::jobFinished, this, &RunPanel::onFinished);
        connect(engine, &sync::SyncEngine::jobLog, this, [this](const QString &job, const QJsonObject &line) {
            if (line.value(QLatin1String("event")).toString() != QLatin1String("run_started"))
                return;
            m_ranWith.insert(job, line.value(QLatin1String("message")).toString());
            updateMappingLine();
        });
        connect(engine, &sync::SyncEngine::needsAttention, this, [this](const QString &job, const QString &message) {
            if (job == currentJob())
                m_status->setText(tr("%1 needs attention: %2").arg(job, message));
        });
    }
    if (const int i = m_job->findData(previous); i >= 0)
        m_job->setCurrentIndex(i);
    m_job->blockSignals(false);
    m_status->setText(m_session->isOpen() ? tr("Ready.") : tr("No project is open."));
    onJobChanged();
}

QString RunPanel::currentJob() const
{
    return m_job->currentData().toString();
}

void RunPanel::setCurrentJob(const QString &job)
{
    if (const int i = m_job->findData(job); i >= 0)
        m_job->setCurrentIndex(i);
}

QString RunPanel::countText(const QString &key) const
{
    const QLabel *label = m_counts.value(key);
    return label ? label->text() : QString();
}

void RunPanel::setSampleInterval(int ms)
{
    m_sampler->setInterval(std::max(10, ms));
}

void RunPanel::onJobChanged()
{
    updateMappingLine();
    const sync::RunProgress *progress = latest(currentJob());
    showCounts(progress ? progress->counts : sync::RunCounts{});
    showBudget(progress);
    resetCharts();
    updateButtons();
}

void RunPanel::start()
{
    sync::SyncEngine *engine = m_session->engine();
    const sync::JobConfig *job = m_session->project().job(currentJob());
    if (!engine || !job || engine->isRunning(job->name))
        return;
    if (m_beforeStart) {
        if (const sync::JobConfig asked = *job; !m_beforeStart(asked))
            return;
        // Saving may have reopened the project (a new engine, the job pointing at a copy of its mapping).
        engine = m_session->engine();
        job = m_session->project().job(currentJob());
        if (!engine || !job || engine->isRunning(job->name))
            return;
    }
    const auto mode = job->trigger.kind == sync::TriggerConfig::Kind::Webhook ? sync::JobRunner::Mode::Inbox
                                                                              : sync::JobRunner::Mode::Pull;
    m_latest.remove(job->name);
    showCounts({});
    showBudget(nullptr);
    resetCharts();
    m_status->setText(job->trigger.kind == sync::TriggerConfig::Kind::Webhook
                          ? tr("Starting %1: delivering the webhook events received…").arg(job->name)
                          : tr("Starting %1…").arg(job->name));
    engine->startJob(job->name, mode);
    updateButtons();
}

void RunPanel::stop()
{
    if (sync::SyncEngine *engine = m_session->engine(); engine && engine->isRunning(currentJob())) {
        engine->stopJob(currentJob());
        m_status->setText(tr("Stopping %1: requests in flight finish first…").arg(currentJob()));
        m_stop->setEnabled(false);
    }
}

void RunPanel::onStarted(const QString &job, const QString &runId)
{
    // Every run starts from nothing, a retry of dead letters started from their dock too: its counts,
    // time and charts are its own, not added to the last run's.
    m_latest.remove(job);
    if (job != currentJob())
        return;
    showCounts({});
    showBudget(nullptr);
    resetCharts();
    m_status->setText(tr("Running %1 (run %2)…").arg(job, runId));
    sample(); // a first point at zero
    m_sampler->start();
    updateButtons();
}

void RunPanel::onProgress(const QString &job, const sync::RunProgress &progress)
{
    m_latest.insert(job, progress);
    if (job != currentJob())
        return;
    showCounts(progress.counts);
    showBudget(&progress);
}

void RunPanel::onFinished(const QString &job, const QString &status, const QString &message, const QJsonObject &counts)
{
    if (!counts.isEmpty()) {
        sync::RunProgress last = m_latest.value(job);
        last.counts = sync::RunCounts::fromJson(counts); // the engine's final word on the counts
        last.etaMs.reset();
        m_latest.insert(job, last);
    }
    if (job == currentJob()) {
        const sync::RunProgress *progress = latest(job);
        showCounts(progress ? progress->counts : sync::RunCounts{});
        showBudget(progress);
        sample(); // a last point with the final counts
        m_sampler->stop();
        const QString elapsed = durationText(progress ? progress->elapsedMs : 0);
        if (status == QLatin1String("completed"))
            m_status->setText(tr("%1 completed in %2.").arg(job, elapsed));
        else if (status == QLatin1String("stopped"))
            m_status->setText(tr("%1 stopped after %2.").arg(job, elapsed));
        else
            m_status->setText(tr("%1 failed: %2").arg(job, message));
        updateButtons();
    }
    Q_EMIT jobFinished(job, status);
}

const sync::RunProgress *RunPanel::latest(const QString &job) const
{
    const auto it = m_latest.constFind(job);
    return it == m_latest.cend() ? nullptr : &it.value();
}

void RunPanel::showCounts(const sync::RunCounts &counts)
{
    const QLocale locale;
    for (const CountField &field : kCountFields)
        if (QLabel *label = m_counts.value(QLatin1String(field.key)))
            label->setText(locale.toString(counts.*field.value));
}

void RunPanel::showBudget(const sync::RunProgress *progress)
{
    const sync::BudgetState *budget = progress && progress->budget ? &*progress->budget : nullptr;
    const int limit = budget ? budget->limit : 0;
    if (limit <= 0) {
        m_budget->setRange(0, 1);
        m_budget->setValue(0);
        m_budget->setFormat(progress ? tr("No rate limit") : tr("No run yet"));
    } else {
        const int used = std::clamp(budget->used, 0, limit);
        m_budget->setRange(0, limit);
        m_budget->setValue(used);
        // QProgressBar expands %v, %m and %p in its format: the numbers go in already formatted.
        m_budget->setFormat(tr("%1 of %2 calls %3")
                                .arg(QLocale().toString(used), QLocale().toString(limit), windowText(*budget))
                                .replace(QLatin1Char('%'), QStringLiteral("%%")));
    }
    QStringList lines;
    if (progress && progress->etaMs)
        lines.append(tr("About %1 left").arg(durationText(*progress->etaMs)));
    else if (progress && m_session->engine() && m_session->engine()->isRunning(currentJob()))
        lines.append(tr("Time left: known once the source has sent its last page"));
    // A countdown only while a run can use the budget: after it, the number would stand still.
    if (limit > 0 && budget->resetsInMs && m_session->engine() && m_session->engine()->isRunning(currentJob()))
        lines.append(tr("budget resets in %1").arg(durationText(*budget->resetsInMs)));
    // An outage of the destination, going on or over: how long, how many calls it refused.
    if (const sync::RunCounts *c = progress ? &progress->counts : nullptr; c && c->refused > 0)
        lines.append((c->unreachableNow ? tr("%1 unreachable for %2 (%3 refused connections), retrying")
                                        : tr("%1 unreachable for %2 (%3 refused connections), resumed"))
                         .arg(c->sinkName, durationText(c->unreachableMs), QLocale().toString(c->refused)));
    m_eta->setText(lines.join(QStringLiteral(" · ")));
}

void RunPanel::resetCharts()
{
    m_throughput.clear();
    m_errors.clear();
    m_lastErrorTotal = 0;
    m_lastSampleMs = -1;
    redrawCharts();
}

void RunPanel::sample()
{
    const sync::RunProgress latest = m_latest.value(currentJob());
    const qint64 elapsed = latest.elapsedMs;
    if (elapsed == m_lastSampleMs && !m_throughput.isEmpty())
        return; // no report since the last point
    const qreal x = qreal(elapsed) / 1000.0;
    const qint64 errorTotal = latest.counts.retried + latest.counts.deadLettered;
    const qreal seconds = m_lastSampleMs < 0 ? 0 : qreal(elapsed - m_lastSampleMs) / 1000.0;
    m_throughput.append({x, latest.recordsPerSecond});
    m_errors.append({x, seconds > 0 ? qreal(errorTotal - m_lastErrorTotal) / seconds : 0});
    m_lastErrorTotal = errorTotal;
    m_lastSampleMs = elapsed;
    if (m_throughput.size() > kMaxPoints)
        m_throughput.removeFirst();
    if (m_errors.size() > kMaxPoints)
        m_errors.removeFirst();
    redrawCharts();
}

void RunPanel::redrawCharts()
{
    // One replace() per series: a single repaint instead of one per point.
    for (auto [series, points] : {std::pair{m_throughputSeries, &m_throughput}, std::pair{m_errorSeries, &m_errors}}) {
        series->replace(*points);
        const auto axes = series->attachedAxes();
        qreal top = 1;
        for (const QPointF &p : *points)
            top = std::max(top, p.y());
        const qreal first = points->isEmpty() ? 0 : points->first().x();
        const qreal last = points->isEmpty() ? 1 : std::max(points->last().x(), first + 1);
        for (QAbstractAxis *axis : axes) {
            auto *value = static_cast<QValueAxis *>(axis);
            if (axis->orientation() == Qt::Horizontal)
                fitWholeNumbers(value, first, last);
            else
                fitWholeNumbers(value, 0, top * 1.1);
        }
    }
}

void RunPanel::setEditorMapping(const QString &path, bool modified)
{
    m_editorMapping = path;
    m_editorModified = modified;
    updateMappingLine();
}

QString RunPanel::mappingLine() const
{
    return m_mappingLine->text();
}

void RunPanel::updateMappingLine()
{
    const sync::JobConfig *job = m_session->isOpen() ? m_session->project().job(currentJob()) : nullptr;
    if (!job) {
        m_mappingLine->clear();
        return;
    }
    const QString file = QFileInfo(job->mapping).fileName();
    QString text = m_ranWith.contains(job->name) ? tr("Last run: %1.").arg(m_ranWith.value(job->name))
                                                 : tr("Runs with the mapping %1.").arg(file);
    const bool same = QFileInfo(m_editorMapping).absoluteFilePath() == QFileInfo(job->mapping).absoluteFilePath();
    if (!m_editorMapping.isEmpty() && !same)
        text += u' ' + tr("Not the mapping on screen (%1): to run that one, choose it in Edit job.")
                           .arg(QFileInfo(m_editorMapping).fileName());
    else if (same && m_editorModified)
        text += u' ' + tr("The mapping on screen has unsaved changes: Start asks whether to save them first.");
    m_mappingLine->setText(text);
    m_mappingLine->setToolTip(job->mapping);
}

void RunPanel::updateButtons()
{
    sync::SyncEngine *engine = m_session->engine();
    const bool haveJob = engine && !currentJob().isEmpty();
    const bool running = haveJob && engine->isRunning(currentJob());
    m_job->setEnabled(m_job->count() > 0);
    m_start->setEnabled(haveJob && !running);
    m_stop->setEnabled(running);
}

} // namespace transom::ui
