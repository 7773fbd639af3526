import Foundation

/// A model directory as `save(to:)` methods write it: a JSON description beside binary files.
/// Reading goes through here so every model kind names the file at fault and what is wrong the
/// same way. Errors are `InputError` with the file as location; callers wrap them in their module's
/// `modelFile` code.
public struct ModelDirectory: Sendable {
    public let path: String
    /// The command that writes such directories, named when a file is missing (`vane graph train`).
    public let writtenBy: String

    public init(path: String, writtenBy: String) {
        self.path = path
        self.writtenBy = writtenBy
    }

    /// The path of `name` inside the directory.
    public func filePath(_ name: String) -> String { URL(fileURLWithPath: path).appendingPathComponent(name).path }

    /// The whole file `name`. O(file size).
    public func read(_ name: String) throws(InputError) -> Data {
        let file = filePath(name)
        guard let data = FileManager.default.contents(atPath: file) else {
            throw InputError(.unreadable, file: file, "cannot read (is \(path) a model directory from `\(writtenBy)`?)")
        }
        return data
    }

    /// Decodes the JSON description `data` read from `file`; the message names the field at fault.
    public static func decodeDescription<Description: Decodable>(_ type: Description.Type, from data: Data, file: String,
                                                                 format: String) throws(InputError) -> Description {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw InputError(.invalidValue, file: file, "not a \(format) model description: \(error.fieldMessage)")
        } catch {
            throw InputError(.invalidValue, file: file, "not a \(format) model description: \(error)")
        }
    }
}
