#include "core/io/recordreader.h"

#include <QTemporaryDir>
#include <QTest>

using transom::io::RecordReader;
using transom::io::SourceRecord;

class TestRecordReader : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void formats_data();
    void formats();
    void unusableInput_data();
    void unusableInput();
    void fixtures_data();
    void fixtures();
    void ndjsonStreamsFromDisk();
};

namespace {

struct ReadAll {
    QList<SourceRecord> records;
    QString format;
    QString nextLink;
};

ReadAll readAll(RecordReader &reader)
{
    ReadAll out;
    SourceRecord r;
    while (reader.next(r))
        out.records.append(r);
    out.format = reader.formatName();
    out.nextLink = reader.nextLink();
    return out;
}

} // namespace

void TestRecordReader::formats_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QString>("format");
    QTest::addColumn<int>("good");
    QTest::addColumn<int>("bad");
    QTest::addColumn<QString>("firstId");
    QTest::addColumn<QString>("nextLink");

    QTest::newRow("json array") << "a.json" << QByteArray(R"([{"id": "1"}, {"id": "2"}])") << "JSON" << 2 << 0 << "1"
                                << "";
    QTest::newRow("array with a non-object")
        << "a.json" << QByteArray(R"([{"id": "1"}, 5, "x"])") << "JSON" << 1 << 2 << "1"
        << "";
    QTest::newRow("single object") << "a.json" << QByteArray(R"({"id": "1", "name": "x"})") << "JSON" << 1 << 0 << "1"
                                   << "";
    QTest::newRow("odata envelope")
        << "p.json"
        << QByteArray(
               R"({"@odata.context": "x", "value": [{"id": "A"}], "@odata.nextLink": "https://mls/odata/Property?$skip=8"})")
        << "API envelope" << 1 << 0 << "A"
        << "https://mls/odata/Property?$skip=8";
    QTest::newRow("_metadata envelope")
        << "p.json"
        << QByteArray(R"({"_metadata": {"collection": "people", "nextLink": "n"}, "people": [{"id": "P"}]})")
        << "API envelope" << 1 << 0 << "P"
        << "n";
    QTest::newRow("data envelope") << "p.json"
                                   << QByteArray(R"({"data": [{"id": "D"}, {"id": "E"}], "next": "cursor2"})")
                                   << "API envelope" << 2 << 0 << "D"
                                   << "cursor2";
    QTest::newRow("ndjson by content") << "x.json" << QByteArray("{\"id\": \"1\"}\n\n{\"id\": \"2\"}\n") << "NDJSON"
                                       << 2 << 0 << "1"
                                       << "";
    QTest::newRow("ndjson with a bad line")
        << "x.ndjson" << QByteArray("{\"id\": \"1\"}\n{\"id\": \n{\"id\": \"3\"}") << "NDJSON" << 2 << 1 << "1"
        << "";
    QTest::newRow("csv") << "x.csv" << QByteArray("id,name\n1,Maria\n2,\"Wei, Liam\"\n") << "CSV" << 2 << 0 << "1"
                         << "";
    QTest::newRow("csv crlf and bom") << "x.csv" << QByteArray("\xef\xbb\xbfid,name\r\n1,Maria\r\n") << "CSV" << 1 << 0
                                      << "1"
                                      << "";
    QTest::newRow("csv semicolons") << "x.csv" << QByteArray("id;name\n1;Maria\n") << "CSV" << 1 << 0 << "1"
                                    << "";
    QTest::newRow("csv unclosed quote") << "x.csv" << QByteArray("id,name\n1,\"Maria\n") << "CSV" << 0 << 1 << ""
                                        << "";
    QTest::newRow("empty array") << "a.json" << QByteArray("[]") << "JSON" << 0 << 0 << ""
                                 << "";
}

void TestRecordReader::formats()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, data);
    QFETCH(QString, format);
    QFETCH(int, good);
    QFETCH(int, bad);
    QFETCH(QString, firstId);
    QFETCH(QString, nextLink);
    auto reader = RecordReader::fromData(data, name);
    QVERIFY2(reader.ok(), qPrintable(reader.ok() ? QString() : reader.error().toString()));
    const ReadAll all = readAll(*reader.value());
    QCOMPARE(all.format, format);
    QCOMPARE(all.nextLink, nextLink);
    int goodCount = 0, badCount = 0;
    for (const SourceRecord &r : all.records) {
        if (r.problem.isEmpty())
            ++goodCount;
        else
            ++badCount;
    }
    QCOMPARE(goodCount, good);
    QCOMPARE(badCount, bad);
    if (!firstId.isEmpty())
        QCOMPARE(all.records.first().data.value(QStringLiteral("id")).toString(), firstId);
    for (qsizetype i = 0; i < all.records.size(); ++i)
        QCOMPARE(all.records.at(i).index, i);
}

void TestRecordReader::unusableInput_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QString>("error");
    QTest::addColumn<int>("line");
    QTest::newRow("empty") << "a.json" << QByteArray("  \n ") << "the input is empty" << 0;
    QTest::newRow("broken array") << "a.json" << QByteArray("[\n  {\"id\": 1},\n  {\"id\": }\n]") << "not valid JSON"
                                  << 3;
    QTest::newRow("plain text") << "a.json" << QByteArray("hello") << "not valid JSON" << 1;
    QTest::newRow("csv without header") << "a.csv" << QByteArray("") << "no header row" << 1;
}

void TestRecordReader::unusableInput()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, data);
    QFETCH(QString, error);
    QFETCH(int, line);
    auto reader = RecordReader::fromData(data, name);
    QVERIFY(!reader.ok());
    QVERIFY2(reader.error().message.contains(error), qPrintable(reader.error().toString()));
    QCOMPARE(reader.error().file, name);
    QCOMPARE(reader.error().line, line);
}

void TestRecordReader::fixtures_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("count");
    QTest::addColumn<QString>("nextLink");
    QTest::newRow("portal leads") << "portal-leads.json" << 12 << "";
    QTest::newRow("reso property") << "reso-property.json" << 8
                                   << "https://api.example-mls.test/odata/Property?$skip=8&$top=8";
    QTest::newRow("reso member") << "reso-member.json" << 4 << "";
    QTest::newRow("crm people") << "crm-people.json" << 5
                                << "https://crm.example.test/v1/people?limit=5&next=eyJvZmZzZXQiOjEwfQ";
    QTest::newRow("crm event") << "crm-event.json" << 1 << "";
}

void TestRecordReader::fixtures()
{
    QFETCH(QString, file);
    QFETCH(int, count);
    QFETCH(QString, nextLink);
    auto reader = RecordReader::open(QStringLiteral(TRANSOM_TEST_DATA "/fixtures/") + file);
    QVERIFY(reader.ok());
    const ReadAll all = readAll(*reader.value());
    QCOMPARE(all.records.size(), count);
    QCOMPARE(all.nextLink, nextLink);
}

void TestRecordReader::ndjsonStreamsFromDisk()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("big.ndjson"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    for (int i = 0; i < 5000; ++i)
        f.write(QStringLiteral("{\"id\": %1, \"name\": \"lead %1\"}\n").arg(i).toUtf8());
    f.close();
    auto reader = RecordReader::open(path);
    QVERIFY(reader.ok());
    SourceRecord r;
    qint64 n = 0;
    while (reader.value()->next(r)) {
        QCOMPARE(r.data.value(QStringLiteral("id")).toInteger(), n);
        QCOMPARE(r.line, n + 1);
        ++n;
    }
    QCOMPARE(n, 5000);
    QVERIFY(!RecordReader::open(dir.filePath(QStringLiteral("missing.json"))).ok());
}

QTEST_APPLESS_MAIN(TestRecordReader)
#include "tst_recordreader.moc"
