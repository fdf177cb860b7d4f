import Foundation
import Hummingbird
import NIOCore

extension Request {
    /// The body, refused with 413 past `limit` bytes.
    mutating func collectData(limit: Int) async throws(APIError) -> Data {
        do {
            let buffer = try await collectBody(upTo: limit)
            return Data(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            throw .tooLarge(limit: limit)
        } catch {
            throw APIError(.badRequest, code: "invalid_body", message: "the request body could not be read")
        }
    }
}
