#include "core/connect/connectorregistry.h"

#include "core/connect/restsink.h"
#include "core/connect/restsource.h"
#include "core/io/recordreader.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

namespace transom::connect {

namespace {

/// Records from a file (JSON, NDJSON, CSV, API envelopes), in pages.
class FileSource final : public Source {
public:
    FileSource(QString path, int pageSize) : m_path(std::move(path)), m_pageSize(pageSize) {}

    void start(const QJsonObject &) override
    {
        auto reader = io::RecordReader::open(m_path);
        m_error = reader ? QString() : reader.error().toString();
        if (reader)
            m_reader = std::move(reader.value());
    }

    void next(PageReady ready) override
    {
        SourcePage page;
        if (!m_reader) {
            page.error = m_error.isEmpty() ? QStringLiteral("the file source was not started") : m_error;
            ready(page);
            return;
        }
        io::SourceRecord record;
        page.last = true;
        while (m_reader->next(record)) {
            if (record.problem.isEmpty())
                page.records.append(QJsonDocument(record.data).toJson(QJsonDocument::Compact));
            else
                page.problems.append(record.problem);
            if (page.records.size() + page.problems.size() >= m_pageSize) {
                page.last = false;
                break;
            }
        }
        ++m_requests;
        ready(page);
    }

    QJsonObject checkpoint() const override { return {}; }
    int requestsMade() const override { return m_requests; }

private:
    QString m_path;
    int m_pageSize;
    std::unique_ptr<io::RecordReader> m_reader;
    QString m_error;
    int m_requests = 0;
};

} // namespace

QJsonObject withBaseUrl(const QJsonObject &object, const QString &base)
{
    QJsonObject out;
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (it.value().isString())
            out.insert(it.key(), QString(it.value().toString()).replace(QLatin1String("{base}"), base));
        else if (it.value().isObject())
            out.insert(it.key(), withBaseUrl(it.value().toObject(), base));
        else
            out.insert(it.key(), it.value());
    }
    return out;
}

const ConnectorRegistry &ConnectorRegistry::builtin()
{
    static const ConnectorRegistry registry = [] {
        ConnectorRegistry r;
        r.m_specs.append({QStringLiteral("rest"), QStringLiteral("source"),
                          QStringLiteral("Pulls records from a REST API, page by page, optionally only what changed."),
                          RestSourceSettings::spec()});
        r.m_specs.append({QStringLiteral("file"),
                          QStringLiteral("source"),
                          QStringLiteral("Reads records from a JSON, NDJSON or CSV file."),
                          {{QStringLiteral("path"), QStringLiteral("File"), SettingSpec::Type::Text, true, {}, {}, {}},
                           {QStringLiteral("page_size"),
                            QStringLiteral("Records per page"),
                            SettingSpec::Type::Integer,
                            false,
                            500,
                            {},
                            {}}}});
        r.m_specs.append(
            {QStringLiteral("rest"), QStringLiteral("sink"),
             QStringLiteral("Sends records to a REST API: create, update, upsert, PUT by key, or batches."),
             RestSinkSettings::spec()});
        return r;
    }();
    return registry;
}

const ConnectorSpec *ConnectorRegistry::find(const QString &kind, const QString &name) const
{
    for (const ConnectorSpec &spec : m_specs)
        if (spec.kind == kind && spec.name == name)
            return &spec;
    return nullptr;
}

Expected<std::unique_ptr<Source>> ConnectorRegistry::createSource(const QString &name, const QJsonObject &settings,
                                                                  auth::AuthorizedClient &client) const
{
    if (name == QLatin1String("rest")) {
        auto s = RestSourceSettings::fromJson(settings);
        if (!s)
            return s.error();
        return std::unique_ptr<Source>(std::make_unique<RestSource>(s.value(), client));
    }
    if (name == QLatin1String("file")) {
        const QString path = settings.value(QLatin1String("path")).toString();
        if (path.isEmpty())
            return Error(QStringLiteral("setting \"path\": a file source needs a file"), {}, 0, 0,
                         QStringLiteral("path"));
        return std::unique_ptr<Source>(
            std::make_unique<FileSource>(path, std::max(1, settings.value(QLatin1String("page_size")).toInt(500))));
    }
    return Error(QStringLiteral("there is no source connector named \"%1\" (there are: rest, file)").arg(name));
}

Expected<std::unique_ptr<Sink>> ConnectorRegistry::createSink(const QString &name, const QJsonObject &settings,
                                                              auth::AuthorizedClient &client) const
{
    if (name != QLatin1String("rest"))
        return Error(QStringLiteral("there is no sink connector named \"%1\" (there is: rest)").arg(name));
    auto s = RestSinkSettings::fromJson(settings);
    if (!s)
        return s.error();
    return std::unique_ptr<Sink>(std::make_unique<RestSink>(s.value(), client));
}

QJsonObject Preset::settingsFor(const QString &baseUrl) const
{
    return withBaseUrl(settings, baseUrl);
}

Expected<Preset> PresetLibrary::parse(const QByteArray &json, const QString &file)
{
    QJsonParseError e;
    const QJsonObject o = QJsonDocument::fromJson(json, &e).object();
    if (e.error != QJsonParseError::NoError)
        return Error(QStringLiteral("the preset is not valid JSON: %1").arg(e.errorString()), file);
    Preset p;
    p.file = file;
    p.id = o.value(QLatin1String("id")).toString();
    p.name = o.value(QLatin1String("name")).toString();
    p.kind = o.value(QLatin1String("kind")).toString();
    p.connector = o.value(QLatin1String("connector")).toString(QStringLiteral("rest"));
    p.auth = o.value(QLatin1String("auth")).toObject();
    p.settings = o.value(QLatin1String("settings")).toObject();
    p.limits = o.value(QLatin1String("limits")).toObject();
    p.fields = o.value(QLatin1String("fields")).toArray();
    p.webhook = o.value(QLatin1String("webhook")).toObject();
    if (o.value(QLatin1String("transom_preset")).toInt() != 1)
        return Error(QStringLiteral("not a Transom preset (\"transom_preset\": 1 is missing)"), file);
    if (p.id.isEmpty() || p.name.isEmpty())
        return Error(QStringLiteral("a preset needs an id and a name"), file);
    if (p.kind != QLatin1String("source") && p.kind != QLatin1String("sink"))
        return Error(QStringLiteral("\"kind\" must be source or sink"), file);
    if (!ConnectorRegistry::builtin().find(p.kind, p.connector))
        return Error(QStringLiteral("there is no %1 connector named \"%2\"").arg(p.kind, p.connector), file);
    return p;
}

PresetLibrary PresetLibrary::load(const QStringList &folders, QList<Error> *errors)
{
    PresetLibrary library;
    library.m_folders = folders;
    for (const QString &folder : folders) {
        const QDir dir(folder);
        for (const QString &name : dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name)) {
            QFile f(dir.filePath(name));
            if (!f.open(QIODevice::ReadOnly))
                continue;
            auto preset = parse(f.readAll(), f.fileName());
            if (!preset) {
                if (errors)
                    errors->append(preset.error());
                continue;
            }
            // A user's preset with the same id replaces the shipped one.
            library.m_presets.removeIf([&](const Preset &p) { return p.id == preset->id; });
            library.m_presets.append(preset.value());
        }
    }
    return library;
}

const Preset *PresetLibrary::find(const QString &id) const
{
    for (const Preset &p : m_presets)
        if (p.id == id)
            return &p;
    return nullptr;
}

} // namespace transom::connect
