// A mapping document from arbitrary bytes: parsed, compiled (errors located by line and column), and
// when it compiles, run on a lead record, read both as a QJsonObject and as JSON text, with each
// field's step trace.
#include "core/mapping/mappingcompiler.h"
#include "core/mapping/sourcerecord.h"
#include "tests/fuzz/fuzzsupport.h"

#include <QJsonDocument>

using namespace transom::mapping;

namespace {

const QByteArray kRecord = R"({"lead_id": "ZL-1", "first_name": "Maria", "last_name": "Garcia", "name": "Garcia, Maria",
  "phone": "(512) 555-0142", "email": "maria@example.com", "price": "$450,000", "beds": 3, "hot": true,
  "created_at": "03/10/2024 02:30 AM", "tags": ["a", "b"], "agent": {"email": "agent1@brokerage.example"},
  "notes": null, "address": {"street": "1 Main St", "city": "Austin"}})";

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    transom::fuzz::quietQtMessages();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const auto document = MappingDocument::parse(transom::fuzz::bytes(data, size), QStringLiteral("fuzz.json"));
    if (!document) {
        (void)document.error().toString();
        return 0;
    }
    (void)document->toJsonText();
    const MappingCompiler::Result result = MappingCompiler::compile(*document);
    for (const transom::Error &error : result.errors)
        (void)error.toString();
    if (!result.mapping)
        return 0;
    static RecordParser parser;
    FUZZ_CHECK(parser.parse(kRecord));
    const QJsonObject object = parser.toObject();
    const MappedRecord fromText = result.mapping->map(parser.record());
    const MappedRecord fromObject = result.mapping->map(object);
    (void)fromText.json();
    (void)fromObject.record();
    (void)result.mapping->sourceIdOf(object);
    for (int i = 0; i < result.mapping->fieldCount(); ++i)
        (void)result.mapping->traceField(object, i);
    return 0;
}
