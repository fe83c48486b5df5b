#include "core/log/eventlog.h"

#include "core/common/jsonwriter.h"
#include "core/common/privatefiles.h"
#include "core/log/logging.h"
#include "core/log/redaction.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QRegularExpression>

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/spdlog.h>

#include <simdjson.h>

#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace transom::log {

struct EventLog::Queued {
    LogEvent event;
    qint64 atMs = 0;
    bool maskPii = false;
    bool redacted = false; ///< message and snippet were already cleaned for the tap
};

struct EventLog::Writer {
    /// Lines a writer may be behind before write() waits for it: bounds the memory a burst can take.
    static constexpr std::size_t maxQueued = 16384;
    /// While lines keep coming the thread looks at the queue every few milliseconds without being
    /// woken (a wake is a system call on the writing thread, and waking it for every line cost more
    /// than writing the line); it is woken early only when this many lines wait, and after a quiet
    /// spell it sleeps until the next line wakes it.
    static constexpr std::size_t wakeAt = 4096;
    static constexpr std::chrono::milliseconds gather{3};
    std::mutex mutex;
    std::condition_variable wake;    ///< lines queued, or stopping
    std::condition_variable drained; ///< a batch of lines is in the file
    std::vector<Queued> queue;
    bool busy = false;     ///< the thread is writing a batch taken off the queue
    bool flushing = false; ///< flush() waits: write what is queued now
    bool stopping = false;
    bool idle = false; ///< the thread sleeps until a line comes: the next write() wakes it
    std::shared_ptr<spdlog::logger> logger;
    std::thread thread;
};

/// The writer of one log file: its sink, its queue and its thread. One per file per process, shared
/// by every EventLog on that file (each job's runner opens one): two writers on one transom.jsonl
/// interleaved their lines and raced each other's rotations.
std::shared_ptr<EventLog::Writer> EventLog::writerFor(const QString &path, std::size_t maxFileBytes, std::size_t files)
{
    static std::mutex registryMutex;
    static std::map<QString, std::weak_ptr<Writer>> registry;
    const QString key = QFileInfo(path).absoluteFilePath();
    const std::lock_guard registered(registryMutex);
    if (std::shared_ptr<Writer> shared = registry[key].lock())
        return shared;
    auto writer = std::shared_ptr<Writer>(new Writer, [](Writer *w) {
        {
            const std::lock_guard stop(w->mutex);
            w->stopping = true;
        }
        w->wake.notify_one();
        w->thread.join();
        w->logger->flush();
        delete w;
    });
    static std::atomic<int> counter{0};
    // Lines go to the file in 256 KiB writes (stdio's 4 KiB buffer made a system call every dozen lines,
    // about 17,500 in a batch run of 100,000 records); the thread flushes whenever its queue runs dry.
    // glibc ignores the size of a buffer it allocates itself, so the sink owns one, reused on rotation.
    spdlog::file_event_handlers handlers;
    handlers.after_open = [buffer = std::make_shared<std::vector<char>>(256 * 1024)](const spdlog::filename_t &,
                                                                                     std::FILE *file) {
        files::makePrivate(file); // lines hold contact details: the owner's only, rotated files too
        std::setvbuf(file, buffer->data(), _IOFBF, buffer->size());
    };
    auto sink =
        std::make_shared<spdlog::sinks::rotating_file_sink_mt>(key.toStdString(), maxFileBytes, files, false, handlers);
    writer->logger = std::make_shared<spdlog::logger>("events-" + std::to_string(++counter), sink);
    writer->logger->set_pattern("%v");
    writer->logger->set_level(spdlog::level::trace);
    writer->logger->flush_on(spdlog::level::warn);
    writer->thread = std::thread([&w = *writer] {
#if defined(__GLIBC__)
        pthread_setname_np(pthread_self(), "transom-log"); // as top, perf and gdb show it
#endif
        std::vector<Queued> batch;
        std::unique_lock lock(w.mutex);
        for (;;) {
            w.wake.wait_for(lock, Writer::gather,
                            [&w] { return w.stopping || w.flushing || w.queue.size() >= Writer::wakeAt; });
            if (w.queue.empty()) {
                if (w.stopping)
                    return; // everything is written
                // Quiet: what was written reaches the file before the thread sleeps, so a reader
                // (`transom-run trace`, the studio's search) sees every line within a gather.
                lock.unlock();
                w.logger->flush();
                lock.lock();
                if (!w.queue.empty() || w.stopping)
                    continue;
                w.idle = true;
                w.wake.wait(lock, [&w] { return w.stopping || !w.queue.empty(); });
                w.idle = false;
                continue;
            }
            batch.swap(w.queue);
            w.busy = true;
            lock.unlock();
            for (const Queued &line : batch)
                writeLine(*w.logger, line);
            batch.clear();
            lock.lock();
            w.busy = false;
            w.drained.notify_all();
        }
    });
    registry[key] = writer;
    return writer;
}

EventLog::EventLog(const QString &folder, std::size_t maxFileBytes, std::size_t files)
{
    files::makePrivateFolder(folder);
    m_path = QDir(folder).filePath(QStringLiteral("transom.jsonl"));
    m_writer = writerFor(m_path, maxFileBytes, files);
}

EventLog::~EventLog()
{
    flush(); // this log's lines are in the file when it goes, whoever else writes there
}

void EventLog::flush()
{
    {
        std::unique_lock lock(m_writer->mutex);
        m_writer->flushing = true;
        m_writer->wake.notify_one();
        m_writer->drained.wait(lock, [this] { return m_writer->queue.empty() && !m_writer->busy; });
        m_writer->flushing = false;
    }
    m_writer->logger->flush();
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

namespace {

/// How much of a payload a line keeps: characters of a snippet, bytes of a UTF-8 one.
constexpr qsizetype kSnippetLength = 300;

/// Secrets are hidden before a snippet is cut, in this much more than it keeps: a token that starts
/// inside the kept part and ends after it is matched whole, not cut in two and half written.
constexpr qsizetype kRedactionSlack = 8192;

/// The first bytes of a UTF-8 snippet: what is looked at for secrets; a line keeps kSnippetLength of it.
QByteArrayView utf8Snippet(const QByteArray &text)
{
    return QByteArrayView(text).first(std::min(text.size(), kSnippetLength + kRedactionSlack));
}

/// The first kSnippetLength bytes of `text`.
std::string_view keptBytes(std::string_view text)
{
    return text.substr(0, std::min(text.size(), std::size_t(kSnippetLength)));
}

/// Valid UTF-8 cut anywhere, without the partial character at its end.
std::string_view wholeCharacters(std::string_view text)
{
    std::size_t end = text.size();
    std::size_t back = 0; // continuation bytes at the end
    while (back < 3 && back < end && (static_cast<unsigned char>(text[end - 1 - back]) & 0xC0) == 0x80)
        ++back;
    if (back < end) {
        const auto lead = static_cast<unsigned char>(text[end - 1 - back]);
        const std::size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        if (length != back + 1)
            end -= back + (length > 1 ? 1 : 0); // the last character is cut short: leave it out
    }
    return text.substr(0, end);
}

/// Hides any secret (messages quote servers and payloads), masks PII when asked, and keeps the snippet short.
void clean(QString &message, QString &snippet, bool maskPii)
{
    if (!message.isEmpty())
        message = redactor().redact(message);
    if (!snippet.isEmpty())
        snippet = redactor().redact(snippet);
    if (maskPii) {
        message = EventLog::maskPii(message);
        snippet = EventLog::maskPii(snippet);
    }
    if (snippet.size() > kSnippetLength)
        snippet.truncate(kSnippetLength);
}

} // namespace

void EventLog::write(LogEvent event)
{
    Queued line{std::move(event), QDateTime::currentMSecsSinceEpoch(), m_maskPii, false};
    if (m_tap && (!m_tapWanted || m_tapWanted())) {
        // The tap sees the line as the file will: cleaned here, on the writing thread.
        LogEvent &e = line.event;
        if (!e.snippetUtf8.isEmpty())
            e.snippet = QString::fromUtf8(utf8Snippet(std::exchange(e.snippetUtf8, {})));
        clean(e.message, e.snippet, line.maskPii);
        line.redacted = true;
        m_tap(toJson(e, line.atMs));
    }
    Writer &w = *m_writer;
    {
        std::unique_lock lock(w.mutex);
        if (w.queue.size() >= Writer::maxQueued)
            w.drained.wait(lock, [&w] { return w.queue.size() < Writer::maxQueued; });
        w.queue.push_back(std::move(line));
        if (!(w.idle && w.queue.size() == 1) && w.queue.size() != Writer::wakeAt)
            return;
    }
    w.wake.notify_one();
}

void EventLog::writeLine(spdlog::logger &logger, const Queued &line)
{
    const LogEvent &event = line.event;
    QString message = event.message;
    QString snippet;
    // A payload's snippet stays UTF-8 from the engine to the file when nothing in it is to be hidden
    // or masked (the rule): decoding it to UTF-16, checking it there and encoding it again was most of
    // this thread's work.
    std::string_view snippetUtf8;
    std::optional<std::string> redactedUtf8;
    const QByteArrayView payload = utf8Snippet(event.snippetUtf8);
    const std::string_view whole = wholeCharacters(std::string_view(payload.data(), std::size_t(payload.size())));
    if (!whole.empty() && !line.redacted && !line.maskPii && simdjson::validate_utf8(whole.data(), whole.size())) {
        snippetUtf8 = whole;
        if ((redactedUtf8 = redactor().redactUtf8(snippetUtf8)))
            snippetUtf8 = *redactedUtf8;
        snippetUtf8 = wholeCharacters(keptBytes(snippetUtf8)); // cut after hiding, never before
        if (!message.isEmpty())
            message = redactor().redact(message);
    } else {
        snippet = payload.isEmpty() ? event.snippet : QString::fromUtf8(payload);
        if (!line.redacted)
            clean(message, snippet, line.maskPii); // before the line exists anywhere
    }
    const qint64 at = line.atMs;
    // One line per step of every record: written straight as JSON, without building a QJsonObject,
    // into a buffer the writer thread reuses, with room made once for the longest the line can be.
    thread_local json::TextBuffer text;
    text.clear();
    const QString *const strings[] = {&event.level,    &event.event,     &event.runId, &event.job,
                                      &event.recordId, &event.requestId, &message,     &snippet};
    size_t room = 160 + 6 * snippetUtf8.size();
    for (const QString *value : strings)
        room += 6 * size_t(value->size()) + 16;
    char *w = text.room(room);
    auto raw = [&w](std::string_view bytes) {
        std::memcpy(w, bytes.data(), bytes.size());
        w += bytes.size();
    };
    auto field = [&](std::string_view key, const QString &value) {
        if (value.isEmpty())
            return;
        raw(",\"");
        raw(key);
        raw("\":");
        w = json::writeString(w, value);
    };
    raw("{\"ts\":");
    // Lines come in bursts within one millisecond: format each millisecond once.
    thread_local qint64 lastMs = -1;
    thread_local QString lastText;
    if (at != lastMs) {
        lastMs = at;
        lastText = QDateTime::fromMSecsSinceEpoch(at, Qt::UTC).toString(Qt::ISODateWithMs);
    }
    w = json::writeString(w, lastText);
    field("level", event.level);
    field("event", event.event);
    field("run", event.runId);
    field("job", event.job);
    field("record", event.recordId);
    field("request", event.requestId);
    if (event.status) {
        raw(",\"status\":");
        w = json::writeInteger(w, event.status);
    }
    if (event.durationMs >= 0) {
        raw(",\"ms\":");
        w = json::writeInteger(w, event.durationMs);
    }
    field("message", message);
    if (!snippetUtf8.empty()) {
        raw(",\"snippet\":");
        w = json::writeUtf8String(w, snippetUtf8);
    } else {
        field("snippet", snippet);
    }
    *w++ = '}';
    text.commit(w);
    const auto level = event.level == QLatin1String("error")  ? spdlog::level::err
                       : event.level == QLatin1String("warn") ? spdlog::level::warn
                                                              : spdlog::level::info;
    logger.log(level, std::string_view(text.data(), text.size()));
    if (text.capacity() > (1 << 20))
        text.release(); // a huge message's room is not kept for the life of the thread
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
