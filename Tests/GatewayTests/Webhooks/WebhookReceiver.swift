import Foundation
import Hummingbird
import HummingbirdTesting
import NIOConcurrencyHelpers

/// A local HTTP server that takes webhook deliveries, answering each with the next status of `answers` (then
/// 200), and keeps what it got.
struct WebhookReceiver: Sendable {
    struct Received: Sendable {
        var headers: HTTPFields
        var body: Data
    }

    let received = NIOLockedValueBox<[Received]>([])
    private let answers: NIOLockedValueBox<[HTTPResponse.Status]>

    init(answers: [HTTPResponse.Status] = []) {
        self.answers = NIOLockedValueBox(answers)
    }

    /// Runs `body` with the receiver listening; gives it the receiver's URL.
    func run<T: Sendable>(_ body: @Sendable (URL) async throws -> T) async throws -> T {
        let router = Router()
        router.post("/hook") { request, context -> Response in
            let data = try await request.body.collect(upTo: 1 << 20)
            received.withLockedValue { $0.append(Received(headers: request.headers, body: Data(data.readableBytesView))) }
            let status = answers.withLockedValue { $0.isEmpty ? .ok : $0.removeFirst() }
            return Response(status: status)
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        return try await app.test(.live) { client in
            try await body(URL(string: "http://127.0.0.1:\(client.port!)/hook")!)
        }
    }

    var count: Int { received.withLockedValue { $0.count } }
}
