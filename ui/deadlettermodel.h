#pragma once

#include "core/store/syncstore.h"

#include <QAbstractItemModel>

#include <vector>

namespace transom::ui {

/// Dead letters as a tree: one top-level row per error class (field, permanent, exhausted, auth,
/// duplicate) with its count, the letters of that class beneath it.
class DeadLetterModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column {
        SourceIdColumn,
        JobColumn,
        AttemptsColumn,
        HttpStatusColumn,
        MessageColumn,
        LastFailedColumn,
        StatusColumn,
        ColumnCount
    };
    enum Role { LetterIdRole = Qt::UserRole, ErrorClassRole, IsGroupRole, CountRole };

    explicit DeadLetterModel(QObject *parent = nullptr);

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// Replaces the contents (grouped in triage order; classes without letters are left out).
    void setLetters(const QList<store::DeadLetter> &letters);
    /// The letter at `index`, or null for a class row.
    const store::DeadLetter *letter(const QModelIndex &index) const;
    /// The letter at `index`, or every letter of the class at `index`.
    QList<store::DeadLetter> letters(const QModelIndex &index) const;
    QModelIndex indexOfLetter(qint64 id) const;
    QModelIndex indexOfClass(const QString &errorClass) const;
    /// The classes shown, in order.
    QStringList errorClasses() const;
    int count(const QString &errorClass) const;
    int letterCount() const;

    static QString className(const QString &errorClass);
    static QString classDescription(const QString &errorClass);
    static QString statusName(const QString &status);

private:
    struct Group {
        QString errorClass;
        QList<store::DeadLetter> letters;
    };
    QVariant groupData(const Group &group, int column, int role) const;
    QVariant letterData(const store::DeadLetter &letter, int column, int role) const;

    std::vector<Group> m_groups;
};

} // namespace transom::ui
