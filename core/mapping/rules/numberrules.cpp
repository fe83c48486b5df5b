// Money and number rules: "$450,000.00", "USD 450,000", "$1.2M", "450K", "(1,200)" → cents or decimals.
#include "core/mapping/rulecatalog.h"

#include <cmath>

namespace transom::mapping {

namespace {

using P = RuleParam;
__extension__ typedef __int128 Int128;
__extension__ typedef unsigned __int128 UInt128;

/// 10^36: multiplying anything up to this by 10 stays inside a signed 128-bit integer (about 1.7 × 10^38).
constexpr Int128 kLargestDigits = Int128(1'000'000'000'000'000'000) * Int128(1'000'000'000'000'000'000);

/// An exact decimal: digits as an integer and the count of digits after the point.
struct Decimal {
    Int128 digits = 0;
    int scale = 0;
    bool negative = false;
};

struct NumberSyntax {
    QChar decimalPoint = QLatin1Char('.');
    bool currency = false; ///< accept currency symbols and ISO codes around the number
    bool suffixes = false; ///< accept K, M, MM, B multipliers
};

bool isCurrencyLetters(QStringView word)
{
    if (word.size() != 3)
        return false;
    return std::all_of(word.begin(), word.end(),
                       [](QChar c) { return c >= QLatin1Char('A') && c <= QLatin1Char('Z'); });
}

/// True when `text` ends with `suffix` (ASCII capitals) in either case.
bool endsWithLetters(QStringView text, QLatin1String suffix)
{
    if (text.size() < suffix.size())
        return false;
    const QStringView tail = text.last(suffix.size());
    for (qsizetype i = 0; i < suffix.size(); ++i) {
        const char16_t c = tail.at(i).unicode();
        const char16_t upper = c >= u'a' && c <= u'z' ? char16_t(c - (u'a' - u'A')) : c;
        if (upper != char16_t(suffix.at(i).unicode()))
            return false;
    }
    return true;
}

/// Parses `text` into `out`. Returns an empty string on success, otherwise why it is not a number.
/// Works on views of the text: no copy for each step of taking it apart.
QString parseDecimal(QStringView text, const NumberSyntax &syntax, Decimal &out)
{
    text = text.trimmed();
    if (text.isEmpty())
        return QStringLiteral("it is empty");
    if (text.size() > 64)
        return QStringLiteral("it is far too long to be an amount");
    bool negative = false;
    if (text.startsWith(QLatin1Char('(')) && text.endsWith(QLatin1Char(')'))) {
        negative = true;
        text = text.sliced(1, text.size() - 2).trimmed();
    }
    if (syntax.currency) {
        // Leading or trailing ISO code ("USD 450,000", "450000 usd") and symbols ("$", "US$", "€", "£").
        const qsizetype space = text.indexOf(QLatin1Char(' '));
        if (space == 3 && isCurrencyLetters(text.left(3).toString().toUpper()))
            text = text.sliced(4).trimmed();
        const qsizetype lastSpace = text.lastIndexOf(QLatin1Char(' '));
        if (lastSpace >= 0 && lastSpace == text.size() - 4 && isCurrencyLetters(text.right(3).toString().toUpper()))
            text = text.left(lastSpace).trimmed();
    }
    if (text.startsWith(QLatin1Char('-'))) {
        negative = !negative;
        text = text.sliced(1).trimmed();
    } else if (text.startsWith(QLatin1Char('+'))) {
        text = text.sliced(1).trimmed();
    }
    if (syntax.currency) {
        static const QStringList symbols = {QStringLiteral("US$"), QStringLiteral("CA$"), QStringLiteral("C$"),
                                            QStringLiteral("$"),   QStringLiteral("€"),   QStringLiteral("£")};
        // (A symbol can only lead or end the text when its first or last character does.)
        const QChar first = text.isEmpty() ? QChar() : text.front();
        const QChar last = text.isEmpty() ? QChar() : text.back();
        for (const QString &symbol : symbols) {
            if (symbol.front() == first && text.startsWith(symbol)) {
                text = text.sliced(symbol.size()).trimmed();
                break;
            }
            if (symbol.back() == last && text.endsWith(symbol)) {
                text = text.chopped(symbol.size()).trimmed();
                break;
            }
        }
        if (text.startsWith(QLatin1Char('-'))) {
            negative = !negative;
            text = text.sliced(1).trimmed();
        }
    }
    int multiplierDigits = 0;
    auto takeSuffix = [&](QLatin1String suffix, int zeros) {
        if (endsWithLetters(text, suffix) && text.size() > suffix.size() &&
            (text.at(text.size() - suffix.size() - 1).isDigit() ||
             text.at(text.size() - suffix.size() - 1) == QLatin1Char(' '))) {
            text = text.chopped(suffix.size()).trimmed();
            multiplierDigits = zeros;
            return true;
        }
        return false;
    };
    if (takeSuffix(QLatin1String("MM"), 6) || takeSuffix(QLatin1String("K"), 3) || takeSuffix(QLatin1String("M"), 6) ||
        takeSuffix(QLatin1String("B"), 9)) {
        if (!syntax.suffixes)
            return QStringLiteral("it uses a K/M/B suffix; turn on \"suffixes\" to accept those");
    }
    if (text.isEmpty())
        return QStringLiteral("there are no digits");
    const QChar group = syntax.decimalPoint == QLatin1Char('.') ? QLatin1Char(',') : QLatin1Char('.');
    Decimal d;
    bool seenPoint = false;
    int integerDigits = 0;
    int digitsSinceGroup = -1; // -1: no group separator seen yet
    for (const QChar c : text) {
        if (c.isDigit() && c.unicode() < 128) {
            if (seenPoint)
                ++d.scale;
            else
                ++integerDigits;
            if (integerDigits + d.scale > 30)
                return QStringLiteral("it has too many digits");
            d.digits = d.digits * 10 + (c.unicode() - '0');
            if (!seenPoint && digitsSinceGroup >= 0)
                ++digitsSinceGroup;
        } else if (c == syntax.decimalPoint && !seenPoint) {
            if (digitsSinceGroup >= 0 && digitsSinceGroup != 3)
                return QStringLiteral("its digit grouping is wrong");
            seenPoint = true;
        } else if ((c == group || c == QLatin1Char('\'') || c == QChar(0x00A0)) && !seenPoint && integerDigits > 0) {
            if (digitsSinceGroup >= 0 && digitsSinceGroup != 3)
                return QStringLiteral("its digit grouping is wrong");
            digitsSinceGroup = 0;
        } else {
            return QStringLiteral("'%1' is not part of a number").arg(c);
        }
    }
    if (!seenPoint && digitsSinceGroup >= 0 && digitsSinceGroup != 3)
        return QStringLiteral("its digit grouping is wrong");
    if (integerDigits == 0 && d.scale == 0)
        return QStringLiteral("there are no digits");
    // Apply the multiplier by lowering the scale (1.2M = 12 × 10^5), never past what 128 bits hold.
    d.scale -= multiplierDigits;
    while (d.scale < 0) {
        if (d.digits > kLargestDigits / 10)
            return QStringLiteral("it is too large");
        d.digits *= 10;
        ++d.scale;
    }
    d.negative = negative && d.digits != 0;
    out = d;
    return {};
}

/// Rounds an exact decimal to `places` decimals, half away from zero. A result too large for 128 bits
/// comes back as ±kLargestDigits, which every caller refuses as too large.
Int128 roundTo(const Decimal &d, int places)
{
    Int128 v = d.digits;
    int scale = d.scale;
    while (scale < places) {
        if (v > kLargestDigits / 10)
            return d.negative ? -kLargestDigits : kLargestDigits;
        v *= 10;
        ++scale;
    }
    if (scale > places) {
        Int128 divisor = 1;
        for (int i = places; i < scale; ++i)
            divisor *= 10;
        v = (v + divisor / 2) / divisor;
    }
    return d.negative ? -v : v;
}

bool decimalFromValue(const Value &value, const NumberSyntax &syntax, Decimal &out, QString &why)
{
    if (value.isDouble()) {
        const double x = value.toDouble();
        if (!std::isfinite(x) || std::fabs(x) > 1e15) {
            why = QStringLiteral("it is out of range");
            return false;
        }
        // Go through the shortest decimal text so that 599999.99 stays exactly that.
        QString text;
        scalarText(value, text);
        why = parseDecimal(text.contains(QLatin1Char('e')) ? QString::number(x, 'f', 6) : text, NumberSyntax{}, out);
        return why.isEmpty();
    }
    if (!value.isString()) {
        why = QStringLiteral("it is %1, not a number").arg(describeValue(value));
        return false;
    }
    Utf16Scratch scratch;
    why = parseDecimal(textView(value, scratch), syntax, out);
    return why.isEmpty();
}

QString decimalText(Int128 scaled, int places)
{
    const bool negative = scaled < 0;
    UInt128 v = negative ? -scaled : scaled;
    QString digits;
    do {
        digits.prepend(QChar(u'0' + int(v % 10)));
        v /= 10;
    } while (v > 0);
    while (digits.size() <= places)
        digits.prepend(QLatin1Char('0'));
    if (places > 0)
        digits.insert(digits.size() - places, QLatin1Char('.'));
    return negative ? QLatin1Char('-') + digits : digits;
}

class MoneyRule final : public Rule {
public:
    enum class Output { Cents, Decimal, Units };
    MoneyRule(NumberSyntax syntax, Output output) : m_syntax(syntax), m_output(output) {}

    bool apply(Value &value, const SourceRecord &, QString &error) const override
    {
        Decimal d;
        QString why;
        if (isBlankString(value)) {
            value = Value(QJsonValue::Null);
            return true;
        }
        if (!decimalFromValue(value, m_syntax, d, why)) {
            error = QStringLiteral("%1 is not an amount of money: %2").arg(describeValue(value), why);
            return false;
        }
        const Int128 cents = roundTo(d, 2);
        if (cents > Int128(1) << 53 || cents < -(Int128(1) << 53)) {
            error = QStringLiteral("%1 is too large an amount").arg(describeValue(value));
            return false;
        }
        switch (m_output) {
        case Output::Cents:
            value = Value(qint64(cents));
            break;
        case Output::Decimal:
            value = decimalText(cents, 2);
            break;
        case Output::Units:
            value = double(qint64(cents)) / 100.0;
            break;
        }
        return true;
    }

private:
    NumberSyntax m_syntax;
    Output m_output;
};

class NumberRule final : public Rule {
public:
    enum class Output { Number, Integer, Text };
    NumberRule(NumberSyntax syntax, Output output, int decimals)
        : m_syntax(syntax), m_output(output), m_decimals(decimals)
    {}

    bool apply(Value &value, const SourceRecord &, QString &error) const override
    {
        Decimal d;
        QString why;
        if (isBlankString(value)) {
            value = Value(QJsonValue::Null);
            return true;
        }
        if (!decimalFromValue(value, m_syntax, d, why)) {
            error = QStringLiteral("%1 is not a number: %2").arg(describeValue(value), why);
            return false;
        }
        const int places = m_output == Output::Integer ? 0 : m_decimals;
        const Int128 scaled = roundTo(d, places);
        if (scaled > Int128(1) << 53 || scaled < -(Int128(1) << 53)) {
            error = QStringLiteral("%1 is too large").arg(describeValue(value));
            return false;
        }
        const QString text = decimalText(scaled, places);
        switch (m_output) {
        case Output::Integer:
            value = Value(qint64(scaled));
            break;
        case Output::Number:
            value = text.toDouble();
            break;
        case Output::Text:
            value = text;
            break;
        }
        return true;
    }

private:
    NumberSyntax m_syntax;
    Output m_output;
    int m_decimals;
};

bool decimalPointParam(const RuleArgs &a, NumberSyntax &syntax, RuleBuildError &error)
{
    const QString point = a.string(QStringLiteral("decimal_point"));
    if (point != QLatin1String(".") && point != QLatin1String(",")) {
        error = {QStringLiteral("decimal_point"), QStringLiteral("decimal_point must be \".\" or \",\"")};
        return false;
    }
    syntax.decimalPoint = point.at(0);
    return true;
}

} // namespace

void registerNumberRules(RuleCatalog &catalog)
{
    catalog.add({QStringLiteral("money"),
                 QStringLiteral("number"),
                 QStringLiteral("Reads amounts such as \"$450,000.00\", \"USD 450,000\" or \"$1.2M\" and writes "
                                "integer cents, a decimal text or a number; anything else is a field error."),
                 {P{QStringLiteral("output"),
                    P::Type::Choice,
                    false,
                    QStringLiteral("cents"),
                    {QStringLiteral("cents"), QStringLiteral("decimal"), QStringLiteral("units")},
                    QStringLiteral("cents (45000000), decimal (\"450000.00\") or units (450000)")},
                  P{QStringLiteral("suffixes"),
                    P::Type::Boolean,
                    false,
                    false,
                    {},
                    QStringLiteral("accept K, M, MM and B (\"450K\", \"$1.2M\")")},
                  P{QStringLiteral("decimal_point"),
                    P::Type::String,
                    false,
                    QStringLiteral("."),
                    {},
                    QStringLiteral("\".\" (1,200.50) or \",\" (1.200,50)")}},
                 [](const RuleArgs &a, RuleBuildError &error) -> std::unique_ptr<Rule> {
                     NumberSyntax syntax;
                     syntax.currency = true;
                     syntax.suffixes = a.boolean(QStringLiteral("suffixes"));
                     if (!decimalPointParam(a, syntax, error))
                         return nullptr;
                     const QString o = a.string(QStringLiteral("output"));
                     const auto output = o == QLatin1String("decimal") ? MoneyRule::Output::Decimal
                                         : o == QLatin1String("units") ? MoneyRule::Output::Units
                                                                       : MoneyRule::Output::Cents;
                     return std::make_unique<MoneyRule>(syntax, output);
                 }});
    catalog.add(
        {QStringLiteral("number"),
         QStringLiteral("number"),
         QStringLiteral("Reads a number written as text (\"3,100\", \"2.5\") and writes a number, a whole "
                        "number or text with fixed decimals."),
         {P{QStringLiteral("output"),
            P::Type::Choice,
            false,
            QStringLiteral("number"),
            {QStringLiteral("number"), QStringLiteral("integer"), QStringLiteral("text")},
            {}},
          P{QStringLiteral("decimals"),
            P::Type::Integer,
            false,
            6,
            {},
            QStringLiteral("decimals kept (rounded half away from zero)")},
          P{QStringLiteral("suffixes"), P::Type::Boolean, false, false, {}, QStringLiteral("accept K, M, MM and B")},
          P{QStringLiteral("decimal_point"), P::Type::String, false, QStringLiteral("."), {}, {}}},
         [](const RuleArgs &a, RuleBuildError &error) -> std::unique_ptr<Rule> {
             NumberSyntax syntax;
             syntax.suffixes = a.boolean(QStringLiteral("suffixes"));
             if (!decimalPointParam(a, syntax, error))
                 return nullptr;
             const int decimals = a.integer(QStringLiteral("decimals"));
             if (decimals < 0 || decimals > 12) {
                 error = {QStringLiteral("decimals"), QStringLiteral("decimals must be between 0 and 12")};
                 return nullptr;
             }
             const QString o = a.string(QStringLiteral("output"));
             const auto output = o == QLatin1String("integer") ? NumberRule::Output::Integer
                                 : o == QLatin1String("text")  ? NumberRule::Output::Text
                                                               : NumberRule::Output::Number;
             return std::make_unique<NumberRule>(syntax, output, decimals);
         }});
}

} // namespace transom::mapping
