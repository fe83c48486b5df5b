#include "core/common/expected.h"

namespace transom {

QString Error::toString() const
{
    QString out;
    if (!file.isEmpty()) {
        out += file;
        if (line > 0) {
            out += QLatin1Char(':') + QString::number(line);
            if (column > 0)
                out += QLatin1Char(':') + QString::number(column);
        }
        out += QLatin1String(": ");
    } else if (line > 0) {
        out += QStringLiteral("line %1, column %2: ").arg(line).arg(column);
    }
    if (!path.isEmpty())
        out += path + QLatin1String(": ");
    out += message;
    return out;
}

} // namespace transom
