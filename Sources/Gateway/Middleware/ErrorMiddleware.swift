import Foundation
import Hummingbird
import Logging
import NIOCore
import OpenAPIRuntime
import PostgresNIO
import Shared

/// Turns every failure into the API's JSON error body: unknown routes (404), known paths with another method
/// (405), oversize bodies (413), the handlers' `APIError`s, the database being unreachable (503, with
/// `Retry-After`); anything unexpected is logged and answered 500.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext
    let contract: APIContract

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return try apiError(for: error, request: request, context: context).response(from: request, context: context)
        }
    }

    /// The API error that answers `error`.
    func apiError(for error: any Error, request: Request, context: Context) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as ServerError:
            return apiError(for: error, request: request, context: context)
        case let error as HTTPError:
            return translate(error, request: request, context: context)
        case let error as PSQLError where error.serverInfo?[.sqlState] == "23505":
            // A concurrent request stored the same unique value first.
            return APIError(
                .conflict, code: "already_exists", message: "a conflicting record exists: \(error.serverInfo?[.detail] ?? "unique value taken")")
        case let error as PSQLError where error.serverInfo?[.sqlState] == "23503":
            // A referenced record was deleted while this request ran.
            return APIError(.conflict, code: "reference_gone", message: "a referenced record no longer exists")
        case let error as PSQLError where error.serverInfo?[.sqlState]?.hasPrefix("22") == true:
            // A data exception: a value PostgreSQL cannot take, such as a NUL character in a text.
            return APIError(
                .badRequest, code: "invalid_value", message: "a value cannot be stored: \(error.serverInfo?[.message] ?? "data exception")")
        case let error where DatabaseUnavailability.isUnavailable(error):
            context.logger.warning("the database is unavailable", metadata: ["error": "\(error)", "http.path": "\(request.uri.path)"])
            return APIError(
                .serviceUnavailable, code: "database_unavailable", message: "the database is unavailable; retry shortly", headers: [.retryAfter: "1"]
            )
        case is NIOTooManyBytesError:
            return APIError(.contentTooLarge, code: "body_too_large", message: "the request body is too large")
        default:
            context.logger.error("request failed", metadata: ["error": "\(String(reflecting: error))", "http.path": "\(request.uri.path)"])
            return APIError(.internalServerError, code: "internal", message: "internal error; the gateway's log has the details")
        }
    }

    /// A failure of the generated server: the request did not fit the operation's input, the operation threw,
    /// or its answer could not be written as the client accepts.
    private func apiError(for error: ServerError, request: Request, context: Context) -> APIError {
        if error.operationInput == nil {
            return APIError.request(error, request: request, parameters: context.parameters)
        }
        if error.operationOutput != nil, error.httpStatus == .notAcceptable || error.httpStatus == .badRequest {
            return APIError(
                error.httpStatus == .notAcceptable ? .notAcceptable : .badRequest, code: "not_acceptable",
                message: "Accept allows no content type this route answers with: \(error.causeDescription)",
                field: "Accept"
            )
        }
        return apiError(for: error.underlyingError, request: request, context: context)
    }

    private func translate(_ error: HTTPError, request: Request, context: Context) -> APIError {
        switch error.status {
        case .notFound:
            let methods = contract.methods(matching: request.uri.path)
            if !methods.isEmpty {
                let allow = methods.map(\.rawValue).joined(separator: ", ")
                return APIError(
                    .methodNotAllowed, code: "method_not_allowed", message: "\(request.method.rawValue) is not allowed here; allowed: \(allow)",
                    headers: [.allow: allow]
                )
            }
            return APIError(.notFound, code: "route_not_found", message: "no route \(request.method.rawValue) \(request.uri.path)")
        case .contentTooLarge:
            return APIError(.contentTooLarge, code: "body_too_large", message: error.body ?? "the request body is too large")
        default:
            let code = error.status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "_")
            return APIError(error.status, code: code, message: error.body ?? error.status.reasonPhrase, headers: error.headers)
        }
    }
}
