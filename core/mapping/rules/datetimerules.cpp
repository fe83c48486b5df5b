// Date/time rule: explicit input patterns, an IANA source time zone, stated DST policies, ISO 8601 out.
#include "core/mapping/rulecatalog.h"

#include <QDateTime>
#include <QTimeZone>

#include <algorithm>
#include <vector>

namespace transom::mapping {

namespace {

using P = RuleParam;
constexpr qint64 msPerDay = 86400000;
/// The instants the rule reads and writes: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z. Outside
/// them a four-digit year cannot be written, and epoch inputs such as 1e20 would overflow (they read as
/// year -292275055); both are field errors.
constexpr qint64 minUtcMs = -62135596800000;
constexpr qint64 maxUtcMs = 253402300799999;

// Days since 1970-01-01 for a proleptic Gregorian date, and back (H. Hinnant's civil algorithms).
qint64 daysFromCivil(qint64 y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const qint64 era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = unsigned(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + qint64(doe) - 719468;
}

void civilFromDays(qint64 z, qint64 &y, unsigned &m, unsigned &d)
{
    z += 719468;
    const qint64 era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = unsigned(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = qint64(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
}

int daysInMonth(qint64 y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

const char *const monthNames[] = {"january", "february", "march",     "april",   "may",      "june",
                                  "july",    "august",   "september", "october", "november", "december"};

/// Wall-clock fields read from the input, before any time zone is applied.
struct Fields {
    int year = -1, month = 1, day = 1, hour = 0, minute = 0, second = 0, msec = 0;
    int ampm = -1; ///< -1 none, 0 AM, 1 PM
    bool hour12 = false;
    bool hasOffset = false;
    int offsetSeconds = 0;
};

/// One compiled input pattern (Java-style letters: yyyy MM dd HH hh mm ss SSS a XXX, 'quoted text').
class DatePattern {
public:
    enum class Kind {
        Year4,
        Year2,
        YearN,
        MonthName,
        Month2,
        Month1,
        Day2,
        Day1,
        Hour24_2,
        Hour24_1,
        Hour12_2,
        Hour12_1,
        Minute2,
        Minute1,
        Second2,
        Second1,
        Fraction,
        AmPm,
        Offset,
        Weekday,
        Literal,
        Space
    };
    struct Token {
        Kind kind;
        QString literal;
    };

    static bool compile(const QString &pattern, DatePattern &out, QString &error)
    {
        out.m_text = pattern;
        qsizetype i = 0;
        while (i < pattern.size()) {
            const QChar c = pattern.at(i);
            qsizetype run = 1;
            while (i + run < pattern.size() && pattern.at(i + run) == c)
                ++run;
            if (c == QLatin1Char('\'')) {
                const qsizetype close = pattern.indexOf(QLatin1Char('\''), i + 1);
                if (close < 0) {
                    error =
                        QStringLiteral("pattern \"%1\": quote at character %2 is never closed").arg(pattern).arg(i + 1);
                    return false;
                }
                out.m_tokens.append({Kind::Literal, pattern.mid(i + 1, close - i - 1)});
                i = close + 1;
                continue;
            }
            if (c.isSpace()) {
                out.m_tokens.append({Kind::Space, {}});
                i += run;
                continue;
            }
            if (!c.isLetter()) {
                out.m_tokens.append({Kind::Literal, QString(c)});
                ++i;
                continue;
            }
            Kind kind;
            switch (c.unicode()) {
            case 'y':
                kind = run == 4 ? Kind::Year4 : run == 2 ? Kind::Year2 : Kind::YearN;
                break;
            case 'M':
                kind = run >= 3 ? Kind::MonthName : run == 2 ? Kind::Month2 : Kind::Month1;
                break;
            case 'd':
                kind = run == 2 ? Kind::Day2 : Kind::Day1;
                break;
            case 'H':
                kind = run == 2 ? Kind::Hour24_2 : Kind::Hour24_1;
                break;
            case 'h':
                kind = run == 2 ? Kind::Hour12_2 : Kind::Hour12_1;
                break;
            case 'm':
                kind = run == 2 ? Kind::Minute2 : Kind::Minute1;
                break;
            case 's':
                kind = run == 2 ? Kind::Second2 : Kind::Second1;
                break;
            case 'S':
                kind = Kind::Fraction;
                break;
            case 'a':
                kind = Kind::AmPm;
                break;
            case 'X':
            case 'Z':
                kind = Kind::Offset;
                break;
            case 'E':
                kind = Kind::Weekday;
                break;
            default:
                error = QStringLiteral("pattern \"%1\": '%2' is not a date/time letter (quote literal text: 'T')")
                            .arg(pattern, QString(c));
                return false;
            }
            out.m_tokens.append({kind, {}});
            i += run;
        }
        return true;
    }

    const QString &text() const { return m_text; }

    bool match(QStringView in, Fields &f) const
    {
        qsizetype pos = 0;
        for (const Token &t : m_tokens) {
            if (!matchToken(t, in, pos, f))
                return false;
        }
        return pos == in.size();
    }

private:
    static bool digits(QStringView in, qsizetype &pos, int minDigits, int maxDigits, int &out)
    {
        int value = 0;
        int n = 0;
        while (n < maxDigits && pos + n < in.size() && in.at(pos + n).unicode() >= '0' &&
               in.at(pos + n).unicode() <= '9') {
            value = value * 10 + (in.at(pos + n).unicode() - '0');
            ++n;
        }
        if (n < minDigits)
            return false;
        pos += n;
        out = value;
        return true;
    }

    static bool matchToken(const Token &t, QStringView in, qsizetype &pos, Fields &f)
    {
        switch (t.kind) {
        case Kind::Year4:
            return digits(in, pos, 4, 4, f.year);
        case Kind::Year2:
            if (!digits(in, pos, 2, 2, f.year))
                return false;
            f.year += f.year < 70 ? 2000 : 1900;
            return true;
        case Kind::YearN:
            return digits(in, pos, 1, 4, f.year);
        case Kind::Month2:
            return digits(in, pos, 2, 2, f.month);
        case Kind::Month1:
            return digits(in, pos, 1, 2, f.month);
        case Kind::Day2:
            return digits(in, pos, 2, 2, f.day);
        case Kind::Day1:
            return digits(in, pos, 1, 2, f.day);
        case Kind::Hour24_2:
            return digits(in, pos, 2, 2, f.hour);
        case Kind::Hour24_1:
            return digits(in, pos, 1, 2, f.hour);
        case Kind::Hour12_2:
            f.hour12 = true;
            return digits(in, pos, 2, 2, f.hour);
        case Kind::Hour12_1:
            f.hour12 = true;
            return digits(in, pos, 1, 2, f.hour);
        case Kind::Minute2:
            return digits(in, pos, 2, 2, f.minute);
        case Kind::Minute1:
            return digits(in, pos, 1, 2, f.minute);
        case Kind::Second2:
            return digits(in, pos, 2, 2, f.second);
        case Kind::Second1:
            return digits(in, pos, 1, 2, f.second);
        case Kind::Fraction: {
            const qsizetype start = pos;
            int value = 0;
            if (!digits(in, pos, 1, 9, value))
                return false;
            int n = int(pos - start);
            while (n > 3) {
                value /= 10;
                --n;
            }
            while (n < 3) {
                value *= 10;
                ++n;
            }
            f.msec = value;
            return true;
        }
        case Kind::AmPm: {
            // "am", "pm", "a.m.", "p.m." in any case (no other letter folds to these ASCII ones).
            auto lower = [&in](qsizetype i) {
                const char16_t c = in.at(i).unicode();
                return c >= u'A' && c <= u'Z' ? char16_t(c + (u'a' - u'A')) : c;
            };
            const qsizetype left = in.size() - pos;
            if (left < 2 || (lower(pos) != u'a' && lower(pos) != u'p'))
                return false;
            f.ampm = lower(pos) == u'p' ? 1 : 0;
            if (left >= 4 && in.at(pos + 1) == u'.' && lower(pos + 2) == u'm' && in.at(pos + 3) == u'.') {
                pos += 4;
                return true;
            }
            if (lower(pos + 1) == u'm') {
                pos += 2;
                return true;
            }
            return false;
        }
        case Kind::Offset: {
            if (pos < in.size() && (in.at(pos) == QLatin1Char('Z') || in.at(pos) == QLatin1Char('z'))) {
                ++pos;
                f.hasOffset = true;
                f.offsetSeconds = 0;
                return true;
            }
            if (pos >= in.size() || (in.at(pos) != QLatin1Char('+') && in.at(pos) != QLatin1Char('-')))
                return false;
            const int sign = in.at(pos) == QLatin1Char('-') ? -1 : 1;
            ++pos;
            int hh = 0, mm = 0;
            if (!digits(in, pos, 2, 2, hh))
                return false;
            if (pos < in.size() && in.at(pos) == QLatin1Char(':'))
                ++pos;
            const qsizetype before = pos;
            if (!digits(in, pos, 2, 2, mm))
                pos = before;
            if (hh > 18 || mm > 59)
                return false;
            f.hasOffset = true;
            f.offsetSeconds = sign * (hh * 3600 + mm * 60);
            return true;
        }
        case Kind::Weekday: {
            qsizetype n = 0;
            while (pos + n < in.size() && in.at(pos + n).isLetter())
                ++n;
            pos += n;
            return n >= 2;
        }
        case Kind::MonthName: {
            qsizetype n = 0;
            while (pos + n < in.size() && in.at(pos + n).isLetter())
                ++n;
            const QString word = in.mid(pos, n).toString().toLower();
            if (word.size() < 3)
                return false;
            for (int m = 0; m < 12; ++m) {
                const QLatin1String name(monthNames[m]);
                if (name.startsWith(word) || (word == QLatin1String("sept") && m == 8)) {
                    f.month = m + 1;
                    pos += n;
                    if (pos < in.size() && in.at(pos) == QLatin1Char('.'))
                        ++pos;
                    return true;
                }
            }
            return false;
        }
        case Kind::Literal:
            if (!in.mid(pos).startsWith(t.literal, Qt::CaseInsensitive))
                return false;
            pos += t.literal.size();
            return true;
        case Kind::Space: {
            const qsizetype start = pos;
            while (pos < in.size() && in.at(pos).isSpace())
                ++pos;
            return pos > start;
        }
        }
        return false;
    }

    QString m_text;
    QList<Token> m_tokens;
};

/// Offsets of one time zone as a sorted table of transitions, built once when the rule is compiled.
class OffsetTable {
public:
    explicit OffsetTable(const QTimeZone &zone) : m_zone(zone)
    {
        m_first = QDateTime(QDate(1900, 1, 1), QTime(0, 0), QTimeZone::utc()).toMSecsSinceEpoch();
        m_last = QDateTime(QDate(2200, 1, 1), QTime(0, 0), QTimeZone::utc()).toMSecsSinceEpoch();
        m_initialOffset = zone.offsetFromUtc(QDateTime::fromMSecsSinceEpoch(m_first, QTimeZone::utc()));
        if (zone.hasTransitions()) {
            const auto transitions = zone.transitions(QDateTime::fromMSecsSinceEpoch(m_first, QTimeZone::utc()),
                                                      QDateTime::fromMSecsSinceEpoch(m_last, QTimeZone::utc()));
            m_transitions.reserve(transitions.size());
            for (const QTimeZone::OffsetData &t : transitions)
                m_transitions.push_back({t.atUtc.toMSecsSinceEpoch(), t.offsetFromUtc});
        }
    }

    /// Offset in seconds in force at a UTC instant.
    int offsetAt(qint64 utcMs) const
    {
        if (utcMs < m_first || utcMs >= m_last)
            return m_zone.offsetFromUtc(QDateTime::fromMSecsSinceEpoch(utcMs, QTimeZone::utc()));
        const auto it = std::upper_bound(m_transitions.begin(), m_transitions.end(), utcMs,
                                         [](qint64 v, const Transition &t) { return v < t.atMs; });
        return it == m_transitions.begin() ? m_initialOffset : std::prev(it)->offset;
    }

private:
    struct Transition {
        qint64 atMs;
        int offset;
    };
    QTimeZone m_zone;
    std::vector<Transition> m_transitions;
    qint64 m_first = 0;
    qint64 m_last = 0;
    int m_initialOffset = 0;
};

class DateTimeRule final : public Rule {
public:
    enum class Gap { ShiftForward, Error };
    enum class Overlap { Earlier, Later, Error };
    enum class Output { IsoUtc, IsoOffset, Date, EpochSeconds, EpochMs, Pattern };

    struct Config {
        QList<DatePattern> patterns;
        bool iso = false;
        bool epochSeconds = false;
        bool epochMs = false;
        QTimeZone zone;
        QTimeZone outputZone;
        Gap gap = Gap::ShiftForward;
        Overlap overlap = Overlap::Earlier;
        Output output = Output::IsoUtc;
        QString outputPattern;
        QStringList patternTexts;
    };

    explicit DateTimeRule(Config config)
        : m_config(std::move(config)), m_offsets(m_config.zone), m_outputOffsets(m_config.outputZone)
    {}

    bool apply(Value &value, const SourceRecord &, QString &error) const override
    {
        qint64 utcMs = 0;
        bool dateOnly = false;
        if (!toUtc(value, utcMs, dateOnly, error))
            return false;
        if (utcMs < minUtcMs || utcMs > maxUtcMs) {
            error = QStringLiteral("%1 is out of range: dates are read from the year 1 to the year 9999")
                        .arg(describeValue(value));
            return false;
        }
        value = format(utcMs);
        return true;
    }

private:
    bool toUtc(const Value &value, qint64 &utcMs, bool &dateOnly, QString &error) const
    {
        if (value.isDouble() && (m_config.epochSeconds || m_config.epochMs)) {
            // Checked as a double, before it becomes an integer: 1e20 seconds does not fit in 64 bits.
            const double ms = m_config.epochSeconds ? value.toDouble() * 1000.0 : value.toDouble();
            if (!(ms >= double(minUtcMs) && ms <= double(maxUtcMs))) {
                error = epochOutOfRange(value);
                return false;
            }
            utcMs = qint64(ms);
            return true;
        }
        if (!value.isString()) {
            error = QStringLiteral("expected a date, got %1").arg(describeValue(value));
            return false;
        }
        Utf16Scratch scratch;
        const QStringView text = textView(value, scratch).trimmed();
        if (text.size() > 64) {
            error = QStringLiteral("%1 is far too long to be a date").arg(describeValue(value));
            return false;
        }
        QString firstProblem;
        Fields f;
        auto attempt = [&](const Fields &candidate) {
            QString why;
            if (resolve(candidate, utcMs, why))
                return true;
            if (firstProblem.isEmpty())
                firstProblem = why;
            return false;
        };
        if (m_config.iso && parseIso(text, f) && attempt(f))
            return true;
        if ((m_config.epochSeconds || m_config.epochMs) && !text.isEmpty()) {
            bool ok = false;
            const qint64 n = text.toLongLong(&ok);
            if (ok) {
                const qint64 scale = m_config.epochSeconds ? 1000 : 1;
                if (n < minUtcMs / scale || n > maxUtcMs / scale) { // before multiplying: no overflow
                    error = epochOutOfRange(value);
                    return false;
                }
                utcMs = n * scale;
                return true;
            }
            if (isInteger(text)) { // digits, but more than 64 bits hold
                error = epochOutOfRange(value);
                return false;
            }
        }
        for (const DatePattern &pattern : m_config.patterns) {
            f = Fields{};
            if (pattern.match(text, f) && attempt(f))
                return true;
        }
        dateOnly = false;
        if (!firstProblem.isEmpty())
            error = QStringLiteral("%1 is not a real time: %2").arg(describeValue(value), firstProblem);
        else
            error = QStringLiteral("%1 matches none of the date patterns: %2")
                        .arg(describeValue(value), m_config.patternTexts.join(QLatin1String(" | ")));
        return false;
    }

    QString epochOutOfRange(const Value &value) const
    {
        return QStringLiteral("%1 as %2 is out of range: dates are read from the year 1 to the year 9999")
            .arg(describeValue(value), m_config.epochSeconds ? QStringLiteral("seconds since 1970")
                                                             : QStringLiteral("milliseconds since 1970"));
    }

    static bool isInteger(QStringView text)
    {
        const QStringView digits = text.startsWith(u'-') || text.startsWith(u'+') ? text.sliced(1) : text;
        return !digits.isEmpty() && std::all_of(digits.begin(), digits.end(), [](QChar c) { return c.isDigit(); });
    }

    static bool parseIso(QStringView s, Fields &f)
    {
        static const QList<DatePattern> isoForms = [] {
            QList<DatePattern> forms;
            for (const char *p : {"yyyy-MM-dd'T'HH:mm:ss.SX", "yyyy-MM-dd'T'HH:mm:ssX", "yyyy-MM-dd'T'HH:mmX",
                                  "yyyy-MM-dd'T'HH:mm:ss.S", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm",
                                  "yyyy-MM-dd HH:mm:ss.SX", "yyyy-MM-dd HH:mm:ssX", "yyyy-MM-dd HH:mm:ss.S",
                                  "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd"}) {
                DatePattern dp;
                QString ignored;
                DatePattern::compile(QString::fromLatin1(p), dp, ignored);
                forms.append(dp);
            }
            return forms;
        }();
        // Every form starts with four digits and a dash: most text that is not ISO stops here.
        if (s.size() < 10 || s.at(4) != u'-')
            return false;
        for (const DatePattern &form : isoForms) {
            f = Fields{};
            if (form.match(s, f))
                return true;
        }
        return false;
    }

    bool resolve(Fields f, qint64 &utcMs, QString &why) const
    {
        if (f.year < 0)
            f.year = QDate::currentDate().year();
        if (f.month < 1 || f.month > 12) {
            why = QStringLiteral("there is no month %1").arg(f.month);
            return false;
        }
        if (f.day < 1 || f.day > daysInMonth(f.year, f.month)) {
            QString month = QString::fromLatin1(monthNames[f.month - 1]);
            month[0] = month[0].toUpper();
            why = QStringLiteral("%1 %2 has no day %3").arg(month).arg(f.year).arg(f.day);
            return false;
        }
        if (f.hour12) {
            if (f.hour < 1 || f.hour > 12) {
                why = QStringLiteral("hour %1 is not on a 12-hour clock").arg(f.hour);
                return false;
            }
            if (f.ampm == 1 && f.hour != 12)
                f.hour += 12;
            else if (f.ampm == 0 && f.hour == 12)
                f.hour = 0;
        } else if (f.ampm == 1 && f.hour < 12) {
            f.hour += 12;
        }
        if (f.hour > 23 || f.minute > 59 || f.second > 59) {
            why = QStringLiteral("%1:%2:%3 is not a time of day")
                      .arg(f.hour, 2, 10, QLatin1Char('0'))
                      .arg(f.minute, 2, 10, QLatin1Char('0'))
                      .arg(f.second, 2, 10, QLatin1Char('0'));
            return false;
        }
        const qint64 wall = daysFromCivil(f.year, unsigned(f.month), unsigned(f.day)) * msPerDay +
                            (qint64(f.hour) * 3600 + f.minute * 60 + f.second) * 1000 + f.msec;
        if (f.hasOffset) {
            utcMs = wall - qint64(f.offsetSeconds) * 1000;
            return true;
        }
        return wallToUtc(wall, utcMs, why);
    }

    // A wall-clock time maps to zero instants (spring-forward gap), one, or two (fall-back overlap).
    bool wallToUtc(qint64 wall, qint64 &utcMs, QString &why) const
    {
        const int before = m_offsets.offsetAt(wall - msPerDay);
        const int after = m_offsets.offsetAt(wall + msPerDay);
        qint64 candidates[2];
        int count = 0;
        for (const int offset : {before, after}) {
            const qint64 u = wall - qint64(offset) * 1000;
            if (m_offsets.offsetAt(u) == offset && (count == 0 || candidates[0] != u))
                candidates[count++] = u;
        }
        if (count == 1) {
            utcMs = candidates[0];
            return true;
        }
        if (count == 0) {
            if (m_config.gap == Gap::Error) {
                why = QStringLiteral("the clocks skip this hour in %1 (daylight saving starts)")
                          .arg(QString::fromUtf8(m_config.zone.id()));
                return false;
            }
            utcMs = wall - qint64(before) * 1000; // reads as the same distance past the change
            return true;
        }
        if (m_config.overlap == Overlap::Error) {
            why = QStringLiteral("this hour happens twice in %1 (daylight saving ends)")
                      .arg(QString::fromUtf8(m_config.zone.id()));
            return false;
        }
        utcMs = m_config.overlap == Overlap::Earlier ? std::min(candidates[0], candidates[1])
                                                     : std::max(candidates[0], candidates[1]);
        return true;
    }

    Value format(qint64 utcMs) const
    {
        switch (m_config.output) {
        case Output::EpochMs:
            return Value(utcMs);
        case Output::EpochSeconds:
            return Value(utcMs >= 0 ? utcMs / 1000 : -((-utcMs + 999) / 1000));
        case Output::IsoUtc:
            return isoText(utcMs, 0, true, false);
        case Output::IsoOffset:
            return isoText(utcMs, m_outputOffsets.offsetAt(utcMs), false, false);
        case Output::Date:
            return isoText(utcMs, m_outputOffsets.offsetAt(utcMs), false, true);
        case Output::Pattern:
            return QDateTime::fromMSecsSinceEpoch(utcMs, m_config.outputZone).toString(m_config.outputPattern);
        }
        return {};
    }

    /// Two (or three) digits of `v` at `w`; returns the end.
    static char *put2(char *w, int v)
    {
        *w++ = char('0' + v / 10 % 10);
        *w++ = char('0' + v % 10);
        return w;
    }

    static Value isoText(qint64 utcMs, int offsetSeconds, bool zulu, bool dateOnly)
    {
        const qint64 local = utcMs + qint64(offsetSeconds) * 1000;
        qint64 days = local / msPerDay;
        qint64 rem = local % msPerDay;
        if (rem < 0) {
            rem += msPerDay;
            --days;
        }
        qint64 y = 0;
        unsigned m = 0, d = 0;
        civilFromDays(days, y, m, d);
        char buf[48];
        char *w = buf;
        if (y >= 0 && y <= 9999) {
            w = put2(w, int(y / 100));
            w = put2(w, int(y % 100));
        } else {
            w += std::snprintf(buf, sizeof buf, "%04lld", static_cast<long long>(y));
        }
        *w++ = '-';
        w = put2(w, int(m));
        *w++ = '-';
        w = put2(w, int(d));
        if (!dateOnly) {
            const int secs = int(rem / 1000), ms = int(rem % 1000);
            *w++ = 'T';
            w = put2(w, secs / 3600);
            *w++ = ':';
            w = put2(w, secs / 60 % 60);
            *w++ = ':';
            w = put2(w, secs % 60);
            if (ms) {
                *w++ = '.';
                *w++ = char('0' + ms / 100);
                w = put2(w, ms % 100);
            }
            if (zulu) {
                *w++ = 'Z';
            } else {
                const int a = std::abs(offsetSeconds);
                *w++ = offsetSeconds < 0 ? '-' : '+';
                w = put2(w, a / 3600);
                *w++ = ':';
                w = put2(w, a / 60 % 60);
            }
        }
        return Value::fromUtf8(std::string_view(buf, size_t(w - buf)));
    }

    Config m_config;
    OffsetTable m_offsets;
    OffsetTable m_outputOffsets;
};

bool zoneParam(const RuleArgs &a, const QString &name, const QString &fallback, QTimeZone &out, RuleBuildError &error)
{
    const QString id = a.params.contains(name) ? a.string(name) : fallback;
    out = QTimeZone(id.toUtf8());
    if (!out.isValid()) {
        error = {name, QStringLiteral("\"%1\" is not a time zone this machine knows (use IANA names such as "
                                      "America/Chicago)")
                           .arg(id)};
        return false;
    }
    return true;
}

std::unique_ptr<Rule> buildDateTime(const RuleArgs &a, RuleBuildError &error)
{
    DateTimeRule::Config c;
    c.patternTexts = a.stringList(QStringLiteral("patterns"));
    if (c.patternTexts.isEmpty()) {
        error = {QStringLiteral("patterns"), QStringLiteral("give at least one input pattern, e.g. \"iso8601\" or "
                                                            "\"MM/dd/yyyy hh:mm a\"")};
        return nullptr;
    }
    for (const QString &p : std::as_const(c.patternTexts)) {
        if (p == QLatin1String("iso8601")) {
            c.iso = true;
        } else if (p == QLatin1String("epoch_s")) {
            c.epochSeconds = true;
        } else if (p == QLatin1String("epoch_ms")) {
            c.epochMs = true;
        } else {
            DatePattern dp;
            QString why;
            if (!DatePattern::compile(p, dp, why)) {
                error = {QStringLiteral("patterns"), why};
                return nullptr;
            }
            c.patterns.append(dp);
        }
    }
    const QString tzName = a.string(QStringLiteral("timezone"));
    if (!zoneParam(a, QStringLiteral("timezone"), QStringLiteral("UTC"), c.zone, error) ||
        !zoneParam(a, QStringLiteral("output_timezone"), tzName.isEmpty() ? QStringLiteral("UTC") : tzName,
                   c.outputZone, error))
        return nullptr;
    const QString gap = a.string(QStringLiteral("nonexistent"));
    c.gap = gap == QLatin1String("error") ? DateTimeRule::Gap::Error : DateTimeRule::Gap::ShiftForward;
    const QString overlap = a.string(QStringLiteral("ambiguous"));
    c.overlap = overlap == QLatin1String("error")   ? DateTimeRule::Overlap::Error
                : overlap == QLatin1String("later") ? DateTimeRule::Overlap::Later
                                                    : DateTimeRule::Overlap::Earlier;
    const QString output = a.string(QStringLiteral("output"));
    c.outputPattern = a.string(QStringLiteral("output_pattern"));
    c.output = output == QLatin1String("iso8601_offset") ? DateTimeRule::Output::IsoOffset
               : output == QLatin1String("date")         ? DateTimeRule::Output::Date
               : output == QLatin1String("epoch_s")      ? DateTimeRule::Output::EpochSeconds
               : output == QLatin1String("epoch_ms")     ? DateTimeRule::Output::EpochMs
               : output == QLatin1String("pattern")      ? DateTimeRule::Output::Pattern
                                                         : DateTimeRule::Output::IsoUtc;
    if (c.output == DateTimeRule::Output::Pattern && c.outputPattern.isEmpty()) {
        error = {QStringLiteral("output_pattern"),
                 QStringLiteral("output is \"pattern\" but no output_pattern is given")};
        return nullptr;
    }
    return std::make_unique<DateTimeRule>(std::move(c));
}

} // namespace

void registerDateTimeRules(RuleCatalog &catalog)
{
    catalog.add(
        {QStringLiteral("datetime"),
         QStringLiteral("date"),
         QStringLiteral("Reads a date/time with the listed patterns in a source time zone and writes ISO 8601 "
                        "UTC (or a date, epoch or pattern). Times skipped or repeated by daylight saving follow "
                        "the stated policies."),
         {P{QStringLiteral("patterns"),
            P::Type::StringList,
            true,
            {},
            {},
            QStringLiteral("input patterns tried in order: iso8601, epoch_s, epoch_ms, or letters such as "
                           "MM/dd/yyyy hh:mm a")},
          P{QStringLiteral("timezone"),
            P::Type::String,
            false,
            QStringLiteral("UTC"),
            {},
            QStringLiteral("IANA zone of times written without an offset, e.g. America/Chicago")},
          P{QStringLiteral("nonexistent"),
            P::Type::Choice,
            false,
            QStringLiteral("shift_forward"),
            {QStringLiteral("shift_forward"), QStringLiteral("error")},
            QStringLiteral("a local time skipped when clocks spring forward: move it forward by the gap, or error")},
          P{QStringLiteral("ambiguous"),
            P::Type::Choice,
            false,
            QStringLiteral("earlier"),
            {QStringLiteral("earlier"), QStringLiteral("later"), QStringLiteral("error")},
            QStringLiteral("a local time that happens twice when clocks fall back")},
          P{QStringLiteral("output"),
            P::Type::Choice,
            false,
            QStringLiteral("iso8601"),
            {QStringLiteral("iso8601"), QStringLiteral("iso8601_offset"), QStringLiteral("date"),
             QStringLiteral("epoch_s"), QStringLiteral("epoch_ms"), QStringLiteral("pattern")},
            QStringLiteral("iso8601 is UTC with a Z")},
          P{QStringLiteral("output_timezone"),
            P::Type::String,
            false,
            {},
            {},
            QStringLiteral("zone for iso8601_offset, date and pattern output (default: the source zone)")},
          P{QStringLiteral("output_pattern"),
            P::Type::String,
            false,
            {},
            {},
            QStringLiteral("Qt date format for output \"pattern\"")}},
         buildDateTime});
}

} // namespace transom::mapping
