#include "core/mapping/mappingcompiler.h"

#include "core/common/jsonwriter.h"

namespace transom::mapping {

MappingCompiler::Result MappingCompiler::compile(const MappingDocument &document, const RuleCatalog &catalog)
{
    using Steps = std::vector<JsonLocator::Step>;
    using Node = CompiledMapping::OutputNode;
    Result result;
    auto mapping = std::shared_ptr<CompiledMapping>(new CompiledMapping());
    mapping->m_name = document.name;
    mapping->m_revision = document.revision;

    if (!document.sourceIdField.isEmpty()) {
        auto idPath = FieldPath::parse(document.sourceIdField);
        if (idPath)
            mapping->m_idPath = idPath.value();
        else
            result.errors.append(
                document.errorAt({QStringLiteral("source"), QStringLiteral("id_field")}, idPath.error().message));
    }

    // Places a target path in the output tree; false with `why` set when it clashes with another field.
    auto place = [](Node &root, const FieldPath &path, int slot, QString &why) {
        Node *node = &root;
        for (const FieldPath::Segment &seg : path.segments()) {
            if (node->slot >= 0) {
                why = QStringLiteral(
                    "another field already writes a plain value where this path needs an object or list");
                return false;
            }
            if (seg.isIndex()) {
                if (!node->members.empty() || node == &root) {
                    why = QStringLiteral("another field treats this path as an object, this one as a list");
                    return false;
                }
                node->isArray = true;
                auto it = std::find_if(node->items.begin(), node->items.end(),
                                       [&](const auto &item) { return item.index == seg.index; });
                if (it == node->items.end()) {
                    const auto pos = std::lower_bound(node->items.begin(), node->items.end(), seg.index,
                                                      [](const auto &item, int i) { return item.index < i; });
                    it = node->items.insert(pos, {seg.index, Node{}});
                }
                node = &it->node;
            } else {
                if (node->isArray) {
                    why = QStringLiteral("another field treats this path as a list, this one as an object");
                    return false;
                }
                auto it = std::find_if(node->members.begin(), node->members.end(),
                                       [&](const auto &member) { return member.key == seg.key; });
                if (it == node->members.end()) {
                    node->members.push_back({seg.key, Node{}});
                    it = std::prev(node->members.end());
                    json::appendString(it->node.keyJson, seg.key);
                    it->node.keyJson.push_back(':');
                }
                node = &it->node;
            }
        }
        if (node->slot >= 0 || !node->members.empty() || !node->items.empty()) {
            why = QStringLiteral("another field already writes this target");
            return false;
        }
        node->slot = slot;
        return true;
    };

    for (qsizetype i = 0; i < document.fields.size(); ++i) {
        const FieldMapping &fm = document.fields.at(i);
        const Steps at{QStringLiteral("fields"), int(i)};
        const qsizetype errorsBefore = result.errors.size();
        CompiledMapping::Field field;

        auto target = FieldPath::parse(fm.target);
        if (!target) {
            result.errors.append(
                document.errorAt({QStringLiteral("fields"), int(i), QStringLiteral("target")}, target.error().message));
            continue;
        }
        field.target = target.value();

        for (qsizetype s = 0; s < fm.from.size(); ++s) {
            auto source = FieldPath::parse(fm.from.at(s));
            if (!source) {
                Steps where{QStringLiteral("fields"), int(i), QStringLiteral("from")};
                if (fm.from.size() > 1)
                    where.push_back(int(s));
                result.errors.append(document.errorAt(where, source.error().message));
                continue;
            }
            field.sources.push_back(source.value());
            if (!mapping->m_sourcePaths.contains(fm.from.at(s)))
                mapping->m_sourcePaths.append(fm.from.at(s));
        }

        QJsonArray rules = fm.rules;
        if (fm.required)
            rules.append(QJsonObject{{QLatin1String("rule"), QLatin1String("required")}});
        for (qsizetype r = 0; r < rules.size(); ++r) {
            const QJsonObject ruleObject = rules.at(r).toObject();
            RuleBuildError why;
            ErrorPolicy policy;
            std::unique_ptr<Rule> rule = catalog.build(ruleObject, document.lookups, why, &policy);
            if (!rule) {
                Steps where{QStringLiteral("fields"), int(i)};
                if (r < fm.rules.size()) {
                    where.push_back(QStringLiteral("rules"));
                    where.push_back(int(r));
                    if (!why.param.isEmpty() && ruleObject.contains(why.param))
                        where.push_back(why.param);
                }
                result.errors.append(
                    document.errorAt(where, QStringLiteral("field \"%1\": %2").arg(fm.target, why.message)));
                continue;
            }
            field.steps.push_back({std::move(rule), ruleObject.value(QLatin1String("rule")).toString(), policy.onError,
                                   Value(policy.fallback)});
        }
        if (result.errors.size() == errorsBefore && field.sources.empty() && fm.from.isEmpty() &&
            std::none_of(field.steps.begin(), field.steps.end(),
                         [](const auto &s) { return s.rule->handlesEmpty(); })) {
            result.errors.append(document.errorAt(at, QStringLiteral("field \"%1\" has no \"from\" source and no rule "
                                                                     "that makes a value (template, constant, default)")
                                                          .arg(fm.target)));
        }
        if (result.errors.size() > errorsBefore)
            continue;
        QString why;
        if (!place(mapping->m_root, field.target, int(mapping->m_fields.size()), why)) {
            result.errors.append(document.errorAt({QStringLiteral("fields"), int(i), QStringLiteral("target")},
                                                  QStringLiteral("target \"%1\": %2").arg(fm.target, why)));
            continue;
        }
        mapping->m_fields.push_back(std::move(field));
    }
    mapping->layOutWriter();
    result.mapping = mapping;
    return result;
}

} // namespace transom::mapping
