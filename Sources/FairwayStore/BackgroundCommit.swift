import CFairwayShim
import Dispatch
import Foundation
import Synchronization

/// Runs a store's `COMMIT` (the WAL write, the fsync and at times a
/// checkpoint: under a millisecond usually, tens of them now and then) on a
/// thread of its own, while the caller's thread sleeps on `wake` and calls
/// `pause` each time something else signals it (a lookup arriving), so it can
/// answer from state that is already committed. The caller still waits for
/// the commit: nothing is acknowledged earlier.
final class BackgroundCommit: @unchecked Sendable {
    private let start = DispatchSemaphore(value: 0)
    private let done = Atomic<Bool>(false)
    /// Set before `start` is signalled and cleared before `done` is set:
    /// the semaphore and the atomic order the accesses.
    private var work: (() -> Void)?
    private var wake: DispatchSemaphore?

    init() {
        Thread { [self] in
            fairway_name_thread("fairway-commit")
            while true {
                start.wait()
                work?()
                work = nil
                let wake = self.wake
                done.store(true, ordering: .releasing)
                wake?.signal()
            }
        }.start()
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
