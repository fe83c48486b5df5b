#include "core/log/logging.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace transom::log {

std::shared_ptr<spdlog::logger> logger()
{
    static const std::shared_ptr<spdlog::logger> instance = [] {
        auto l = std::make_shared<spdlog::logger>("transom", std::make_shared<spdlog::sinks::stderr_sink_mt>());
        l->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l %v", spdlog::pattern_time_type::utc);
        l->set_level(spdlog::level::warn);
        return l;
    }();
    return instance;
}

void initConsole(bool verbose)
{
    logger()->set_level(verbose ? spdlog::level::debug : spdlog::level::warn);
}

} // namespace transom::log
