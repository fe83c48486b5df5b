#include "core/log/redaction.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QReadLocker>
#include <QRegularExpression>
#include <QUrl>
#include <QWriteLocker>

#include <algorithm>
#include <array>
#include <vector>

namespace transom::log {

namespace {

/// Lower-case words, sorted, of which every text a built-in pattern matches contains at least one.
constexpr std::array<std::string_view, 13> triggerWords = {
    "api-key", "api_key", "apikey",   "authorization", "basic",      "bearer", "code",
    "cookie",  "passwd",  "password", "secret",        "system-key", "token"};

/// For each ASCII character, the range of trigger words that start with it.
struct WordRange {
    std::size_t begin = 0;
    std::size_t end = 0;
};
constexpr std::array<WordRange, 128> wordsByFirstLetter = [] {
    std::array<WordRange, 128> ranges{};
    for (std::size_t i = triggerWords.size(); i-- > 0;) {
        WordRange &range = ranges[static_cast<unsigned char>(triggerWords[i].front())];
        if (range.end == 0)
            range.end = i + 1;
        range.begin = i;
    }
    return ranges;
}();

/// For each ASCII character, the characters that follow it in some trigger word's first two letters:
/// most places of a text are passed over after looking at two characters.
constexpr std::array<std::array<bool, 128>, 128> secondLetters = [] {
    std::array<std::array<bool, 128>, 128> pairs{};
    for (const std::string_view word : triggerWords)
        pairs[static_cast<unsigned char>(word[0])][static_cast<unsigned char>(word[1])] = true;
    return pairs;
}();

char lowerAscii(unsigned code)
{
    if (code - 'A' < 26u)
        return static_cast<char>(code + ('a' - 'A'));
    return code < 128 ? static_cast<char>(code) : '\0';
}
unsigned codeOf(char c)
{
    return static_cast<unsigned char>(c);
}
unsigned codeOf(QChar c)
{
    return c.unicode();
}

/// The cheap pre-check: does `text` contain a trigger word, in any case? One pass, no allocation.
template<class Char> bool containsTriggerWord(const Char *text, qsizetype size)
{
    for (qsizetype i = 0; i + 1 < size; ++i) { // (every word has more than one letter)
        const auto first = static_cast<unsigned char>(lowerAscii(codeOf(text[i])));
        if (!secondLetters[first][static_cast<unsigned char>(lowerAscii(codeOf(text[i + 1])))])
            continue;
        const WordRange range = wordsByFirstLetter[first];
        for (std::size_t w = range.begin; w < range.end; ++w) {
            const std::string_view word = triggerWords[w];
            const auto length = static_cast<qsizetype>(word.size());
            qsizetype k = 1;
            while (k < length && i + k < size && lowerAscii(codeOf(text[i + k])) == word[k])
                ++k;
            if (k == length)
                return true;
        }
    }
    return false;
}

/// One built-in pattern: capture group 1 of every match becomes ***, if `accept` agrees.
struct Rule {
    QRegularExpression pattern;
    bool (*accept)(QStringView) = nullptr;
};

/// A credential after "Bearer"/"Basic", told from ordinary words ("Basic plan", "Bearer Token"): it has a
/// digit or a symbol, or both lower- and upper-case letters past the first character.
bool looksLikeCredential(QStringView value)
{
    if (value.size() < 4)
        return false;
    bool lower = false;
    bool upperInside = false;
    for (qsizetype i = 0; i < value.size(); ++i) {
        const QChar c = value[i];
        if (!c.isLetter())
            return true;
        lower = lower || c.isLower();
        upperInside = upperInside || (i > 0 && c.isUpper());
    }
    return lower && upperInside;
}

Rule compile(const QString &pattern, bool (*accept)(QStringView) = nullptr)
{
    Rule rule{QRegularExpression(pattern, QRegularExpression::CaseInsensitiveOption), accept};
    rule.pattern.optimize();
    Q_ASSERT_X(rule.pattern.isValid(), "Redactor", qPrintable(rule.pattern.errorString()));
    return rule;
}

/// The value loops are possessive (no backtracking), so a huge value cannot exhaust the matcher and slip
/// through; a value cut off by the end of the text (a truncated body) is hidden too.
std::vector<Rule> compileRules()
{
    const QString fields = QStringLiteral("access[_-]?token|refresh[_-]?token|id[_-]?token|client[_-]?secret|"
                                          "password|passwd|code[_-]?verifier|code|api[_-]?key|token");
    const QString numericFields = QString(fields).replace(QStringLiteral("|code|"), QStringLiteral("|"));
    const QString headers =
        QStringLiteral("proxy-authorization|authorization|x-api-key|x-system-key|set-cookie|cookie");
    const QString keys = fields + QLatin1Char('|') + headers;
    return {
        // A header line: the value after an optional scheme, to the end of the line.
        compile(QStringLiteral(R"((?<![\w-])(?:%1)[ \t]*:[ \t]*(?:(?:bearer|basic|digest|negotiate|token)[ \t]+)?)"
                               R"((\S[^\r\n]*))")
                    .arg(headers)),
        // A JSON string value.
        compile(QStringLiteral(R"re("(?:%1)"\s*:\s*"((?:[^"\\]++|\\.)*+)(?:"|\z))re").arg(keys)),
        // A JSON string value in JSON that is itself inside a JSON string: {\"code\":\"…\"}.
        compile(QStringLiteral(R"(\\"(?:%1)\\"\s*:\s*\\"((?:[^"\\]++|\\\\\\"|\\\\|\\[^"\\])*+)(?:\\"|\z))").arg(keys)),
        // A JSON number (not for "code", which is far more often an error status than a secret).
        compile(QStringLiteral(R"(\\?"(?:%1)\\?"\s*:\s*(-?\d[\d.eE+-]*))").arg(numericFields)),
        // A form field or URL query parameter.
        compile(QStringLiteral(R"((?<![\w.-])(?:%1)=([^&\s"'#]+))").arg(fields)),
        // A credential after Bearer or Basic, anywhere.
        compile(QStringLiteral(R"((?<![\w-])(?:bearer|basic)[ \t]+(?!realm=)([A-Za-z0-9._~+/-]+=*))"),
                &looksLikeCredential),
    };
}

const std::vector<Rule> &builtInRules()
{
    static const std::vector<Rule> rules = compileRules();
    return rules;
}

/// Replaces the secret of every match of `rule` with ***; whether anything changed.
bool maskMatches(QString &text, const Rule &rule)
{
    QString out;
    qsizetype copied = 0;
    bool changed = false;
    QRegularExpressionMatchIterator it = rule.pattern.globalMatch(text);
    while (it.hasNext()) {
        const QRegularExpressionMatch match = it.next();
        const QStringView secret = match.capturedView(1);
        if (secret.isEmpty() || secret == QLatin1String("***") || (rule.accept && !rule.accept(secret)))
            continue;
        const qsizetype start = match.capturedStart(1);
        out += QStringView(text).sliced(copied, start - copied);
        out += QLatin1String("***");
        copied = start + secret.size();
        changed = true;
    }
    if (changed) {
        out += QStringView(text).sliced(copied);
        text = std::move(out);
    }
    return changed;
}

/// The forms a value takes in logged text: as is, URL-encoded (also with + for spaces) and JSON-escaped.
QList<QString> formsOf(const QString &value)
{
    const QString percent = QString::fromLatin1(QUrl::toPercentEncoding(value));
    const QByteArray json = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    QList<QString> forms{value, percent, QString(percent).replace(QLatin1String("%20"), QLatin1String("+")),
                         QString::fromUtf8(json.sliced(2, json.size() - 4))};
    forms.removeIf([](const QString &form) { return form.size() < Redactor::minSecretLength; });
    return forms;
}

} // namespace

void Redactor::addSecret(const QString &value)
{
    if (value.size() < minSecretLength)
        return;
    QWriteLocker locker(&m_lock);
    if (const qsizetype at = m_registered.indexOf(value); at >= 0) {
        m_registered.move(at, m_registered.size() - 1); // still in use: last to be dropped
        return;
    }
    m_registered.append(value);
    if (m_registered.size() > maxSecrets)
        m_registered.removeFirst();
    m_secrets.clear();
    for (const QString &registered : std::as_const(m_registered))
        m_secrets.append(formsOf(registered));
    std::sort(m_secrets.begin(), m_secrets.end(),
              [](const QString &a, const QString &b) { return a.size() != b.size() ? a.size() > b.size() : a < b; });
    m_secrets.erase(std::unique(m_secrets.begin(), m_secrets.end()), m_secrets.end());
    m_secretMatchers.clear();
    for (const QString &secret : std::as_const(m_secrets))
        m_secretMatchers.append(QByteArrayMatcher(secret.toUtf8()));
}

void Redactor::clearSecrets()
{
    QWriteLocker locker(&m_lock);
    m_registered.clear();
    m_secrets.clear();
    m_secretMatchers.clear();
}

QString Redactor::redact(const QString &text) const
{
    QReadLocker locker(&m_lock);
    QString out = text;
    redactSlow(out, suspect(QStringView(text)));
    return out;
}

std::optional<std::string> Redactor::redactUtf8(std::string_view text) const
{
    QReadLocker locker(&m_lock);
    const Suspicion suspicion = suspect(text);
    if (!suspicion.words && !suspicion.literals)
        return std::nullopt;
    QString redacted = QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
    if (!redactSlow(redacted, suspicion))
        return std::nullopt;
    const QByteArray utf8 = redacted.toUtf8();
    return std::string(utf8.constData(), static_cast<std::size_t>(utf8.size()));
}

Redactor::Suspicion Redactor::suspect(QStringView text) const
{
    return {containsTriggerWord(text.data(), text.size()),
            std::any_of(m_secrets.cbegin(), m_secrets.cend(),
                        [text](const QString &secret) { return text.contains(secret); })};
}

Redactor::Suspicion Redactor::suspect(std::string_view text) const
{
    const auto size = static_cast<qsizetype>(text.size());
    return {containsTriggerWord(text.data(), size), std::any_of(m_secretMatchers.cbegin(), m_secretMatchers.cend(),
                                                                [text, size](const QByteArrayMatcher &secret) {
                                                                    return secret.indexIn(text.data(), size) >= 0;
                                                                })};
}

/// Hides the registered values and then the patterns, each only when the pre-check saw a reason to.
bool Redactor::redactSlow(QString &text, Suspicion suspicion) const
{
    bool changed = false;
    if (suspicion.literals) {
        for (const QString &secret : m_secrets) {
            if (!text.contains(secret))
                continue;
            text.replace(secret, QLatin1String("***"));
            changed = true;
        }
    }
    if (suspicion.words) {
        for (const Rule &rule : builtInRules())
            changed = maskMatches(text, rule) || changed;
    }
    return changed;
}

} // namespace transom::log
