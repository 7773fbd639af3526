import Hummingbird
import Logging

/// Turns every error a request can end in into the server's JSON error shape
/// (`{"error": {"code", "message"}}`): Hummingbird's own (no route: 404, wrong method: 405, body too
/// large: 413, malformed head: 400) and any unexpected one (500, message without internals).
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as ServingError {
            throw error
        } catch let error as any HTTPResponseError {
            let path = String(request.uri.path.prefix(200))
            switch error.status.code {
            case 404: throw ServingError(.notFound, "no route \(request.method) \(path); routes: GET /v1/related/{item}, POST /v1/decide, GET /healthz, GET /metrics, GET /ping, POST /admin/reload")
            case 405: throw ServingError(.methodNotAllowed, "\(request.method) is not allowed on \(path)")
            case 413: throw ServingError(.payloadTooLarge, "request body too large")
            case 400..<500: throw ServingError(.badRequest, "request refused (\(error.status.code) \(error.status.reasonPhrase))")
            default: throw ServingError(.internalError, "the server could not answer (\(error.status.code))")
            }
        } catch {
            logger.error("unexpected error", metadata: ["path": "\(request.uri.path.prefix(200))", "error": "\(error)"])
            throw ServingError(.internalError, "the server could not answer this request; it is logged")
        }
    }
}
