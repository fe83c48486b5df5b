// Text rules: trim, collapse_whitespace, case, truncate, email, regex_extract, regex_replace.
#include "core/mapping/rulecatalog.h"

#include <QRegularExpression>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <type_traits>

namespace transom::mapping {

namespace {

using P = RuleParam;

/// Base for rules that work on text: scalars are turned into text, objects and lists are an error.
class TextRule : public Rule {
public:
    bool apply(Value &value, const SourceRecord &, QString &error) const final
    {
        if (value.isUtf8()) {
            bool handled = true;
            const bool ok = transformUtf8(value.utf8(), value, error, handled);
            if (handled)
                return ok;
        }
        QString text;
        if (!scalarText(value, text)) {
            error = QStringLiteral("expected text, got %1").arg(describeValue(value));
            return false;
        }
        return transform(text, value, error);
    }

protected:
    /// Sets `value` from `text`; false with `error` set on failure.
    virtual bool transform(QString &text, Value &value, QString &error) const = 0;
    /// The same for a string kept as UTF-8 (`text` is the value's own text: read it before setting
    /// `value`). A rule sets `handled` to false for text it leaves to transform() (non-ASCII letters
    /// for case rules, errors, which transform() words); the default leaves everything to it.
    virtual bool transformUtf8(std::string_view text, Value &value, QString &error, bool &handled) const
    {
        Q_UNUSED(text);
        Q_UNUSED(value);
        Q_UNUSED(error);
        handled = false;
        return false;
    }
};

/// ASCII letters, for the case rules' UTF-8 paths.
inline bool isAsciiLower(char c)
{
    return c >= 'a' && c <= 'z';
}
inline bool isAsciiUpper(char c)
{
    return c >= 'A' && c <= 'Z';
}
inline char asciiLower(char c)
{
    return isAsciiUpper(c) ? char(c + ('a' - 'A')) : c;
}
inline char asciiUpper(char c)
{
    return isAsciiLower(c) ? char(c - ('a' - 'A')) : c;
}

class TrimRule final : public TextRule {
    bool transform(QString &text, Value &value, QString &) const override
    {
        value = text.trimmed();
        return true;
    }
    bool transformUtf8(std::string_view text, Value &value, QString &, bool &) const override
    {
        const std::string_view trimmed = utf8Trimmed(text);
        if (trimmed.size() != text.size())
            value = Value::fromUtf8(trimmed);
        return true;
    }
};

class CollapseWhitespaceRule final : public TextRule {
    bool transform(QString &text, Value &value, QString &) const override
    {
        value = collapseWhitespace(text);
        return true;
    }
    bool transformUtf8(std::string_view text, Value &value, QString &, bool &) const override
    {
        std::string out;
        if (utf8Simplified(text, out))
            value = Value::fromUtf8(std::move(out));
        return true;
    }
};

class CaseRule final : public TextRule {
public:
    enum class Mode { Upper, Lower, Title };
    explicit CaseRule(Mode mode) : m_mode(mode) {}

private:
    bool transform(QString &text, Value &value, QString &) const override
    {
        switch (m_mode) {
        case Mode::Upper:
            value = text.toUpper();
            break;
        case Mode::Lower:
            value = text.toLower();
            break;
        case Mode::Title:
            value = titleCase(text);
            break;
        }
        return true;
    }

    bool transformUtf8(std::string_view text, Value &value, QString &, bool &handled) const override
    {
        if (!isAscii(text)) {
            handled = false; // Unicode case mappings: transform()
            return false;
        }
        std::string out(text);
        bool atWordStart = true;
        for (char &c : out) {
            switch (m_mode) {
            case Mode::Upper:
                c = asciiUpper(c);
                break;
            case Mode::Lower:
                c = asciiLower(c);
                break;
            case Mode::Title:
                // As titleCase() below, for ASCII: digits continue a word, other non-letters end it.
                if (isAsciiLower(c) || isAsciiUpper(c)) {
                    c = atWordStart ? asciiUpper(c) : asciiLower(c);
                    atWordStart = false;
                } else {
                    atWordStart = !(c >= '0' && c <= '9');
                }
                break;
            }
        }
        if (out != text)
            value = Value::fromUtf8(std::move(out));
        return true;
    }

    // Capitalises the first letter of each word; a word starts after anything that is not a letter
    // or a mark, so "o'brien-smith" becomes "O'Brien-Smith". Works on code points, not UTF-16 units.
    static QString titleCase(const QString &in)
    {
        // Text without surrogates maps unit by unit into a string of the same length.
        QString out(in.size(), Qt::Uninitialized);
        char16_t *w = reinterpret_cast<char16_t *>(out.data());
        bool atWordStart = true;
        for (const QChar ch : in) {
            const char16_t c = ch.unicode();
            if (QChar::isSurrogate(c))
                return titleCaseCodePoints(in);
            if (QChar::isLetter(c) || QChar::isMark(c)) {
                const char32_t mapped = atWordStart ? QChar::toTitleCase(char32_t(c)) : QChar::toLower(char32_t(c));
                if (mapped > 0xffff)
                    return titleCaseCodePoints(in);
                *w++ = char16_t(mapped);
                atWordStart = false;
            } else {
                *w++ = c;
                atWordStart = !QChar::isDigit(c);
            }
        }
        return out;
    }

    static QString titleCaseCodePoints(const QString &in)
    {
        const QList<uint> points = in.toUcs4();
        QList<uint> out;
        out.reserve(points.size());
        bool atWordStart = true;
        for (const uint cp : points) {
            const bool letter = QChar::isLetter(cp) || QChar::isMark(cp);
            if (letter) {
                out.append(atWordStart ? QChar::toTitleCase(cp) : QChar::toLower(cp));
                atWordStart = false;
            } else {
                out.append(cp);
                atWordStart = !QChar::isDigit(cp);
            }
        }
        return QString::fromUcs4(reinterpret_cast<const char32_t *>(out.constData()), out.size());
    }

    Mode m_mode;
};

class TruncateRule final : public TextRule {
public:
    TruncateRule(int max, QString ellipsis) : m_max(max), m_ellipsis(std::move(ellipsis)) {}

private:
    bool transform(QString &text, Value &value, QString &) const override
    {
        if (text.size() <= m_max) {
            value = text;
            return true;
        }
        const qsizetype keep = std::max<qsizetype>(0, m_max - m_ellipsis.size());
        qsizetype cut = keep;
        // Never split a surrogate pair.
        if (cut > 0 && text.at(cut - 1).isHighSurrogate())
            --cut;
        value = text.left(cut) + m_ellipsis;
        return true;
    }
    bool transformUtf8(std::string_view text, Value &, QString &, bool &handled) const override
    {
        // No more bytes than the limit: no more UTF-16 units either, so nothing to cut.
        handled = text.size() <= size_t(m_max);
        return true;
    }

    int m_max;
    QString m_ellipsis;
};

} // namespace

namespace {

/// isPracticalEmail() on UTF-16 units or on ASCII bytes.
template<class View> bool practicalEmail(View email)
{
    auto forbidden = [](char16_t c) {
        switch (c) {
        case u' ':
        case u'\t':
        case u'\n':
        case u'\v':
        case u'\f':
        case u'\r':
        case u'@':
        case u'"':
        case u'<':
        case u'>':
        case u'(':
        case u')':
        case u',':
        case u';':
        case u':':
        case u'\\':
        case u'[':
        case u']':
            return true;
        default:
            return false;
        }
    };
    auto unit = [&email](qsizetype i) -> char16_t {
        if constexpr (std::is_same_v<View, QStringView>)
            return email.at(i).unicode();
        else
            return static_cast<unsigned char>(email[size_t(i)]);
    };
    const qsizetype size = qsizetype(email.size());
    qsizetype at = 0;
    while (at < size && unit(at) != u'@')
        ++at;
    if (at <= 0 || at == size)
        return false;
    for (qsizetype i = 0; i < at; ++i)
        if (forbidden(unit(i)))
            return false;
    // The domain: labels separated by dots, at least two, none empty; the last has 2+ characters and
    // no digit.
    qsizetype labels = 0, labelStart = at + 1;
    qsizetype lastDot = -1;
    for (qsizetype i = at + 1; i <= size; ++i) {
        if (i == size || unit(i) == u'.') {
            if (i == labelStart)
                return false;
            ++labels;
            labelStart = i + 1;
            if (i < size)
                lastDot = i;
            continue;
        }
        if (forbidden(unit(i)))
            return false;
    }
    if (labels < 2)
        return false;
    qsizetype codePoints = size - lastDot - 1; // the pattern counted characters, not UTF-16 units
    for (qsizetype i = lastDot + 1; i < size; ++i)
        codePoints -= QChar::isLowSurrogate(unit(i)) ? 1 : 0;
    if (codePoints < 2)
        return false;
    for (qsizetype i = lastDot + 1; i < size; ++i)
        if (unit(i) >= u'0' && unit(i) <= u'9')
            return false;
    return true;
}

} // namespace

/// Practical address check: one @, no spaces, a dotted domain with a 2+ letter top level; the same
/// answers as ^[^\s@"<>(),;:\\\[\]]+@(?:[^\s@"<>(),;:\\\[\].]+\.)+[^\s@"<>(),;:\\\[\].\d]{2,}\z (tst_textrules
/// compares them), at a tenth of a regex match's cost.
bool isPracticalEmail(QStringView email)
{
    return practicalEmail(email);
}

namespace {

class EmailRule final : public TextRule {
private:
    bool transform(QString &text, Value &value, QString &error) const override
    {
        QString email = text.trimmed().toLower();
        if (email.startsWith(QLatin1String("mailto:")))
            email.remove(0, 7);
        if (email.isEmpty()) {
            value = Value(QJsonValue::Null);
            return true;
        }
        if (email.size() > 254 || !isPracticalEmail(email)) {
            error = QStringLiteral("%1 is not a valid e-mail address").arg(describeValue(text));
            return false;
        }
        value = email;
        return true;
    }
    bool transformUtf8(std::string_view text, Value &value, QString &, bool &handled) const override
    {
        if (!isAscii(text)) {
            handled = false;
            return false;
        }
        std::string email(utf8Trimmed(text));
        for (char &c : email)
            c = asciiLower(c);
        if (email.starts_with("mailto:"))
            email.erase(0, 7);
        if (email.empty()) {
            value = Value(QJsonValue::Null);
            return true;
        }
        if (email.size() > 254 || !practicalEmail(std::string_view(email))) {
            handled = false; // transform() words the error
            return false;
        }
        if (email != text)
            value = Value::fromUtf8(std::move(email));
        return true;
    }
};

/// A pattern compiled a second time for UTF-8 text (the 8-bit PCRE2 library, as QRegularExpression
/// compiles it for UTF-16: PCRE2_UTF, JIT), so that a string kept as UTF-8 is matched as it is. Qt's
/// match() allocated a match object and PCRE2 match data for every call: most of a short match's cost.
class Utf8Pattern {
public:
    Utf8Pattern(const QRegularExpression &re, const QString &group)
    {
        // Only the options this rule's builder sets; anything else stays with QRegularExpression.
        if (re.patternOptions() & ~QRegularExpression::PatternOptions(QRegularExpression::CaseInsensitiveOption))
            return;
        const QByteArray pattern = re.pattern().toUtf8();
        if (QString::fromUtf8(pattern) != re.pattern())
            return; // a lone surrogate in the pattern: no UTF-8 form
        int errorCode = 0;
        PCRE2_SIZE errorOffset = 0;
        // \C matches one code unit, a byte here but a UTF-16 unit in Qt: such patterns stay with Qt.
        const uint32_t options = PCRE2_UTF | PCRE2_NEVER_BACKSLASH_C |
                                 (re.patternOptions() & QRegularExpression::CaseInsensitiveOption ? PCRE2_CASELESS : 0);
        pcre2_code_8 *code = pcre2_compile_8(reinterpret_cast<PCRE2_SPTR8>(pattern.constData()), size_t(pattern.size()),
                                             options, &errorCode, &errorOffset, nullptr);
        if (!code)
            return;
        uint32_t captures = 0;
        pcre2_pattern_info_8(code, PCRE2_INFO_CAPTURECOUNT, &captures);
        bool numeric = false;
        int number = group.toInt(&numeric);
        if (!numeric) {
            const QByteArray name = group.toUtf8();
            number = pcre2_substring_number_from_name_8(code, reinterpret_cast<PCRE2_SPTR8>(name.constData()));
        }
        if (number < 0 || uint32_t(number) > captures || captures >= kPairs) {
            pcre2_code_free_8(code); // a duplicate name, or more groups than the match data holds
            return;
        }
        pcre2_jit_compile_8(code, PCRE2_JIT_COMPLETE); // as QRegularExpression::optimize(); optional
        m_code = code;
        m_group = uint32_t(number);
    }
    ~Utf8Pattern() { pcre2_code_free_8(m_code); }
    Utf8Pattern(const Utf8Pattern &) = delete;
    Utf8Pattern &operator=(const Utf8Pattern &) = delete;

    bool usable() const { return m_code != nullptr; }

    enum class Result { Match, NoMatch, Failed };
    /// Matches `text`; on a match `captured` is the group's text (empty when the group took no part).
    Result match(std::string_view text, std::string_view &captured) const
    {
        // One match data per thread, big enough for any pattern this class accepts.
        struct Data {
            pcre2_match_data_8 *data = pcre2_match_data_create_8(kPairs, nullptr);
            ~Data() { pcre2_match_data_free_8(data); }
        };
        thread_local Data md;
        if (!md.data)
            return Result::Failed;
        const int rc =
            pcre2_match_8(m_code, reinterpret_cast<PCRE2_SPTR8>(text.data()), text.size(), 0, 0, md.data, nullptr);
        if (rc == PCRE2_ERROR_NOMATCH)
            return Result::NoMatch;
        if (rc <= 0)
            return Result::Failed;
        const PCRE2_SIZE *ovector = pcre2_get_ovector_pointer_8(md.data);
        const PCRE2_SIZE start = ovector[2 * m_group], end = ovector[2 * m_group + 1];
        captured =
            uint32_t(rc) <= m_group || start == PCRE2_UNSET ? std::string_view() : text.substr(start, end - start);
        return Result::Match;
    }

private:
    static constexpr uint32_t kPairs = 64;
    pcre2_code_8 *m_code = nullptr;
    uint32_t m_group = 0;
};

class RegexExtractRule final : public TextRule {
public:
    enum class OnNoMatch { Error, Null, PassThrough };
    RegexExtractRule(QRegularExpression re, QString group, OnNoMatch onNoMatch)
        : m_re(std::move(re)), m_group(std::move(group)), m_onNoMatch(onNoMatch), m_utf8(m_re, m_group)
    {
        bool numeric = false;
        m_groupIndex = m_group.toInt(&numeric);
        if (!numeric)
            m_groupIndex = -1;
    }

private:
    bool transformUtf8(std::string_view text, Value &value, QString &, bool &handled) const override
    {
        std::string_view captured;
        switch (m_utf8.usable() ? m_utf8.match(text, captured) : Utf8Pattern::Result::Failed) {
        case Utf8Pattern::Result::Match:
            value = Value::fromUtf8(captured); // copied before the value it points into is replaced
            return true;
        case Utf8Pattern::Result::NoMatch:
            if (m_onNoMatch == OnNoMatch::Null) {
                value = Value(QJsonValue::Null);
                return true;
            }
            if (m_onNoMatch == OnNoMatch::PassThrough)
                return true;
            break; // the error is worded by transform()
        case Utf8Pattern::Result::Failed:
            break;
        }
        handled = false;
        return false;
    }

    bool transform(QString &text, Value &value, QString &error) const override
    {
        const QRegularExpressionMatch m = m_re.match(text);
        if (m.hasMatch()) {
            value = m_groupIndex >= 0 ? m.captured(m_groupIndex) : m.captured(m_group);
            return true;
        }
        switch (m_onNoMatch) {
        case OnNoMatch::Error:
            error = QStringLiteral("%1 does not match the pattern %2").arg(describeValue(text), m_re.pattern());
            return false;
        case OnNoMatch::Null:
            value = Value(QJsonValue::Null);
            return true;
        case OnNoMatch::PassThrough:
            value = text;
            return true;
        }
        return true;
    }

    QRegularExpression m_re;
    QString m_group;
    int m_groupIndex = 0;
    OnNoMatch m_onNoMatch;
    Utf8Pattern m_utf8;
};

class RegexReplaceRule final : public TextRule {
public:
    RegexReplaceRule(QRegularExpression re, QString replacement)
        : m_re(std::move(re)), m_replacement(std::move(replacement))
    {}

private:
    bool transform(QString &text, Value &value, QString &) const override
    {
        value = text.replace(m_re, m_replacement);
        return true;
    }

    QRegularExpression m_re;
    QString m_replacement;
};

/// Compiles a user's pattern once, reporting a syntax error with its offset.
bool compilePattern(const QString &pattern, bool caseInsensitive, QRegularExpression &out, RuleBuildError &error)
{
    out = QRegularExpression(pattern, caseInsensitive ? QRegularExpression::CaseInsensitiveOption
                                                      : QRegularExpression::NoPatternOption);
    if (!out.isValid()) {
        error = {QStringLiteral("pattern"), QStringLiteral("the pattern is not a valid regular expression: %1 "
                                                           "at offset %2")
                                                .arg(out.errorString())
                                                .arg(out.patternErrorOffset())};
        return false;
    }
    out.optimize();
    return true;
}

} // namespace

void registerTextRules(RuleCatalog &catalog)
{
    catalog.add({QStringLiteral("trim"),
                 QStringLiteral("text"),
                 QStringLiteral("Removes spaces, tabs and line breaks at both ends."),
                 {},
                 [](const RuleArgs &, RuleBuildError &) { return std::make_unique<TrimRule>(); }});
    catalog.add({QStringLiteral("collapse_whitespace"),
                 QStringLiteral("text"),
                 QStringLiteral("Trims and turns every run of white space inside into one space."),
                 {},
                 [](const RuleArgs &, RuleBuildError &) { return std::make_unique<CollapseWhitespaceRule>(); }});
    catalog.add(
        {QStringLiteral("case"),
         QStringLiteral("text"),
         QStringLiteral("Changes letter case (Unicode aware): upper, lower or title (\"o'brien\" → \"O'Brien\")."),
         {P{QStringLiteral("mode"),
            P::Type::Choice,
            true,
            {},
            {QStringLiteral("upper"), QStringLiteral("lower"), QStringLiteral("title")},
            QStringLiteral("upper, lower or title")}},
         [](const RuleArgs &a, RuleBuildError &) {
             const QString m = a.string(QStringLiteral("mode"));
             const auto mode = m == QLatin1String("upper")   ? CaseRule::Mode::Upper
                               : m == QLatin1String("lower") ? CaseRule::Mode::Lower
                                                             : CaseRule::Mode::Title;
             return std::make_unique<CaseRule>(mode);
         }});
    catalog.add({QStringLiteral("truncate"),
                 QStringLiteral("text"),
                 QStringLiteral("Cuts text to a maximum number of characters, optionally ending with an ellipsis."),
                 {P{QStringLiteral("max"), P::Type::Integer, true, {}, {}, QStringLiteral("maximum characters")},
                  P{QStringLiteral("ellipsis"),
                    P::Type::String,
                    false,
                    QString(),
                    {},
                    QStringLiteral("text that ends a cut value, e.g. \"…\"")}},
                 [](const RuleArgs &a, RuleBuildError &error) -> std::unique_ptr<Rule> {
                     const int max = a.integer(QStringLiteral("max"));
                     if (max < 1) {
                         error = {QStringLiteral("max"), QStringLiteral("max must be at least 1")};
                         return nullptr;
                     }
                     return std::make_unique<TruncateRule>(max, a.string(QStringLiteral("ellipsis")));
                 }});
    catalog.add({QStringLiteral("email"),
                 QStringLiteral("contact"),
                 QStringLiteral("Trims, lowercases and validates an e-mail address; an invalid one is an error."),
                 {},
                 [](const RuleArgs &, RuleBuildError &) { return std::make_unique<EmailRule>(); }});
    catalog.add(
        {QStringLiteral("regex_extract"),
         QStringLiteral("text"),
         QStringLiteral("Keeps the part of the text that a regular expression captures."),
         {P{QStringLiteral("pattern"), P::Type::String, true, {}, {}, QStringLiteral("a regular expression")},
          P{QStringLiteral("group"),
            P::Type::String,
            false,
            QStringLiteral("1"),
            {},
            QStringLiteral("capture group number or name")},
          P{QStringLiteral("case_insensitive"), P::Type::Boolean, false, false, {}, {}},
          P{QStringLiteral("on_no_match"),
            P::Type::Choice,
            false,
            QStringLiteral("error"),
            {QStringLiteral("error"), QStringLiteral("null"), QStringLiteral("pass_through")},
            QStringLiteral("what to do when the pattern does not match")}},
         [](const RuleArgs &a, RuleBuildError &error) -> std::unique_ptr<Rule> {
             QRegularExpression re;
             if (!compilePattern(a.string(QStringLiteral("pattern")), a.boolean(QStringLiteral("case_insensitive")), re,
                                 error))
                 return nullptr;
             const QString group = a.string(QStringLiteral("group"));
             bool numeric = false;
             const int index = group.toInt(&numeric);
             if ((numeric && index > re.captureCount()) || (!numeric && !re.namedCaptureGroups().contains(group))) {
                 error = {QStringLiteral("group"),
                          QStringLiteral("the pattern has no capture group \"%1\"").arg(group)};
                 return nullptr;
             }
             const QString policy = a.string(QStringLiteral("on_no_match"));
             const auto onNoMatch = policy == QLatin1String("null")           ? RegexExtractRule::OnNoMatch::Null
                                    : policy == QLatin1String("pass_through") ? RegexExtractRule::OnNoMatch::PassThrough
                                                                              : RegexExtractRule::OnNoMatch::Error;
             return std::make_unique<RegexExtractRule>(re, group, onNoMatch);
         }});
    catalog.add(
        {QStringLiteral("regex_replace"),
         QStringLiteral("text"),
         QStringLiteral("Replaces every match of a regular expression (\\1 refers to a captured group)."),
         {P{QStringLiteral("pattern"), P::Type::String, true, {}, {}, QStringLiteral("a regular expression")},
          P{QStringLiteral("replacement"), P::Type::String, false, QString(), {}, QStringLiteral("replacement text")},
          P{QStringLiteral("case_insensitive"), P::Type::Boolean, false, false, {}, {}}},
         [](const RuleArgs &a, RuleBuildError &error) -> std::unique_ptr<Rule> {
             QRegularExpression re;
             if (!compilePattern(a.string(QStringLiteral("pattern")), a.boolean(QStringLiteral("case_insensitive")), re,
                                 error))
                 return nullptr;
             return std::make_unique<RegexReplaceRule>(re, a.string(QStringLiteral("replacement")));
         }});
}

} // namespace transom::mapping
