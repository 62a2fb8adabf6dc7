internal import CSystemd
import Glibc

/// Sockets passed in by systemd socket activation (`LISTEN_FDS`).
public enum ListenFDs {
    /// The descriptors passed by the service manager, each with its
    /// `FileDescriptorName=` (`"unknown"` when none was given), in order from
    /// descriptor 3.
    ///
    /// Takes them once: `LISTEN_FDS`, `LISTEN_PID` and `LISTEN_FDNAMES` are
    /// removed from the environment so that child processes do not inherit
    /// them, and the descriptors are marked close-on-exec. Returns an empty array
    /// when nothing was passed, when `LISTEN_PID` names another process, or when
    /// the variables are malformed. The caller owns the descriptors.
    public static func take() -> [(fd: Int32, name: String)] {
        var names: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = nil
        let count = sd_listen_fds_with_names(1, &names)
        defer {
            if let names {
                if count > 0 {
                    for index in 0..<Int(count) { free(names[index]) }
                }
                free(names)
            }
        }
        guard count > 0 else { return [] }
        var result: [(fd: Int32, name: String)] = []
        result.reserveCapacity(Int(count))
        for index in 0..<count {
            let name = names?[Int(index)].map { String(cString: $0) } ?? "unknown"
            result.append((fd: SD_LISTEN_FDS_START + index, name: name))
        }
        return result
    }

    /// `true` when `fd` is an `AF_UNIX` `SOCK_STREAM` socket in the listening state.
    public static func isUnixStreamListener(_ fd: Int32) -> Bool {
        sd_is_socket_unix(fd, Int32(SOCK_STREAM.rawValue), 1, nil, 0) > 0
    }
}
