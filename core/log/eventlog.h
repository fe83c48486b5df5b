#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <functional>
#include <memory>

namespace spdlog {
class logger;
}

namespace transom::log {

/// One step of one record's path through the engine.
struct LogEvent {
    QString level = QStringLiteral("info");
    QString runId;
    QString job;
    QString recordId;
    QString requestId;
    QString event;  ///< received, mapped, skipped, sent, retrying, delivered, dead_lettered, looked_up, ...
    int status = 0; ///< HTTP status, when there was a call
    qint64 durationMs = -1;
    QString message;
    QString snippet; ///< a short piece of the payload, secrets redacted
    /// Instead of `snippet`: the payload as UTF-8 (shared with the engine, not copied), of which the
    /// writer thread makes the snippet from the first 300 bytes.
    QByteArray snippetUtf8;
};

/// Structured JSON lines (UTC millisecond timestamps) in rotating files under a folder, so
/// "why did lead ZL-100231 never arrive?" is one search. Every line passes the redactor first.
///
/// write() stamps the event and queues it; the file's writer thread (one per file per process, shared
/// by every EventLog on that file, so lines never interleave and rotations never race) redacts, writes
/// the JSON and hands it to the file, in the order written (a run logs several lines per record, and formatting
/// them was a fifth of the engine thread's work). flush() waits until every queued line is in the file.
class EventLog {
public:
    explicit EventLog(const QString &folder, std::size_t maxFileBytes = 20 * 1024 * 1024, std::size_t files = 5);
    ~EventLog();
    EventLog(const EventLog &) = delete;
    EventLog &operator=(const EventLog &) = delete;

    void write(LogEvent event);
    /// Also hand every line to `tap` (the live log in the studio, progress counters); called on the
    /// writing thread.
    /// `wanted`, when given, is asked first, so no line object is built while nobody listens.
    void setTap(std::function<void(const QJsonObject &)> tap, std::function<bool()> wanted = {})
    {
        m_tap = std::move(tap);
        m_tapWanted = std::move(wanted);
    }
    void flush();
    QString filePath() const { return m_path; }
    /// Masks e-mail addresses and phone numbers in messages and snippets (projects that ask for it).
    void setMaskPii(bool mask) { m_maskPii = mask; }
    static QString maskPii(const QString &text);

    static QJsonObject toJson(const LogEvent &event, qint64 atMs);
    /// Lines of the logs in `folder` whose record id equals `text` or that contain it, oldest first.
    static QList<QJsonObject> search(const QString &folder, const QString &text, int limit = 1000);

private:
    struct Queued;
    struct Writer;
    /// Redacts, masks and writes one line to the file (on the writer thread).
    static void writeLine(spdlog::logger &logger, const Queued &line);
    static std::shared_ptr<Writer> writerFor(const QString &path, std::size_t maxFileBytes, std::size_t files);

    std::shared_ptr<Writer> m_writer; ///< shared by every EventLog of this process on the same file
    std::function<void(const QJsonObject &)> m_tap;
    std::function<bool()> m_tapWanted;
    QString m_path;
    bool m_maskPii = false;
};

} // namespace transom::log
