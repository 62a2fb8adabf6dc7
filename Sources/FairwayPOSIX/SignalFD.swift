import CFairwayShim
import Glibc

/// Signals delivered as readable records on a descriptor: the signals are
/// blocked for the calling thread (and every thread it starts afterwards),
/// and read from the descriptor instead of interrupting anyone.
public final class SignalFD: Sendable {
    /// The descriptor to poll for readability (non-blocking, close-on-exec).
    public let descriptor: FileDescriptor

    /// Blocks `signals` and opens a signalfd for them. Call before starting
    /// other threads, so that they inherit the mask.
    public init(_ signals: [Int32]) throws(SystemCallError) {
        var mask = sigset_t()
        try syscall("sigemptyset") { sigemptyset(&mask) }
        for s in signals { try syscall("sigaddset \(s)") { sigaddset(&mask, s) } }
        try syscallReturningError("pthread_sigmask SIG_BLOCK") { pthread_sigmask(SIG_BLOCK, &mask, nil) }
        descriptor = FileDescriptor(owning: try syscall("signalfd") { signalfd(-1, &mask, Int32(SFD_NONBLOCK | SFD_CLOEXEC)) })
    }

    /// The signals waiting, in arrival order (empty when none is).
    public func take() throws(SystemCallError) -> [Int32] {
        var signals: [Int32] = []
        var info = signalfd_siginfo()
        let size = MemoryLayout<signalfd_siginfo>.size
        while true {
            let n = try withUnsafeMutableBytes(of: &info) { buffer throws(SystemCallError) in try descriptor.read(into: buffer) }
            guard n == size else { break }
            signals.append(Int32(info.ssi_signo))
        }
        return signals
    }
}
