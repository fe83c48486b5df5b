// RecordReader on arbitrary bytes, once as detected (JSON array, envelope, NDJSON or CSV) and once read
// as each format by name: it must fail cleanly or give records whose positions only move forward.
#include "core/io/recordreader.h"
#include "tests/fuzz/fuzzsupport.h"

using transom::io::RecordReader;
using transom::io::SourceRecord;

namespace {

void readAll(const QByteArray &input, RecordReader::Format format)
{
    auto reader = RecordReader::fromData(input, QStringLiteral("fuzz"), format);
    if (!reader)
        return;
    SourceRecord record;
    qint64 count = 0, lastLine = 0;
    while ((*reader)->next(record)) {
        FUZZ_CHECK(record.index == count);
        FUZZ_CHECK(record.line == 0 || record.line >= lastLine);
        lastLine = record.line ? record.line : lastLine;
        FUZZ_CHECK(++count <= input.size() + 1); // no input holds more records than bytes
    }
    (void)(*reader)->formatName();
    (void)(*reader)->nextLink();
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    transom::fuzz::quietQtMessages();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input = transom::fuzz::bytes(data, size);
    for (RecordReader::Format format :
         {RecordReader::Format::Auto, RecordReader::Format::JsonArray, RecordReader::Format::Envelope,
          RecordReader::Format::Ndjson, RecordReader::Format::Csv})
        readAll(input, format);
    return 0;
}
