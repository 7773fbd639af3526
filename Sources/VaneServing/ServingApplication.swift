import Hummingbird
import HummingbirdCore
import NIOCore
import Logging

/// The whole HTTP server of `vane serve` as one value: the routes over a model store, bound to an
/// address, with the connection limits of `ServingConfiguration` (idle/header timeout, most open
/// connections). The executable and the tests run the same thing.
public enum ServingApplication {
    public static func make(store: ModelStore, metrics: ServingMetrics, configuration: ServingConfiguration,
                            host: String, port: Int, logger: Logger) -> some ApplicationProtocol {
        let router = ServingRoutes.router(store: store, metrics: metrics, configuration: configuration, logger: logger)
        let timeout = TimeAmount.milliseconds(Int64(configuration.idleTimeoutSeconds * 1000))
        return Application(router: router, server: .http1(configuration: .init(idleTimeout: timeout)),
                           configuration: .init(address: .hostname(host, port: port), serverName: "vane",
                                                availableConnectionsDelegate: MaximumAvailableConnections(configuration.maximumConnections, logger: logger)),
                           logger: logger)
    }
}
