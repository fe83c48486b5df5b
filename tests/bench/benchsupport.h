#pragma once
// Shared by the benchmarks: an event-loop wait that never sleeps, and transom-sandbox as a child process.

#include "core/net/httpclient.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTimer>

namespace transom::bench {

/// Runs the event loop until `done()` holds (checked each millisecond) or `timeoutMs` passes. Unlike
/// QTest::qWaitFor, it never sleeps between checks, so the loop's throughput is what gets measured.
template<class Predicate> bool runUntil(Predicate done, int timeoutMs)
{
    QEventLoop loop;
    QTimer check;
    QObject::connect(&check, &QTimer::timeout, &loop, [&] {
        if (done())
            loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    check.start(1);
    if (!done())
        loop.exec();
    return done();
}

/// transom-sandbox in its own process on a free loopback port, ended with the object.
struct SandboxProcess {
    QProcess process;
    QString base;
    net::HttpClient http;

    bool start(const QStringList &extra, int startMs = 120000)
    {
        // BENCH_SANDBOX_WRAPPER="valgrind --tool=callgrind" profiles the sandbox's side of a benchmark.
        QStringList command =
            QString::fromLocal8Bit(qgetenv("BENCH_SANDBOX_WRAPPER")).split(QLatin1Char(' '), Qt::SkipEmptyParts);
        command << QStringLiteral(TRANSOM_SANDBOX_BINARY) << QStringLiteral("--port") << QStringLiteral("0") << extra;
        process.start(command.takeFirst(), command);
        if (!process.waitForReadyRead(startMs))
            return false;
        const QByteArray line = process.readLine().trimmed();
        base = QString::fromLatin1(line.mid(line.indexOf("http://")));
        return !base.isEmpty();
    }
    ~SandboxProcess()
    {
        process.terminate();
        process.waitForFinished(10000);
    }
    net::HttpResponse call(const QByteArray &method, const QString &path, const QByteArray &body = {})
    {
        net::HttpRequest r;
        r.method = method;
        r.url = QUrl(base + path);
        r.body = body;
        r.timeoutMs = 120000;
        return http.sendAndWait(r);
    }
    /// One of the sandbox's counters (GET /_admin/counters).
    qint64 counter(const char *name)
    {
        return QJsonDocument::fromJson(call("GET", QStringLiteral("/_admin/counters")).body)
            .object()
            .value(QLatin1String(name))
            .toInteger();
    }
};

} // namespace transom::bench
