#include "core/mapping/mappingchecks.h"

#include "core/mapping/rule.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

namespace transom::mapping {

QString checksPathFor(const QString &mappingPath)
{
    QString base = mappingPath;
    if (base.endsWith(QLatin1String(".json")))
        base.chop(5);
    return base + QStringLiteral(".checks.json");
}

Expected<QList<MappingCheck>> loadChecks(const QString &path)
{
    QList<MappingCheck> checks;
    QFile file(path);
    if (!file.exists())
        return checks;
    if (!file.open(QIODevice::ReadOnly))
        return Error(QStringLiteral("cannot read the checks: %1").arg(file.errorString()), path);
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (doc.isNull())
        return Error(QStringLiteral("the checks are not valid JSON: %1").arg(parseError.errorString()), path);
    const QJsonArray list = doc.object().value(QLatin1String("checks")).toArray();
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QJsonObject o = list.at(i).toObject();
        if (!o.value(QLatin1String("source")).isObject() || !o.value(QLatin1String("expected")).isObject())
            return Error(QStringLiteral("a check needs a \"source\" and an \"expected\" object"), path, 0, 0,
                         QStringLiteral("checks[%1]").arg(i));
        checks.append({o.value(QLatin1String("name")).toString(), o.value(QLatin1String("source")).toObject(),
                       o.value(QLatin1String("expected")).toObject()});
    }
    return checks;
}

Expected<bool> saveChecks(const QString &path, const QList<MappingCheck> &checks)
{
    QJsonArray list;
    for (const MappingCheck &c : checks)
        list.append(QJsonObject{{QStringLiteral("name"), c.name},
                                {QStringLiteral("source"), c.source},
                                {QStringLiteral("expected"), c.expected}});
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Error(QStringLiteral("cannot write the checks: %1").arg(file.errorString()), path);
    file.write(QJsonDocument(QJsonObject{{QStringLiteral("transom_checks"), 1}, {QStringLiteral("checks"), list}})
                   .toJson(QJsonDocument::Indented));
    if (!file.commit())
        return Error(QStringLiteral("cannot write the checks: %1").arg(file.errorString()), path);
    return true;
}

namespace {

void flatten(const QJsonValue &value, const QString &path, QMap<QString, QJsonValue> &out)
{
    if (value.isObject()) {
        const QJsonObject o = value.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            flatten(it.value(), path.isEmpty() ? it.key() : path + QLatin1Char('.') + it.key(), out);
    } else if (value.isArray()) {
        const QJsonArray a = value.toArray();
        for (qsizetype i = 0; i < a.size(); ++i)
            flatten(a.at(i), QStringLiteral("%1[%2]").arg(path).arg(i), out);
    } else {
        out.insert(path, value);
    }
}

} // namespace

QList<CheckResult> runChecks(const CompiledMapping &mapping, const QList<MappingCheck> &checks)
{
    QList<CheckResult> results;
    for (const MappingCheck &check : checks) {
        const MappedRecord mapped = mapping.map(check.source);
        QMap<QString, QJsonValue> expected;
        QMap<QString, QJsonValue> actual;
        flatten(check.expected, {}, expected);
        flatten(mapped.record(), {}, actual);
        QHash<QString, QString> errorByField;
        for (const FieldError &e : mapped.errors)
            errorByField.insert(e.field, QStringLiteral("%1: %2").arg(e.rule, e.message));
        CheckResult result{check.name, true, {}};
        QStringList keys = expected.keys();
        for (const QString &k : actual.keys())
            if (!expected.contains(k))
                keys.append(k);
        for (const QString &field : std::as_const(keys)) {
            const QJsonValue want = expected.value(field, QJsonValue(QJsonValue::Undefined));
            const QJsonValue got = actual.value(field, QJsonValue(QJsonValue::Undefined));
            if (want == got)
                continue;
            result.passed = false;
            QString line = QStringLiteral("%1: expected %2, got %3")
                               .arg(field, want.isUndefined() ? QStringLiteral("nothing") : describeValue(want),
                                    got.isUndefined() ? QStringLiteral("nothing") : describeValue(got));
            if (errorByField.contains(field))
                line += QStringLiteral(" (%1)").arg(errorByField.value(field));
            result.differences.append(line);
        }
        results.append(result);
    }
    return results;
}

} // namespace transom::mapping
