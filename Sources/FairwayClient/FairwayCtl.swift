// The entry point of `fairwayctl`: parse, connect, ask, print, exit status.

import FairwayPOSIX
import FairwayProtocol
import Glibc

/// The `fairwayctl` command-line client.
///
/// `fairwayctl [--socket PATH] [--json] [--timeout SECONDS] COMMAND ...`; see
/// `fairwayctl help`. Exit statuses are ``ExitCode`` values: 0 success, 1 the
/// daemon answered an error, 2 usage error, 3 the daemon cannot be reached.
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
        let socketPath = invocation.socketPath
            ?? context.environment["FAIRWAY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
            ?? defaultSocketPath
        switch invocation.command {
        case .help(let topic):
            let text = topic.flatMap(CommandCatalog.command(named:)).map(CommandCatalog.help(for:))
            context.writeOutput(text ?? CommandCatalog.generalHelp())
            return .success
        case .submit(let options):
            return SubmitCommand.run(options, invocation: invocation, socketPath: socketPath, context: context)
        case .manifest(let depot, let slot, let csv):
            return ManifestCommand.run(depot: depot, slot: slot, csv: csv, invocation: invocation, socketPath: socketPath, context: context)
        case .outcomeFile(let op, let path):
            return OutcomeFileCommand.run(op: op, path: path, invocation: invocation, socketPath: socketPath, context: context)
        case .simulate(let options):
            return SimulateCommand.run(options, json: invocation.json, context: context)
        case .metrics(let http):
            return MetricsCommand.run(http: http, invocation: invocation, socketPath: socketPath, context: context)
        default:
            return ask(invocation, socketPath: socketPath, context: context)
        }
    }

    /// A connection to the daemon, or nil after saying on standard error why
    /// there is none (the caller exits with ``ExitCode/unreachable``).
    static func connect(_ invocation: Invocation, socketPath: String, context: ClientContext) -> ClientConnection? {
        do {
            return try ClientConnection.connect(to: socketPath, timeoutSeconds: invocation.timeoutSeconds)
        } catch {
            context.writeError("fairwayctl: \(error)\n")
            return nil
        }
    }

    /// Sends one request and prints its answer.
    private static func ask(_ invocation: Invocation, socketPath: String, context: ClientContext) -> ExitCode {
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
            let connection = try ClientConnection.connect(to: socketPath, timeoutSeconds: invocation.timeoutSeconds)
            let chunks = requests.map { $0 + [0x0A] }
            try connection.exchange(chunks, expecting: chunks.count) { _, line in lines.append(line) }
        } catch {
            context.writeError("fairwayctl: \(error)\n")
            return .unreachable
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
