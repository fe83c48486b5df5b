#pragma once

#include "core/mapping/fieldpath.h"
#include "core/mapping/rule.h"

#include <QJsonObject>
#include <QList>
#include <QStringList>

#include <memory>
#include <vector>

namespace transom::mapping {

/// Why one field of one record could not be mapped: the target field, the rule that failed, the value
/// it was given and a message for the person fixing it.
struct FieldError {
    QString field;
    QString rule;
    QJsonValue input;
    QString message;

    QJsonObject toJson() const;
};

/// One source record after mapping: as much of the target record as could be built, plus the errors
/// of the fields that could not. A record with errors is never dropped.
struct MappedRecord {
    QString sourceId;
    QJsonObject record;
    QList<FieldError> errors;

    bool ok() const { return errors.isEmpty(); }
};

/// The value of one target field after each step of its pipeline, for the studio's step view.
struct FieldTrace {
    QJsonValue input;
    QStringList ruleNames;
    QList<QJsonValue> afterEachRule; ///< one entry per rule that ran
    FieldError error;                ///< empty message when the field mapped
};

/// A mapping ready to run: paths parsed, rules built, the output shape laid out. Immutable and safe
/// to share between threads; compile once with MappingCompiler, then map() many records.
class CompiledMapping {
public:
    ~CompiledMapping();
    CompiledMapping(const CompiledMapping &) = delete;
    CompiledMapping &operator=(const CompiledMapping &) = delete;

    MappedRecord map(const QJsonObject &source) const;

    /// The id of a source record from the mapping's id field ("" when the mapping names none).
    QString sourceIdOf(const QJsonObject &source) const;

    FieldTrace traceField(const QJsonObject &source, int fieldIndex) const;

    int fieldCount() const { return int(m_fields.size()); }
    QString targetOf(int fieldIndex) const { return m_fields.at(size_t(fieldIndex)).target.text(); }
    /// Every source path the mapping reads (inputs, template placeholders excluded).
    const QStringList &sourcePaths() const { return m_sourcePaths; }
    const QString &name() const { return m_name; }
    int revision() const { return m_revision; }

private:
    friend class MappingCompiler;
    CompiledMapping() = default;

    struct Step {
        std::unique_ptr<Rule> rule;
        QString name;
    };
    struct Field {
        FieldPath target;
        std::vector<FieldPath> sources;
        std::vector<Step> steps;
    };
    /// The target record's shape: a tree whose leaves are indices into the per-record value slots.
    struct OutputNode {
        int slot = -1;
        bool isArray = false;
        std::vector<std::pair<QString, OutputNode>> members;
        std::vector<std::pair<int, OutputNode>> items;
    };

    QJsonValue input(const Field &field, const QJsonObject &source) const;
    bool runField(const Field &field, const QJsonObject &source, QJsonValue &value, FieldError &error,
                  FieldTrace *trace) const;
    static QJsonValue assemble(const OutputNode &node, const std::vector<QJsonValue> &slots);

    std::vector<Field> m_fields;
    OutputNode m_root;
    FieldPath m_idPath;
    QStringList m_sourcePaths;
    QString m_name;
    int m_revision = 1;
};

} // namespace transom::mapping
