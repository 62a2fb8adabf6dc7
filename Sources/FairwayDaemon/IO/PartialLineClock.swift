/// How long a connection has left half a request line unsent, counting only
/// the time in which the daemon was willing to read from it: a client whose
/// reading the daemon paused (it is behind with its answers) is not blamed
/// for the bytes waiting in the socket meanwhile.
///
/// A value without I/O: the I/O thread tells it when bytes were read and when
/// the daemon starts or stops being willing to read, in monotonic seconds.
struct PartialLineClock: Equatable, Sendable {
    /// Willing seconds since the last read, before the current willing stretch.
    private var before = 0.0
    /// Start of the current willing stretch; `nil` while reading is paused.
    private var willingSince: Double?

    /// A clock for a connection accepted at `now`, willing to read.
    init(now: Double) { willingSince = now }

    /// Bytes arrived at `now`: the wait starts again.
    mutating func read(at now: Double) {
        before = 0
        if willingSince != nil { willingSince = now }
    }

    /// Whether the daemon is willing to read from `now` on.
    mutating func setWilling(_ willing: Bool, at now: Double) {
        if willing {
            if willingSince == nil { willingSince = now }
        } else if let since = willingSince {
            before += max(0, now - since)
            willingSince = nil
        }
    }

    /// Seconds of willingness without a byte, as of `now`.
    func waited(at now: Double) -> Double {
        before + (willingSince.map { max(0, now - $0) } ?? 0)
    }
}
