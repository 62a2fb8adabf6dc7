@testable import FairwayDaemon
import FairwayPOSIX
import Testing

/// The read-interest decision of a connection (`ReadGate`, `Connection.settle`)
/// and the partial-line clock, in process.
@Suite struct ReadInterestTests {
    static let maxInflight = ReadGate.maxInflight
    static let pause = ReadGate.pauseOutputBytes

    @Test func theGatePausesAtEitherBoundAndResumesUnderHalfOfBoth() {
        var gate = ReadGate()
        gate.update(inflight: Self.maxInflight - 1, pendingOutput: Self.pause - 1)
        #expect(!gate.paused)
        gate.update(inflight: Self.maxInflight, pendingOutput: 0)
        #expect(gate.paused)
        gate.update(inflight: Self.maxInflight / 2, pendingOutput: 0)
        #expect(gate.paused, "at half it stays paused")
        gate.update(inflight: Self.maxInflight / 2 - 1, pendingOutput: Self.pause / 2)
        #expect(gate.paused, "the output is not under half yet")
        gate.update(inflight: 0, pendingOutput: Self.pause / 2 - 1)
        #expect(!gate.paused)
        gate.update(inflight: 0, pendingOutput: Self.pause)
        #expect(gate.paused)
    }

    /// Over random sequences of states: a gate that says "read" is under both
    /// bounds, a paused one is at or over half of one, and a connection with
    /// nothing in flight and nothing unsent is always read from, however it
    /// got there (the stall of a client that read its answers late).
    @Test(arguments: 1...20) func theGateIsDecidedByTheStateAlone(seed: UInt64) {
        var rng = SplitMix(seed)
        var gate = ReadGate()
        for _ in 0..<2000 {
            let inflight = Int(rng.next() % UInt64(Self.maxInflight * 2))
            let output = Int(rng.next() % UInt64(Self.pause * 2))
            let drained = rng.next() % 4 == 0
            gate.update(inflight: drained ? 0 : inflight, pendingOutput: drained ? 0 : output)
            if drained {
                #expect(!gate.paused)
            } else if gate.paused {
                #expect(inflight >= Self.maxInflight / 2 || output >= Self.pause / 2)
            } else {
                #expect(inflight < Self.maxInflight && output < Self.pause)
            }
        }
    }

    static func connection() -> Connection {
        Connection(id: 1, socket: FileDescriptor(owning: -1), peer: PeerIdentity(pid: 1, uid: 1000, gid: 1000, userName: nil),
                   role: .operator, maxLine: 1 << 20, now: 0)
    }

    @Test func aConnectionWhoseClientReadsLateIsReadFromAgainOnceItsOutputDrains() {
        let c = Self.connection()
        #expect(c.interest == [.readable, .readHangup])
        for _ in 0..<Self.maxInflight { c.sent(bytes: 24) }
        c.settle(at: 1)
        #expect(!c.wantsRead && c.interest.isEmpty, "paused: too many in flight")
        // Every answer arrives, and piles up unsent while the client does not read.
        for _ in 0..<Self.maxInflight { _ = c.answered() }
        c.output = [UInt8](repeating: 0x20, count: Self.pause)
        c.settle(at: 2)
        #expect(!c.wantsRead && c.interest == [.writable], "paused: too much unread; waiting to write")
        // The client reads: the output is flushed; that alone must reopen reading.
        c.outputOffset = c.output.count
        c.settle(at: 12)
        #expect(c.wantsRead && c.interest == [.readable, .readHangup])
    }

    @Test func aClosedOrFinishedConnectionIsNotReadFrom() {
        let c = Self.connection()
        c.readClosed = true
        c.settle(at: 1)
        #expect(!c.wantsRead && c.interest.isEmpty && c.isFinished)
        c.sent(bytes: 10)
        #expect(!c.isFinished, "an answer is still owed")
    }

    @Test func thePartialLineClockCountsOnlyTimeTheDaemonWasWillingToRead() {
        var clock = PartialLineClock(now: 0)
        #expect(clock.waited(at: 5) == 5)
        clock.setWilling(false, at: 5)
        #expect(clock.waited(at: 100) == 5, "paused time does not count")
        clock.setWilling(true, at: 100)
        #expect(clock.waited(at: 103) == 8)
        clock.setWilling(true, at: 103)  // no change
        #expect(clock.waited(at: 104) == 9)
        clock.read(at: 104)
        #expect(clock.waited(at: 106) == 2, "bytes start the wait again")
        clock.setWilling(false, at: 106)
        clock.read(at: 107)
        #expect(clock.waited(at: 200) == 0)
    }

    @Test func aConnectionsClockStopsWhileItsReadingIsPaused() {
        let c = Self.connection()
        c.read(at: 10)
        for _ in 0..<Self.maxInflight { c.sent(bytes: 24) }
        c.settle(at: 11)
        #expect(c.partialLine.waited(at: 60) == 1)
        for _ in 0..<Self.maxInflight { _ = c.answered() }
        c.settle(at: 60)
        #expect(c.partialLine.waited(at: 62) == 3)
    }
}

/// A small deterministic generator for property tests.
struct SplitMix {
    private var state: UInt64
    init(_ seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
