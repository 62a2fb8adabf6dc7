// When the daemon cannot be reached: which socket was tried, and what to check.

import FairwayProtocol
import Glibc

/// The socket `fairwayctl` talks to, and where that choice came from.
struct SocketChoice: Sendable, Equatable {
    /// Where the path came from.
    enum Source: Sendable, Equatable {
        /// `--socket PATH`.
        case option
        /// `$FAIRWAY_SOCKET`.
        case environment
        /// Neither was given: ``FairwayCtl/defaultSocketPath``.
        case standard
    }

    /// The socket's path.
    var path: String
    /// Where it came from.
    var source: Source

    /// `--socket` when given, else a non-empty `$FAIRWAY_SOCKET`, else the default.
    init(option: String?, environment: String?) {
        if let option {
            path = option
            source = .option
        } else if let environment, !environment.isEmpty {
            path = environment
            source = .environment
        } else {
            path = FairwayCtl.defaultSocketPath
            source = .standard
        }
    }

    /// `from --socket`, `from $FAIRWAY_SOCKET`, `the default; ...`.
    var origin: String {
        switch source {
        case .option: return "from --socket"
        case .environment: return "from $FAIRWAY_SOCKET"
        case .standard: return "the default; --socket or $FAIRWAY_SOCKET name another"
        }
    }
}

/// The message for a daemon that cannot be reached: the socket tried, where
/// its path came from, what the system said, and the likely causes.
enum UnreachableHint {
    /// The message, one sentence a line: what failed, then what to check.
    static func lines(_ error: ConnectionError, socket: SocketChoice) -> [String] {
        guard error.kind == .connect else { return [error.description] }
        let what = "cannot reach fairwayd at \(socket.path) (\(socket.origin)): \(systemErrorText(error.errorNumber))"
        switch error.errorNumber {
        case ENOENT:
            return [
                what,
                "No socket there: fairwayd is not running, or listens elsewhere.",
                "Under systemd, 'systemctl status fairway.socket fairway' says whether it runs;",
                "started by hand, it listens where its config's 'socket' says (make run: run/fairway.sock).",
            ]
        case ECONNREFUSED:
            return [
                what,
                "The socket file is there but nothing listens on it: fairwayd is not running",
                "(it stopped or crashed). 'systemctl status fairway' and 'journalctl -u fairway' say why.",
            ]
        case EACCES, EPERM:
            return [
                what,
                "Only root and members of the 'fairway' group may connect to the daemon's socket:",
                "'sudo usermod -aG fairway $USER', then log in again (or run 'newgrp fairway').",
            ]
        default:
            return [what, "Is fairwayd running? 'systemctl status fairway' says."]
        }
    }

    /// The lines as one message (for standard error, with a first line and
    /// indented hints).
    static func message(_ error: ConnectionError, socket: SocketChoice) -> String {
        let all = lines(error, socket: socket)
        return ([all[0]] + all.dropFirst().map { "  " + $0 }).joined(separator: "\n")
    }

    /// The JSON error object `--json` prints:
    /// `{"ok":false,"error":{"code":"unreachable","message":"..."}}`, the
    /// message on one line.
    static func jsonLine(_ message: String) -> String {
        let oneLine = message.split(separator: "\n").map { $0.drop { $0 == " " } }.joined(separator: " ")
        var error = JSONObject()
        error.append("code", .string("unreachable"))
        error.append("message", .string(oneLine))
        var object = JSONObject()
        object.append("ok", .bool(false))
        object.append("error", .object(error))
        return JSON.object(object).jsonText
    }
}
