// Display forms of the daemon's RFC 3339 UTC times.

import FairwayCore

/// A time from an answer, broken into UTC calendar fields for display.
struct WireTime: Sendable, Equatable {
    /// Seconds since the epoch.
    var seconds: Int64
    var year: Int64
    var month: Int
    var day: Int
    var hour: Int
    var minute: Int
    var second: Int
    /// 0 = Sunday ... 6 = Saturday.
    var weekday: Int

    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    static let dayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]

    /// The time in `text`, or `nil` when it is absent or not RFC 3339.
    init?(_ text: String?) {
        guard let text, let timestamp = Timestamp(rfc3339: text) else { return nil }
        self.init(seconds: timestamp.seconds)
    }

    /// The time `seconds` after the epoch.
    init(seconds: Int64) {
        self.seconds = seconds
        var days = seconds / 86_400
        var rem = seconds % 86_400
        if rem < 0 {
            rem += 86_400
            days -= 1
        }
        hour = Int(rem / 3600)
        minute = Int(rem / 60 % 60)
        second = Int(rem % 60)
        weekday = Int(((days % 7) + 11) % 7)  // 1970-01-01 was a Thursday (4).
        // Howard Hinnant's civil-from-days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = Int(doy - (153 * mp + 2) / 5 + 1)
        month = Int(mp < 10 ? mp + 3 : mp - 9)
        year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// A time for a request: an RFC 3339 time as it is, or a date alone
    /// (`2026-12-07`) as its midnight UTC (`2026-12-07T00:00:00Z`); `nil`
    /// when it is neither.
    static func requestTime(_ text: String) -> String? {
        if Timestamp(rfc3339: text) != nil { return text }
        let midnight = text + "T00:00:00Z"
        if text.utf8.count == 10, Timestamp(rfc3339: midnight) != nil { return midnight }
        return nil
    }

    private static func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }

    /// `09:00`, or `09:00:30` when the seconds are not zero.
    var clock: String {
        let base = "\(Self.two(hour)):\(Self.two(minute))"
        return second == 0 ? base : base + ":\(Self.two(second))"
    }

    /// `Tue 24 Nov`.
    var shortDay: String { "\(Self.dayNames[weekday]) \(day) \(Self.monthNames[month - 1])" }

    /// `Tue 24 Nov 2026`.
    var longDay: String { "\(shortDay) \(year)" }

    /// `Tue 24 Nov 09:00`.
    var shortDayAndClock: String { "\(shortDay) \(clock)" }

    /// `2026-11-23 10:00`.
    var isoDayAndClock: String { "\(year)-\(Self.two(month))-\(Self.two(day)) \(clock)" }

    /// Whether it is midnight.
    var isMidnight: Bool { hour == 0 && minute == 0 && second == 0 }

    /// `2026-11-23 10:00 UTC`, or the text as it is when it is not a time; `-` for `nil`.
    static func stamp(_ text: String?) -> String {
        guard let text else { return "-" }
        return WireTime(text).map { "\($0.isoDayAndClock) UTC" } ?? text
    }

    /// A slot for a person: `Tue 24 Nov 2026 09:00–10:00 UTC`, `Tue 24 Nov 2026 (whole day, UTC)`
    /// for a one-day slot, or `Tue 24 Nov 2026 22:00 – Wed 25 Nov 02:00 UTC` across midnight.
    static func slot(start: String?, end: String?) -> String {
        guard let startText = start else { return "-" }
        guard let from = WireTime(startText) else { return startText }
        guard let endText = end, let to = WireTime(endText) else { return "\(from.longDay) \(from.clock) UTC" }
        if from.isMidnight && to.isMidnight && to.seconds - from.seconds == 86_400 {
            return "\(from.longDay) (whole day, UTC)"
        }
        let sameDay = to.seconds - from.seconds <= 86_400
            && (to.day == from.day || (to.isMidnight && to.seconds - from.seconds < 86_400))
        if sameDay {
            return "\(from.longDay) \(from.clock)–\(to.isMidnight ? "24:00" : to.clock) UTC"
        }
        return "\(from.longDay) \(from.clock) – \(to.shortDay) \(to.clock) UTC"
    }
}
