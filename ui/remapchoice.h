#pragma once

#include "core/sync/project.h"

#include <QCoreApplication>
#include <QHash>
#include <QString>

namespace transom::ui {

/// The mapping open in the studio's editor, as the dead-letter dock compares it with a job's.
struct EditorMapping {
    QString path; ///< absolute; empty: none open
    bool modified = false;
    int revision = 0;
};

/// What the dead-letter dock says about the mapping a re-map uses: the job's saved file and revision, and,
/// when the mapping on screen is not that (another file, or the same one with unsaved changes), the choice
/// to re-map with it and a line saying why.
struct RemapChoice {
    Q_DECLARE_TR_FUNCTIONS(RemapChoice)
public:
    QString remap;    ///< "Re-map with leads.json (revision 3)"
    QString onScreen; ///< "Save the mapping on screen and re-map with it (revision 4)"; empty: not offered
    QString note;     ///< why the mapping on screen is offered; empty when it is not

    /// For letters of `job` (nullptr: of several jobs, each re-mapped with its own); `revisions` maps the
    /// absolute path of a saved mapping to its revision (a path missing: not known yet, none named).
    static RemapChoice describe(const sync::JobConfig *job, const EditorMapping &editor,
                                const QHash<QString, int> &revisions);
};

} // namespace transom::ui
