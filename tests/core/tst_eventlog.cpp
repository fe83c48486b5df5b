// EventLog: JSON lines with the fields a trace needs, secrets redacted, PII masked on request,
// searched across rotated files in time order.
#include "core/log/eventlog.h"
#include "core/log/logging.h"
#include "core/log/redaction.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

#include <memory>
#include <thread>
#include <vector>

using transom::log::EventLog;
using transom::log::LogEvent;

class TestEventLog : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void linesCarryTheTraceFields();
    void secretsNeverReachTheFile();
    void maskPii_data();
    void maskPii();
    void payloadSnippets_data();
    void payloadSnippets();
    void searchReadsRotatedFilesOldestFirst();
    void linesReachTheFileInOrder_data();
    void linesReachTheFileInOrder();
    void quietLogReachesTheFile_data();
    void quietLogReachesTheFile();
    void logFilesAreTheOwnersOnly();
    void runnersShareOneWriterPerFile();
};

void TestEventLog::linesCarryTheTraceFields()
{
    QTemporaryDir dir;
    EventLog log(dir.path());
    QList<QJsonObject> tapped;
    log.setTap([&](const QJsonObject &line) { tapped.append(line); });
    LogEvent e;
    e.runId = QStringLiteral("r1");
    e.job = QStringLiteral("leads");
    e.recordId = QStringLiteral("ZL-100231");
    e.requestId = QStringLiteral("r1-7");
    e.event = QStringLiteral("sent");
    e.status = 422;
    e.durationMs = 12;
    e.message = QStringLiteral("stage: Stage 'Hot Prospect' does not exist");
    log.write(e);
    log.flush();
    QFile f(log.filePath());
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QJsonObject line = QJsonDocument::fromJson(f.readLine()).object();
    for (const char *key : {"ts", "level", "run", "job", "record", "request", "event", "status", "ms", "message"})
        QVERIFY2(line.contains(QLatin1String(key)), key);
    QVERIFY(line.value(QStringLiteral("ts")).toString().endsWith(QLatin1Char('Z')));
    QCOMPARE(tapped.size(), 1);
    QCOMPARE(tapped.first(), line);
}

void TestEventLog::secretsNeverReachTheFile()
{
    QTemporaryDir dir;
    EventLog log(dir.path());
    transom::log::redactor().addSecret(QStringLiteral("s3cr3t-client-secret"));
    LogEvent e;
    e.event = QStringLiteral("source_error");
    e.message =
        QStringLiteral("POST /oauth/token client_secret=s3cr3t-client-secret: Authorization: Bearer abc.def.ghi");
    e.snippet = QStringLiteral(R"({"access_token": "tok-123456", "note": "s3cr3t-client-secret"})");
    log.write(e);
    log.flush();
    QFile f(log.filePath());
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray text = f.readAll();
    QVERIFY(!text.contains("s3cr3t-client-secret"));
    QVERIFY(!text.contains("tok-123456"));
    QVERIFY(!text.contains("abc.def.ghi"));
    QVERIFY(text.contains("access_token"));
}

void TestEventLog::maskPii_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("masked");
    QTest::newRow("email") << "lead maria.garcia@example.com arrived"
                           << "lead m***@example.com arrived";
    QTest::newRow("json email") << R"({"email":"liam.wei1@example.com"})"
                                << R"({"email":"l***@example.com"})";
    QTest::newRow("phone") << "call (512) 555-0142 now"
                           << "call ***-**42 now";
    QTest::newRow("e164") << "+15125550142"
                          << "***-**42";
    QTest::newRow("zip untouched") << "Austin TX 78704"
                                   << "Austin TX 78704";
}

void TestEventLog::maskPii()
{
    QFETCH(QString, text);
    QFETCH(QString, masked);
    QCOMPARE(EventLog::maskPii(text), masked);
}

void TestEventLog::payloadSnippets_data()
{
    // The engine hands over a record's UTF-8 text; the line keeps its first 300 bytes (whole
    // characters), cleaned as any other snippet.
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<bool>("maskPii");
    QTest::addColumn<QString>("snippet");
    const QByteArray lead = R"({"lead_id":"ZL-1","name":"Zoë Núñez 李","email":"maria.garcia@example.com"})";
    QTest::newRow("as sent") << lead << false << QString::fromUtf8(lead);
    QTest::newRow("PII masked") << lead << true
                                << QString::fromUtf8(
                                       R"({"lead_id":"ZL-1","name":"Zoë Núñez 李","email":"m***@example.com"})");
    QTest::newRow("token hidden") << QByteArray(R"({"access_token": "tok-123456", "a": "\"q\""})") << false
                                  << QStringLiteral(R"({"access_token": "***", "a": "\"q\""})");
    QTest::newRow("300 bytes kept") << QByteArray(400, 'a') << false << QString(300, QLatin1Char('a'));
    QTest::newRow("a character cut at byte 300 is left out")
        << QByteArray(299, 'a') + "\xC3\xAB and more" << false << QString(299, QLatin1Char('a'));
    QTest::newRow("a 4-byte character cut")
        << QByteArray(298, 'a') + "\xF0\x9F\x98\x80" << false << QString(298, QLatin1Char('a'));
    QTest::newRow("not UTF-8") << QByteArray("{\"n\":\"\xFF\xFE\"}") << false
                               << QStringLiteral("{\"n\":\"\uFFFD\uFFFD\"}");
    QTest::newRow("control characters") << QByteArray("a\x01\tb") << false << QStringLiteral("a\x01\tb");
    // Hidden before the cut: a secret that straddles byte 300 is not half written.
    QTest::newRow("a registered secret across the cut")
        << QByteArray(290, 'a') + "tok-straddling-the-cut-0123456789" << false
        << QString(290, QLatin1Char('a')) + QStringLiteral("***");
    QTest::newRow("a token field across the cut")
        << QByteArray(270, 'a') + R"({"access_token": "eyJhbGciOiJIUzI1NiJ9.payload-of-the-token"})" << false
        << QString(270, QLatin1Char('a')) + QStringLiteral(R"({"access_token": "***"})");
}

void TestEventLog::payloadSnippets()
{
    QFETCH(QByteArray, payload);
    QFETCH(bool, maskPii);
    QFETCH(QString, snippet);
    transom::log::redactor().addSecret(QStringLiteral("tok-straddling-the-cut-0123456789"));
    QTemporaryDir dir;
    EventLog log(dir.path());
    log.setMaskPii(maskPii);
    LogEvent e;
    e.event = QStringLiteral("received");
    e.recordId = QStringLiteral("ZL-1");
    e.snippetUtf8 = payload;
    log.write(e);
    log.flush();
    QFile f(log.filePath());
    QVERIFY(f.open(QIODevice::ReadOnly));
    QJsonParseError error;
    const QJsonObject line = QJsonDocument::fromJson(f.readLine(), &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(line.value(QStringLiteral("snippet")).toString(), snippet);
    QCOMPARE(line.value(QStringLiteral("record")).toString(), QStringLiteral("ZL-1"));
}

void TestEventLog::searchReadsRotatedFilesOldestFirst()
{
    QTemporaryDir dir;
    {
        EventLog log(dir.path(), 4096, 3); // tiny files: rotate often
        for (int i = 0; i < 200; ++i) {
            LogEvent e;
            e.recordId = QStringLiteral("ZL-%1").arg(i % 2 ? QStringLiteral("odd") : QStringLiteral("even"));
            e.event = QStringLiteral("step-%1").arg(i, 3, 10, QLatin1Char('0'));
            log.write(e);
        }
    }
    QVERIFY(QDir(dir.path()).entryList({QStringLiteral("transom*.jsonl")}).size() > 1);
    const QList<QJsonObject> found = EventLog::search(dir.path(), QStringLiteral("\"record\":\"ZL-odd\""));
    QVERIFY(!found.isEmpty());
    QVERIFY(found.size() < 100); // the oldest rotated away
    for (qsizetype i = 1; i < found.size(); ++i)
        QVERIFY(found.at(i - 1).value(QStringLiteral("event")).toString() <
                found.at(i).value(QStringLiteral("event")).toString());
    QCOMPARE(found.last().value(QStringLiteral("event")).toString(), QStringLiteral("step-199"));
}

void TestEventLog::linesReachTheFileInOrder_data()
{
    QTest::addColumn<int>("lines");
    QTest::addColumn<bool>("flushBeforeReading"); // else the log is destroyed first
    QTest::newRow("a few, flushed") << 3 << true;
    // More than the writer thread may be behind: write() waits for it, nothing is dropped.
    QTest::newRow("a burst past the queue's bound, flushed") << 40000 << true;
    QTest::newRow("a burst, then the log closes") << 20000 << false;
}

void TestEventLog::linesReachTheFileInOrder()
{
    QFETCH(int, lines);
    QFETCH(bool, flushBeforeReading);
    QTemporaryDir dir;
    auto log = std::make_unique<EventLog>(dir.path(), 64 * 1024 * 1024);
    const QString path = log->filePath();
    for (int i = 0; i < lines; ++i) {
        LogEvent e;
        e.event = QStringLiteral("received");
        e.recordId = QStringLiteral("ZL-%1").arg(i);
        e.snippetUtf8 = QByteArray("{\"name\":\"Zo\xC3\xAB\",\"n\":") + QByteArray::number(i) + '}';
        log->write(std::move(e));
    }
    if (flushBeforeReading)
        log->flush();
    else
        log.reset();
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    int n = 0;
    while (!f.atEnd()) {
        const QJsonObject line = QJsonDocument::fromJson(f.readLine()).object();
        QCOMPARE(line.value(QStringLiteral("record")).toString(), QStringLiteral("ZL-%1").arg(n));
        QCOMPARE(line.value(QStringLiteral("snippet")).toString(),
                 QStringLiteral("{\"name\":\"Zoë\",\"n\":%1}").arg(n));
        ++n;
    }
    QCOMPARE(n, lines);
}

void TestEventLog::quietLogReachesTheFile_data()
{
    QTest::addColumn<int>("lines");
    QTest::newRow("one line") << 1;
    QTest::newRow("more than a small buffer, less than the log's") << 2000;
}

// Lines are written in large blocks; once the engine stops writing, they reach the file without a
// flush() (a reader in another process, `transom-run trace`, must see a quiet runner's last lines).
void TestEventLog::quietLogReachesTheFile()
{
    QFETCH(int, lines);
    QTemporaryDir dir;
    EventLog log(dir.path());
    for (int i = 0; i < lines; ++i) {
        LogEvent e;
        e.event = QStringLiteral("received");
        e.recordId = QStringLiteral("ZL-%1").arg(i);
        log.write(std::move(e));
    }
    const auto linesInFile = [&] {
        QFile f(log.filePath());
        return f.open(QIODevice::ReadOnly) ? int(f.readAll().count('\n')) : 0;
    };
    QTRY_COMPARE_WITH_TIMEOUT(linesInFile(), lines, 5000);
}

void TestEventLog::logFilesAreTheOwnersOnly()
{
    // Lines hold contact details: 0600 files (rotated ones too) in a 0700 folder, whatever the umask.
    const mode_t umaskBefore = ::umask(022);
    auto restore = qScopeGuard([umaskBefore] { ::umask(umaskBefore); });
    auto mode = [](const QString &path) {
        struct stat st {};
        return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? int(st.st_mode & 0777) : -1;
    };
    QTemporaryDir dir;
    const QString folder = dir.filePath(QStringLiteral("logs/engine"));
    {
        EventLog log(folder, 4096, 3); // small files: a few hundred lines rotate them
        LogEvent e;
        e.event = QStringLiteral("received");
        e.recordId = QStringLiteral("ZL-1");
        e.snippetUtf8 = QByteArray(R"({"email": "maria.garcia@example.com"})");
        for (int i = 0; i < 400; ++i)
            log.write(e);
        log.flush();
    }
    QCOMPARE(mode(folder), 0700);
    QCOMPARE(mode(dir.filePath(QStringLiteral("logs"))), 0700);
    const QStringList written = QDir(folder).entryList(QDir::Files);
    QVERIFY2(written.size() >= 2, qPrintable(written.join(QLatin1Char(' ')))); // it rotated
    for (const QString &name : written)
        QCOMPARE(mode(QDir(folder).filePath(name)), 0600);
}

void TestEventLog::runnersShareOneWriterPerFile()
{
    // Every job's runner opens the project's log: two writers on one file interleaved lines and raced
    // each other's rotations. Four logs on one folder, written from four threads, rotating often:
    // every line whole, none lost, each log's lines in the order written.
    QTemporaryDir dir;
    constexpr int kLogs = 4, kLines = 3000;
    std::vector<std::unique_ptr<EventLog>> logs;
    for (int i = 0; i < kLogs; ++i)
        logs.push_back(std::make_unique<EventLog>(dir.path(), 256 * 1024, 50));
    std::vector<std::thread> threads;
    for (int i = 0; i < kLogs; ++i)
        threads.emplace_back([&log = *logs[size_t(i)], i] {
            for (int n = 0; n < kLines; ++n) {
                LogEvent e;
                e.event = QStringLiteral("received");
                e.job = QStringLiteral("job-%1").arg(i);
                e.recordId = QString::number(n);
                e.snippetUtf8 = QByteArray(120, 'x');
                log.write(std::move(e));
            }
        });
    for (std::thread &t : threads)
        t.join();
    logs.clear(); // flushed and closed
    QHash<QString, int> next;
    int lines = 0;
    const QList<QJsonObject> all = EventLog::search(dir.path(), QString(), kLogs * kLines * 2);
    for (const QJsonObject &line : all) {
        const QString job = line.value(QStringLiteral("job")).toString();
        QCOMPARE(line.value(QStringLiteral("record")).toString().toInt(), next[job]);
        ++next[job];
        ++lines;
    }
    QCOMPARE(lines, kLogs * kLines);
    // And the files themselves: only whole JSON lines.
    for (const QString &name : QDir(dir.path()).entryList(QDir::Files)) {
        QFile f(QDir(dir.path()).filePath(name));
        QVERIFY(f.open(QIODevice::ReadOnly));
        while (!f.atEnd()) {
            QJsonParseError error;
            QJsonDocument::fromJson(f.readLine(), &error);
            QCOMPARE(error.error, QJsonParseError::NoError);
        }
    }
}

QTEST_APPLESS_MAIN(TestEventLog)
#include "tst_eventlog.moc"
