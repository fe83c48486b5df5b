#include "core/mapping/rules/phonevalidity.h"

#include <phonenumbers/phonemetadata.pb.h>

#include <QRegularExpression>

#include <algorithm>

#include <map>
#include <memory>
#include <mutex>
#include <vector>

// libphonenumber's compiled-in metadata (metadata.h, not installed with the public headers; the
// symbols are exported by libphonenumber.so).
namespace i18n::phonenumbers {
int metadata_size();
const void *metadata_get();
} // namespace i18n::phonenumbers

namespace transom::mapping {

namespace {

using i18n::phonenumbers::PhoneMetadata;
using i18n::phonenumbers::PhoneMetadataCollection;
using i18n::phonenumbers::PhoneNumberDesc;

/// One number description: its possible lengths and its whole-number pattern.
struct Desc {
    std::vector<int> lengths; ///< empty: the general description's lengths apply (already checked)
    QRegularExpression pattern;
    bool usable = false; ///< an empty pattern never matches, as in libphonenumber

    explicit Desc(const PhoneNumberDesc &desc)
    {
        for (int i = 0; i < desc.possible_length_size(); ++i)
            lengths.push_back(desc.possible_length(i));
        const std::string &p = desc.national_number_pattern();
        if (p.empty())
            return;
        pattern.setPattern(QRegularExpression::anchoredPattern(QString::fromStdString(p)));
        pattern.optimize();
        usable = pattern.isValid();
    }

    bool matches(QStringView number) const
    {
        if (!usable)
            return false;
        if (!lengths.empty() && std::find(lengths.begin(), lengths.end(), int(number.size())) == lengths.end())
            return false;
        return pattern.match(number).hasMatch();
    }
};

} // namespace

struct RegionValidator::Data {
    std::unique_ptr<Desc> general;
    std::vector<Desc> types; ///< every type but fixed line and mobile, in libphonenumber's order
    std::unique_ptr<Desc> fixedLine;
    std::unique_ptr<Desc> mobile; ///< null when the metadata says mobile and fixed-line share a pattern
};

RegionValidator::RegionValidator() : d(new Data) {}

RegionValidator::~RegionValidator()
{
    delete d;
}

const RegionValidator *RegionValidator::forRegion(const std::string &region)
{
    static std::mutex mutex;
    static std::map<std::string, std::unique_ptr<RegionValidator>> built;
    static std::unique_ptr<PhoneMetadataCollection> collection;
    const std::lock_guard lock(mutex);
    if (const auto it = built.find(region); it != built.end())
        return it->second.get();
    if (!collection) {
        collection = std::make_unique<PhoneMetadataCollection>();
        if (!collection->ParseFromArray(i18n::phonenumbers::metadata_get(), i18n::phonenumbers::metadata_size()))
            collection->Clear();
    }
    std::unique_ptr<RegionValidator> validator;
    for (int i = 0; i < collection->metadata_size(); ++i) {
        const PhoneMetadata &m = collection->metadata(i);
        if (m.id() != region)
            continue;
        validator.reset(new RegionValidator);
        Data &d = *validator->d;
        d.general = std::make_unique<Desc>(m.general_desc());
        for (const PhoneNumberDesc *desc : {&m.premium_rate(), &m.toll_free(), &m.shared_cost(), &m.voip(),
                                            &m.personal_number(), &m.pager(), &m.uan(), &m.voicemail()})
            d.types.emplace_back(*desc);
        d.fixedLine = std::make_unique<Desc>(m.fixed_line());
        if (!m.same_mobile_and_fixed_line_pattern())
            d.mobile = std::make_unique<Desc>(m.mobile());
        // A pattern PCRE cannot read would make this validator answer "no" where libphonenumber
        // might say yes; that only costs speed (callers ask libphonenumber), never correctness.
        break;
    }
    return built.emplace(region, std::move(validator)).first->second.get();
}

bool RegionValidator::isValid(QStringView number) const
{
    if (!d->general->matches(number))
        return false;
    for (const Desc &type : d->types)
        if (type.matches(number))
            return true;
    if (d->fixedLine->matches(number))
        return true;
    return d->mobile && d->mobile->matches(number);
}

} // namespace transom::mapping
