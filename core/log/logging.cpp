#include "core/log/logging.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace transom::log {

std::shared_ptr<spdlog::logger> logger()
{
    static const std::shared_ptr<spdlog::logger> instance = [] {
        auto l = std::make_shared<RedactingLogger>(
            "transom", spdlog::sinks_init_list{std::make_shared<spdlog::sinks::stderr_sink_mt>()}, redactor());
        l->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l %v", spdlog::pattern_time_type::utc);
        l->set_level(spdlog::level::warn);
        return l;
    }();
    return instance;
}

Redactor &redactor()
{
    static Redactor instance;
    return instance;
}

void initConsole(bool verbose)
{
    logger()->set_level(verbose ? spdlog::level::debug : spdlog::level::warn);
}

RedactingLogger::RedactingLogger(std::string name, spdlog::sinks_init_list sinks, const Redactor &redactor)
    : spdlog::logger(std::move(name), sinks), m_redactor(redactor)
{}

std::shared_ptr<spdlog::logger> RedactingLogger::clone(std::string name)
{
    auto copy = std::make_shared<RedactingLogger>(*this);
    copy->name_ = std::move(name);
    return copy;
}

void RedactingLogger::sink_it_(const spdlog::details::log_msg &msg)
{
    const std::optional<std::string> redacted =
        m_redactor.redactUtf8(std::string_view(msg.payload.data(), msg.payload.size()));
    if (!redacted)
        return spdlog::logger::sink_it_(msg);
    spdlog::details::log_msg copy = msg;
    copy.payload = spdlog::string_view_t(redacted->data(), redacted->size());
    spdlog::logger::sink_it_(copy);
}

} // namespace transom::log
