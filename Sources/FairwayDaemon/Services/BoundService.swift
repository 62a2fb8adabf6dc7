import FairwayPOSIX

/// A service made of a value that belongs to its thread: `start` runs
/// `run` with the value on a thread of its own, to which the value is bound
/// (every touch from another thread stops the process); `stop` asks it to
/// end with `requestStop` and joins the thread.
///
/// The daemon has two: the state owner (`fairway-state`, stopped by a `.stop`
/// job behind everything posted) and the I/O loop (`fairway-io`, stopped as
/// SIGTERM stops it, through its stop-request eventfd).
final class BoundService<Value>: Service {
    let name: String
    private let stackSize: Int?
    private let value: ThreadBound<Value>
    private let run: @Sendable (inout Value) -> Void
    private let requestStop: @Sendable () -> Void
    private let thread = ServiceThread()

    /// Boxes `value`, which no other thread may touch from here on.
    init(
        _ name: String, stackSize: Int? = nil, _ value: sending Value,
        run: @escaping @Sendable (inout Value) -> Void, requestStop: @escaping @Sendable () -> Void
    ) {
        self.name = name
        self.stackSize = stackSize
        self.value = ThreadBound(value)
        self.run = run
        self.requestStop = requestStop
    }

    func start() throws(SystemCallError) {
        try thread.start(name, stackSize: stackSize, binding: value, run)
    }

    /// Waits until `run` has returned by itself.
    func waitUntilEnded() { thread.join() }

    func stop() {
        if thread.isStarted { requestStop() }
        thread.join()
    }
}
