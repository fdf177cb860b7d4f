import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The gateway's REST API over URLSession, and where live progress is.
struct APIClient: Sendable {
    let gateway: URL
    let token: String
    /// The collector's WebSocket base (`ws://host:5858`) given by the user; nil: as the gateway shows it.
    let progress: URL?

    struct Response {
        var status: Int
        var body: Data

        /// The body as a JSON object.
        func object() throws -> [String: Any] {
            guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else {
                throw CLIError.connection("the gateway answered \(status) with a body that is not a JSON object")
            }
            return object
        }

        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// Sends a request and returns a 2xx answer; any other answer is thrown as the API's error.
    @discardableResult
    func send(_ method: String, _ path: String, json: Any? = nil) async throws -> Response {
        guard let url = URL(string: path, relativeTo: gateway) else { throw CLIError.usage("bad path \(path)") }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        if let json {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
        }
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await URLSession.shared.data(for: request)
        } catch {
            throw CLIError.connection("cannot reach the gateway at \(gateway.absoluteString): \(error.localizedDescription)")
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        let answer = Response(status: status, body: data)
        guard (200..<300).contains(status) else {
            let error = (try? answer.object())?["error"] as? [String: Any]
            throw CLIError.api(
                status: status, code: error?["code"] as? String ?? "http_\(status)",
                message: error?["message"] as? String ?? answer.text.trimmingCharacters(in: .whitespacesAndNewlines),
                field: error?["field"] as? String
            )
        }
        return answer
    }

    func object(_ method: String, _ path: String, json: Any? = nil) async throws -> [String: Any] {
        try await send(method, path, json: json).object()
    }
}
