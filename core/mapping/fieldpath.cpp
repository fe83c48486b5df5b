#include "core/mapping/fieldpath.h"

#include <QJsonArray>

namespace transom::mapping {

namespace {

bool isPlainKeyChar(QChar c)
{
    return c != QLatin1Char('.') && c != QLatin1Char('[') && c != QLatin1Char(']');
}

Error pathError(const QString &text, qsizetype at, const QString &why)
{
    // A path from an untrusted file can be any length: the message quotes its start.
    const QString shown = text.size() > 80 ? text.left(77) + QStringLiteral("…") : text;
    return Error{
        QStringLiteral("invalid field path \"%1\" at character %2: %3").arg(shown).arg(at + 1).arg(why), {}, 0, 0, {}};
}

} // namespace

Expected<FieldPath> FieldPath::parse(const QString &text)
{
    FieldPath path;
    path.m_text = text;
    const qsizetype n = text.size();
    if (text.trimmed().isEmpty())
        return pathError(text, 0, QStringLiteral("the path is empty"));
    qsizetype i = 0;
    bool expectKey = true; // at the start or after a dot
    while (i < n) {
        if (path.m_segments.size() > kMaxSegments)
            return pathError(text, i,
                             QStringLiteral("the path has more than %1 steps (at most %1 are read)").arg(kMaxSegments));
        const QChar c = text.at(i);
        if (c == QLatin1Char('[')) {
            ++i;
            if (i < n && (text.at(i) == QLatin1Char('"') || text.at(i) == QLatin1Char('\''))) {
                const QChar quote = text.at(i++);
                QString key;
                while (i < n && text.at(i) != quote) {
                    if (text.at(i) == QLatin1Char('\\') && i + 1 < n)
                        ++i;
                    key += text.at(i++);
                }
                if (i >= n)
                    return pathError(text, i, QStringLiteral("unterminated quoted key"));
                ++i; // closing quote
                if (i >= n || text.at(i) != QLatin1Char(']'))
                    return pathError(text, i, QStringLiteral("expected ']' after the quoted key"));
                ++i;
                path.m_segments.append(Segment{key, -1});
            } else {
                const qsizetype start = i;
                while (i < n && text.at(i).isDigit())
                    ++i;
                if (i == start || i >= n || text.at(i) != QLatin1Char(']'))
                    return pathError(text, start, QStringLiteral("an array index must be a number in brackets"));
                bool ok = false;
                const int index = QStringView(text).mid(start, i - start).toInt(&ok);
                if (!ok)
                    return pathError(text, start, QStringLiteral("array index out of range"));
                ++i;
                path.m_segments.append(Segment{{}, index});
            }
            expectKey = false;
        } else if (c == QLatin1Char('.')) {
            if (expectKey)
                return pathError(text, i, QStringLiteral("empty key"));
            ++i;
            expectKey = true;
            if (i >= n)
                return pathError(text, i, QStringLiteral("the path ends with a dot"));
        } else if (c == QLatin1Char(']')) {
            return pathError(text, i, QStringLiteral("unexpected ']'"));
        } else {
            if (!expectKey)
                return pathError(text, i, QStringLiteral("expected '.' or '[' between segments"));
            const qsizetype start = i;
            while (i < n && isPlainKeyChar(text.at(i)))
                ++i;
            path.m_segments.append(Segment{text.mid(start, i - start), -1});
            expectKey = false;
        }
    }
    if (path.m_segments.size() > kMaxSegments)
        return pathError(text, n - 1,
                         QStringLiteral("the path has more than %1 steps (at most %1 are read)").arg(kMaxSegments));
    path.m_utf8Keys.reserve(size_t(path.m_segments.size()));
    for (const Segment &segment : std::as_const(path.m_segments))
        path.m_utf8Keys.push_back(segment.key.toStdString());
    return path;
}

QJsonValue FieldPath::valueIn(const QJsonObject &record) const
{
    if (m_segments.isEmpty())
        return QJsonValue(QJsonValue::Undefined);
    // First step straight from the object to avoid wrapping the record in a QJsonValue.
    const Segment &first = m_segments.first();
    if (first.isIndex())
        return QJsonValue(QJsonValue::Undefined);
    QJsonValue current = record.value(first.key);
    for (qsizetype s = 1; s < m_segments.size(); ++s) {
        const Segment &seg = m_segments.at(s);
        if (seg.isIndex()) {
            if (!current.isArray())
                return QJsonValue(QJsonValue::Undefined);
            const QJsonArray array = current.toArray();
            if (seg.index >= array.size())
                return QJsonValue(QJsonValue::Undefined);
            current = array.at(seg.index);
        } else {
            if (!current.isObject())
                return QJsonValue(QJsonValue::Undefined);
            current = current.toObject().value(seg.key);
        }
    }
    return current;
}

} // namespace transom::mapping
