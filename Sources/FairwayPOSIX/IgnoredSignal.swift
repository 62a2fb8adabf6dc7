import Glibc

/// Signals whose default action is set aside for the whole process.
public enum IgnoredSignal {
    /// Ignores `signal` in every thread (`sigaction` with `SIG_IGN`): for
    /// `SIGPIPE`, so that a write to a closed socket fails with `EPIPE`
    /// instead of ending the process.
    public static func ignore(_ signal: Int32) throws(SystemCallError) {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = SIG_IGN
        try syscall("sigemptyset") { sigemptyset(&action.sa_mask) }
        try syscall("sigaction \(signal) SIG_IGN") { sigaction(signal, &action, nil) }
    }
}
