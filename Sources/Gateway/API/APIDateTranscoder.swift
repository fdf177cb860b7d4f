import Foundation
import OpenAPIRuntime
import Shared

/// Dates in the API's format (``Timestamp``): ISO 8601 in UTC with fractional seconds, as every other body and
/// message of Pansible writes them.
struct APIDateTranscoder: DateTranscoder {
    func encode(_ date: Date) throws -> String {
        Timestamp.format(date)
    }

    func decode(_ text: String) throws -> Date {
        guard let date = Timestamp.parse(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "'\(text)' is not an ISO 8601 date"))
        }
        return date
    }
}
