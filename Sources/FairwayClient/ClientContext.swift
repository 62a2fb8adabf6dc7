// What a run of the client needs from its process: environment, input, output.

import FairwayCore
import FairwayPOSIX
import Glibc
import Synchronization

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
    /// Writes a whole file into a directory (created when missing); the
    /// problem, for a person, when it cannot.
    var writeFile: (_ text: String, _ name: String, _ directory: String) -> String? = { text, name, directory in
        do {
            try FileOutput.write(text, named: name, in: directory)
            return nil
        } catch {
            return "cannot write \(name) in \(directory): \(error)"
        }
    }
    /// Whether standard output is a terminal (then a report draws its chart).
    var standardOutputIsTerminal = false
    /// Whether standard error is a terminal (then a long submit shows its progress).
    var standardErrorIsTerminal = false
    /// Whether a write to standard output failed (a closed pipe): a stream
    /// such as `watch` ends then instead of reading on for nobody.
    var outputFailed: () -> Bool = { false }
    /// The wall clock (`sample` dates its orders from it).
    var now: () -> Timestamp = ClientContext.wallClock

    /// The real-time clock, to the millisecond.
    static func wallClock() -> Timestamp { Timestamp(milliseconds: WallClock.milliseconds()) }

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
            writeOutput: { if !writeAll(1, $0) { standardOutputFailed.store(true, ordering: .relaxed) } },
            writeError: { _ = writeAll(2, $0) }, standardOutputIsTerminal: isatty(1) == 1, standardErrorIsTerminal: isatty(2) == 1,
            outputFailed: { standardOutputFailed.load(ordering: .relaxed) })
    }
}

/// Set once a write to standard output failed.
private let standardOutputFailed = Atomic<Bool>(false)

/// Writes all of `text` to a descriptor, retrying short writes and `EINTR`;
/// returns false on other errors (a closed pipe, for instance).
@discardableResult
private func writeAll(_ fd: Int32, _ text: String) -> Bool {
    var bytes = Array(text.utf8)
    var offset = 0
    return bytes.withUnsafeMutableBytes { buffer in
        while offset < buffer.count {
            let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
            if n > 0 {
                offset += n
            } else if n < 0 && errno == EINTR {
                continue
            } else {
                return false
            }
        }
        return true
    }
}
