#include "core/sync/connectiontest.h"

#include "core/connect/responseclassifier.h"

#include <QDateTime>
#include <QEventLoop>
#include <QTimer>
#include <QUuid>

#include <optional>

namespace transom::sync {

namespace {

/// The answer of one call, waited for on a local event loop.
class Answer {
public:
    void set(Expected<QString> value)
    {
        m_value = std::move(value);
        m_loop.quit();
    }
    Expected<QString> wait(int timeoutMs)
    {
        if (!m_value) { // a callback may have run already, before there was a loop to quit
            QTimer::singleShot(timeoutMs, &m_loop, &QEventLoop::quit);
            m_loop.exec();
        }
        if (!m_value)
            return Error(QStringLiteral("no answer within %1 seconds").arg(timeoutMs / 1000));
        return *m_value;
    }

private:
    QEventLoop m_loop;
    std::optional<Expected<QString>> m_value;
};

QString failure(const net::HttpResponse &response)
{
    const connect::DeliveryResult r = connect::classifyResponse(response, QDateTime::currentMSecsSinceEpoch());
    return response.status == 0 ? r.message : QStringLiteral("HTTP %1: %2").arg(response.status).arg(r.message);
}

} // namespace

Expected<QList<QJsonObject>> fetchFirstPage(const Project &project, const QString &connectionName,
                                            const connect::PresetLibrary &presets, const SecretAccess &secrets,
                                            int timeoutMs)
{
    const ConnectionConfig *config = project.connection(connectionName);
    if (!config)
        return Error(QStringLiteral("the project has no connection \"%1\"").arg(connectionName));
    QEventLoop loop;
    std::optional<Expected<QList<QJsonObject>>> answer;
    net::HttpClient http(4);
    auto runtime = ConnectionRuntime::create(project, *config, presets, http, secrets, nullptr);
    if (!runtime)
        return runtime.error();
    if (runtime.value()->config().kind != QLatin1String("source"))
        return Error(
            QStringLiteral("connection \"%1\" is a destination: it has no records to fetch").arg(connectionName));
    auto source = runtime.value()->makeSource();
    if (!source)
        return source.error();
    source.value()->start({});
    source.value()->next([&](const connect::SourcePage &page) {
        if (!page.error.isEmpty())
            answer = Error(page.error);
        else
            answer = page.objects();
        loop.quit();
    });
    if (!answer) {
        QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
        loop.exec();
    }
    if (!answer)
        return Error(QStringLiteral("no answer within %1 seconds").arg(timeoutMs / 1000));
    return *answer;
}

Expected<QString> testConnection(const Project &project, const QString &connectionName,
                                 const connect::PresetLibrary &presets, const SecretAccess &secrets, int timeoutMs)
{
    const ConnectionConfig *config = project.connection(connectionName);
    if (!config)
        return Error(QStringLiteral("the project has no connection \"%1\"").arg(connectionName));
    Answer result; // before the client: a callback the client drops on destruction must not outlive it
    net::HttpClient http(4);
    auto runtime = ConnectionRuntime::create(project, *config, presets, http, secrets, nullptr);
    if (!runtime)
        return runtime.error();
    ConnectionRuntime &rt = *runtime.value();
    if (rt.config().kind == QLatin1String("source")) {
        const auto records = fetchFirstPage(project, connectionName, presets, secrets, timeoutMs);
        if (!records)
            return records.error();
        return records.value().size() == 1
                   ? QStringLiteral("Connected: 1 record on the first page")
                   : QStringLiteral("Connected: %1 records on the first page").arg(records.value().size());
    }
    auto sink = rt.makeSink();
    if (!sink)
        return sink.error();
    const QJsonObject settings = project.effectiveSettings(rt.config(), presets);
    if (!settings.value(QLatin1String("find_url")).toString().isEmpty()) {
        const QString probe =
            QStringLiteral("transom-connection-test-%1").arg(QUuid::createUuid().toString(QUuid::Id128));
        sink.value()->find(probe, [&result](bool found, const QString &, const connect::DeliveryResult &failed) {
            if (!failed.message.isEmpty() || (failed.httpStatus != 0 && !failed.succeeded()))
                result.set(Error(failed.httpStatus
                                     ? QStringLiteral("HTTP %1: %2").arg(failed.httpStatus).arg(failed.message)
                                     : failed.message));
            else
                result.set(found ? QStringLiteral("Connected: the destination answered a lookup")
                                 : QStringLiteral("Connected: the destination answered a lookup (no record has the "
                                                  "test id, as expected)"));
        });
        return result.wait(timeoutMs);
    }
    if (rt.config().baseUrl.isEmpty())
        return Error(QStringLiteral("connection \"%1\" has nothing to call for a test: set its base_url, or a find_url "
                                    "(a lookup by {external_id}) in its settings")
                         .arg(connectionName));
    net::HttpRequest request;
    request.url = QUrl(rt.config().baseUrl);
    request.timeoutMs = timeoutMs;
    rt.client().send(request, [&result](const net::HttpResponse &response, const auth::AuthFailure &auth) {
        if (auth.kind != auth::AuthFailure::Kind::None)
            result.set(Error(auth.message));
        else if (response.status == 0 || response.status == 401 || response.status == 403 || response.status >= 500)
            result.set(Error(failure(response)));
        else
            result.set(QStringLiteral("Connected: the server answered HTTP %1").arg(response.status));
    });
    return result.wait(timeoutMs);
}

} // namespace transom::sync
