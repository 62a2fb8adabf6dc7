import FairwayPOSIX
import Glibc

/// One daemon per state directory: an exclusive `flock(2)` on
/// `<state-directory>/fairwayd.lock`, held for the life of the process and
/// released by the kernel however the process ends (`kill -9` included).
/// The file holds the holder's pid, so a second daemon can say who is there.
enum StateDirectoryLock {
    /// The lock file's name inside the state directory.
    static let fileName = "fairwayd.lock"

    /// Takes the lock and returns its descriptor (close-on-exec), which the
    /// caller keeps open until it exits. Throws when another process holds it.
    static func acquire(directory: String) throws(SystemCallError) -> FileDescriptor {
        let path = directory.hasSuffix("/") ? directory + fileName : directory + "/" + fileName
        let lock = FileDescriptor(owning: try syscall("opening \(path)") { open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600) })
        let fd = lock.rawValue
        do {
            try syscall("locking \(path)") { flock(fd, LOCK_EX | LOCK_NB) }
        } catch where error.errno == EWOULDBLOCK {
            let who = readPID(fd).map { "another fairwayd (pid \($0))" } ?? "another fairwayd"
            throw SystemCallError(operation: "\(who) uses the state directory \(directory)", errno: error.errno)
        }
        let text = Array("\(getpid())\n".utf8)
        try syscall("truncating \(path)") { ftruncate(fd, 0) }
        try syscall("writing \(path)") { text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) } }
        return lock
    }

    /// The pid written in the lock file, if any.
    private static func readPID(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return nil }
        let digits = buffer[..<n].prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        return Int32(String(decoding: digits, as: UTF8.self))
    }
}
