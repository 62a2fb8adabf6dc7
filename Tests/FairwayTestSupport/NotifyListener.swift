// A test-owned NOTIFY_SOCKET: the service manager's side of sd_notify.

import Dispatch
import FairwayPOSIX
import Foundation
import Glibc
import Synchronization

/// A datagram socket bound in a test's directory that plays the service
/// manager: the daemon gets its path as `NOTIFY_SOCKET`, and a reader thread
/// records every message with the monotonic time it arrived.
public final class NotifyListener: Sendable {
    /// One `sd_notify` datagram.
    public struct Message: Sendable {
        /// ``MonotonicClock/seconds()`` when it was received.
        public var at: Double
        /// The raw text: newline-separated `NAME=value` assignments.
        public var text: String
        /// The assignments, by name.
        public var fields: [String: String]
    }

    /// The socket's path, for `NOTIFY_SOCKET`.
    public let path: String
    private let socket: FileDescriptor
    private let received = Mutex<[Message]>([])
    private let stopping = Atomic<Bool>(false)
    private let exited = DispatchSemaphore(value: 0)

    /// Binds `path` (replacing a file there) and starts reading.
    public init(path: String) throws {
        self.path = path
        // A file left by an earlier listener would make bind fail.
        _ = unlink(path)
        socket = try UnixSockets.bound(path, .datagram)
        let thread = Thread { [self] in readLoop() }
        thread.name = "notify-listener"
        thread.start()
    }

    deinit {
        stopping.store(true, ordering: .relaxed)
        exited.wait()
        try? socket.close()
        _ = unlink(path)
    }

    private func readLoop() {
        var buffer = [UInt8](repeating: 0, count: 65536)
        let fd = socket.rawValue
        while !stopping.load(ordering: .relaxed) {
            guard UnixSockets.isReadable(fd, within: 0.05) else { continue }
            let count = try? syscall("recv") {
                buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            }
            guard let n = count, n > 0 else { continue }
            let text = String(decoding: buffer[..<n], as: UTF8.self)
            var fields: [String: String] = [:]
            for line in text.split(separator: "\n") {
                guard let eq = line.firstIndex(of: "=") else { continue }
                fields[String(line[..<eq])] = String(line[line.index(after: eq)...])
            }
            let message = Message(at: MonotonicClock.seconds(), text: text, fields: fields)
            received.withLock { $0.append(message) }
        }
        exited.signal()
    }

    /// Every message so far, in arrival order.
    public var messages: [Message] { received.withLock { $0 } }

    /// The arrival times of the `WATCHDOG=1` pings so far.
    public var pingTimes: [Double] { messages.filter { $0.fields["WATCHDOG"] == "1" }.map(\.at) }

    /// Waits up to `timeout` seconds for a message, from index `after` on,
    /// that satisfies `predicate`; returns its index.
    public func waitForMessage(after: Int = 0, timeout: Double = 20, _ predicate: (Message) -> Bool) -> Int? {
        var found: Int?
        waitUntil(timeout: timeout) {
            let all = messages
            guard after < all.count else { return false }
            found = all[after...].firstIndex(where: predicate)
            return found != nil
        }
        return found
    }
}
