// A file or standard input that could not be read, and errno texts.

import FairwayPOSIX
import Glibc

/// A file or standard input that could not be read.
struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The path, or `nil` for standard input.
    var path: String?
    /// The `errno` of the failed call.
    var errorNumber: Int32

    var description: String {
        "cannot read \(path ?? "standard input"): \(systemErrorText(errorNumber))"
    }

    /// Reads a whole file (or standard input for `nil`) with `read(2)`.
    static func readAll(_ path: String?) -> Result<[UInt8], InputError> {
        let fd: Int32
        if let path {
            fd = open(path, O_RDONLY | O_CLOEXEC)
            if fd < 0 { return .failure(InputError(path: path, errorNumber: errno)) }
        } else {
            fd = 0
        }
        // A file we opened is closed exactly once, and a failed close is reported.
        let owned = path == nil ? nil : FileDescriptor(owning: fd)
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n > 0 {
                bytes.append(contentsOf: chunk[0..<n])
            } else if n == 0 {
                do {
                    try owned?.close()
                } catch {
                    return .failure(InputError(path: path, errorNumber: error.errno))
                }
                return .success(bytes)
            } else if errno != EINTR {
                return .failure(InputError(path: path, errorNumber: errno))
            }
        }
    }
}

/// The text `strerror` gives for an `errno` value.
func systemErrorText(_ number: Int32) -> String {
    guard let text = strerror(number) else { return "error \(number)" }
    return String(cString: text)
}
