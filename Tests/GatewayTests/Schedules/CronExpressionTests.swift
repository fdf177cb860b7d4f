import Foundation
import Testing

@testable import Gateway

/// Cron expressions as cron(8) reads them, and their next due times in a time zone.
struct CronExpressionTests {
    static let utc = TimeZone(identifier: "UTC")!

    static func date(_ text: String) -> Date {
        try! Date(text, strategy: .iso8601)
    }

    static func next(_ cron: String, after: String, in zone: TimeZone = utc) throws -> String? {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = zone
        formatter.formatOptions = [.withInternetDateTime]
        return try CronExpression(cron).next(after: date(after), in: zone).map { formatter.string(from: $0) }
    }

    @Test func nextTimesFollowEachField() throws {
        #expect(try Self.next("*/5 * * * *", after: "2026-12-03T10:02:30Z") == "2026-12-03T10:05:00Z")
        // Strictly after: a due time is never given twice.
        #expect(try Self.next("*/5 * * * *", after: "2026-12-03T10:05:00Z") == "2026-12-03T10:10:00Z")
        #expect(try Self.next("* * * * *", after: "2026-12-03T10:05:59Z") == "2026-12-03T10:06:00Z")
        // A time with fractional seconds (as a clock gives it) still gets the very next minute.
        for fraction in [0.001, 0.25, 0.5, 0.517, 0.999] {
            let date = Self.date("2026-12-03T05:08:43Z").addingTimeInterval(fraction)
            let next = try CronExpression("* * * * *").next(after: date, in: Self.utc)
            #expect(next == Self.date("2026-12-03T05:09:00Z"), "\(fraction)")
        }
        #expect(try Self.next("0 3 * * *", after: "2026-12-03T10:00:00Z") == "2026-12-04T03:00:00Z")
        #expect(try Self.next("30 9 * * MON-FRI", after: "2026-12-04T10:00:00Z") == "2026-12-07T09:30:00Z")  // Friday → Monday
        #expect(try Self.next("0 0 1 JAN *", after: "2026-12-03T00:00:00Z") == "2027-01-01T00:00:00Z")
        #expect(try Self.next("15,45 8-10/2 * * *", after: "2026-12-03T08:50:00Z") == "2026-12-03T10:15:00Z")
        #expect(try Self.next("0 12 * * 7", after: "2026-12-03T00:00:00Z") == "2026-12-06T12:00:00Z")  // 7 is Sunday
        #expect(try Self.next("@hourly", after: "2026-12-03T10:00:00Z") == "2026-12-03T11:00:00Z")
        #expect(try Self.next("@weekly", after: "2026-12-03T10:00:00Z") == "2026-12-06T00:00:00Z")
        // Leap day.
        #expect(try Self.next("0 0 29 2 *", after: "2026-03-01T00:00:00Z") == "2028-02-29T00:00:00Z")
        #expect(try Self.next("0 0 30 2 *", after: "2026-03-01T00:00:00Z") == nil)
    }

    /// With both days restricted, a day matching either runs (the 13th, or any Friday).
    @Test func aRestrictedDayOfMonthOrDayOfWeekRuns() throws {
        #expect(try Self.next("0 0 13 * FRI", after: "2026-12-05T00:00:00Z") == "2026-12-11T00:00:00Z")
        #expect(try Self.next("0 0 13 * FRI", after: "2026-12-11T00:00:00Z") == "2026-12-13T00:00:00Z")
        // A star with a step still counts as unrestricted: only Fridays.
        #expect(try Self.next("0 0 */1 * FRI", after: "2026-12-05T00:00:00Z") == "2026-12-11T00:00:00Z")
    }

    @Test func timesAreReadInTheTimeZone() throws {
        let paris = TimeZone(identifier: "Europe/Paris")!
        #expect(try Self.next("0 9 * * *", after: "2026-12-03T10:00:00Z", in: paris) == "2026-12-04T09:00:00+01:00")
        #expect(try Self.next("0 9 * * *", after: "2026-07-03T10:00:00Z", in: paris) == "2026-07-04T09:00:00+02:00")
        // 02:30 does not exist on the spring change (29 March 2026): it runs at the instant after the change, once.
        let spring = try #require(try Self.next("30 2 * * *", after: "2026-03-28T12:00:00Z", in: paris))
        #expect(spring == "2026-03-29T03:30:00+02:00")
    }

    @Test func badExpressionsSayWhatIsWrong() {
        for (cron, words) in [
            ("* * * *", "expected 5 fields"), ("61 * * * *", "minute: '61' is not in 0-59"), ("* 24 * * *", "hour: '24'"),
            ("* * 0 * *", "day of month: '0'"), ("* * * FOO *", "month: 'FOO'"), ("* * * * 8", "day of week: '8'"),
            ("*/0 * * * *", "step"), ("5-1 * * * *", "runs backwards"), ("1,,2 * * * *", "cannot read"), ("@often", "expected 5 fields"),
        ] {
            #expect {
                _ = try CronExpression(cron)
            } throws: { error in
                (error as? CronExpression.ParseError)?.message.contains(words) == true
            }
        }
    }
}
