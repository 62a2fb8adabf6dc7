import CFairwayShim
import Glibc

/// An epoll instance, level-triggered, used from one thread.
public final class Epoll {
    /// What a descriptor is watched for, or what happened to it.
    public struct Events: OptionSet, Sendable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        /// `EPOLLIN`: there is something to read (or end of file).
        public static let readable = Events(rawValue: EPOLLIN.rawValue)
        /// `EPOLLOUT`: there is room to write.
        public static let writable = Events(rawValue: EPOLLOUT.rawValue)
        /// `EPOLLRDHUP`: the peer shut down its writing side.
        public static let readHangup = Events(rawValue: EPOLLRDHUP.rawValue)
        /// `EPOLLHUP`: both directions are closed (always reported).
        public static let hangup = Events(rawValue: EPOLLHUP.rawValue)
        /// `EPOLLERR`: an error is pending (always reported).
        public static let error = Events(rawValue: EPOLLERR.rawValue)
    }

    /// One readiness report: what happened, and the tag the descriptor was added with.
    public struct Event: Sendable {
        public var events: Events
        public var tag: UInt64
    }

    /// The epoll descriptor.
    public let descriptor: FileDescriptor
    private var buffer: [epoll_event]

    /// A new epoll instance (close-on-exec) that reports up to `maxEvents` per wait.
    public init(maxEvents: Int = 256) throws(SystemCallError) {
        descriptor = FileDescriptor(owning: try syscall("epoll_create1") { epoll_create1(Int32(EPOLL_CLOEXEC)) })
        buffer = [epoll_event](repeating: epoll_event(), count: maxEvents)
    }

    /// Watches `fd` for `events`, reported with `tag`.
    public func add(_ fd: Int32, _ events: Events, tag: UInt64) throws(SystemCallError) {
        try control(EPOLL_CTL_ADD, "epoll_ctl ADD", fd, events, tag: tag)
    }

    /// Changes the events watched on `fd` (and its tag).
    public func modify(_ fd: Int32, _ events: Events, tag: UInt64) throws(SystemCallError) {
        try control(EPOLL_CTL_MOD, "epoll_ctl MOD", fd, events, tag: tag)
    }

    /// Stops watching `fd`.
    public func remove(_ fd: Int32) throws(SystemCallError) {
        try control(EPOLL_CTL_DEL, "epoll_ctl DEL", fd, [], tag: 0)
    }

    private func control(_ op: Int32, _ name: String, _ fd: Int32, _ events: Events, tag: UInt64) throws(SystemCallError) {
        var ev = epoll_event()
        ev.events = events.rawValue
        ev.data.u64 = tag
        let epfd = descriptor.rawValue
        try syscall(name) { epoll_ctl(epfd, op, fd, &ev) }
    }

    /// Waits up to `timeoutMilliseconds` (-1: no limit) and returns what is
    /// ready. A wait cut short by a signal returns nothing.
    public func wait(timeoutMilliseconds: Int32) throws(SystemCallError) -> [Event] {
        let epfd = descriptor.rawValue
        let n = buffer.withUnsafeMutableBufferPointer { b in
            epoll_wait(epfd, b.baseAddress, Int32(b.count), timeoutMilliseconds)
        }
        if n < 0 {
            let e = errno
            if e == EINTR { return [] }
            throw SystemCallError(operation: "epoll_wait", errno: e)
        }
        return buffer[0..<Int(n)].map { Event(events: Events(rawValue: $0.events), tag: $0.data.u64) }
    }
}
