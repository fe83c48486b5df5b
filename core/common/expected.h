#pragma once

#include <QString>

#include <utility>
#include <variant>

namespace transom {

/// A failure a person can act on: what went wrong, and where (file, line, column, JSON path) when known.
struct Error {
    Error() = default;
    Error(QString message_, QString file_ = {}, int line_ = 0, int column_ = 0, QString path_ = {})
        : message(std::move(message_)), file(std::move(file_)), line(line_), column(column_), path(std::move(path_))
    {}

    QString message;
    QString file;
    int line = 0;   ///< 1-based; 0 when unknown
    int column = 0; ///< 1-based; 0 when unknown
    QString path;   ///< JSON path inside the document, e.g. "fields[3].rules[0].region"

    /// "file:line:column: path: message", leaving out the parts that are unknown.
    QString toString() const;
};

/// The result of an operation that can fail with an Error: either a value or the error, never both.
template<class T> class Expected {
public:
    Expected(T value) : m_state(std::move(value)) {}
    Expected(Error error) : m_state(std::move(error)) {}

    bool ok() const { return m_state.index() == 0; }
    explicit operator bool() const { return ok(); }

    T &value() & { return std::get<0>(m_state); }
    const T &value() const & { return std::get<0>(m_state); }
    /// By value, so `for (x : f().value())` does not iterate a destroyed temporary.
    T value() && { return std::get<0>(std::move(m_state)); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }

    const Error &error() const { return std::get<1>(m_state); }

private:
    std::variant<T, Error> m_state;
};

} // namespace transom
