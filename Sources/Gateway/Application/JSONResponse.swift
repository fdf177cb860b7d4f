import Foundation
import Hummingbird
import Shared

/// JSON responses from `JSONValue` trees or `Encodable` values, with the API's formatting.
enum JSONResponse {
    static func make(status: HTTPResponse.Status = .ok, value: JSONValue, headers: HTTPFields = [:]) -> Response {
        make(status: status, encodable: value, headers: headers)
    }

    static func make(status: HTTPResponse.Status = .ok, encodable: some Encodable, headers: HTTPFields = [:]) -> Response {
        let data: Data
        do {
            data = try encoder.encode(encodable)
        } catch {
            // JSONValue and the API's own types always encode; keep the answer well-formed regardless.
            data = Data(#"{"error":{"code":"internal","message":"could not encode the response"}}"#.utf8)
            return Response(
                status: .internalServerError, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static var encoder: JSONEncoder { MessageCoding.encoder() }
}
