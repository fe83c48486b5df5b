#include "core/sync/jobrunner.h"

#include "core/common/contenthash.h"
#include "core/connect/restsource.h"
#include "core/log/logging.h"
#include "core/log/redaction.h"
#include "core/mapping/mappingcompiler.h"

#include <QDateTime>
#include <QFileInfo>
#include <QJsonDocument>
#include <QMetaMethod>
#include <QTimeZone>
#include <QUuid>

#include <cmath>

namespace transom::sync {

struct JobRunner::Item {
    QString sourceId;
    QByteArray sourceJson;
    QByteArray mapped;
    QByteArray hash;
    QString externalId;
    QString destinationId;
    int attempts = 0;
    bool needsLookup = false;
    bool lastUnknown = false;
    qint64 inboxId = 0;
    qint64 version = 0; ///< UTC ms (the source's modification time or the event's signed time); 0: unknown
    qint64 deadLetterId = 0;
    quint64 intentBatch = 0; ///< the group commit that holds its intent
    std::shared_ptr<Page> page;
};

namespace {

qint64 epochVersion(double number)
{
    if (!std::isfinite(number) || std::abs(number) >= 1e16)
        return 0;
    return std::abs(number) >= 1e11 ? qint64(number) : qint64(std::llround(number * 1000));
}

QString versionText(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc()).toString(Qt::ISODateWithMs);
}

} // namespace

qint64 recordVersionMs(const mapping::Value &value)
{
    if (value.isDouble())
        return epochVersion(value.toDouble());
    if (!value.isString())
        return 0;
    if (value.isUtf8()) { // the common case, with a zone: read without QDateTime's parser
        const std::string_view t = value.utf8();
        const bool zoned =
            !t.empty() &&
            (t.back() == 'Z' || t.back() == 'z' ||
             (t.size() > 6 && (t[t.size() - 6] == '+' || t[t.size() - 6] == '-') && t[t.size() - 3] == ':'));
        if (const QDateTime at = zoned ? connect::feedTime(value) : QDateTime(); at.isValid()) {
            const qint64 ms = at.toMSecsSinceEpoch();
            return ms == 0 ? 1 : ms;
        }
    }
    const QString text = value.toString().trimmed();
    if (text.isEmpty())
        return 0;
    bool number = false;
    if (const double d = text.toDouble(&number); number)
        return epochVersion(d);
    QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!t.isValid())
        return 0;
    if (t.timeSpec() == Qt::LocalTime) // no zone given: read as UTC, whatever this machine's zone
        t = QDateTime(t.date(), t.time(), QTimeZone::utc());
    const qint64 ms = t.toMSecsSinceEpoch();
    return ms == 0 ? 1 : ms;
}

qint64 backoffMs(int attempt, const RetryConfig &retry, qint64 retryAfterMs, QRandomGenerator &rng)
{
    if (retryAfterMs >= 0)
        return std::min<qint64>(retryAfterMs, 24LL * 3600 * 1000);
    const qint64 exponential = qint64(retry.baseMs) << std::min(attempt - 1, 20);
    const qint64 capped = std::min<qint64>(exponential, retry.capMs);
    const double jitter = 0.75 + 0.5 * rng.generateDouble();
    return std::max<qint64>(1, qint64(double(capped) * jitter));
}

JobRunner::JobRunner(Project project, JobConfig job, connect::PresetLibrary presets, SecretAccess secrets,
                     QObject *parent)
    : QObject(parent)
    , m_project(std::move(project))
    , m_job(std::move(job))
    , m_presets(std::move(presets))
    , m_secrets(std::move(secrets))
    , m_rng(QRandomGenerator::securelySeeded())
{
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(5);
    connect(&m_flushTimer, &QTimer::timeout, this, &JobRunner::flush);
    m_progressTimer.setSingleShot(true);
    connect(&m_progressTimer, &QTimer::timeout, this, &JobRunner::emitProgress);
}

JobRunner::~JobRunner()
{
    flush();
}

bool JobRunner::prepare(QString *error)
{
    auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return false;
    };
    if (!m_store) {
        auto store = store::openStorage(m_project.storePath);
        if (!store)
            return fail(store.error().toString());
        m_store = std::move(store.value());
    }
    if (auto usage = store::RateUsageStore::open(m_project.storePath))
        m_usage = std::move(usage.value());
    if (QString why; !loadMapping(&why))
        return fail(why);
    m_http = std::make_unique<net::HttpClient>(64);
    m_log = std::make_unique<log::EventLog>(m_project.logDir);
    m_log->setMaskPii(m_project.maskPii);
    m_log->setTap([this](const QJsonObject &line) { Q_EMIT logLine(line); },
                  [this] { return isSignalConnected(QMetaMethod::fromSignal(&JobRunner::logLine)); });
    for (const auto &[name, target, kind] :
         {std::tuple{m_job.source, &m_sourceConnection, 0}, std::tuple{m_job.sink, &m_sinkConnection, 1}}) {
        const ConnectionConfig *config = m_project.connection(name);
        auto runtime = ConnectionRuntime::create(m_project, *config, m_presets, *m_http, m_secrets, m_usage.get());
        if (!runtime)
            return fail(runtime.error().toString());
        *target = std::move(runtime.value());
        connect((*target).get(), &ConnectionRuntime::needsAttention, this, &JobRunner::needsAttention);
    }
    auto source = m_sourceConnection->makeSource();
    if (!source)
        return fail(QStringLiteral("connection \"%1\": %2").arg(m_job.source, source.error().toString()));
    m_source = std::move(source.value());
    const int cap = m_sinkConnection->limiter().snapshot().maxInFlight;
    m_window = cap > 0 ? cap : 32;
    auto sink = m_sinkConnection->makeSink();
    if (!sink)
        return fail(QStringLiteral("connection \"%1\": %2").arg(m_job.sink, sink.error().toString()));
    m_sink = std::move(sink.value());
    m_versionField = m_job.versionFieldSet ? m_job.versionField
                                           : m_project.effectiveSettings(m_sourceConnection->config(), m_presets)
                                                 .value(QLatin1String("watermark_field"))
                                                 .toString();
    m_versionPath = {};
    if (!m_versionField.isEmpty()) {
        // A job names a path ("meta.updated_at"); a connection's watermark field is a plain key.
        QString quoted = m_versionField;
        quoted.replace(QLatin1Char('\\'), QLatin1String("\\\\")).replace(QLatin1Char('"'), QLatin1String("\\\""));
        auto path = m_job.versionFieldSet ? mapping::FieldPath::parse(m_versionField)
                                          : mapping::FieldPath::parse(QStringLiteral("[\"%1\"]").arg(quoted));
        if (!path)
            return fail(QStringLiteral("job \"%1\": version_field \"%2\": %3")
                            .arg(m_job.name, m_versionField, path.error().toString()));
        m_versionPath = path.value();
    }
    m_sinkWindows = ConnectionRuntime::windowsFrom(m_project.effectiveLimits(m_sinkConnection->config(), m_presets));
    return true;
}

void JobRunner::log(const QString &event, const QString &recordId, const QString &message, int status, qint64 ms,
                    const QString &level, const QString &requestId)
{
    log::LogEvent e;
    e.requestId = requestId;
    e.level = level;
    e.runId = m_runId;
    e.job = m_job.name;
    e.recordId = recordId;
    e.event = event;
    e.status = status;
    e.durationMs = ms;
    e.message = message;
    m_log->write(std::move(e));
}

bool JobRunner::loadMapping(QString *error, const QString &path)
{
    const QString file = path.isEmpty() ? m_job.mapping : path;
    const QFileInfo info(file);
    const QString stamp = QStringLiteral("%1/%2/%3")
                              .arg(info.absoluteFilePath())
                              .arg(info.lastModified().toMSecsSinceEpoch())
                              .arg(info.size());
    if (m_mapping && stamp == m_mappingStamp)
        return true;
    auto document = mapping::MappingDocument::load(file);
    if (!document) {
        *error = document.error().toString();
        return false;
    }
    const auto compiled = mapping::MappingCompiler::compile(document.value());
    if (!compiled.ok()) {
        *error =
            QStringLiteral("the mapping %1 has errors: %2").arg(info.fileName(), compiled.errors.first().toString());
        return false;
    }
    m_document = document.value();
    m_mapping = compiled.mapping;
    m_mappingStamp = stamp;
    m_mappingPath = file;
    m_externalIdField = -1;
    for (int i = 0; i < m_mapping->fieldCount(); ++i)
        if (m_mapping->targetOf(i) == m_job.externalIdField)
            m_externalIdField = i;
    return true;
}

bool JobRunner::beginRun(Mode mode)
{
    m_mode = mode;
    m_running = true;
    m_fetching = false;
    m_incoming.clear();
    m_failure.clear(); // a runner the engine keeps runs again: an earlier failure is not this run's
    m_sourceFailures = 0;
    m_stopping = false;
    m_storeLost = false; // writes an earlier run could not commit are still in m_results: tried again first
    m_sourceDone = false;
    m_counts = {};
    m_counts.sinkName = m_job.sink;
    m_outageSince = -1;
    m_runId = QUuid::createUuid().toString(QUuid::WithoutBraces).left(8);
    m_clock.start();
    m_progress.reset();
    Q_EMIT started(m_runId);
    if (const auto recorded = m_store->startRun(m_runId, m_job.name, QDateTime::currentMSecsSinceEpoch()); !recorded) {
        finish(QStringLiteral("failed"), QStringLiteral("the sync store failed: %1").arg(recorded.error().toString()));
        return false;
    }
    return true;
}

void JobRunner::start(Mode mode)
{
    if (!beginRun(mode))
        return;
    if (QString why; !loadMapping(&why)) {
        finish(QStringLiteral("failed"), why);
        return;
    }
    log(QStringLiteral("run_started"), {},
        QStringLiteral("%1 → %2 with %3 (revision %4)")
            .arg(m_job.source, m_job.sink, QFileInfo(m_job.mapping).fileName())
            .arg(m_document.revision));
    if (mode == Mode::Inbox) {
        drainInbox();
        return;
    }
    const auto checkpoint = m_store->checkpoint(m_job.name);
    if (!checkpoint) {
        finish(QStringLiteral("failed"),
               QStringLiteral("the sync store failed: %1").arg(checkpoint.error().toString()));
        return;
    }
    m_source->start(checkpoint.value());
    fetchNext();
}

void JobRunner::stop()
{
    m_stopping = true;
    log(QStringLiteral("stop_requested"), {});
    dropIncoming(); // pages not read yet: the next run takes them again
    pumpSends();    // drops what has not left yet
    if (!m_fetching && m_outstanding == 0 && m_running)
        finish(QStringLiteral("stopped"), QStringLiteral("stopped on request"));
}

void JobRunner::fetchNext()
{
    // Keep a bounded number of records in flight across pages; retries must not stall new pages.
    // Keep a bounded number of pages received but not yet mapped, too (four, and one on its way).
    if (m_mode != Mode::Pull || m_fetching || m_sourceDone || m_stopping || m_outstanding >= 2000 ||
        m_incoming.size() >= 4)
        return;
    m_fetching = true;
    m_source->next([this](const connect::SourcePage &page) { onPage(page); });
}

void JobRunner::onPage(const connect::SourcePage &page)
{
    m_fetching = false;
    if (!page.error.isEmpty()) {
        log(QStringLiteral("source_error"), {}, page.error, page.httpStatus, -1, QStringLiteral("warn"));
        if (page.retryable && ++m_sourceFailures < m_job.retry.maxAttempts && !m_stopping) {
            QTimer::singleShot(backoffMs(m_sourceFailures, m_job.retry, page.retryAfterMs, m_rng), this,
                               &JobRunner::fetchNext);
            return;
        }
        m_sourceFailures = 0;
        m_sourceDone = true;
        m_failure = QStringLiteral("the source failed: %1").arg(page.error);
        settlePages();
        return;
    }
    m_sourceFailures = 0;
    for (const QString &problem : page.problems)
        log(QStringLiteral("unreadable"), {}, problem, 0, -1, QStringLiteral("warn"));
    auto state = std::make_shared<Page>();
    state->fromSource = true;
    state->checkpoint = m_source->checkpoint();
    state->last = page.last;
    m_sourceDone = page.last;
    Incoming in{state, page.records, 0, {}};
    in.items.reserve(page.records.size());
    m_incoming.push_back(std::move(in));
    fetchNext(); // on its way while this page is mapped
    scheduleProcessing();
}

void JobRunner::scheduleProcessing()
{
    if (m_processScheduled || m_incoming.empty())
        return;
    m_processScheduled = true;
    QMetaObject::invokeMethod(this, &JobRunner::processIncoming, Qt::QueuedConnection);
}

void JobRunner::dropIncoming()
{
    // Not read whole yet: the next run takes these pages again (their checkpoints were never saved).
    for (const Incoming &in : m_incoming)
        for (const Item &item : in.items)
            log(QStringLiteral("abandoned"), item.sourceId, QStringLiteral("stopping before it was sent"));
    m_incoming.clear();
}

void JobRunner::processIncoming()
{
    m_processScheduled = false;
    if (m_incoming.empty() || !m_running)
        return;
    if (m_stopping) {
        dropIncoming();
        settlePages();
        return;
    }
    constexpr qsizetype slice = 25; // records per turn of the event loop
    Incoming &in = m_incoming.front();
    const qsizetype end = std::min(in.records.size(), in.next + slice);
    for (; in.next < end; ++in.next) {
        Item item;
        if (makeItem(in.records.at(in.next), 0, item))
            in.items.append(std::move(item));
    }
    if (in.next == in.records.size()) {
        Incoming done = std::move(in);
        m_incoming.pop_front();
        process(std::move(done.items), done.page);
        fetchNext();
    }
    scheduleProcessing();
}

bool JobRunner::makeItem(const QByteArray &json, qint64 inboxId, Item &item, qint64 signedAt)
{
    ++m_counts.received;
    QString unreadable;
    const bool readable = m_parser.parse(json, &unreadable);
    const mapping::MappedRecord mapped = readable ? m_mapping->map(m_parser.record()) : mapping::MappedRecord();
    item.sourceId = mapped.sourceId.isEmpty() ? QStringLiteral("#%1").arg(m_counts.received) : mapped.sourceId;
    item.sourceJson = json;
    item.inboxId = inboxId;
    {
        log::LogEvent received;
        received.runId = m_runId;
        received.job = m_job.name;
        received.recordId = item.sourceId;
        received.event = QStringLiteral("received");
        received.snippetUtf8 = item.sourceJson; // shared, not copied; the log keeps its first 300 bytes
        m_log->write(std::move(received));
    }
    if (!readable) {
        ++m_counts.fieldErrors;
        deadLetter(item, store::DeadLetterClass::Field, 0,
                   QStringLiteral("the record is not a JSON object: %1").arg(unreadable));
        if (inboxId)
            m_results.inboxProcessed(inboxId);
        return false;
    }
    if (!mapped.ok()) {
        QStringList why;
        for (const mapping::FieldError &e : mapped.errors)
            why.append(QStringLiteral("%1: %2").arg(e.field, e.message));
        item.mapped = mapped.json();
        ++m_counts.fieldErrors;
        deadLetter(item, store::DeadLetterClass::Field, 0, why.join(QLatin1String("; ")));
        if (inboxId)
            m_results.inboxProcessed(inboxId);
        return false;
    }
    item.mapped = mapped.json();
    item.hash = contentHash(item.mapped);
    // Its version: the source's own modification time when the record carries one, else the time the
    // vendor signed the webhook event with.
    if (!m_versionField.isEmpty())
        item.version = recordVersionMs(m_parser.record().value(m_versionPath));
    if (item.version == 0 && signedAt > 0)
        item.version = signedAt * 1000;
    if (m_externalIdField < 0 || !mapping::scalarText(mapped.value(m_externalIdField), item.externalId))
        item.externalId = item.sourceId;
    if (item.externalId.isEmpty())
        item.externalId = item.sourceId;
    log(QStringLiteral("mapped"), item.sourceId);
    return true;
}

void JobRunner::process(QList<Item> items, std::shared_ptr<Page> page)
{
    QStringList ids;
    for (const Item &item : items)
        ids.append(item.sourceId);
    const auto ledger = m_store->ledger(m_job.name, ids);
    if (!ledger) {
        // Without the ledger a record cannot be told new from delivered: nothing of this page goes out
        // (the next run takes it again).
        for (const Item &item : std::as_const(items))
            log(QStringLiteral("abandoned"), item.sourceId, QStringLiteral("the ledger could not be read"));
        storeLost(ledger.error());
        return;
    }
    // Two versions of one record together (a page, an inbox drain): only the newest may go.
    QHash<QString, qint64> newest;
    for (const Item &item : std::as_const(items))
        if (item.version != 0) {
            qint64 &v = newest[item.sourceId];
            v = std::max(v, item.version);
        }
    QList<std::shared_ptr<Item>> toSend;
    for (Item &item : items) {
        const store::LedgerEntry entry = ledger->value(item.sourceId);
        if (item.version != 0 && item.version < newest.value(item.sourceId)) {
            ++m_counts.skipped;
            log(QStringLiteral("skipped"), item.sourceId,
                QStringLiteral("older than a version received with it (%1 < %2)")
                    .arg(versionText(item.version), versionText(newest.value(item.sourceId))));
            if (item.inboxId)
                m_results.inboxProcessed(item.inboxId);
            continue;
        }
        if (item.version != 0 && entry.version != 0 && item.version < entry.version) {
            // A late page, a delayed or replayed webhook: sending it would revert the newer record.
            ++m_counts.skipped;
            log(QStringLiteral("skipped"), item.sourceId,
                QStringLiteral("older than the version delivered (%1 < %2)%3")
                    .arg(versionText(item.version), versionText(entry.version),
                         entry.destinationId.isEmpty() ? QString() : QStringLiteral(" as ") + entry.destinationId));
            if (item.inboxId)
                m_results.inboxProcessed(item.inboxId);
            continue;
        }
        if (entry.state == store::LedgerEntry::State::Done && entry.contentHash == item.hash) {
            ++m_counts.skipped;
            log(QStringLiteral("skipped"), item.sourceId,
                QStringLiteral("unchanged since it was delivered as %1").arg(entry.destinationId));
            if (item.inboxId)
                m_results.inboxProcessed(item.inboxId);
            continue;
        }
        item.destinationId = entry.destinationId;
        if (!item.destinationId.isEmpty() && !m_sink->canUpdate()) {
            // The destination holds it and can only be sent new records: a send would be a second one.
            deadLetter(item, store::DeadLetterClass::UpdateUnsupported, 0,
                       QStringLiteral("the record changed, but connection \"%1\" can only create records (it has no "
                                      "update_url to change one by id): it is at the destination as %2 and was not "
                                      "sent again, which would create a second one; update it there by hand, or "
                                      "give the connection an update_url")
                           .arg(m_job.sink, item.destinationId));
            if (item.inboxId)
                m_results.inboxProcessed(item.inboxId);
            continue;
        }
        // An intent without an outcome: the last run stopped between the call and its answer.
        item.needsLookup = entry.state == store::LedgerEntry::State::Intent && entry.destinationId.isEmpty();
        m_results.intent(m_job.name, item.sourceId, item.hash);
        item.intentBatch = m_batchNumber;
        item.page = page;
        toSend.append(std::make_shared<Item>(std::move(item)));
    }
    page->pending = int(toSend.size());
    m_pages.push_back(page);
    // The intents are durable before any call goes out: committed now, in one transaction with the
    // outcomes that were waiting for the next group commit. (When the store refuses them, pumpSends
    // lets none of these records go.)
    flush();
    m_outstanding += toSend.size();
    for (const auto &item : std::as_const(toSend))
        m_sendQueue.push_back(item);
    pumpSends();
    settlePages();
}

void JobRunner::enqueue(std::shared_ptr<Item> item)
{
    m_sendQueue.push_back(std::move(item));
    pumpSends();
}

void JobRunner::pumpSends()
{
    // The one place calls to the vendor start from: a record goes only once its intent is committed.
    const bool batching = m_job.batch && m_sink->supportsBatch();
    const int window = batching ? m_window * m_sink->batchSize() : m_window;
    while (!m_sendQueue.empty() && (m_stopping || m_active < window)) {
        if (!m_stopping && batching && !m_sendQueue.front()->needsLookup &&
            m_sendQueue.front()->destinationId.isEmpty() && mayCall(*m_sendQueue.front())) {
            QList<std::shared_ptr<Item>> group;
            while (group.size() < m_sink->batchSize() && !m_sendQueue.empty() && !m_sendQueue.front()->needsLookup &&
                   m_sendQueue.front()->destinationId.isEmpty() && mayCall(*m_sendQueue.front())) {
                group.append(m_sendQueue.front());
                m_sendQueue.pop_front();
            }
            m_active += int(group.size());
            deliverBatch(group);
            continue;
        }
        std::shared_ptr<Item> item = m_sendQueue.front();
        m_sendQueue.pop_front();
        if (m_stopping || !mayCall(*item)) {
            abandon(item, m_storeLost ? QStringLiteral("the store failed before it was sent")
                                      : QStringLiteral("stopping before it was sent"));
            continue;
        }
        ++m_active;
        send(item);
    }
}

bool JobRunner::mayCall(const Item &item) const
{
    return !m_storeLost && item.intentBatch != 0 && item.intentBatch <= m_durableBatch;
}

void JobRunner::abandon(const std::shared_ptr<Item> &item, const QString &why)
{
    log(QStringLiteral("abandoned"), item->sourceId, why);
    // Never sent: the next run takes it from the start, with nothing to look up.
    if (item->destinationId.isEmpty() && !item->needsLookup && !item->lastUnknown)
        m_results.forget(m_job.name, item->sourceId);
    --m_outstanding;
    if (item->page && --item->page->pending == 0)
        settlePages();
}

void JobRunner::send(std::shared_ptr<Item> item)
{
    if (!item->needsLookup) {
        deliver(item);
        return;
    }
    ++m_counts.lookedUp;
    m_sink->find(item->externalId,
                 [this, item](bool found, const QString &destinationId, const connect::DeliveryResult &failure) {
                     if (!failure.message.isEmpty()) {
                         onResult(item, failure, -1);
                         return;
                     }
                     log(QStringLiteral("looked_up"), item->sourceId,
                         found ? QStringLiteral("already at the destination as %1: not sent again").arg(destinationId)
                               : QStringLiteral("not at the destination: sending"));
                     if (found) {
                         connect::DeliveryResult done;
                         done.outcome = connect::DeliveryResult::Outcome::Created;
                         done.destinationId = destinationId;
                         onResult(item, done, -1);
                         return;
                     }
                     if (m_stopping) { // nothing more goes out: the next run looks it up again
                         --m_active;
                         abandon(item, m_storeLost ? QStringLiteral("the store failed before it was sent")
                                                   : QStringLiteral("stopping before it was sent"));
                         return;
                     }
                     item->needsLookup = false;
                     deliver(item);
                 });
}

void JobRunner::deliver(std::shared_ptr<Item> item)
{
    ++m_counts.inFlight;
    const qint64 started = m_clock.elapsed();
    const QString requestId = QStringLiteral("%1-%2").arg(m_runId).arg(++m_requests);
    m_sink->deliver({item->sourceId, item->externalId, item->destinationId, item->mapped, requestId},
                    [this, item, started, requestId](const connect::DeliveryResult &result) {
                        --m_counts.inFlight;
                        log(QStringLiteral("sent"), item->sourceId, result.succeeded() ? QString() : result.message,
                            result.httpStatus, m_clock.elapsed() - started, QStringLiteral("info"), requestId);
                        onResult(item, result, m_clock.elapsed() - started);
                    });
}

void JobRunner::deliverBatch(const QList<std::shared_ptr<Item>> &group)
{
    QList<connect::SinkRecord> records;
    records.reserve(group.size());
    const QString requestId = QStringLiteral("%1-%2").arg(m_runId).arg(++m_requests);
    for (const auto &item : group)
        records.append({item->sourceId, item->externalId, item->destinationId, item->mapped, requestId});
    m_counts.inFlight += group.size();
    const qint64 started = m_clock.elapsed();
    m_sink->deliverBatch(records, [this, group, started, requestId](const QList<connect::DeliveryResult> &results) {
        m_counts.inFlight -= group.size();
        const qint64 ms = m_clock.elapsed() - started;
        const QString inBatch = QStringLiteral("in a batch of %1").arg(group.size());
        for (qsizetype i = 0; i < group.size(); ++i) {
            const connect::DeliveryResult &r = results.at(i);
            log(QStringLiteral("sent"), group.at(i)->sourceId,
                r.succeeded() ? inBatch : inBatch + QStringLiteral(": ") + r.message, r.httpStatus, ms,
                QStringLiteral("info"), requestId);
            onResult(group.at(i), r, ms);
        }
    });
}

void JobRunner::onResult(std::shared_ptr<Item> item, const connect::DeliveryResult &result, qint64)
{
    using O = connect::DeliveryResult::Outcome;
    --m_active;
    noteReachability(result);
    if (!m_pumpScheduled) { // one pump for all the results that arrive together
        m_pumpScheduled = true;
        QTimer::singleShot(0, this, [this] {
            m_pumpScheduled = false;
            pumpSends();
        });
    }
    const bool alreadyThere = result.duplicate && !result.destinationId.isEmpty();
    if (result.succeeded() || alreadyThere) {
        const QString destination = result.destinationId.isEmpty() ? item->destinationId : result.destinationId;
        m_results.done(m_job.name, item->sourceId, destination, item->hash, item->version);
        // A 409 naming the record after a lost answer: the earlier attempt created it.
        const bool created = result.outcome == O::Created || (alreadyThere && item->destinationId.isEmpty());
        (created ? m_counts.created : m_counts.updated)++;
        log(QStringLiteral("delivered"), item->sourceId, QStringLiteral("as %1").arg(destination));
        if (item->deadLetterId)
            checkWrite(m_store->updateDeadLetter(item->deadLetterId, QStringLiteral("resolved"),
                                                 QStringLiteral("retry"),
                                                 QStringLiteral("delivered as %1").arg(destination)));
        settle(*item);
        return;
    }
    item->lastUnknown = item->lastUnknown || result.outcomeUnknown;
    if (result.outcome == O::Retryable && item->attempts + 1 < m_job.retry.maxAttempts && !m_stopping) {
        ++item->attempts;
        ++m_counts.retried;
        item->needsLookup = item->needsLookup || (result.outcomeUnknown && item->destinationId.isEmpty());
        const qint64 delay = backoffMs(item->attempts, m_job.retry, result.retryAfterMs, m_rng);
        log(QStringLiteral("retrying"), item->sourceId,
            QStringLiteral("attempt %1 in %2 ms: %3").arg(item->attempts + 1).arg(delay).arg(result.message),
            result.httpStatus, -1, QStringLiteral("warn"));
        QTimer::singleShot(delay, this, [this, item] { enqueue(item); });
        return;
    }
    if (result.outcome == O::Retryable && m_stopping) {
        // Left unsettled on purpose: its intent stays, and the next run looks it up first.
        log(QStringLiteral("abandoned"), item->sourceId, QStringLiteral("stopping; the next run will settle it"));
        --m_outstanding;
        if (item->page && --item->page->pending == 0)
            settlePages();
        return;
    }
    using C = store::DeadLetterClass;
    const C errorClass = result.outcome == O::Retryable                         ? C::Exhausted
                         : result.updateUnsupported                             ? C::UpdateUnsupported
                         : result.httpStatus == 401 || result.httpStatus == 403 ? C::Auth
                         : result.duplicate                                     ? C::Duplicate
                                                                                : C::Permanent;
    // Retries that ended without an answer to an earlier attempt: the record may well be there (a
    // destination that went away between storing it and answering). Say so; a retry looks it up first.
    const bool mayHaveArrived =
        errorClass == C::Exhausted && (item->needsLookup || item->lastUnknown) && item->destinationId.isEmpty();
    deadLetter(*item, errorClass, result.httpStatus,
               mayHaveArrived ? QStringLiteral("it may have arrived (an earlier attempt's answer was lost; a retry "
                                               "looks it up before sending): %1")
                                    .arg(result.message)
                              : result.message);
    if (!item->destinationId.isEmpty())
        m_results.done(m_job.name, item->sourceId, item->destinationId, {}); // known there; resend the change next time
    else if (!item->lastUnknown)
        m_results.forget(m_job.name, item->sourceId);
    settle(*item);
}

void JobRunner::noteReachability(const connect::DeliveryResult &result)
{
    if (result.unreachable) {
        ++m_counts.refused;
        if (m_outageSince < 0) {
            m_outageSince = m_clock.elapsed();
            ++m_counts.outages;
            m_counts.unreachableNow = true;
            log(QStringLiteral("destination_unreachable"), {},
                QStringLiteral("connection \"%1\" cannot be reached: %2").arg(m_job.sink, result.message), 0, -1,
                QStringLiteral("warn"));
        }
        return;
    }
    if (m_outageSince < 0 || (result.httpStatus == 0 && !result.succeeded()))
        return; // no outage, or no answer either (a dropped connection): not over yet
    const qint64 lasted = m_clock.elapsed() - m_outageSince;
    m_counts.unreachableMs += lasted;
    m_counts.unreachableNow = false;
    m_outageSince = -1;
    log(QStringLiteral("destination_reachable"), {},
        QStringLiteral("connection \"%1\" answers again after %2 ms unreachable (%3 calls refused in this run)")
            .arg(m_job.sink)
            .arg(lasted)
            .arg(m_counts.refused));
}

void JobRunner::deadLetter(const Item &item, store::DeadLetterClass errorClass, int status, const QString &message)
{
    ++m_counts.deadLettered;
    store::DeadLetter d;
    d.job = m_job.name;
    d.sourceId = item.sourceId;
    d.runId = m_runId;
    d.sourceRecord = item.sourceJson;
    d.mappedRecord = item.mapped;
    d.mappingRevision = m_document.revision;
    d.errorClass = store::deadLetterClassName(errorClass);
    d.httpStatus = status;
    d.message = message;
    d.attempts = item.attempts + 1;
    if (item.deadLetterId)
        checkWrite(m_store->deadLetterFailedAgain(item.deadLetterId, d)); // the letter shows the latest failure
    else
        m_results.deadLetter(d); // one open letter per (job, source id, class): a copy updates it
    log(QStringLiteral("dead_lettered"), item.sourceId, QStringLiteral("%1: %2").arg(d.errorClass, message), status, -1,
        QStringLiteral("error"));
}

void JobRunner::settle(const Item &item)
{
    if (item.inboxId)
        m_results.inboxProcessed(item.inboxId);
    --m_outstanding;
    if (item.page && --item.page->pending == 0)
        settlePages();
    else
        commitSoon();
    fetchNext();
}

void JobRunner::commitSoon()
{
    // Group commit: outcomes wait for the next page's intents or the timer a few ms later, unless
    // enough of them have gathered.
    if (m_results.size() >= 256)
        flush();
    else if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void JobRunner::settlePages()
{
    bool settledAny = false;
    while (!m_pages.empty() && m_pages.front()->pending == 0) {
        const std::shared_ptr<Page> page = m_pages.front();
        m_pages.pop_front();
        if (page->fromSource && !m_stopping)
            m_results.checkpoint(m_job.name, page->checkpoint);
        settledAny = true;
    }
    // The checkpoint goes with the next group commit, in one transaction with the outcomes before it
    // (a commit of its own per page was half the store's commits in batch runs).
    if (settledAny)
        commitSoon();
    reportProgress();
    if (m_running && m_pages.empty() && m_outstanding == 0 && !m_fetching && m_incoming.empty()) {
        if (m_mode == Mode::Inbox && !m_stopping && m_failure.isEmpty() && m_sourceDone == false) {
            drainInbox();
            return;
        }
        if (m_sourceDone || m_stopping || !m_failure.isEmpty())
            finish(!m_failure.isEmpty() ? QStringLiteral("failed")
                   : m_stopping         ? QStringLiteral("stopped")
                                        : QStringLiteral("completed"),
                   m_failure);
    }
}

bool JobRunner::flush()
{
    m_flushTimer.stop();
    if (!m_store)
        return false;
    if (!m_results.isEmpty()) {
        // All or nothing (one transaction): what the store refused is kept, in order, and tried again
        // with the next commit, so no outcome is dropped and no checkpoint passes one.
        if (auto committed = m_store->commit(m_results); !committed) {
            if (!m_storeLost)
                storeLost(committed.error());
            return false;
        }
        m_results = {};
    }
    m_durableBatch = m_batchNumber++;
    return !m_storeLost;
}

void JobRunner::checkWrite(const Expected<bool> &written)
{
    if (!written && !m_storeLost)
        storeLost(written.error());
}

void JobRunner::storeLost(const Error &error)
{
    m_storeLost = true;
    log(QStringLiteral("store_error"), {}, error.toString(), 0, -1, QStringLiteral("error"));
    if (m_failure.isEmpty())
        m_failure = QStringLiteral("the sync store failed, so nothing more was sent (the next run settles what was "
                                   "in flight): %1")
                        .arg(error.toString());
    if (!m_running)
        return;
    m_stopping = true; // nothing more is fetched or sent; requests in flight settle
    dropIncoming();
    pumpSends();
    // Settled on the next turn: the caller (a commit inside process() or settle()) finishes its step first.
    QMetaObject::invokeMethod(this, &JobRunner::settlePages, Qt::QueuedConnection);
}

void JobRunner::reportProgress()
{
    if (m_progress.mayReport(m_clock.isValid() ? m_clock.elapsed() : 0)) {
        emitProgress();
        return;
    }
    if (!m_progressTimer.isActive()) // the latest counts go out as soon as a report is due
        m_progressTimer.start(int(m_progress.msUntilReport()));
}

void JobRunner::emitProgress()
{
    m_progressTimer.stop();
    m_progress.reported(m_clock.isValid() ? m_clock.elapsed() : 0);
    Q_EMIT progress(currentProgress());
}

RunProgress JobRunner::currentProgress()
{
    RunProgress p = m_progress.measure(m_clock.isValid() ? m_clock.elapsed() : 0, m_counts, m_outageSince);
    if (!m_sinkConnection)
        return p;
    const RateLimiter &limiter = m_sinkConnection->limiter();
    p.budget = ProgressMeter::tightestBudget(limiter.snapshot(), m_sinkWindows);
    // The remaining work is known once the source has handed over its last record: what is still
    // queued, in flight or waiting to retry.
    if (m_sourceDone && m_mode == Mode::Pull) {
        qint64 notYetMapped = 0;
        for (const Incoming &in : m_incoming)
            notYetMapped += in.records.size() - in.next;
        const qint64 remaining = std::max<qint64>(0, m_outstanding) + notYetMapped;
        const bool batching = m_job.batch && m_sink && m_sink->supportsBatch();
        const qint64 calls = batching ? (remaining + m_sink->batchSize() - 1) / m_sink->batchSize() : remaining;
        p.etaMs = m_progress.etaMs(remaining, limiter.estimateMs(calls));
    }
    return p;
}

void JobRunner::drainInbox()
{
    // The events just settled are marked processed before the inbox is read again: read first, they
    // were taken a second time (an extra lookup per create, an extra PUT per update).
    if (!flush())
        return;
    const auto pending = m_store->inboxPending(m_job.name, 500);
    if (!pending) {
        storeLost(pending.error());
        return;
    }
    if (pending->isEmpty()) {
        m_sourceDone = true;
        settlePages();
        return;
    }
    QList<Item> items;
    for (const store::InboxEvent &event : pending.value()) {
        QByteArray record = event.body;
        if (!m_job.trigger.recordPath.isEmpty()) {
            const QJsonObject body = QJsonDocument::fromJson(event.body).object();
            record = QJsonDocument(body.value(m_job.trigger.recordPath).toObject()).toJson(QJsonDocument::Compact);
        }
        Item item;
        if (makeItem(record, event.id, item, event.signedAt))
            items.append(std::move(item));
    }
    process(std::move(items), std::make_shared<Page>());
}

void JobRunner::retryDeadLetters(const QList<qint64> &ids, bool remap, const QString &mappingPath)
{
    // A run of its own: the run that made these letters keeps its counts, and this one reports its own.
    if (!beginRun(Mode::Inbox)) // nothing to fetch: just these records
        return;
    m_sourceDone = true;
    if (QString why; remap && !loadMapping(&why, mappingPath)) {
        finish(QStringLiteral("failed"), why);
        return;
    }
    const QString mappingFile = QFileInfo(remap ? m_mappingPath : m_job.mapping).fileName();
    log(QStringLiteral("run_started"), {},
        remap ? QStringLiteral("retry of %1 dead letter(s): %2 → %3 with %4 (revision %5)")
                    .arg(ids.size())
                    .arg(m_job.source, m_job.sink, mappingFile)
                    .arg(m_document.revision)
              : QStringLiteral("retry of %1 dead letter(s) as edited: → %2").arg(ids.size()).arg(m_job.sink));
    const QString how =
        remap ? QStringLiteral("re-mapped with %1 (revision %2)").arg(mappingFile).arg(m_document.revision)
              : QStringLiteral("sent as edited");
    QList<Item> items;
    for (qint64 id : ids) {
        const auto letter = m_store->deadLetter(id);
        if (!letter)
            continue;
        Item item;
        item.deadLetterId = id; // a failure updates this letter instead of adding another
        if (remap) {
            if (!makeItem(letter->sourceRecord, 0, item))
                continue;
        } else {
            ++m_counts.received;
            item.sourceId = letter->sourceId;
            item.sourceJson = letter->sourceRecord;
            item.mapped = letter->mappedRecord;
            item.hash = contentHash(item.mapped);
            item.externalId = item.sourceId;
        }
        item.deadLetterId = id;
        checkWrite(m_store->updateDeadLetter(id, QStringLiteral("retrying"), QStringLiteral("retry"), how));
        items.append(std::move(item));
    }
    process(std::move(items), std::make_shared<Page>());
}

void JobRunner::finish(const QString &asked, const QString &why)
{
    if (!m_running)
        return;
    m_running = false;
    m_incoming.clear();
    QString status = asked, message = why;
    if (!flush() && status != QLatin1String("failed")) { // the last outcomes did not reach the store
        status = QStringLiteral("failed");
        message = m_failure;
    }
    if (m_outageSince >= 0) { // still unreachable when the run ended
        m_counts.unreachableMs += m_clock.elapsed() - m_outageSince;
        m_outageSince = -1;
    }
    emitProgress(); // the last counts, whatever the throttle says
    if (const auto recorded =
            m_store->finishRun(m_runId, status, m_counts.toJson(), QDateTime::currentMSecsSinceEpoch());
        !recorded)
        log(QStringLiteral("store_error"), {}, recorded.error().toString(), 0, -1, QStringLiteral("error"));
    log(QStringLiteral("run_finished"), {},
        QStringLiteral("%1 in %2 ms: %3")
            .arg(status)
            .arg(m_clock.elapsed())
            .arg(QString::fromUtf8(QJsonDocument(m_counts.toJson()).toJson(QJsonDocument::Compact))),
        0, m_clock.elapsed(), status == QLatin1String("failed") ? QStringLiteral("error") : QStringLiteral("info"));
    m_log->flush();
    // The reason goes on to the studio's run panel and transom-run's summary: a vendor's words may
    // quote a token or a key.
    Q_EMIT finished(status, message.isEmpty() ? message : log::redactor().redact(message));
}

} // namespace transom::sync
