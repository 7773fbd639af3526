/// What a user did with a clicked item after the click, with times: views, cart adds, favourites.
///
/// Stored per click in compressed rows (`offsets[i]..<offsets[i + 1]` are click i's events), each
/// click's events sorted by time, so "what had happened by time t" is a prefix and a stream rule can
/// never read an event before its time. Memory O(events); `counts(of:by:)` is O(events of the click).
public struct EngagementEvents: Sendable, Equatable {
    /// The kinds of engagement a log may carry; the Vane format's column for each is `<kind>_times`.
    public enum Kind: UInt8, Sendable, CaseIterable {
        case view
        case cart
        case favourite

        /// The Vane CSV column holding this kind's times (semicolon-separated hours).
        public var column: String {
            switch self {
            case .view: "view_times"
            case .cart: "cart_times"
            case .favourite: "favourite_times"
            }
        }
    }

    /// How many events of each kind a click had by some time.
    public struct Counts: Sendable, Equatable {
        public var views = 0
        public var carts = 0
        public var favourites = 0
        public init(views: Int = 0, carts: Int = 0, favourites: Int = 0) {
            self.views = views
            self.carts = carts
            self.favourites = favourites
        }
    }

    public let offsets: [Int]
    public let times: [Double]
    public let kinds: [Kind]

    public var clickCount: Int { offsets.count - 1 }
    public var count: Int { times.count }

    /// No events for `clicks` clicks (Criteo-format logs, logs without engagement columns).
    public static func none(clicks: Int) -> EngagementEvents {
        EngagementEvents(sortedOffsets: [Int](repeating: 0, count: clicks + 1), times: [], kinds: [])
    }

    private init(sortedOffsets: [Int], times: [Double], kinds: [Kind]) {
        offsets = sortedOffsets
        self.times = times
        self.kinds = kinds
    }

    /// Builds the rows from per-click lists of (time, kind) in any order; each click's list is sorted
    /// by time (ties keep their order). O(events log events).
    public init(perClick: [[(time: Double, kind: Kind)]]) {
        var offsets = [0], times: [Double] = [], kinds: [Kind] = []
        offsets.reserveCapacity(perClick.count + 1)
        for events in perClick {
            let sorted = events.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }
            for (_, event) in sorted {
                times.append(event.time)
                kinds.append(event.kind)
            }
            offsets.append(times.count)
        }
        self.init(sortedOffsets: offsets, times: times, kinds: kinds)
    }

    /// Click `click`'s events, as indices into `times` and `kinds`.
    @inlinable public func events(of click: Int) -> Range<Int> { offsets[click]..<offsets[click + 1] }

    /// Events of each kind click `click` had at or before `time`. O(events of the click).
    public func counts(of click: Int, by time: Double) -> Counts {
        var counts = Counts()
        for e in events(of: click) {
            guard times[e] <= time else { break }
            switch kinds[e] {
            case .view: counts.views += 1
            case .cart: counts.carts += 1
            case .favourite: counts.favourites += 1
            }
        }
        return counts
    }

    /// The same rows with every event later than `cutoff(click)` replaced by `replacement(click)`'s
    /// events (tests: a stream that reads only the past cannot notice). O(events).
    func replacingEvents(after cutoff: (Int) -> Double,
                         with replacement: (Int) -> [(time: Double, kind: Kind)]) -> EngagementEvents {
        EngagementEvents(perClick: (0..<clickCount).map { click in
            events(of: click).filter { times[$0] <= cutoff(click) }.map { (times[$0], kinds[$0]) }
                + replacement(click).filter { $0.time > cutoff(click) }
        })
    }
}
