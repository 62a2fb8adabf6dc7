// Whole text files read and written in one call.

import Glibc

/// The contents of a file as UTF-8 text; empty when it cannot be read.
public func readFile(_ path: String) -> String {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return "" }
    defer { close(fd) }
    var data: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count < 0 && errno == EINTR { continue }
        if count <= 0 { break }
        data.append(contentsOf: chunk[..<count])
    }
    return String(decoding: data, as: UTF8.self)
}

/// Writes `text` to `path`, replacing the file.
public func writeFile(_ path: String, _ text: String) throws(FixtureError) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw FixtureError("open \(path): \(String(cString: strerror(errno)))") }
    defer { close(fd) }
    var bytes = Array(text.utf8)[...]
    while !bytes.isEmpty {
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        if written < 0 {
            if errno == EINTR { continue }
            throw FixtureError("write \(path): \(String(cString: strerror(errno)))")
        }
        bytes = bytes.dropFirst(written)
    }
}
