import Glibc
import Synchronization

/// A value that one thread owns: it may be handed to another thread before
/// anyone uses it, and from the first ``bindToCurrentThread()`` on only the
/// bound thread may touch it. Every access checks the thread, so a stray use
/// from elsewhere stops the process instead of racing (in the manner of
/// swift-nio's `NIOLoopBound`). This is what lets a non-`Sendable` owner
/// of state, created on one thread, run on its own.
public final class ThreadBound<Value>: @unchecked Sendable {
    // Sound because `value` is only reached through `withValue`, which
    // checks that the caller is the one thread bound to it.
    private var value: Value
    private let owner = Atomic<UInt>(0)

    /// Boxes `value`, bound to no thread yet.
    public init(_ value: sending Value) {
        self.value = value
    }

    /// Binds the value to the calling thread. Called once, by the thread
    /// that will own the value.
    public func bindToCurrentThread() {
        let (exchanged, _) = owner.compareExchange(expected: 0, desired: UInt(pthread_self()), ordering: .acquiringAndReleasing)
        precondition(exchanged, "ThreadBound bound twice")
    }

    /// Whether the calling thread is the one bound to the value.
    public var isOwnedByCurrentThread: Bool { owner.load(ordering: .acquiring) == UInt(pthread_self()) }

    /// Runs `body` with the value; only on the bound thread.
    public func withValue<R, E: Error>(_ body: (inout Value) throws(E) -> R) throws(E) -> R {
        precondition(isOwnedByCurrentThread, "a thread-bound value was touched from another thread")
        return try body(&value)
    }
}
