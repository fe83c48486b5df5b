#pragma once

#include "core/common/jsonwriter.h"
#include "core/mapping/fieldpath.h"
#include "core/mapping/rule.h"

#include <QJsonObject>
#include <QList>
#include <QStringList>

#include <memory>
#include <string>
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

class CompiledMapping;

/// One source record after mapping: the value of every target field that could be built, plus the
/// errors of the fields that could not. A record with errors is never dropped. The target record is
/// laid out on demand, as a QJsonObject or straight to compact JSON text (fields in mapping order).
class MappedRecord {
public:
    QString sourceId;
    QList<FieldError> errors;
    /// Rule failures an `on_error` policy turned into a value instead of an error: the field, the rule,
    /// the value it failed on and what happened ("… → null (on error: null)"). Not errors: ok() ignores them.
    QList<FieldError> recovered;

    bool ok() const { return errors.isEmpty(); }

    /// The target record as an object (fields that mapped to nothing are left out).
    QJsonObject record() const;
    /// The target record as compact JSON, appended to `out`; cheaper than record() + QJsonDocument.
    void appendJson(QByteArray &out) const;
    void appendJson(json::TextBuffer &out) const;
    QByteArray json() const;
    /// The value mapped for one target field (undefined when it failed or mapped to nothing).
    QJsonValue value(int fieldIndex) const;

private:
    friend class CompiledMapping;
    std::shared_ptr<const CompiledMapping> m_mapping;
    std::vector<Value> m_values;
};

/// The value of one target field after each step of its pipeline, for the studio's step view.
struct FieldTrace {
    QJsonValue input;
    QStringList ruleNames;
    QList<QJsonValue> afterEachRule; ///< one entry per rule that ran
    QStringList notes; ///< one entry per rule that ran: what its on_error policy did, empty when it did not act
    FieldError error;  ///< empty message when the field mapped
};

/// A mapping ready to run: paths parsed, rules built, the output shape laid out. Immutable and safe
/// to share between threads; compile once with MappingCompiler, then map() many records.
class CompiledMapping : public std::enable_shared_from_this<CompiledMapping> {
public:
    ~CompiledMapping();
    CompiledMapping(const CompiledMapping &) = delete;
    CompiledMapping &operator=(const CompiledMapping &) = delete;

    MappedRecord map(const SourceRecord &source) const;
    MappedRecord map(const QJsonObject &source) const { return map(ObjectRecord(source)); }

    /// The id of a source record from the mapping's id field ("" when the mapping names none).
    QString sourceIdOf(const SourceRecord &source) const;
    QString sourceIdOf(const QJsonObject &source) const { return sourceIdOf(ObjectRecord(source)); }

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
        OnError onError = OnError::Error;
        Value fallback = {}; ///< for OnError::Default
    };
    struct Field {
        FieldPath target;
        std::vector<FieldPath> sources;
        std::vector<Step> steps;
    };
    /// The target record's shape: a tree whose leaves are indices into the per-record value slots.
    /// Members and items are named structs, not std::pair: a pair holding the node type it is declared
    /// in does not compile with clang and libstdc++ (the pair's traits need the incomplete node).
    struct OutputNode {
        struct Member;
        struct Item;
        int slot = -1;
        bool isArray = false;
        std::string keyJson; ///< a member's key as JSON text with its colon ("\"city\":"), for write()
        std::vector<Member> members;
        std::vector<Item> items;
    };

    /// The output tree flattened for writing: open an object or list, write a field, close it.
    struct WriteStep {
        enum class Kind : quint8 { Open, Leaf, Close };
        Kind kind = Kind::Leaf;
        bool isArray = false;
        int slot = -1;
        std::string key; ///< a member's "\"key\":", empty for list items and the root
    };
    void layOutWriter();
    static void layOut(const OutputNode &node, const std::string &key, std::vector<WriteStep> &steps);

    friend class MappedRecord;
    Value input(const Field &field, const SourceRecord &source) const;
    bool runField(const Field &field, const SourceRecord &source, Value &value, FieldError &error,
                  QList<FieldError> *recovered, FieldTrace *trace) const;
    static QJsonValue assemble(const OutputNode &node, const std::vector<Value> &slots);
    /// Appends the record as JSON; false (and nothing appended) when no field has a value.
    bool write(const std::vector<Value> &slots, json::TextBuffer &out) const;
    static bool writeValue(const Value &v, json::TextBuffer &out);

    std::vector<Field> m_fields;
    OutputNode m_root;
    std::vector<WriteStep> m_writeSteps;
    FieldPath m_idPath;
    QStringList m_sourcePaths;
    QString m_name;
    int m_revision = 1;
};

struct CompiledMapping::OutputNode::Member {
    QString key;
    OutputNode node;
};

struct CompiledMapping::OutputNode::Item {
    int index = 0;
    OutputNode node;
};

} // namespace transom::mapping
