import Dispatch
import Foundation

/// Runs a store's `COMMIT` (the WAL write, the fsync and at times a
/// checkpoint: a millisecond usually, tens of them now and then) on a thread
/// of its own, while the caller's thread keeps calling `pause` (every
/// `pollInterval`) to answer lookups from state that is already committed.
/// The caller still waits for the commit: nothing is acknowledged earlier.
final class BackgroundCommit: @unchecked Sendable {
    private let start = DispatchSemaphore(value: 0)
    private let finish = DispatchSemaphore(value: 0)
    /// Set before `start` is signalled, read after `finish` is: the
    /// semaphores order the accesses, only one thread touches them at a time.
    private var work: (() -> Void)?

    /// How often the waiting thread calls `pause`.
    static let pollInterval = DispatchTimeInterval.microseconds(100)

    init() {
        let thread = Thread { [self] in
            while true {
                start.wait()
                work?()
                work = nil
                finish.signal()
            }
        }
        thread.name = "fairway-commit"
        thread.start()
    }

    /// Runs `body` on the commit thread and returns once it has finished,
    /// calling `pause` meanwhile.
    func run(_ body: @escaping () -> Void, pause: () -> Void) {
        work = body
        start.signal()
        while finish.wait(timeout: .now() + Self.pollInterval) == .timedOut { pause() }
    }
}
