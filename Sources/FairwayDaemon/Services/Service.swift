import FairwayPOSIX
import Synchronization

/// A part of the daemon that runs on a thread of its own, with a start and a
/// stop (in the manner of swift-service-lifecycle's `Service`). A
/// `ServiceGroup` starts the daemon's services in order and stops them in
/// reverse.
protocol Service: AnyObject, Sendable {
    /// The name of its thread (`fairway-log`), as `top -H` shows it.
    var name: String { get }
    /// Starts the thread; throws when it cannot be started.
    func start() throws(SystemCallError)
    /// Asks the service to finish what it was handed and end, and returns
    /// once its thread has ended (joined). Does nothing when it never
    /// started or has stopped already.
    func stop()
}

/// The services of the daemon, started one by one in the order they depend
/// on each other and stopped in the reverse order: each is joined before the
/// one it relied on is asked to stop (in the manner of swift-service-lifecycle's
/// `ServiceGroup`).
final class ServiceGroup {
    private var running: [any Service] = []

    /// The names of the services started and not stopped, in start order.
    var names: [String] { running.map(\.name) }

    /// Starts `service` after those started before it.
    func start(_ service: any Service) throws(SystemCallError) {
        try service.start()
        running.append(service)
    }

    /// Stops every started service, the last started first.
    func stop() {
        while let service = running.popLast() { service.stop() }
    }
}

/// A service's thread, started once and joined on stop.
final class ServiceThread: Sendable {
    private let thread = Mutex<JoinableThread?>(nil)

    /// Starts `body` on a thread called `name`.
    func start(_ name: String, stackSize: Int? = nil, _ body: @escaping @Sendable () -> Void) throws(SystemCallError) {
        let t = try JoinableThread(name: name, stackSize: stackSize, body)
        thread.withLock { $0 = t }
    }

    /// Starts a thread called `name` that binds `value` to itself (no other
    /// thread may touch it from then on) and runs `body` with it.
    func start<Value>(
        _ name: String, stackSize: Int? = nil, binding value: ThreadBound<Value>, _ body: @escaping @Sendable (inout Value) -> Void
    ) throws(SystemCallError) {
        try start(name, stackSize: stackSize) {
            value.bindToCurrentThread()
            value.withValue(body)
        }
    }

    /// Whether it was started.
    var isStarted: Bool { thread.withLock { $0 != nil } }

    /// Waits for the thread's end (at once when it never started).
    func join() {
        thread.withLock { $0 }?.join()
    }
}
