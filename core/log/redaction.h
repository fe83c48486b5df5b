#pragma once

#include <QByteArrayMatcher>
#include <QList>
#include <QReadWriteLock>
#include <QString>

#include <optional>
#include <string>
#include <string_view>

namespace transom::log {

/// Hides secrets in text before it is logged, replacing each with *** while the field name stays visible
/// so a log still says what was hidden:
///  - the values of the Authorization, Proxy-Authorization, X-Api-Key, X-System-Key, Cookie and
///    Set-Cookie headers ("Authorization: Bearer ***");
///  - the values of secret fields (access_token, refresh_token, id_token, client_secret, password, code,
///    code_verifier, api_key, token, and their camelCase forms) in JSON, form bodies and URL queries;
///  - "Bearer …" and "Basic …" credentials anywhere;
///  - literal values registered with addSecret(), wherever they show up.
/// The patterns are compiled once per process. A line that contains no trigger word and no registered
/// value is returned as it is without any regex work. Thread-safe.
class Redactor {
public:
    /// Registered values shorter than this are not hidden by value (they are too common in ordinary
    /// text); they are still hidden where they appear in a known field.
    static constexpr int minSecretLength = 6;
    /// At most this many registered values are kept; the one registered least recently is dropped first
    /// (by then long rotated out, as secret stores register a value again each time they hand it out).
    static constexpr int maxSecrets = 256;

    /// Hides `value`, and its URL-encoded and JSON-escaped forms, from now on.
    void addSecret(const QString &value);
    /// Forgets every registered value (built-in patterns stay).
    void clearSecrets();

    /// `text` with every secret replaced by ***.
    QString redact(const QString &text) const;
    /// The UTF-8 `text` with secrets replaced by ***, or nothing when it holds none (so the caller can
    /// keep the original without a copy). This is what the logger runs on every message.
    std::optional<std::string> redactUtf8(std::string_view text) const;

private:
    /// What the cheap pre-check found: trigger words (for the patterns), registered values (for the
    /// literals).
    struct Suspicion {
        bool words = false;
        bool literals = false;
    };
    Suspicion suspect(QStringView text) const;
    Suspicion suspect(std::string_view text) const;
    bool redactSlow(QString &text, Suspicion suspicion) const;

    mutable QReadWriteLock m_lock;
    QList<QString> m_secrets;                  ///< longest first, every form of every registered value
    QList<QByteArrayMatcher> m_secretMatchers; ///< the same in UTF-8, for the pre-check
    QList<QString> m_registered;               ///< registered values, oldest first
};

} // namespace transom::log
