import Foundation

/// A five-field cron expression (`minute hour day-of-month month day-of-week`), as cron(8) reads it: `*`,
/// numbers, ranges `a-b`, steps `*/n` and `a-b/n`, lists `a,b`, month and weekday names (`JAN`, `MON`), 0 or 7
/// for Sunday, and the macros `@hourly`, `@daily` (`@midnight`), `@weekly`, `@monthly`, `@yearly`
/// (`@annually`). When both the day of month and the day of week are restricted, a day matching either runs.
struct CronExpression: Sendable, Hashable {
    let minutes: Set<Int>
    let hours: Set<Int>
    let days: Set<Int>
    let months: Set<Int>
    /// 0 (Sunday) to 6.
    let weekdays: Set<Int>
    let daysRestricted: Bool
    let weekdaysRestricted: Bool

    /// Why an expression cannot be read: the message names the field and the value.
    struct ParseError: Error, Equatable {
        var message: String
    }

    private struct Field {
        var name: String
        var range: ClosedRange<Int>
        var names: [String] = []
        /// The first name's value (1 for months, 0 for weekdays).
        var firstNameValue = 0
    }

    private static let fields = [
        Field(name: "minute", range: 0...59),
        Field(name: "hour", range: 0...23),
        Field(name: "day of month", range: 1...31),
        Field(
            name: "month", range: 1...12, names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"],
            firstNameValue: 1),
        Field(name: "day of week", range: 0...7, names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]),
    ]

    private static let macros = [
        "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0", "@daily": "0 0 * * *",
        "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
    ]

    init(_ text: String) throws(ParseError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let expanded = Self.macros[trimmed.lowercased()] ?? trimmed
        let parts = expanded.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard parts.count == 5 else {
            throw ParseError(message: "expected 5 fields (minute hour day-of-month month day-of-week) or a macro such as @daily, got \(parts.count)")
        }
        var sets: [Set<Int>] = []
        for (part, field) in zip(parts, Self.fields) {
            sets.append(try Self.values(part, field))
        }
        minutes = sets[0]
        hours = sets[1]
        days = sets[2]
        months = sets[3]
        weekdays = Set(sets[4].map { $0 % 7 })
        daysRestricted = !parts[2].hasPrefix("*")
        weekdaysRestricted = !parts[4].hasPrefix("*")
    }

    private static func values(_ text: String, _ field: Field) throws(ParseError) -> Set<Int> {
        var values: Set<Int> = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = item.split(separator: "/", omittingEmptySubsequences: false)
            guard pieces.count <= 2, !pieces[0].isEmpty else { throw ParseError(message: "\(field.name): cannot read '\(item)'") }
            var step = 1
            if pieces.count == 2 {
                guard let number = Int(pieces[1]), number > 0 else {
                    throw ParseError(message: "\(field.name): the step in '\(item)' must be a positive number")
                }
                step = number
            }
            let range: ClosedRange<Int>
            if pieces[0] == "*" {
                range = field.range
            } else {
                let bounds = pieces[0].split(separator: "-", omittingEmptySubsequences: false)
                guard bounds.count <= 2 else { throw ParseError(message: "\(field.name): cannot read '\(item)'") }
                let low = try value(bounds[0], field)
                // `a/n` runs from a to the end of the field's range.
                let high = bounds.count == 2 ? try value(bounds[1], field) : (pieces.count == 2 ? field.range.upperBound : low)
                guard low <= high else { throw ParseError(message: "\(field.name): the range '\(pieces[0])' runs backwards") }
                range = low...high
            }
            values.formUnion(stride(from: range.lowerBound, through: range.upperBound, by: step))
        }
        return values
    }

    private static func value(_ text: Substring, _ field: Field) throws(ParseError) -> Int {
        if let index = field.names.firstIndex(of: text.uppercased()) { return index + field.firstNameValue }
        guard let number = Int(text), field.range.contains(number) else {
            throw ParseError(message: "\(field.name): '\(text)' is not in \(field.range.lowerBound)-\(field.range.upperBound)")
        }
        return number
    }

    /// The first time after `date` (to the minute) that the expression names, read in `timeZone`; nil when it
    /// names none within five years (`0 0 30 2 *`). A local time that a spring clock change skips runs as much
    /// later as the clock jumped (02:30 at 03:30); one that an autumn change repeats runs the first time.
    func next(after date: Date, in timeZone: TimeZone) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        // The next whole minute, computed in whole minutes: adding the rest of a minute to a time with fractional
        // seconds can land just past the minute and skip it.
        let start = Date(timeIntervalSince1970: (floor(date.timeIntervalSince1970 / 60) + 1) * 60)
        var day = calendar.startOfDay(for: start)
        let sortedHours = hours.sorted()
        let sortedMinutes = minutes.sorted()
        for _ in 0..<(366 * 5) {
            let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: day)
            if let month = parts.month, let dayOfMonth = parts.day, let weekday = parts.weekday, months.contains(month),
                matches(day: dayOfMonth, weekday: weekday - 1)
            {
                for hour in sortedHours {
                    for minute in sortedMinutes {
                        let wanted = DateComponents(year: parts.year, month: month, day: dayOfMonth, hour: hour, minute: minute)
                        if let candidate = calendar.date(from: wanted), candidate >= start { return candidate }
                    }
                }
            }
            guard let following = calendar.date(byAdding: .day, value: 1, to: day) else { return nil }
            day = calendar.startOfDay(for: following)
        }
        return nil
    }

    private func matches(day: Int, weekday: Int) -> Bool {
        switch (daysRestricted, weekdaysRestricted) {
        case (true, true): days.contains(day) || weekdays.contains(weekday)
        case (true, false): days.contains(day)
        case (false, true): weekdays.contains(weekday)
        case (false, false): true
        }
    }
}
