#pragma once

#include <spdlog/logger.h>

#include <memory>

namespace transom::log {

/// The process-wide logger, writing to stderr until a run configures file sinks. Never pass secrets.
std::shared_ptr<spdlog::logger> logger();

/// Sets up stderr logging for command-line tools: warnings and up, or everything with `verbose`.
void initConsole(bool verbose);

} // namespace transom::log
