// The exit statuses of `fairwayctl`: 0 to 3 fixed by the wire contract, 4 an extension.

/// How `fairwayctl` ends: the process exit status, as the wire contract fixes it.
public enum ExitCode: Int32, Sendable, Equatable {
    /// Everything asked for was done.
    case success = 0
    /// The daemon answered with an error (or an answer that could not be
    /// read), or `submit`'s input file could not be read (nothing was sent).
    case daemonError = 1
    /// The command line, or the content of `submit`'s input, was not usable; nothing was sent.
    case usage = 2
    /// The daemon could not be reached, or the connection was lost or timed out.
    case unreachable = 3
    /// Extension: `watch` fell more than 10,000 events behind and the daemon
    /// cut it off (`{"event":"overflow"}`): events were lost.
    case fellBehind = 4
}
