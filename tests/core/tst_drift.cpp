#include "core/mapping/drift.h"

#include <QJsonDocument>
#include <QTest>

using namespace transom::mapping;

class TestDrift : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void vendorRenamesPhone();
    void noDriftOnTheSamplesTheMappingWasBuiltFor();
    void withoutAFieldListOnlyMissingFieldsAreReported();
};

namespace {

MappingDocument leadMapping()
{
    auto doc = MappingDocument::load(QStringLiteral(TRANSOM_RESOURCES "/mappings/portal-leads-to-crm-event.json"));
    if (!doc)
        qFatal("%s", qPrintable(doc.error().toString()));
    return doc.value();
}

SchemaInference samples(const QList<QByteArray> &records)
{
    SchemaInference schema;
    for (const QByteArray &r : records)
        schema.add(QJsonDocument::fromJson(r).object());
    return schema;
}

const QByteArray v1 =
    R"({"lead_id": "ZL-1", "first_name": "A", "last_name": "B", "phone": "512-555-0142", "email": "a@x.com",
    "created_at": "11/20/2026 08:14 AM", "status": "_new_", "budget": "1", "source": "Zillow", "message": "",
    "agent_email": "agent1@brokerage.example",
    "property": {"address": "1 Oak", "city": "Austin", "state": "TX", "zip": "78704", "mls_number": "M1"}})";

} // namespace

// Scenario 4: the portal renames phone → phone_number and adds a required consent field.
void TestDrift::vendorRenamesPhone()
{
    QByteArray v2 = v1;
    v2.replace("\"phone\":", "\"phone_number\":");
    v2.replace("\"lead_id\"", "\"consent\": true, \"lead_id\"");
    const DriftReport report = detectDrift(leadMapping(), samples({v2, v2}));
    QCOMPARE(report.newFields, (QStringList{QStringLiteral("consent"), QStringLiteral("phone_number")}));
    QCOMPARE(report.missingFields, QStringList{QStringLiteral("phone")});
    QCOMPARE(report.summary(),
             QStringLiteral("New in the samples: consent, phone_number. Mapped but missing from every sample: phone."));
    QCOMPARE(report.toJson().value(QStringLiteral("missing_fields")).toArray().size(), 1);
}

void TestDrift::noDriftOnTheSamplesTheMappingWasBuiltFor()
{
    const DriftReport report = detectDrift(leadMapping(), samples({v1}));
    QVERIFY2(report.isEmpty(), qPrintable(report.summary()));
}

void TestDrift::withoutAFieldListOnlyMissingFieldsAreReported()
{
    MappingDocument doc;
    doc.fields = {FieldMapping{QStringLiteral("a"), {QStringLiteral("emails[0].value")}, {}, false, {}},
                  FieldMapping{QStringLiteral("b"),
                               {},
                               QJsonArray{QJsonObject{{QStringLiteral("rule"), QStringLiteral("template")},
                                                      {QStringLiteral("template"), QStringLiteral("{first} {last}")}}},
                               false,
                               {}}};
    const DriftReport report = detectDrift(doc, samples({R"({"emails": [{"value": "x"}], "first": "A", "extra": 1})"}));
    QVERIFY(report.newFields.isEmpty());
    QCOMPARE(report.missingFields, QStringList{QStringLiteral("last")});
}

QTEST_APPLESS_MAIN(TestDrift)
#include "tst_drift.moc"
