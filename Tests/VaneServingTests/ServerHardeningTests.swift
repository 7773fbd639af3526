import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOPosix
import Testing
import VaneConversions
import VaneDecisions
@testable import VaneServing

/// What a hostile client or a broken file on disk can do to a running server: never a 5xx from a
/// request, always a JSON error, never a broken model set swapped in.
@Suite("Server hardening")
struct ServerHardeningTests {
    func errorCode(_ response: TestResponse) -> String? {
        let object = (try? JSONSerialization.jsonObject(with: Data(buffer: response.body))) as? [String: Any]
        return (object?["error"] as? [String: Any])?["code"] as? String
    }

    @Test func unknownRoutesAndMethodsAnswerJSON() async throws {
        let application = Application(router: ServingRoutes.router(store: try ServingFixtures.store(), metrics: ServingMetrics()))
        try await application.test(.router) { client in
            try await client.execute(uri: "/nowhere", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType] == "application/json")
                #expect(errorCode(response) == "not-found")
            }
            try await client.execute(uri: "/v1/decide", method: .get) { response in
                #expect(response.status.code == 404 || response.status.code == 405)
                #expect(errorCode(response) != nil)
            }
        }
    }

    /// Writes the fixture models to disk so reloads read files.
    func modelFiles() throws -> (ModelPaths, String) {
        let directory = ServingFixtures.temporaryDirectory()
        try ServingFixtures.relatedModel().save(to: directory + "/related")
        try ServingFixtures.conversionModel().save(to: directory + "/conversion")
        try ServingFixtures.policy().jsonData().write(to: URL(fileURLWithPath: directory + "/policy.json"))
        return (ModelPaths(related: directory + "/related", conversions: directory + "/conversion", policy: directory + "/policy.json"), directory)
    }

    @Test(arguments: ["short-thresholds", "empty-calibration", "hash-buckets", "zero-deviation"])
    func reloadOfABrokenSetKeepsTheOldOneServing(breakage: String) async throws {
        let (paths, directory) = try modelFiles()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try ModelStore(paths: paths)
        let application = Application(router: ServingRoutes.router(store: store, metrics: ServingMetrics()))
        func edit(_ path: String, _ change: (inout [String: Any]) -> Void) throws {
            var object = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
            change(&object)
            try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: path))
        }
        switch breakage {
        case "short-thresholds": try edit(paths.policy!) { $0["scoreThresholds"] = Array(($0["scoreThresholds"] as! [Any]).prefix(1)) }
        case "empty-calibration": try edit(paths.policy!) { var c = $0["calibrations"] as! [[String: Any]]
                                                          c[0] = ["blockStarts": [Double](), "values": [Double]()]; $0["calibrations"] = c }
        case "hash-buckets": try edit(paths.conversions! + "/conversion.json") { var e = $0["encoder"] as! [String: Any]; e["hashBuckets"] = 0; $0["encoder"] = e }
        default: try edit(paths.conversions! + "/conversion.json") { var e = $0["encoder"] as! [String: Any]
                                                                    e["numericStatistics"] = ["price": ["mean": 20.0, "deviation": 0.0]]; $0["encoder"] = e }
        }
        try await application.test(.router) { client in
            try await client.execute(uri: "/admin/reload", method: .post) { response in
                #expect(response.status == .unprocessableContent)
                #expect(errorCode(response) == "reload-failed")
            }
            let body = #"{"rows": [{"item": "i1", "features": {"price": 30, "device": "mobile"}}]}"#
            try await client.execute(uri: "/v1/decide", method: .post, body: ByteBuffer(string: body)) { response in
                #expect(response.status == .ok, "\(breakage)")
            }
        }
        #expect(store.models.version == 1)
    }

    @Test func idleConnectionsAreClosed() async throws {
        var configuration = ServingConfiguration()
        configuration.idleTimeoutSeconds = 0.3
        let application = ServingApplication.make(store: try ServingFixtures.store(), metrics: ServingMetrics(), configuration: configuration,
                                                  host: "127.0.0.1", port: 0, logger: Logger(label: "test"))
        try await application.test(.live) { client in
            let port = try #require(client.port)
            // A client that opens a connection and sends half a request head, then nothing.
            let socket = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(host: "127.0.0.1", port: port).get()
            try await socket.writeAndFlush(ByteBuffer(string: "GET /ping HTTP/1.1\r\nHost: x\r\n")).get()
            let closed = socket.closeFuture
            let started = ContinuousClock.now
            try await closed.get()
            #expect(ContinuousClock.now - started < .seconds(5))
        }
    }
}

@Suite("Server hardening, live")
struct LiveServerHardeningTests {
    @Test func aBrokenChunkedBodyIsABadRequestNotAServerError() async throws {
        let application = ServingApplication.make(store: try ServingFixtures.store(), metrics: ServingMetrics(), configuration: ServingConfiguration(),
                                                  host: "127.0.0.1", port: 0, logger: Logger(label: "test"))
        try await application.test(.live) { client in
            let port = try #require(client.port)
            let reply = try await rawExchange(port: port, "POST /v1/decide HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")
            #expect(reply.hasPrefix("HTTP/1.1 400"), "\(reply)")
            #expect(reply.contains("\"bad-request\""))
        }
    }
}

/// Sends raw bytes on a fresh connection and returns the first reply (until the server closes or 2 s pass).
func rawExchange(port: Int, _ text: String) async throws -> String {
    let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: port) { channel in
        channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
    }
    return try await channel.executeThenClose { inbound, outbound in
        try await outbound.write(ByteBuffer(string: text))
        var reply = ""
        for try await buffer in inbound {
            reply += String(buffer: buffer)
            if reply.contains("\r\n\r\n"), reply.contains("}") { break }
        }
        return reply
    }
}
