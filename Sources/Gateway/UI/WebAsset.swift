import Crypto
import Foundation
import Hummingbird

/// One file of the web view, embedded in the gateway (`Sources/Gateway/UI/Web`), with what its answers carry:
/// its type, and an entity tag (its SHA-256) so that a browser revalidates it for the price of a 304.
struct WebAsset: Sendable {
    let body: ByteBuffer
    let contentType: String
    let entityTag: String

    init(_ bytes: [UInt8], contentType: String) {
        self.body = ByteBuffer(bytes: bytes)
        self.contentType = contentType
        self.entityTag = "\"" + SHA256.hash(data: bytes).prefix(16).map { String(format: "%02x", $0) }.joined() + "\""
    }

    /// The asset, or 304 when the request already holds this version.
    /// - Parameters:
    ///   - cacheControl: how long a browser may use it without asking again.
    ///   - headers: more headers (the pages' Content-Security-Policy).
    func response(to request: Request, cacheControl: String, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.eTag] = entityTag
        fields[.cacheControl] = cacheControl
        fields[.xContentTypeOptions] = "nosniff"
        if request.headers[.ifNoneMatch] == entityTag {
            return Response(status: .notModified, headers: fields)
        }
        fields[.contentType] = contentType
        return Response(status: .ok, headers: fields, body: .init(byteBuffer: body))
    }
}
