// Project setup without a text editor (issue 18): a new project, connections and jobs added, renamed,
// duplicated and removed through core's API (the studio's dialogs call it), every other key of the file
// kept, and every refusal naming what is wrong and what to do.
#include "core/sync/projectsetup.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace transom;
using namespace transom::sync;

namespace {

QJsonObject readJson(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object() : QJsonObject();
}

template<class T> QString problem(const Expected<T> &r)
{
    return r ? QString() : r.error().toString();
}

JobConfig leadsJob(const QString &folder)
{
    JobConfig job;
    job.name = QStringLiteral("leads");
    job.source = QStringLiteral("portal");
    job.sink = QStringLiteral("crm");
    job.mapping = QDir(folder).filePath(QStringLiteral("mappings/leads.json"));
    job.trigger.kind = TriggerConfig::Kind::Poll;
    job.trigger.everyMinutes = 10;
    return job;
}

} // namespace

class TestProjectSetup : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aNewProjectOpensEmpty();
    void newProjectRefusals_data();
    void newProjectRefusals();
    void connectionsAndJobsThroughTheApi();
    void refusals_data();
    void refusals();
    void uniqueNames_data();
    void uniqueNames();
};

void TestProjectSetup::aNewProjectOpensEmpty()
{
    QTemporaryDir dir;
    const QString folder = dir.filePath(QStringLiteral("brokerage/leads"));
    const auto created =
        createProject({folder, QStringLiteral("Leads into the CRM"), QStringLiteral("America/Chicago")});
    QVERIFY2(created, qPrintable(problem(created)));
    QCOMPARE(created.value(), QDir(folder).absoluteFilePath(QStringLiteral("project.json")));
    QVERIFY(QFileInfo(QDir(folder).filePath(QStringLiteral("mappings"))).isDir());
    const auto opened = openProject(created.value());
    QVERIFY2(opened, qPrintable(problem(opened)));
    QCOMPARE(opened->project.name, QStringLiteral("Leads into the CRM"));
    QCOMPARE(opened->project.timeZone, QStringLiteral("America/Chicago"));
    QVERIFY(!opened->project.id.startsWith(QLatin1String("file-"))); // an id of its own: the keychain's key
    QVERIFY(opened->project.connections.isEmpty() && opened->project.jobs.isEmpty());
    // A second project in the same place is refused: nothing is overwritten.
    const auto again = createProject({folder, QStringLiteral("Other"), QString()});
    QVERIFY(!again);
    QVERIFY2(again.error().message.contains(QLatin1String("already holds a project")),
             qPrintable(again.error().message));
    QCOMPARE(readJson(created.value()).value(QLatin1String("name")).toString(), QStringLiteral("Leads into the CRM"));
}

void TestProjectSetup::newProjectRefusals_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("timeZone");
    QTest::addColumn<QString>("says");
    QTest::newRow("no name") << ""
                             << "America/Chicago"
                             << "needs a name";
    QTest::newRow("a name with a slash") << "a/b"
                                         << ""
                                         << "may not";
    QTest::newRow("a time zone the computer does not know") << "Leads"
                                                            << "America/Springfield"
                                                            << "is not a time zone this computer knows";
}

void TestProjectSetup::newProjectRefusals()
{
    QFETCH(QString, name);
    QFETCH(QString, timeZone);
    QFETCH(QString, says);
    QTemporaryDir dir;
    const auto created = createProject({dir.path(), name, timeZone});
    QVERIFY(!created);
    QVERIFY2(created.error().message.contains(says), qPrintable(created.error().message));
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("project.json"))));
}

void TestProjectSetup::connectionsAndJobsThroughTheApi()
{
    QTemporaryDir dir;
    const auto created = createProject({dir.path(), QStringLiteral("Leads"), QStringLiteral("America/Chicago")});
    QVERIFY(created);
    const QString path = created.value();
    { // a key the studio does not know stays
        QJsonObject root = readJson(path);
        root.insert(QStringLiteral("ops_note"), QStringLiteral("ask Dana before changing"));
        QVERIFY(writeProjectFile(path, QJsonDocument(root).toJson()));
    }
    QVERIFY(addConnection(path, QStringLiteral("portal"), QStringLiteral("webhook-lead-portal"),
                          QStringLiteral("https://portal.example.com")));
    QVERIFY(addConnection(path, QStringLiteral("crm"), QStringLiteral("events-crm"),
                          QStringLiteral("https://crm.example.com")));
    const auto saved = saveJob(path, leadsJob(dir.path()));
    QVERIFY2(saved, qPrintable(problem(saved)));
    QJsonObject job = readJson(path).value(QLatin1String("jobs")).toArray().first().toObject();
    QCOMPARE(job.value(QLatin1String("mapping")).toString(), QStringLiteral("mappings/leads.json")); // relative
    QCOMPARE(job.value(QLatin1String("trigger")).toObject().value(QLatin1String("every_minutes")).toInt(), 10);

    // Renaming a connection renames it in every job.
    QVERIFY(renameConnection(path, QStringLiteral("crm"), QStringLiteral("follow-up boss")));
    auto opened = openProject(path);
    QVERIFY2(opened, qPrintable(problem(opened)));
    QCOMPARE(opened->project.jobs.first().sink, QStringLiteral("follow-up boss"));

    // Edit the job: rename it and make it a webhook job in batches.
    JobConfig edited = opened->project.jobs.first();
    edited.name = QStringLiteral("portal leads");
    edited.batch = true;
    edited.trigger.kind = TriggerConfig::Kind::Webhook;
    edited.trigger.path = QStringLiteral("/hooks/portal");
    edited.trigger.recordPath = QStringLiteral("lead");
    QVERIFY(saveJob(path, edited, QStringLiteral("leads")));
    opened = openProject(path);
    QVERIFY(opened);
    QCOMPARE(opened->project.jobs.size(), 1);
    QCOMPARE(opened->project.jobs.first().name, QStringLiteral("portal leads"));
    QVERIFY(opened->project.jobs.first().batch);
    QCOMPARE(opened->project.jobs.first().trigger.path, QStringLiteral("/hooks/portal"));

    // Duplicates get a free name; removal of a used connection is refused, naming the jobs.
    const auto jobCopy = duplicateJob(path, QStringLiteral("portal leads"));
    QVERIFY(jobCopy);
    QCOMPARE(jobCopy.value(), QStringLiteral("portal leads copy"));
    const auto connectionCopy = duplicateConnection(path, QStringLiteral("portal"));
    QVERIFY(connectionCopy);
    QCOMPARE(connectionCopy.value(), QStringLiteral("portal copy"));
    const auto refused = removeConnection(path, QStringLiteral("portal"));
    QVERIFY(!refused);
    QVERIFY2(refused.error().message.contains(QLatin1String("\"portal leads\", \"portal leads copy\"")),
             qPrintable(refused.error().message));
    QVERIFY(removeConnection(path, QStringLiteral("portal copy")));
    QVERIFY(removeJob(path, QStringLiteral("portal leads copy")));
    const QJsonObject root = readJson(path);
    QCOMPARE(root.value(QLatin1String("ops_note")).toString(), QStringLiteral("ask Dana before changing"));
    QCOMPARE(root.value(QLatin1String("connections")).toObject().keys(),
             (QStringList{QStringLiteral("follow-up boss"), QStringLiteral("portal")}));
    QCOMPARE(root.value(QLatin1String("jobs")).toArray().size(), 1);

    // Undo is the file as it was.
    const auto before = readProjectFile(path);
    QVERIFY(removeJob(path, QStringLiteral("portal leads")));
    QVERIFY(writeProjectFile(path, before.value()));
    QCOMPARE(openProject(path)->project.jobs.size(), 1);
}

void TestProjectSetup::refusals_data()
{
    QTest::addColumn<QString>("operation");
    QTest::addColumn<QString>("says");
    QTest::newRow("a connection name taken") << "addConnection portal"
                                             << "has a connection \"portal\" already";
    QTest::newRow("rename onto a taken name") << "renameConnection portal crm"
                                              << "has a connection \"crm\" already";
    QTest::newRow("rename a missing connection") << "renameConnection mls crm2"
                                                 << "has no connection \"mls\"";
    QTest::newRow("a job without a source") << "saveJob nosource"
                                            << "choose its source";
    QTest::newRow("a job whose sink is not a connection") << "saveJob badsink"
                                                          << "the destination \"nowhere\" is not a connection";
    QTest::newRow("a job without a mapping") << "saveJob nomapping"
                                             << "choose its mapping";
    QTest::newRow("a webhook job without a path") << "saveJob nopath"
                                                  << "needs the path it receives events at";
    QTest::newRow("a job name taken") << "saveJob twice"
                                      << "has a job \"leads\" already";
    QTest::newRow("remove a missing job") << "removeJob ghosts"
                                          << "has no job \"ghosts\"";
}

void TestProjectSetup::refusals()
{
    QFETCH(QString, operation);
    QFETCH(QString, says);
    QTemporaryDir dir;
    const QString path = createProject({dir.path(), QStringLiteral("Leads"), QString()}).value();
    QVERIFY(addConnection(path, QStringLiteral("portal"), QStringLiteral("webhook-lead-portal"), {}));
    QVERIFY(addConnection(path, QStringLiteral("crm"), QStringLiteral("events-crm"), {}));
    QVERIFY(saveJob(path, leadsJob(dir.path())));
    const QByteArray before = readProjectFile(path).value();
    const QStringList words = operation.split(QLatin1Char(' '));
    Expected<bool> result = true;
    JobConfig job = leadsJob(dir.path());
    if (words[0] == QLatin1String("addConnection"))
        result = addConnection(path, words[1], QStringLiteral("events-crm"), {});
    else if (words[0] == QLatin1String("renameConnection"))
        result = renameConnection(path, words[1], words[2]);
    else if (words[0] == QLatin1String("removeJob"))
        result = removeJob(path, words[1]);
    else {
        job.name = QStringLiteral("other");
        if (words[1] == QLatin1String("nosource"))
            job.source.clear();
        else if (words[1] == QLatin1String("badsink"))
            job.sink = QStringLiteral("nowhere");
        else if (words[1] == QLatin1String("nomapping"))
            job.mapping.clear();
        else if (words[1] == QLatin1String("nopath"))
            job.trigger.kind = TriggerConfig::Kind::Webhook;
        else
            job.name = QStringLiteral("leads");
        result = saveJob(path, job);
    }
    QVERIFY(!result);
    QVERIFY2(result.error().message.contains(says), qPrintable(result.error().message));
    QCOMPARE(readProjectFile(path).value(), before); // a refusal changes nothing
}

void TestProjectSetup::uniqueNames_data()
{
    QTest::addColumn<QStringList>("taken");
    QTest::addColumn<QString>("name");
    QTest::newRow("free") << QStringList{QStringLiteral("crm")} << "portal";
    QTest::newRow("taken once") << QStringList{QStringLiteral("portal")} << "portal 2";
    QTest::newRow("taken twice") << QStringList{QStringLiteral("portal"), QStringLiteral("portal 2")} << "portal 3";
}

void TestProjectSetup::uniqueNames()
{
    QFETCH(QStringList, taken);
    QFETCH(QString, name);
    QCOMPARE(uniqueName(QStringLiteral("portal"), taken), name);
}

QTEST_GUILESS_MAIN(TestProjectSetup)
#include "tst_projectsetup.moc"
