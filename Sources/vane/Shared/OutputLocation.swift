import ArgumentParser
import Foundation

/// Checks where a command will write before it starts its work, so a bad `--out` fails at once with
/// the flag and the reason instead of a raw Foundation error after minutes of training.
enum OutputLocation {
    /// Creates `path` as a directory if needed and checks it is writable.
    static func directory(_ path: String, option: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw ValidationError("\(option) \(path): exists and is a file, expected a directory") }
        } else {
            do {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            } catch {
                throw ValidationError("\(option) \(path): cannot create the directory (\(reason(error)))")
            }
        }
        guard FileManager.default.isWritableFile(atPath: path) else { throw ValidationError("\(option) \(path): the directory is not writable") }
    }

    /// Checks that a file can be written at `path`: its folder exists and is writable, and it is not a directory.
    static func file(_ path: String, option: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw ValidationError("\(option) \(path): is a directory, expected a file name")
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("\(option) \(path): the folder \(folder) does not exist")
        }
        guard FileManager.default.isWritableFile(atPath: folder) else { throw ValidationError("\(option) \(path): the folder \(folder) is not writable") }
    }

    private static func reason(_ error: any Error) -> String {
        let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
        return underlying.map { String(cString: strerror(Int32($0.code))) } ?? error.localizedDescription
    }
}
