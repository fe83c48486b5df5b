// Phone rule: libphonenumber with a default region; E.164, national, international or RFC 3966 output.
#include "core/mapping/rulecatalog.h"

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

    PhoneRule(std::string region, PhoneNumberUtil::PhoneNumberFormat format, Extension extension, bool validate)
        : m_util(*PhoneNumberUtil::GetInstance()), m_region(std::move(region)), m_format(format),
          m_extension(extension), m_validate(validate)
    {
    }

    bool apply(QJsonValue &value, const QJsonObject &, QString &error) const override
    {
        QString text;
        if (!scalarText(value, text) || value.isBool()) {
            error = QStringLiteral("expected a phone number, got %1").arg(describeValue(value));
            return false;
        }
        if (text.trimmed().isEmpty()) {
            value = QJsonValue(QJsonValue::Null);
            return true;
        }
        if (text.size() > 250) {
            error = QStringLiteral("%1 is far too long to be a phone number").arg(describeValue(text));
            return false;
        }
        PhoneNumber number;
        const auto parsed = m_util.Parse(text.toStdString(), m_region, &number);
        if (parsed != PhoneNumberUtil::NO_PARSING_ERROR) {
            error = QStringLiteral("%1 is not a phone number: %2").arg(describeValue(text), parseError(parsed));
            return false;
        }
        if (m_validate && !m_util.IsValidNumber(number)) {
            error = QStringLiteral("%1 is not a valid phone number (%2)")
                        .arg(describeValue(text), possibility(m_util.IsPossibleNumberWithReason(number)));
            return false;
        }
        if (m_extension == Extension::Only) {
            value = number.has_extension() ? QJsonValue(QString::fromStdString(number.extension()))
                                           : QJsonValue(QJsonValue::Null);
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
    static QString parseError(PhoneNumberUtil::ErrorType e)
    {
        switch (e) {
        case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR: return QStringLiteral("unknown country calling code");
        case PhoneNumberUtil::NOT_A_NUMBER: return QStringLiteral("it does not look like a number");
        case PhoneNumberUtil::TOO_SHORT_AFTER_IDD: return QStringLiteral("too short after the international prefix");
        case PhoneNumberUtil::TOO_SHORT_NSN: return QStringLiteral("too short");
        case PhoneNumberUtil::TOO_LONG_NSN: return QStringLiteral("too long");
        default: return QStringLiteral("unreadable");
        }
    }

    QString possibility(PhoneNumberUtil::ValidationResult r) const
    {
        switch (r) {
        case PhoneNumberUtil::INVALID_COUNTRY_CODE: return QStringLiteral("unknown country calling code");
        case PhoneNumberUtil::TOO_SHORT: return QStringLiteral("too short");
        case PhoneNumberUtil::TOO_LONG: return QStringLiteral("too long");
        case PhoneNumberUtil::INVALID_LENGTH: return QStringLiteral("wrong number of digits");
        case PhoneNumberUtil::IS_POSSIBLE_LOCAL_ONLY: return QStringLiteral("a local number without its area code");
        default:
            return QStringLiteral("no such number is assigned in region %1").arg(QString::fromStdString(m_region));
        }
    }

    const PhoneNumberUtil &m_util;
    std::string m_region;
    PhoneNumberUtil::PhoneNumberFormat m_format;
    Extension m_extension;
    bool m_validate;
};

} // namespace

void registerPhoneRules(RuleCatalog &catalog)
{
    catalog.add(
        {QStringLiteral("phone"), QStringLiteral("contact"),
         QStringLiteral("Reads a phone number written any common way and writes it in one format (E.164: "
                        "+15125550142). A number that cannot be real is a field error."),
         {P{QStringLiteral("region"), P::Type::String, false, QStringLiteral("US"), {},
            QStringLiteral("two-letter region for numbers written without a country code")},
          P{QStringLiteral("format"), P::Type::Choice, false, QStringLiteral("e164"),
            {QStringLiteral("e164"), QStringLiteral("national"), QStringLiteral("international"),
             QStringLiteral("rfc3966")},
            QStringLiteral("output format")},
          P{QStringLiteral("extension"), P::Type::Choice, false, QStringLiteral("drop"),
            {QStringLiteral("drop"), QStringLiteral("keep"), QStringLiteral("only")},
            QStringLiteral("drop the extension, keep it in the number, or output only the extension")},
          P{QStringLiteral("validate"), P::Type::Boolean, false, true, {},
            QStringLiteral("reject numbers that are not assigned in the numbering plan")}},
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
             return std::make_unique<PhoneRule>(region, format, ext, a.boolean(QStringLiteral("validate")));
         }});
}

} // namespace transom::mapping
