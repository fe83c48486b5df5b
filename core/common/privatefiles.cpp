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
    const QByteArray name = QFile::encodeName(path);
    const int fd = ::open(name.constData(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (why)
            *why = QStringLiteral("cannot create %1: %2").arg(path, systemError());
        return false;
    }
    // An existing file keeps the mode it was made with: take group and others off it.
    const bool ok = ::fchmod(fd, 0600) == 0;
    if (!ok && why)
        *why = QStringLiteral("cannot make %1 private (mode 0600): %2").arg(path, systemError());
    ::close(fd);
    return ok;
}

void makePrivate(std::FILE *file)
{
    if (file)
        (void)::fchmod(::fileno(file), 0600);
}

} // namespace transom::files
