#pragma once

#include "core/common/expected.h"
#include "core/mapping/compiledmapping.h"
#include "core/mapping/mappingdocument.h"
#include "core/mapping/rulecatalog.h"

#include <memory>

namespace transom::mapping {

/// Turns a MappingDocument into a CompiledMapping. Every problem is reported, not just the first, each
/// with the line, column and JSON path of its cause. Fields with errors are left out of the compiled
/// mapping, so the studio can still preview the rest.
class MappingCompiler {
public:
    struct Result {
        std::shared_ptr<const CompiledMapping> mapping;
        QList<Error> errors;
        bool ok() const { return errors.isEmpty(); }
    };

    static Result compile(const MappingDocument &document, const RuleCatalog &catalog = RuleCatalog::builtin());
};

} // namespace transom::mapping
