import FairwaySystemd
import FairwayTestSupport
import Glibc
import Testing

extension ProcessWide {
    /// `ListenFDs` with the environment systemd sets for socket activation and a
    /// real listening socket placed at descriptor 3 (`SD_LISTEN_FDS_START`).
    @Suite struct ListenFDsTests {
        /// Puts `fd` at descriptor 3 for the duration of `body`, moving whatever
        /// the process had at 3 out of the way and back afterwards (with its
        /// close-on-exec flag). Closes `fd`; descriptor 3 is closed afterwards.
        func withDescriptorThree(_ fd: Int32, _ body: () throws -> Void) throws {
            let previousFlags = fcntl(3, F_GETFD)
            var saved: Int32 = -1
            if previousFlags >= 0 {
                saved = fcntl(3, F_DUPFD_CLOEXEC, 10)
                guard saved >= 0 else { throw FixtureError("could not move descriptor 3 aside: errno \(errno)") }
            }
            defer {
                close(3)
                if saved >= 0 {
                    dup2(saved, 3)
                    _ = fcntl(3, F_SETFD, previousFlags)
                    close(saved)
                }
            }
            guard dup2(fd, 3) == 3 else { throw FixtureError("dup2 to 3: errno \(errno)") }
            close(fd)
            try body()
        }

        @Test func takesANamedListeningSocket() throws {
            let directory = try TemporaryDirectory(prefix: "fairway-listen")
            defer { directory.remove() }
            let listener = try UnixSockets.streamListener(directory.appending("s.sock"))
            try withDescriptorThree(listener.release()) { () throws in
                withEnvironment([
                    "LISTEN_FDS": "1", "LISTEN_PID": String(getpid()), "LISTEN_FDNAMES": "fairway",
                ]) {
                    // dup2 cleared close-on-exec; take() must set it again.
                    #expect(fcntl(3, F_GETFD) & FD_CLOEXEC == 0)
                    let taken = ListenFDs.take()
                    #expect(taken.count == 1)
                    #expect(taken.first?.fd == 3)
                    #expect(taken.first?.name == "fairway")
                    #expect(ListenFDs.isUnixStreamListener(3))
                    #expect(fcntl(3, F_GETFD) & FD_CLOEXEC != 0)
                    // Unset so that children do not inherit them.
                    #expect(environmentValue("LISTEN_FDS") == nil)
                    #expect(environmentValue("LISTEN_PID") == nil)
                    #expect(environmentValue("LISTEN_FDNAMES") == nil)
                    // Taken once: a second call finds nothing.
                    #expect(ListenFDs.take().isEmpty)
                }
            }
        }

        @Test func anUnnamedSocketIsCalledUnknown() throws {
            let directory = try TemporaryDirectory(prefix: "fairway-listen")
            defer { directory.remove() }
            let listener = try UnixSockets.streamListener(directory.appending("s.sock"))
            try withDescriptorThree(listener.release()) { () throws in
                withEnvironment([
                    "LISTEN_FDS": "1", "LISTEN_PID": String(getpid()), "LISTEN_FDNAMES": nil,
                ]) {
                    let taken = ListenFDs.take()
                    #expect(taken.map(\.fd) == [3])
                    #expect(taken.map(\.name) == ["unknown"])
                }
            }
        }

        @Test func socketsForAnotherProcessAreNotTaken() {
            withEnvironment([
                "LISTEN_FDS": "1", "LISTEN_PID": String(getppid()), "LISTEN_FDNAMES": "fairway",
            ]) {
                #expect(ListenFDs.take().isEmpty)
            }
        }

        @Test func nothingPassedMeansNothingTaken() {
            withEnvironment(["LISTEN_FDS": nil, "LISTEN_PID": nil, "LISTEN_FDNAMES": nil]) {
                #expect(ListenFDs.take().isEmpty)
            }
        }

        @Test func onlyListeningUnixStreamSocketsQualify() throws {
            let directory = try TemporaryDirectory(prefix: "fairway-listen")
            defer { directory.remove() }
            let listener = try UnixSockets.streamListener(directory.appending("listening.sock"))
            defer { try? listener.close() }
            #expect(ListenFDs.isUnixStreamListener(listener.rawValue))

            let notListening = try UnixSockets.bound(directory.appending("bound.sock"), .stream)
            defer { try? notListening.close() }
            #expect(!ListenFDs.isUnixStreamListener(notListening.rawValue))

            let datagram = try UnixSockets.datagramReceiver(directory.appending("dgram.sock"))
            defer { try? datagram.close() }
            #expect(!ListenFDs.isUnixStreamListener(datagram.rawValue))

            var pipeFDs: [Int32] = [0, 0]
            #expect(pipe(&pipeFDs) == 0)
            defer { close(pipeFDs[0]); close(pipeFDs[1]) }
            #expect(!ListenFDs.isUnixStreamListener(pipeFDs[0]))
            #expect(!ListenFDs.isUnixStreamListener(-1))
        }
    }
}
