/// Checks timestamps as they come in messages, so they can go to PostgreSQL as they are: ISO 8601 with a date,
/// `T`, hours, minutes and seconds, optional fractional seconds, and `Z` or an offset (`+01:00`, `+0100`).
enum TimestampText {
    static func isValid(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { isValid(bytes: $0) }
    }

    private static func isValid(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        func digits(_ count: Int) -> Int? {
            guard index + count <= bytes.count else { return nil }
            var value = 0
            for _ in 0..<count {
                let byte = bytes[index]
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
                index += 1
            }
            return value
        }
        func take(_ byte: Character) -> Bool {
            guard index < bytes.count, bytes[index] == byte.asciiValue! else { return false }
            index += 1
            return true
        }
        guard let year = digits(4), year >= 1, take("-"), let month = digits(2), (1...12).contains(month), take("-"),
            let day = digits(2), day >= 1, day <= daysIn(month: month, year: year), take("T") || take("t"),
            let hour = digits(2), hour <= 23, take(":"), let minute = digits(2), minute <= 59, take(":"),
            let second = digits(2), second <= 59
        else { return false }
        if take(".") {
            let start = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
            guard index > start, index - start <= 9 else { return false }
        }
        if take("Z") || take("z") { return index == bytes.count }
        guard take("+") || take("-"), let offsetHours = digits(2), offsetHours <= 15 else { return false }
        _ = take(":")
        guard let offsetMinutes = digits(2), offsetMinutes <= 59 else { return false }
        return index == bytes.count
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
