// What a run of the client needs from its process: environment, input, output.

import Glibc

/// The process-facing side of one `fairwayctl` run, replaceable in tests.
///
/// The real context reads environment variables, files and standard input and
/// writes to file descriptors 1 and 2; a test context captures the output.
struct ClientContext {
    /// Environment variables (`FAIRWAY_SOCKET` is the one that matters).
    var environment: [String: String]
    /// Reads a whole file, or standard input for `nil`.
    var readInput: (_ path: String?) -> Result<[UInt8], InputError>
    /// Whether standard input is a terminal (then `submit` without a file refuses to wait on it).
    var standardInputIsTerminal: Bool
    /// Writes text to standard output.
    var writeOutput: (String) -> Void
    /// Writes text to standard error.
    var writeError: (String) -> Void

    /// The context of the running process.
    static func process() -> ClientContext {
        var environment: [String: String] = [:]
        if let value = getenv("FAIRWAY_SOCKET") {
            environment["FAIRWAY_SOCKET"] = String(cString: value)
        }
        return ClientContext(
            environment: environment,
            readInput: { path in InputError.readAll(path) },
            standardInputIsTerminal: isatty(0) == 1,
            writeOutput: { writeAll(1, $0) },
            writeError: { writeAll(2, $0) })
    }
}

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
        defer { if path != nil { close(fd) } }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n > 0 {
                bytes.append(contentsOf: chunk[0..<n])
            } else if n == 0 {
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

/// Writes all of `text` to a descriptor, retrying short writes and `EINTR`;
/// gives up quietly on other errors (a closed pipe, for instance).
private func writeAll(_ fd: Int32, _ text: String) {
    var bytes = Array(text.utf8)
    var offset = 0
    bytes.withUnsafeMutableBytes { buffer in
        while offset < buffer.count {
            let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
            if n > 0 {
                offset += n
            } else if n < 0 && errno == EINTR {
                continue
            } else {
                return
            }
        }
    }
}
