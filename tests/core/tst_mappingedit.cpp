// Edits the studio makes to a mapping document, mapping suggestions, distinct sample values and
// pinned-sample checks.
#include "core/mapping/mappingchecks.h"
#include "core/mapping/mappingcompiler.h"
#include "core/mapping/mappingedit.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace transom::mapping;

namespace {
/// "a b c" → {"a", "b", "c"}: short lists in data rows.
QStringList list(const char *words)
{
    return QString::fromUtf8(words).split(QLatin1Char(' '), Qt::SkipEmptyParts);
}
QJsonObject json(const char *text)
{
    return QJsonDocument::fromJson(text).object();
}
} // namespace

class TestMappingEdit : public QObject {
    Q_OBJECT

    static MappingDocument leadDocument()
    {
        auto doc = MappingDocument::load(QStringLiteral(TRANSOM_RESOURCES "/mappings/portal-leads-to-crm-event.json"));
        if (!doc)
            qFatal("demo mapping missing");
        return doc.value();
    }

private Q_SLOTS:
    void mapReplaceAndAdd()
    {
        MappingDocument doc;
        QVERIFY(mapField(doc, QStringLiteral("person.firstName"), QStringLiteral("first_name"), MapMode::Replace));
        QCOMPARE(doc.fields.size(), 1);
        QCOMPARE(doc.fields.first().from, QStringList{QStringLiteral("first_name")});
        QVERIFY(!mapField(doc, QStringLiteral("person.firstName"), QStringLiteral("first_name"), MapMode::Replace));
        QVERIFY(mapField(doc, QStringLiteral("person.firstName"), QStringLiteral("name.first"), MapMode::AddInput));
        QCOMPARE(doc.fields.first().from, (QStringList{QStringLiteral("first_name"), QStringLiteral("name.first")}));
        QVERIFY(mapField(doc, QStringLiteral("person.firstName"), QStringLiteral("given"), MapMode::Replace));
        QCOMPARE(doc.fields.first().from, QStringList{QStringLiteral("given")});
        QVERIFY(mapField(doc, QStringLiteral("media"), QStringLiteral("Media[].MediaURL"), MapMode::Replace));
        QCOMPARE(doc.fields.last().from, QStringList{QStringLiteral("Media[0].MediaURL")});
        QVERIFY(unmapField(doc, QStringLiteral("media")));
        QVERIFY(!unmapField(doc, QStringLiteral("media")));
        QCOMPARE(doc.fields.size(), 1);
    }

    void rulesSurviveRemapping()
    {
        MappingDocument doc = leadDocument();
        const int i = fieldIndexOf(doc, QStringLiteral("person.phones[0].value"));
        QVERIFY(i >= 0);
        const QJsonArray rules = doc.fields.at(i).rules;
        QVERIFY(!rules.isEmpty());
        QVERIFY(mapField(doc, QStringLiteral("person.phones[0].value"), QStringLiteral("mobile"), MapMode::Replace));
        QCOMPARE(doc.fields.at(i).rules, rules);
        QVERIFY(setRules(doc, QStringLiteral("person.phones[0].value"), QJsonArray{json(R"({"rule": "trim"})")}));
        QCOMPARE(doc.fields.at(i).rules.size(), 1);
        QVERIFY(setRequired(doc, QStringLiteral("person.lastName"), true));
        QVERIFY(!setRequired(doc, QStringLiteral("person.lastName"), true));
        // The edited document still round-trips through its JSON form and compiles.
        auto again = MappingDocument::parse(doc.toJsonText());
        QVERIFY2(again.ok(), qPrintable(again ? QString() : again.error().toString()));
        QVERIFY(MappingCompiler::compile(again.value()).ok());
    }

    void suggestions_data()
    {
        QTest::addColumn<QStringList>("sources");
        QTest::addColumn<QStringList>("targets");
        QTest::addColumn<QStringList>("expected"); // "source→target" pairs, in any order

        QTest::newRow("same names through case and separators")
            << list("first_name last_name email") << list("person.firstName person.lastName person.emails[0].value")
            << list("first_name→person.firstName last_name→person.lastName email→person.emails[0].value");
        QTest::newRow("RESO names to CRM names")
            << list("ListPrice City StateOrProvince PostalCode UnparsedAddress ListingId")
            << list("listing.price listing.city listing.state listing.zip listing.street listing.mlsNumber")
            << list("ListPrice→listing.price City→listing.city StateOrProvince→listing.state "
                    "PostalCode→listing.zip UnparsedAddress→listing.street ListingId→listing.mlsNumber");
        QTest::newRow("parent context breaks ties")
            << list("agent.city property.city") << list("property.city") << list("property.city→property.city");
        QTest::newRow("phone synonyms, one source per target")
            << list("mobile cell") << list("person.phones[0].value") << list("mobile→person.phones[0].value");
        QTest::newRow("nothing alike") << list("zzz qqq") << list("person.firstName") << QStringList();
        QTest::newRow("array sources become concrete paths") << list("emails[].value") << list("person.emails[0].value")
                                                             << list("emails[0].value→person.emails[0].value");
    }

    void suggestions()
    {
        QFETCH(QStringList, sources);
        QFETCH(QStringList, targets);
        QFETCH(QStringList, expected);
        MappingDocument doc;
        QStringList got;
        for (const Suggestion &s : suggestMappings(doc, sources, targets)) {
            QVERIFY(!s.reason.isEmpty());
            got.append(s.source + QStringLiteral("→") + s.target);
        }
        got.sort();
        expected.sort();
        QCOMPARE(got, expected);
    }

    void suggestionsSkipMappedTargets()
    {
        MappingDocument doc = leadDocument();
        const QList<Suggestion> s =
            suggestMappings(doc, {QStringLiteral("first_name")}, {QStringLiteral("person.firstName")});
        QVERIFY(s.isEmpty());
    }

    void distinctValuesMostFrequentFirst()
    {
        QList<QJsonObject> records;
        for (const char *status : {"new", "_hot_lead_prospect_", "new", "", "new", "_hot_lead_prospect_"})
            records.append(QJsonObject{{QStringLiteral("status"), QString::fromUtf8(status)}});
        records.append(json(R"({"status": null})"));
        records.append(json(R"({"other": 1})"));
        const auto values = distinctValues(records, QStringLiteral("status"));
        QCOMPARE(values.size(), 3);
        QCOMPARE(values.at(0), (QPair<QString, int>{QStringLiteral("new"), 3}));
        QCOMPARE(values.at(1), (QPair<QString, int>{QStringLiteral("_hot_lead_prospect_"), 2}));
        QCOMPARE(values.at(2), (QPair<QString, int>{QString(), 1}));
    }

    void checksFlagWhatChanged()
    {
        const MappingDocument doc = leadDocument();
        const auto compiled = MappingCompiler::compile(doc);
        QVERIFY(compiled.ok());
        const QJsonObject lead = json(R"({"lead_id": "ZL-1", "first_name": "maria", "last_name": "garcia",
            "email": "maria@example.com", "phone": "(512) 555-0142", "created_at": "11/20/2026 08:05 AM",
            "status": "new", "source": "Zillow"})");
        MappingCheck pinned{QStringLiteral("Maria"), lead, compiled.mapping->map(lead).record()};

        QTemporaryDir dir;
        const QString path = checksPathFor(dir.filePath(QStringLiteral("leads.json")));
        QVERIFY(path.endsWith(QLatin1String("leads.checks.json")));
        QVERIFY(saveChecks(path, {pinned}).ok());
        auto loaded = loadChecks(path);
        QVERIFY(loaded.ok());
        QCOMPARE(loaded.value().size(), 1);
        QCOMPARE(loaded.value().first().expected, pinned.expected);

        QList<CheckResult> results = runChecks(*compiled.mapping, loaded.value());
        QVERIFY(results.first().passed);

        // The vendor renames "phone" to "phone_number": the check says what broke and why.
        QJsonObject renamed = lead;
        renamed.remove(QStringLiteral("phone"));
        renamed.insert(QStringLiteral("phone_number"), QStringLiteral("(512) 555-0142"));
        results = runChecks(*compiled.mapping, {{QStringLiteral("renamed"), renamed, pinned.expected}});
        QVERIFY(!results.first().passed);
        QCOMPARE(results.first().differences.size(), 1);
        QVERIFY2(results.first().differences.first().startsWith(QLatin1String("person.phones[0].value: expected")),
                 qPrintable(results.first().differences.first()));
        QVERIFY(results.first().differences.first().contains(QLatin1String("got nothing")));

        QVERIFY(loadChecks(dir.filePath(QStringLiteral("none.checks.json"))).value().isEmpty());
        QFile bad(dir.filePath(QStringLiteral("bad.checks.json")));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("{\"checks\": [{\"name\": \"x\"}]}");
        bad.close();
        auto refused = loadChecks(bad.fileName());
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().path, QStringLiteral("checks[0]"));
    }
};

QTEST_GUILESS_MAIN(TestMappingEdit)
#include "tst_mappingedit.moc"
