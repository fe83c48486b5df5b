#pragma once

#include "core/mapping/compiledmapping.h"
#include "core/mapping/drift.h"
#include "core/mapping/mappingdocument.h"
#include "core/mapping/mappingedit.h"
#include "ui/samples.h"

#include <QObject>
#include <QUndoStack>

#include <functional>
#include <memory>

namespace transom::ui {

enum class Side { Source, Target };

/// The mapping being edited in the studio: the document, its undo history, the compiled form the
/// preview runs, and the samples of both sides. Every change to the document goes through edit(), so
/// every change is undoable; views only read from here and call its actions.
class MappingSession : public QObject {
    Q_OBJECT
public:
    explicit MappingSession(QObject *parent = nullptr);
    ~MappingSession() override;

    /// Opens a mapping document; on failure `error` names file, line and column.
    bool open(const QString &path, QString *error);
    /// Starts from a document not (yet) saved anywhere.
    void reset(const mapping::MappingDocument &document, const QString &path = {});
    bool save(QString *error);
    bool saveAs(const QString &path, QString *error);

    const mapping::MappingDocument &document() const { return m_document; }
    const QString &path() const { return m_path; }
    bool isModified() const { return !m_undo.isClean(); }
    QUndoStack *undoStack() { return &m_undo; }

    /// Applies `change` to a copy of the document; when it reports a change, the result becomes the
    /// document as one undoable step named `description`. Steps with the same non-zero `mergeKey`
    /// in a row merge (typing in a rule's parameter is one step, not one per key).
    bool edit(const QString &description, const std::function<bool(mapping::MappingDocument &)> &change,
              const QString &mergeKey = {});

    // The actions of the canvas and the rule editor, each one undoable step.
    bool mapField(const QString &target, const QString &source, mapping::MapMode mode);
    bool unmapField(const QString &target);
    bool setRules(const QString &target, const QJsonArray &rules, const QString &mergeKey = {});
    bool setRequired(const QString &target, bool required);
    int acceptSuggestions(const QList<mapping::Suggestion> &suggestions);

    /// The document compiled; fields with errors are left out (compileErrors() says why).
    std::shared_ptr<const mapping::CompiledMapping> compiled() const { return m_compiled; }
    const QList<Error> &compileErrors() const { return m_compileErrors; }
    /// Required target fields the compiled mapping does not produce: an error on every record.
    const QList<mapping::FieldError> &unmappedRequired() const { return m_unmappedRequired; }

    void setSamples(Side side, SampleSet samples);
    const SampleSet &samples(Side side) const { return side == Side::Source ? m_source : m_target; }
    /// The sample record shown in the field trees (0-based; -1 when there are no samples).
    int currentRecord() const { return m_current; }
    void setCurrentRecord(int index);

    /// Every field path of one side the studio shows: the samples' fields and the ones the mapping names.
    QStringList fieldPaths(Side side) const;
    QList<mapping::Suggestion> suggestions() const;
    mapping::DriftReport drift() const;

    /// The values a target field accepts, as the destination declares them (its preset's field list),
    /// for the value map's drop-down. Not part of the document: set when the mapping is opened in a project.
    void setDeclaredTargetValues(const QHash<QString, QStringList> &values) { m_declaredValues = values; }
    QStringList declaredTargetValues(const QString &target) const { return m_declaredValues.value(target); }
    /// What `target` can become: the declared values, then the distinct values of the target samples.
    QStringList allowedTargetValues(const QString &target) const;

    const QString &selectedTarget() const { return m_selectedTarget; }
    void setSelectedTarget(const QString &target);

Q_SIGNALS:
    void documentChanged();
    void samplesChanged(transom::ui::Side side);
    void currentRecordChanged(int index);
    void selectedTargetChanged(const QString &target);
    void pathChanged(const QString &path);

private:
    friend class DocumentEdit;
    void replaceDocument(const mapping::MappingDocument &document);
    void recompile();

    mapping::MappingDocument m_document;
    QString m_path;
    QUndoStack m_undo;
    std::shared_ptr<const mapping::CompiledMapping> m_compiled;
    QList<Error> m_compileErrors;
    QList<mapping::FieldError> m_unmappedRequired;
    SampleSet m_source;
    SampleSet m_target;
    int m_current = -1;
    QString m_selectedTarget;
    QHash<QString, QStringList> m_declaredValues;
};

} // namespace transom::ui
