import Foundation
import Hummingbird

/// The web view: `/ui/jobs` (the jobs the token may see) and `/ui/jobs/{uuid}` (one job's live host grid), plain
/// HTML, CSS and JavaScript embedded in the gateway. The pages hold no data and are served without a token: their
/// scripts call the API with the token the browser keeps (`Authorization: Bearer`), and the collector's progress
/// WebSocket with `?token=`, since a browser cannot set a WebSocket's headers.
struct WebViewController {
    /// The pages' Content-Security-Policy: scripts, styles and API calls from the gateway only, WebSockets to the
    /// collector.
    let contentSecurityPolicy: String

    /// - Parameter progressBase: the collector's WebSocket address as browsers reach it (`progress_url`); nil
    ///   allows any WebSocket (the page then guesses the collector's address).
    init(progressBase: String?) {
        self.contentSecurityPolicy = Self.contentSecurityPolicy(progressBase: progressBase)
    }

    static let jobsPage = WebAsset(PackageResources.jobs_html, contentType: "text/html; charset=utf-8")
    static let jobPage = WebAsset(PackageResources.job_html, contentType: "text/html; charset=utf-8")
    static let assets: [String: WebAsset] = [
        "common.js": WebAsset(PackageResources.common_js, contentType: "text/javascript; charset=utf-8"),
        "jobs.js": WebAsset(PackageResources.jobs_js, contentType: "text/javascript; charset=utf-8"),
        "job.js": WebAsset(PackageResources.job_js, contentType: "text/javascript; charset=utf-8"),
        "pansible.css": WebAsset(PackageResources.pansible_css, contentType: "text/css; charset=utf-8"),
    ]

    func addRoutes(to router: Router<GatewayRequestContext>) {
        // Pages are revalidated on every visit, so they always name the assets of the running gateway; assets are
        // kept for an hour and revalidated by their entity tag.
        let pageHeaders: HTTPFields = [.contentSecurityPolicy: contentSecurityPolicy, .referrerPolicy: "no-referrer"]
        router.get("/ui/jobs") { request, _ in
            Self.jobsPage.response(to: request, cacheControl: "no-cache", headers: pageHeaders)
        }
        router.get("/ui/jobs/{uuid}") { request, _ in
            Self.jobPage.response(to: request, cacheControl: "no-cache", headers: pageHeaders)
        }
        router.get("/ui/assets/{file}") { request, context in
            let file = context.parameters.get("file") ?? ""
            guard let asset = Self.assets[file] else { throw APIError.notFound("asset", id: file) }
            return asset.response(to: request, cacheControl: "public, max-age=3600")
        }
    }

    static func contentSecurityPolicy(progressBase: String?) -> String {
        var sockets = "ws: wss:"
        if let base = progressBase, let url = URLComponents(string: base), let scheme = url.scheme, let host = url.host {
            sockets = "\(scheme)://\(host)" + (url.port.map { ":\($0)" } ?? "")
        }
        return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' \(sockets); "
            + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    }
}
