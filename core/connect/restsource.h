#pragma once

#include "core/auth/requestsigner.h"
#include "core/connect/connector.h"
#include "core/mapping/fieldpath.h"
#include "core/mapping/sourcerecord.h"

#include <QDateTime>
#include <QHash>
#include <QSet>

#include <vector>

namespace transom::connect {

/// Settings of a REST source, as stored in a connection (no secrets here).
struct RestSourceSettings {
    enum class Paging { None, Offset, Page, Cursor, NextLink };
    QUrl url;            ///< the first page, without paging parameters
    QString recordsPath; ///< where the list is: "leads", "value", "_embedded.items"; empty = root array
    Paging paging = Paging::None;
    int pageSize = 100;
    QString pageSizeParam = QStringLiteral("limit");
    QString offsetParam = QStringLiteral("offset"); ///< Offset paging ("$skip" for OData without next links)
    QString pageParam = QStringLiteral("page");     ///< Page paging, first page 1
    QString cursorParam = QStringLiteral("cursor");
    QString cursorPath = QStringLiteral("next_cursor");
    QString nextLinkPath = QStringLiteral("@odata.nextLink"); ///< NextLink paging: "_metadata.nextLink", ...
    /// Incremental polling: the record field holding its modification time, and how to ask for
    /// changes since a time: a query parameter, or a filter expression with {since}.
    QString watermarkField;
    QString sinceParam;       ///< e.g. "updated_since"
    QString sinceFilterParam; ///< e.g. "$filter"
    QString sinceFilter;      ///< e.g. "ModificationTimestamp ge {since}"
    int overlapSeconds = 60;  ///< ask again for this much before the watermark, so equal timestamps are not missed
    QString idField;          ///< to recognise records of the overlap window already delivered
    /// Keyset resume, for feeds listed by modification time then id: the parameter that, with the
    /// changed-since one, asks for what comes after a record (e.g. "after_id"). The next poll starts
    /// exactly after the last record read, without an overlap, so a poll with nothing new costs one call
    /// however many records share one time.
    QString afterIdParam;
    int timeoutMs = 30000;

    static QList<SettingSpec> spec();
    /// Reads settings from a connection's JSON; errors name the setting.
    static Expected<RestSourceSettings> fromJson(const QJsonObject &json);
};

/// A feed's timestamp as a UTC time: ISO 8601 text as QDateTime reads it (Qt::ISODateWithMs; text
/// without a zone is local time), or a number of seconds since the epoch. Invalid when it is neither.
QDateTime feedTime(const mapping::Value &v);

/// Pulls records from a REST API page by page: offset, page number, cursor, or next link (OData
/// `@odata.nextLink`, `_metadata.nextLink`); with a watermark it polls incrementally and skips records
/// of the overlap window that an earlier poll delivered. A next link is followed only when it keeps the
/// connection URL's scheme, host and port (requests are signed); any other stops the run with an error
/// that names it, and nothing is sent there.
class RestSource final : public Source {
public:
    RestSource(RestSourceSettings settings, auth::AuthorizedClient &client);

    void start(const QJsonObject &checkpoint) override;
    void next(PageReady ready) override;
    QJsonObject checkpoint() const override;
    int requestsMade() const override { return m_requests; }

private:
    QUrl firstPageUrl() const;
    QJsonObject buildCheckpoint() const;
    void handle(const net::HttpResponse &response, const PageReady &ready);
    /// Asks for the next page while this one is read: a cursor feed is a chain of requests, and
    /// waiting for each page only after the last one was read left the engine idle a third of a bulk run.
    void requestAhead();
    net::HttpRequest pageRequest() const; ///< for the page at m_nextUrl
    void advance(const mapping::SourceRecord &body, qsizetype recordCount, SourcePage &page);
    /// Parses a page into m_reply: how many records its list holds, or -1 with page.error set. Records
    /// holding bytes that are not UTF-8 go to `unreadable` (their indices) and page.problems.
    qsizetype readPage(const QByteArray &raw, SourcePage &page, QSet<qsizetype> &unreadable);
    /// The records of the page holding `badBytes` (bytes that are not UTF-8), into `unreadable` and
    /// page.problems; an error when one lies outside the records.
    QString unreadableRecords(const QByteArray &body, const std::vector<qsizetype> &badBytes, SourcePage &page,
                              QSet<qsizetype> &unreadable) const;

    RestSourceSettings m_settings;
    auth::AuthorizedClient &m_client;
    mapping::FieldPath m_recordsPath;
    mapping::FieldPath m_cursorPath;
    mapping::FieldPath m_nextLinkPath;
    mapping::FieldPath m_watermarkPath;
    mapping::FieldPath m_idPath;
    mapping::RecordParser m_reply; ///< the current page
    QUrl m_nextUrl;
    bool m_done = false;
    QString m_linkRefused; ///< why the next link was not followed: the next page is this error
    struct Ahead {
        bool inFlight = false;
        bool arrived = false;
        net::HttpResponse response;
        PageReady waiting; ///< next() was called before it arrived
    };
    Ahead m_ahead;
    quint64 m_generation = 0; ///< a new start() leaves a page asked for earlier unread
    int m_requests = 0;
    qint64 m_offset = 0;
    int m_page = 1;
    // Incremental state: the watermark when this run started and the newest seen so far, with the ids
    // (and their timestamps) that fall inside the overlap window.
    QDateTime m_startWatermark;
    QDateTime m_newWatermark;
    struct Stamp {
        QString text; ///< as the source wrote it (compared for equality)
        qint64 ms;    ///< parsed once, for the window arithmetic
    };
    QHash<QString, Stamp> m_windowSeen;
    QHash<QString, Stamp> m_windowNext;
    // Keyset resume: the last record read (its time and id), where the next poll starts.
    QString m_startAfterId;
    QDateTime m_lastTime;
    QString m_lastId;
    bool keyset() const { return !m_settings.afterIdParam.isEmpty(); }
    // The window changes only when a record is kept: the checkpoint (taken after every page) is built
    // again only then; a re-poll of thousands of records sharing one time built it thousands of times.
    mutable QJsonObject m_checkpointCache;
    mutable bool m_checkpointDirty = true;
};

} // namespace transom::connect
