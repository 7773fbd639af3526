extension ClickLog {
    /// What a log looks like, for checking a simulator against the facts it is calibrated to:
    /// conversion rate within the attribution window, delay quantiles, and how often buyers and
    /// others engaged. O(clicks + events + conversions log conversions).
    public struct Facts: Sendable, Codable, Equatable {
        public let clicks: Int
        public let conversionRate: Double
        /// Delay from click to conversion, hours: median, 90th percentile (conversions within attribution).
        public let medianDelayHours: Double
        public let p90DelayHours: Double
        /// Share of conversions later than the waiting window.
        public let lateShare: Double
        /// P(cart add | converts) and P(cart add | does not).
        public let cartRateOfBuyers: Double
        public let cartRateOfOthers: Double
        public let eventsPerClick: Double

        /// Field-by-field means over several logs (one per seed; nil for none). O(logs).
        public static func mean(of facts: [Facts]) -> Facts? {
            guard !facts.isEmpty else { return nil }
            func average(_ value: (Facts) -> Double) -> Double { facts.reduce(0) { $0 + value($1) } / Double(facts.count) }
            return Facts(clicks: facts.reduce(0) { $0 + $1.clicks } / facts.count, conversionRate: average(\.conversionRate),
                         medianDelayHours: average(\.medianDelayHours), p90DelayHours: average(\.p90DelayHours), lateShare: average(\.lateShare),
                         cartRateOfBuyers: average(\.cartRateOfBuyers), cartRateOfOthers: average(\.cartRateOfOthers),
                         eventsPerClick: average(\.eventsPerClick))
        }
    }

    /// The facts of this log for a waiting window and an attribution window, hours.
    public func facts(windowHours: Double, attributionHours: Double) -> Facts {
        var local = LocalReplayContext()
        return facts(windowHours: windowHours, attributionHours: attributionHours, shards: &local)
    }

    /// The facts of the whole log a job's ranks hold in shards (this one rank's): counts summed,
    /// conversion delays concatenated, so every rank returns what one process holding every click
    /// would. Collective.
    public func facts<Shards: ReplayShardContext>(windowHours: Double, attributionHours: Double,
                                                  shards: inout Shards) throws(Shards.Failure) -> Facts {
        var delays: [Double] = [], late = 0, buyersCarting = 0, othersCarting = 0
        for i in 0..<count {
            let carted = engagement.counts(of: i, by: .infinity).carts > 0
            if converts(i, within: attributionHours) {
                let delay = conversionTimes[i] - clickTimes[i]
                delays.append(delay)
                if delay > windowHours { late += 1 }
                if carted { buyersCarting += 1 }
            } else if carted {
                othersCarting += 1
            }
        }
        var counts = [Double(count), Double(late), Double(buyersCarting), Double(othersCarting), Double(engagement.count)]
        try shards.sum(&counts)
        delays = try shards.concatenate(delays)
        delays.sort()
        let clicks = Int(counts[0]), buyers = delays.count, others = clicks - buyers
        func quantile(_ q: Double) -> Double { delays.isEmpty ? .nan : delays[min(delays.count - 1, Int(q * Double(delays.count)))] }
        return Facts(clicks: clicks, conversionRate: Double(buyers) / Double(max(1, clicks)), medianDelayHours: quantile(0.5),
                     p90DelayHours: quantile(0.9), lateShare: counts[1] / Double(max(1, buyers)),
                     cartRateOfBuyers: counts[2] / Double(max(1, buyers)), cartRateOfOthers: counts[3] / Double(max(1, others)),
                     eventsPerClick: counts[4] / Double(max(1, clicks)))
    }
}
