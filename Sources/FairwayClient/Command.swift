// What the command line asks for, after parsing and validation.

/// One parsed `fairwayctl` command line: where to connect, how to print, what to do.
struct Invocation: Sendable, Equatable {
    /// `--socket PATH`, when given (else `FAIRWAY_SOCKET`, else the default path).
    var socketPath: String?
    /// `--json`: print the daemon's answer lines as they are.
    var json: Bool = false
    /// `--timeout SECONDS`: how long to wait for the daemon without any progress.
    var timeoutSeconds: Int = Invocation.defaultTimeoutSeconds
    /// The command.
    var command: Command

    /// The default `--timeout`.
    static let defaultTimeoutSeconds = 60
}

/// A `fairwayctl` command with its validated arguments.
enum Command: Sendable, Equatable {
    /// `help [COMMAND]`, `--help`, `COMMAND --help`: print help, send nothing.
    case help(topic: String?)
    /// `--version`: print the client's version, send nothing.
    case version
    /// `sample [--now T]`: print the README's sample clump, dated relative to now (or T); send nothing.
    case sample(now: String?)
    /// `status`.
    case status
    /// `submit [FILE|-] [--format csv|jsonl] [--batch N] [--dry-run [--orders]]`.
    case submit(SubmitOptions)
    /// `order ID`.
    case order(id: String)
    /// `queue [--depot D] [--limit N] [--after ID]`.
    case queue(depot: String?, limit: Int?, after: String?)
    /// `schedule [--depot D] [--from T] [--to T] [--orders]`.
    case schedule(depot: String?, from: String?, to: String?, listOrders: Bool)
    /// `customer ID`.
    case customer(id: String)
    /// `complain ID [--channel C] [--note TEXT]`.
    case complain(id: String, channel: String?, note: String?)
    /// `deliver ID [--at T]`.
    case deliver(id: String, at: String?)
    /// `cancel ID [--reason TEXT]`.
    case cancel(id: String, reason: String?)
    /// `fail ID --reason R [--retry] [--note TEXT] [--at T]`.
    case fail(id: String, reason: String, note: String?, at: String?, retry: Bool)
    /// `capacity DEPOT --from T --to T (--set N --reason TEXT | --reset [--reason TEXT])`;
    /// `capacity` nil is `--reset`.
    case capacity(depot: String, from: String, to: String, capacity: Int?, reason: String?)
    /// `export [--from T] [--to T]`: the daemon's history as a scenario trace.
    case export(from: String?, to: String?)
    /// `simulate ...`: a replay or a generated trace; no daemon involved.
    case simulate(SimulateOptions)
    /// `history ID`.
    case history(id: String)
    /// `why ID`.
    case why(id: String)
    /// `at-risk [--depot D] [--limit N]`.
    case atRisk(depot: String?, limit: Int?)
    /// `overdue [--depot D] [--limit N]`.
    case overdue(depot: String?, limit: Int?)
    /// `expedite ID --reason TEXT [--dry-run]`.
    case expedite(id: String, reason: String, dryRun: Bool)
    /// `expedites [--from T] [--to T]`.
    case expedites(from: String?, to: String?)
    /// `manifest DEPOT [--slot T] [--csv]`: one slot's orders in loading order.
    case manifest(depot: String, slot: String?, csv: Bool)
    /// `deliver --file F`, `fail --file F`: one request per row of a CSV file.
    case outcomeFile(op: String, path: String)
    /// `metrics [--http]`.
    case metrics(http: Bool)
    /// `watch [--events a,b,...]`: the events as they happen (none named: all).
    case watch(events: [String])
    /// `report --from T --to T [--by D,...] [--csv]`.
    case report(from: String, to: String, by: [String], csv: Bool)
}

/// The arguments of `submit`.
struct SubmitOptions: Sendable, Equatable {
    /// The file to read; `-` or `nil` (no argument) for standard input.
    var file: String?
    /// `--format`, when given; else guessed from the file name or contents.
    var format: OrderFileFormat?
    /// The path to read, or `nil` for standard input.
    var path: String? { file == "-" ? nil : file }
    /// How the input is named in messages.
    var sourceName: String { path ?? "standard input" }
    /// Orders per `submit` request.
    var batchSize: Int = SubmitOptions.defaultBatchSize

    /// `--dry-run`: ask what the whole file would do, as one request; nothing is stored.
    var dryRun = false
    /// `--orders` (with `--dry-run`): list each order's answer and each order pushed later.
    var listOrders = false

    /// The default `--batch`.
    static let defaultBatchSize = 1000
    /// The largest `--batch` (the daemon's limit per request).
    static let maxBatchSize = 10_000
}

/// The formats `submit` reads.
enum OrderFileFormat: String, Sendable, Equatable, CaseIterable {
    /// Comma-separated values with a header row naming the fields.
    case csv
    /// One JSON object per line.
    case jsonl
}

extension Command {
    /// Whether this is `at-risk`.
    var isAtRisk: Bool {
        if case .atRisk = self { return true }
        return false
    }
}
