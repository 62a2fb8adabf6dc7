// A fresh directory for one test or one bench run.

import Foundation
import Glibc

/// A new directory `<base>/<prefix>-XXXXXX` (`mkdtemp`), removed with
/// everything in it by ``remove()`` or when the last reference goes (unless
/// ``keep`` is set). Under `/tmp` its paths stay short enough for `sockaddr_un`.
public final class TemporaryDirectory: @unchecked Sendable {
    /// The directory's absolute path.
    public let path: String
    /// Leave the directory behind when the object goes (for a look afterwards).
    public var keep: Bool

    /// Creates `<base>/<prefix>-XXXXXX`.
    public init(prefix: String = "fairway-e2e", base: String = "/tmp", keep: Bool = false) throws(FixtureError) {
        var template = Array("\(base)/\(prefix)-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw FixtureError("mkdtemp in \(base): \(String(cString: strerror(errno)))")
        }
        path = String(cString: made)
        self.keep = keep
    }

    /// `path/name`.
    public func appending(_ name: String) -> String { path + "/" + name }

    /// Removes the directory and its contents now.
    public func remove() { try? FileManager.default.removeItem(atPath: path) }

    deinit {
        if !keep { remove() }
    }
}
