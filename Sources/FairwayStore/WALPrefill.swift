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
        let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, Int(st.st_size) < bytes else { return 0 }
        var fs = statvfs()
        guard fstatvfs(fd, &fs) == 0, Int(fs.f_bavail) * Int(fs.f_frsize) >= bytes - Int(st.st_size) + keepFree else { return 0 }
        let chunk = [UInt8](repeating: 0, count: 1 << 20)
        var at = Int(st.st_size)
        while at < bytes {
            let n = min(chunk.count, bytes - at)
            let written = chunk.withUnsafeBytes { pwrite(fd, $0.baseAddress, n, off_t(at)) }
            guard written > 0 else { return at - Int(st.st_size) }
            at += written
        }
        _ = fdatasync(fd)
        return at - Int(st.st_size)
    }
}
