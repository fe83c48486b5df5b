#include "ui/deadlettermodel.h"

#include "core/sync/deadletters.h"

#include <QDateTime>
#include <QLocale>

namespace transom::ui {

namespace {
constexpr quintptr GroupId = 0; // letters carry their group's row + 1
}

DeadLetterModel::DeadLetterModel(QObject *parent) : QAbstractItemModel(parent) {}

QModelIndex DeadLetterModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    if (!parent.isValid())
        return createIndex(row, column, GroupId);
    return createIndex(row, column, quintptr(parent.row()) + 1);
}

QModelIndex DeadLetterModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == GroupId)
        return {};
    return createIndex(int(child.internalId() - 1), 0, GroupId);
}

int DeadLetterModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_groups.size());
    if (parent.internalId() != GroupId || parent.column() != 0)
        return 0;
    return int(m_groups[std::size_t(parent.row())].letters.size());
}

int DeadLetterModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant DeadLetterModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    if (index.internalId() == GroupId)
        return groupData(m_groups[std::size_t(index.row())], index.column(), role);
    const Group &g = m_groups[std::size_t(index.internalId() - 1)];
    return letterData(g.letters.at(index.row()), index.column(), role);
}

QVariant DeadLetterModel::groupData(const Group &group, int column, int role) const
{
    switch (role) {
    case Qt::DisplayRole:
        return column == SourceIdColumn
                   ? QVariant(tr("%1 (%2)").arg(className(group.errorClass)).arg(group.letters.size()))
                   : QVariant();
    case Qt::ToolTipRole:
        return classDescription(group.errorClass);
    case ErrorClassRole:
        return group.errorClass;
    case IsGroupRole:
        return true;
    case CountRole:
        return int(group.letters.size());
    }
    return {};
}

QVariant DeadLetterModel::letterData(const store::DeadLetter &d, int column, int role) const
{
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case SourceIdColumn:
            return d.sourceId;
        case JobColumn:
            return d.job;
        case AttemptsColumn:
            return d.attempts;
        case HttpStatusColumn:
            return d.httpStatus ? QVariant(d.httpStatus) : QVariant();
        case MessageColumn:
            return d.message.left(300).replace(QLatin1Char('\n'), QLatin1Char(' '));
        case LastFailedColumn:
            if (d.lastFailedAt == 0)
                return {};
            return QLocale().toString(QDateTime::fromMSecsSinceEpoch(d.lastFailedAt).toLocalTime(),
                                      QLocale::ShortFormat);
        case StatusColumn:
            return statusName(d.status);
        }
        return {};
    case Qt::ToolTipRole:
        return column == MessageColumn ? QVariant(d.message) : QVariant();
    case LetterIdRole:
        return d.id;
    case ErrorClassRole:
        return d.errorClass;
    case IsGroupRole:
        return false;
    }
    return {};
}

QVariant DeadLetterModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case SourceIdColumn:
        return tr("Source record");
    case JobColumn:
        return tr("Job");
    case AttemptsColumn:
        return tr("Attempts");
    case HttpStatusColumn:
        return tr("HTTP");
    case MessageColumn:
        return tr("Message");
    case LastFailedColumn:
        return tr("Last failed");
    case StatusColumn:
        return tr("Status");
    }
    return {};
}

void DeadLetterModel::setLetters(const QList<store::DeadLetter> &letters)
{
    beginResetModel();
    m_groups.clear();
    QStringList order = sync::deadLetterClasses();
    for (const store::DeadLetter &d : letters)
        if (!order.contains(d.errorClass))
            order.append(d.errorClass); // a class this build does not know yet still shows
    for (const QString &errorClass : std::as_const(order)) {
        Group g{errorClass, {}};
        for (const store::DeadLetter &d : letters)
            if (d.errorClass == errorClass)
                g.letters.append(d);
        if (!g.letters.isEmpty())
            m_groups.push_back(std::move(g));
    }
    endResetModel();
}

const store::DeadLetter *DeadLetterModel::letter(const QModelIndex &index) const
{
    if (!index.isValid() || index.model() != this || index.internalId() == GroupId)
        return nullptr;
    return &m_groups[std::size_t(index.internalId() - 1)].letters.at(index.row());
}

QList<store::DeadLetter> DeadLetterModel::letters(const QModelIndex &index) const
{
    if (!index.isValid() || index.model() != this)
        return {};
    if (index.internalId() == GroupId)
        return m_groups[std::size_t(index.row())].letters;
    return {*letter(index)};
}

QModelIndex DeadLetterModel::indexOfLetter(qint64 id) const
{
    for (std::size_t g = 0; g < m_groups.size(); ++g)
        for (qsizetype r = 0; r < m_groups[g].letters.size(); ++r)
            if (m_groups[g].letters.at(r).id == id)
                return createIndex(int(r), 0, quintptr(g) + 1);
    return {};
}

QModelIndex DeadLetterModel::indexOfClass(const QString &errorClass) const
{
    for (std::size_t g = 0; g < m_groups.size(); ++g)
        if (m_groups[g].errorClass == errorClass)
            return createIndex(int(g), 0, GroupId);
    return {};
}

QStringList DeadLetterModel::errorClasses() const
{
    QStringList out;
    for (const Group &g : m_groups)
        out.append(g.errorClass);
    return out;
}

int DeadLetterModel::count(const QString &errorClass) const
{
    for (const Group &g : m_groups)
        if (g.errorClass == errorClass)
            return int(g.letters.size());
    return 0;
}

int DeadLetterModel::letterCount() const
{
    int n = 0;
    for (const Group &g : m_groups)
        n += int(g.letters.size());
    return n;
}

QString DeadLetterModel::className(const QString &errorClass)
{
    // By the core's enum: a class added there without a name here does not compile (-Wswitch).
    using C = store::DeadLetterClass;
    C known{};
    if (!store::parseDeadLetterClass(errorClass, &known))
        return errorClass; // written by a newer build
    switch (known) {
    case C::Field:
        return tr("Field errors");
    case C::Permanent:
        return tr("Refused by the destination");
    case C::Exhausted:
        return tr("Retries used up");
    case C::Auth:
        return tr("Credentials refused");
    case C::Duplicate:
        return tr("Duplicates");
    case C::UpdateUnsupported:
        return tr("Changes the destination cannot take");
    }
    return errorClass;
}

QString DeadLetterModel::classDescription(const QString &errorClass)
{
    using C = store::DeadLetterClass;
    C known{};
    if (!store::parseDeadLetterClass(errorClass, &known))
        return {};
    switch (known) {
    case C::Field:
        return tr("The mapping could not fill a required field; fix the record or the mapping.");
    case C::Permanent:
        return tr("The destination refused the record (a 4xx answer); fix the record or the destination's setup.");
    case C::Exhausted:
        return tr("Every retry failed with a temporary error; retry when the destination is back.");
    case C::Auth:
        return tr("The destination refused the credentials; sign in again, then retry.");
    case C::Duplicate:
        return tr("The destination already holds this record.");
    case C::UpdateUnsupported:
        return tr("The record changed, but its connection can only create records: sending it again would make a "
                  "second one. Update it at the destination by hand, or give the connection an update URL.");
    }
    return {};
}

QString DeadLetterModel::statusName(const QString &status)
{
    if (status == QLatin1String("open"))
        return tr("open");
    if (status == QLatin1String("retrying"))
        return tr("retrying");
    if (status == QLatin1String("resolved"))
        return tr("resolved");
    if (status == QLatin1String("discarded"))
        return tr("discarded");
    return status;
}

} // namespace transom::ui
