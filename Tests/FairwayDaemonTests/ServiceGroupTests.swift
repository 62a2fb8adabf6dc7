@testable import FairwayDaemon
import FairwayPOSIX
import Glibc
import Synchronization
import Testing

/// Services start in order, stop in reverse, and a failed start leaves the
/// started ones to be stopped.
@Suite struct ServiceGroupTests {
    final class Journal: Sendable {
        let entries = Mutex<[String]>([])
        func note(_ s: String) { entries.withLock { $0.append(s) } }
        var all: [String] { entries.withLock { $0 } }
    }

    final class Recorder: Service {
        let name: String
        let journal: Journal
        let failsToStart: Bool
        private let thread = ServiceThread()
        private let stopping = Atomic<Bool>(false)

        init(_ name: String, _ journal: Journal, failsToStart: Bool = false) {
            self.name = name
            self.journal = journal
            self.failsToStart = failsToStart
        }

        func start() throws(SystemCallError) {
            if failsToStart { throw SystemCallError(operation: "starting \(name)", errno: 11) }
            try thread.start(name) { [self] in
                while !stopping.load(ordering: .acquiring) { usleep(1000) }
                journal.note("ended \(name)")
            }
            journal.note("started \(name)")
        }

        func stop() {
            stopping.store(true, ordering: .releasing)
            thread.join()
            journal.note("stopped \(name)")
        }
    }

    @Test func servicesStartInOrderAndStopInReverseEachJoinedBeforeTheNext() throws {
        let journal = Journal()
        let group = ServiceGroup()
        for name in ["log", "owner", "decoder", "io"] { try group.start(Recorder(name, journal)) }
        #expect(group.names == ["log", "owner", "decoder", "io"])
        group.stop()
        #expect(journal.all == [
            "started log", "started owner", "started decoder", "started io",
            "ended io", "stopped io", "ended decoder", "stopped decoder",
            "ended owner", "stopped owner", "ended log", "stopped log",
        ])
        #expect(group.names.isEmpty)
        group.stop()  // nothing left: nothing happens
    }

    @Test func aServiceThatFailsToStartIsNotStoppedAndTheOthersAre() throws {
        let journal = Journal()
        let group = ServiceGroup()
        try group.start(Recorder("log", journal))
        #expect(throws: SystemCallError.self) { try group.start(Recorder("owner", journal, failsToStart: true)) }
        group.stop()
        #expect(journal.all == ["started log", "ended log", "stopped log"])
    }
}

