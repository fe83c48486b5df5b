// Name rules: template (join fields), name_split (split a full name).
#include "core/mapping/fieldpath.h"
#include "core/mapping/rulecatalog.h"

#include <QSet>

#include <string>

namespace transom::mapping {

namespace {

using P = RuleParam;

/// A parsed template: literal text, placeholders ({path} or {$} for the pipeline's value) and optional
/// sections in square brackets that vanish when any placeholder inside them is empty.
struct TemplatePiece {
    enum class Kind { Literal, Field, Current, Section };
    Kind kind = Kind::Literal;
    QString literal;
    FieldPath path;
    QList<TemplatePiece> section;
    std::string literalUtf8; ///< the literal as UTF-8, for rendering without QStrings
};

class TemplateParser {
public:
    /// Sections nest at most this deep: the parser and the renderer recurse once per level, and a
    /// template from an untrusted mapping must not be able to overflow the stack.
    static constexpr int kMaxSectionDepth = 32;

    explicit TemplateParser(const QString &text) : m_text(text) {}

    bool parse(QList<TemplatePiece> &out, QString &error)
    {
        if (!parseSequence(out, false, error))
            return false;
        if (m_pos < m_text.size()) {
            error = QStringLiteral("unexpected ']' at character %1").arg(m_pos + 1);
            return false;
        }
        return true;
    }

private:
    bool parseSequence(QList<TemplatePiece> &out, bool inSection, QString &error)
    {
        QString literal;
        auto flush = [&] {
            if (!literal.isEmpty())
                out.append(TemplatePiece{TemplatePiece::Kind::Literal, literal, {}, {}, {}});
            literal.clear();
        };
        while (m_pos < m_text.size()) {
            const QChar c = m_text.at(m_pos);
            if (c == QLatin1Char('\\') && m_pos + 1 < m_text.size()) {
                literal += m_text.at(m_pos + 1);
                m_pos += 2;
            } else if (c == QLatin1Char('{')) {
                flush();
                const qsizetype close = m_text.indexOf(QLatin1Char('}'), m_pos);
                if (close < 0) {
                    error = QStringLiteral("'{' at character %1 is never closed").arg(m_pos + 1);
                    return false;
                }
                const QString name = m_text.mid(m_pos + 1, close - m_pos - 1).trimmed();
                if (name.contains(QLatin1Char('{'))) {
                    error = QStringLiteral("the placeholder at character %1 is not closed before the next '{'")
                                .arg(m_pos + 1);
                    return false;
                }
                if (name == QLatin1String("$")) {
                    out.append(TemplatePiece{TemplatePiece::Kind::Current, {}, {}, {}, {}});
                } else {
                    auto path = FieldPath::parse(name);
                    if (!path) {
                        error = path.error().message;
                        return false;
                    }
                    out.append(TemplatePiece{TemplatePiece::Kind::Field, {}, path.value(), {}, {}});
                }
                m_pos = close + 1;
            } else if (c == QLatin1Char('[')) {
                flush();
                const qsizetype start = m_pos++;
                if (m_depth >= kMaxSectionDepth) {
                    error = QStringLiteral("the section '[' at character %1 is nested more than %2 deep "
                                           "(at most %2 sections inside one another)")
                                .arg(start + 1)
                                .arg(kMaxSectionDepth);
                    return false;
                }
                TemplatePiece section{TemplatePiece::Kind::Section, {}, {}, {}, {}};
                ++m_depth;
                const bool parsed = parseSequence(section.section, true, error);
                --m_depth;
                if (!parsed)
                    return false;
                if (m_pos >= m_text.size() || m_text.at(m_pos) != QLatin1Char(']')) {
                    error = QStringLiteral("'[' at character %1 is never closed").arg(start + 1);
                    return false;
                }
                ++m_pos;
                out.append(section);
            } else if (c == QLatin1Char(']')) {
                if (!inSection) {
                    error =
                        QStringLiteral("unexpected ']' at character %1 (write \\] for a literal one)").arg(m_pos + 1);
                    return false;
                }
                break;
            } else {
                literal += c;
                ++m_pos;
            }
        }
        flush();
        return true;
    }

    const QString &m_text;
    qsizetype m_pos = 0;
    int m_depth = 0; ///< sections open around m_pos
};

class TemplateRule final : public Rule {
public:
    TemplateRule(QList<TemplatePiece> pieces, bool collapse) : m_pieces(std::move(pieces)), m_collapse(collapse)
    {
        m_utf8 = encodeLiterals(m_pieces);
    }

    bool handlesEmpty() const override { return true; }

    bool apply(Value &value, const SourceRecord &record, QString &error) const override
    {
        if (m_utf8) {
            // Fields read from JSON text are UTF-8 already: the text is put together in UTF-8. Errors
            // and strings held as QString take the general path below.
            std::string text;
            text.reserve(64);
            int filled = 0;
            int placeholders = 0;
            if (renderUtf8(m_pieces, value, record, text, filled, placeholders)) {
                if (placeholders > 0 && filled == 0) {
                    value = Value(QJsonValue::Null);
                    return true;
                }
                std::string collapsed;
                value = Value::fromUtf8(m_collapse && utf8Simplified(text, collapsed) ? std::move(collapsed)
                                                                                      : std::move(text));
                return true;
            }
        }
        QString out;
        out.reserve(64);
        int filled = 0;
        int placeholders = 0;
        if (!render(m_pieces, value, record, out, filled, placeholders, error))
            return false;
        if (placeholders > 0 && filled == 0) {
            value = Value(QJsonValue::Null);
            return true;
        }
        value = m_collapse ? collapseWhitespace(out) : out;
        return true;
    }

private:
    /// Fills each literal's UTF-8; false when one does not come back the same (a lone surrogate).
    static bool encodeLiterals(QList<TemplatePiece> &pieces)
    {
        bool ok = true;
        for (TemplatePiece &piece : pieces) {
            if (piece.kind == TemplatePiece::Kind::Literal) {
                const QByteArray utf8 = piece.literal.toUtf8();
                piece.literalUtf8.assign(utf8.constData(), size_t(utf8.size()));
                ok = ok && QString::fromUtf8(utf8) == piece.literal;
            } else if (piece.kind == TemplatePiece::Kind::Section) {
                ok = encodeLiterals(piece.section) && ok;
            }
        }
        return ok;
    }

    /// Renders `pieces` into `out`: literal(out, piece) appends a literal, put(out, piece, value) a
    /// placeholder's value, returning false to stop. A section appears only when all its placeholders
    /// were filled.
    template<class Text, class Literal, class Put>
    static bool renderWith(const QList<TemplatePiece> &pieces, const Value &current, const SourceRecord &record,
                           Text &out, int &filled, int &placeholders, const Literal &literal, const Put &put)
    {
        for (const TemplatePiece &piece : pieces) {
            switch (piece.kind) {
            case TemplatePiece::Kind::Literal:
                literal(out, piece);
                break;
            case TemplatePiece::Kind::Field:
            case TemplatePiece::Kind::Current: {
                ++placeholders;
                const Value v = piece.kind == TemplatePiece::Kind::Current ? current : record.value(piece.path);
                if (isEmptyValue(v))
                    break;
                if (!put(out, piece, v))
                    return false;
                ++filled;
                break;
            }
            case TemplatePiece::Kind::Section: {
                Text inner;
                int innerFilled = 0;
                int innerPlaceholders = 0;
                if (!renderWith(piece.section, current, record, inner, innerFilled, innerPlaceholders, literal, put))
                    return false;
                if (innerFilled == innerPlaceholders) {
                    out += inner;
                    filled += innerFilled;
                    placeholders += innerPlaceholders; // filled, all of them: a section around it stays
                }
                break;
            }
            }
        }
        return true;
    }

    static bool render(const QList<TemplatePiece> &pieces, const Value &current, const SourceRecord &record,
                       QString &out, int &filled, int &placeholders, QString &error)
    {
        return renderWith(
            pieces, current, record, out, filled, placeholders,
            [](QString &text, const TemplatePiece &piece) { text += piece.literal; },
            [&error](QString &text, const TemplatePiece &piece, const Value &v) {
                QString scalar;
                if (!scalarText(v, scalar)) {
                    error =
                        QStringLiteral("template field {%1} holds %2, not text")
                            .arg(piece.kind == TemplatePiece::Kind::Current ? QStringLiteral("$") : piece.path.text(),
                                 describeValue(v));
                    return false;
                }
                text += scalar;
                return true;
            });
    }

    /// render() into UTF-8; false (leave it to render()) on an error or a string held as QString.
    static bool renderUtf8(const QList<TemplatePiece> &pieces, const Value &current, const SourceRecord &record,
                           std::string &out, int &filled, int &placeholders)
    {
        return renderWith(
            pieces, current, record, out, filled, placeholders,
            [](std::string &text, const TemplatePiece &piece) { text += piece.literalUtf8; },
            [](std::string &text, const TemplatePiece &, const Value &v) {
                return !(v.isString() && !v.isUtf8()) && appendScalarUtf8(v, text);
            });
    }

    QList<TemplatePiece> m_pieces;
    bool m_collapse;
    bool m_utf8 = false; ///< every literal has a UTF-8 form
};

/// Splits a person's full name: "Maria Garcia", "Garcia, Maria", "Dr. María José de la Cruz Jr.".
class NameSplitRule final : public Rule {
public:
    enum class Part { First, Middle, Last, Given };
    explicit NameSplitRule(Part part) : m_part(part) {}

    bool apply(Value &value, const SourceRecord &, QString &error) const override
    {
        QString text;
        if (!scalarText(value, text) || value.isDouble() || value.isBool()) {
            error = QStringLiteral("expected a name, got %1").arg(describeValue(value));
            return false;
        }
        QString first, middle, last;
        split(collapseWhitespace(text), first, middle, last);
        QString result;
        switch (m_part) {
        case Part::First:
            result = first;
            break;
        case Part::Middle:
            result = middle;
            break;
        case Part::Last:
            result = last;
            break;
        case Part::Given:
            result = middle.isEmpty() ? first : first + QLatin1Char(' ') + middle;
            break;
        }
        value = result.isEmpty() ? Value(QJsonValue::Null) : Value(result);
        return true;
    }

private:
    static QString folded(const QString &word)
    {
        QString w = word.toLower();
        w.remove(QLatin1Char('.'));
        return w;
    }

    static void split(const QString &full, QString &first, QString &middle, QString &last)
    {
        static const QSet<QString> titles = {QStringLiteral("mr"),   QStringLiteral("mrs"), QStringLiteral("ms"),
                                             QStringLiteral("miss"), QStringLiteral("dr"),  QStringLiteral("prof"),
                                             QStringLiteral("sr"),   QStringLiteral("sra"), QStringLiteral("srta")};
        static const QSet<QString> suffixes = {QStringLiteral("jr"),  QStringLiteral("sr"), QStringLiteral("ii"),
                                               QStringLiteral("iii"), QStringLiteral("iv"), QStringLiteral("phd"),
                                               QStringLiteral("md"),  QStringLiteral("esq")};
        static const QSet<QString> particles = {QStringLiteral("de"),  QStringLiteral("del"), QStringLiteral("la"),
                                                QStringLiteral("van"), QStringLiteral("von"), QStringLiteral("der"),
                                                QStringLiteral("da"),  QStringLiteral("di"),  QStringLiteral("le"),
                                                QStringLiteral("st")};
        QString rest = full;
        const qsizetype comma = rest.indexOf(QLatin1Char(','));
        QStringList words;
        if (comma > 0) {
            // "Last, First Middle" unless what follows the comma is only a suffix ("Smith Jr.").
            const QString after = rest.mid(comma + 1).trimmed();
            if (!after.isEmpty() && !suffixes.contains(folded(after))) {
                words = after.split(QLatin1Char(' '), Qt::SkipEmptyParts);
                while (!words.isEmpty() && titles.contains(folded(words.first())))
                    words.removeFirst();
                last = rest.left(comma).trimmed();
                if (!words.isEmpty())
                    first = words.takeFirst();
                middle = words.join(QLatin1Char(' '));
                return;
            }
            rest.remove(comma, 1);
        }
        words = rest.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        while (words.size() > 1 && titles.contains(folded(words.first())))
            words.removeFirst();
        while (words.size() > 1 && suffixes.contains(folded(words.last())))
            words.removeLast();
        if (words.isEmpty())
            return;
        first = words.takeFirst();
        if (words.isEmpty())
            return;
        // The last name is the last word plus any particles before it ("de la Cruz").
        qsizetype lastStart = words.size() - 1;
        while (lastStart > 0 && particles.contains(words.at(lastStart - 1).toLower()))
            --lastStart;
        last = words.mid(lastStart).join(QLatin1Char(' '));
        middle = words.mid(0, lastStart).join(QLatin1Char(' '));
    }

    Part m_part;
};

} // namespace

void registerNameRules(RuleCatalog &catalog)
{
    catalog.add({QStringLiteral("template"),
                 QStringLiteral("name"),
                 QStringLiteral("Builds text from source fields: \"{first_name} {last_name}\"; {$} is the mapped "
                                "value; a [section] disappears when a field inside it is empty."),
                 {P{QStringLiteral("template"),
                    P::Type::String,
                    true,
                    {},
                    {},
                    QStringLiteral("text with {field} placeholders")},
                  P{QStringLiteral("collapse_whitespace"),
                    P::Type::Boolean,
                    false,
                    true,
                    {},
                    QStringLiteral("tidy the spaces left by empty fields")}},
                 [](const RuleArgs &a, RuleBuildError &error) -> std::unique_ptr<Rule> {
                     QList<TemplatePiece> pieces;
                     QString why;
                     if (!TemplateParser(a.string(QStringLiteral("template"))).parse(pieces, why)) {
                         error = {QStringLiteral("template"), QStringLiteral("invalid template: %1").arg(why)};
                         return nullptr;
                     }
                     return std::make_unique<TemplateRule>(pieces, a.boolean(QStringLiteral("collapse_whitespace")));
                 }});
    catalog.add(
        {QStringLiteral("name_split"),
         QStringLiteral("name"),
         QStringLiteral("Takes one part of a full name (\"Garcia, Maria\" and \"Maria Garcia\" both work; "
                        "titles and suffixes are dropped)."),
         {P{QStringLiteral("part"),
            P::Type::Choice,
            true,
            {},
            {QStringLiteral("first"), QStringLiteral("middle"), QStringLiteral("last"), QStringLiteral("given")},
            QStringLiteral("first, middle, last, or given (first and middle)")}},
         [](const RuleArgs &a, RuleBuildError &) {
             const QString p = a.string(QStringLiteral("part"));
             const auto part = p == QLatin1String("first")    ? NameSplitRule::Part::First
                               : p == QLatin1String("middle") ? NameSplitRule::Part::Middle
                               : p == QLatin1String("last")   ? NameSplitRule::Part::Last
                                                              : NameSplitRule::Part::Given;
             return std::make_unique<NameSplitRule>(part);
         }});
}

} // namespace transom::mapping
