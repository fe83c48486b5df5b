// Whole mappings against golden folders: tests/data/mappings/<case>/{mapping.json, source.*, expected.ndjson}.
// Run with TRANSOM_UPDATE_GOLDEN=1 to rewrite expected.ndjson after a deliberate change (then review the diff).
#include "core/mapping/mappingcompiler.h"
#include "core/mapping/mappingpreview.h"

#include <QBuffer>
#include <QDir>
#include <QJsonDocument>
#include <QTest>

using namespace transom;

class TestGoldenMappings : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void golden_data();
    void golden();
    void demoMappingsMatchTheirGoldenCopies_data();
    void demoMappingsMatchTheirGoldenCopies();
};

void TestGoldenMappings::golden_data()
{
    QTest::addColumn<QString>("dir");
    const QDir root(QStringLiteral(TRANSOM_TEST_DATA "/mappings"));
    const QStringList cases = root.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    QVERIFY(cases.size() >= 5);
    for (const QString &name : cases)
        QTest::newRow(qPrintable(name)) << root.filePath(name);
}

void TestGoldenMappings::golden()
{
    QFETCH(QString, dir);
    const QDir folder(dir);
    auto document = mapping::MappingDocument::load(folder.filePath(QStringLiteral("mapping.json")));
    QVERIFY2(document.ok(), qPrintable(document.ok() ? QString() : document.error().toString()));
    const auto compiled = mapping::MappingCompiler::compile(document.value());
    QVERIFY2(compiled.ok(), qPrintable(compiled.ok() ? QString() : compiled.errors.first().toString()));

    const QStringList sources = folder.entryList({QStringLiteral("source.*")}, QDir::Files);
    QCOMPARE(sources.size(), 1);
    QFile sourceFile(folder.filePath(sources.first()));
    QVERIFY(sourceFile.open(QIODevice::ReadOnly));
    // Read through the name alone so messages in the output do not depend on where the tree lives.
    auto reader = io::RecordReader::fromData(sourceFile.readAll(), sources.first());
    QVERIFY2(reader.ok(), qPrintable(reader.ok() ? QString() : reader.error().toString()));

    QBuffer out;
    out.open(QIODevice::WriteOnly);
    mapping::MappingPreview preview(*compiled.mapping);
    const mapping::PreviewSummary summary = preview.run(*reader.value(), out);
    QVERIFY(summary.records > 0);

    const QString expectedPath = folder.filePath(QStringLiteral("expected.ndjson"));
    if (qEnvironmentVariableIsSet("TRANSOM_UPDATE_GOLDEN")) {
        QFile expectedFile(expectedPath);
        QVERIFY(expectedFile.open(QIODevice::WriteOnly | QIODevice::Truncate));
        expectedFile.write(out.data());
        QSKIP("golden file rewritten");
    }
    QFile expectedFile(expectedPath);
    QVERIFY2(expectedFile.open(QIODevice::ReadOnly), qPrintable(expectedPath));
    const QList<QByteArray> expected = expectedFile.readAll().split('\n');
    const QList<QByteArray> actual = out.data().split('\n');
    QCOMPARE(actual.size(), expected.size());
    for (qsizetype i = 0; i < actual.size(); ++i) {
        if (expected.at(i).isEmpty()) {
            QVERIFY(actual.at(i).isEmpty());
            continue;
        }
        const QJsonObject want = QJsonDocument::fromJson(expected.at(i)).object();
        const QJsonObject got = QJsonDocument::fromJson(actual.at(i)).object();
        QVERIFY2(want == got, qPrintable(QStringLiteral("record %1 differs:\n  expected %2\n  actual   %3")
                                             .arg(i)
                                             .arg(QString::fromUtf8(expected.at(i)), QString::fromUtf8(actual.at(i)))));
    }
}

void TestGoldenMappings::demoMappingsMatchTheirGoldenCopies_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("leads") << QStringLiteral("portal-leads-to-crm-event");
    QTest::newRow("listings") << QStringLiteral("reso-property-to-crm-listing");
}

// The shipped demo mappings are the ones the golden folders pin down.
void TestGoldenMappings::demoMappingsMatchTheirGoldenCopies()
{
    QFETCH(QString, name);
    QFile shipped(QStringLiteral(TRANSOM_RESOURCES "/mappings/%1.json").arg(name));
    QFile golden(QStringLiteral(TRANSOM_TEST_DATA "/mappings/%1/mapping.json").arg(name));
    QVERIFY(shipped.open(QIODevice::ReadOnly));
    QVERIFY(golden.open(QIODevice::ReadOnly));
    QCOMPARE(QJsonDocument::fromJson(shipped.readAll()), QJsonDocument::fromJson(golden.readAll()));
}

QTEST_APPLESS_MAIN(TestGoldenMappings)
#include "tst_goldenmappings.moc"
