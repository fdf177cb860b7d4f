import Foundation

extension APIClient.Response {
    /// The body as indented JSON with sorted keys (as received when it is not JSON).
    var prettyJSON: String {
        guard let object = try? JSONSerialization.jsonObject(with: body),
            let data = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        else { return text }
        return String(decoding: data, as: UTF8.self)
    }
}
