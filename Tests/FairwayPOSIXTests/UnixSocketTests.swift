import FairwayPOSIX
import Foundation
import Glibc
import Testing

@Suite struct UnixSocketTests {
    @Test func anAddressTakesPathsUpToTheLimitOnly() throws {
        #expect(UnixSocketAddress.maxPathBytes == 107)
        let longest = "/" + String(repeating: "a", count: 106)
        #expect(try UnixSocketAddress(path: longest).path == longest)
        #expect(throws: SystemCallError.self) { try UnixSocketAddress(path: longest + "b") }
        #expect(throws: SystemCallError.self) { try UnixSocketAddress(path: "") }
        for (path, expected) in [(longest + "b", ENAMETOOLONG), ("", ENOENT)] {
            do {
                _ = try UnixSocketAddress(path: path)
            } catch {
                #expect(error.errno == expected)
            }
        }
    }

    @Test func bindListenConnectAcceptAndPeerCredentials() throws {
        let path = "/tmp/fw-posix-" + String(UUID().uuidString.prefix(8)) + ".sock"
        defer { unlink(path) }
        let address = try UnixSocketAddress(path: path)
        let listener = try UnixSocket.make(.stream, nonBlocking: true)
        try UnixSocket.bind(listener, to: address)
        try UnixSocket.listen(listener, backlog: 4)
        #expect(try UnixSocket.accept(listener) == nil, "nobody has connected yet")

        let client = try UnixSocket.connect(to: address)
        let server = try #require(try UnixSocket.accept(listener))
        let credentials = try UnixSocket.peerCredentials(server)
        #expect(credentials == UnixSocket.Credentials(pid: getpid(), uid: getuid(), gid: getgid()))

        let hello = Array("hello\n".utf8)
        let sent = try hello.withUnsafeBytes { try client.send($0) }
        #expect(sent == hello.count)
        var buffer = [UInt8](repeating: 0, count: 16)
        let n = try buffer.withUnsafeMutableBytes { try server.read(into: $0) }
        #expect(n == hello.count && Array(buffer[0..<hello.count]) == hello)
        let nothing = try buffer.withUnsafeMutableBytes { try server.read(into: $0) }
        #expect(nothing == nil, "a non-blocking read with nothing waiting says so")
        try client.close()
        let eof = try buffer.withUnsafeMutableBytes { try server.read(into: $0) }
        #expect(eof == 0)
    }

    @Test func connectingWhereNobodyListensNamesThePath() throws {
        let path = "/tmp/fw-posix-absent-" + String(UUID().uuidString.prefix(8)) + ".sock"
        do {
            _ = try UnixSocket.connect(to: try UnixSocketAddress(path: path))
            Issue.record("connected to a socket that does not exist")
        } catch {
            #expect(error.errno == ENOENT)
            #expect(error.operation == "connecting to \(path)")
        }
    }

    @Test func anEventFDWakesAPollerUntilDrained() throws {
        let wake = try EventFD()
        func readable() -> Bool {
            var p = pollfd(fd: wake.descriptor.rawValue, events: Int16(POLLIN), revents: 0)
            return poll(&p, 1, 0) == 1
        }
        #expect(!readable())
        wake.signal()
        wake.signal()
        #expect(readable())
        wake.drain()
        #expect(!readable())
        wake.drain()  // nothing pending: no failure
    }

    @Test func epollReportsWhatIsReadyWithItsTag() throws {
        let epoll = try Epoll()
        let wake = try EventFD()
        try epoll.add(wake.descriptor.rawValue, .readable, tag: 77)
        #expect(try epoll.wait(timeoutMilliseconds: 0).isEmpty)
        wake.signal()
        let events = try epoll.wait(timeoutMilliseconds: 1000)
        #expect(events.count == 1 && events[0].tag == 77 && events[0].events.contains(.readable))
        try epoll.modify(wake.descriptor.rawValue, .writable, tag: 78)
        #expect(try epoll.wait(timeoutMilliseconds: 0).map(\.tag) == [78])
        try epoll.remove(wake.descriptor.rawValue)
        #expect(try epoll.wait(timeoutMilliseconds: 0).isEmpty)
        #expect(throws: SystemCallError.self) { try epoll.remove(wake.descriptor.rawValue) }
    }
}
