import FairwayPOSIX
import Glibc

/// Writes zeros to the end of the write-ahead log up to a size, so that
/// commits overwrite blocks the file already has instead of growing it.
///
/// Why: a commit that appends to a file makes `fdatasync` write the
/// filesystem's metadata too (the new size and blocks): on ext4 here that
/// roughly doubles the cost of the commit's one sync. SQLite reuses its WAL
/// from the start after each checkpoint, so once the file has the size of one
/// checkpoint cycle, no commit grows it again. Zeros past SQLite's last frame
/// are harmless: a frame is valid only with the WAL header's salt and a
/// matching checksum, and recovery stops at the first one that is not.
/// Fallocated blocks would not do: their first write still changes metadata.
enum WALPrefill {
    /// Extends the file at `path` with zeros to `bytes`, when the filesystem
    /// has at least `keepFree` bytes free beyond that. Best effort: returns
    /// how many bytes it added (0 when skipped or on any error).
    @discardableResult
    static func extend(_ path: String, to bytes: Int, keepFree: Int) -> Int {
        do {
            return try extending(path, to: bytes, keepFree: keepFree)
        } catch {
            return 0
        }
    }

    private static func extending(_ path: String, to bytes: Int, keepFree: Int) throws(SystemCallError) -> Int {
        let file = FileDescriptor(owning: try syscall("opening \(path)") { open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600) })
        let fd = file.rawValue
        var st = stat()
        try syscall("fstat \(path)") { fstat(fd, &st) }
        var fs = statvfs()
        try syscall("fstatvfs \(path)") { fstatvfs(fd, &fs) }
        guard Int(st.st_size) < bytes, Int(fs.f_bavail) * Int(fs.f_frsize) >= bytes - Int(st.st_size) + keepFree else { return 0 }
        let chunk = [UInt8](repeating: 0, count: 1 << 20)
        var at = Int(st.st_size)
        while at < bytes {
            let n = min(chunk.count, bytes - at)
            let offset = at
            let written = try syscall("writing \(path)") { chunk.withUnsafeBytes { pwrite(fd, $0.baseAddress, n, off_t(offset)) } }
            guard written > 0 else { break }
            at += written
        }
        try syscall("fdatasync \(path)") { fdatasync(fd) }
        try file.close()
        return at - Int(st.st_size)
    }
}
