import Foundation
import Synchronization
import VaneDecisions
import VaneRelated

/// Request counters and latency histograms, rendered in the Prometheus text format (0.0.4).
///
/// Routes are labelled by their pattern (`/v1/related/{item}`), never the raw path, so the number
/// of series stays bounded whatever clients send. Recording is O(buckets) under a lock.
public final class ServingMetrics: Sendable {
    /// Upper bounds of the latency buckets, seconds.
    public static let latencyBuckets: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]

    struct Histogram {
        var bucketCounts = [Int](repeating: 0, count: ServingMetrics.latencyBuckets.count)
        var count = 0
        var sum = 0.0
    }

    struct State {
        var requests: [String: [Int: Int]] = [:]
        var latencies: [String: Histogram] = [:]
        var reloads: [String: Int] = [:]
        /// `/v1/related` answers by where they came from ("index", "scan").
        var relatedAnswers: [String: Int] = [:]
        /// Exact scans: batches run and queries in them.
        var scanBatches = 0
        var scanQueries = 0
        /// 8-bit scans: items rescored in float32, and queries handed to the float32 scan.
        var scanRescored = 0
        var scanFallbacks = 0
        /// Labelled feedback on the serving policy, for the model set version it was given under.
        var feedback = PolicyFeedback(modelVersion: 0)
    }

    /// Feedback counts of the serving policy since its model set was loaded.
    public struct PolicyFeedback: Sendable, Equatable {
        public var modelVersion: Int
        public var outcomes = 0
        public var accepted = 0
        public var truePositives = 0

        /// The drift check of `policy` on these counts: P(Bin(accepted, target) <= true positives),
        /// and whether it falls below the policy's level (its delta, or 0.05).
        public func driftCheck(of policy: ThresholdPolicy) -> (pValue: Double, drifted: Bool) {
            let pValue = PrecisionBound.belowTargetPValue(truePositives: truePositives, accepted: accepted, target: policy.targetPrecision)
            return (pValue, pValue < policy.bound.driftLevel)
        }
    }

    private let state = Mutex(State())

    public init() {}

    /// The bounded route label of a request path.
    public static func routeLabel(path: String) -> String {
        if path.hasPrefix("/v1/related/") { return "/v1/related/{item}" }
        if path.hasPrefix("/v1/recommended-by/") { return "/v1/recommended-by/{item}" }
        switch path {
        case "/", "/v1/decide", "/v1/feedback", "/v1/items", "/v1/models", "/healthz", "/ping", "/metrics", "/admin/reload": return path
        default: return "other"
        }
    }

    public func record(route: String, status: Int, seconds: Double) {
        state.withLock { state in
            state.requests[route, default: [:]][status, default: 0] += 1
            var histogram = state.latencies[route] ?? Histogram()
            for (k, bound) in Self.latencyBuckets.enumerated() where seconds <= bound { histogram.bucketCounts[k] += 1 }
            histogram.count += 1
            histogram.sum += seconds
            state.latencies[route] = histogram
        }
    }

    public func recordReload(succeeded: Bool) {
        state.withLock { $0.reloads[succeeded ? "ok" : "failed", default: 0] += 1 }
    }

    /// Counts one `/v1/related` answer, from the index or from an exact scan.
    public func recordRelatedAnswer(fromIndex: Bool) {
        state.withLock { $0.relatedAnswers[fromIndex ? "index" : "scan", default: 0] += 1 }
    }

    /// Counts one batched exact scan of `size` queries and, for an 8-bit scan, what it did.
    public func recordScanBatch(size: Int, statistics: CompactTargetScan.Statistics? = nil) {
        state.withLock { state in
            state.scanBatches += 1
            state.scanQueries += size
            state.scanRescored += statistics?.rescored ?? 0
            state.scanFallbacks += statistics?.fallbacks ?? 0
        }
    }

    /// Adds labelled outcomes (accepted by the policy or not, and converted) to the counts of model
    /// set `version`; counts of an older version are dropped. Returns the updated counts.
    public func recordFeedback(version: Int, outcomes: Int, accepted: Int, truePositives: Int) -> PolicyFeedback {
        state.withLock { state in
            if state.feedback.modelVersion != version { state.feedback = PolicyFeedback(modelVersion: version) }
            state.feedback.outcomes += outcomes
            state.feedback.accepted += accepted
            state.feedback.truePositives += truePositives
            return state.feedback
        }
    }

    /// Requests counted so far for a route and status (tests).
    public func requestCount(route: String, status: Int) -> Int {
        state.withLock { $0.requests[route]?[status] ?? 0 }
    }

    /// The exposition text; `models` adds the version and load time of what is serving.
    public func prometheusText(models: ServingModels) -> String {
        let snapshot = state.withLock { $0 }
        var lines: [String] = []
        lines.append("# HELP vane_requests_total HTTP requests by route and status.")
        lines.append("# TYPE vane_requests_total counter")
        for route in snapshot.requests.keys.sorted() {
            for status in snapshot.requests[route]!.keys.sorted() {
                lines.append("vane_requests_total{route=\"\(route)\",status=\"\(status)\"} \(snapshot.requests[route]![status]!)")
            }
        }
        lines.append("# HELP vane_request_duration_seconds Request latency by route.")
        lines.append("# TYPE vane_request_duration_seconds histogram")
        for route in snapshot.latencies.keys.sorted() {
            let histogram = snapshot.latencies[route]!
            for (k, bound) in Self.latencyBuckets.enumerated() {
                lines.append("vane_request_duration_seconds_bucket{route=\"\(route)\",le=\"\(bound)\"} \(histogram.bucketCounts[k])")
            }
            lines.append("vane_request_duration_seconds_bucket{route=\"\(route)\",le=\"+Inf\"} \(histogram.count)")
            lines.append("vane_request_duration_seconds_sum{route=\"\(route)\"} \(histogram.sum)")
            lines.append("vane_request_duration_seconds_count{route=\"\(route)\"} \(histogram.count)")
        }
        lines.append("# HELP vane_model_reloads_total Model reloads by outcome.")
        lines.append("# TYPE vane_model_reloads_total counter")
        for outcome in ["ok", "failed"] {
            lines.append("vane_model_reloads_total{outcome=\"\(outcome)\"} \(snapshot.reloads[outcome] ?? 0)")
        }
        lines.append("# HELP vane_related_answers_total /v1/related answers by source: the top-targets index or an exact scan.")
        lines.append("# TYPE vane_related_answers_total counter")
        for source in ["index", "scan"] {
            lines.append("vane_related_answers_total{source=\"\(source)\"} \(snapshot.relatedAnswers[source] ?? 0)")
        }
        lines.append("# HELP vane_related_scan_batches_total Batched exact scans run (one GEMM each).")
        lines.append("# TYPE vane_related_scan_batches_total counter")
        lines.append("vane_related_scan_batches_total \(snapshot.scanBatches)")
        lines.append("# HELP vane_related_scan_queries_total Queries answered by those scans (queries / batches = mean batch size).")
        lines.append("# TYPE vane_related_scan_queries_total counter")
        lines.append("vane_related_scan_queries_total \(snapshot.scanQueries)")
        lines.append("# HELP vane_related_scan_rescored_total Candidates 8-bit scans rescored in float32 (over queries: candidates per query).")
        lines.append("# TYPE vane_related_scan_rescored_total counter")
        lines.append("vane_related_scan_rescored_total \(snapshot.scanRescored)")
        lines.append("# HELP vane_related_scan_fallbacks_total Queries 8-bit scans could not certify and handed to the float32 scan.")
        lines.append("# TYPE vane_related_scan_fallbacks_total counter")
        lines.append("vane_related_scan_fallbacks_total \(snapshot.scanFallbacks)")
        lines.append("# HELP vane_model_version Version of the model set serving (1 at start, +1 per successful reload).")
        lines.append("# TYPE vane_model_version gauge")
        lines.append("vane_model_version \(models.version)")
        lines.append("# HELP vane_model_loaded_timestamp_seconds When the serving model set was loaded.")
        lines.append("# TYPE vane_model_loaded_timestamp_seconds gauge")
        lines.append("vane_model_loaded_timestamp_seconds \(models.loadedAt.timeIntervalSince1970)")
        lines.append("# HELP vane_model_info The models serving.")
        lines.append("# TYPE vane_model_info gauge")
        lines.append("vane_model_info{related=\"\(models.related?.method ?? "")\",conversion=\"\(models.conversion?.method.rawValue ?? "")\","
                     + "policy=\"\(models.policy?.kind.rawValue ?? "")\",related_index=\"\(models.relatedIndex.map { "top-\($0.count)" } ?? "")\"} 1")
        if let policy = models.policy {
            let feedback = snapshot.feedback.modelVersion == models.version ? snapshot.feedback : PolicyFeedback(modelVersion: models.version)
            let (pValue, drifted) = feedback.driftCheck(of: policy)
            lines.append("# HELP vane_policy_feedback_outcomes_total Labelled outcomes received by POST /v1/feedback since the model set was loaded.")
            lines.append("# TYPE vane_policy_feedback_outcomes_total counter")
            lines.append("vane_policy_feedback_outcomes_total \(feedback.outcomes)")
            lines.append("# HELP vane_policy_feedback_accepted_total Of those, the ones the serving policy accepts.")
            lines.append("# TYPE vane_policy_feedback_accepted_total counter")
            lines.append("vane_policy_feedback_accepted_total \(feedback.accepted)")
            lines.append("# HELP vane_policy_feedback_true_positives_total Accepted outcomes that converted.")
            lines.append("# TYPE vane_policy_feedback_true_positives_total counter")
            lines.append("vane_policy_feedback_true_positives_total \(feedback.truePositives)")
            lines.append("# HELP vane_policy_target_precision The precision the serving policy promises.")
            lines.append("# TYPE vane_policy_target_precision gauge")
            lines.append("vane_policy_target_precision \(policy.targetPrecision)")
            lines.append("# HELP vane_policy_below_target_p_value P(Bin(accepted, target) <= true positives) on the feedback: small means the promise no longer holds.")
            lines.append("# TYPE vane_policy_below_target_p_value gauge")
            lines.append("vane_policy_below_target_p_value \(pValue)")
            lines.append("# HELP vane_policy_drifted 1 when the p-value is below the policy's level (its delta, or 0.05).")
            lines.append("# TYPE vane_policy_drifted gauge")
            lines.append("vane_policy_drifted \(drifted ? 1 : 0)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
