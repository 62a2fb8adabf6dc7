import FairwayPOSIX
import FairwayProtocol
import FairwayTestSupport
import Foundation
import Glibc
import Synchronization

/// A stand-in for fairwayd in tests: a listening Unix socket in a temporary
/// directory, served by a thread that answers each request line with what
/// `answer` returns for it.
///
/// `holdUntil` makes it read that many requests before answering any (a
/// client that waits for each answer before sending the next would time out);
/// `closeAfter` makes it close the connection after that many answers.
final class FakeDaemon: Sendable {
    let directory: TemporaryDirectory
    let path: String
    private let listener: FileDescriptor
    private let requests = Mutex<[String]>([])
    private let finished = DispatchSemaphore(value: 0)

    init(
        holdUntil: Int = 1, closeAfter: Int? = nil,
        answer: @escaping @Sendable (_ request: JSONObject) -> String
    ) throws {
        directory = try TemporaryDirectory(prefix: "fairway-ctl")
        path = directory.appending("fairway.sock")
        listener = try UnixSockets.streamListener(path, backlog: 4)
        let finished = self.finished
        Thread.detachNewThread { [self] in
            self.serve(holdUntil: holdUntil, closeAfter: closeAfter, answer: answer)
            finished.signal()
        }
    }

    /// The request lines received so far.
    var received: [String] { requests.withLock { $0 } }

    /// Waits for the served connection to end, then removes the socket and directory.
    func stop() {
        _ = finished.wait(timeout: .now() + 10)
        try? listener.close()
        directory.remove()
    }

    private func serve(holdUntil: Int, closeAfter: Int?, answer: (JSONObject) -> String) {
        let raw = listener.rawValue
        guard let accepted = try? syscall("accept", { accept(raw, nil, nil) }) else { return }
        let connection = FileDescriptor(owning: accepted)
        let fd = connection.rawValue
        var framer = LineFramer()
        var pending: [[UInt8]] = []
        var answered = 0
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = try? syscall("read") { buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) } }
            guard let n = count, n > 0 else { return }
            framer.append(Array(buffer[0..<n]))
            while case .line(let line)? = framer.next() {
                pending.append(line)
                requests.withLock { $0.append(String(decoding: line, as: UTF8.self)) }
            }
            guard answered + pending.count >= holdUntil else { continue }
            for line in pending {
                if let closeAfter, answered >= closeAfter { return }
                let request = (try? JSONParser.parse(line))?.objectValue ?? JSONObject()
                var reply = Array(answer(request).utf8)
                reply.append(0x0A)
                let sent = try? syscall("send") {
                    reply.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                }
                guard sent != nil else { return }  // the client has gone
                answered += 1
            }
            pending.removeAll()
        }
    }
}

/// `{"id":<echoed>,"ok":true,<fields>}`.
func okReply(_ request: JSONObject, _ fields: String = "") -> String {
    let id = request["id"]?.jsonText ?? "null"
    return fields.isEmpty ? "{\"id\":\(id),\"ok\":true}" : "{\"id\":\(id),\"ok\":true,\(fields)}"
}

/// `{"id":<echoed>,"ok":false,"error":{"code":...,"message":...}}`.
func errorReply(_ request: JSONObject, code: String, message: String) -> String {
    let id = request["id"]?.jsonText ?? "null"
    return "{\"id\":\(id),\"ok\":false,\"error\":{\"code\":\"\(code)\",\"message\":\"\(message)\"}}"
}
