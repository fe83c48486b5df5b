#include "core/connect/restsource.h"

#include "core/common/jsonlocator.h"
#include "core/common/utf8check.h"
#include "core/connect/responseclassifier.h"
#include "core/mapping/rule.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QUrlQuery>

#include <algorithm>

namespace transom::connect {

namespace {

/// The common shape of a feed's timestamps, read without QDateTime: "YYYY-MM-DDTHH:MM:SS", optional
/// fraction, then "Z" or a "+HH:MM" / "-HH:MM" offset. Anything else (no zone: local time to Qt) is
/// left to QDateTime; false then.
bool parseIsoWithZone(std::string_view t, qint64 &msecs)
{
    auto digits = [&t](std::size_t at, std::size_t n, int &out) {
        if (at + n > t.size())
            return false;
        out = 0;
        for (std::size_t i = at; i < at + n; ++i) {
            const unsigned d = unsigned(t[i]) - '0';
            if (d > 9)
                return false;
            out = out * 10 + int(d);
        }
        return true;
    };
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (t.size() < 20 || !digits(0, 4, year) || t[4] != '-' || !digits(5, 2, month) || t[7] != '-' ||
        !digits(8, 2, day) || t[10] != 'T' || !digits(11, 2, hour) || t[13] != ':' || !digits(14, 2, minute) ||
        t[16] != ':' || !digits(17, 2, second))
        return false;
    std::size_t at = 19;
    int ms = 0;
    if (t[at] == '.') { // milliseconds at most: finer fractions are QDateTime's to round
        std::size_t n = 0;
        for (++at; at < t.size() && unsigned(t[at]) - '0' <= 9; ++at, ++n)
            ms = ms * 10 + (t[at] - '0');
        if (n == 0 || n > 3)
            return false;
        for (; n < 3; ++n)
            ms *= 10;
    }
    int offsetMinutes = 0;
    if (at + 1 == t.size() && t[at] == 'Z') {
        // UTC
    } else if (at + 6 == t.size() && (t[at] == '+' || t[at] == '-') && t[at + 3] == ':') {
        int oh = 0, om = 0;
        if (!digits(at + 1, 2, oh) || !digits(at + 4, 2, om) || oh > 23 || om > 59)
            return false;
        offsetMinutes = (t[at] == '-' ? -1 : 1) * (oh * 60 + om);
    } else {
        return false;
    }
    if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59 || day < 1 ||
        day > QDate(year, month, 1).daysInMonth())
        return false;
    msecs = (QDate(year, month, day).toJulianDay() - 2440588) * 86400000LL +
            qint64(((hour * 60 + minute) * 60 + second)) * 1000 + ms - qint64(offsetMinutes) * 60000;
    return true;
}

} // namespace

QDateTime feedTime(const mapping::Value &v)
{
    if (qint64 ms = 0; v.isUtf8() && parseIsoWithZone(v.utf8(), ms))
        return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
    QDateTime t = QDateTime::fromString(v.toString(), Qt::ISODateWithMs);
    if (!t.isValid() && v.isDouble())
        t = QDateTime::fromMSecsSinceEpoch(qint64(v.toDouble() * 1000), Qt::UTC);
    return t.toUTC();
}

namespace {

QString isoUtc(const QDateTime &t)
{
    return t.toUTC().toString(Qt::ISODateWithMs);
}

/// "https://api.example.com:443": what a next link must keep of the connection's URL.
QString originOf(const QUrl &url)
{
    const int defaultPort = url.scheme() == QLatin1String("https")  ? 443
                            : url.scheme() == QLatin1String("http") ? 80
                                                                    : -1;
    return QStringLiteral("%1://%2:%3").arg(url.scheme(), url.host()).arg(url.port(defaultPort));
}

void setParam(QUrl &url, const QString &key, const QString &value)
{
    QUrlQuery q(url);
    q.removeAllQueryItems(key);
    q.addQueryItem(key, QString::fromLatin1(QUrl::toPercentEncoding(value)));
    url.setQuery(q);
}

} // namespace

RestSource::RestSource(RestSourceSettings settings, auth::AuthorizedClient &client)
    : m_settings(std::move(settings)), m_client(client)
{
    if (!m_settings.recordsPath.isEmpty())
        m_recordsPath = mapping::FieldPath::parse(m_settings.recordsPath).value();
    if (auto p = mapping::FieldPath::parse(m_settings.cursorPath))
        m_cursorPath = p.value();
    if (auto p = mapping::FieldPath::parse(m_settings.nextLinkPath))
        m_nextLinkPath = p.value();
    // Plain keys of the record, whatever characters they hold.
    auto key = [](const QString &name) {
        QString quoted = name;
        quoted.replace(QLatin1Char('\\'), QLatin1String("\\\\")).replace(QLatin1Char('"'), QLatin1String("\\\""));
        auto path = mapping::FieldPath::parse(QStringLiteral("[\"%1\"]").arg(quoted));
        return path ? path.value() : mapping::FieldPath();
    };
    if (!m_settings.watermarkField.isEmpty())
        m_watermarkPath = key(m_settings.watermarkField);
    if (!m_settings.idField.isEmpty())
        m_idPath = key(m_settings.idField);
}

void RestSource::start(const QJsonObject &checkpoint)
{
    m_startWatermark = feedTime(mapping::Value(checkpoint.value(QLatin1String("watermark"))));
    m_newWatermark = m_startWatermark;
    m_windowSeen.clear();
    m_windowNext.clear();
    m_startAfterId = keyset() ? checkpoint.value(QLatin1String("after_id")).toString() : QString();
    m_lastTime = {};
    m_lastId.clear();
    m_checkpointDirty = true;
    // The window: [id, time, id, time, ...] (an object {id: time} before 0.9, still read).
    const QJsonValue window = checkpoint.value(QLatin1String("window"));
    auto seen = [this](const QString &id, const QJsonValue &stamp) {
        m_windowSeen.insert(id, {stamp.toString(), feedTime(mapping::Value(stamp)).toMSecsSinceEpoch()});
    };
    if (window.isArray()) {
        const QJsonArray flat = window.toArray();
        m_windowSeen.reserve(flat.size() / 2);
        for (qsizetype i = 0; i + 1 < flat.size(); i += 2)
            seen(flat.at(i).toString(), flat.at(i + 1));
    } else {
        const QJsonObject byId = window.toObject();
        for (auto it = byId.begin(); it != byId.end(); ++it)
            seen(it.key(), it.value());
    }
    m_done = false;
    m_linkRefused.clear();
    ++m_generation;
    m_ahead = {};
    m_offset = 0;
    m_page = 1;
    m_nextUrl = firstPageUrl();
}

QUrl RestSource::firstPageUrl() const
{
    QUrl url = m_settings.url;
    using P = RestSourceSettings::Paging;
    if (m_settings.paging != P::None && !m_settings.pageSizeParam.isEmpty())
        setParam(url, m_settings.pageSizeParam, QString::number(m_settings.pageSize));
    if (m_settings.paging == P::Offset)
        setParam(url, m_settings.offsetParam, QStringLiteral("0"));
    if (m_settings.paging == P::Page)
        setParam(url, m_settings.pageParam, QStringLiteral("1"));
    if (m_startWatermark.isValid() && !m_startAfterId.isEmpty()) {
        // Right after the last record read: nothing asked for twice, no overlap needed.
        setParam(url, m_settings.sinceParam, isoUtc(m_startWatermark));
        setParam(url, m_settings.afterIdParam, m_startAfterId);
    } else if (m_startWatermark.isValid()) {
        const QString since = isoUtc(m_startWatermark.addSecs(-m_settings.overlapSeconds));
        if (!m_settings.sinceParam.isEmpty())
            setParam(url, m_settings.sinceParam, since);
        if (!m_settings.sinceFilterParam.isEmpty())
            setParam(url, m_settings.sinceFilterParam,
                     QString(m_settings.sinceFilter).replace(QLatin1String("{since}"), since));
    }
    return url;
}

void RestSource::next(PageReady ready)
{
    if (m_ahead.inFlight) {
        if (!m_ahead.arrived) {
            m_ahead.waiting = std::move(ready);
            return;
        }
        const net::HttpResponse response = std::move(m_ahead.response);
        m_ahead = {};
        handle(response, ready);
        return;
    }
    if (!m_linkRefused.isEmpty()) { // never asked for: the run stops here, with the reason
        SourcePage page;
        page.last = false;
        page.error = m_linkRefused;
        page.retryable = false;
        ready(page);
        return;
    }
    if (m_done) {
        ready(SourcePage{});
        return;
    }
    ++m_requests;
    m_client.send(pageRequest(),
                  [this, ready = std::move(ready)](const net::HttpResponse &response, const auth::AuthFailure &) {
                      handle(response, ready);
                  });
}

net::HttpRequest RestSource::pageRequest() const
{
    net::HttpRequest request;
    request.url = m_nextUrl;
    request.headers = {{"Accept", "application/json"}};
    request.timeoutMs = m_settings.timeoutMs;
    return request;
}

void RestSource::requestAhead()
{
    ++m_requests;
    m_ahead = {};
    m_ahead.inFlight = true;
    m_client.send(pageRequest(),
                  [this, generation = m_generation](const net::HttpResponse &response, const auth::AuthFailure &) {
                      if (generation != m_generation || !m_ahead.inFlight)
                          return; // asked for by a run that has ended
                      if (!m_ahead.waiting) {
                          m_ahead.arrived = true;
                          m_ahead.response = response;
                          return;
                      }
                      const PageReady ready = std::move(m_ahead.waiting);
                      m_ahead = {};
                      handle(response, ready);
                  });
}

void RestSource::handle(const net::HttpResponse &response, const PageReady &ready)
{
    SourcePage page;
    page.last = false;
    page.httpStatus = response.status;
    if (response.status != 200) {
        const DeliveryResult r = classifyResponse(response, QDateTime::currentMSecsSinceEpoch());
        page.error =
            response.status == 0 ? r.message : QStringLiteral("HTTP %1: %2").arg(response.status).arg(r.message);
        page.retryable = r.outcome == DeliveryResult::Outcome::Retryable;
        page.retryAfterMs = r.retryAfterMs;
        ready(page);
        return;
    }
    // Incremental feeds: records of the overlap window already delivered are left out, the others
    // move the watermark; each read from the page as parsed.
    auto keep = [this, &page](const mapping::SourceRecord &record) {
        const mapping::Value stamp = record.value(m_watermarkPath);
        QString id, stampText;
        mapping::scalarText(record.value(m_idPath), id);
        mapping::scalarText(stamp, stampText);
        const auto seen = m_windowSeen.constFind(id);
        if (!id.isEmpty() && !stampText.isEmpty() && seen != m_windowSeen.cend() && seen->text == stampText) {
            ++page.skippedAsSeen;
            return false;
        }
        const QDateTime t = feedTime(stamp);
        if (t.isValid() && (!m_newWatermark.isValid() || t > m_newWatermark))
            m_newWatermark = t;
        if (keyset()) {
            // Listed by time, then id: the last record read is where the next poll resumes.
            if (t.isValid() && !id.isEmpty() && (!m_lastTime.isValid() || t >= m_lastTime)) {
                m_lastTime = t;
                m_lastId = id;
                m_checkpointDirty = true;
            }
            return true;
        }
        if (!id.isEmpty())
            m_windowNext.insert(id, {stampText, t.isValid() ? t.toMSecsSinceEpoch() : 0});
        m_checkpointDirty = true;
        return true;
    };
    QSet<qsizetype> unreadable;
    const qsizetype recordCount = readPage(response.body, page, unreadable);
    if (recordCount < 0) {
        ready(page);
        return;
    }
    // Where the next page is, from this one's cursor, link or count: asked for before this one is read.
    advance(m_reply.record(), recordCount, page);
    if (!m_done && m_linkRefused.isEmpty())
        requestAhead();
    std::function<bool(const mapping::SourceRecord &)> filter;
    if (!m_settings.watermarkField.isEmpty())
        filter = keep;
    if (!unreadable.isEmpty()) // records come to the filter in order: leave out the unreadable ones
        filter = [&keep, &unreadable, incremental = !m_settings.watermarkField.isEmpty(),
                  index = qsizetype(0)](const mapping::SourceRecord &record) mutable {
            if (unreadable.contains(index++))
                return false;
            return !incremental || keep(record);
        };
    m_reply.recordsAt(m_recordsPath, page.records, filter);
    // Only the overlap window needs remembering: keep memory flat however long the feed.
    if (m_windowNext.size() > 256 && m_newWatermark.isValid()) {
        const qint64 windowStart = m_newWatermark.toMSecsSinceEpoch() - qint64(m_settings.overlapSeconds) * 1000;
        for (auto it = m_windowNext.begin(); it != m_windowNext.end();)
            it = it->ms < windowStart ? m_windowNext.erase(it) : std::next(it);
    }
    ready(page);
}

qsizetype RestSource::readPage(const QByteArray &raw, SourcePage &page, QSet<qsizetype> &unreadable)
{
    // Pages are read with simdjson: each record is kept as the compact text the source sent, and only
    // the fields the engine needs are ever turned into Qt values. Bytes that are not UTF-8 make their
    // record unreadable, as in a file: read as '?' (one for one, so offsets hold), the record left out
    // and reported with the offset, the rest of the page read.
    const std::vector<qsizetype> badBytes = utf8::allInvalid(raw);
    QByteArray cleaned;
    if (!badBytes.empty()) {
        cleaned = raw;
        for (const qsizetype at : badBytes)
            cleaned[at] = '?';
    }
    const QByteArray &body = badBytes.empty() ? raw : cleaned;
    QString parseError;
    const qsizetype recordCount = m_reply.parseDocument(body, &parseError) ? m_reply.countAt(m_recordsPath) : -1;
    if (recordCount >= 0 && !badBytes.empty()) {
        page.error = unreadableRecords(body, badBytes, page, unreadable);
        if (page.error.isEmpty())
            return recordCount;
        page.retryable = true; // a garbled reply may be transient
        return -1;
    }
    if (recordCount < 0) {
        if (!badBytes.empty())
            parseError = utf8::problemIn(raw, badBytes.front());
        page.error = !parseError.isEmpty()
                         ? QStringLiteral("the reply is not JSON (%1)").arg(parseError)
                         : QStringLiteral("the reply has no list at \"%1\"").arg(m_settings.recordsPath);
        page.retryable = !parseError.isEmpty(); // a garbled reply may be transient
    }
    return recordCount;
}

QString RestSource::unreadableRecords(const QByteArray &body, const std::vector<qsizetype> &badBytes, SourcePage &page,
                                      QSet<qsizetype> &unreadable) const
{
    std::vector<JsonLocator::Step> steps;
    for (const mapping::FieldPath::Segment &segment : m_recordsPath.segments())
        steps.push_back(segment.isIndex() ? JsonLocator::Step(segment.index) : JsonLocator::Step(segment.key));
    const std::vector<qsizetype> starts = JsonLocator::elementOffsets(body, steps);
    const QString where = m_nextUrl.adjusted(QUrl::RemoveQuery | QUrl::RemoveUserInfo).toString();
    for (const qsizetype at : badBytes) {
        if (starts.size() < 2 || at < starts.front() || at >= starts.back())
            return QStringLiteral("the reply holds a byte that is not UTF-8 outside its records: %1")
                .arg(utf8::problemIn(body, at));
        const qsizetype index = qsizetype(std::upper_bound(starts.begin(), starts.end(), at) - starts.begin()) - 1;
        if (unreadable.contains(index))
            continue;
        unreadable.insert(index);
        page.problems.append(
            QStringLiteral("%1: record %2 of the page: %3").arg(where).arg(index + 1).arg(utf8::problemIn(body, at)));
    }
    return {};
}

void RestSource::advance(const mapping::SourceRecord &body, qsizetype recordCount, SourcePage &page)
{
    using P = RestSourceSettings::Paging;
    switch (m_settings.paging) {
    case P::None:
        m_done = true;
        break;
    case P::Offset:
        m_offset += recordCount;
        m_done = recordCount < m_settings.pageSize;
        setParam(m_nextUrl, m_settings.offsetParam, QString::number(m_offset));
        break;
    case P::Page:
        m_done = recordCount < m_settings.pageSize;
        setParam(m_nextUrl, m_settings.pageParam, QString::number(++m_page));
        break;
    case P::Cursor: {
        const QString cursor = body.value(m_cursorPath).toString();
        m_done = cursor.isEmpty();
        if (!m_done)
            setParam(m_nextUrl, m_settings.cursorParam, cursor);
        break;
    }
    case P::NextLink: {
        const QString link = body.value(m_nextLinkPath).toString();
        m_done = link.isEmpty();
        if (m_done)
            break;
        // Every request is signed: a link that leaves the connection's scheme, host and port would
        // take the credentials with it (to another host, or down to plain HTTP). Such a link is not
        // followed; the records of this page are kept and the run stops at the next one.
        const QUrl next = m_nextUrl.resolved(QUrl(link));
        if (!next.isValid() || originOf(next) != originOf(m_settings.url) ||
            next.userInfo() != m_settings.url.userInfo()) {
            const QString shown = link.size() > 300 ? link.left(300) + QStringLiteral("…") : link;
            m_linkRefused = QStringLiteral("the feed's next link \"%1\" leads away from %2, where this connection "
                                           "sends its credentials; it was not followed (nothing was sent there)")
                                .arg(shown, originOf(m_settings.url));
        } else {
            m_nextUrl = next;
        }
        break;
    }
    }
    page.last = m_done;
}

QJsonObject RestSource::checkpoint() const
{
    if (!m_checkpointDirty)
        return m_checkpointCache;
    m_checkpointCache = buildCheckpoint();
    m_checkpointDirty = false;
    return m_checkpointCache;
}

QJsonObject RestSource::buildCheckpoint() const
{
    if (keyset() && m_lastTime.isValid())
        return {{QStringLiteral("watermark"), isoUtc(m_lastTime)}, {QStringLiteral("after_id"), m_lastId}};
    if (keyset() && m_startWatermark.isValid() && !m_startAfterId.isEmpty())
        return {{QStringLiteral("watermark"), isoUtc(m_startWatermark)}, {QStringLiteral("after_id"), m_startAfterId}};
    if (m_settings.watermarkField.isEmpty() || !m_newWatermark.isValid())
        return m_startWatermark.isValid() ? QJsonObject{{QStringLiteral("watermark"), isoUtc(m_startWatermark)}}
                                          : QJsonObject{};
    // Remember what the next poll's overlap window will show again.
    const qint64 windowStart = m_newWatermark.toMSecsSinceEpoch() - qint64(m_settings.overlapSeconds) * 1000;
    // A flat array of id and time, not an object keyed by id: a window of 40,000 records sharing one time (a bulk
    // edit) is written after every page, and building an object that size key by key cost minutes.
    QJsonArray window;
    auto keep = [&](const QHash<QString, Stamp> &seen, const QHash<QString, Stamp> *newer) {
        for (auto it = seen.cbegin(); it != seen.cend(); ++it) {
            if (it->ms >= windowStart && !(newer && newer->contains(it.key()))) {
                window.append(it.key());
                window.append(it->text);
            }
        }
    };
    keep(m_windowSeen, &m_windowNext);
    keep(m_windowNext, nullptr);
    return {{QStringLiteral("watermark"), isoUtc(m_newWatermark)}, {QStringLiteral("window"), window}};
}

} // namespace transom::connect
