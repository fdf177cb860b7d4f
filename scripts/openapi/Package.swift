// swift-tools-version:6.1
// Builds swift-openapi-generator for `make openapi`, which regenerates Sources/GatewayAPI from
// Sources/Gateway/openapi.yaml. Kept apart from the main package so that its build never pays for the generator.
import PackageDescription

let package = Package(
    name: "openapi-tools",
    dependencies: [
        .package(url: "https://github.com/apple/swift-openapi-generator.git", exact: "1.14.3")
    ]
)
