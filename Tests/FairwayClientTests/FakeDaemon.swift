import FairwayProtocol
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
    let directory: String
    let path: String
    private let listener: Int32
    private let requests = Mutex<[String]>([])
    private let finished = DispatchSemaphore(value: 0)

    init(
        holdUntil: Int = 1, closeAfter: Int? = nil,
        answer: @escaping @Sendable (_ request: JSONObject) -> String
    ) throws {
        var template = Array("/tmp/fairway-ctl-XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw FakeDaemonError("mkdtemp: errno \(errno)")
        }
        directory = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        path = directory + "/fairway.sock"
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard fd >= 0, bound == 0, listen(fd, 4) == 0 else { throw FakeDaemonError("bind/listen: errno \(errno)") }
        listener = fd
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
        close(listener)
        unlink(path)
        rmdir(directory)
    }

    private func serve(holdUntil: Int, closeAfter: Int?, answer: (JSONObject) -> String) {
        let fd = accept(listener, nil, nil)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var framer = LineFramer()
        var pending: [[UInt8]] = []
        var answered = 0
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { return }
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
                _ = reply.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                answered += 1
            }
            pending.removeAll()
        }
    }
}

struct FakeDaemonError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
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
