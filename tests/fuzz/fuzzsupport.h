#pragma once
// What every fuzz target shares: quiet Qt messages (a fuzzer runs millions of inputs) and a check that
// stops the run, so libFuzzer saves the input, when an invariant of the code under test does not hold.

#include <QByteArray>
#include <QtGlobal>

#include <cstdio>
#include <cstdlib>

namespace transom::fuzz {

inline void quietQtMessages()
{
    qInstallMessageHandler([](QtMsgType type, const QMessageLogContext &, const QString &message) {
        if (type == QtFatalMsg) {
            std::fprintf(stderr, "qFatal: %s\n", message.toLocal8Bit().constData());
            std::abort();
        }
    });
}

/// The fuzzer's bytes as a QByteArray (copied: the code under test may keep it).
inline QByteArray bytes(const uint8_t *data, size_t size)
{
    return QByteArray(reinterpret_cast<const char *>(data), qsizetype(size));
}

} // namespace transom::fuzz

/// Fails the run (libFuzzer writes the input out as crash-*) when `cond` does not hold.
#define FUZZ_CHECK(cond)                                                                                               \
    do {                                                                                                               \
        if (!(cond)) {                                                                                                 \
            std::fprintf(stderr, "%s:%d: FUZZ_CHECK failed: %s\n", __FILE__, __LINE__, #cond);                         \
            std::abort();                                                                                              \
        }                                                                                                              \
    } while (false)
