import Dispatch
import FairwayPOSIX
import Synchronization

/// Runs a store's `COMMIT` (the WAL write, the fsync and at times a
/// checkpoint: under a millisecond usually, tens of them now and then) on a
/// thread of its own, while the caller's thread sleeps on `wake` and calls
/// `pause` each time something else signals it (a lookup arriving), so it can
/// answer from state that is already committed. The caller still waits for
/// the commit: nothing is acknowledged earlier.
///
/// `@unchecked Sendable` because the work (a closure over the store's SQLite
/// connection) is handed from the caller's thread to the commit thread and
/// back: `start` and the `done` flag order each hand-over, and the caller
/// does not touch the connection until the commit thread has finished.
final class BackgroundCommit: @unchecked Sendable {
    /// The commit thread's name.
    static let threadName = "fairway-commit"
    private let start = DispatchSemaphore(value: 0)
    private let done = Atomic<Bool>(false)
    private let stopping = Atomic<Bool>(false)
    /// Set before `start` is signalled and cleared before `done` is set:
    /// the semaphore and the atomic order the accesses.
    private var work: (() -> Void)?
    private var wake: DispatchSemaphore?
    private var thread: JoinableThread?

    /// Starts the commit thread.
    init() throws(SystemCallError) {
        thread = try JoinableThread(name: Self.threadName) { [self] in
            while true {
                start.wait()
                if stopping.load(ordering: .acquiring) { return }
                work?()
                work = nil
                let wake = self.wake
                done.store(true, ordering: .releasing)
                wake?.signal()
            }
        }
    }

    /// Ends the commit thread and waits for it (between commits: `run` has returned).
    func stop() {
        stopping.store(true, ordering: .releasing)
        start.signal()
        thread?.join()
    }

    /// Runs `body` on the commit thread and returns once it has finished.
    /// Meanwhile sleeps on `wake`, which the commit thread signals when done
    /// and others may signal too; calls `pause` on each of their signals.
    func run(_ body: @escaping () -> Void, wake: DispatchSemaphore, pause: () -> Void) {
        while wake.wait(timeout: .now()) == .success {}  // signals of earlier lookups, answered already
        work = body
        self.wake = wake
        done.store(false, ordering: .relaxed)
        start.signal()
        while true {
            wake.wait()
            if done.load(ordering: .acquiring) { return }
            pause()
        }
    }
}
