// RFC 3339 text for `Timestamp`, and config durations.
//
// Hand-written over UTF-8 bytes: no Foundation, no formatters. Calendar
// arithmetic uses Howard Hinnant's days-from-civil / civil-from-days
// algorithms (proleptic Gregorian calendar, exact for every year).

extension Timestamp {
    /// Parses an RFC 3339 date-time such as `2026-11-23T10:00:00Z`,
    /// `2026-11-23t11:00:00.25+01:00` or `2026-11-23 10:00:00z`.
    ///
    /// Accepted form: `YYYY-MM-DD` then `T`, `t` or a space, then `HH:MM:SS`,
    /// an optional fraction of any length (kept to the millisecond, truncated),
    /// then `Z`, `z`, `+HH:MM` or `-HH:MM`. Fields are range-checked (days
    /// against the month, leap years included); a leap second `60` is clamped
    /// to `59`. Anything else, including trailing characters, gives `nil`.
    public init?(rfc3339 text: some StringProtocol) {
        let parsed: Int64?
        if let fast = text.utf8.withContiguousStorageIfAvailable({ buffer in
            Timestamp.parseRFC3339(UnsafeRawBufferPointer(buffer))
        }) {
            parsed = fast
        } else {
            parsed = Array(text.utf8).withUnsafeBytes { Timestamp.parseRFC3339($0) }
        }
        guard let parsed else { return nil }
        self.init(milliseconds: parsed)
    }

    /// This instant as RFC 3339 text in UTC with a `Z` suffix and whole
    /// seconds (rounded towards negative infinity), e.g. `2026-11-24T09:00:00Z`.
    ///
    /// Years outside 0000...9999 are written with as many digits as needed
    /// (and a leading `-` before year 0); they cannot be parsed back.
    public var rfc3339: String {
        // Floor division without overflow, even for Int64.min.
        var secs = milliseconds / 1000
        if milliseconds % 1000 < 0 { secs -= 1 }
        var days = secs / 86_400
        var rem = secs % 86_400
        if rem < 0 {
            rem += 86_400
            days -= 1
        }
        let (year, month, day) = Timestamp.civil(fromDays: days)
        let hour = Int(rem / 3600)
        let minute = Int(rem / 60 % 60)
        let second = Int(rem % 60)

        return String(unsafeUninitializedCapacity: 40) { buf in
            var i = 0
            @inline(__always) func put(_ b: UInt8) {
                buf[i] = b
                i += 1
            }
            @inline(__always) func two(_ v: Int) {
                put(UInt8(truncatingIfNeeded: 48 + v / 10))
                put(UInt8(truncatingIfNeeded: 48 + v % 10))
            }
            if year >= 0 && year <= 9999 {
                let y = Int(year)
                two(y / 100)
                two(y % 100)
            } else {
                // Expanded year: sign for negative years, at least 4 digits.
                var magnitude = year.magnitude
                if year < 0 { put(UInt8(ascii: "-")) }
                var digits: [UInt8] = []
                while magnitude > 0 || digits.count < 4 {
                    digits.append(UInt8(truncatingIfNeeded: 48 + magnitude % 10))
                    magnitude /= 10
                }
                for d in digits.reversed() { put(d) }
            }
            put(UInt8(ascii: "-"))
            two(month)
            put(UInt8(ascii: "-"))
            two(day)
            put(UInt8(ascii: "T"))
            two(hour)
            put(UInt8(ascii: ":"))
            two(minute)
            put(UInt8(ascii: ":"))
            two(second)
            put(UInt8(ascii: "Z"))
            return i
        }
    }

    /// Parses a config duration and returns it in seconds: a non-negative
    /// integer followed by `s`, `m`, `h` or `d` (`30s`, `15m`, `2h`, `1d`), or
    /// a bare integer meaning seconds. `0s` gives 0; callers check ranges.
    ///
    /// Returns `nil` for empty text, signs, spaces, other units, trailing
    /// characters, or a value that does not fit in `Int64` seconds.
    public static func parseDuration(_ s: some StringProtocol) -> Int64? {
        var value: Int64 = 0
        var digits = 0
        var unit: Int64 = 1
        var sawUnit = false
        for b in s.utf8 {
            if sawUnit { return nil }
            if b >= 0x30 && b <= 0x39 {
                let (m, o1) = value.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(Int64(b &- 0x30))
                if o1 || o2 { return nil }
                value = a
                digits += 1
            } else if digits > 0 {
                switch b {
                case UInt8(ascii: "s"): unit = 1
                case UInt8(ascii: "m"): unit = 60
                case UInt8(ascii: "h"): unit = 3600
                case UInt8(ascii: "d"): unit = 86_400
                default: return nil
                }
                sawUnit = true
            } else {
                return nil
            }
        }
        guard digits > 0 else { return nil }
        let (result, overflow) = value.multipliedReportingOverflow(by: unit)
        return overflow ? nil : result
    }

    // MARK: - Calendar arithmetic (Howard Hinnant)

    /// Days since 1970-01-01 of a proleptic Gregorian date.
    @inline(__always)
    static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The proleptic Gregorian date of a day counted from 1970-01-01.
    @inline(__always)
    static func civil(fromDays days: Int64) -> (year: Int64, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), Int(m), Int(d))
    }

    /// The RFC 3339 grammar over raw bytes; milliseconds since the epoch.
    static func parseRFC3339(_ p: UnsafeRawBufferPointer) -> Int64? {
        let n = p.count
        guard n >= 20 else { return nil }

        @inline(__always) func digit(_ i: Int) -> Int64? {
            let d = p[i] &- 0x30
            return d <= 9 ? Int64(d) : nil
        }
        @inline(__always) func two(_ i: Int) -> Int64? {
            guard let a = digit(i), let b = digit(i + 1) else { return nil }
            return a * 10 + b
        }

        guard let y1 = two(0), let y2 = two(2), p[4] == UInt8(ascii: "-"),
            let month = two(5), p[7] == UInt8(ascii: "-"),
            let day = two(8),
            p[10] == UInt8(ascii: "T") || p[10] == UInt8(ascii: "t") || p[10] == UInt8(ascii: " "),
            let hour = two(11), p[13] == UInt8(ascii: ":"),
            let minute = two(14), p[16] == UInt8(ascii: ":"),
            var second = two(17)
        else { return nil }
        let year = y1 * 100 + y2

        guard month >= 1 && month <= 12, day >= 1,
            hour <= 23, minute <= 59, second <= 60
        else { return nil }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let monthDays: Int64
        switch month {
        case 2: monthDays = leap ? 29 : 28
        case 4, 6, 9, 11: monthDays = 30
        default: monthDays = 31
        }
        guard day <= monthDays else { return nil }
        if second == 60 { second = 59 }

        var i = 19
        var millis: Int64 = 0
        if p[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            var scale: Int64 = 100
            while i < n, let d = digit(i) {
                millis += d * scale
                scale /= 10
                i += 1
            }
            guard i > start else { return nil }
        }
        guard i < n else { return nil }

        var offsetSeconds: Int64 = 0
        switch p[i] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            i += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard n - i == 6, let oh = two(i + 1), p[i + 3] == UInt8(ascii: ":"),
                let om = two(i + 4), oh <= 23, om <= 59
            else { return nil }
            offsetSeconds = oh * 3600 + om * 60
            if p[i] == UInt8(ascii: "-") { offsetSeconds = -offsetSeconds }
            i += 6
        default:
            return nil
        }
        guard i == n else { return nil }

        let days = days(fromCivil: year, month, day)
        let secs = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return secs * 1000 + millis
    }
}
