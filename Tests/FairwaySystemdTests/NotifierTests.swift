import FairwayPOSIX
import FairwaySystemd
import FairwayTestSupport
import Glibc
import Testing

extension ProcessWide {
    /// `SystemdNotifier` against a datagram socket the test owns, standing in
    /// for the service manager's `NOTIFY_SOCKET`.
    @Suite struct NotifierTests {
        /// Binds a notify socket in a fresh directory, points `NOTIFY_SOCKET` at
        /// it for the duration of `body`, and cleans up.
        func withNotifySocket(_ body: (Int32) throws -> Void) throws {
            let directory = try TemporaryDirectory(prefix: "fairway-notify")
            defer { directory.remove() }
            let path = directory.appending("notify.sock")
            let socket = try UnixSockets.datagramReceiver(path)
            defer { try? socket.close() }
            try withEnvironment(["NOTIFY_SOCKET": path]) { try body(socket.rawValue) }
        }

        @Test func sendsEachStateAsOneDatagram() throws {
            try withNotifySocket { (fd: Int32) throws in
                let notifier = SystemdNotifier()
                #expect(notifier.isEnabled)

                #expect(try notifier.ready())
                #expect(try UnixSockets.receiveText(fd) == "READY=1")

                #expect(try notifier.status("12 queued, 3 committed"))
                #expect(try UnixSockets.receiveText(fd) == "STATUS=12 queued, 3 committed")

                #expect(try notifier.watchdogPing())
                #expect(try UnixSockets.receiveText(fd) == "WATCHDOG=1")

                #expect(try notifier.stopping())
                #expect(try UnixSockets.receiveText(fd) == "STOPPING=1")

                #expect(try notifier.send("EXTEND_TIMEOUT_USEC=5000000"))
                #expect(try UnixSockets.receiveText(fd) == "EXTEND_TIMEOUT_USEC=5000000")

                #expect(!UnixSockets.hasPending(fd))
            }
        }

        @Test func statusIsOneLine() throws {
            try withNotifySocket { (fd: Int32) throws in
                try SystemdNotifier().status("line one\nline two\r\nthree\rfour")
                #expect(try UnixSockets.receiveText(fd) == "STATUS=line one line two three four")
            }
        }

        @Test func reloadingCarriesTheMonotonicClock() throws {
            try withNotifySocket { (fd: Int32) throws in
                let before = MonotonicClock.microseconds()
                try SystemdNotifier().reloading()
                let after = MonotonicClock.microseconds()
                let lines = try UnixSockets.receiveText(fd).split(separator: "\n").map(String.init)
                #expect(lines.count == 2)
                #expect(lines.first == "RELOADING=1")
                let prefix = "MONOTONIC_USEC="
                let last = try #require(lines.last)
                #expect(last.hasPrefix(prefix))
                let usec = try #require(UInt64(last.dropFirst(prefix.count)))
                #expect(usec >= before && usec <= after)
            }
        }

        @Test func readyAfterReloadWithAndWithoutStatus() throws {
            try withNotifySocket { (fd: Int32) throws in
                let notifier = SystemdNotifier()
                try notifier.readyAfterReload(status: "reloaded:\n2 depots")
                #expect(try UnixSockets.receiveText(fd) == "READY=1\nSTATUS=reloaded: 2 depots")
                try notifier.readyAfterReload()
                #expect(try UnixSockets.receiveText(fd) == "READY=1")
            }
        }

        @Test func withoutNotifySocketNothingIsSent() throws {
            try withEnvironment(["NOTIFY_SOCKET": nil]) { () throws in
                let notifier = SystemdNotifier()
                #expect(!notifier.isEnabled)
                #expect(try notifier.ready() == false)
                #expect(try notifier.status("idle") == false)
            }
        }

        @Test func anUnreachableSocketIsAnError() throws {
            let directory = try TemporaryDirectory(prefix: "fairway-notify")
            defer { directory.remove() }
            withEnvironment(["NOTIFY_SOCKET": directory.appending("nobody-here.sock")]) {
                #expect {
                    try SystemdNotifier().ready()
                } throws: { error in
                    guard let error = error as? SystemdError else { return false }
                    return error.code == .notify && error.errno == ENOENT
                        && error.operation == "sd_notify(\"READY=1\")"
                }
            }
        }

        @Test func watchdogIntervalIsHalfOfWatchdogUsec() {
            let own = String(getpid())
            withEnvironment(["WATCHDOG_USEC": "2000000", "WATCHDOG_PID": own]) {
                #expect(SystemdNotifier.watchdogInterval() == .seconds(1))
            }
            withEnvironment(["WATCHDOG_USEC": "2000000", "WATCHDOG_PID": nil]) {
                #expect(SystemdNotifier.watchdogInterval() == .seconds(1))
            }
            withEnvironment(["WATCHDOG_USEC": "30000000", "WATCHDOG_PID": own]) {
                #expect(SystemdNotifier.watchdogInterval() == .seconds(15))
            }
        }

        @Test func watchdogIsOffForAnotherPidOrWithoutUsec() {
            withEnvironment(["WATCHDOG_USEC": "2000000", "WATCHDOG_PID": String(getppid())]) {
                #expect(SystemdNotifier.watchdogInterval() == nil)
            }
            withEnvironment(["WATCHDOG_USEC": nil, "WATCHDOG_PID": nil]) {
                #expect(SystemdNotifier.watchdogInterval() == nil)
            }
            withEnvironment(["WATCHDOG_USEC": "soon", "WATCHDOG_PID": nil]) {
                #expect(SystemdNotifier.watchdogInterval() == nil)
            }
        }

        @Test func monotonicClockMovesForward() {
            let first = MonotonicClock.microseconds()
            usleep(2_000)
            let second = MonotonicClock.microseconds()
            #expect(first > 0)
            #expect(second >= first + 2_000)
        }
    }
}
