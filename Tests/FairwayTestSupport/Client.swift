// A test's connection to the daemon: the real client's connection, plus raw bytes.

public import FairwayClient
public import FairwayProtocol

/// A connection to the daemon's socket as tests use it.
///
/// Every byte goes through the real client's ``ClientConnection`` (connect,
/// writes, framing of answer lines): requests as JSON values, or raw bytes
/// (half a line, invalid UTF-8, many lines at once) for tests of broken and
/// hostile clients. Timeouts are in seconds without progress. Use one client
/// from one thread.
public final class Client {
    /// The real client's connection underneath.
    public let connection: ClientConnection

    /// Connects to the daemon's socket at `path`.
    public init(path: String) throws {
        connection = try ClientConnection.connect(to: path)
    }

    /// The socket's descriptor (to poll it, or to ask how much is unread).
    public var fd: Int32 { connection.descriptor }

    /// Sets the connection's timeout to `seconds`, rounded up to whole seconds.
    private func limit(_ seconds: Double) {
        connection.timeoutSeconds = max(1, Int(seconds.rounded(.up)))
    }

    /// Writes `bytes` as they are, reading nothing; waits while the daemon
    /// does not read, up to `timeout` seconds without progress.
    public func sendRaw(_ bytes: [UInt8], timeout: Double = 300) throws {
        limit(timeout)
        try connection.exchange([bytes], expecting: 0) { _, _ in }
    }

    /// Writes `request` as one line.
    public func send(_ request: JSON) throws { try sendRaw(request.serialized() + [10]) }

    /// The next answer line, waiting up to `timeout` seconds; `nil` when the
    /// daemon has closed the connection (or reset it).
    public func readLine(timeout: Double = 30) throws -> [UInt8]? {
        limit(timeout)
        return try Self.nextLine(connection)
    }

    /// The next line of `connection`, or `nil` when it was closed.
    private static func nextLine(_ connection: ClientConnection) throws(ConnectionError) -> [UInt8]? {
        var line: [UInt8]?
        do {
            try connection.exchange([], expecting: 1) { _, answer in line = answer }
        } catch {
            if error.kind == .closed { return nil }
            throw error
        }
        return line
    }

    /// The next answer, which must be a JSON object.
    public func receive(timeout: Double = 30) throws -> JSONObject {
        guard let line = try readLine(timeout: timeout) else { throw FixtureError("connection closed") }
        guard case .object(let object) = try JSONParser.parse(line) else { throw FixtureError("answer is not an object") }
        return object
    }

    /// Sends `request` and returns its answer (the client's own request and answer path).
    public func call(_ request: JSON, timeout: Double = 30) throws -> JSONObject {
        limit(timeout)
        let line = try connection.request(request.serialized())
        guard case .object(let object) = try JSONParser.parse(line) else { throw FixtureError("answer is not an object") }
        return object
    }

    /// Whether an answer (or the close) is there to read within `seconds`.
    public func hasData(within seconds: Double) -> Bool {
        UnixSockets.isReadable(fd, within: seconds)
    }
}
