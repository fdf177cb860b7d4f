// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
    name: "pansible",
    platforms: [.macOS(.v14)],
    products: [
        // The four servers: what a release installs.
        .executable(name: "pansible-gateway", targets: ["pansible-gateway"]),
        .executable(name: "pansible-splitter", targets: ["pansible-splitter"]),
        .executable(name: "pansible-worker", targets: ["pansible-worker"]),
        .executable(name: "pansible-collector", targets: ["pansible-collector"]),
        // The operator's command line.
        .executable(name: "pansible", targets: ["pansible"]),
        // Benchmarks (scripts/bench/), never installed.
        .executable(name: "pansible-bench-amqp", targets: ["AMQPBench"]),
        .executable(name: "pansible-bench-shard", targets: ["ShardBench"]),
        .executable(name: "pansible-bench-collector", targets: ["CollectorBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/swiftlang/swift-subprocess.git", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.5.0"),
        // The gateway's webhook deliveries.
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        // The gateway's server types and protocol, generated from its openapi.yaml (make openapi), and their transport.
        .package(url: "https://github.com/apple/swift-openapi-runtime.git", from: "1.13.4"),
        .package(url: "https://github.com/hummingbird-project/swift-openapi-hummingbird.git", from: "2.1.0"),
        // Tests only: validates openapi.yaml (without the trait that loads external references).
        .package(url: "https://github.com/mattpolzin/OpenAPIKit.git", from: "6.4.0", traits: []),
    ],
    targets: [
        .target(
            name: "CRabbitMQ",
            linkerSettings: [.linkedLibrary("rabbitmq")]
        ),
        .target(
            name: "Shared",
            dependencies: [
                "CRabbitMQ",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Gateway",
            dependencies: [
                "Shared",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            // The API contract and the web view's files, served by the gateway: embedded in the binary, so it needs no
            // file beside it.
            resources: [
                .embedInCode("openapi.yaml"),
                .embedInCode("UI/Web/jobs.html"),
                .embedInCode("UI/Web/job.html"),
                .embedInCode("UI/Web/common.js"),
                .embedInCode("UI/Web/jobs.js"),
                .embedInCode("UI/Web/job.js"),
                .embedInCode("UI/Web/pansible.css"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Splitter",
            dependencies: [
                "Shared",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Worker",
            dependencies: [
                "Shared",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Collector",
            dependencies: [
                "Shared",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CLI",
            dependencies: [
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(name: "pansible", dependencies: ["CLI"], swiftSettings: swiftSettings),
        // Each process's executable: only its entry point (Sources/pansible-*/).
        .executableTarget(name: "pansible-gateway", dependencies: ["Gateway"], swiftSettings: swiftSettings),
        .executableTarget(name: "pansible-splitter", dependencies: ["Splitter"], swiftSettings: swiftSettings),
        .executableTarget(name: "pansible-worker", dependencies: ["Worker"], swiftSettings: swiftSettings),
        .executableTarget(name: "pansible-collector", dependencies: ["Collector"], swiftSettings: swiftSettings),
        // Whole-pipeline benchmarks driven by scripts/bench/*.sh: plain executables beside the servers.
        .executableTarget(
            name: "AMQPBench",
            dependencies: ["Shared", .product(name: "Logging", package: "swift-log")],
            path: "Benchmarks/AMQPBench",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "ShardBench",
            dependencies: ["Splitter", "Shared", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Benchmarks/ShardBench",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "CollectorBench",
            dependencies: [
                "Collector",
                "Shared",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Benchmarks/CollectorBench",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TestSupport",
            dependencies: [
                "Shared",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/TestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SharedTests",
            dependencies: [
                "Shared",
                "TestSupport",
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            exclude: ["Inventory/Corpus"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GatewayTests",
            dependencies: [
                "Gateway",
                "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
                .product(name: "OpenAPIKit", package: "OpenAPIKit"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SplitterTests",
            dependencies: ["Splitter", "TestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WorkerTests",
            dependencies: ["Worker", "TestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CollectorTests",
            dependencies: [
                "Collector",
                // The ingestion benchmark's events are held to what the collector reads (IncomingBatchTests).
                "CollectorBench",
                "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "TestSupport",
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                // The browser tests' WebDriver client: chromedriver's headers have no space after the colon, which
                // URLSession on Linux refuses.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
