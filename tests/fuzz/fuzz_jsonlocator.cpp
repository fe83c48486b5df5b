// JsonLocator on arbitrary text: offsetOf and elementOffsets along paths into the value (those Qt's
// parser finds in it, when it is JSON, and a few fixed ones), then lineColumn of each offset found.
// Whatever the text, a lookup ends, and an offset is inside the text.
#include "core/common/jsonlocator.h"
#include "tests/fuzz/fuzzsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using transom::JsonLocator;
using Path = std::vector<JsonLocator::Step>;

namespace {

constexpr size_t kMaxPaths = 64;

/// Paths to the values in `value`, depth first, at most kMaxPaths of them.
void collectPaths(const QJsonValue &value, Path &at, std::vector<Path> &out)
{
    if (out.size() >= kMaxPaths || at.size() > 16)
        return;
    out.push_back(at);
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end() && out.size() < kMaxPaths; ++it) {
            at.emplace_back(it.key());
            collectPaths(it.value(), at, out);
            at.pop_back();
        }
    } else if (value.isArray()) {
        const QJsonArray array = value.toArray();
        for (int i = 0; i < array.size() && out.size() < kMaxPaths; ++i) {
            at.emplace_back(i);
            collectPaths(array.at(i), at, out);
            at.pop_back();
        }
    }
}

void check(const QByteArray &json, const Path &path)
{
    QString problem;
    const qsizetype at = JsonLocator::offsetOf(json, path, &problem);
    FUZZ_CHECK(at >= -1 && at < json.size());
    int line = 0, column = 0;
    if (at >= 0) {
        JsonLocator::lineColumn(json, at, line, column);
        FUZZ_CHECK(line >= 1 && column >= 1);
    }
    const std::vector<qsizetype> offsets = JsonLocator::elementOffsets(json, path, &problem);
    for (size_t i = 0; i < offsets.size(); ++i) {
        FUZZ_CHECK(offsets[i] >= 0 && offsets[i] < json.size());
        FUZZ_CHECK(i == 0 || offsets[i] > offsets[i - 1]);
    }
    (void)JsonLocator::pathText(path);
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    transom::fuzz::quietQtMessages();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray json = transom::fuzz::bytes(data, size);
    std::vector<Path> paths = {{},
                               {QStringLiteral("fields")},
                               {QStringLiteral("fields"), 0},
                               {QStringLiteral("fields"), 1, QStringLiteral("rules"), 0},
                               {0},
                               {1, QStringLiteral("a")},
                               {QStringLiteral("value")}};
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error == QJsonParseError::NoError) {
        Path at;
        collectPaths(document.isArray() ? QJsonValue(document.array()) : QJsonValue(document.object()), at, paths);
    }
    for (const Path &path : paths)
        check(json, path);
    int line = 0, column = 0;
    JsonLocator::lineColumn(json, json.size() / 2, line, column);
    return 0;
}
