#pragma once
// Chaos against the sandbox, shared by tst_chaos (5 kills) and bench_chaos (20): transom-sandbox in its
// own process with a create-only CRM that keeps duplicates, 5 % 503, 2 % 429 and 1 % lost
// acknowledgements; `transom-run run` killed with SIGKILL at random points of its progress, one run
// with a store that fills up (SQLite's max_page_count through TRANSOM_STORE_MAX_PAGES), and one restart
// of the sandbox mid-run (connections refused meanwhile; the CRM keeps its people through --state).
// Then runs again until a run completes, and counts: lost (a source lead neither at the CRM nor in dead
// letters), duplicated (two CRM people with one external id), dead letters and their reasons.

#include "core/net/httpclient.h"
#include "leadsproject.h"

#include <QDir>
#include <QElapsedTimer>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QThread>

#include <csignal>
#include <functional>

namespace transom::testing {

struct ChaosOptions {
    int leads = 3000;
    int kills = 5;
    bool batch = false;
    bool storeFull = true;
    bool sandboxRestart = true;
    quint32 seed = 16;
    int outageMs = 700;                        ///< how long the sandbox stays down across its restart
    int finalRunsAllowed = 6;                  ///< runs after the chaos until one completes
    std::function<void(const QString &)> note; ///< one line per step, when set
};

struct ChaosOutcome {
    int runs = 0;
    int kills = 0;
    int restarts = 0;
    int storeFullExit = -1;    ///< exit code of the run whose store filled up
    QByteArray storeFullError; ///< its standard error
    bool completed = false;    ///< a final run completed
    QByteArray finalOutput;    ///< that run's summary
    qint64 atCrm = 0;          ///< distinct external ids the CRM holds
    qint64 crmRows = 0;        ///< people the CRM holds
    qint64 duplicates = 0;     ///< rows beyond the first for one external id
    QStringList duplicated;    ///< the external ids the CRM holds more than once
    qint64 deadLetters = 0;    ///< open dead letters
    QHash<QString, int> lettersByClass;
    QStringList lost;                     ///< neither at the CRM nor in dead letters
    QStringList withoutReason;            ///< in dead letters, but with no class or message
    QStringList deliveredAndDeadLettered; ///< at the CRM and in dead letters both
    double seconds = 0;
    QStringList problems; ///< what went wrong in the harness itself
};

class ChaosRun {
public:
    ChaosRun(QString dir, ChaosOptions options) : m_dir(std::move(dir)), m_options(std::move(options)) {}
    ~ChaosRun() { stopSandbox(); }

    ChaosOutcome run()
    {
        QElapsedTimer clock;
        clock.start();
        m_rng.seed(m_options.seed);
        QDir().mkpath(m_dir);
        if (!startSandbox(0)) {
            m_outcome.problems.append(QStringLiteral("transom-sandbox did not start"));
            return m_outcome;
        }
        LeadsProject project{m_base};
        project.batch = m_options.batch;
        project.sinkInFlight = m_options.batch ? 2 : 16;
        // A budget of retries that outlasts the sandbox's restart (refused connections count as attempts).
        project.retry = LeadsProject::retryEvery(20, 300, 14);
        m_project = project.write(m_dir);
        m_store = m_dir + QStringLiteral("/transom.db");

        // The episodes, in order: the kills, the full store after the first of them, and the sandbox
        // restarted part way through the middle one (before its kill).
        const int kills = std::max(0, m_options.kills);
        for (int i = 0; i < kills; ++i) {
            if (i == 1 && m_options.storeFull)
                storeFullEpisode();
            killEpisode(kills - i, m_options.sandboxRestart && i == kills / 2);
        }
        if (kills < 2 && m_options.storeFull)
            storeFullEpisode();
        if (kills == 0 && m_options.sandboxRestart)
            killEpisode(1, true, false);
        for (int i = 0; i < m_options.finalRunsAllowed && !m_outcome.completed; ++i) {
            const Finished f = runToEnd({});
            say(QStringLiteral("final run %1: exit %2: %3").arg(i + 1).arg(f.exitCode).arg(summary(f)));
            m_outcome.completed = (f.exitCode == 0 || f.exitCode == 1) && f.out.contains("completed");
            m_outcome.finalOutput = f.out + f.err;
        }
        settle();
        m_outcome.seconds = double(clock.nsecsElapsed()) / 1e9;
        return m_outcome;
    }

    QString base() const { return m_base; }

private:
    struct Finished {
        int exitCode = -1; ///< -1: killed
        QByteArray out, err;
    };

    void say(const QString &line) const
    {
        if (m_options.note)
            m_options.note(line);
    }
    static QString summary(const Finished &f) { return QString::fromUtf8((f.out + f.err).trimmed()).simplified(); }

    QByteArray faultPlan(const char *endpoint) const
    {
        return QJsonDocument(QJsonObject{{QStringLiteral("endpoint"), QString::fromLatin1(endpoint)},
                                         {QStringLiteral("rate_503"), 0.05},
                                         {QStringLiteral("rate_429"), 0.02},
                                         {QStringLiteral("retry_after"), 0},
                                         {QStringLiteral("rate_lost_ack"), 0.01}})
            .toJson(QJsonDocument::Compact);
    }

    bool startSandbox(quint16 port)
    {
        m_sandbox = std::make_unique<QProcess>();
        m_sandbox->setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_sandbox->start(QStringLiteral(TRANSOM_SANDBOX_BINARY),
                         {QStringLiteral("--port"), QString::number(port), QStringLiteral("--leads"),
                          QString::number(m_options.leads), QStringLiteral("--seed"), QString::number(m_options.seed),
                          QStringLiteral("--state"), m_dir + QStringLiteral("/sandbox-state.json"),
                          QStringLiteral("--faults"), QString::fromUtf8(faultPlan("crm.people.create")),
                          QStringLiteral("--faults"), QString::fromUtf8(faultPlan("crm.people.batch"))});
        if (!m_sandbox->waitForReadyRead(60000))
            return false;
        const QByteArray line = m_sandbox->readLine().trimmed();
        m_base = QString::fromLatin1(line.mid(line.indexOf("http://")));
        m_port = quint16(QUrl(m_base).port());
        return m_port != 0;
    }

    void stopSandbox()
    {
        if (!m_sandbox)
            return;
        m_sandbox->terminate(); // SIGTERM: the sandbox writes its state and exits
        if (!m_sandbox->waitForFinished(30000))
            m_sandbox->kill();
        m_sandbox.reset();
    }

    /// The sandbox goes away (its port refuses connections) and comes back on the same port with the
    /// people its CRM had stored.
    void restartSandbox()
    {
        stopSandbox();
        QThread::msleep(ulong(m_options.outageMs));
        for (int attempt = 0; attempt < 50; ++attempt) {
            if (startSandbox(m_port)) {
                ++m_outcome.restarts;
                return;
            }
            stopSandbox();
            QThread::msleep(100); // the port may linger a moment
        }
        qFatal("transom-sandbox did not come back on port %d", m_port);
    }

    QJsonObject admin(const QString &path)
    {
        net::HttpRequest r;
        r.url = QUrl(m_base + path);
        r.timeoutMs = 60000;
        return QJsonDocument::fromJson(m_http.sendAndWait(r).body).object();
    }
    qint64 stored()
    {
        return admin(QStringLiteral("/_admin/counters")).value(QLatin1String("crm.people.stored")).toInteger(-1);
    }

    std::unique_ptr<QProcess> startRun(const QProcessEnvironment &env)
    {
        auto p = std::make_unique<QProcess>();
        if (!env.isEmpty())
            p->setProcessEnvironment(env);
        p->start(QStringLiteral(TRANSOM_RUN_BINARY), {QStringLiteral("run"), m_project});
        if (!p->waitForStarted(30000))
            qFatal("transom-run did not start");
        ++m_outcome.runs;
        return p;
    }
    static Finished finish(QProcess &p)
    {
        if (!p.waitForFinished(300000))
            qFatal("transom-run did not finish");
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
                p.readAllStandardError()};
    }
    Finished runToEnd(const QProcessEnvironment &env)
    {
        auto p = startRun(env);
        return finish(*p);
    }

    /// Waits until the CRM has stored `step` more people since `from`, or the run ended; false if it ended.
    bool progress(QProcess &p, qint64 from, qint64 step)
    {
        for (;;) {
            if (p.waitForFinished(15))
                return false;
            const qint64 now = stored();
            if (now >= 0 && now >= from + step)
                return true;
        }
    }

    /// One run of transom-run killed with SIGKILL once it has made a random part of the progress left
    /// (`episodesLeft` episodes share what remains); with `restart`, the sandbox goes down and comes
    /// back part way first.
    void killEpisode(int episodesLeft, bool restart, bool kill = true)
    {
        const qint64 before = stored();
        const qint64 share = std::max<qint64>(20, (m_options.leads - before) / (episodesLeft + 2));
        auto p = startRun({});
        bool running = progress(*p, before, 1 + qint64(m_rng.bounded(quint32(share))));
        if (running && restart) {
            say(QStringLiteral("sandbox restart at %1 stored").arg(stored()));
            restartSandbox();
            running = progress(*p, stored(), 1 + qint64(m_rng.bounded(quint32(share / 2 + 1))));
        }
        if (running && kill) {
            ::kill(pid_t(p->processId()), SIGKILL);
            ++m_outcome.kills;
        }
        const Finished f = finish(*p);
        say(QStringLiteral("run %1: %2 at %3 stored (from %4)%5")
                .arg(m_outcome.runs)
                .arg(f.exitCode == -1 ? QStringLiteral("SIGKILL") : QStringLiteral("ended %1").arg(f.exitCode))
                .arg(stored())
                .arg(before)
                .arg(f.exitCode == -1 ? QString() : QStringLiteral(": ") + summary(f)));
    }

    /// The store's size in pages now (after a kill, SQLite folds in what the write-ahead log kept).
    int storePages() const
    {
        int pages = 0;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("chaos-pages"));
            db.setDatabaseName(m_store);
            if (db.open()) {
                QSqlQuery q(db);
                if (q.exec(QStringLiteral("PRAGMA page_count")) && q.next())
                    pages = q.value(0).toInt();
            }
        }
        QSqlDatabase::removeDatabase(QStringLiteral("chaos-pages"));
        return pages;
    }

    /// One run whose store can grow only a few pages: it must stop sending and exit 2.
    void storeFullEpisode()
    {
        const int pages = storePages();
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("TRANSOM_STORE_MAX_PAGES"), QString::number(pages + 8));
        const qint64 before = stored();
        const Finished f = runToEnd(env);
        m_outcome.storeFullExit = f.exitCode;
        m_outcome.storeFullError = f.err;
        say(QStringLiteral("run %1 (store of %2 + 8 pages): exit %3 at %4 stored (from %5): %6")
                .arg(m_outcome.runs)
                .arg(pages)
                .arg(f.exitCode)
                .arg(stored())
                .arg(before)
                .arg(summary(f)));
    }

    /// Counts what arrived, what waits in dead letters, and what is neither.
    void settle()
    {
        QHash<QString, int> rows;
        const QJsonArray people = admin(QStringLiteral("/_admin/crm/people")).value(QLatin1String("people")).toArray();
        for (const QJsonValue &person : people)
            ++rows[person.toObject().value(QLatin1String("externalId")).toString()];
        m_outcome.crmRows = people.size();
        m_outcome.atCrm = rows.size();
        for (auto it = rows.cbegin(); it != rows.cend(); ++it)
            if (it.value() > 1) {
                m_outcome.duplicates += it.value() - 1;
                m_outcome.duplicated.append(it.key());
            }
        QProcess list;
        list.start(QStringLiteral(TRANSOM_RUN_BINARY),
                   {QStringLiteral("deadletters"), m_project, QStringLiteral("list"), QStringLiteral("--limit"),
                    QStringLiteral("0")});
        const Finished letters = finish(list);
        if (letters.exitCode != 0)
            m_outcome.problems.append(QStringLiteral("deadletters list: ") + summary(letters));
        QHash<QString, bool> lettered; // source id → has a class and a message
        for (const QByteArray &line : letters.out.split('\n')) {
            const QList<QByteArray> cells = line.split('\t');
            if (cells.size() < 7)
                continue;
            const QString id = QString::fromUtf8(cells.at(2));
            const bool reason = !cells.at(3).trimmed().isEmpty() && !cells.at(6).trimmed().isEmpty();
            lettered[id] = lettered.value(id) || reason;
            ++m_outcome.lettersByClass[QString::fromUtf8(cells.at(3))];
            ++m_outcome.deadLetters;
        }
        for (int i = 0; i < m_options.leads; ++i) {
            const QString id = QStringLiteral("ZL-%1").arg(100000 + i);
            const bool there = rows.contains(id);
            const auto letter = lettered.constFind(id);
            if (there && letter != lettered.cend())
                m_outcome.deliveredAndDeadLettered.append(id);
            if (!there && letter == lettered.cend())
                m_outcome.lost.append(id);
            else if (!there && !letter.value())
                m_outcome.withoutReason.append(id);
        }
    }

    QString m_dir;
    ChaosOptions m_options;
    ChaosOutcome m_outcome;
    QRandomGenerator m_rng;
    std::unique_ptr<QProcess> m_sandbox;
    QString m_base;
    quint16 m_port = 0;
    QString m_project;
    QString m_store;
    net::HttpClient m_http;
};

} // namespace transom::testing
