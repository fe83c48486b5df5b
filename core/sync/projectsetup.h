#pragma once

#include "core/common/expected.h"
#include "core/sync/connectionruntime.h"
#include "core/sync/project.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace transom::sync {

/// An open project: its file, the presets it can use and where its secrets come from. The command line
/// and the studio both start here (openProject).
struct ProjectSetup {
    Project project;
    connect::PresetLibrary presets;
    SecretAccess secrets;
};

/// Where presets are looked for: $TRANSOM_PRESETS (folders separated by ":"), then the installed ones.
QStringList presetFolders();

/// Loads the project file, the presets, and the secret stores the commands use (environment variables,
/// then the credentials file: `credentialsFile`, else $TRANSOM_CREDENTIALS, else credentials.json beside
/// the project). Refuses a project that would send a secret somewhere unsafe, and a credentials file
/// others can read (the message says how to fix it).
Expected<ProjectSetup> openProject(const QString &projectPath, const QString &credentialsFile = {});

/// What a new project starts with.
struct NewProject {
    QString folder;   ///< created when missing; must not hold a project.json yet
    QString name;     ///< shown in the studio's title and the run reports
    QString timeZone; ///< IANA id ("America/Chicago"): times without a zone are read in it
};

/// Writes FOLDER/project.json (a new id, the name, the home time zone, no connections or jobs yet) and a
/// "mappings" folder beside it; returns the project file's path.
Expected<QString> createProject(const NewProject &project);

/// A name not in `taken`: `base`, else "base 2", "base 3", ...
QString uniqueName(const QString &base, const QStringList &taken);

/// Adds a connection named `name` using `preset` at `baseUrl` (refuses a name the project has).
Expected<bool> addConnection(const QString &projectPath, const QString &name, const QString &preset,
                             const QString &baseUrl);
/// Renames a connection and every job's reference to it.
Expected<bool> renameConnection(const QString &projectPath, const QString &from, const QString &to);
/// Copies a connection under a new name (its secrets are not copied: they are asked for again); returns
/// the new name.
Expected<QString> duplicateConnection(const QString &projectPath, const QString &name);
/// Removes a connection no job uses; otherwise says which jobs use it.
Expected<bool> removeConnection(const QString &projectPath, const QString &name);

/// Adds a job, or replaces the one named `previousName` (a rename when the names differ). The job's
/// source and sink must be connections of the project, its name unique, its mapping set. Paths are
/// written relative to the project file when they sit beside it.
Expected<bool> saveJob(const QString &projectPath, const JobConfig &job, const QString &previousName = {});
/// Copies a job under a new name; returns it.
Expected<QString> duplicateJob(const QString &projectPath, const QString &name);
Expected<bool> removeJob(const QString &projectPath, const QString &name);

/// The project's "mappings" folder (beside the project file), where new mappings go.
QString mappingsFolder(const QString &projectPath);
/// The file a mapping named `name` is saved in: the name with characters no file name takes replaced, .json.
QString mappingFileName(const QString &name);

/// A new, empty mapping named `name` in the project's "mappings" folder; returns its path.
Expected<QString> createMapping(const QString &projectPath, const QString &name);
/// Renames a mapping file (to NAME.json beside it) and every job's reference to it; returns the new path.
Expected<QString> renameMapping(const QString &projectPath, const QString &mappingPath, const QString &name);
/// Copies a mapping file beside it ("NAME copy.json"); returns the copy's path.
Expected<QString> duplicateMapping(const QString &projectPath, const QString &mappingPath);
/// Deletes a mapping file no job uses; otherwise says which jobs use it.
Expected<bool> removeMapping(const QString &projectPath, const QString &mappingPath);

/// The project file as JSON, for an edit that keeps every key it does not touch; and writing it back
/// (indented, atomically).
Expected<QJsonObject> readProjectJson(const QString &projectPath);
Expected<bool> writeProjectJson(const QString &projectPath, const QJsonObject &root);

/// The project file's bytes, and writing them back (atomically): what an undo restores.
Expected<QByteArray> readProjectFile(const QString &projectPath);
Expected<bool> writeProjectFile(const QString &projectPath, const QByteArray &bytes);

} // namespace transom::sync
