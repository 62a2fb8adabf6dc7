import Glibc

/// State guarded by a lock, with a condition to wait on until the state is
/// as wanted: one thread changes it and broadcasts, others sleep until it
/// suits them (instead of polling with a sleep).
public final class Monitor<State: Sendable>: @unchecked Sendable {
    // Sound because `state` is only reached with `mutex` held.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>
    private var state: State

    /// A monitor holding `state`.
    public init(_ state: State) {
        self.state = state
        mutex = .allocate(capacity: 1)
        condition = .allocate(capacity: 1)
        // With default attributes these fail only for want of memory.
        precondition(pthread_mutex_init(mutex, nil) == 0, "pthread_mutex_init failed")
        precondition(pthread_cond_init(condition, nil) == 0, "pthread_cond_init failed")
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    /// Runs `body` with the state, under the lock.
    public func withLock<R>(_ body: (inout State) -> R) -> R {
        lock()
        defer { unlock() }
        return body(&state)
    }

    /// Waits (without the lock) until `ready` holds for the state, then runs
    /// `body` with it under the lock.
    public func wait<R>(until ready: (State) -> Bool, then body: (inout State) -> R) -> R {
        lock()
        defer { unlock() }
        while !ready(state) {
            let r = pthread_cond_wait(condition, mutex)
            precondition(r == 0, "pthread_cond_wait: \(SystemCallError.describe(r))")
        }
        return body(&state)
    }

    /// Wakes every waiter to look at the state again.
    public func broadcast() {
        let r = pthread_cond_broadcast(condition)
        precondition(r == 0, "pthread_cond_broadcast: \(SystemCallError.describe(r))")
    }

    private func lock() {
        let r = pthread_mutex_lock(mutex)
        precondition(r == 0, "pthread_mutex_lock: \(SystemCallError.describe(r))")
    }

    private func unlock() {
        let r = pthread_mutex_unlock(mutex)
        precondition(r == 0, "pthread_mutex_unlock: \(SystemCallError.describe(r))")
    }
}
