// Whole text files read and written in one call.

public import FairwayPOSIX
import Glibc

/// The contents of a file as UTF-8 text; empty when it cannot be read.
public func readFile(_ path: String) -> String {
    guard let file = try? syscall("open \(path)", { open(path, O_RDONLY | O_CLOEXEC) }) else { return "" }
    let fd = FileDescriptor(owning: file)
    var data: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    let raw = fd.rawValue
    while let count = try? syscall("read \(path)", { chunk.withUnsafeMutableBytes { read(raw, $0.baseAddress, $0.count) } }),
        count > 0
    {
        data.append(contentsOf: chunk[..<count])
    }
    return String(decoding: data, as: UTF8.self)
}

/// Writes `text` to `path`, replacing the file.
public func writeFile(_ path: String, _ text: String) throws(SystemCallError) {
    let fd = FileDescriptor(owning: try syscall("open \(path)") { open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644) })
    let raw = fd.rawValue
    var bytes = Array(text.utf8)[...]
    while !bytes.isEmpty {
        let written = try syscall("write \(path)") { bytes.withUnsafeBytes { write(raw, $0.baseAddress, $0.count) } }
        bytes = bytes.dropFirst(written)
    }
    try fd.close()
}
