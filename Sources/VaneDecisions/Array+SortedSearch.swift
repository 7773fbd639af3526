extension Array where Element == Double {
    /// In an ascending array, how many elements are at most `value` (the upper bound). O(log n).
    func countAtOrBelow(_ value: Double) -> Int {
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if self[middle] <= value { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// In an ascending array, how many elements are below `value` (the lower bound). O(log n).
    func countBelow(_ value: Double) -> Int {
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if self[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
