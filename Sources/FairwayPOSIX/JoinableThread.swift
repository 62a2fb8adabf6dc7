import CFairwayShim
import Glibc
import Synchronization

/// A named thread that can be waited for (`pthread_create` and
/// `pthread_join`): the daemon's services each run on one, and shutdown
/// joins every one of them.
public final class JoinableThread: Sendable {
    /// The thread's name, as `top -H` and `/proc/PID/task/TID/comm` show it.
    public let name: String
    private let handle: pthread_t
    private let joined = Mutex(false)

    /// Starts `body` on a new thread named `name`, with a stack of
    /// `stackSize` bytes when given (else the system's default).
    public init(name: String, stackSize: Int? = nil, _ body: @escaping @Sendable () -> Void) throws(SystemCallError) {
        self.name = name
        var attributes = pthread_attr_t()
        try syscallReturningError("pthread_attr_init") { pthread_attr_init(&attributes) }
        defer { pthread_attr_destroy(&attributes) }
        if let stackSize {
            try syscallReturningError("pthread_attr_setstacksize \(stackSize)") { pthread_attr_setstacksize(&attributes, stackSize) }
        }
        let start = Unmanaged.passRetained(Start(name: name, body: body)).toOpaque()
        var thread = pthread_t()
        do {
            try syscallReturningError("starting thread \(name)") {
                pthread_create(&thread, &attributes, { argument in
                    let start = Unmanaged<Start>.fromOpaque(argument!).takeRetainedValue()
                    fairway_name_thread(start.name)
                    start.body()
                    return nil
                }, start)
            }
        } catch {
            Unmanaged<Start>.fromOpaque(start).release()
            throw error
        }
        handle = thread
    }

    /// Whether the caller runs on this thread.
    public var isCurrent: Bool { pthread_equal(handle, pthread_self()) != 0 }

    /// Waits until the thread's body has returned; later calls return at once.
    /// A thread may not join itself.
    public func join() {
        precondition(!isCurrent, "thread \(name) cannot join itself")
        joined.withLock { done in
            guard !done else { return }
            let r = pthread_join(handle, nil)
            precondition(r == 0, "pthread_join \(name): \(SystemCallError.describe(r))")
            done = true
        }
    }

    /// What the new thread runs: handed over retained, taken back by the thread.
    private final class Start: Sendable {
        let name: String
        let body: @Sendable () -> Void
        init(name: String, body: @escaping @Sendable () -> Void) {
            self.name = name
            self.body = body
        }
    }
}
