import ArgumentParser
import Dispatch
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import VaneRelated
import VaneServing

/// `vane serve`: related items and uncertainty-aware decisions over HTTP.
extension Logger.Level: @retroactive ExpressibleByArgument {}
extension TargetScanEncoding: ExpressibleByArgument {}

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve related items and conversion decisions over HTTP.",
        discussion: """
        Open http://HOST:PORT/ in a browser to search items, see what each recommends and what \
        recommends it, and (with --conversions and --policy) how the policy decides on each suggestion.

        Routes:
          GET  /            the browser page (self-contained; uses only the routes below)
          GET  /v1/items?q=TEXT&limit=20   search names and titles;  ?names=a,b   look items up
          GET  /v1/recommended-by/{item}?k=10   items showing {item} in their top 10 (needs the index)
          GET  /v1/models   what is serving: methods, feature columns, the policy's thresholds
          GET  /v1/related/{item}?k=10&exclude=a,b   best targets for an item (needs --related); answered from
                            the model's top-targets.bin when it holds the exact answer, else by a scan
                            batched with concurrent ones (--scan-batch, --scan-embeddings)
          POST /v1/decide   {"rows": [{"item": "x", "features": {"device": "mobile"}}]}
                            score, uncertainty and accept/reject per row (needs --conversions; --policy to decide)
          GET  /healthz     model versions;   GET /metrics   Prometheus text;   GET /ping   constant body
          POST /admin/reload  (or SIGHUP)     re-read the model files; a failed load keeps the old models serving

        SIGTERM or SIGINT stops gracefully: requests in flight finish first. Errors are JSON:
        {"error": {"code": "unknown-item", "message": "..."}}.

        Example:
          vane graph train --edges ../shared/data/cora-ml.edges.tsv --out models/related
          vane serve --related models/related --port 8080
          curl 'http://127.0.0.1:8080/v1/related/some-item?k=5'
        """
    )

    @Option(help: "Related-items model directory (vane graph train --out).")
    var related: String?

    @Option(help: "Conversion model directory (vane conversions train --out).")
    var conversions: String?

    @Option(help: "Decision policy file (vane thresholds fit --out).")
    var policy: String?

    @Option(help: "Node attribute file of the related model's items (id first, then attributes; a first # line names the columns, a title column is shown): titles in search, /v1/items and the page.")
    var nodes: String?

    @Option(help: "Address to bind. The admin route has no authentication: keep it on loopback or behind a proxy.")
    var host = "127.0.0.1"

    @Option(help: "Port.")
    var port = 8080

    @Option(help: "Largest k of /v1/related.")
    var maxK = 100

    @Option(help: "Most rows per /v1/decide request.")
    var maxRows = 1_000

    @Option(name: .customLong("idle-timeout"), help: "Seconds a connection may go without completing a request part (header or body chunk) before it is closed.")
    var idleTimeout = 30.0

    @Option(name: .customLong("max-connections"), help: "Connections served at once; more wait in the listen backlog.")
    var maxConnections = 1_024

    @Option(name: .customLong("scan-batch"), help: "Most exact related-items scans (requests the top-targets index cannot answer) computed together in one matrix product; 1 scans each alone.")
    var scanBatch = 64

    @Option(name: .customLong("scan-embeddings"), help: ArgumentHelp(
        "How exact scans read the target embeddings: int8 or float32.",
        discussion: "int8 scores every item from 8-bit copies (a quarter of the bytes), bounds their error, and rescores in float32 the few items the bound cannot rule out: the same answers as float32 (scores equal up to float rounding), several times faster. float32 reads the embeddings themselves."))
    var scanEmbeddings = TargetScanEncoding.int8

    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical.")
    var logLevel = Logger.Level.info

    func validate() throws {
        guard related != nil || conversions != nil else { throw ValidationError("give --related DIR, --conversions DIR, or both") }
        guard nodes == nil || related != nil else { throw ValidationError("--nodes describes the items of --related DIR; give both") }
        guard (1...65535).contains(port) else { throw ValidationError("--port must be 1...65535, got \(port)") }
        guard idleTimeout >= 0.1, idleTimeout <= 3600 else { throw ValidationError("--idle-timeout must be 0.1 to 3600 seconds, got \(idleTimeout)") }
        guard maxConnections >= 1 else { throw ValidationError("--max-connections must be at least 1, got \(maxConnections)") }
        guard maxK >= 1 else { throw ValidationError("--max-k must be at least 1, got \(maxK)") }
        guard (1...4096).contains(scanBatch) else { throw ValidationError("--scan-batch must be 1...4096, got \(scanBatch)") }
        guard maxRows >= 1 else { throw ValidationError("--max-rows must be at least 1, got \(maxRows)") }
    }

    func run() async throws {
        var logger = Logger(label: "vane.serve")
        logger.logLevel = logLevel
        var limits = ServingConfiguration()
        limits.maximumCount = maxK
        limits.maximumDecideRows = maxRows
        limits.defaultCount = min(limits.defaultCount, maxK)
        limits.idleTimeoutSeconds = idleTimeout
        limits.maximumConnections = maxConnections
        limits.maximumScanBatch = scanBatch
        do { try limits.validate() } catch { throw ValidationError(error.message) }

        let store: ModelStore
        do {
            store = try ModelStore(paths: ModelPaths(related: related, conversions: conversions, policy: policy, nodes: nodes),
                                   scanEncoding: scanEmbeddings)
        } catch {
            throw ValidationError(error.message)
        }
        let models = store.models
        logger.info("models loaded", metadata: [
            "related_items": "\(models.related?.itemCount ?? 0)",
            "related_index": "\(models.relatedIndex.map { "top \($0.count) per item" } ?? "none: every request scans (vane graph index)")",
            "scan_embeddings": "\(models.related == nil ? "none" : scanEmbeddings.rawValue)", "conversion": "\(models.conversion?.method.rawValue ?? "none")",
            "policy": "\(models.policy?.kind.rawValue ?? "none")",
        ])
        let metrics = ServingMetrics()

        // SIGHUP reloads, like the admin route.
        signal(SIGHUP, SIG_IGN)
        let hangup = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        hangup.setEventHandler {
            do throws(ServingError) {
                let reloaded = try store.reload()
                metrics.recordReload(succeeded: true)
                logger.info("models reloaded on SIGHUP", metadata: ["version": "\(reloaded.version)"])
            } catch {
                metrics.recordReload(succeeded: false)
                logger.error("reload on SIGHUP failed; the previous models keep serving", metadata: ["reason": "\(error.message)"])
            }
        }
        hangup.resume()

        let application = ServingApplication.make(store: store, metrics: metrics, configuration: limits, host: host, port: port, logger: logger)
        let services = ServiceGroup(configuration: .init(services: [application], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        logger.info("serving", metadata: ["url": "http://\(host):\(port)", "try": "curl http://\(host):\(port)/healthz"])
        try await services.run()
        hangup.cancel()
        logger.info("stopped")
    }
}
