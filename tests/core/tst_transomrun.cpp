// The transom-run command line, run as a real process: output, summary and documented exit codes.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

class TestTransomRun : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void exitCodes_data();
    void exitCodes();
    void outputIsOneLinePerRecord();
    void outputOption();
    void helpDocumentsExitCodes();
    void garbageNeverCrashes();
    void oneBadRecordCostsOneRecord_data();
    void oneBadRecordCostsOneRecord();

private:
    struct Run {
        int exitCode = -1;
        QByteArray out;
        QByteArray err;
    };
    static Run run(const QStringList &args);
    QTemporaryDir m_dir;
};

TestTransomRun::Run TestTransomRun::run(const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral(TRANSOM_RUN_BINARY), args);
    if (!p.waitForFinished(60000))
        qFatal("transom-run did not finish");
    Run r;
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

static QString write(const QTemporaryDir &dir, const QString &name, const QByteArray &data)
{
    QFile f(dir.filePath(name));
    if (!f.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(f.fileName()));
    f.write(data);
    return f.fileName();
}

void TestTransomRun::exitCodes_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("stderrPart");
    const QString leadsMapping = QStringLiteral(TRANSOM_RESOURCES "/mappings/portal-leads-to-crm-event.json");
    const QString fixture = QStringLiteral(TRANSOM_TEST_DATA "/fixtures/portal-leads.json");
    const QString demo = QStringLiteral(TRANSOM_RESOURCES "/demo/samples/portal-leads.json");
    const QString brokenMapping = write(m_dir, QStringLiteral("broken.json"),
                                        "{\n  \"transom_mapping\": 1,\n  \"fields\": [\n    {\"target\": \"a\", "
                                        "\"rules\": [{\"rule\": \"phnoe\"}]}\n  ]\n}");
    const QString badJsonMapping =
        write(m_dir, QStringLiteral("badjson.json"), "{\n  \"transom_mapping\": 1,\n  \"fields\": [,]\n}");
    const QString badInput =
        write(m_dir, QStringLiteral("bad-input.json"), "[\n  {\"lead_id\": \"1\"},\n  {\"lead_id\": \n]");

    QTest::newRow("clean") << QStringList{QStringLiteral("map"), QStringLiteral("--mapping"), leadsMapping,
                                          QStringLiteral("--input"), fixture}
                           << 0 << QStringLiteral("12 records: 12 clean, 0 with field errors");
    QTest::newRow("field errors") << QStringList{QStringLiteral("map"), QStringLiteral("-m"), leadsMapping,
                                                 QStringLiteral("-i"), demo}
                                  << 1 << QStringLiteral("12 records: 10 clean, 2 with field errors");
    QTest::newRow("unknown rule")
        << QStringList{QStringLiteral("map"), QStringLiteral("-m"), brokenMapping, QStringLiteral("-i"), fixture} << 2
        << QStringLiteral("broken.json:4:40: fields[0].rules[0].rule: field \"a\": unknown rule \"phnoe\"");
    QTest::newRow("mapping not JSON") << QStringList{QStringLiteral("map"), QStringLiteral("-m"), badJsonMapping,
                                                     QStringLiteral("-i"), fixture}
                                      << 2 << QStringLiteral("badjson.json:3:");
    QTest::newRow("input not JSON") << QStringList{QStringLiteral("map"), QStringLiteral("-m"), leadsMapping,
                                                   QStringLiteral("-i"), badInput}
                                    << 2 << QStringLiteral("bad-input.json:4:");
    QTest::newRow("missing input") << QStringList{QStringLiteral("map"), QStringLiteral("-m"), leadsMapping,
                                                  QStringLiteral("-i"), QStringLiteral("/nonexistent/x.json")}
                                   << 2 << QStringLiteral("cannot open the input");
    QTest::newRow("missing mapping") << QStringList{QStringLiteral("map"), QStringLiteral("-m"),
                                                    QStringLiteral("/nonexistent/m.json"), QStringLiteral("-i"),
                                                    fixture}
                                     << 2 << QStringLiteral("cannot open the mapping");
    // A project whose CRM would get its client secret over plain HTTP is refused before anything is sent.
    const QString plainHttpProject = write(
        m_dir, QStringLiteral("plain-http.json"),
        R"({"transom_project": 1, "name": "p", "connections": {"crm": {"preset": "oauth-crm", "base_url": "http://crm.example.com", "auth": {"client_id": "x"}}}, "jobs": []})");
    QTest::newRow("secrets over plain http")
        << QStringList{QStringLiteral("run"), plainHttpProject} << 2
        << QStringLiteral("connections.crm.auth.authorize_url: connection \"crm\": auth.authorize_url "
                          "\"http://crm.example.com/oauth/authorize\" would receive the connection's credentials, "
                          "but plain http:// to crm.example.com would send the secret unencrypted");
    // Issue 21: SQLite's "unable to open database file" named neither the folder nor the fix.
    write(m_dir, QStringLiteral("not-a-folder"), "a file where the store's folder should be");
    const QString blockedStore = write(
        m_dir, QStringLiteral("blocked-store.json"),
        QStringLiteral(
            R"({"transom_project": 1, "name": "p", "store": "not-a-folder/state/transom.db", "connections": {"feed": {"connector": "file", "kind": "source", "settings": {"path": "%1"}}, "crm": {"connector": "rest", "kind": "sink", "settings": {"create_url": "http://127.0.0.1:1/people", "duplicate_is_delivered": true}}}, "jobs": [{"name": "leads", "source": "feed", "sink": "crm", "mapping": "%2"}]})")
            .arg(fixture, leadsMapping)
            .toUtf8());
    QTest::newRow("store folder cannot be made")
        << QStringList{QStringLiteral("run"), blockedStore} << 2
        << QStringLiteral("%1 is a file, not a folder, so the folder %1/state cannot be created there; change "
                          "\"store\" in the project file")
               .arg(m_dir.filePath(QStringLiteral("not-a-folder")));
    QTest::newRow("docs connectors") << QStringList{QStringLiteral("docs"), QStringLiteral("nope")} << 64
                                     << QStringLiteral("the only page is 'connectors'");
    QTest::newRow("no command") << QStringList{} << 64 << QStringLiteral("Usage: transom-run");
    QTest::newRow("unknown command") << QStringList{QStringLiteral("mop")} << 64
                                     << QStringLiteral("unknown command 'mop'");
    QTest::newRow("map without input") << QStringList{QStringLiteral("map"), QStringLiteral("-m"), leadsMapping} << 64
                                       << QStringLiteral("needs --mapping FILE and --input FILE");
    QTest::newRow("unknown option") << QStringList{QStringLiteral("map"), QStringLiteral("--colour")} << 64
                                    << QStringLiteral("colour");
}

void TestTransomRun::exitCodes()
{
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    QFETCH(QString, stderrPart);
    const Run r = run(args);
    QVERIFY2(QString::fromUtf8(r.err).contains(stderrPart), r.err.constData());
    QCOMPARE(r.exitCode, exitCode);
}

void TestTransomRun::outputIsOneLinePerRecord()
{
    const Run r = run({QStringLiteral("map"), QStringLiteral("-m"),
                       QStringLiteral(TRANSOM_RESOURCES "/mappings/portal-leads-to-crm-event.json"),
                       QStringLiteral("-i"), QStringLiteral(TRANSOM_RESOURCES "/demo/samples/portal-leads.json")});
    const QList<QByteArray> lines = r.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 12);
    const QJsonObject fourth = QJsonDocument::fromJson(lines.at(3)).object();
    QCOMPARE(fourth.value(QStringLiteral("source_id")).toString(), QStringLiteral("ZL-100003"));
    const QJsonObject error = fourth.value(QStringLiteral("errors")).toArray().first().toObject();
    QCOMPARE(error.value(QStringLiteral("field")).toString(), QStringLiteral("person.phones[0].value"));
    QCOMPARE(error.value(QStringLiteral("rule")).toString(), QStringLiteral("phone"));
    QCOMPARE(error.value(QStringLiteral("input")).toString(), QStringLiteral("555-0199"));
    // The rest of the lead still mapped.
    QCOMPARE(fourth.value(QStringLiteral("record")).toObject().value(QStringLiteral("occurredAt")).toString(),
             QStringLiteral("2026-11-20T15:57:00Z"));
}

void TestTransomRun::outputOption()
{
    const QString out = m_dir.filePath(QStringLiteral("out.ndjson"));
    const Run r =
        run({QStringLiteral("map"), QStringLiteral("-m"),
             QStringLiteral(TRANSOM_RESOURCES "/mappings/reso-property-to-crm-listing.json"), QStringLiteral("-i"),
             QStringLiteral(TRANSOM_TEST_DATA "/fixtures/reso-property.json"), QStringLiteral("-o"), out});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.isEmpty());
    QFile f(out);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll().count('\n'), 8);
    QVERIFY(r.err.contains("(API envelope)"));
}

void TestTransomRun::helpDocumentsExitCodes()
{
    const Run r = run({QStringLiteral("map"), QStringLiteral("--help")});
    QCOMPARE(r.exitCode, 0);
    for (const char *part : {"Exit codes", "  0 ", "  1 ", "  2 ", "  64 ", "NDJSON", "CSV"})
        QVERIFY2(r.out.contains(part), part);
    QCOMPARE(run({QStringLiteral("--version")}).out.trimmed(), QByteArray("transom-run " TRANSOM_VERSION));
}

// Mangled inputs and mappings: truncated, bytes flipped, junk spliced in. Nothing may crash; every run
// ends with one of the documented exit codes.
void TestTransomRun::garbageNeverCrashes()
{
    QFile fixture(QStringLiteral(TRANSOM_TEST_DATA "/fixtures/portal-leads.json"));
    QFile mappingFile(QStringLiteral(TRANSOM_RESOURCES "/mappings/portal-leads-to-crm-event.json"));
    QVERIFY(fixture.open(QIODevice::ReadOnly) && mappingFile.open(QIODevice::ReadOnly));
    const QByteArray input = fixture.readAll();
    const QByteArray mapping = mappingFile.readAll();
    QRandomGenerator rng(20261130);
    const QByteArray junk[] = {QByteArray("\x00", 1), "\xff\xfe", "{{{{", "]]]", "\"", "\\u0000", "null", "1e999", "😀"};
    auto mangle = [&](QByteArray data) {
        switch (rng.bounded(3)) {
        case 0:
            data.truncate(rng.bounded(data.size()));
            break;
        case 1:
            for (int i = 0; i < 8; ++i)
                data[rng.bounded(data.size())] = char(rng.bounded(256));
            break;
        default:
            data.insert(rng.bounded(data.size()), junk[rng.bounded(int(std::size(junk)))]);
            break;
        }
        return data;
    };
    const QString goodMapping = write(m_dir, QStringLiteral("good-mapping.json"), mapping);
    const QString goodInput = write(m_dir, QStringLiteral("good-input.json"), input);
    for (int i = 0; i < 30; ++i) {
        const bool mangleMapping = i % 3 == 0;
        const QString m =
            mangleMapping ? write(m_dir, QStringLiteral("m%1.json").arg(i), mangle(mapping)) : goodMapping;
        const QString in = mangleMapping ? goodInput : write(m_dir, QStringLiteral("in%1.json").arg(i), mangle(input));
        const Run r = run({QStringLiteral("map"), QStringLiteral("-m"), m, QStringLiteral("-i"), in});
        QVERIFY2(r.exitCode == 0 || r.exitCode == 1 || r.exitCode == 2,
                 qPrintable(
                     QStringLiteral("run %1 ended with %2: %3").arg(i).arg(r.exitCode).arg(QString::fromUtf8(r.err))));
        QVERIFY(!r.err.isEmpty());
    }
}

// One bad record in a large input: an unclosed quote, bytes that are not UTF-8. Only that record is
// unreadable (named with its line and, for bad bytes, the byte offset); every other one is mapped.
void TestTransomRun::oneBadRecordCostsOneRecord_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("problem");
    QTest::addColumn<int>("problemLine");

    auto csv = [](const QByteArray &secondRow) {
        QByteArray text = "id,name,email\n";
        for (int i = 1; i <= 1000; ++i)
            text += i == 2 ? secondRow + '\n'
                           : QByteArray::number(i) + ",Name " + QByteArray::number(i) + ",n" + QByteArray::number(i) +
                                 "@example.com\n";
        return text;
    };
    auto ndjson = [](const QByteArray &secondLine) {
        QByteArray text;
        for (int i = 1; i <= 1000; ++i)
            text += i == 2 ? secondLine + '\n'
                           : R"({"id": ")" + QByteArray::number(i) +
                                 R"(", "name": "N"})"
                                 "\n";
        return text;
    };
    auto array = [](const QByteArray &second, const QByteArray &open, const QByteArray &close) {
        QByteArray text = open;
        for (int i = 1; i <= 1000; ++i)
            text += (i > 1 ? ",\n" : "\n") +
                    (i == 2 ? second : R"({"id": ")" + QByteArray::number(i) + R"(", "name": "N"})");
        return text + "\n" + close;
    };
    QTest::newRow("csv, a quote left open on row 2") << "leads.csv" << csv(R"(2,"Ann, unclosed,ann@example.com)")
                                                     << "a quoted value that starts on this line is never closed" << 3;
    QTest::newRow("csv, a quote left open that a later quote closes")
        << "leads.csv" << csv(R"(2,"Ann, unclosed,ann@example.com)").replace("3,Name 3,", "3,\"Name 3\",")
        << "does not end where a value can end" << 3;
    // 14 bytes of header, 24 of row 1, then "2,An" and the bad byte.
    QTest::newRow("csv, a byte that is not UTF-8")
        << "leads.csv" << csv("2,An\xff,a@example.com") << "not valid UTF-8 at byte offset 42 (line 3, column 5)" << 3;
    QTest::newRow("ndjson, a byte that is not UTF-8") << "leads.ndjson"
                                                      << ndjson(R"({"id": "2", "name": "A)"
                                                                "\xc3\x28"
                                                                R"("})")
                                                      << "not valid UTF-8 at byte offset 47 (line 2, column 23)" << 2;
    QTest::newRow("json array, a byte that is not UTF-8")
        << "leads.json"
        << array(R"({"id": "2", "name": "A)"
                 "\xed\xa0\x80"
                 R"("})",
                 "[", "]")
        << "record 2: not valid UTF-8 at byte offset 50 (line 3, column 23)" << 3;
    QTest::newRow("envelope, a byte that is not UTF-8")
        << "page.json"
        << array(R"({"id": "2", "name": "A)"
                 "\xf8"
                 R"("})",
                 R"({"value": [)", "]}")
        << "record 2: not valid UTF-8 at byte offset 60 (line 3, column 23)" << 3;
}

void TestTransomRun::oneBadRecordCostsOneRecord()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, input);
    QFETCH(QString, problem);
    QFETCH(int, problemLine);
    const QString mapping = write(m_dir, QStringLiteral("ids.json"),
                                  R"({"transom_mapping": 1, "name": "ids", "source": {"id_field": "id"},
                  "fields": [{"target": "id", "from": "id"}, {"target": "name", "from": "name"}]})");
    const Run r =
        run({QStringLiteral("map"), QStringLiteral("-m"), mapping, QStringLiteral("-i"), write(m_dir, name, input)});
    QVERIFY2(r.err.contains("1000 records: 999 clean, 0 with field errors, 1 unreadable"), r.err.constData());
    QCOMPARE(r.exitCode, 1); // not "clean"
    const QList<QByteArray> lines = r.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 1000);
    const QJsonObject unreadable = QJsonDocument::fromJson(lines.at(1)).object();
    QVERIFY2(unreadable.value(QStringLiteral("problem")).toString().contains(problem), lines.at(1).constData());
    QCOMPARE(unreadable.value(QStringLiteral("line")).toInt(), problemLine);
    // The rows after it all arrived, the last one too.
    QCOMPARE(QJsonDocument::fromJson(lines.at(2)).object().value(QStringLiteral("source_id")).toString(),
             QStringLiteral("3"));
    QCOMPARE(QJsonDocument::fromJson(lines.last()).object().value(QStringLiteral("source_id")).toString(),
             QStringLiteral("1000"));
    QVERIFY(!r.out.contains("\xef\xbf\xbd")); // nothing was decoded into U+FFFD
}

QTEST_GUILESS_MAIN(TestTransomRun)
#include "tst_transomrun.moc"
