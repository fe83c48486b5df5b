#include "core/mapping/mappingdocument.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonParseError>

namespace transom::mapping {

namespace {

using Steps = std::vector<JsonLocator::Step>;

Steps operator+(Steps path, JsonLocator::Step step)
{
    path.push_back(std::move(step));
    return path;
}

bool readStringList(const QJsonValue &v, QStringList &out)
{
    if (v.isString()) {
        out = {v.toString()};
        return true;
    }
    if (!v.isArray())
        return false;
    for (const QJsonValue &item : v.toArray()) {
        if (!item.isString())
            return false;
        out.append(item.toString());
    }
    return true;
}

} // namespace

Error MappingDocument::errorAt(const Steps &path, const QString &message) const
{
    Error e{message, m_fileName, 0, 0, JsonLocator::pathText(path)};
    if (!m_text.isEmpty()) {
        // Point at the value, or at the nearest enclosing one when it is missing.
        Steps at = path;
        qsizetype offset = JsonLocator::offsetOf(m_text, at);
        while (offset < 0 && !at.empty()) {
            at.pop_back();
            offset = JsonLocator::offsetOf(m_text, at);
        }
        if (offset >= 0)
            JsonLocator::lineColumn(m_text, offset, e.line, e.column);
    }
    return e;
}

Expected<MappingDocument> MappingDocument::parse(const QByteArray &json, const QString &fileName)
{
    MappingDocument doc;
    doc.m_text = json;
    doc.m_fileName = fileName;
    QJsonParseError parseError;
    const QJsonDocument parsed = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        Error e{QStringLiteral("not valid JSON: %1").arg(parseError.errorString()), fileName, 0, 0, {}};
        JsonLocator::lineColumn(json, parseError.offset, e.line, e.column);
        return e;
    }
    if (!parsed.isObject())
        return doc.errorAt({}, QStringLiteral("a mapping must be a JSON object"));
    const QJsonObject root = parsed.object();
    const QJsonValue format = root.value(QLatin1String("transom_mapping"));
    if (!format.isDouble())
        return doc.errorAt({},
                           QStringLiteral("not a Transom mapping: the \"transom_mapping\" format number is missing"));
    if (format.toInt() > formatVersion)
        return doc.errorAt({QStringLiteral("transom_mapping")},
                           QStringLiteral("this mapping uses format %1, newer than this Transom understands (%2)")
                               .arg(format.toInt())
                               .arg(formatVersion));
    doc.name = root.value(QLatin1String("name")).toString();
    doc.revision = root.value(QLatin1String("revision")).toInt(1);

    const QJsonObject source = root.value(QLatin1String("source")).toObject();
    doc.sourceType = source.value(QLatin1String("type")).toString();
    doc.sourceIdField = source.value(QLatin1String("id_field")).toString();
    if (source.contains(QLatin1String("fields")) &&
        !readStringList(source.value(QLatin1String("fields")), doc.knownSourceFields))
        return doc.errorAt({QStringLiteral("source"), QStringLiteral("fields")},
                           QStringLiteral("\"fields\" must be a list of field paths"));

    const QJsonObject target = root.value(QLatin1String("target")).toObject();
    doc.targetType = target.value(QLatin1String("type")).toString();
    const QJsonArray targetFields = target.value(QLatin1String("fields")).toArray();
    for (qsizetype i = 0; i < targetFields.size(); ++i) {
        const QJsonValue item = targetFields.at(i);
        TargetField tf;
        if (item.isString()) {
            tf.path = item.toString();
        } else if (item.isObject() && item.toObject().value(QLatin1String("path")).isString()) {
            const QJsonObject o = item.toObject();
            tf.path = o.value(QLatin1String("path")).toString();
            tf.required = o.value(QLatin1String("required")).toBool();
            tf.type = o.value(QLatin1String("type")).toString();
        } else {
            return doc.errorAt({QStringLiteral("target"), QStringLiteral("fields"), int(i)},
                               QStringLiteral("a target field is a path or {\"path\": ..., \"required\": true}"));
        }
        doc.targetFields.append(tf);
    }

    const QJsonValue lookups = root.value(QLatin1String("lookups"));
    if (!lookups.isUndefined() && !lookups.isObject())
        return doc.errorAt({QStringLiteral("lookups")}, QStringLiteral("\"lookups\" must be an object of tables"));
    doc.lookups = lookups.toObject();

    const QJsonValue fields = root.value(QLatin1String("fields"));
    if (!fields.isArray())
        return doc.errorAt({QStringLiteral("fields")}, QStringLiteral("a mapping needs a \"fields\" list"));
    const QJsonArray fieldArray = fields.toArray();
    for (qsizetype i = 0; i < fieldArray.size(); ++i) {
        const Steps at{QStringLiteral("fields"), int(i)};
        if (!fieldArray.at(i).isObject())
            return doc.errorAt(at, QStringLiteral("each entry of \"fields\" must be an object"));
        const QJsonObject f = fieldArray.at(i).toObject();
        FieldMapping fm;
        const QJsonValue targetValue = f.value(QLatin1String("target"));
        if (!targetValue.isString() || targetValue.toString().isEmpty())
            return doc.errorAt(at, QStringLiteral("the field has no \"target\" path"));
        fm.target = targetValue.toString();
        const QJsonValue from = f.value(QLatin1String("from"));
        if (!from.isUndefined() && !readStringList(from, fm.from))
            return doc.errorAt(at + QStringLiteral("from"),
                               QStringLiteral("\"from\" must be a source field path or a list of them"));
        const QJsonValue rules = f.value(QLatin1String("rules"));
        if (!rules.isUndefined() && !rules.isArray())
            return doc.errorAt(at + QStringLiteral("rules"), QStringLiteral("\"rules\" must be a list"));
        fm.rules = rules.toArray();
        for (qsizetype r = 0; r < fm.rules.size(); ++r) {
            if (!fm.rules.at(r).isObject())
                return doc.errorAt(at + QStringLiteral("rules") + int(r),
                                   QStringLiteral("each rule must be an object like {\"rule\": \"trim\"}"));
        }
        fm.required = f.value(QLatin1String("required")).toBool();
        fm.note = f.value(QLatin1String("note")).toString();
        doc.fields.append(fm);
    }
    return doc;
}

Expected<MappingDocument> MappingDocument::load(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{QStringLiteral("cannot open the mapping: %1").arg(file.errorString()), path, 0, 0, {}};
    return parse(file.readAll(), path);
}

QJsonObject MappingDocument::toJson() const
{
    QJsonObject root;
    root.insert(QLatin1String("transom_mapping"), formatVersion);
    root.insert(QLatin1String("name"), name);
    root.insert(QLatin1String("revision"), revision);
    QJsonObject source{{QLatin1String("type"), sourceType}};
    if (!sourceIdField.isEmpty())
        source.insert(QLatin1String("id_field"), sourceIdField);
    if (!knownSourceFields.isEmpty())
        source.insert(QLatin1String("fields"), QJsonArray::fromStringList(knownSourceFields));
    root.insert(QLatin1String("source"), source);
    QJsonObject target{{QLatin1String("type"), targetType}};
    if (!targetFields.isEmpty()) {
        QJsonArray list;
        for (const TargetField &tf : targetFields) {
            QJsonObject o{{QLatin1String("path"), tf.path}};
            if (tf.required)
                o.insert(QLatin1String("required"), true);
            if (!tf.type.isEmpty())
                o.insert(QLatin1String("type"), tf.type);
            list.append(o);
        }
        target.insert(QLatin1String("fields"), list);
    }
    root.insert(QLatin1String("target"), target);
    if (!lookups.isEmpty())
        root.insert(QLatin1String("lookups"), lookups);
    QJsonArray list;
    for (const FieldMapping &fm : fields) {
        QJsonObject o{{QLatin1String("target"), fm.target}};
        if (fm.from.size() == 1)
            o.insert(QLatin1String("from"), fm.from.first());
        else if (!fm.from.isEmpty())
            o.insert(QLatin1String("from"), QJsonArray::fromStringList(fm.from));
        if (!fm.rules.isEmpty())
            o.insert(QLatin1String("rules"), fm.rules);
        if (fm.required)
            o.insert(QLatin1String("required"), true);
        if (!fm.note.isEmpty())
            o.insert(QLatin1String("note"), fm.note);
        list.append(o);
    }
    root.insert(QLatin1String("fields"), list);
    return root;
}

QByteArray MappingDocument::toJsonText() const
{
    return QJsonDocument(toJson()).toJson(QJsonDocument::Indented);
}

} // namespace transom::mapping
