import ArgumentParser

extension ValidationError {
    /// A library error's message under the flag the user typed: `flags` maps the configuration
    /// field the error names (`itemCount`) to its flag (`--items`); unmapped fields keep the message.
    init(_ message: String, field: String?, flags: [String: String]) {
        self.init(field.flatMap { flags[$0] }.map { "\($0): \(message)" } ?? message)
    }
}
