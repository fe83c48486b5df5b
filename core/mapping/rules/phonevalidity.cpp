#include "core/mapping/rules/phonevalidity.h"

#include <phonenumbers/phonemetadata.pb.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

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
    struct FreeCode {
        void operator()(pcre2_code_8 *code) const { pcre2_code_free_8(code); }
    };
    std::vector<int> lengths; ///< empty: the general description's lengths apply (already checked)
    std::unique_ptr<pcre2_code_8, FreeCode> pattern; ///< null: never matches, as an empty pattern in libphonenumber

    explicit Desc(const PhoneNumberDesc &desc)
    {
        for (int i = 0; i < desc.possible_length_size(); ++i)
            lengths.push_back(desc.possible_length(i));
        const std::string &p = desc.national_number_pattern();
        if (p.empty())
            return;
        // The patterns are ASCII and so are the numbers: PCRE2's 8-bit matcher, anchored at both ends,
        // compiled to machine code once (QRegularExpression cost more per match than the match).
        const std::string anchored = "\\A(?:" + p + ")\\z";
        int errorCode = 0;
        PCRE2_SIZE errorOffset = 0;
        pattern.reset(pcre2_compile_8(reinterpret_cast<PCRE2_SPTR8>(anchored.data()), anchored.size(), 0, &errorCode,
                                      &errorOffset, nullptr));
        if (pattern)
            pcre2_jit_compile_8(pattern.get(), PCRE2_JIT_COMPLETE); // optional: the interpreter answers the same
    }

    bool matches(std::string_view number) const
    {
        if (!pattern)
            return false;
        if (!lengths.empty() && std::find(lengths.begin(), lengths.end(), int(number.size())) == lengths.end())
            return false;
        struct MatchData { // one per thread, enough for whole-number matches (no captures are read)
            pcre2_match_data_8 *data = pcre2_match_data_create_8(1, nullptr);
            ~MatchData() { pcre2_match_data_free_8(data); }
        };
        thread_local MatchData md;
        return md.data && pcre2_match_8(pattern.get(), reinterpret_cast<PCRE2_SPTR8>(number.data()), number.size(), 0,
                                        0, md.data, nullptr) > 0;
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
        // A pattern PCRE2 cannot read would make this validator answer "no" where libphonenumber
        // might say yes; that only costs speed (callers ask libphonenumber), never correctness.
        break;
    }
    return built.emplace(region, std::move(validator)).first->second.get();
}

bool RegionValidator::isValid(std::string_view number) const
{
    if (!d->general->matches(number))
        return false;
    // Valid means "of some type": libphonenumber tries the rare types first because it wants to know
    // which; fixed line and mobile, which nearly every number is, go first here (a number of another
    // type is tried against all of them, as before).
    if (d->fixedLine->matches(number) || (d->mobile && d->mobile->matches(number)))
        return true;
    for (const Desc &type : d->types)
        if (type.matches(number))
            return true;
    return false;
}

} // namespace transom::mapping
