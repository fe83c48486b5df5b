#include "core/connect/connectorreference.h"

#include "core/connect/authstyles.h"
#include "core/connect/connectorregistry.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace transom::connect {

namespace {

QString code(const QString &text)
{
    return QStringLiteral("`%1`").arg(text);
}

/// Text for one table cell: a "|" would end the cell, a line break the row.
QString cell(QString text)
{
    return text.replace(QLatin1Char('|'), QLatin1String("\\|")).replace(QLatin1Char('\n'), QLatin1Char(' '));
}

QString typeText(const SettingSpec &s)
{
    using T = SettingSpec::Type;
    switch (s.type) {
    case T::Text:
        return QStringLiteral("text");
    case T::Url:
        return QStringLiteral("URL");
    case T::Secret:
        return QStringLiteral("secret");
    case T::Integer:
        return QStringLiteral("integer");
    case T::Boolean:
        return QStringLiteral("true / false");
    case T::FieldPath:
        return QStringLiteral("field path");
    case T::Headers:
        return QStringLiteral("JSON object");
    case T::Choice: {
        QStringList choices;
        for (const QString &c : s.choices)
            choices.append(code(c));
        return QStringLiteral("one of ") + choices.join(QStringLiteral(", "));
    }
    }
    return {};
}

QString defaultText(const QJsonValue &v)
{
    if (v.isUndefined() || v.isNull())
        return {};
    if (v.isString())
        return v.toString().isEmpty() ? QStringLiteral("empty") : code(v.toString());
    if (v.isBool())
        return code(v.toBool() ? QStringLiteral("true") : QStringLiteral("false"));
    if (v.isDouble())
        return code(QString::number(v.toInteger()));
    if (v.isObject() && v.toObject().isEmpty())
        return QStringLiteral("none");
    return code(QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact)));
}

QString table(const QList<SettingSpec> &specs)
{
    QString out = QStringLiteral("| Key | Type | Default | Meaning |\n| --- | --- | --- | --- |\n");
    for (const SettingSpec &s : specs) {
        const QString meaning = s.help.isEmpty() ? s.label : s.label + QStringLiteral(": ") + s.help;
        out += QStringLiteral("| %1%2 | %3 | %4 | %5 |\n")
                   .arg(code(s.key), s.required ? QStringLiteral(" (required)") : QString(), cell(typeText(s)),
                        cell(defaultText(s.defaultValue)), cell(meaning));
    }
    return out;
}

QString jsonBlock(const QJsonObject &o)
{
    return QStringLiteral("```json\n%1```\n").arg(QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Indented)));
}

QList<PagingExample> buildPagingExamples()
{
    const QString base = QStringLiteral("https://api.example.com");
    return {
        {QStringLiteral("none"), QStringLiteral("One request returns every record."),
         QJsonObject{{QStringLiteral("url"), base + QStringLiteral("/leads")},
                     {QStringLiteral("records_path"), QStringLiteral("leads")}}},
        {QStringLiteral("offset"),
         QStringLiteral("Each request skips the records already read: `?offset=0&limit=100`, then `offset=100`, … "
                        "(`$skip` and `$top` for OData without next links). The last page is the first one "
                        "shorter than `page_size`."),
         QJsonObject{{QStringLiteral("url"), base + QStringLiteral("/leads")},
                     {QStringLiteral("records_path"), QStringLiteral("leads")},
                     {QStringLiteral("paging"), QStringLiteral("offset")},
                     {QStringLiteral("offset_param"), QStringLiteral("offset")},
                     {QStringLiteral("page_size_param"), QStringLiteral("limit")},
                     {QStringLiteral("page_size"), 100}}},
        {QStringLiteral("page"),
         QStringLiteral("Pages are numbered from 1: `?page=1&per_page=50`, then `page=2`, … The last page is the "
                        "first one shorter than `page_size`."),
         QJsonObject{{QStringLiteral("url"), base + QStringLiteral("/leads")},
                     {QStringLiteral("records_path"), QStringLiteral("data")},
                     {QStringLiteral("paging"), QStringLiteral("page")},
                     {QStringLiteral("page_param"), QStringLiteral("page")},
                     {QStringLiteral("page_size_param"), QStringLiteral("per_page")},
                     {QStringLiteral("page_size"), 50}}},
        {QStringLiteral("cursor"),
         QStringLiteral("Each reply names the next page's cursor (at `cursor_path`), sent back in `cursor_param`; "
                        "no cursor means the last page."),
         QJsonObject{{QStringLiteral("url"), base + QStringLiteral("/leads")},
                     {QStringLiteral("records_path"), QStringLiteral("leads")},
                     {QStringLiteral("paging"), QStringLiteral("cursor")},
                     {QStringLiteral("cursor_param"), QStringLiteral("cursor")},
                     {QStringLiteral("cursor_path"), QStringLiteral("next_cursor")},
                     {QStringLiteral("page_size_param"), QStringLiteral("limit")},
                     {QStringLiteral("page_size"), 100}}},
        {QStringLiteral("next_link"),
         QStringLiteral("Each reply holds the whole URL of the next page (OData `@odata.nextLink`, "
                        "`_metadata.nextLink`); it is followed only while it stays on the connection's scheme, "
                        "host and port."),
         QJsonObject{{QStringLiteral("url"), base + QStringLiteral("/odata/Property")},
                     {QStringLiteral("records_path"), QStringLiteral("value")},
                     {QStringLiteral("paging"), QStringLiteral("next_link")},
                     {QStringLiteral("next_link_path"), QStringLiteral("[\"@odata.nextLink\"]")},
                     {QStringLiteral("page_size_param"), QStringLiteral("$top")},
                     {QStringLiteral("page_size"), 1000}}},
    };
}

QString authSection()
{
    QString out = QStringLiteral(
        "## Sign-in (`auth`)\n\n"
        "A connection's `auth` object says how its calls are signed: `style` is one of the styles below; the "
        "other keys are the style's own. Secrets never go in the project file: they are read from the keychain "
        "(the studio), the credentials file (`credentials.json` beside the project, mode 0600, or "
        "`TRANSOM_CREDENTIALS`), or the environment as `TRANSOM_SECRET_<CONNECTION>_<KEY>` (e.g. "
        "`TRANSOM_SECRET_CRM_API_KEY`).\n\n");
    for (const AuthStyleSpec &s : authStyleSpecs()) {
        out += QStringLiteral("### `%1`: %2\n\n%3\n\n").arg(s.style, s.label, s.help);
        if (!s.values.isEmpty())
            out += table(s.values) + u'\n';
        if (!s.secrets.isEmpty()) {
            QStringList secrets;
            for (const QString &secret : s.secrets)
                secrets.append(code(secret));
            out += QStringLiteral("Secrets: %1.\n\n").arg(secrets.join(QStringLiteral(", ")));
        }
        out += jsonBlock(QJsonObject{{QStringLiteral("auth"), s.example}}) + u'\n';
    }
    out += QStringLiteral("### Keys every style takes\n\n") + table(authCommonValues()) + u'\n';
    return out;
}

QString connectorSection(const ConnectorSpec &c)
{
    const QString title = c.kind == QLatin1String("source") ? QStringLiteral("source") : QStringLiteral("sink");
    QString out = QStringLiteral("## `%1` %2\n\n%3\n\n").arg(c.name, title, c.summary);
    out += QStringLiteral("Settings go in the connection's `settings` (over its preset's, when it has one); "
                          "`{base}` in a preset's value stands for the connection's `base_url`.\n\n");
    out += table(c.settings) + u'\n';
    if (c.name == QLatin1String("rest") && c.kind == QLatin1String("source")) {
        out += QStringLiteral("### Paging\n\n");
        for (const PagingExample &e : pagingExamples())
            out += QStringLiteral("#### `%1`\n\n%2\n\n").arg(e.paging, e.explanation) +
                   jsonBlock(QJsonObject{{QStringLiteral("settings"), e.settings}}) + u'\n';
    }
    if (c.name == QLatin1String("rest") && c.kind == QLatin1String("sink")) {
        out += QStringLiteral(
            "### Batches\n\n"
            "A job with `\"batch\": true` sends up to `batch_size` records per call to `batch_url`. The body is "
            "`{\"<batch_wrapper>\": [...]}` (`batch_body` `wrapped`, the default while `batch_wrapper` is set; "
            "it is `people` unless changed), a bare JSON array (`array`, also what an empty `batch_wrapper` "
            "means), or one record per line (`ndjson`). Each record's result is read from the list at "
            "`batch_results_path`, matched by position or by the external id it names (`batch_match` `id`). A "
            "record the reply does not clearly account for (no result, a result that is not an object, an id "
            "named twice, a list of the wrong length) is never counted as delivered: it is looked up by "
            "`find_url` (or sent again where the vendor keeps that to one record) before anything else.\n\n"
            "A contacts CRM taking a bare array at `POST /contacts/batch` and answering "
            "`{\"results\": [{\"external_id\": \"ZL-1\", \"status\": \"created\", \"id\": 7}]}`:\n\n");
        out += jsonBlock(QJsonObject{
            {QStringLiteral("settings"),
             QJsonObject{{QStringLiteral("create_url"), QStringLiteral("{base}/contacts")},
                         {QStringLiteral("find_url"), QStringLiteral("{base}/contacts?external_id={external_id}")},
                         {QStringLiteral("find_records_path"), QStringLiteral("data")},
                         {QStringLiteral("batch_url"), QStringLiteral("{base}/contacts/batch")},
                         {QStringLiteral("batch_body"), QStringLiteral("array")},
                         {QStringLiteral("batch_match"), QStringLiteral("id")},
                         {QStringLiteral("batch_result_id_path"), QStringLiteral("external_id")},
                         {QStringLiteral("batch_result_error_path"), QStringLiteral("error")}}}});
        out += u'\n';
    }
    return out;
}

} // namespace

const QList<PagingExample> &pagingExamples()
{
    static const QList<PagingExample> examples = buildPagingExamples();
    return examples;
}

QString connectorReferenceCommand()
{
    return QStringLiteral("transom-run docs connectors > docs/connectors.md");
}

QString connectorReferenceMarkdown()
{
    QString out =
        QStringLiteral("# Connector settings reference\n\n"
                       "<!-- Generated from the connectors' settings specs (core/connect): do not edit by hand. "
                       "Regenerate with `%1` (tst_connectorreference fails when this file is out of date). -->\n\n"
                       "Every setting a connection can have, by connector, and every way it can sign in. A "
                       "connection in a project file looks like this (the user guide has the whole file):\n\n")
            .arg(connectorReferenceCommand());
    out += jsonBlock(QJsonObject{
        {QStringLiteral("connections"),
         QJsonObject{
             {QStringLiteral("crm"),
              QJsonObject{
                  {QStringLiteral("preset"), QStringLiteral("oauth-crm")},
                  {QStringLiteral("base_url"), QStringLiteral("https://crm.example.com")},
                  {QStringLiteral("auth"), QJsonObject{{QStringLiteral("client_id"), QStringLiteral("transom")}}},
                  {QStringLiteral("settings"), QJsonObject{{QStringLiteral("mode"), QStringLiteral("create")}}}}}}}});
    out += QStringLiteral("\nA connection without a preset names its `connector` (`rest` or `file`) and `kind` "
                          "(`source` or `sink`) and gives every setting itself.\n\n");
    for (const ConnectorSpec &c : ConnectorRegistry::builtin().specs())
        out += connectorSection(c);
    out += authSection();
    return out.trimmed() + u'\n';
}

} // namespace transom::connect
