#pragma once
// The project the engine tests and benchmarks run against the sandbox vendors: portal leads → the
// person mapping (tests/data/jobs) → the CRM's people endpoint with an API key. Each test changes only
// what it is about (sink limits, retries, batches) and writes it with its 0600 credentials.

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

namespace transom::testing {

struct LeadsProject {
    explicit LeadsProject(QString vendors) : baseUrl(std::move(vendors)) {}

    QString baseUrl;
    QString job = QStringLiteral("leads");
    QJsonArray sinkWindows; ///< the CRM's rate windows on our side; empty: none
    int sinkInFlight = 4;
    int portalInFlight = 0; ///< 0: the preset's
    QJsonObject retry;      ///< empty: the defaults
    bool batch = false;
    QString store; ///< the store's path as the project names it; empty: the default (transom.db beside it)

    /// {"limit": n, "per": "second"}
    static QJsonObject window(int limit, const char *per)
    {
        return {{QStringLiteral("limit"), limit}, {QStringLiteral("per"), QString::fromLatin1(per)}};
    }
    static QJsonObject retryEvery(int baseMs, int capMs, int maxAttempts)
    {
        return {{QStringLiteral("base_ms"), baseMs},
                {QStringLiteral("cap_ms"), capMs},
                {QStringLiteral("max_attempts"), maxAttempts}};
    }

    QJsonObject jobJson() const
    {
        QJsonObject j{
            {QStringLiteral("name"), job},
            {QStringLiteral("source"), QStringLiteral("portal")},
            {QStringLiteral("sink"), QStringLiteral("crm")},
            {QStringLiteral("mapping"), QStringLiteral(TRANSOM_TEST_DATA "/jobs/portal-leads-to-crm-person.json")},
            {QStringLiteral("external_id_field"), QStringLiteral("externalId")}};
        if (!retry.isEmpty())
            j.insert(QStringLiteral("retry"), retry);
        if (batch)
            j.insert(QStringLiteral("batch"), true);
        return j;
    }

    QJsonObject json() const
    {
        QJsonObject portalLimits{{QStringLiteral("windows"), QJsonArray{}}};
        if (portalInFlight > 0)
            portalLimits.insert(QStringLiteral("max_in_flight"), portalInFlight);
        QJsonObject project{
            {QStringLiteral("transom_project"), 1},
            {QStringLiteral("name"), job},
            {QStringLiteral("connections"),
             QJsonObject{
                 {QStringLiteral("portal"),
                  QJsonObject{{QStringLiteral("preset"), QStringLiteral("webhook-lead-portal")},
                              {QStringLiteral("base_url"), baseUrl},
                              {QStringLiteral("limits"), portalLimits}}},
                 {QStringLiteral("crm"),
                  QJsonObject{
                      {QStringLiteral("preset"), QStringLiteral("oauth-crm")},
                      {QStringLiteral("base_url"), baseUrl},
                      {QStringLiteral("auth"), QJsonObject{{QStringLiteral("style"), QStringLiteral("basic_api_key")}}},
                      {QStringLiteral("settings"), QJsonObject{{QStringLiteral("mode"), QStringLiteral("create")}}},
                      {QStringLiteral("limits"), QJsonObject{{QStringLiteral("windows"), sinkWindows},
                                                             {QStringLiteral("max_in_flight"), sinkInFlight}}}}}}},
            {QStringLiteral("jobs"), QJsonArray{jobJson()}}};
        if (!store.isEmpty())
            project.insert(QStringLiteral("store"), store);
        return project;
    }

    /// Writes `folder`/project.json and `folder`/credentials.json (mode 0600, the sandbox's API key for
    /// both connections); returns the project's path.
    QString write(const QString &folder) const
    {
        const QString path = folder + QStringLiteral("/project.json");
        QFile project(path);
        if (!project.open(QIODevice::WriteOnly) || project.write(QJsonDocument(json()).toJson()) < 0)
            qFatal("cannot write the project");
        QFile credentials(folder + QStringLiteral("/credentials.json"));
        if (!credentials.open(QIODevice::WriteOnly))
            qFatal("cannot write the credentials");
        credentials.write(
            R"({"connections": {"portal": {"api_key": "sandbox-api-key"}, "crm": {"api_key": "sandbox-api-key"}}})");
        credentials.close();
        credentials.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        return path;
    }
};

} // namespace transom::testing
