import Glibc

/// A directory under `/tmp` made for one test, removed with everything in it
/// by ``remove()``. Paths stay short enough for `sockaddr_un`.
struct TemporaryDirectory: Sendable {
    /// The directory's absolute path.
    let path: String

    /// Creates `/tmp/fairway-<prefix>-XXXXXX`.
    init(prefix: String) throws {
        var template = Array("/tmp/fairway-\(prefix)-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard made != nil else { throw TestFailure("mkdtemp failed: errno \(errno)") }
        path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    /// `path/name`.
    func appending(_ name: String) -> String { path + "/" + name }

    /// Removes the directory and its contents.
    func remove() {
        _ = try? runCommand("/bin/rm", ["-rf", path])
    }
}

/// A test-helper failure with a message.
struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
