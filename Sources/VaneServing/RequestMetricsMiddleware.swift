import Foundation
import Hummingbird
import Logging

/// Times every request, counts it by route and status, and logs it (debug; errors at warning or
/// error) with structured metadata. Errors are re-thrown untouched for Hummingbird to render.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServingMetrics
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let route = ServingMetrics.routeLabel(path: request.uri.path)
        func seconds() -> Double {
            let elapsed = ContinuousClock.now - started
            return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        }
        do {
            let response = try await next(request, context)
            metrics.record(route: route, status: Int(response.status.code), seconds: seconds())
            logger.debug("request", metadata: ["method": "\(request.method)", "path": "\(request.uri.path)", "status": "\(response.status.code)"])
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            metrics.record(route: route, status: status, seconds: seconds())
            let metadata: Logger.Metadata = ["method": "\(request.method)", "path": "\(request.uri.path)", "status": "\(status)", "reason": "\(error)"]
            if status >= 500 { logger.error("request failed", metadata: metadata) } else { logger.warning("request refused", metadata: metadata) }
            throw error
        }
    }
}
