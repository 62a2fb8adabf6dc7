// Several client threads that start together.

import Dispatch
import Foundation
import Synchronization

/// Runs `body` on `count` threads. Each thread does its set-up (connecting),
/// then calls the `go` it is given, which returns once every thread is set up,
/// so their timed work starts together. Returns each thread's result in
/// index order; the first failure is thrown.
func runTogether<T: Sendable>(
    _ count: Int, _ body: @escaping @Sendable (_ index: Int, _ go: () -> Void) -> Result<T, BenchError>
) throws(BenchError) -> [T] {
    let results = Mutex<[Int: Result<T, BenchError>]>([:])
    let ready = DispatchSemaphore(value: 0)
    let gate = DispatchSemaphore(value: 0)
    let done = DispatchGroup()
    for index in 0..<count {
        done.enter()
        let thread = Thread {
            var waited = false
            let go = {
                ready.signal()
                gate.wait()
                waited = true
            }
            let result = body(index, go)
            if !waited { ready.signal() }  // failed before its go: do not hold the others
            results.withLock { $0[index] = result }
            done.leave()
        }
        thread.stackSize = 4 << 20
        thread.start()
    }
    for _ in 0..<count { ready.wait() }
    for _ in 0..<count { gate.signal() }
    done.wait()
    return try results.withLock { all throws(BenchError) -> [T] in
        var out: [T] = []
        for index in 0..<count {
            switch all[index]! {
            case .success(let v): out.append(v)
            case .failure(let e): throw e
            }
        }
        return out
    }
}
