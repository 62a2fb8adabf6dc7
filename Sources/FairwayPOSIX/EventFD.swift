import CFairwayShim
import Glibc

/// A non-blocking eventfd used as a wake-up: one thread signals, the thread
/// that polls the descriptor drains.
public final class EventFD: Sendable {
    /// The descriptor to poll for readability.
    public let descriptor: FileDescriptor

    /// A new eventfd (non-blocking, close-on-exec), counter at zero.
    public init() throws(SystemCallError) {
        descriptor = FileDescriptor(owning: try syscall("eventfd") { eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC)) })
    }

    /// Adds one to the counter, making the descriptor readable. `EAGAIN`
    /// (the counter is full) means a wake-up is pending already; any other
    /// failure is a bug (a closed descriptor) and stops the process.
    public func signal() {
        transfer("eventfd write", 1) { fd, value in write(fd, value, 8) }
    }

    /// Resets the counter to zero. `EAGAIN` means it was zero; any other
    /// failure is a bug and stops the process.
    public func drain() {
        transfer("eventfd read", 0) { fd, value in read(fd, value, 8) }
    }

    /// Moves the 8-byte counter value through `body`, where only `EAGAIN` may fail.
    private func transfer(_ name: String, _ initial: UInt64, _ body: (Int32, UnsafeMutablePointer<UInt64>) -> Int) {
        var value = initial
        let fd = descriptor.rawValue
        do {
            try syscall(name) { body(fd, &value) }
        } catch {
            precondition(error.errno == EAGAIN, "\(error)")
        }
    }
}
