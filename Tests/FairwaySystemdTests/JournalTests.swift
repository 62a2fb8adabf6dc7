@testable import FairwaySystemd
import FairwayTestSupport
import Glibc
import Testing

extension ProcessWide {
    /// `Journal` against a real journald, read back with `journalctl`.
    @Suite struct JournalTests {
        /// A value no earlier run has used.
        static func uniqueID(_ prefix: String) -> String {
            "\(prefix)-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        }

        @Test(.enabled(if: JournaldFixture.canRun, "needs root and /lib/systemd/systemd-journald"))
        func everyFieldArrivesIntact() async throws {
            let journald = try JournaldFixture.start()
            defer { journald.stop() }
            #expect(Journal.isAvailable)

            let orderID = Self.uniqueID("TEST")
            let note = "first line\nsecond line\n\ttabbed = with equals"
            let line = #line + 1  // #line of a call is the line it starts on
            let result = Journal.send(
                message: "order \(orderID) ingested",
                priority: .notice,
                fields: [
                    (name: "SYSLOG_IDENTIFIER", value: "fairwayd"),
                    (name: "FAIRWAY_EVENT", value: "ingested"),
                    (name: "ORDER_ID", value: orderID),
                    (name: "CUSTOMER_ID", value: "C-77"),
                    (name: "DEPOT", value: "north"),
                    (name: "SLOT_START", value: "2026-11-24T00:00:00Z"),
                    (name: "NOTES", value: note),
                    (name: "UNICODE", value: "Zürich – 東京 ✓"),
                    (name: "EMPTY", value: ""),
                ])
            #expect(result == 0)

            let entries = try JournaldFixture.entries(matching: "ORDER_ID=\(orderID)")
            #expect(entries.count == 1)
            let entry = try #require(entries.first)
            #expect(entry["MESSAGE"] == "order \(orderID) ingested")
            #expect(entry["PRIORITY"] == "5")
            #expect(entry["SYSLOG_IDENTIFIER"] == "fairwayd")
            #expect(entry["FAIRWAY_EVENT"] == "ingested")
            #expect(entry["ORDER_ID"] == orderID)
            #expect(entry["CUSTOMER_ID"] == "C-77")
            #expect(entry["DEPOT"] == "north")
            #expect(entry["SLOT_START"] == "2026-11-24T00:00:00Z")
            #expect(entry["NOTES"] == note)
            #expect(entry["UNICODE"] == "Zürich – 東京 ✓")
            #expect(entry["EMPTY"] == "")
            #expect(entry["CODE_FILE"] == #fileID)
            #expect(entry["CODE_LINE"] == String(line))
            #expect(entry["CODE_FUNC"] == "everyFieldArrivesIntact()")
            #expect(entry["_PID"] == String(getpid()))
            #expect(entry["_TRANSPORT"] == "journal")
        }

        @Test(.enabled(if: JournaldFixture.canRun, "needs root and /lib/systemd/systemd-journald"))
        func entriesAndLargeValuesArrive() async throws {
            let journald = try JournaldFixture.start()
            defer { journald.stop() }

            let orderID = Self.uniqueID("BIG")
            // Larger than a datagram can carry: libsystemd passes it in a memfd.
            let big = String(repeating: "0123456789abcdef", count: 16 * 1024) + "\nend"
            var entry = JournalEntry(
                message: "large entry", priority: .debug, identifier: "fairwayd",
                fields: [(name: "ORDER_ID", value: orderID)])
            entry.append("FAIRWAY_EVENT", "reload")
            entry.append("PAYLOAD", big)
            #expect(entry.message == "large entry")
            #expect(entry.priority == .debug)
            #expect(entry.send() == 0)

            let found = try JournaldFixture.entries(matching: "ORDER_ID=\(orderID)")
            let stored = try #require(found.first)
            #expect(stored["MESSAGE"] == "large entry")
            #expect(stored["PRIORITY"] == "7")
            #expect(stored["FAIRWAY_EVENT"] == "reload")
            #expect(stored["PAYLOAD"]?.utf8.count == big.utf8.count)
            #expect(stored["PAYLOAD"] == big)
        }

        @Test func invalidFieldsAreRefusedBeforeSending() {
            #expect(Journal.send([]) == -EINVAL)
            #expect(Journal.send([(name: "lowercase", value: "x")]) == -EINVAL)
            #expect(Journal.send([(name: "MESSAGE", value: "ok"), (name: "_PID", value: "1")]) == -EINVAL)
            #expect(Journal.send([(name: "", value: "x")]) == -EINVAL)
            #expect(Journal.send([(name: "BAD NAME", value: "x")]) == -EINVAL)
            #expect(Journal.send([(name: "NEW\nLINE", value: "x")]) == -EINVAL)
        }

        @Test func fieldNameRules() {
            #expect(JournalEntry.isValidFieldName("MESSAGE"))
            #expect(JournalEntry.isValidFieldName("ORDER_ID"))
            #expect(JournalEntry.isValidFieldName("A1_2"))
            #expect(JournalEntry.isValidFieldName(String(repeating: "A", count: 64)))
            #expect(!JournalEntry.isValidFieldName(String(repeating: "A", count: 65)))
            #expect(!JournalEntry.isValidFieldName(""))
            #expect(!JournalEntry.isValidFieldName("_PRIVATE"))
            #expect(!JournalEntry.isValidFieldName("1ST"))
            #expect(!JournalEntry.isValidFieldName("Order_Id"))
            #expect(!JournalEntry.isValidFieldName("ÄÖ"))
        }

        @Test func priorities() {
            #expect(JournalPriority.allCases.map(\.rawValue) == Array(0...7))
            #expect(JournalPriority.info.fieldValue == "6")
            #expect(JournalPriority.emerg < .debug)
            let entry = JournalEntry(message: "m", priority: .warning)
            #expect(entry.fields.map(\.name) == ["MESSAGE", "PRIORITY"])
            #expect(entry["PRIORITY"] == "4")
        }

        @Test func journalStreamIsRecognisedByDeviceAndInode() {
            var info = stat()
            #expect(fstat(STDERR_FILENO, &info) == 0)
            withEnvironment(["JOURNAL_STREAM": "\(info.st_dev):\(info.st_ino)"]) {
                #expect(Journal.stderrIsJournalStream())
                #expect(Journal.isAvailable)
            }
            withEnvironment(["JOURNAL_STREAM": "\(info.st_dev):\(info.st_ino &+ 1)"]) {
                #expect(!Journal.stderrIsJournalStream())
            }
            withEnvironment(["JOURNAL_STREAM": "garbage"]) {
                #expect(!Journal.stderrIsJournalStream())
            }
            withEnvironment(["JOURNAL_STREAM": nil]) {
                #expect(!Journal.stderrIsJournalStream())
            }
        }

        @Test func onlyALiveSocketCounts() throws {
            let directory = try TemporaryDirectory(prefix: "fairway-journal")
            defer { directory.remove() }
            let live = directory.appending("live.sock")
            let socket = try UnixSockets.datagramReceiver(live)
            #expect(Journal.socketAcceptsConnections(live))
            try socket.close()
            // The file stays behind, like a crashed journald's socket.
            #expect(!Journal.socketAcceptsConnections(live))
            #expect(!Journal.socketAcceptsConnections(directory.appending("missing.sock")))
            #expect(!Journal.socketAcceptsConnections(directory.path))
        }
    }
}
