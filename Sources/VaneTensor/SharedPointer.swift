/// A raw pointer that may cross into `DispatchQueue.concurrentPerform` workers.
///
/// `@unchecked Sendable` is sound under the rule every user follows: the pointee outlives the
/// synchronous `concurrentPerform` call that uses it, workers only read shared inputs, and each
/// worker writes a range of the output that no other worker touches.
public struct SharedPointer<Element>: @unchecked Sendable {
    public let base: UnsafeMutablePointer<Element>

    public init(_ base: UnsafeMutablePointer<Element>) { self.base = base }
    public init(_ base: UnsafePointer<Element>) { self.base = UnsafeMutablePointer(mutating: base) }

    @inlinable public subscript(offset: Int) -> Element {
        get { base[offset] }
        nonmutating set { base[offset] = newValue }
    }

    @inlinable public static func + (pointer: SharedPointer, offset: Int) -> UnsafeMutablePointer<Element> {
        pointer.base + offset
    }
}
