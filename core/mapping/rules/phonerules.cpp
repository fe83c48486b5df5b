// Phone rule: libphonenumber with a default region; E.164, national, international or RFC 3966 output.
#include "core/mapping/rulecatalog.h"
#include "core/mapping/rules/phonevalidity.h"

#include <cstring>

#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

namespace transom::mapping {

namespace {

using P = RuleParam;
using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

class PhoneRule final : public Rule {
public:
    enum class Extension { Drop, Keep, Only };
    /// What a number that cannot be read or is not valid becomes.
    enum class Invalid { Error, Null, Keep, Digits };

    PhoneRule(std::string region, PhoneNumberUtil::PhoneNumberFormat format, Extension extension, bool validate,
              Invalid invalid)
        : m_util(*PhoneNumberUtil::GetInstance())
        , m_region(std::move(region))
        , m_format(format)
        , m_extension(extension)
        , m_validate(validate)
        , m_invalid(invalid)
        , m_countryCode(m_util.GetCountryCodeForRegion(m_region))
        , m_validator(RegionValidator::forRegion(m_region))
    {}

    bool apply(Value &value, const SourceRecord &, QString &error) const override
    {
        QString text;
        if (!scalarText(value, text) || value.isBool()) {
            error = QStringLiteral("expected a phone number, got %1").arg(describeValue(value));
            return false;
        }
        if (text.trimmed().isEmpty()) {
            value = Value(QJsonValue::Null);
            return true;
        }
        if (text.size() > 250) {
            if (m_invalid != Invalid::Error)
                return handleInvalid(value, text);
            error = QStringLiteral("%1 is far too long to be a phone number").arg(describeValue(text));
            return false;
        }
        const Parsed &parsed = parse(text);
        if (parsed.error != PhoneNumberUtil::NO_PARSING_ERROR) {
            if (m_invalid != Invalid::Error)
                return handleInvalid(value, text);
            error = QStringLiteral("%1 is not a phone number: %2").arg(describeValue(text), parseError(parsed.error));
            return false;
        }
        if (m_validate && !isValid(parsed)) {
            if (m_invalid != Invalid::Error)
                return handleInvalid(value, text);
            error = QStringLiteral("%1 is not a valid phone number (%2)")
                        .arg(describeValue(text), possibility(m_util.IsPossibleNumberWithReason(parsed.number)));
            return false;
        }
        PhoneNumber number = parsed.number;
        if (m_extension == Extension::Only) {
            value =
                number.has_extension() ? Value(QString::fromStdString(number.extension())) : Value(QJsonValue::Null);
            return true;
        }
        const bool hasExtension = number.has_extension();
        const std::string extension = hasExtension ? number.extension() : std::string();
        if (m_extension == Extension::Drop && hasExtension)
            number.clear_extension();
        std::string out;
        m_util.Format(number, m_format, &out);
        // E.164 has no extension syntax; keep it the RFC 3966 way.
        if (m_extension == Extension::Keep && hasExtension && m_format == PhoneNumberUtil::E164)
            out += ";ext=" + extension;
        value = QString::fromStdString(out);
        return true;
    }

private:
    /// The `invalid` policy for a number that cannot be read or is not valid (never Invalid::Error).
    bool handleInvalid(Value &value, const QString &text) const
    {
        switch (m_invalid) {
        case Invalid::Error:
        case Invalid::Keep:
            return true; // the input as it came
        case Invalid::Null:
            value = Value(QJsonValue::Null);
            return true;
        case Invalid::Digits: {
            // The digits, after a + when the number starts with one; nothing when there are none.
            const QStringView trimmed = QStringView(text).trimmed();
            QString digits;
            digits.reserve(trimmed.size());
            for (const QChar c : trimmed)
                if (c >= u'0' && c <= u'9')
                    digits.append(c);
            if (digits.isEmpty())
                value = Value(QJsonValue::Null);
            else
                value = trimmed.startsWith(u'+') ? QLatin1Char('+') + digits : digits;
            return true;
        }
        }
        return true;
    }

    /// The last number parsed on this thread. Mappings often read one phone field twice (the number,
    /// then its extension), so the second rule reuses the first one's work.
    struct Parsed {
        std::string region;
        QString text;
        PhoneNumber number;
        PhoneNumberUtil::ErrorType error = PhoneNumberUtil::NOT_A_NUMBER;
        int valid = -1; ///< -1 not checked yet
    };

    const Parsed &parse(const QString &text) const
    {
        thread_local Parsed last;
        if (!last.text.isNull() && last.text == text && last.region == m_region)
            return last;
        last.region = m_region;
        last.text = text;
        last.valid = -1;
        last.number.Clear();
        if (parseNanpFast(text, last.number))
            last.error = PhoneNumberUtil::NO_PARSING_ERROR;
        else
            last.error = m_util.Parse(text.toStdString(), m_region, &last.number);
        return last;
    }

    bool isValid(const Parsed &parsed) const
    {
        if (parsed.valid < 0) {
            // The region's own patterns first (compiled once), then libphonenumber for the region and
            // for every region of the calling code.
            bool valid = false;
            if (m_validator && parsed.number.country_code() == m_countryCode) {
                std::string national;
                m_util.GetNationalSignificantNumber(parsed.number, &national);
                valid = m_validator->isValid(national);
            }
            valid =
                valid || m_util.IsValidNumberForRegion(parsed.number, m_region) || m_util.IsValidNumber(parsed.number);
            const_cast<Parsed &>(parsed).valid = valid ? 1 : 0;
        }
        return parsed.valid == 1;
    }

    /// Plain North American numbers ("(512) 555-0142", "1-512-555-0100", "+1 512.555.0142", with an
    /// extension written "ext. 12", "ext 12", "extension 12" or "x12") read without libphonenumber's
    /// general parser, which spends most of its time on its extension patterns: ten digits with an
    /// area code starting 2-9, after an optional 1. Anything else goes to the full parser.
    /// tst_phonerules checks that both parsers agree on every form taken here.
    bool parseNanpFast(const QString &text, PhoneNumber &number) const
    {
        if (m_countryCode != 1)
            return false;
        char digits[11];
        int n = 0;
        bool plus = false;
        qsizetype i = 0;
        const qsizetype size = text.size();
        for (; i < size; ++i) {
            const char16_t u = text.at(i).unicode();
            if (u >= u'0' && u <= u'9') {
                if (n == 11)
                    return false;
                digits[n++] = char(u);
            } else if (u == u'+' && n == 0 && !plus) {
                plus = true;
            } else if (u == u'e' || u == u'E' || u == u'x' || u == u'X') {
                break; // an extension label
            } else if (u != u' ' && u != u'-' && u != u'.' && u != u'(' && u != u')') {
                return false;
            }
        }
        const char *national = digits;
        if (n == 11 && digits[0] == '1')
            ++national;
        else if (n != 10 || plus)
            return false;
        if (national[0] < '2')
            return false;
        std::string extension;
        if (i < size && !readExtension(QStringView(text).mid(i), extension))
            return false;
        uint64_t value = 0;
        for (int k = 0; k < 10; ++k)
            value = value * 10 + uint64_t(national[k] - '0');
        number.set_country_code(1);
        number.set_national_number(value);
        if (!extension.empty())
            number.set_extension(extension);
        return true;
    }

    /// "ext. 12", "ext 12", "ext12", "extension 12", "x12", "x 12" (any case) → "12"; false for
    /// anything else.
    static bool readExtension(QStringView rest, std::string &extension)
    {
        qsizetype i = 0;
        auto label = [&](const char *word) {
            const auto length = qsizetype(std::strlen(word));
            if (rest.size() - i < length || rest.mid(i, length).compare(QLatin1String(word), Qt::CaseInsensitive) != 0)
                return false;
            i += length;
            return true;
        };
        if (!label("extension") && !label("ext") && !label("x"))
            return false;
        if (i < rest.size() && rest.at(i) == u'.')
            ++i;
        while (i < rest.size() && rest.at(i) == u' ')
            ++i;
        const qsizetype start = i;
        while (i < rest.size() && rest.at(i) >= u'0' && rest.at(i) <= u'9')
            ++i;
        if (i == start || i - start > 6 || i != rest.size())
            return false;
        extension = rest.mid(start).toString().toStdString();
        return true;
    }

    static QString parseError(PhoneNumberUtil::ErrorType e)
    {
        switch (e) {
        case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR:
            return QStringLiteral("unknown country calling code");
        case PhoneNumberUtil::NOT_A_NUMBER:
            return QStringLiteral("it does not look like a number");
        case PhoneNumberUtil::TOO_SHORT_AFTER_IDD:
            return QStringLiteral("too short after the international prefix");
        case PhoneNumberUtil::TOO_SHORT_NSN:
            return QStringLiteral("too short");
        case PhoneNumberUtil::TOO_LONG_NSN:
            return QStringLiteral("too long");
        default:
            return QStringLiteral("unreadable");
        }
    }

    QString possibility(PhoneNumberUtil::ValidationResult r) const
    {
        switch (r) {
        case PhoneNumberUtil::INVALID_COUNTRY_CODE:
            return QStringLiteral("unknown country calling code");
        case PhoneNumberUtil::TOO_SHORT:
            return QStringLiteral("too short");
        case PhoneNumberUtil::TOO_LONG:
            return QStringLiteral("too long");
        case PhoneNumberUtil::INVALID_LENGTH:
            return QStringLiteral("wrong number of digits");
        case PhoneNumberUtil::IS_POSSIBLE_LOCAL_ONLY:
            return QStringLiteral("a local number without its area code");
        default:
            return QStringLiteral("no such number is assigned in region %1").arg(QString::fromStdString(m_region));
        }
    }

    const PhoneNumberUtil &m_util;
    std::string m_region;
    PhoneNumberUtil::PhoneNumberFormat m_format;
    Extension m_extension;
    bool m_validate;
    Invalid m_invalid;
    int m_countryCode;
    const RegionValidator *m_validator;
};

} // namespace

void registerPhoneRules(RuleCatalog &catalog)
{
    catalog.add(
        {QStringLiteral("phone"),
         QStringLiteral("contact"),
         QStringLiteral("Reads a phone number written any common way and writes it in one format (E.164: "
                        "+15125550142). A number that cannot be real is a field error, or what "
                        "\"invalid\" says."),
         {P{QStringLiteral("region"),
            P::Type::String,
            false,
            QStringLiteral("US"),
            {},
            QStringLiteral("two-letter region for numbers written without a country code")},
          P{QStringLiteral("format"),
            P::Type::Choice,
            false,
            QStringLiteral("e164"),
            {QStringLiteral("e164"), QStringLiteral("national"), QStringLiteral("international"),
             QStringLiteral("rfc3966")},
            QStringLiteral("output format")},
          P{QStringLiteral("extension"),
            P::Type::Choice,
            false,
            QStringLiteral("drop"),
            {QStringLiteral("drop"), QStringLiteral("keep"), QStringLiteral("only")},
            QStringLiteral("drop the extension, keep it in the number, or output only the extension")},
          P{QStringLiteral("validate"),
            P::Type::Boolean,
            false,
            true,
            {},
            QStringLiteral("reject numbers that are not assigned in the numbering plan")},
          P{QStringLiteral("invalid"),
            P::Type::Choice,
            false,
            QStringLiteral("error"),
            {QStringLiteral("error"), QStringLiteral("null"), QStringLiteral("keep"), QStringLiteral("digits")},
            QStringLiteral("what a number that cannot be read or is not valid becomes"),
            {QStringLiteral("Report a field error"), QStringLiteral("Leave the field empty (null)"),
             QStringLiteral("Keep the text as it came"), QStringLiteral("Keep only the digits (and a leading +)")}}},
         [](const RuleArgs &a, RuleBuildError &error) -> std::unique_ptr<Rule> {
             const std::string region = a.string(QStringLiteral("region")).toUpper().toStdString();
             if (PhoneNumberUtil::GetInstance()->GetCountryCodeForRegion(region) == 0) {
                 error = {QStringLiteral("region"),
                          QStringLiteral("\"%1\" is not a region code (use two letters such as US, CA, MX, GB)")
                              .arg(a.string(QStringLiteral("region")))};
                 return nullptr;
             }
             const QString f = a.string(QStringLiteral("format"));
             const auto format = f == QLatin1String("national")        ? PhoneNumberUtil::NATIONAL
                                 : f == QLatin1String("international") ? PhoneNumberUtil::INTERNATIONAL
                                 : f == QLatin1String("rfc3966")       ? PhoneNumberUtil::RFC3966
                                                                       : PhoneNumberUtil::E164;
             const QString e = a.string(QStringLiteral("extension"));
             const auto ext = e == QLatin1String("keep")   ? PhoneRule::Extension::Keep
                              : e == QLatin1String("only") ? PhoneRule::Extension::Only
                                                           : PhoneRule::Extension::Drop;
             const QString i = a.string(QStringLiteral("invalid"));
             const auto invalid = i == QLatin1String("null")     ? PhoneRule::Invalid::Null
                                  : i == QLatin1String("keep")   ? PhoneRule::Invalid::Keep
                                  : i == QLatin1String("digits") ? PhoneRule::Invalid::Digits
                                                                 : PhoneRule::Invalid::Error;
             return std::make_unique<PhoneRule>(region, format, ext, a.boolean(QStringLiteral("validate")), invalid);
         }});
}

} // namespace transom::mapping
