// docs/connectors.md is generated from the connectors' settings specs and the auth styles: this fails
// when the file and the generator differ (and says how to write it again), and checks that what the
// page documents is what the code accepts: each paging example loads, each auth style signs.
#include "core/connect/authstyles.h"
#include "core/connect/connectorreference.h"
#include "core/connect/connectorregistry.h"
#include "core/connect/restsink.h"
#include "core/connect/restsource.h"
#include "core/sync/connectionruntime.h"

#include <QFile>
#include <QJsonDocument>
#include <QTest>

using namespace transom;

class TestConnectorReference : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void docsMatchTheGenerator();
    void everySettingIsDocumented_data();
    void everySettingIsDocumented();
    void pagingExamplesLoad_data();
    void pagingExamplesLoad();
    void everyAuthStyleSigns_data();
    void everyAuthStyleSigns();
};

void TestConnectorReference::docsMatchTheGenerator()
{
    QFile file(QStringLiteral(TRANSOM_RESOURCES "/../docs/connectors.md"));
    QVERIFY2(file.open(QIODevice::ReadOnly),
             qPrintable(QStringLiteral("docs/connectors.md is missing: write it with `%1`")
                            .arg(connect::connectorReferenceCommand())));
    const QString onDisk = QString::fromUtf8(file.readAll());
    const QString generated = connect::connectorReferenceMarkdown();
    if (onDisk != generated) {
        const QStringList a = onDisk.split(u'\n'), b = generated.split(u'\n');
        qsizetype line = 0;
        while (line < a.size() && line < b.size() && a.at(line) == b.at(line))
            ++line;
        QFAIL(qPrintable(QStringLiteral("docs/connectors.md is out of date (first difference at line %1: \"%2\" in "
                                        "the file, \"%3\" generated). Regenerate it from the source tree's root "
                                        "with: build/app/%4")
                             .arg(line + 1)
                             .arg(a.value(line), b.value(line), connect::connectorReferenceCommand())));
    }
}

void TestConnectorReference::everySettingIsDocumented_data()
{
    QTest::addColumn<QString>("key");
    for (const connect::ConnectorSpec &c : connect::ConnectorRegistry::builtin().specs())
        for (const connect::SettingSpec &s : c.settings)
            QTest::newRow(qPrintable(c.kind + u' ' + s.key)) << s.key;
    for (const char *key : {"headers", "batch_body", "batch_match", "page_param", "batch_wrapper", "body_template",
                            "find_url", "timeout_ms"})
        QTest::newRow(key) << QString::fromLatin1(key);
    for (const connect::AuthStyleSpec &style : connect::authStyleSpecs()) {
        QTest::newRow(qPrintable(QStringLiteral("auth ") + style.style)) << style.style;
        for (const connect::SettingSpec &s : style.values)
            QTest::newRow(qPrintable(style.style + u' ' + s.key)) << s.key;
    }
    for (const QString &paging : {QStringLiteral("none"), QStringLiteral("offset"), QStringLiteral("page"),
                                  QStringLiteral("cursor"), QStringLiteral("next_link")})
        QTest::newRow(qPrintable(QStringLiteral("paging ") + paging)) << QStringLiteral("#### `%1`").arg(paging);
}

void TestConnectorReference::everySettingIsDocumented()
{
    QFETCH(QString, key);
    const QString text = connect::connectorReferenceMarkdown();
    QVERIFY2(text.contains(key.startsWith(u'#') ? key : QStringLiteral("`%1`").arg(key)), qPrintable(key));
}

void TestConnectorReference::pagingExamplesLoad_data()
{
    QTest::addColumn<QJsonObject>("settings");
    for (const connect::PagingExample &e : connect::pagingExamples())
        QTest::newRow(qPrintable(e.paging)) << e.settings;
}

void TestConnectorReference::pagingExamplesLoad()
{
    QFETCH(QJsonObject, settings);
    auto loaded = connect::RestSourceSettings::fromJson(settings);
    QVERIFY2(loaded.ok(), qPrintable(loaded.ok() ? QString() : loaded.error().toString()));
    QCOMPARE(int(loaded->paging),
             int(QList<QString>{QStringLiteral("none"), QStringLiteral("offset"), QStringLiteral("page"),
                                QStringLiteral("cursor"), QStringLiteral("next_link")}
                     .indexOf(settings.value(QStringLiteral("paging")).toString(QStringLiteral("none")))));
}

void TestConnectorReference::everyAuthStyleSigns_data()
{
    QTest::addColumn<QString>("style");
    for (const connect::AuthStyleSpec &s : connect::authStyleSpecs())
        QTest::newRow(qPrintable(s.style)) << s.style;
    QTest::newRow("unknown") << QStringLiteral("oauth_password");
}

void TestConnectorReference::everyAuthStyleSigns()
{
    QFETCH(QString, style);
    const connect::AuthStyleSpec *spec = connect::findAuthStyle(style);
    QJsonObject auth = spec ? spec->example : QJsonObject{{QStringLiteral("style"), style}};
    const QJsonObject project{
        {QStringLiteral("transom_project"), 1},
        {QStringLiteral("name"), QStringLiteral("p")},
        {QStringLiteral("connections"),
         QJsonObject{{QStringLiteral("crm"),
                      QJsonObject{{QStringLiteral("connector"), QStringLiteral("rest")},
                                  {QStringLiteral("kind"), QStringLiteral("sink")},
                                  {QStringLiteral("base_url"), QStringLiteral("http://127.0.0.1:1")},
                                  {QStringLiteral("auth"), auth},
                                  {QStringLiteral("settings"),
                                   QJsonObject{{QStringLiteral("create_url"), QStringLiteral("{base}/contacts")},
                                               {QStringLiteral("duplicate_is_delivered"), true}}}}}}},
        {QStringLiteral("jobs"), QJsonArray{}}};
    auto parsed = sync::Project::parse(QJsonDocument(project).toJson(), QStringLiteral("/tmp/p/project.json"));
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().toString()));
    sync::SecretAccess secrets;
    secrets.read = [](const QString &, const QString &key) { return QStringLiteral("secret-of-") + key; };
    net::HttpClient http;
    auto runtime = sync::ConnectionRuntime::create(parsed.value(), *parsed->connection(QStringLiteral("crm")),
                                                   connect::PresetLibrary(), http, secrets, nullptr);
    if (spec) {
        QVERIFY2(runtime.ok(), qPrintable(runtime.ok() ? QString() : runtime.error().toString()));
        return;
    }
    QVERIFY(!runtime.ok());
    const QString message = runtime.error().toString();
    for (const connect::AuthStyleSpec &s : connect::authStyleSpecs())
        QVERIFY2(message.contains(s.style), qPrintable(message));
    QVERIFY2(message.contains(QLatin1String("docs/connectors.md")), qPrintable(message));
}

QTEST_GUILESS_MAIN(TestConnectorReference)
#include "tst_connectorreference.moc"
