/// Text a loader reads line by line: a whole file in memory (`TextFile`) or a file streamed from
/// disk (`TextFileStream`). Both give the same lines, numbers and errors.
public protocol TextLineSource: Sendable {
    /// The path as given, used in error messages.
    var path: String { get }
    /// Calls `body` with each line's 1-based number and text, without its line terminator (`\n` or
    /// `\r\n`), a leading byte-order mark removed. Stops at the first error `body` throws; errors
    /// reading the text (invalid UTF-8, a truncated gzip stream) name the file.
    func forEachLine(_ body: (_ lineNumber: Int, _ line: Substring) throws(InputError) -> Void) throws(InputError)
}
