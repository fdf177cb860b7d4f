import Foundation
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The whole pipeline as separate processes — gateway, splitter, collector and workers, the built binaries —
/// on a private database and RabbitMQ virtual host, so a test sees only its own jobs.
final class Stack: @unchecked Sendable {
    // Safe: every stored property is set in init and never mutated afterwards.
    let adminToken = "e2e-\(UUID().uuidString)"
    let secretKey = Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
    let gatewayURL: URL
    let collectorURL: URL
    let directory: URL
    let amqpURL: String
    let database: (name: String, url: URL)
    /// More environment for every process (configuration keys as `PANSIBLE_…`).
    let extraEnvironment: [String: String]
    private(set) var processes: [ServiceProcess] = []

    private init(directory: URL, amqpURL: String, database: (name: String, url: URL), extraEnvironment: [String: String]) {
        self.directory = directory
        self.amqpURL = amqpURL
        self.database = database
        self.extraEnvironment = extraEnvironment
        self.gatewayURL = URL(string: "http://127.0.0.1:\(TestServices.freePort())")!
        self.collectorURL = URL(string: "http://127.0.0.1:\(TestServices.freePort())")!
    }

    /// Starts every process and waits until the gateway and the collector are ready.
    /// - Parameters:
    ///   - workers: workers to start (0: none, a pool no worker serves).
    ///   - workerEnvironment: more environment for every worker (`PANSIBLE_WORKER_CONCURRENCY`, …).
    ///   - environment: more environment for every process.
    static func start(workers: Int = 2, workerEnvironment: [String: String] = [:], environment: [String: String] = [:]) async throws -> Stack {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pansible-e2e-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let stack = Stack(
            directory: directory, amqpURL: try await TestServices.createVirtualHost(), database: try await TestServices.createDatabase(),
            extraEnvironment: environment)
        try await stack.launch(workers: workers, workerEnvironment: workerEnvironment)
        return stack
    }

    /// Starts a stack, runs `body` on it, records an error `body` throws with every process's log, and stops the
    /// stack whatever happened.
    static func with(
        workers: Int = 2, workerEnvironment: [String: String] = [:], environment: [String: String] = [:], _ body: (Stack) async throws -> Void
    ) async throws {
        let stack = try await start(workers: workers, workerEnvironment: workerEnvironment, environment: environment)
        do {
            try await body(stack)
        } catch {
            Issue.record("\(error)\n\(stack.logs())")
        }
        await stack.stop()
    }

    var environment: [String: String] {
        [
            "PANSIBLE_AMQP_URL": amqpURL,
            "PANSIBLE_DATABASE_URL": database.url.absoluteString,
            "PANSIBLE_ADMIN_TOKEN": adminToken,
            "PANSIBLE_SECRET_KEY": secretKey,
            "PANSIBLE_PORT": "127.0.0.1:\(gatewayURL.port!)",
            "PANSIBLE_WS_PORT": "127.0.0.1:\(collectorURL.port!)",
            "PANSIBLE_SPLITTER_PORT": "127.0.0.1:0",
            "PANSIBLE_WORKER_PORT": "127.0.0.1:0",
            "PANSIBLE_LOG_LEVEL": "info",
        ].merging(extraEnvironment) { _, extra in extra }
    }

    private func launch(workers: Int, workerEnvironment: [String: String]) async throws {
        // The gateway applies the migrations first; the others start once it is ready.
        processes.append(try await ServiceProcess(binary: "pansible-gateway", environment: environment, logDirectory: directory))
        try await waitReady(gatewayURL, process: processes[0])
        processes.append(try await ServiceProcess(binary: "pansible-collector", environment: environment, logDirectory: directory))
        processes.append(try await ServiceProcess(binary: "pansible-splitter", environment: environment, logDirectory: directory))
        for index in 0..<workers {
            try await addWorker(name: "pansible-worker-\(index + 1)", extraEnvironment: workerEnvironment)
        }
        try await waitReady(collectorURL, process: processes[1])
    }

    /// Starts one more worker (e.g. to take over a killed one's shard).
    @discardableResult
    func addWorker(name: String, extraEnvironment: [String: String] = [:]) async throws -> ServiceProcess {
        var environment = self.environment
        environment["PANSIBLE_WORKER_WORK_DIR"] = directory.appendingPathComponent(name).path
        environment["PANSIBLE_WORKER_ID"] = name
        environment.merge(extraEnvironment) { _, new in new }
        let process = try await ServiceProcess(binary: "pansible-worker", environment: environment, logDirectory: directory, name: name)
        processes.append(process)
        return process
    }

    /// Starts one more gateway on the same database and broker; returns its address once it is ready.
    func addGateway(name: String) async throws -> URL {
        let url = URL(string: "http://127.0.0.1:\(TestServices.freePort())")!
        var environment = self.environment
        environment["PANSIBLE_PORT"] = "127.0.0.1:\(url.port!)"
        let process = try await ServiceProcess(binary: "pansible-gateway", environment: environment, logDirectory: directory, name: name)
        processes.append(process)
        try await waitReady(url, process: process)
        return url
    }

    /// Kills the running gateway, splitter or collector (`binary`) with `signal` and starts a new one with the
    /// same environment (its log beside the old one's); waits until a new gateway or collector is ready.
    func replace(_ binary: String, signal: Int32 = SIGKILL) async throws {
        let running = processes.filter { $0.name.hasPrefix(binary) && $0.isRunning }
        guard !running.isEmpty else { throw StackError.notReady(binary, "not running") }
        for process in running { await process.stop(signal: signal) }
        let count = processes.filter { $0.name.hasPrefix(binary) }.count
        let process = try await ServiceProcess(binary: binary, environment: environment, logDirectory: directory, name: "\(binary)-\(count + 1)")
        processes.append(process)
        if binary == "pansible-collector" { try await waitReady(collectorURL, process: process) }
        if binary == "pansible-gateway" { try await waitReady(gatewayURL, process: process) }
    }

    private func waitReady(_ url: URL, process: ServiceProcess) async throws {
        let ready = await TestServices.eventually(timeout: .seconds(60)) {
            guard process.isRunning else { return true }
            return (try? await self.request("GET", url.appendingPathComponent("readyz"), authorized: false).status) == 200
        }
        guard ready, process.isRunning else {
            throw StackError.notReady(process.name, process.log().suffix(3000).description)
        }
    }

    /// Every process's log, for failure messages.
    func logs() -> String {
        processes.map { "==== \($0.name)\n\($0.log().suffix(4000))" }.joined(separator: "\n")
    }

    func stop() async {
        for process in processes.reversed() {
            await process.stop()
        }
        try? await TestServices.dropDatabase(database.name)
        TestServices.deleteVirtualHost(url: amqpURL)
    }

    struct HTTPResult {
        var status: Int
        var body: Data
        var json: Any? { try? JSONSerialization.jsonObject(with: body) }
        var object: [String: Any] { json as? [String: Any] ?? [:] }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    func request(_ method: String, _ url: URL, body: Any? = nil, authorized: Bool = true) async throws -> HTTPResult {
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.timeoutInterval = 30
        if authorized { request.setValue("Bearer \(adminToken)", forHTTPHeaderField: "Authorization") }
        if let body {
            request.httpBody = try JSONSerialization.data(withJSONObject: body)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return HTTPResult(status: (response as? HTTPURLResponse)?.statusCode ?? 0, body: data)
    }

    /// A gateway API call (`path` under the gateway's URL).
    func api(_ method: String, _ path: String, body: Any? = nil) async throws -> HTTPResult {
        try await request(method, URL(string: gatewayURL.absoluteString + path)!, body: body)
    }

    /// Waits until the job's status is final and returns the job.
    func waitForJob(_ uuid: String, timeout: Duration = .seconds(180)) async throws -> [String: Any] {
        var job: [String: Any] = [:]
        let finished = try await TestServices.eventually(timeout: timeout) {
            job = try await api("GET", "/api/v1/job/\(uuid)").object
            return ["successful", "failed", "error", "canceled"].contains(job["status"] as? String ?? "")
        }
        guard finished else { throw StackError.jobNotFinished(uuid, "\(job)\n\(logs())") }
        return job
    }
}

enum StackError: Error, CustomStringConvertible {
    case notReady(String, String)
    case jobNotFinished(String, String)

    var description: String {
        switch self {
        case .notReady(let name, let log): return "\(name) did not become ready:\n\(log)"
        case .jobNotFinished(let uuid, let detail): return "job \(uuid) did not finish: \(detail)"
        }
    }
}
