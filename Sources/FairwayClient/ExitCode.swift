// The exit statuses of `fairwayctl`, fixed by the wire contract.

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
}
