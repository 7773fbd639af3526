import Foundation
import Hummingbird
import VaneErrors

/// A request the server refuses, or a reload that failed: a stable code (which sets the HTTP status)
/// and a message naming the field at fault. Rendered as `{"error": {"code": ..., "message": ...}}`.
public typealias ServingError = VaneError<ServingErrorCode>

/// The codes of `ServingError`.
public enum ServingErrorCode: String, VaneErrorCode, Codable {
    case notFound = "not-found"
    case unknownItem = "unknown-item"
    case badRequest = "bad-request"
    case methodNotAllowed = "method-not-allowed"
    case payloadTooLarge = "payload-too-large"
    /// A fault of the server, never of the request; logged with its cause.
    case internalError = "internal-error"
    case modelUnavailable = "model-unavailable"
    case reloadFailed = "reload-failed"
}

// Hummingbird renders serving errors with their status (VaneError is this package's own type).
extension VaneError: ResponseGenerator where Code == ServingErrorCode {}
extension VaneError: HTTPResponseError where Code == ServingErrorCode {
    public var status: HTTPResponse.Status {
        switch code {
        case .notFound, .unknownItem: .notFound
        case .badRequest: .badRequest
        case .methodNotAllowed: .methodNotAllowed
        case .payloadTooLarge: .contentTooLarge
        case .internalError: .internalServerError
        case .modelUnavailable: .serviceUnavailable
        // The reload request was understood but the files it points at do not form a valid model
        // set; nothing changed (the previous set keeps serving), so it is not a server fault.
        case .reloadFailed: .unprocessableContent
        }
    }

    struct Body: Codable {
        struct Detail: Codable {
            let code: Code
            let message: String
        }
        let error: Detail
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let data = try JSONEncoder().encode(Body(error: .init(code: code, message: message)))
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
