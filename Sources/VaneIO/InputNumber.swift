/// The one rule every loader applies to a number read from text: it parses, and it is finite.
///
/// Swift's `Double(_:)` accepts every spelling of a non-finite value (`inf`, `+infinity`, `nan`,
/// `-nan`) and turns an overflowing literal such as `1e309` into infinity, so finiteness is judged on
/// the parsed value, never on the text. O(length of the text).
public enum InputNumber: Sendable, Equatable {
    case finite(Double)
    /// Parsed, but infinite or NaN (an explicit `nan`, `inf`, or an overflow such as `1e309`).
    case nonFinite
    /// Not a number at all.
    case notANumber

    public init(_ text: Substring) {
        guard let value = Double(text) else { self = .notANumber; return }
        self = value.isFinite ? .finite(value) : .nonFinite
    }

    public init(_ text: String) { self.init(Substring(text)) }

    /// The value when finite.
    public var value: Double? {
        if case .finite(let value) = self { return value }
        return nil
    }
}
