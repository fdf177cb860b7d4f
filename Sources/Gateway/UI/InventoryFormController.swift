import Foundation
import Hummingbird
import Shared

/// The seed's "upload through front-end form": an HTML page with a multipart form for the inventory fields,
/// each of `hosts`/`vars` pasted or chosen as a file. The page itself holds no data and is served without a
/// token; the upload carries the token in the form's `token` field (or an `Authorization` header).
struct InventoryFormController {
    let services: GatewayServices
    let authenticator: Authenticator

    func addRoutes(to router: Router<GatewayRequestContext>) {
        router.get("/", use: page)
        router.get("/ui/inventory", use: page)
        router.post("/ui/inventory", use: upload)
    }

    @Sendable func page(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        html(.ok, InventoryFormPage.render(message: nil))
    }

    @Sendable func upload(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        var request = request
        guard let contentType = request.headers[.contentType], let boundary = MultipartForm.boundary(contentType: contentType) else {
            return html(.badRequest, InventoryFormPage.render(message: .error("the upload must be multipart/form-data")))
        }
        let data: Data
        do {
            data = try await request.collectData(limit: services.maxBodySize)
        } catch {
            return html(error.status, InventoryFormPage.render(message: .error(error.message)))
        }
        let form: MultipartForm
        do {
            form = try MultipartForm(data: data, boundary: boundary)
        } catch {
            return html(.badRequest, InventoryFormPage.render(message: .error("the form data could not be read")))
        }
        let token =
            form.text("token")?.trimmingCharacters(in: .whitespacesAndNewlines)
            ?? BearerTokenCheck.token(fromAuthorization: request.headers[.authorization])
        guard let token, let principal = try await authenticator.authenticate(token: token) else {
            return html(.unauthorized, InventoryFormPage.render(message: .error("a valid token is required")))
        }
        context.audit?.note(principal: principal)
        // A chosen file wins over pasted text.
        func field(_ name: String) -> String? {
            if let file = form.parts.first(where: { $0.name == "\(name)_file" && $0.filename?.isEmpty == false }), let text = file.text {
                return text
            }
            return form.text(name)
        }
        do {
            try principal.require(.operator)
            let checked = try InventoryFields.new(
                name: field("name"), env: field("env"), version: field("version"), hosts: field("hosts"), vars: field("vars"),
                checker: services.inventory
            )
            if let env = checked.env {
                context.audit?.note(resourceID: nil, env: env)
                try principal.requireScope(env: env, field: "env")
            }
            let inventory = try await services.inventories.create(checked)
            context.audit?.note(resourceID: "\(inventory.id)", env: nil)
            return html(.created, InventoryFormPage.render(message: .created(id: inventory.id, name: inventory.name, version: inventory.version)))
        } catch let error as APIError {
            return html(error.status, InventoryFormPage.render(message: .error(error.message)))
        }
    }

    private func html(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

/// The form's HTML.
enum InventoryFormPage {
    enum Message {
        case created(id: Int64, name: String, version: String)
        case error(String)
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func render(message: Message?) -> String {
        var notice = ""
        switch message {
        case .created(let id, let name, let version):
            notice = #"<p class="ok" id="result">Inventory <b>\#(escape(name))</b> version \#(escape(version)) stored with id <b>\#(id)</b>.</p>"#
        case .error(let text):
            notice = #"<p class="error" id="result">\#(escape(text))</p>"#
        case nil:
            break
        }
        return #"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>Pansible: upload an inventory</title>
            <style>
            body { font-family: sans-serif; max-width: 48rem; margin: 2rem auto; }
            label { display: block; margin-top: 1rem; font-weight: bold; }
            input[type=text], input[type=password], textarea { width: 100%; box-sizing: border-box; font-family: monospace; }
            textarea { height: 10rem; }
            .ok { color: #060; } .error { color: #a00; }
            </style>
            </head>
            <body>
            <h1>Upload an inventory</h1>
            \#(notice)
            <form method="post" action="/ui/inventory" enctype="multipart/form-data">
            <label for="token">Token</label><input type="password" id="token" name="token" required>
            <label for="name">Name</label><input type="text" id="name" name="name" required>
            <label for="env">Env</label><input type="text" id="env" name="env" required>
            <label for="version">Version</label><input type="text" id="version" name="version" required>
            <label for="hosts">Hosts (YAML): paste, or choose a file</label>
            <textarea id="hosts" name="hosts"></textarea><input type="file" name="hosts_file">
            <label for="vars">Vars (YAML): paste, or choose a file</label>
            <textarea id="vars" name="vars"></textarea><input type="file" name="vars_file">
            <p><button type="submit">Upload</button></p>
            </form>
            </body>
            </html>

            """#
    }
}
