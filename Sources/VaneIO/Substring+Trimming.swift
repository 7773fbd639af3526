extension Substring {
    /// The text without leading and trailing spaces (tabs are field separators, so they stay).
    public func trimmingSpaces() -> Substring {
        var result = self
        while let first = result.first, first == " " { result.removeFirst() }
        while let last = result.last, last == " " { result.removeLast() }
        return result
    }
}
