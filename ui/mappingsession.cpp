#include "ui/mappingsession.h"

#include "core/mapping/mappingcompiler.h"
#include "core/mapping/mappingpreview.h"

#include <QSaveFile>
#include <QSet>

namespace transom::ui {

/// One undoable change: the document before and after it.
class DocumentEdit : public QUndoCommand {
public:
    DocumentEdit(MappingSession *session, const QString &text, mapping::MappingDocument before,
                 mapping::MappingDocument after, const QString &mergeKey)
        : QUndoCommand(text)
        , m_session(session)
        , m_before(std::move(before))
        , m_after(std::move(after))
        , m_mergeKey(mergeKey)
    {}

    void redo() override { m_session->replaceDocument(m_after); }
    void undo() override { m_session->replaceDocument(m_before); }
    int id() const override { return m_mergeKey.isEmpty() ? -1 : 1; }
    bool mergeWith(const QUndoCommand *other) override
    {
        const auto *next = static_cast<const DocumentEdit *>(other);
        if (next->m_mergeKey != m_mergeKey)
            return false;
        m_after = next->m_after;
        return true;
    }

private:
    MappingSession *m_session;
    mapping::MappingDocument m_before;
    mapping::MappingDocument m_after;
    QString m_mergeKey;
};

MappingSession::MappingSession(QObject *parent) : QObject(parent)
{
    recompile();
}

MappingSession::~MappingSession() = default;

bool MappingSession::open(const QString &path, QString *error)
{
    auto document = mapping::MappingDocument::load(path);
    if (!document) {
        if (error)
            *error = document.error().toString();
        return false;
    }
    reset(document.value(), path);
    return true;
}

void MappingSession::reset(const mapping::MappingDocument &document, const QString &path)
{
    m_undo.clear();
    m_path = path;
    m_selectedTarget.clear();
    replaceDocument(document);
    Q_EMIT pathChanged(m_path);
    Q_EMIT selectedTargetChanged({});
}

bool MappingSession::save(QString *error)
{
    return saveAs(m_path, error);
}

bool MappingSession::saveAs(const QString &path, QString *error)
{
    if (path.isEmpty()) {
        if (error)
            *error = tr("Choose where to save the mapping.");
        return false;
    }
    mapping::MappingDocument saved = m_document;
    if (isModified()) // a changed document is a new revision, wherever it goes (a shipped one goes to a copy)
        saved.revision = m_document.revision + 1; // the engine records which revision mapped a record
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(saved.toJsonText()) < 0 || !file.commit()) {
        if (error)
            *error = tr("Cannot save %1: %2").arg(path, file.errorString());
        return false;
    }
    m_document.revision = saved.revision;
    if (m_path != path) {
        m_path = path;
        Q_EMIT pathChanged(m_path);
    }
    m_undo.setClean();
    return true;
}

bool MappingSession::edit(const QString &description, const std::function<bool(mapping::MappingDocument &)> &change,
                          const QString &mergeKey)
{
    mapping::MappingDocument after = m_document;
    if (!change(after))
        return false;
    m_undo.push(new DocumentEdit(this, description, m_document, std::move(after), mergeKey));
    return true;
}

bool MappingSession::mapField(const QString &target, const QString &source, mapping::MapMode mode)
{
    const QString text = mode == mapping::MapMode::Replace ? tr("Map %1 to %2").arg(source, target)
                                                           : tr("Add %1 as an input of %2").arg(source, target);
    const bool changed =
        edit(text, [&](mapping::MappingDocument &d) { return mapping::mapField(d, target, source, mode); });
    if (changed)
        setSelectedTarget(target);
    return changed;
}

bool MappingSession::unmapField(const QString &target)
{
    return edit(tr("Unmap %1").arg(target),
                [&](mapping::MappingDocument &d) { return mapping::unmapField(d, target); });
}

bool MappingSession::setRules(const QString &target, const QJsonArray &rules, const QString &mergeKey)
{
    return edit(
        tr("Change the rules of %1").arg(target),
        [&](mapping::MappingDocument &d) { return mapping::setRules(d, target, rules); }, mergeKey);
}

bool MappingSession::setRequired(const QString &target, bool required)
{
    return edit(required ? tr("Make %1 required").arg(target) : tr("Make %1 optional").arg(target),
                [&](mapping::MappingDocument &d) { return mapping::setRequired(d, target, required); });
}

int MappingSession::acceptSuggestions(const QList<mapping::Suggestion> &suggestions)
{
    int accepted = 0;
    edit(tr("Accept %n suggested mapping(s)", nullptr, int(suggestions.size())), [&](mapping::MappingDocument &d) {
        for (const mapping::Suggestion &s : suggestions)
            accepted += mapping::mapField(d, s.target, s.source, mapping::MapMode::Replace) ? 1 : 0;
        return accepted > 0;
    });
    return accepted;
}

void MappingSession::replaceDocument(const mapping::MappingDocument &document)
{
    m_document = document;
    recompile();
    Q_EMIT documentChanged();
}

void MappingSession::recompile()
{
    // Compiling a mapping takes well under a millisecond per field: it stays on this thread.
    auto result = mapping::MappingCompiler::compile(m_document);
    m_compiled = std::move(result.mapping);
    m_compileErrors = std::move(result.errors);
    m_unmappedRequired = mapping::unmappedRequiredErrors(m_document, *m_compiled);
}

void MappingSession::setSamples(Side side, SampleSet samples)
{
    (side == Side::Source ? m_source : m_target) = std::move(samples);
    Q_EMIT samplesChanged(side);
    if (side == Side::Source)
        setCurrentRecord(m_source.records.isEmpty() ? -1 : 0);
}

void MappingSession::setCurrentRecord(int index)
{
    index = m_source.records.isEmpty() ? -1 : std::clamp(index, 0, int(m_source.records.size()) - 1);
    if (index == m_current)
        return;
    m_current = index;
    Q_EMIT currentRecordChanged(m_current);
}

QStringList MappingSession::fieldPaths(Side side) const
{
    QStringList paths;
    QSet<QString> seen;
    auto add = [&](const QString &p) {
        if (!p.isEmpty() && !seen.contains(p)) {
            seen.insert(p);
            paths.append(p);
        }
    };
    if (side == Side::Source) {
        for (const QString &p : m_document.knownSourceFields)
            add(mapping::SchemaInference::schemaPath(p));
        for (const mapping::FieldStats &f : m_source.schema.fields())
            if (!f.isContainerOnly())
                add(f.path);
        for (const QString &read : mapping::readPaths(m_document))
            add(read);
    } else {
        for (const mapping::TargetField &t : m_document.targetFields)
            add(t.path);
        for (const mapping::FieldMapping &f : m_document.fields)
            add(f.target);
        for (const mapping::FieldStats &f : m_target.schema.fields())
            if (!f.isContainerOnly())
                add(mapping::concretePath(f.path));
    }
    return paths;
}

QList<mapping::Suggestion> MappingSession::suggestions() const
{
    return mapping::suggestMappings(m_document, fieldPaths(Side::Source), fieldPaths(Side::Target));
}

mapping::DriftReport MappingSession::drift() const
{
    if (m_source.isEmpty())
        return {};
    return mapping::detectDrift(m_document, m_source.schema);
}

QStringList MappingSession::allowedTargetValues(const QString &target) const
{
    QStringList values = m_declaredValues.value(target);
    for (const auto &[value, count] : mapping::distinctValues(m_target.records, target))
        if (!value.isEmpty() && !values.contains(value))
            values.append(value);
    return values;
}

void MappingSession::setSelectedTarget(const QString &target)
{
    if (target == m_selectedTarget)
        return;
    m_selectedTarget = target;
    Q_EMIT selectedTargetChanged(target);
}

} // namespace transom::ui
