import FairwayPOSIX
import FairwayProtocol
import Foundation
import Glibc
import Synchronization
import Testing

/// A raw connection for clients that pipeline: a sender thread writes while
/// the test decides when to read, as a client that reads late does.
private struct PipelinedClient {
    let socket: FileDescriptor

    init(path: String) throws {
        socket = try UnixSocket.connect(to: UnixSocketAddress(path: path))
    }

    /// Writes `bytes` on a thread of its own (blocking while the daemon does
    /// not read); the returned flag is set once all is written or writing failed.
    func sendInBackground(_ bytes: [UInt8]) -> SentFlag {
        let done = SentFlag()
        let socket = self.socket
        Thread {
            var offset = 0
            while offset < bytes.count {
                let n = bytes.withUnsafeBytes { raw in
                    Glibc.send(socket.rawValue, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                offset += n
            }
            done.value.store(1, ordering: .releasing)
        }.start()
        return done
    }

    /// Reads answer lines, calling `line` with each, until `count` came, the
    /// daemon closed, or nothing came for `patience` seconds; returns how many came.
    func read(_ count: Int, patience: Double, _ line: ([UInt8]) -> Void) throws -> Int {
        var framer = LineFramer(maxLineLength: 64 << 20)
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var received = 0
        while received < count {
            var p = pollfd(fd: socket.rawValue, events: Int16(POLLIN), revents: 0)
            let ready = try syscall("poll") { poll(&p, 1, Int32(patience * 1000)) }
            if ready == 0 { return received }
            let n: Int?
            do {
                n = try buffer.withUnsafeMutableBytes { raw throws(SystemCallError) in try socket.read(into: raw) }
            } catch let error as SystemCallError where error.errno == ECONNRESET {
                return received
            }
            guard let n else { continue }
            if n == 0 { return received }
            buffer.withUnsafeBytes { framer.append(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            while received < count, let frame = framer.next(), case .line(let bytes) = frame {
                line(bytes)
                received += 1
            }
        }
        return received
    }
}

/// A flag on the heap, set by the sender thread.
private final class SentFlag: Sendable {
    let value = Atomic<Int>(0)
}

@Suite struct BackpressureTests {
    /// Lines of `{"id":i,"op":"status"}` for i in 0..<count.
    static func statusRequests(_ count: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count * 28)
        for i in 0..<count { bytes += Array(#"{"id":\#(i),"op":"status"}"#.utf8) + [10] }
        return bytes
    }

    /// Pipelined requests sent at once and read only after a pause all get
    /// their answers, in order; the partial-line timer (1 s here) does not
    /// fire while the daemon itself stopped reading.
    @Test(arguments: [(10_000, 0.0), (10_000, 2.0), (10_000, 10.0), (100_000, 0.0), (100_000, 2.0), (100_000, 10.0)])
    func pipelinedRequestsReadLateAreAllAnsweredInOrder(count: Int, delay: Double) throws {
        let d = try DaemonFixture(config: DaemonFixture.defaultConfig + "\n[limits]\npartial-line-timeout = 1s\n")
        let client = try PipelinedClient(path: d.socketPath)
        let sent = client.sendInBackground(Self.statusRequests(count))
        usleep(UInt32(delay * 1_000_000))
        var next = 0
        var wrong: [String] = []
        let received = try client.read(count, patience: 30) { line in
            // The id comes first in every answer: a prefix check keeps 100,000 answers cheap to read.
            let expected = Array(#"{"id":\#(next),"ok":true,"#.utf8)
            if !line.starts(with: expected), wrong.count < 3 {
                wrong.append("answer \(next): \(String(decoding: line.prefix(200), as: UTF8.self))")
            }
            next += 1
        }
        #expect(received == count, "\(received) of \(count) answers after reading from \(delay) s on; daemon: \(d.stderr().suffix(500))")
        #expect(wrong.isEmpty, "\(wrong)")
        #expect(sent.value.load(ordering: .acquiring) == 1)
        #expect(!d.stderr().contains("half a request line"), "\(d.stderr().suffix(500))")
    }

    /// A client that never reads while its answers pile up is cut off at
    /// the bound on unread answers (lowered to 1 MiB here by the debug
    /// build's test hook), and the log names that bound.
    @Test func aClientThatNeverReadsIsDisconnectedByTheBoundOnUnreadAnswers() throws {
        let d = try DaemonFixture(start: false)
        try d.start(environment: ["FAIRWAY_TEST_MAX_OUTPUT_BYTES": String(1 << 20)])
        let greedy = try PipelinedClient(path: d.socketPath)
        let count = 20_000
        _ = greedy.sendInBackground(Self.statusRequests(count))
        #expect(waitUntil(timeout: 60) { d.stderr().contains("bytes of answers unread") }, "\(d.stderr().suffix(500))")
        let log = d.stderr()
        #expect(log.contains("over the bound of 1 MiB of unread answers per connection (the client stopped reading)"), "\(log.suffix(500))")
        #expect(!log.contains("half a request line"))
        // The connection is closed: reading now ends (at the close, or at a reset) before all answers.
        let received = try greedy.read(count, patience: 30) { _ in }
        #expect(received < count)
        #expect(try d.client().call(["op": "status"]).isOK, "others are still served")
    }

    /// When the peer's credentials cannot be read, the connection is refused
    /// with one `forbidden` line and closed, and the daemon logs why.
    @Test func aConnectionWhoseCredentialsCannotBeReadIsRefused() throws {
        let d = try DaemonFixture(start: false)
        var env = ProcessInfo.processInfo.environment
        env["FAIRWAY_TEST_PEER_CREDENTIALS_ERRNO"] = String(EPROTO)
        d.process = try ChildProcess.spawn(
            binaryDirectory() + "/fairwayd", arguments: ["--config", d.configPath], environment: env, stderrPath: d.stderrPath)
        #expect(waitUntil(timeout: 20) { d.stderr().contains("ready on") }, "\(d.stderr())")
        // The refusal comes unasked (a request sent now could meet the close).
        let client = try d.client()
        let answer = try client.receive(timeout: 10)
        #expect(answer.errorCode == "forbidden")
        #expect(answer.errorMessage.contains("peer credentials"), "\(answer.errorMessage)")
        #expect(try client.readLine(timeout: 10) == nil, "the connection is closed")
        #expect(waitUntil(timeout: 5) { d.stderr().contains("refusing a connection: its peer credentials cannot be read") })
        #expect(d.stderr().contains(String(cString: strerror(EPROTO))))
    }
}
