#include "core/common/privatefiles.h"

#include <QDir>
#include <QFileInfo>
#include <QStringList>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace transom::files {

namespace {

QString systemError()
{
    return QString::fromLocal8Bit(std::strerror(errno));
}

} // namespace

bool makePrivateFolder(const QString &folder, QString *why)
{
    // The missing part of the path, outermost first, each made 0700 (mkdir's mode, the umask can only
    // take bits away from it).
    QStringList missing;
    for (QFileInfo at(QDir::cleanPath(QDir(folder).absolutePath())); !at.exists(); at = QFileInfo(at.absolutePath())) {
        missing.prepend(at.absoluteFilePath());
        if (at.absoluteFilePath() == QDir::rootPath())
            break;
    }
    for (const QString &dir : std::as_const(missing)) {
        if (::mkdir(QFile::encodeName(dir).constData(), 0700) != 0 && errno != EEXIST) {
            if (why)
                *why = QStringLiteral("cannot create the folder %1: %2").arg(dir, systemError());
            return false;
        }
    }
    return true;
}

bool makePrivateFile(const QString &path, QString *why)
{
    // Never open an existing file here: it may be a SQLite database this process has open, and closing
    // any descriptor of a file drops every POSIX lock the process holds on it. An existing file is
    // changed by its path; a missing one is created 0600 (O_EXCL: only if it is still missing).
    const QByteArray name = QFile::encodeName(path);
    struct stat st {};
    if (::stat(name.constData(), &st) == 0) {
        if ((st.st_mode & 077) == 0 || ::chmod(name.constData(), st.st_mode & 0700) == 0)
            return true;
        if (why)
            *why = QStringLiteral("cannot make %1 private (mode 0600): %2").arg(path, systemError());
        return false;
    }
    const int fd = ::open(name.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 && errno != EEXIST) {
        if (why)
            *why = QStringLiteral("cannot create %1: %2").arg(path, systemError());
        return false;
    }
    if (fd >= 0)
        ::close(fd);
    return true;
}

void makePrivate(std::FILE *file)
{
    if (file)
        (void)::fchmod(::fileno(file), 0600);
}

} // namespace transom::files
