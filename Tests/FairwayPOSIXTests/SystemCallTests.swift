import FairwayPOSIX
import Glibc
import Testing

@Suite struct SystemCallTests {
    @Test func aFailureCarriesTheCallsNameAndErrno() {
        #expect(throws: SystemCallError(operation: "fcntl on -1", errno: EBADF)) {
            try syscall("fcntl on -1") { fcntl(-1, F_GETFD) }
        }
        let error = SystemCallError(operation: "fcntl on -1", errno: EBADF)
        #expect(error.description == "fcntl on -1: \(String(cString: strerror(EBADF)))")
        #expect(SystemCallError(operation: "x", errno: -EAGAIN).errno == EAGAIN)
    }

    @Test func interruptedCallsAreRetried() throws {
        var calls = 0
        let result = try syscall("flaky") { () -> Int32 in
            calls += 1
            if calls < 3 {
                errno = EINTR
                return -1
            }
            return 42
        }
        #expect(result == 42)
        #expect(calls == 3)
    }

    @Test func anErrorNumberReturnedIsThrown() {
        #expect(throws: SystemCallError(operation: "pthread-like", errno: EINVAL)) {
            try syscallReturningError("pthread-like") { EINVAL }
        }
    }

    @Test func theMonotonicClockMovesForwardInAllItsUnits() {
        let ns = MonotonicClock.nanoseconds()
        let us = MonotonicClock.microseconds()
        let s = MonotonicClock.seconds()
        #expect(us >= ns / 1000)
        #expect(s >= Double(ns) / 1e9)
        #expect(s - Double(ns) / 1e9 < 1)
        usleep(2000)
        #expect(MonotonicClock.nanoseconds() - ns >= 2_000_000)
    }

    @Test func theWallClockIsNearTheOneFoundationWouldGive() {
        let ms = WallClock.milliseconds()
        #expect(abs(ms / 1000 - Int64(time(nil))) <= 1)
        #expect(WallClock.seconds() >= ms / 1000)
    }
}

@Suite struct ThreadTests {
    @Test func aJoinableThreadRunsItsBodyAndJoinWaitsForIt() throws {
        let state = Monitor(0)
        let thread = try JoinableThread(name: "fw-test") {
            usleep(20_000)
            state.withLock { $0 = 1 }
        }
        #expect(!thread.isCurrent)
        thread.join()
        #expect(state.withLock { $0 } == 1)
        thread.join()  // a second join returns at once
    }

    @Test func aMonitorWakesAWaiterWhenTheStateSuitsIt() throws {
        let queue = Monitor<[Int]>([])
        let consumer = try JoinableThread(name: "fw-consume") {
            let taken = queue.wait(until: { $0.count == 3 }) { list in list }
            queue.withLock { $0 = taken.map { -$0 } }
        }
        for i in 1...3 {
            queue.withLock { $0.append(i) }
            queue.broadcast()
        }
        consumer.join()
        #expect(queue.withLock { $0 } == [-1, -2, -3])
    }

    @Test func aThreadBoundValueServesTheThreadItIsBoundTo() throws {
        let box = ThreadBound([1, 2])
        #expect(!box.isOwnedByCurrentThread)
        let result = Monitor<[Int]>([])
        let owner = try JoinableThread(name: "fw-owner") {
            box.bindToCurrentThread()
            let seen = box.withValue { value -> [Int] in
                value.append(3)
                return value
            }
            result.withLock { $0 = seen }
        }
        owner.join()
        #expect(result.withLock { $0 } == [1, 2, 3])
        #expect(!box.isOwnedByCurrentThread, "the test's thread is not the owner")
    }
}
