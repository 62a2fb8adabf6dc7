/// Whether the I/O thread reads more requests from a connection, decided from
/// the connection's state alone each time it changes (bytes read, an answer
/// delivered, output flushed): reading pauses while `maxInflight` requests
/// wait for answers or `pauseOutputBytes` of answers wait to be sent, and
/// resumes once both are under half of that, whichever change brought them
/// there. The halves keep a connection near a bound from flapping.
struct ReadGate: Equatable, Sendable {
    /// Most requests in flight per connection before reading pauses.
    static let maxInflight = 4096
    /// Unsent output per connection at which reading pauses.
    static let pauseOutputBytes = 4 << 20

    /// Reading is paused.
    private(set) var paused = false

    /// Re-decides from the requests in flight and the unsent output.
    mutating func update(inflight: Int, pendingOutput: Int) {
        if paused {
            paused = !(inflight < Self.maxInflight / 2 && pendingOutput < Self.pauseOutputBytes / 2)
        } else {
            paused = inflight >= Self.maxInflight || pendingOutput >= Self.pauseOutputBytes
        }
    }
}
