#pragma once

#include "core/log/redaction.h"

#include <spdlog/logger.h>

#include <memory>

namespace transom::log {

/// The process-wide logger, writing to stderr until a run configures file sinks. Every message goes
/// through redactor() before any sink sees it; still, never pass secrets on purpose.
std::shared_ptr<spdlog::logger> logger();

/// The redactor logger() runs on every message. Register secret values with it as soon as they are
/// known (SecretStore does so for every value it reads or writes).
Redactor &redactor();

/// Sets up stderr logging for command-line tools: warnings and up, or everything with `verbose`.
void initConsole(bool verbose);

/// An spdlog logger that hides secrets: each message is redacted once, before it reaches any sink, so
/// sinks added later (a run's log file, the studio's live log) are covered as well.
class RedactingLogger : public spdlog::logger {
public:
    RedactingLogger(std::string name, spdlog::sinks_init_list sinks, const Redactor &redactor);
    std::shared_ptr<spdlog::logger> clone(std::string name) override;

protected:
    void sink_it_(const spdlog::details::log_msg &msg) override;

private:
    const Redactor &m_redactor;
};

} // namespace transom::log
