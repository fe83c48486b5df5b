#include "core/mapping/mappingedit.h"

#include "core/mapping/fieldpath.h"
#include "core/mapping/rule.h"

#include <QHash>
#include <QJsonArray>
#include <QRegularExpression>

#include <algorithm>

namespace transom::mapping {

int fieldIndexOf(const MappingDocument &document, const QString &target)
{
    for (int i = 0; i < document.fields.size(); ++i)
        if (document.fields.at(i).target == target)
            return i;
    return -1;
}

QString concretePath(const QString &schemaPath)
{
    QString path = schemaPath;
    path.replace(QLatin1String("[]"), QLatin1String("[0]"));
    return path;
}

bool mapField(MappingDocument &document, const QString &target, const QString &source, MapMode mode)
{
    const QString from = concretePath(source);
    if (target.isEmpty() || from.isEmpty())
        return false;
    const int index = fieldIndexOf(document, target);
    if (index < 0) {
        FieldMapping field;
        field.target = target;
        field.from = {from};
        for (const TargetField &t : std::as_const(document.targetFields))
            if (t.path == target)
                field.required = t.required;
        document.fields.append(field);
        return true;
    }
    FieldMapping &field = document.fields[index];
    if (mode == MapMode::Replace) {
        if (field.from == QStringList{from})
            return false;
        field.from = {from};
        return true;
    }
    if (field.from.contains(from))
        return false;
    field.from.append(from);
    return true;
}

bool unmapField(MappingDocument &document, const QString &target)
{
    const int index = fieldIndexOf(document, target);
    if (index < 0)
        return false;
    document.fields.removeAt(index);
    return true;
}

bool setRules(MappingDocument &document, const QString &target, const QJsonArray &rules)
{
    int index = fieldIndexOf(document, target);
    if (index < 0) {
        FieldMapping field;
        field.target = target;
        document.fields.append(field);
        index = int(document.fields.size()) - 1;
    }
    if (document.fields.at(index).rules == rules)
        return false;
    document.fields[index].rules = rules;
    return true;
}

bool setRequired(MappingDocument &document, const QString &target, bool required)
{
    bool changed = false;
    bool known = false;
    for (TargetField &t : document.targetFields)
        if (t.path == target) {
            known = true;
            changed |= t.required != required;
            t.required = required;
        }
    if (!known) {
        document.targetFields.append({target, required, {}});
        changed = true;
    }
    const int index = fieldIndexOf(document, target);
    if (index >= 0 && document.fields.at(index).required != required) {
        document.fields[index].required = required;
        changed = true;
    }
    return changed;
}

namespace {

/// "person.emails[0].value" → "email"; "MemberFirstName" → "memberfirstname": the part of a path that
/// names the field, folded for comparison.
QString fold(QString text)
{
    text = text.toLower();
    text.remove(QRegularExpression(QStringLiteral("[^a-z0-9]")));
    return text;
}

QStringList segmentsOf(const QString &path)
{
    QString cleaned = path;
    cleaned.remove(QRegularExpression(QStringLiteral("\\[[0-9]*\\]")));
    return cleaned.split(QLatin1Char('.'), Qt::SkipEmptyParts);
}

/// The name that says what a field is: the last segment, or the one before a generic leaf
/// ("emails[0].value" is an e-mail).
QString meaningfulName(const QString &path)
{
    const QStringList segments = segmentsOf(path);
    if (segments.isEmpty())
        return {};
    static const QStringList generic = {QStringLiteral("value"), QStringLiteral("text"), QStringLiteral("number")};
    if (segments.size() > 1 && generic.contains(segments.last().toLower())) {
        QString name = segments.at(segments.size() - 2);
        if (name.endsWith(QLatin1Char('s')))
            name.chop(1);
        return fold(name);
    }
    return fold(segments.last());
}

QString parentContext(const QString &path)
{
    const QStringList segments = segmentsOf(path);
    return segments.size() > 1 ? fold(segments.first()) : QString();
}

/// Groups of names that mean the same thing across lead portals, RESO Web API feeds and CRMs.
const QHash<QString, QString> &equivalents()
{
    static const QHash<QString, QString> table = [] {
        const QList<QPair<QString, QStringList>> groups = {
            {QStringLiteral("first name"),
             {QStringLiteral("firstname"), QStringLiteral("fname"), QStringLiteral("givenname"),
              QStringLiteral("memberfirstname"), QStringLiteral("forename")}},
            {QStringLiteral("last name"),
             {QStringLiteral("lastname"), QStringLiteral("lname"), QStringLiteral("surname"),
              QStringLiteral("familyname"), QStringLiteral("memberlastname")}},
            {QStringLiteral("e-mail"),
             {QStringLiteral("email"), QStringLiteral("emailaddress"), QStringLiteral("memberemail"),
              QStringLiteral("mail"), QStringLiteral("contactemail")}},
            {QStringLiteral("phone"),
             {QStringLiteral("phone"), QStringLiteral("phonenumber"), QStringLiteral("mobile"), QStringLiteral("cell"),
              QStringLiteral("cellphone"), QStringLiteral("telephone"), QStringLiteral("membermobilephone"),
              QStringLiteral("memberdirectphone"), QStringLiteral("contactphone")}},
            {QStringLiteral("price"),
             {QStringLiteral("price"), QStringLiteral("listprice"), QStringLiteral("askingprice"),
              QStringLiteral("listingprice")}},
            {QStringLiteral("street"),
             {QStringLiteral("street"), QStringLiteral("address"), QStringLiteral("streetaddress"),
              QStringLiteral("unparsedaddress"), QStringLiteral("address1")}},
            {QStringLiteral("city"), {QStringLiteral("city"), QStringLiteral("town"), QStringLiteral("locality")}},
            {QStringLiteral("state"),
             {QStringLiteral("state"), QStringLiteral("stateorprovince"), QStringLiteral("province"),
              QStringLiteral("region")}},
            {QStringLiteral("postal code"),
             {QStringLiteral("zip"), QStringLiteral("zipcode"), QStringLiteral("postalcode"),
              QStringLiteral("postcode"), QStringLiteral("code")}},
            {QStringLiteral("MLS number"),
             {QStringLiteral("mlsnumber"), QStringLiteral("mls"), QStringLiteral("listingid"),
              QStringLiteral("mlsid")}},
            {QStringLiteral("created time"),
             {QStringLiteral("createdat"), QStringLiteral("created"), QStringLiteral("occurredat"),
              QStringLiteral("submittedat"), QStringLiteral("receivedat"), QStringLiteral("date")}},
            {QStringLiteral("modified time"),
             {QStringLiteral("updatedat"), QStringLiteral("modificationtimestamp"), QStringLiteral("modifiedat"),
              QStringLiteral("lastmodified")}},
            {QStringLiteral("message"),
             {QStringLiteral("message"), QStringLiteral("comments"), QStringLiteral("comment"), QStringLiteral("note"),
              QStringLiteral("notes"), QStringLiteral("inquiry")}},
            {QStringLiteral("stage"),
             {QStringLiteral("stage"), QStringLiteral("status"), QStringLiteral("leadstatus"),
              QStringLiteral("standardstatus"), QStringLiteral("mlsstatus")}},
            {QStringLiteral("lead source"),
             {QStringLiteral("source"), QStringLiteral("leadsource"), QStringLiteral("origin"),
              QStringLiteral("sourcesystemname")}},
            {QStringLiteral("agent"),
             {QStringLiteral("agentemail"), QStringLiteral("assigneduserid"), QStringLiteral("listagentemail"),
              QStringLiteral("assignedto"), QStringLiteral("owner")}},
            {QStringLiteral("bedrooms"),
             {QStringLiteral("bedrooms"), QStringLiteral("beds"), QStringLiteral("bedroomstotal")}},
            {QStringLiteral("bathrooms"),
             {QStringLiteral("bathrooms"), QStringLiteral("baths"), QStringLiteral("bathroomstotalinteger")}},
            {QStringLiteral("living area"),
             {QStringLiteral("livingarea"), QStringLiteral("sqft"), QStringLiteral("squarefeet")}},
            {QStringLiteral("budget"),
             {QStringLiteral("budget"), QStringLiteral("custombudgetcents"), QStringLiteral("pricerange")}},
            {QStringLiteral("record id"),
             {QStringLiteral("leadid"), QStringLiteral("customwebsiteleadid"), QStringLiteral("externalid"),
              QStringLiteral("listingkey")}},
        };
        QHash<QString, QString> byName;
        for (const auto &[meaning, names] : groups)
            for (const QString &name : names)
                byName.insert(name, meaning);
        return byName;
    }();
    return table;
}

} // namespace

QList<Suggestion> suggestMappings(const MappingDocument &document, const QStringList &sourceFields,
                                  const QStringList &targetFields)
{
    QList<Suggestion> candidates;
    for (const QString &target : targetFields) {
        if (fieldIndexOf(document, target) >= 0)
            continue;
        const QString targetName = meaningfulName(target);
        const QString targetWhole = fold(target);
        const QString targetParent = parentContext(target);
        const QString targetMeaning = equivalents().value(targetName);
        for (const QString &source : sourceFields) {
            const QString sourceName = meaningfulName(source);
            if (sourceName.isEmpty() || targetName.isEmpty())
                continue;
            Suggestion s{concretePath(source), target, {}, 0};
            if (fold(source) == targetWhole) {
                s.score = 1.0;
                s.reason = QStringLiteral("same name");
            } else if (sourceName == targetName) {
                s.score = 0.9;
                s.reason = QStringLiteral("same name");
            } else if (!targetMeaning.isEmpty() && equivalents().value(sourceName) == targetMeaning) {
                s.score = 0.75;
                s.reason = QStringLiteral("known equivalent (%1)").arg(targetMeaning);
            } else {
                continue;
            }
            // "property.city" prefers "property.city" over "agent.city".
            const QString sourceParent = parentContext(source);
            if (!sourceParent.isEmpty() && sourceParent == targetParent)
                s.score += 0.05;
            else if (!sourceParent.isEmpty() && !targetParent.isEmpty())
                s.score -= 0.1;
            candidates.append(s);
        }
    }
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const Suggestion &a, const Suggestion &b) { return a.score > b.score; });
    QList<Suggestion> chosen;
    QSet<QString> usedSources;
    QSet<QString> usedTargets;
    for (const Suggestion &s : std::as_const(candidates)) {
        if (usedSources.contains(s.source) || usedTargets.contains(s.target))
            continue;
        usedSources.insert(s.source);
        usedTargets.insert(s.target);
        chosen.append(s);
    }
    return chosen;
}

QList<QPair<QString, int>> distinctValues(const QList<QJsonObject> &records, const QString &sourcePath, int limit)
{
    const auto path = FieldPath::parse(concretePath(sourcePath));
    if (!path)
        return {};
    QHash<QString, int> counts;
    QStringList order;
    for (const QJsonObject &record : records) {
        QString text;
        const QJsonValue v = path.value().valueIn(record);
        if (v.isUndefined() || v.isNull() || !scalarText(v, text))
            continue;
        auto it = counts.find(text);
        if (it == counts.end()) {
            counts.insert(text, 1);
            order.append(text);
        } else {
            ++*it;
        }
    }
    QList<QPair<QString, int>> values;
    for (const QString &text : std::as_const(order))
        values.append({text, counts.value(text)});
    std::stable_sort(values.begin(), values.end(), [](const auto &a, const auto &b) { return a.second > b.second; });
    if (values.size() > limit)
        values.resize(limit);
    return values;
}

} // namespace transom::mapping
