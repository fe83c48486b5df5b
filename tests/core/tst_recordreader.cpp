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
    void oneBadRecordIsOneProblem_data();
    void oneBadRecordIsOneProblem();
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
    QTest::newRow("csv header nested 33 deep")
        << "a.csv" << QByteArray("id," + QByteArray("a.").repeated(32) + "b\n1,2\n") << "column 2 (\"a.a.a." << 1;
    QTest::newRow("csv header nested 100,000 deep")
        << "a.csv" << QByteArray("id," + QByteArray("a.").repeated(100000) + "b\n1,2\n")
        << "nests more than 32 levels deep" << 1;
    QTest::newRow("csv header not UTF-8")
        << "a.csv" << QByteArray("id,n\xffme\n1,2\n") << "not valid UTF-8 at byte offset 4 (line 1, column 5)" << 1;
    QTest::newRow("envelope, a bad byte outside the records")
        << "p.json" << QByteArray("{\"note\": \"\xff\",\n \"value\": [{\"id\": \"1\"}]}")
        << "not valid UTF-8 at byte offset 10 (line 1, column 11)" << 1;
    QTest::newRow("json, a bad byte between values")
        << "a.json" << QByteArray("[{\"id\": \"1\"},\n \xff {\"id\": \"2\"}]")
        << "not valid UTF-8 at byte offset 15 (line 2, column 2)" << 2;
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

// A record that cannot be read costs that record only: the reader goes on with the next one, and says
// where the bad one was (line, and the byte offset for bytes that are not UTF-8).
void TestRecordReader::oneBadRecordIsOneProblem_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QStringList>("ids");      ///< of the good records, in order
    QTest::addColumn<QStringList>("problems"); ///< "line: words" of each unreadable record, in order
    auto list = [](std::initializer_list<const char *> items) {
        QStringList out;
        for (const char *item : items)
            out.append(QString::fromUtf8(item));
        return out;
    };
    auto ids = [](int from, int to) {
        QStringList out;
        for (int i = from; i <= to; ++i)
            out.append(QString::number(i));
        return out;
    };
    QTest::newRow("csv, a quote left open on row 2 of 5")
        << "x.csv" << QByteArray("id,name\n1,A\n2,\"B\n3,C\n4,D\n5,E\n") << list({"1", "3", "4", "5"})
        << list({"3: a quoted value that starts on this line is never closed"});
    QTest::newRow("csv, a quote left open that a later quote closes")
        << "x.csv" << QByteArray("id,name\n1,A\n2,\"B\n3,\"C\"\n4,D\n") << list({"1", "3", "4"})
        << list({"3: a quoted value that starts on this line does not end where a value can end"});
    QTest::newRow("csv, a later quote closes it with the right width")
        << "x.csv" << QByteArray("id,name,email\n1,A,a@x\n2,\"B,b@x\n3,C,\"c@x\"\n4,D,d@x\n") << list({"1", "3", "4"})
        << list({"3: does not end where a value can end (2 values over 2 lines)"});
    QTest::newRow("csv, a quoted value over lines is one value")
        << "x.csv" << QByteArray("id,note\n1,\"two\nlines, and \"\"quotes\"\"\"\n2,x\n") << list({"1", "2"})
        << QStringList{};
    QTest::newRow("csv crlf, a quote left open")
        << "x.csv" << QByteArray("id,name\r\n1,\"A\r\n2,B\r\n") << list({"2"})
        << list({"2: a quoted value that starts on this line is never closed"});
    QByteArray longOpen = "id,name\n1,\"open\n";
    for (int i = 2; i <= 1500; ++i)
        longOpen += QByteArray::number(i) + ",x\n";
    QTest::newRow("csv, a quote still open 1,000 lines later")
        << "x.csv" << longOpen << ids(2, 1500)
        << list({"2: a quoted value that starts on this line is still open 1000 lines later"});
    QTest::newRow("csv, a byte that is not UTF-8") << "x.csv" << QByteArray("id,name\n1,A\xff\n2,B\n") << list({"2"})
                                                   << list({"2: not valid UTF-8 at byte offset 11 (line 2, column 4)"});
    QTest::newRow("csv, a bad byte inside a value over lines")
        << "x.csv" << QByteArray("id,note\n1,\"a\nb\xc3\"\n2,x\n") << list({"2"})
        << list({"2: not valid UTF-8 at byte offset 14 (line 3, column 2)"});
    QTest::newRow("csv, an overlong encoding of '/'")
        << "x.csv" << QByteArray("id,name\n1,\xc0\xaf\n2,B\n") << list({"2"})
        << list({"2: not valid UTF-8 at byte offset 10 (line 2, column 3)"});
    QTest::newRow("csv, a cut sequence at the end")
        << "x.csv" << QByteArray("id,name\n1,A\n2,\xe2\x82") << list({"1"})
        << list({"3: not valid UTF-8 at byte offset 14 (line 3, column 3)"});
    QTest::newRow("ndjson, a byte that is not UTF-8")
        << "x.ndjson" << QByteArray("{\"id\":\"1\"}\n{\"id\":\"\xff\"}\n{\"id\":\"3\"}\n") << list({"1", "3"})
        << list({"2: not valid UTF-8 at byte offset 18 (line 2, column 8)"});
    QTest::newRow("ndjson by content, a surrogate")
        << "x.json" << QByteArray("{\"id\":\"1\"}\n{\"id\":\"\xed\xa0\x80\"}\n{\"id\":\"3\"}\n") << list({"1", "3"})
        << list({"2: not valid UTF-8 at byte offset 18 (line 2, column 8)"});
    QTest::newRow("json array, a byte that is not UTF-8")
        << "a.json" << QByteArray("[{\"id\":\"1\"},{\"id\":\"\xff\"},{\"id\":\"3\"}]") << list({"1", "3"})
        << list({"1: record 2: not valid UTF-8 at byte offset 19 (line 1, column 20)"});
    QTest::newRow("json array, two bad records")
        << "a.json" << QByteArray("[{\"id\":\"\xfe\"},\n{\"id\":\"2\"},\n{\"id\":\"\xff\xff\"}]") << list({"2"})
        << list({"1: record 1: not valid UTF-8 at byte offset 8", "3: record 3: not valid UTF-8 at byte offset 32"});
    QTest::newRow("envelope, a byte that is not UTF-8")
        << "p.json" << QByteArray("{\"value\": [{\"id\":\"1\"}, {\"id\": \"\xc3\"}], \"@odata.nextLink\": \"n\"}")
        << list({"1"}) << list({"1: record 2: not valid UTF-8 at byte offset 31"});
    QTest::newRow("single object, a byte that is not UTF-8")
        << "a.json" << QByteArray("{\"id\": \"\x80\"}") << QStringList{}
        << list({"1: record 1: not valid UTF-8 at byte offset 8"});
    QTest::newRow("valid UTF-8 of every length")
        << "x.csv" << QByteArray("id,name\n1,a\xc3\xb1\xe2\x82\xac\xf0\x9f\x98\x80\n") << list({"1"}) << QStringList{};
}

void TestRecordReader::oneBadRecordIsOneProblem()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, data);
    QFETCH(QStringList, ids);
    QFETCH(QStringList, problems);
    auto reader = RecordReader::fromData(data, name);
    QVERIFY2(reader.ok(), qPrintable(reader.ok() ? QString() : reader.error().toString()));
    const ReadAll all = readAll(*reader.value());
    QStringList goodIds, seen;
    for (const SourceRecord &r : all.records) {
        if (r.problem.isEmpty()) {
            goodIds.append(r.data.value(QStringLiteral("id")).toString());
            continue;
        }
        QVERIFY2(r.problem.startsWith(QStringLiteral("%1:%2: ").arg(name).arg(r.line)), qPrintable(r.problem));
        seen.append(r.problem);
        QVERIFY(r.data.isEmpty());
        QVERIFY2(!r.problem.contains(QChar(0xFFFD)), qPrintable(r.problem));
    }
    QCOMPARE(goodIds, ids);
    QCOMPARE(seen.size(), problems.size());
    for (qsizetype i = 0; i < problems.size(); ++i) {
        const QString line = problems.at(i).section(QStringLiteral(": "), 0, 0);
        const QString words = problems.at(i).section(QStringLiteral(": "), 1);
        QVERIFY2(seen.at(i).startsWith(QStringLiteral("%1:%2: ").arg(name, line)), qPrintable(seen.at(i)));
        QVERIFY2(seen.at(i).contains(words), qPrintable(seen.at(i)));
    }
    for (const SourceRecord &r : all.records) // nothing was decoded into U+FFFD
        for (auto it = r.data.begin(); it != r.data.end(); ++it)
            QVERIFY(!it.value().toString().contains(QChar(0xFFFD)));
}

QTEST_APPLESS_MAIN(TestRecordReader)
#include "tst_recordreader.moc"
