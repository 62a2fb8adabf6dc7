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
