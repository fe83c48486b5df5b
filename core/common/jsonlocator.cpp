#include "core/common/jsonlocator.h"

namespace transom {

namespace {

class Scanner {
public:
    explicit Scanner(const QByteArray &s) : m_s(s) {}

    /// Set when a value nested deeper than JsonLocator::kMaxDepth stopped the scan.
    QString problem;

    qsizetype find(const std::vector<JsonLocator::Step> &path)
    {
        skipSpace();
        for (const JsonLocator::Step &step : path) {
            if (m_pos >= m_s.size())
                return -1;
            if (const QString *key = std::get_if<QString>(&step)) {
                if (!enterMember(*key))
                    return -1;
            } else if (!enterElement(std::get<int>(step))) {
                return -1;
            }
            skipSpace();
        }
        return m_pos < m_s.size() ? m_pos : -1;
    }

    /// Element starts of the list at the scanner's position, then its closing bracket.
    bool elements(std::vector<qsizetype> &out)
    {
        if (m_pos >= m_s.size() || m_s[m_pos] != '[')
            return false;
        ++m_pos;
        skipSpace();
        while (m_pos < m_s.size() && m_s[m_pos] != ']') {
            out.push_back(m_pos);
            if (!skipValue())
                return false;
            skipSpace();
            if (m_pos < m_s.size() && m_s[m_pos] == ',') {
                ++m_pos;
                skipSpace();
            }
        }
        if (m_pos >= m_s.size())
            return false;
        out.push_back(m_pos);
        return true;
    }

private:
    void skipSpace()
    {
        while (m_pos < m_s.size() &&
               (m_s[m_pos] == ' ' || m_s[m_pos] == '\n' || m_s[m_pos] == '\r' || m_s[m_pos] == '\t'))
            ++m_pos;
    }

    bool readString(QString *out)
    {
        if (m_pos >= m_s.size() || m_s[m_pos] != '"')
            return false;
        const qsizetype start = ++m_pos;
        bool escaped = false;
        while (m_pos < m_s.size()) {
            const char c = m_s[m_pos++];
            if (c == '\\') {
                escaped = true;
                ++m_pos;
            } else if (c == '"') {
                if (out) {
                    const QByteArray raw = m_s.mid(start, m_pos - start - 1);
                    *out = escaped ? QString::fromUtf8(raw)
                                         .replace(QLatin1String("\\\""), QLatin1String("\""))
                                         .replace(QLatin1String("\\\\"), QLatin1String("\\"))
                                   : QString::fromUtf8(raw);
                }
                return true;
            }
        }
        return false;
    }

    bool skipValue()
    {
        skipSpace();
        if (m_pos >= m_s.size())
            return false;
        const char c = m_s[m_pos];
        if (c == '"')
            return readString(nullptr);
        if (c == '{' || c == '[') {
            // One call per level: bounded, so hostile text cannot overflow the stack.
            if (m_depth >= JsonLocator::kMaxDepth) {
                problem = QStringLiteral("the JSON nests deeper than %1 levels at byte %2")
                              .arg(JsonLocator::kMaxDepth)
                              .arg(m_pos);
                return false;
            }
            ++m_depth;
            const bool ok = skipContainer(c);
            --m_depth;
            return ok;
        }
        // A number, true, false or null: at least one character (a stray bracket or a NUL byte is no
        // value, and a list of such "values" must not be walked forever).
        const qsizetype start = m_pos;
        while (m_pos < m_s.size() && m_s[m_pos] != '\0' && !strchr(",}] \n\r\t", m_s[m_pos]))
            ++m_pos;
        return m_pos > start;
    }

    /// The rest of an object or list whose opening bracket `c` is at the scanner's position.
    bool skipContainer(char c)
    {
        const char close = c == '{' ? '}' : ']';
        ++m_pos;
        skipSpace();
        if (m_pos < m_s.size() && m_s[m_pos] == close) {
            ++m_pos;
            return true;
        }
        while (m_pos < m_s.size()) {
            if (c == '{') {
                skipSpace();
                if (!readString(nullptr))
                    return false;
                skipSpace();
                if (m_pos >= m_s.size() || m_s[m_pos] != ':')
                    return false;
                ++m_pos;
            }
            if (!skipValue())
                return false;
            skipSpace();
            if (m_pos < m_s.size() && m_s[m_pos] == ',') {
                ++m_pos;
                continue;
            }
            if (m_pos < m_s.size() && m_s[m_pos] == close) {
                ++m_pos;
                return true;
            }
            return false;
        }
        return false;
    }

    bool enterMember(const QString &key)
    {
        if (m_s[m_pos] != '{')
            return false;
        ++m_pos;
        while (true) {
            skipSpace();
            QString name;
            if (!readString(&name))
                return false;
            skipSpace();
            if (m_pos >= m_s.size() || m_s[m_pos] != ':')
                return false;
            ++m_pos;
            skipSpace();
            if (name == key)
                return true;
            if (!skipValue())
                return false;
            skipSpace();
            if (m_pos >= m_s.size() || m_s[m_pos] != ',')
                return false;
            ++m_pos;
        }
    }

    bool enterElement(int index)
    {
        if (m_s[m_pos] != '[')
            return false;
        ++m_pos;
        for (int i = 0;; ++i) {
            skipSpace();
            if (i == index)
                return m_pos < m_s.size() && m_s[m_pos] != ']';
            if (!skipValue())
                return false;
            skipSpace();
            if (m_pos >= m_s.size() || m_s[m_pos] != ',')
                return false;
            ++m_pos;
        }
    }

    const QByteArray &m_s;
    qsizetype m_pos = 0;
    int m_depth = 0;
};

} // namespace

qsizetype JsonLocator::offsetOf(const QByteArray &json, const std::vector<Step> &path, QString *problem)
{
    Scanner scanner(json);
    const qsizetype at = scanner.find(path);
    if (problem)
        *problem = scanner.problem;
    return at;
}

std::vector<qsizetype> JsonLocator::elementOffsets(const QByteArray &json, const std::vector<Step> &path,
                                                   QString *problem)
{
    Scanner scanner(json);
    std::vector<qsizetype> out;
    if (scanner.find(path) < 0 || !scanner.elements(out))
        out.clear();
    if (problem)
        *problem = scanner.problem;
    return out;
}

void JsonLocator::lineColumn(const QByteArray &json, qsizetype offset, int &line, int &column)
{
    line = 1;
    qsizetype lineStart = 0;
    const qsizetype end = std::min(offset, json.size());
    for (qsizetype i = 0; i < end; ++i) {
        if (json[i] == '\n') {
            ++line;
            lineStart = i + 1;
        }
    }
    column = int(QString::fromUtf8(json.constData() + lineStart, end - lineStart).size()) + 1;
}

QString JsonLocator::pathText(const std::vector<Step> &path)
{
    QString out;
    for (const Step &step : path) {
        if (const QString *key = std::get_if<QString>(&step)) {
            if (!out.isEmpty())
                out += QLatin1Char('.');
            out += *key;
        } else {
            out += QStringLiteral("[%1]").arg(std::get<int>(step));
        }
    }
    return out;
}

} // namespace transom
