import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Gateway

/// The web view's pages and assets: served without a token, with their types, caching and security policy.
struct WebViewRoutesTests {
    @Test(arguments: ["/ui/jobs", "/ui/jobs/6e63a20f-e1d9-47cc-84ae-cf5bd46d4161"])
    func pagesAreServedWithoutATokenUnderAPolicy(path: String) async throws {
        try await GatewayTestApp.withMemoryApp { client, _ in
            let page = try await client.execute(uri: path, method: .get)
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            #expect(page.headers[.cacheControl] == "no-cache")
            #expect(page.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
            #expect(String(buffer: page.body).contains("/ui/assets/common.js"))
        }
    }

    @Test(arguments: [
        ("common.js", "text/javascript; charset=utf-8"), ("jobs.js", "text/javascript; charset=utf-8"),
        ("job.js", "text/javascript; charset=utf-8"), ("pansible.css", "text/css; charset=utf-8"),
    ])
    func assetsAreCachedAndRevalidated(file: String, type: String) async throws {
        try await GatewayTestApp.withMemoryApp { client, _ in
            let asset = try await client.execute(uri: "/ui/assets/\(file)", method: .get)
            #expect(asset.status == .ok)
            #expect(asset.headers[.contentType] == type)
            #expect(asset.headers[.cacheControl] == "public, max-age=3600")
            #expect(asset.headers[.xContentTypeOptions] == "nosniff")
            let tag = try #require(asset.headers[.eTag])
            let again = try await client.execute(uri: "/ui/assets/\(file)", method: .get, headers: [.ifNoneMatch: tag])
            #expect(again.status == .notModified)
            #expect(again.body.readableBytes == 0)
        }
    }

    @Test func anUnknownAssetIsNotFound() async throws {
        try await GatewayTestApp.withMemoryApp { client, _ in
            let missing = try await client.execute(uri: "/ui/assets/secret.txt", method: .get)
            #expect(missing.status == .notFound)
            #expect(String(buffer: missing.body).contains("not_found"))
        }
    }

    @Test func thePolicyAllowsTheCollectorsWebSocketOnly() {
        let policy = WebViewController.contentSecurityPolicy(progressBase: "ws://pansible.example:5858")
        #expect(policy.contains("connect-src 'self' ws://pansible.example:5858;"))
        #expect(policy.hasPrefix("default-src 'none';"))
        #expect(WebViewController.contentSecurityPolicy(progressBase: nil).contains("connect-src 'self' ws: wss:;"))
    }
}
