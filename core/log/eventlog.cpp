#include "core/log/eventlog.h"

#include "core/common/jsonwriter.h"
#include "core/log/logging.h"
#include "core/log/redaction.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QRegularExpression>

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/spdlog.h>

#include <atomic>

namespace transom::log {

EventLog::EventLog(const QString &folder, std::size_t maxFileBytes, std::size_t files)
{
    QDir().mkpath(folder);
    m_path = QDir(folder).filePath(QStringLiteral("transom.jsonl"));
    static std::atomic<int> counter{0};
    auto sink = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(m_path.toStdString(), maxFileBytes, files);
    m_logger = std::make_shared<spdlog::logger>("events-" + std::to_string(++counter), sink);
    m_logger->set_pattern("%v");
    m_logger->set_level(spdlog::level::trace);
    m_logger->flush_on(spdlog::level::warn);
}

EventLog::~EventLog()
{
    flush();
}

void EventLog::flush()
{
    m_logger->flush();
}

QJsonObject EventLog::toJson(const LogEvent &e, qint64 atMs)
{
    QJsonObject o{{QStringLiteral("ts"), QDateTime::fromMSecsSinceEpoch(atMs, Qt::UTC).toString(Qt::ISODateWithMs)},
                  {QStringLiteral("level"), e.level},
                  {QStringLiteral("event"), e.event}};
    auto put = [&o](const char *key, const QString &value) {
        if (!value.isEmpty())
            o.insert(QLatin1String(key), value);
    };
    put("run", e.runId);
    put("job", e.job);
    put("record", e.recordId);
    put("request", e.requestId);
    if (e.status)
        o.insert(QStringLiteral("status"), e.status);
    if (e.durationMs >= 0)
        o.insert(QStringLiteral("ms"), e.durationMs);
    put("message", e.message);
    put("snippet", e.snippet.left(300));
    return o;
}

void EventLog::write(const LogEvent &event)
{
    // Messages quote servers and payloads: hide any secret before the line exists anywhere.
    QString message = event.message.isEmpty() ? QString() : redactor().redact(event.message);
    QString snippet = event.snippet.isEmpty() ? QString() : redactor().redact(event.snippet);
    if (m_maskPii) {
        message = maskPii(message);
        snippet = maskPii(snippet);
    }
    if (snippet.size() > 300)
        snippet.truncate(300);
    const qint64 at = QDateTime::currentMSecsSinceEpoch();
    // One line per step of every record: written straight as JSON, without building a QJsonObject,
    // into a buffer this thread reuses.
    thread_local QByteArray text;
    text.resize(0);
    auto field = [](const char *key, const QString &value) {
        if (value.isEmpty())
            return;
        text += ",\"";
        text += key;
        text += "\":";
        json::appendString(text, value);
    };
    text += "{\"ts\":";
    // Lines come in bursts within one millisecond: format each millisecond once.
    thread_local qint64 lastMs = -1;
    thread_local QString lastText;
    if (at != lastMs) {
        lastMs = at;
        lastText = QDateTime::fromMSecsSinceEpoch(at, Qt::UTC).toString(Qt::ISODateWithMs);
    }
    json::appendString(text, lastText);
    field("level", event.level);
    field("event", event.event);
    field("run", event.runId);
    field("job", event.job);
    field("record", event.recordId);
    field("request", event.requestId);
    if (event.status) {
        text += ",\"status\":";
        json::appendInteger(text, event.status);
    }
    if (event.durationMs >= 0) {
        text += ",\"ms\":";
        json::appendInteger(text, event.durationMs);
    }
    field("message", message);
    field("snippet", snippet);
    text += '}';
    const auto level = event.level == QLatin1String("error")  ? spdlog::level::err
                       : event.level == QLatin1String("warn") ? spdlog::level::warn
                                                              : spdlog::level::info;
    m_logger->log(level, std::string_view(text.constData(), size_t(text.size())));
    if (text.capacity() > (1 << 20))
        text = QByteArray(); // a huge message's room is not kept for the life of the thread
    if (m_tap && (!m_tapWanted || m_tapWanted())) {
        LogEvent clean = event;
        clean.message = message;
        clean.snippet = snippet;
        m_tap(toJson(clean, at));
    }
}

QString EventLog::maskPii(const QString &text)
{
    // maria.garcia@example.com → m***@example.com; (512) 555-0142 → ***-**42
    static const QRegularExpression email(QStringLiteral(R"(([^\s"@<>(),;:]{1})[^\s"@<>(),;:]*@)"));
    static const QRegularExpression phone(QStringLiteral(R"(\+?\(?\d[\d\s().-]{5,}(\d\d)(?!\d))"));
    QString out = text;
    out.replace(email, QStringLiteral("\\1***@"));
    out.replace(phone, QStringLiteral("***-**\\1"));
    return out;
}

QList<QJsonObject> EventLog::search(const QString &folder, const QString &text, int limit)
{
    QList<QJsonObject> out;
    const QDir dir(folder);
    QStringList files = dir.entryList({QStringLiteral("transom*.jsonl")}, QDir::Files);
    // Rotated files (transom.1.jsonl, transom.2.jsonl, ...) hold older lines: read the oldest first.
    std::sort(files.begin(), files.end(), [](const QString &a, const QString &b) {
        auto rank = [](const QString &f) {
            return f == QLatin1String("transom.jsonl") ? 0 : f.section(QLatin1Char('.'), 1, 1).toInt();
        };
        return rank(a) > rank(b);
    });
    const QByteArray needle = text.toUtf8();
    for (const QString &name : std::as_const(files)) {
        QFile f(dir.filePath(name));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        while (!f.atEnd() && out.size() < limit) {
            const QByteArray line = f.readLine();
            if (!line.contains(needle))
                continue;
            const QJsonObject o = QJsonDocument::fromJson(line).object();
            if (!o.isEmpty())
                out.append(o);
        }
    }
    return out;
}

} // namespace transom::log
