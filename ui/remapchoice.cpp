#include "ui/remapchoice.h"

#include <QFileInfo>

namespace transom::ui {

RemapChoice RemapChoice::describe(const sync::JobConfig *job, const EditorMapping &editor,
                                  const QHash<QString, int> &revisions)
{
    RemapChoice out;
    if (!job) {
        out.remap = tr("Re-map with each job's mapping");
        return out;
    }
    const QString jobPath = QFileInfo(job->mapping).absoluteFilePath();
    const QString jobFile = QFileInfo(jobPath).fileName();
    const auto known = revisions.constFind(jobPath);
    const QString jobRevision = known == revisions.cend() ? QString() : tr(" (revision %1)").arg(known.value());
    out.remap = tr("Re-map with %1%2").arg(jobFile, jobRevision);

    const bool sameFile = editor.path == jobPath;
    if (editor.path.isEmpty() || (sameFile && !editor.modified))
        return out; // what is on screen is what a re-map uses
    // The mapping on screen goes to the engine saved: with changes, as the next revision (MappingSession::saveAs).
    const int revision = editor.revision + (editor.modified ? 1 : 0);
    const QString editorFile = QFileInfo(editor.path).fileName();
    if (sameFile) {
        out.onScreen = tr("Save the mapping on screen and re-map with it (revision %1)").arg(revision);
        out.note = tr("The mapping on screen, %1, has unsaved changes: \u201cRe-map\u201d uses the saved version%2. "
                      "To re-map with your changes, choose \u201cSave the mapping on screen and re-map with it\u201d.")
                       .arg(editorFile, jobRevision);
        return out;
    }
    out.onScreen =
        editor.modified
            ? tr("Save the mapping on screen, %1, and re-map with it (revision %2)").arg(editorFile).arg(revision)
            : tr("Re-map with the mapping on screen, %1 (revision %2)").arg(editorFile).arg(revision);
    out.note = tr("The mapping on screen, %1, is not the mapping of job %2: \u201cRe-map\u201d uses %3%4. To re-map "
                  "with %1, choose it under \u201cHow to retry\u201d.")
                   .arg(editorFile, job->name, jobFile, jobRevision);
    return out;
}

} // namespace transom::ui
