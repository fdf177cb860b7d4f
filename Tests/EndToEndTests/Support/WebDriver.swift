import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import Shared
import TestSupport

/// A headless Chromium driven over the W3C WebDriver protocol: chromedriver (Debian's `chromium-driver`) started
/// on a free port, one session, plain JSON over HTTP.
final class WebDriver: Sendable {
    let url: URL
    let session: String
    private let process: ChildProcess

    /// chromedriver on the PATH, or nil.
    static var chromedriver: String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/chromedriver" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Whether the browser suites run: always under `make test` (which installs chromedriver and fails without
    /// it); outside it, when chromedriver and the services are there.
    static var available: Bool {
        if TestServices.required { return true }
        guard chromedriver != nil else {
            FileHandle.standardError.write(
                Data("skipping browser suite: chromedriver not found (apt-get install chromium chromium-driver, or run `make test`)\n".utf8))
            return false
        }
        return TestServices.available
    }

    private init(url: URL, session: String, process: ChildProcess) {
        self.url = url
        self.session = session
        self.process = process
    }

    /// Starts chromedriver (its log in `directory`) and opens a session with a headless browser of `width` × `height`.
    static func start(in directory: URL, width: Int = 1280, height: Int = 900) async throws -> WebDriver {
        guard let chromedriver else { throw TestFailure("chromedriver not found: apt-get install chromium chromium-driver") }
        let port = TestServices.freePort()
        let process = try await ChildProcess.spawn(
            executable: chromedriver, arguments: ["--port=\(port)"], environment: ProcessInfo.processInfo.environment,
            directory: directory.path, outputPath: directory.appendingPathComponent("chromedriver.log").path
        )
        let url = URL(string: "http://127.0.0.1:\(port)")!
        var failure: (any Error)? = nil
        let ready = await TestServices.eventually(timeout: .seconds(120)) {
            do {
                _ = try await call("GET", url.appendingPathComponent("status"))
                return true
            } catch {
                failure = error
                return false
            }
        }
        guard ready else {
            await process.stopGroup(interruptGrace: 1, terminateGrace: 1)
            throw TestFailure("chromedriver did not start on port \(port): \(failure.map { "\($0)" } ?? "")")
        }
        var options: [String: Any] = [
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=\(width),\(height)"]
        ]
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium") { options["binary"] = "/usr/bin/chromium" }
        do {
            let created = try await call(
                "POST", url.appendingPathComponent("session"),
                body: ["capabilities": ["alwaysMatch": ["browserName": "chrome", "goog:chromeOptions": options]]])
            guard let session = created?["sessionId"] as? String else { throw TestFailure("no WebDriver session: \(created ?? [:])") }
            return WebDriver(url: url, session: session, process: process)
        } catch {
            await process.stopGroup(interruptGrace: 1, terminateGrace: 1)
            throw error
        }
    }

    /// Loads `address` in the browser.
    func open(_ address: String) async throws {
        try await command("POST", "url", body: ["url": address])
    }

    /// Runs `script` (a function body: `return …`) in the page; returns its value.
    @discardableResult
    func execute(_ script: String, _ arguments: [Any] = []) async throws -> Any? {
        try await command("POST", "execute/sync", body: ["script": script, "args": arguments])
    }

    /// Clicks the first element matching the CSS `selector`.
    func click(_ selector: String) async throws {
        let found = try await command("POST", "element", body: ["using": "css selector", "value": selector]) as? [String: Any]
        guard let element = found?["element-6066-11e4-a52e-4f735466cecf"] as? String else {
            throw TestFailure("no element \(selector): \(String(describing: found))")
        }
        try await command("POST", "element/\(element)/click", body: [String: Any]())
    }

    /// A PNG of the browser's window.
    func screenshot() async throws -> Data {
        guard let text = try await command("GET", "screenshot") as? String, let data = Data(base64Encoded: text) else {
            throw TestFailure("no screenshot")
        }
        return data
    }

    /// Ends the session and stops chromedriver and its browser.
    func stop() async {
        _ = try? await Self.call("DELETE", url.appendingPathComponent("session/\(session)"))
        await process.stopGroup(interruptGrace: 2, terminateGrace: 2)
    }

    @discardableResult
    private func command(_ method: String, _ path: String, body: Any? = nil) async throws -> Any? {
        let answer = try await Self.call(method, url.appendingPathComponent("session/\(session)/\(path)"), body: body)
        return answer?["value"].flatMap { $0 is NSNull ? nil : $0 }
    }

    /// One WebDriver call; returns its `value` (the whole answer for `/status`'s and a new session's `value`).
    private static func call(_ method: String, _ url: URL, body: Any? = nil) async throws -> [String: Any]? {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = HTTPMethod(rawValue: method)
        if let body {
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body)))
            request.headers.add(name: "Content-Type", value: "application/json")
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        let data = Data(buffer: try await response.body.collect(upTo: 64 << 20))
        guard response.status == .ok else {
            throw TestFailure("WebDriver \(method) \(url.path): \(String(decoding: data, as: UTF8.self))")
        }
        let answer = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        return url.path.hasSuffix("/status") || url.path.hasSuffix("/session") ? answer?["value"] as? [String: Any] : answer
    }
}
