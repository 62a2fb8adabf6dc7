// `metrics`: the daemon's Prometheus text, printed, or served as the answer
// to one HTTP GET on standard input and output (`--http`, for a systemd
// socket unit with Accept=yes).

import FairwayProtocol
import Glibc

/// Runs `fairwayctl metrics [--http]`.
enum MetricsCommand {
    /// The longest request head read before answering 431.
    static let maxHead = 16 * 1024

    static func run(http: Bool, invocation: Invocation, socket: SocketChoice, context: ClientContext) -> ExitCode {
        guard http else { return fetch(invocation, socket: socket, context: context, print: true).code }
        let head = readHead(timeoutSeconds: invocation.timeoutSeconds)
        switch HTTPRequestHead.parse(head) {
        case .failure(let refusal):
            context.writeOutput(HTTPRequestHead.response(status: refusal.status, body: refusal.message + "\n", headOnly: false))
            return .usage
        case .success(let request):
            let (code, text) = fetch(invocation, socket: socket, context: context, print: false)
            let body = code == .success ? text : "fairwayd did not answer: \(text)\n"
            let status = code == .success ? "200 OK" : "503 Service Unavailable"
            context.writeOutput(HTTPRequestHead.response(status: status, body: body, headOnly: request.method == "HEAD"))
            return code
        }
    }

    /// Asks the daemon for `metrics`; returns how it went and the text (or the error).
    private static func fetch(_ invocation: Invocation, socket: SocketChoice, context: ClientContext, print: Bool) -> (code: ExitCode, text: String) {
        let line: [UInt8]
        do {
            let connection = try ClientConnection.connect(to: socket.path, timeoutSeconds: invocation.timeoutSeconds)
            line = try connection.request(JSON.object(["id": JSON(1), "op": "metrics"]).serialized())
        } catch {
            context.writeError("fairwayctl: \(error)\n")
            return (.unreachable, "\(error)")
        }
        let reply = Reply(line: line)
        if let error = reply.error {
            context.writeError("fairwayctl: \(error.text)\n")
            return (.daemonError, error.text)
        }
        let text = reply.fields.string("text") ?? ""
        if print { context.writeOutput(invocation.json ? reply.text + "\n" : text) }
        return (.success, text)
    }

    /// Reads standard input up to the end of an HTTP request head (an empty
    /// line), at most `maxHead` bytes, giving up after `timeoutSeconds` of silence.
    private static func readHead(timeoutSeconds: Int) -> [UInt8] {
        var head: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while head.count < maxHead && HTTPRequestHead.endOfHead(head) == nil {
            var p = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
            let ready = poll(&p, 1, Int32(clamping: timeoutSeconds * 1000))
            if ready < 0 && errno == EINTR { continue }
            if ready <= 0 { break }
            let n = read(0, &buffer, buffer.count)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            head.append(contentsOf: buffer[0..<n])
        }
        return head
    }
}

/// The first line of an HTTP/1.x request, checked: only `GET` and `HEAD`.
struct HTTPRequestHead: Sendable, Equatable {
    var method: String
    var target: String

    /// Why a request is refused: the status line's code and text, and a message.
    struct Refusal: Error, Equatable {
        var status: String
        var message: String
    }

    /// The index just past the empty line ending the head, if it is there.
    static func endOfHead(_ bytes: [UInt8]) -> Int? {
        let crlf: [UInt8] = [13, 10, 13, 10]
        if bytes.count >= 4 {
            for i in 0...(bytes.count - 4) where Array(bytes[i..<(i + 4)]) == crlf { return i + 4 }
        }
        if bytes.count >= 2 {
            for i in 0...(bytes.count - 2) where bytes[i] == 10 && bytes[i + 1] == 10 { return i + 2 }
        }
        return nil
    }

    /// Parses a request head.
    static func parse(_ bytes: [UInt8]) -> Result<HTTPRequestHead, Refusal> {
        guard endOfHead(bytes) != nil else {
            if bytes.count >= MetricsCommand.maxHead {
                return .failure(Refusal(status: "431 Request Header Fields Too Large", message: "the request head is too long"))
            }
            return .failure(Refusal(status: "400 Bad Request", message: "no complete HTTP request head was read"))
        }
        let firstLine = bytes.prefix { $0 != 13 && $0 != 10 }
        let parts = String(decoding: firstLine, as: UTF8.self).split(separator: " ")
        guard parts.count == 3, parts[2].hasPrefix("HTTP/1.") else {
            return .failure(Refusal(status: "400 Bad Request", message: "not an HTTP/1.x request line"))
        }
        let method = String(parts[0])
        guard method == "GET" || method == "HEAD" else {
            return .failure(Refusal(status: "405 Method Not Allowed", message: "only GET and HEAD are served"))
        }
        return .success(HTTPRequestHead(method: method, target: String(parts[1])))
    }

    /// A whole HTTP/1.1 response that closes the connection.
    static func response(status: String, body: String, headOnly: Bool) -> String {
        let contentType = status.hasPrefix("200") ? "text/plain; version=0.0.4; charset=utf-8" : "text/plain; charset=utf-8"
        var text = "HTTP/1.1 \(status)\r\nContent-Type: \(contentType)\r\nContent-Length: \(body.utf8.count)\r\n"
        if status.hasPrefix("405") { text += "Allow: GET, HEAD\r\n" }
        text += "Connection: close\r\n\r\n"
        return headOnly ? text : text + body
    }
}
