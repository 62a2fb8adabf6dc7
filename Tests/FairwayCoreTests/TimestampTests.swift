import FairwayCore
import Testing

@Suite struct TimestampTests {
    @Test func epochAndKnownInstant() {
        #expect(Timestamp(rfc3339: "1970-01-01T00:00:00Z")?.milliseconds == 0)
        #expect(Timestamp(rfc3339: "2026-11-24T09:00:00Z")?.seconds == 1_795_510_800)
        #expect(Timestamp(seconds: 1_795_510_800).rfc3339 == "2026-11-24T09:00:00Z")
        #expect(Timestamp(milliseconds: 0).rfc3339 == "1970-01-01T00:00:00Z")
    }

    @Test(arguments: [
        "1970-01-01T00:00:00Z", "2026-11-24T09:00:00Z", "2024-02-29T23:59:59Z",
        "2000-02-29T12:34:56Z", "1969-12-31T23:59:59Z", "1900-03-01T00:00:00Z",
        "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "1600-02-29T06:07:08Z",
    ])
    func roundTrip(_ text: String) throws {
        let t = try #require(Timestamp(rfc3339: text))
        #expect(t.rfc3339 == text)
    }

    @Test func roundTripEveryDayAcrossCenturies() throws {
        // Every 7th day from 1600 to 2400, with an odd time of day.
        var day: Int64 = -134_774  // 1601-01-01
        while day < 157_000 {
            let t = Timestamp(seconds: day * 86_400 + 45_296)
            let back = try #require(Timestamp(rfc3339: t.rfc3339))
            #expect(back == t)
            day += 7
        }
    }

    @Test func offsets() {
        #expect(Timestamp(rfc3339: "2026-11-23T11:00:00+01:00") == Timestamp(rfc3339: "2026-11-23T10:00:00Z"))
        #expect(Timestamp(rfc3339: "2026-11-23T05:30:00-04:30") == Timestamp(rfc3339: "2026-11-23T10:00:00Z"))
        #expect(Timestamp(rfc3339: "2026-11-23T10:00:00-00:00") == Timestamp(rfc3339: "2026-11-23T10:00:00Z"))
        #expect(Timestamp(rfc3339: "2026-11-24T09:59:00+23:59") == Timestamp(rfc3339: "2026-11-23T10:00:00Z"))
        // An offset can cross a day, month and year boundary.
        #expect(Timestamp(rfc3339: "2027-01-01T00:30:00+01:00")?.rfc3339 == "2026-12-31T23:30:00Z")
    }

    @Test func separatorsAndCase() {
        let z = Timestamp(rfc3339: "2026-11-23T10:00:00Z")
        #expect(z != nil)
        #expect(Timestamp(rfc3339: "2026-11-23t10:00:00z") == z)
        #expect(Timestamp(rfc3339: "2026-11-23 10:00:00Z") == z)
        #expect(Timestamp(rfc3339: "2026-11-23T10:00:00Z"[...]) == z)
    }

    @Test func fractions() {
        #expect(Timestamp(rfc3339: "1970-01-01T00:00:00.5Z")?.milliseconds == 500)
        #expect(Timestamp(rfc3339: "1970-01-01T00:00:00.25Z")?.milliseconds == 250)
        #expect(Timestamp(rfc3339: "1970-01-01T00:00:00.123Z")?.milliseconds == 123)
        #expect(Timestamp(rfc3339: "1970-01-01T00:00:00.1239999999Z")?.milliseconds == 123)
        #expect(Timestamp(rfc3339: "1970-01-01T00:00:00.000999+00:00")?.milliseconds == 0)
        #expect(Timestamp(rfc3339: "1970-01-01T00:00:01.001+00:00")?.milliseconds == 1001)
        // Output floors to whole seconds.
        #expect(Timestamp(rfc3339: "2026-11-24T09:00:00.999Z")?.rfc3339 == "2026-11-24T09:00:00Z")
        #expect(Timestamp(rfc3339: "1969-12-31T23:59:59.5Z")?.milliseconds == -500)
        #expect(Timestamp(milliseconds: -500).rfc3339 == "1969-12-31T23:59:59Z")
        #expect(Timestamp(milliseconds: -1).rfc3339 == "1969-12-31T23:59:59Z")
        #expect(Timestamp(milliseconds: -1000).rfc3339 == "1969-12-31T23:59:59Z")
        #expect(Timestamp(milliseconds: -1001).rfc3339 == "1969-12-31T23:59:58Z")
    }

    @Test func leapDays() {
        #expect(Timestamp(rfc3339: "2024-02-29T00:00:00Z") != nil)
        #expect(Timestamp(rfc3339: "2000-02-29T00:00:00Z") != nil)
        #expect(Timestamp(rfc3339: "2026-02-29T00:00:00Z") == nil)
        #expect(Timestamp(rfc3339: "1900-02-29T00:00:00Z") == nil)
        #expect(Timestamp(rfc3339: "2024-02-30T00:00:00Z") == nil)
        #expect(Timestamp(rfc3339: "2026-04-31T00:00:00Z") == nil)
        #expect(Timestamp(rfc3339: "2026-12-31T00:00:00Z") != nil)
        #expect(Timestamp(rfc3339: "2024-03-01T00:00:00Z")!.seconds
            - Timestamp(rfc3339: "2024-02-28T00:00:00Z")!.seconds == 2 * 86_400)
    }

    @Test func leapSecondIsClamped() {
        #expect(Timestamp(rfc3339: "2016-12-31T23:59:60Z") == Timestamp(rfc3339: "2016-12-31T23:59:59Z"))
        #expect(Timestamp(rfc3339: "2016-12-31T23:59:61Z") == nil)
    }

    @Test func preEpoch() {
        #expect(Timestamp(rfc3339: "1969-12-31T23:59:59Z")?.milliseconds == -1000)
        #expect(Timestamp(rfc3339: "1900-01-01T00:00:00Z")?.seconds == -2_208_988_800)
        #expect(Timestamp(rfc3339: "0000-01-01T00:00:00Z")?.seconds == -62_167_219_200)
        #expect(Timestamp(seconds: -2_208_988_800).rfc3339 == "1900-01-01T00:00:00Z")
    }

    @Test func extremeValuesDoNotTrap() {
        #expect(!Timestamp(milliseconds: .max).rfc3339.isEmpty)
        #expect(!Timestamp(milliseconds: .min).rfc3339.isEmpty)
        #expect(Timestamp(seconds: -62_167_219_201).rfc3339 == "-0001-12-31T23:59:59Z")
        #expect(Timestamp(seconds: 253_402_300_800).rfc3339 == "10000-01-01T00:00:00Z")
    }

    @Test(arguments: [
        "", "2026", "2026-11-23", "2026-11-23T10:00:00", "2026-11-23T10:00Z",
        "2026-11-23T10:00:00Zx", "2026-11-23T10:00:00Z ", " 2026-11-23T10:00:00Z",
        "2026-11-23X10:00:00Z", "2026/11/23T10:00:00Z", "2026-11-23T10-00-00Z",
        "26-11-23T10:00:00Z", "2026-1-23T10:00:00Z", "2026-11-23T1:00:00Z",
        "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z", "2026-11-00T00:00:00Z",
        "2026-11-31T00:00:00Z", "2026-11-23T24:00:00Z", "2026-11-23T10:60:00Z",
        "2026-11-23T10:00:00.Z", "2026-11-23T10:00:00,5Z", "2026-11-23T10:00:00+01",
        "2026-11-23T10:00:00+0100", "2026-11-23T10:00:00+24:00", "2026-11-23T10:00:00+01:60",
        "2026-11-23T10:00:00+01:00:00", "2026-11-23T10:00:00.5", "+2026-11-23T10:00:00Z",
        "２０２６-11-23T10:00:00Z", "2026-11-23T10:00:00+1:00", "2026-11-23T10:00:00 Z",
        "2026-11-23T10:00:00.1a2Z",
    ])
    func garbageRejected(_ text: String) {
        #expect(Timestamp(rfc3339: text) == nil)
    }

    @Test func durations() {
        #expect(Timestamp.parseDuration("30s") == 30)
        #expect(Timestamp.parseDuration("15m") == 900)
        #expect(Timestamp.parseDuration("2h") == 7200)
        #expect(Timestamp.parseDuration("1d") == 86_400)
        #expect(Timestamp.parseDuration("45") == 45)
        #expect(Timestamp.parseDuration("0s") == 0)
        #expect(Timestamp.parseDuration("0") == 0)
        #expect(Timestamp.parseDuration("007m") == 420)
        #expect(Timestamp.parseDuration("9223372036854775807") == Int64.max)
        #expect(Timestamp.parseDuration("106751991167300d") == Int64(106_751_991_167_300) * 86_400)
        #expect(Timestamp.parseDuration("30s"[...]) == 30)
    }

    @Test(arguments: [
        "", "s", "-5s", "+5s", "5 s", " 5s", "5s ", "5ss", "5sm", "1w", "1.5h", "5S", "1D",
        "9223372036854775808", "106751991167301d", "99999999999999999999s", "h1",
    ])
    func badDurations(_ text: String) {
        #expect(Timestamp.parseDuration(text) == nil)
    }
}
