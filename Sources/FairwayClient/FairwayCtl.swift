// The entry point of `fairwayctl`: parse, connect, ask, print, exit status.

import FairwayCore
import FairwayPOSIX
import FairwayProtocol
import Glibc

/// The `fairwayctl` command-line client.
///
/// `fairwayctl [--socket PATH] [--json] [--timeout SECONDS] COMMAND ...`; see
/// `fairwayctl help`. Exit statuses are ``ExitCode`` values: 0 success, 1 the
/// daemon answered an error (or `submit`'s file cannot be read), 2 usage
/// error, 3 the daemon cannot be reached (or closed a `watch`), 4 a `watch`
/// fell too far behind and was cut off.
public enum FairwayCtl {
    /// The socket used when neither `--socket` nor `FAIRWAY_SOCKET` names one.
    public static let defaultSocketPath = "/run/fairway/fairway.sock"

    /// Runs the client with `arguments` (without the program name), reading
    /// the environment and standard input and writing to standard output and
    /// error, and returns the process exit status.
    public static func run(_ arguments: [String]) -> Int32 {
        try? IgnoredSignal.ignore(SIGPIPE)  // cannot fail for SIGPIPE; sends use MSG_NOSIGNAL as well
        return run(arguments, context: .process()).rawValue
    }

    /// Runs the client in `context`.
    static func run(_ arguments: [String], context: ClientContext) -> ExitCode {
        let invocation: Invocation
        switch CommandLineParser.parse(arguments) {
        case .success(let parsed): invocation = parsed
        case .failure(let error):
            context.writeError(error.text)
            return .usage
        }
        let socket = SocketChoice(option: invocation.socketPath, environment: context.environment["FAIRWAY_SOCKET"])
        switch invocation.command {
        case .help(let topic):
            let text = topic.flatMap(CommandCatalog.command(named:)).map(CommandCatalog.help(for:))
            context.writeOutput(text ?? CommandCatalog.generalHelp())
            return .success
        case .version:
            context.writeOutput("fairwayctl \(FairwayVersion.current)\n")
            return .success
        case .sample(let now):
            let clock = now.flatMap { Timestamp(rfc3339: $0) } ?? context.now()
            context.writeOutput(SampleClump.csv(now: clock))
            return .success
        case .submit(let options):
            return SubmitCommand.run(options, invocation: invocation, socket: socket, context: context)
        case .manifest(let depot, let slot, let csv):
            return ManifestCommand.run(depot: depot, slot: slot, csv: csv, invocation: invocation, socket: socket, context: context)
        case .outcomeFile(let op, let path):
            return OutcomeFileCommand.run(op: op, path: path, invocation: invocation, socket: socket, context: context)
        case .simulate(let options):
            return SimulateCommand.run(options, json: invocation.json, context: context)
        case .metrics(let http):
            return MetricsCommand.run(http: http, invocation: invocation, socket: socket, context: context)
        case .watch(let events):
            return WatchCommand.run(events: events, invocation: invocation, socket: socket, context: context)
        default:
            return ask(invocation, socket: socket, context: context)
        }
    }

    /// A connection to the daemon, or nil after saying why there is none
    /// (``reportUnreachable(_:socket:json:context:)``); the caller exits with
    /// ``ExitCode/unreachable``.
    static func connect(_ invocation: Invocation, socket: SocketChoice, context: ClientContext) -> ClientConnection? {
        do {
            return try ClientConnection.connect(to: socket.path, timeoutSeconds: invocation.timeoutSeconds)
        } catch {
            _ = reportUnreachable(error, socket: socket, json: invocation.json, context: context)
            return nil
        }
    }

    /// Says that the daemon cannot be reached, and why it may be: on standard
    /// error for a person, and with `--json` also as a JSON error object on
    /// standard output, `{"ok":false,"error":{"code":"unreachable","message":...}}`,
    /// so a script reading the answers sees one.
    static func reportUnreachable(_ error: ConnectionError, socket: SocketChoice, json: Bool, context: ClientContext) -> ExitCode {
        let message = UnreachableHint.message(error, socket: socket)
        context.writeError("fairwayctl: \(message)\n")
        if json { context.writeOutput(UnreachableHint.jsonLine(message) + "\n") }
        return .unreachable
    }

    /// Sends one request and prints its answer.
    private static func ask(_ invocation: Invocation, socket: SocketChoice, context: ClientContext) -> ExitCode {
        guard let request = RequestBuilder.request(for: invocation.command, id: 1) else { return .success }
        // `order` for a person also says why it is not earlier (a second request on the same connection).
        var requests = [request.serialized()]
        if !invocation.json, case .order(let id) = invocation.command,
            let why = RequestBuilder.request(for: .why(id: id), id: 2)
        {
            requests.append(why.serialized())
        }
        var lines: [[UInt8]] = []
        do {
            let connection = try ClientConnection.connect(to: socket.path, timeoutSeconds: invocation.timeoutSeconds)
            let chunks = requests.map { $0 + [0x0A] }
            try connection.exchange(chunks, expecting: chunks.count) { _, line in lines.append(line) }
        } catch {
            return reportUnreachable(error, socket: socket, json: invocation.json, context: context)
        }
        let reply = Reply(line: lines[0])
        if invocation.json { context.writeOutput(reply.text + "\n") }
        if let error = reply.error {
            context.writeError("fairwayctl: \(error.text)\n")
            return .daemonError
        }
        if !invocation.json {
            context.writeOutput(ReplyRenderer.render(invocation.command, fields: reply.fields, terminal: context.standardOutputIsTerminal))
            if lines.count > 1, let why = Reply(line: lines[1]).fields.object("why"), let text = why.string("text") {
                context.writeOutput("  Why not earlier: \(text)\n")
            }
        }
        return .success
    }
}
