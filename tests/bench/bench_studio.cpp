// The studio's responsiveness, on real widgets (offscreen unless DISPLAY is set):
//   1. load 10,000 sample records from a file: until the field trees and the preview show them (target < 1 s);
//   2. preview refresh after a rule edit on 1,000 samples (target < 200 ms);
//   3. the longest UI-thread stall during a 100k-record run with the live log open (target < 100 ms),
//      transom-sandbox in its own process.
//   build-release/tests/bench/bench_studio [--leads 100000] [--skip-run]
#include "../core/leadsproject.h"
#include "benchsupport.h"
#include "ui/deadletterbrowser.h"
#include "ui/logmodel.h"
#include "ui/logview.h"
#include "ui/mappingview.h"
#include "ui/previewmodel.h"
#include "ui/runpanel.h"
#include "ui/studiowindow.h"

#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>

using namespace transom;
using namespace transom::ui;

namespace {

/// Measures how late a 1 ms timer fires on the UI thread: the longest gap is the longest stall.
class StallProbe : public QObject {
public:
    StallProbe()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            if (m_last > 0)
                m_gaps.push_back(double(now - m_last) / 1e6);
            m_last = now;
        });
    }
    void start()
    {
        m_gaps.clear();
        m_last = 0;
        m_clock.start();
        m_timer.start(1);
    }
    void stop() { m_timer.stop(); }
    double longest() const { return m_gaps.empty() ? 0 : *std::max_element(m_gaps.begin(), m_gaps.end()); }
    double percentile(double p) const
    {
        if (m_gaps.empty())
            return 0;
        std::vector<double> sorted = m_gaps;
        std::sort(sorted.begin(), sorted.end());
        return sorted[size_t(p * double(sorted.size() - 1))];
    }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    std::vector<double> m_gaps;
};

QString writeLeads(const QString &dir, int count)
{
    QFile demo(QStringLiteral(TRANSOM_RESOURCES "/demo/samples/portal-leads.json"));
    demo.open(QIODevice::ReadOnly);
    const QJsonArray leads = QJsonDocument::fromJson(demo.readAll()).array();
    QFile out(dir + QStringLiteral("/leads.ndjson"));
    out.open(QIODevice::WriteOnly);
    for (int i = 0; i < count; ++i) {
        QJsonObject lead = leads.at(i % leads.size()).toObject();
        lead.insert(QStringLiteral("lead_id"), QStringLiteral("ZL-%1").arg(200000 + i));
        out.write(QJsonDocument(lead).toJson(QJsonDocument::Compact));
        out.write("\n");
    }
    return out.fileName();
}

QString writeProject(const QString &dir, const QString &base)
{
    testing::LeadsProject project{base};
    project.portalInFlight = 2;
    project.sinkInFlight = 32;
    return project.write(dir);
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    const QStringList args = app.arguments();
    const qsizetype at = args.indexOf(QStringLiteral("--leads"));
    const int leads = at >= 0 ? args.value(at + 1).toInt() : 100000;
    QTemporaryDir dir;
    std::printf("bench_studio: real widgets on the %s platform\n", qPrintable(QApplication::platformName()));

    StudioWindow window;
    window.show();
    MappingSession *session = window.mapping();
    QString error;
    if (!session->open(QStringLiteral(TRANSOM_RESOURCES "/mappings/portal-leads-to-crm-event.json"), &error))
        qFatal("%s", qPrintable(error));
    StallProbe probe;

    // 1. Load 10,000 samples: file read and schema inference on a worker, then trees and preview.
    const QString file = writeLeads(dir.path(), 10000);
    {
        QSignalSpy refreshed(window.mappingView()->preview(), &PreviewModel::refreshed);
        QElapsedTimer t;
        probe.start();
        t.start();
        window.loadSamples(Side::Source, file);
        bench::runUntil([&] { return window.mappingView()->preview()->rowCount() == 10000 && !refreshed.isEmpty(); },
                        60000);
        const double ms = double(t.nsecsElapsed()) / 1e6;
        probe.stop();
        std::printf("  load 10,000 samples: %.0f ms until trees and preview show them (target < 1000); "
                    "longest UI stall meanwhile %.1f ms\n",
                    ms, probe.longest());
    }

    // 2. Preview refresh after an edit, 1,000 samples.
    {
        QList<QJsonObject> records = session->samples(Side::Source).records.mid(0, 1000);
        session->setSamples(Side::Source, samplesFrom(QStringLiteral("1000"), records));
        bench::runUntil(
            [&] {
                return window.mappingView()->preview()->rowCount() == 1000 &&
                       !window.mappingView()->preview()->isComputing();
            },
            60000);
        std::vector<double> times;
        for (int i = 0; i < 20; ++i) {
            QSignalSpy refreshed(window.mappingView()->preview(), &PreviewModel::refreshed);
            QElapsedTimer t;
            t.start();
            session->setRules(QStringLiteral("message"),
                              QJsonArray{QJsonObject{{QStringLiteral("rule"), QStringLiteral("truncate")},
                                                     {QStringLiteral("max"), 40 + i}}});
            bench::runUntil([&] { return !refreshed.isEmpty(); }, 60000);
            QApplication::processEvents(); // the table repaints what changed
            times.push_back(double(t.nsecsElapsed()) / 1e6);
        }
        std::sort(times.begin(), times.end());
        std::printf(
            "  preview refresh after a rule edit, 1,000 samples: median %.1f ms, worst %.1f ms of 20 (target < 200)\n",
            times[times.size() / 2], times.back());
    }

    if (args.contains(QStringLiteral("--skip-run")))
        return 0;

    // 3. A 100k-lead run with the live log open.
    bench::SandboxProcess sandbox;
    if (!sandbox.start(
            {QStringLiteral("--leads"), QString::number(leads), QStringLiteral("--seed"), QStringLiteral("7")}))
        qFatal("transom-sandbox did not start");
    if (!window.openProject(writeProject(dir.path(), sandbox.base), &error))
        qFatal("%s", qPrintable(error));
    for (QDockWidget *dock : window.findChildren<QDockWidget *>())
        if (dock->widget() && dock->objectName() == QLatin1String("LogDock"))
            dock->raise();
    window.runPanel()->setCurrentJob(QStringLiteral("leads"));
    QSignalSpy finished(window.runPanel(), &RunPanel::jobFinished);
    QElapsedTimer t;
    probe.start();
    t.start();
    window.runPanel()->start();
    bench::runUntil([&] { return !finished.isEmpty(); }, 3600000);
    const double seconds = double(t.nsecsElapsed()) / 1e9;
    probe.stop();
    std::printf("  %d-lead run with the live log open: %.1f s (%.0f records/s), %d log lines kept; UI-thread stall "
                "longest %.1f ms, p99 %.1f ms, p50 %.2f ms (target: longest < 100)\n",
                leads, seconds, leads / seconds, window.logView()->model()->rowCount(), probe.longest(),
                probe.percentile(0.99), probe.percentile(0.5));
    return 0;
}
