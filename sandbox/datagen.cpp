#include "sandbox/datagen.h"

#include <QJsonArray>
#include <QRandomGenerator>

namespace transom::sandbox {

DataGenerator::DataGenerator(quint32 seed, QDateTime start) : m_start(std::move(start)), m_rng(seed) {}

QString DataGenerator::pick(std::initializer_list<const char *> options)
{
    const auto *it = options.begin() + m_rng.bounded(int(options.size()));
    return QString::fromUtf8(*it);
}

QString DataGenerator::phone(int i)
{
    static const int areas[] = {512, 737, 214, 713, 210};
    const int area = areas[m_rng.bounded(int(std::size(areas)))];
    const int exchange = 200 + m_rng.bounded(800);
    const QString line = QStringLiteral("%1").arg(m_rng.bounded(10000), 4, 10, QLatin1Char('0'));
    if (i % 50 == 17)
        return QStringLiteral("555-%1").arg(line); // no area code: not a real number
    switch (m_rng.bounded(6)) {
    case 0:
        return QStringLiteral("(%1) %2-%3").arg(area).arg(exchange).arg(line);
    case 1:
        return QStringLiteral(" %1 %2 %3 ").arg(area).arg(exchange).arg(line);
    case 2:
        return QStringLiteral("1-%1-%2-%3").arg(area).arg(exchange).arg(line);
    case 3:
        return QStringLiteral("%1.%2.%3").arg(area).arg(exchange).arg(line);
    case 4:
        return QStringLiteral("(%1)%2-%3 ext. %4").arg(area).arg(exchange).arg(line).arg(m_rng.bounded(100));
    default:
        return QStringLiteral("%1%2%3").arg(area).arg(exchange).arg(line);
    }
}

QString DataGenerator::budget()
{
    const int amount = 250 + m_rng.bounded(1500);
    switch (m_rng.bounded(6)) {
    case 0:
        return QStringLiteral("$%L1,000.00").arg(amount);
    case 1:
        return QStringLiteral("%1000").arg(amount);
    case 2:
        return QStringLiteral("$%L1,000").arg(amount);
    case 3:
        return QStringLiteral("%1K").arg(amount);
    case 4:
        return QStringLiteral("USD %1,000").arg(amount);
    default:
        return QStringLiteral("$%1.%2M").arg(amount / 1000 + 1).arg(amount % 10);
    }
}

QJsonObject DataGenerator::lead(int i)
{
    const QString first = pick({"James", "Liam", "Sofia", "Priya", "Aisha", "Chen", "Maria", "Olivia", "José", "Zoë"});
    const QString last = pick({"Garcia", "Wei", "Rossi", "Patel", "Johnson", "Smith", "Miller", "Khan", "Núñez"});
    // Two leads in ten share the previous one's update time, as bulk edits do.
    const qint64 step = (i % 10 == 3 || i % 10 == 7) ? (i - 1) : i;
    const QDateTime updated = m_start.addSecs(step * 5); // 100,000 leads span six days
    const QDateTime localCreated = updated.toTimeZone(QTimeZone("America/Chicago"));
    QJsonObject lead{{QStringLiteral("lead_id"), QStringLiteral("ZL-%1").arg(100000 + i)},
                     {QStringLiteral("first_name"),
                      i % 13 == 5 ? QStringLiteral("  ") + first.toLower() + QStringLiteral(" ") : first},
                     {QStringLiteral("last_name"), last},
                     {QStringLiteral("phone"), phone(i)},
                     {QStringLiteral("email"),
                      i % 7 == 2 ? QStringLiteral("%1.%2%3@Example.COM").arg(first, last).arg(i)
                                 : QStringLiteral("%1.%2%3@example.com").arg(first.toLower(), last.toLower()).arg(i)},
                     {QStringLiteral("created_at"), localCreated.toString(QStringLiteral("MM/dd/yyyy hh:mm AP"))},
                     {QStringLiteral("updated_at"), updated.toString(Qt::ISODate)},
                     {QStringLiteral("status"), pick({"_new_", "_new_", "_cold_lead_", "_warm_lead_",
                                                      "_hot_lead_prospect_", "_appointment_set_", "_nurture_"})},
                     {QStringLiteral("budget"), i % 40 == 11 ? QStringLiteral("call me") : budget()},
                     {QStringLiteral("source"), pick({"Zillow", "Website", "Realtor.com", "Open House"})},
                     {QStringLiteral("property"),
                      QJsonObject{{QStringLiteral("address"), QStringLiteral("%1 Oak St").arg(100 + i % 900)},
                                  {QStringLiteral("city"), QStringLiteral("Austin")},
                                  {QStringLiteral("state"), QStringLiteral("TX")},
                                  {QStringLiteral("zip"), QStringLiteral("78704")},
                                  {QStringLiteral("mls_number"), QStringLiteral("ACT%1").arg(5000000 + i)}}},
                     {QStringLiteral("message"),
                      pick({"Is this still available?", "", "I'd like a showing Saturday.", "Please call after 5pm"})},
                     {QStringLiteral("agent_email"), QStringLiteral("agent%1@brokerage.example").arg(1 + i % 2)}};
    return lead;
}

QList<QJsonObject> DataGenerator::leads(int count)
{
    QList<QJsonObject> out;
    out.reserve(count);
    for (int i = 0; i < count; ++i)
        out.append(lead(i));
    return out;
}

QList<QJsonObject> DataGenerator::listings(int count, int agentCount)
{
    QList<QJsonObject> out;
    out.reserve(count);
    QDateTime modified = m_start;
    for (int i = 0; i < count; ++i) {
        if (i % 5 != 4) // every fifth listing shares the previous one's timestamp
            modified = modified.addSecs(60 + m_rng.bounded(600));
        const bool hasUnit = m_rng.bounded(3) == 0;
        QJsonArray media;
        for (int m = 0, n = m_rng.bounded(4); m < n; ++m)
            media.append(QJsonObject{
                {QStringLiteral("MediaKey"), QStringLiteral("m%1-%2").arg(i).arg(m)},
                {QStringLiteral("MediaURL"), QStringLiteral("https://photos.example/%1/%2.jpg").arg(i).arg(m)},
                {QStringLiteral("Order"), m}});
        out.append(QJsonObject{
            {QStringLiteral("ListingKey"), QStringLiteral("3yd-ACT-%1").arg(5000000 + i)},
            {QStringLiteral("ListingId"), QStringLiteral("ACT%1").arg(5000000 + i)},
            {QStringLiteral("StandardStatus"),
             pick({"Active", "Active", "ActiveUnderContract", "Pending", "Closed", "ComingSoon", "Withdrawn", "Hold"})},
            {QStringLiteral("ListPrice"),
             double(250000 + m_rng.bounded(1500) * 1000) - (m_rng.bounded(4) == 0 ? 0.01 : 0.0)},
            {QStringLiteral("ClosePrice"), QJsonValue(QJsonValue::Null)},
            {QStringLiteral("ModificationTimestamp"), modified.toString(Qt::ISODateWithMs)},
            {QStringLiteral("StreetNumber"), QString::number(100 + i % 900)},
            {QStringLiteral("StreetName"), pick({"Barton Springs", "South Congress", "Oak", "Lamar"})},
            {QStringLiteral("StreetSuffix"), pick({"Rd", "Ave", "St", "Blvd"})},
            {QStringLiteral("UnitNumber"), hasUnit ? QJsonValue(QStringLiteral("4B")) : QJsonValue(QJsonValue::Null)},
            {QStringLiteral("City"), QStringLiteral("Austin")},
            {QStringLiteral("StateOrProvince"), QStringLiteral("TX")},
            {QStringLiteral("PostalCode"), QStringLiteral("78704")},
            {QStringLiteral("BedroomsTotal"), 1 + m_rng.bounded(6)},
            {QStringLiteral("BathroomsTotalInteger"), 1 + m_rng.bounded(4)},
            {QStringLiteral("LivingArea"), 800 + m_rng.bounded(3000)},
            {QStringLiteral("PropertyType"), pick({"Residential", "Residential Lease", "Land"})},
            {QStringLiteral("PropertySubType"), pick({"Single Family Residence", "Condominium", "Townhouse"})},
            {QStringLiteral("ListAgentKey"), QStringLiteral("AGT%1").arg(200 + i % std::max(1, agentCount))},
            {QStringLiteral("ListAgentFullName"), pick({"Dana Whitfield", "Raj Mehta", "Li Whitfield"})},
            {QStringLiteral("ListAgentEmail"),
             QStringLiteral("agent%1@brokerage.example").arg(i % std::max(1, agentCount))},
            {QStringLiteral("ListAgentDirectPhone"), phone(i + 1)},
            {QStringLiteral("PublicRemarks"), QStringLiteral("Charming home minutes from downtown.")},
            {QStringLiteral("Media"), media}});
    }
    return out;
}

QList<QJsonObject> DataGenerator::agents(int count)
{
    QList<QJsonObject> out;
    for (int i = 0; i < count; ++i) {
        out.append(QJsonObject{
            {QStringLiteral("MemberKey"), QStringLiteral("AGT%1").arg(200 + i)},
            {QStringLiteral("MemberMlsId"), QStringLiteral("M%1").arg(9000 + i)},
            {QStringLiteral("MemberFirstName"), pick({"Dana", "Li", "Raj", "Ana"})},
            {QStringLiteral("MemberLastName"), pick({"Whitfield", "Mehta", "Ortiz"})},
            {QStringLiteral("MemberEmail"), QStringLiteral("agent%1@brokerage.example").arg(i)},
            {QStringLiteral("MemberDirectPhone"), phone(i)},
            {QStringLiteral("MemberStatus"), i % 5 == 2 ? QStringLiteral("Inactive") : QStringLiteral("Active")},
            {QStringLiteral("ModificationTimestamp"), m_start.addSecs(i * 3600).toString(Qt::ISODate)}});
    }
    return out;
}

} // namespace transom::sandbox
