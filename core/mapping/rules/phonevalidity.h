#pragma once

#include <string>
#include <string_view>

namespace transom::mapping {

/// "Is this national number valid in region R?" answered from libphonenumber's own metadata for the
/// region, with the patterns compiled once (PCRE2, JIT) instead of going through libphonenumber's
/// regex cache on every call, which hashes multi-kilobyte patterns and converts the number to UTF-16
/// for ICU each time (most of a phone rule's cost). The checks mirror
/// PhoneNumberUtil::IsValidNumberForRegion: the general description, then the number types, each
/// with its possible lengths (fixed line and mobile first: the answer does not depend on the order). Only a "yes" is
/// final; callers ask libphonenumber when it says no.
class RegionValidator {
public:
    /// The validator of a region ("US", "GB"), built on first use and shared; nullptr when the
    /// region or the metadata cannot be read (callers then use libphonenumber alone).
    static const RegionValidator *forRegion(const std::string &region);

    /// `nationalNumber` is the national significant number (digits only, no country code).
    bool isValid(std::string_view nationalNumber) const;

    ~RegionValidator();
    RegionValidator(const RegionValidator &) = delete;
    RegionValidator &operator=(const RegionValidator &) = delete;

private:
    RegionValidator();
    struct Data;
    Data *d;
};

} // namespace transom::mapping
