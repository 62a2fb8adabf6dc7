// Whole files written by the client (`simulate --svg DIR`).

import FairwayPOSIX
import Glibc

/// Writes whole files into a directory, creating it when missing.
enum FileOutput {
    /// Creates `directory` (and missing parents), then writes `text` to
    /// `directory/name`, replacing what was there.
    static func write(_ text: String, named name: String, in directory: String) throws(SystemCallError) {
        var prefix = directory.hasPrefix("/") ? "/" : ""
        for part in directory.split(separator: "/") {
            prefix += part
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw SystemCallError(operation: "mkdir \(prefix)", errno: errno)
            }
            prefix += "/"
        }
        let path = prefix + name
        let fd = FileDescriptor(owning: try syscall("open \(path)") { open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644) })
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            offset += try syscall("write \(path)") {
                bytes.withUnsafeBytes { Glibc.write(fd.rawValue, $0.baseAddress! + offset, $0.count - offset) }
            }
        }
        try fd.close()
    }
}
