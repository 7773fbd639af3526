#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A file mapped read-only into memory (`mmap(PROT_READ, MAP_PRIVATE)`): its pages are read on
/// first touch and shared with the page cache, so a large lookup table costs no heap copy and a
/// second process serving the same file shares its memory.
///
/// The mapping lives as long as this object and is unmapped in `deinit`. An empty file maps to an
/// empty buffer (mmap refuses length 0). O(1) to open; pages fault in as they are read.
public final class MappedFile: @unchecked Sendable {
    // @unchecked Sendable: the mapping is PROT_READ and never written through `bytes`, its address
    // and length are set once in init and never change, and it is unmapped only in deinit, when no
    // other reference can exist. Concurrent reads of immutable memory are safe.

    /// The path as given, for messages.
    public let path: String
    /// The file's bytes; valid while this object lives.
    public let bytes: UnsafeRawBufferPointer

    /// Maps `path`; errors name the file and the system's reason.
    public init(path: String) throws(InputError) {
        self.path = path
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            throw InputError(errno == ENOENT ? .fileNotFound : .unreadable, file: path, "cannot open: \(reason)")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw InputError(.unreadable, file: path, "cannot stat: \(String(cString: strerror(errno)))")
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else { throw InputError(.unreadable, file: path, "is not a regular file") }
        let length = Int(status.st_size)
        guard length > 0 else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        guard let address = mmap(nil, length, PROT_READ, MAP_PRIVATE, descriptor, 0), address != MAP_FAILED else {
            throw InputError(.unreadable, file: path, "cannot map into memory: \(String(cString: strerror(errno)))")
        }
        bytes = UnsafeRawBufferPointer(start: address, count: length)
    }

    deinit {
        if let address = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: address), bytes.count) }
    }
}
