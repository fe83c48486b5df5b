// The preview's counts: a required target field the mapping does not produce is an error on every
// record (it used to pass as "clean" while the destination would refuse every one of them).
#include "core/mapping/mappingcompiler.h"
#include "core/mapping/mappingpreview.h"

#include <QBuffer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace transom;

namespace {

/// Three leads; the third has no e-mail address.
const QByteArray kLeads = R"([
  {"lead_id": "L1", "first_name": "Maria", "email": "maria@example.com"},
  {"lead_id": "L2", "first_name": "Tom", "email": "tom@example.com"},
  {"lead_id": "L3", "first_name": "Ana"}
])";

mapping::MappingDocument documentFrom(const QByteArray &fields, const QByteArray &targetFields)
{
    const QByteArray text = R"({"transom_mapping": 1, "name": "leads", "source": {"id_field": "lead_id"},
        "target": {"fields": )" +
                            targetFields + R"(}, "fields": )" + fields + "}";
    auto document = mapping::MappingDocument::parse(text, QStringLiteral("leads.json"));
    if (!document)
        qFatal("%s", qPrintable(document.error().toString()));
    return document.value();
}

} // namespace

class TestMappingPreview : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void unmappedRequiredFields_data();
    void unmappedRequiredFields();
};

void TestMappingPreview::unmappedRequiredFields_data()
{
    QTest::addColumn<QByteArray>("fields");
    QTest::addColumn<QByteArray>("targetFields");
    QTest::addColumn<QStringList>("unmapped");    ///< fields reported on every record
    QTest::addColumn<int>("clean");               ///< of the three leads
    QTest::addColumn<qint64>("fieldErrors");      ///< in the summary
    QTest::addColumn<QStringList>("errorFields"); ///< errorsByField keys

    const QByteArray name = R"({"target": "person.firstName", "from": "first_name"})";
    const QByteArray email = R"({"target": "person.email", "from": "email", "required": true})";
    const QByteArray required = R"([{"path": "person.firstName", "required": true},
                                    {"path": "person.email", "required": true}, "person.note"])";

    QTest::newRow("everything required is mapped") << "[" + name + "," + email + "]" << required << QStringList() << 2
                                                   << qint64(1) << QStringList{QStringLiteral("person.email")};
    QTest::newRow("required firstName and e-mail unmapped")
        << QByteArray("[]") << required
        << QStringList{QStringLiteral("person.firstName"), QStringLiteral("person.email")} << 0 << qint64(6)
        << QStringList{QStringLiteral("person.email"), QStringLiteral("person.firstName")};
    QTest::newRow("required firstName unmapped, e-mail mapped")
        << "[" + email + "]" << required << QStringList{QStringLiteral("person.firstName")} << 0 << qint64(4)
        << QStringList{QStringLiteral("person.email"), QStringLiteral("person.firstName")};
    QTest::newRow("an optional target field unmapped is no error")
        << "[" + name + "]" << QByteArray(R"(["person.email", "person.note"])") << QStringList() << 3 << qint64(0)
        << QStringList();
    QTest::newRow("required on a field mapping that does not compile")
        << QByteArray(R"([{"target": "person.firstName", "from": "first_name", "required": true,
                           "rules": [{"rule": "no_such_rule"}]}])")
        << QByteArray("[]") << QStringList{QStringLiteral("person.firstName")} << 0 << qint64(3)
        << QStringList{QStringLiteral("person.firstName")};
}

void TestMappingPreview::unmappedRequiredFields()
{
    QFETCH(QByteArray, fields);
    QFETCH(QByteArray, targetFields);
    QFETCH(QStringList, unmapped);
    QFETCH(int, clean);
    QFETCH(qint64, fieldErrors);
    QFETCH(QStringList, errorFields);

    const mapping::MappingDocument document = documentFrom(fields, targetFields);
    const auto compiled = mapping::MappingCompiler::compile(document);
    QVERIFY(compiled.mapping);

    const QList<mapping::FieldError> errors = mapping::unmappedRequiredErrors(document, *compiled.mapping);
    QStringList reported;
    for (const mapping::FieldError &e : errors) {
        reported.append(e.field);
        QCOMPARE(e.rule, QStringLiteral("required"));
        QVERIFY2(e.message.contains(e.field), qPrintable(e.message));
    }
    QCOMPARE(reported, unmapped);

    auto reader = io::RecordReader::fromData(kLeads, QStringLiteral("leads.json"));
    QVERIFY(reader.ok());
    QBuffer out;
    out.open(QIODevice::WriteOnly);
    mapping::MappingPreview preview(*compiled.mapping, &document);
    const mapping::PreviewSummary summary = preview.run(*reader.value(), out);
    QCOMPARE(summary.records, qint64(3));
    QCOMPARE(summary.clean, qint64(clean));
    QCOMPARE(summary.withErrors, qint64(3 - clean));
    QCOMPARE(summary.fieldErrors, fieldErrors);
    QCOMPARE(summary.errorsByField.keys(), errorFields);
    for (const QString &field : std::as_const(unmapped))
        QCOMPARE(summary.errorsByField.value(field), qint64(3)); // on every record

    // Each record's line names the unmapped fields among its errors.
    const QList<QByteArray> lines = out.data().trimmed().split('\n');
    QCOMPARE(lines.size(), 3);
    for (const QByteArray &line : lines) {
        QStringList lineFields;
        for (const QJsonValue &e : QJsonDocument::fromJson(line).object().value(QLatin1String("errors")).toArray())
            lineFields.append(e.toObject().value(QLatin1String("field")).toString());
        for (const QString &field : std::as_const(unmapped))
            QVERIFY2(lineFields.contains(field), line.constData());
    }
}

QTEST_APPLESS_MAIN(TestMappingPreview)
#include "tst_mappingpreview.moc"
