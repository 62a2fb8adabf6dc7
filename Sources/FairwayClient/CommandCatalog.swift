// The commands and options `fairwayctl` knows, with their usage and help text.

import FairwayCore

/// An option of a command: `--name` alone, or `--name VALUE` / `--name=VALUE`.
struct OptionSpec: Sendable {
    /// The option without its dashes (`depot` for `--depot`).
    var name: String
    /// What its value is called in help (`D`, `TEXT`), or `nil` for a flag.
    var valueName: String?
    /// One line of help.
    var help: String
    /// Whether it may be given more than once (each value is kept).
    var repeatable = false
}

/// A command's name, positional arguments, options and help.
struct CommandSpec: Sendable {
    /// The command word.
    var name: String
    /// The positional argument's name (`ID`, `FILE|-`), if it takes one.
    var positional: String?
    /// Whether the positional argument may be left out.
    var positionalIsOptional = false
    /// The options it accepts.
    var options: [OptionSpec] = []
    /// One line saying what it does.
    var summary: String
    /// More lines of help, shown by `fairwayctl help COMMAND`.
    var details: [String] = []

    /// The arguments part of its usage line.
    var argumentsUsage: String {
        var parts: [String] = []
        if let positional { parts.append(positionalIsOptional ? "[\(positional)]" : positional) }
        for option in options {
            parts.append(option.valueName.map { "[--\(option.name) \($0)]" } ?? "[--\(option.name)]")
        }
        return parts.joined(separator: " ")
    }
}

/// Every command `fairwayctl` knows, and the help built from them.
enum CommandCatalog {
    /// The options accepted before or after any command.
    static let globalOptions: [OptionSpec] = [
        OptionSpec(
            name: "socket", valueName: "PATH",
            help: "the daemon's socket (default: $FAIRWAY_SOCKET, else \(FairwayCtl.defaultSocketPath))"),
        OptionSpec(name: "json", valueName: nil, help: "print the daemon's answers as they are, one JSON line each"),
        OptionSpec(
            name: "timeout", valueName: "SECONDS",
            help: "give up when the daemon makes no progress for this long (default \(Invocation.defaultTimeoutSeconds))"),
        OptionSpec(name: "help", valueName: nil, help: "show help (also -h; 'fairwayctl COMMAND --help' for one command)"),
        OptionSpec(name: "version", valueName: nil, help: "print fairwayctl's version and exit"),
    ]

    /// The commands, in the order help lists them.
    static let commands: [CommandSpec] = [
        CommandSpec(
            name: "status", summary: "the daemon's counts and each depot's next slots"),
        CommandSpec(
            name: "submit", positional: "FILE|-", positionalIsOptional: true,
            options: [
                OptionSpec(name: "format", valueName: "csv|jsonl", help: "the input format (default: from the file name, else its first character)"),
                OptionSpec(name: "batch", valueName: "N", help: "orders per request, 1 to \(SubmitOptions.maxBatchSize) (default \(SubmitOptions.defaultBatchSize))"),
                OptionSpec(name: "dry-run", valueName: nil, help: "say what the file would do, store nothing (one request: at most \(SubmitOptions.maxBatchSize) orders)"),
                OptionSpec(name: "orders", valueName: nil, help: "with --dry-run: list each order's answer and each waiting order pushed later"),
            ],
            summary: "send orders from a CSV or JSON-lines file (or standard input), in batches",
            details: [
                "CSV: a header row naming the fields (order_id, customer_id, units, cleared_at,",
                "depot, tier, not_before, deadline, notes), RFC 4180 quoting; an empty cell",
                "leaves the field out. JSON lines: one order object per line.",
                "All batches go on one connection; each batch is stored whole or not at all.",
                "--dry-run sends the whole file as one request and prints what a real submit",
                "would do now (committed, queued, and the orders already waiting it would push",
                "later, per tier); nothing is stored, and a reader may ask it.",
            ]),
        CommandSpec(name: "order", positional: "ID", summary: "one order: its state, slot or place in the queue"),
        CommandSpec(
            name: "queue",
            options: [
                OptionSpec(name: "depot", valueName: "D", help: "the depot (default: the daemon's default depot)"),
                OptionSpec(name: "limit", valueName: "N", help: "at most N orders, 1 to 10000 (default 100)"),
                OptionSpec(name: "after", valueName: "ID", help: "start after this queued order"),
            ],
            summary: "queued orders in service order"),
        CommandSpec(
            name: "schedule",
            options: [
                OptionSpec(name: "depot", valueName: "D", help: "one depot (default: every depot)"),
                OptionSpec(name: "from", valueName: "T", help: "slots starting at or after T (RFC 3339, or a date YYYY-MM-DD)"),
                OptionSpec(name: "to", valueName: "T", help: "slots starting before T"),
                OptionSpec(name: "orders", valueName: nil, help: "also list each slot's order ids"),
            ],
            summary: "slots holding orders, with their fill"),
        CommandSpec(
            name: "expedite", positional: "ID",
            options: [
                OptionSpec(name: "reason", valueName: "TEXT", help: "why (required: it goes in the ledger)"),
                OptionSpec(name: "dry-run", valueName: nil, help: "show whom it would displace and the budget left; change nothing"),
            ],
            summary: "move a queued order to the head of its queue, within the slot's expedite budget",
            details: [
                "It takes the earliest slot with room beside the promised orders and expedite",
                "budget left (expedite-budget percent of the slot's capacity); inside the commit",
                "horizon it is promised at once. No promise moves; the waiting orders it pushes",
                "later are listed and each counts it. Every expedite is kept in the ledger.",
            ]),
        CommandSpec(
            name: "expedites",
            options: [
                OptionSpec(name: "from", valueName: "T", help: "expedites made at or after T (RFC 3339, or a date YYYY-MM-DD)"),
                OptionSpec(name: "to", valueName: "T", help: "expedites made before T"),
            ],
            summary: "the expedite ledger: who, when, why, which slot, how many displaced"),
        CommandSpec(
            name: "manifest", positional: "DEPOT",
            options: [
                OptionSpec(name: "slot", valueName: "T", help: "the slot holding time T (RFC 3339, or a date YYYY-MM-DD for its first slot; default: the next bookable slot)"),
                OptionSpec(name: "csv", valueName: nil, help: "CSV for the driver's sheet (position,order_id,customer_id,units,state,deadline,notes)"),
            ],
            summary: "one slot's orders in loading order, with customer, units, deadline and notes",
            details: [
                "Loading order is the schedule's order within the slot: promised orders first,",
                "then projected ones, each in service order. Without --slot: the depot's next",
                "bookable slot, the next truck to load (the first slot of the commit horizon).",
            ]),
        CommandSpec(name: "customer", positional: "ID", summary: "a customer's tier, weight, order counts and recent orders"),
        CommandSpec(
            name: "why", positional: "ID",
            summary: "why an order is not earlier: the reasons, what is ahead of it, the full slots",
            details: [
                "Reasons, most important first: closed, promised (a committed slot does not move),",
                "not_before (the customer asked for no earlier), lead (the earliest bookable slot),",
                "capacity (earlier slots are full), fair_share (orders of higher-value customers,",
                "or received earlier, are ahead of it).",
            ]),
        CommandSpec(
            name: "at-risk",
            options: [
                OptionSpec(name: "depot", valueName: "D", help: "one depot (default: every depot)"),
                OptionSpec(name: "limit", valueName: "N", help: "at most N orders, 1 to 10000 (default 100)"),
            ],
            summary: "open orders that miss their Sales deadline, earliest deadline first, with their notes"),
        CommandSpec(
            name: "overdue",
            options: [
                OptionSpec(name: "depot", valueName: "D", help: "one depot (default: every depot)"),
                OptionSpec(name: "limit", valueName: "N", help: "at most N orders, 1 to 10000 (default 100)"),
            ],
            summary: "promised slots that ended with no outcome recorded (deliver, fail or cancel them)"),
        CommandSpec(
            name: "complain", positional: "ID",
            options: [
                OptionSpec(name: "channel", valueName: "C", help: "how the complaint came in (phone, email, ...)"),
                OptionSpec(name: "note", valueName: "TEXT", help: "what the customer said"),
            ],
            summary: "record a complaint about an order (it never changes the order's place)"),
        CommandSpec(
            name: "deliver", positional: "ID",
            options: [
                OptionSpec(name: "at", valueName: "T", help: "when the goods arrived (RFC 3339; default: now)"),
                Self.outcomeFileOption,
            ],
            summary: "record that an order was delivered",
            details: Self.outcomeFileDetails),
        CommandSpec(
            name: "cancel", positional: "ID",
            options: [OptionSpec(name: "reason", valueName: "TEXT", help: "why")],
            summary: "cancel an order, freeing its slot"),
        CommandSpec(
            name: "fail", positional: "ID",
            options: [
                OptionSpec(name: "reason", valueName: "R", help: "why it failed: one of the daemon's failure-reasons (required)"),
                OptionSpec(name: "retry", valueName: nil, help: "the order goes back in line in its old place (e.g. the customer was out)"),
                OptionSpec(name: "note", valueName: "TEXT", help: "what happened"),
                OptionSpec(name: "at", valueName: "T", help: "when it failed (RFC 3339; default: now)"),
                Self.outcomeFileOption,
            ],
            summary: "record that an order's delivery failed, for good or to be retried",
            details: Self.outcomeFileDetails),
        CommandSpec(
            name: "capacity", positional: "DEPOT",
            options: [
                OptionSpec(name: "from", valueName: "T", help: "the first slot: slots starting at or after T (required)"),
                OptionSpec(name: "to", valueName: "T", help: "slots starting before T (required)"),
                OptionSpec(name: "set", valueName: "N", help: "units per slot there (0: closed)"),
                OptionSpec(name: "reason", valueName: "TEXT", help: "why (required with --set)"),
                OptionSpec(name: "reset", valueName: nil, help: "back to the config's capacity there"),
            ],
            summary: "change a depot's capacity for a range of slots (a truck down, an extra shift)",
            details: [
                "Lowering it moves the fewest promises that no longer fit, last in service order",
                "first, each to the earliest slot with room; they are listed. Raising it moves no",
                "promise: queued orders take the room. At most 10000 slots per change.",
            ]),
        CommandSpec(name: "history", positional: "ID", summary: "everything that happened to an order"),
        CommandSpec(
            name: "export",
            options: [
                OptionSpec(name: "from", valueName: "T", help: "what happened at or after T (RFC 3339, or a date YYYY-MM-DD)"),
                OptionSpec(name: "to", valueName: "T", help: "what happened before T"),
            ],
            summary: "the daemon's history (orders, complaints, capacity changes, expedites) as a scenario trace",
            details: [
                "Writes CSV to standard output: each order at the time the daemon received it",
                "(with its cleared_at), the complaints and expedites about those orders, and the",
                "capacity changes (with those made earlier that still cover the window, first).",
                "Deliveries, failures and cancellations are not in a trace. Replay it with",
                "'fairwayctl simulate --config CONF --trace FILE', under other policies or capacities.",
            ]),
        CommandSpec(
            name: "simulate",
            options: [
                OptionSpec(name: "config", valueName: "CONF", help: "the config to replay with: tiers, depots, horizon, lead"),
                OptionSpec(name: "trace", valueName: "FILE|-", help: "the scenario trace (CSV; - for standard input)"),
                OptionSpec(name: "policy", valueName: "P,...", help: "policies to compare (default: \(ServicePolicy.allCases.map(\.rawValue).joined(separator: ",")))"),
                OptionSpec(name: "capacity", valueName: "DEPOT=N", help: "replay with N units per slot in DEPOT (repeat for more depots)", repeatable: true),
                OptionSpec(name: "svg", valueName: "DIR", help: "also write the charts as SVG files into DIR"),
                OptionSpec(name: "generate", valueName: nil, help: "write a generated trace to standard output instead"),
                OptionSpec(name: "seed", valueName: "N", help: "--generate: the random seed (default 1)"),
                OptionSpec(name: "days", valueName: "D", help: "--generate: days of clearances (default 14)"),
                OptionSpec(name: "customers", valueName: "C", help: "--generate: customers (default 300)"),
                OptionSpec(name: "load", valueName: "L", help: "--generate: units cleared over capacity, e.g. 0.9 (default)"),
                OptionSpec(name: "clump-every", valueName: "H", help: "--generate: hours between clearance clumps (default 8)"),
                OptionSpec(name: "vocal-share", valueName: "P", help: "--generate: share of customers who complain, 0 to 1 (default 0.2)"),
                OptionSpec(name: "expedite-share", valueName: "P", help: "--generate: share of orders an operator expedites, 0 to 1 (default 0)"),
            ],
            summary: "replay a scenario trace under several service policies, or generate one (no daemon needed)",
            details: [
                "Replays the trace on the daemon's own scheduler with a virtual clock, once per",
                "policy: fair (the daemon's), fifo, complaints (most-complained customer first),",
                "strict-tier (highest weight first). Prints per policy the orders placed, waits",
                "in slots (value-weighted mean, per tier mean/p95/max), what complaining buys,",
                "deadlines missed, promises moved, on time to first promise and slot use;",
                "--json prints {policies: [...]}. --svg DIR writes backlog.svg, waits.svg and",
                "slot-use.svg. See docs/simulation.md for the trace format and the metrics.",
                "With --generate (and --config, else examples/scenario.conf's depots and",
                "tiers) it writes a clumpy, seeded trace instead: same options, same trace.",
            ]),
        CommandSpec(
            name: "report",
            options: [
                OptionSpec(name: "from", valueName: "T", help: "the window's start (RFC 3339, or a date YYYY-MM-DD; required)"),
                OptionSpec(name: "to", valueName: "T", help: "the window's end, not included (required)"),
                OptionSpec(name: "by", valueName: "D,D", help: "up to 3 of day, week, weekday, depot, tier, reason"),
                OptionSpec(name: "csv", valueName: nil, help: "CSV for a spreadsheet instead of the table"),
            ],
            summary: "service failures in a window: late, failed, overdue, moved, complaints, by day, depot, ...",
            details: [
                "Counts the orders closed in [from, to) and the promises that ended in it with no outcome.",
                "On a terminal, a bar per row shows on time to first promise.",
            ]),
        CommandSpec(
            name: "metrics",
            options: [
                OptionSpec(name: "http", valueName: nil, help: "answer one HTTP/1.1 GET on standard input and output (for fairway-metrics.socket)"),
            ],
            summary: "the daemon's counters and gauges in the Prometheus text format",
            details: [
                "With --http, fairwayctl reads one HTTP request on standard input and writes the",
                "response on standard output, as a systemd socket unit with Accept=yes runs it:",
                "Prometheus scrapes it without HTTP in the daemon.",
            ]),
        CommandSpec(
            name: "watch",
            options: [
                OptionSpec(name: "events", valueName: "E,E", help: "only these events (default: all): "
                    + EventKind.watchable.map(\.rawValue).joined(separator: ", ")),
            ],
            summary: "the daemon's events as they happen, one line each, until it closes the stream",
            details: [
                "Each event once it is on disk: orders taken in (one line per submit and depot),",
                "promises made and moved, expedites, outcomes, complaints, capacity changes, reloads.",
                "With --json, each event is the daemon's JSON line as it is. Ends with status 4 when",
                "this watcher fell more than 10,000 events behind (the daemon dropped it), 3 when",
                "the daemon stopped; Ctrl-C ends it at any time.",
            ]),
        CommandSpec(
            name: "sample",
            options: [OptionSpec(name: "now", valueName: "T", help: "date the sample as if the clock read T (RFC 3339, or a date YYYY-MM-DD)")],
            summary: "print a sample clump of 300 orders as CSV, dated relative to now (for the README's tour)",
            details: [
                "The same customers, order ids, sizes and depots every time; the clearance times,",
                "deadlines and not_before dates move with the clock, so the orders are never stale.",
                "It fits config/local.conf (depots north and south). Nothing is sent to the daemon:",
                "  fairwayctl sample > clump.csv && fairwayctl submit clump.csv",
            ]),
        CommandSpec(name: "help", positional: "COMMAND", positionalIsOptional: true, summary: "this help, or one command's"),
    ]

    /// `--file F` of `deliver` and `fail`.
    static let outcomeFileOption = OptionSpec(
        name: "file", valueName: "F", help: "record a day's outcomes from a CSV file instead of one ID ('-': standard input)")

    /// What `deliver --file` and `fail --file` read.
    static let outcomeFileDetails = [
        "--file F: CSV rows order_id,at[,reason,note,retry] (deliver: order_id,at), with",
        "an optional header row naming those columns; an empty cell leaves it out (at:",
        "now). Each row is its own request, so one bad row loses nothing else; prints",
        "how many were recorded and each refused row with its reason, exit 1 if any was.",
    ]

    /// The command named `name`, if there is one.
    static func command(named name: String) -> CommandSpec? {
        commands.first { $0.name == name }
    }

    /// The global part of every usage line.
    static let globalUsage = "fairwayctl [--socket PATH] [--json] [--timeout SECONDS]"

    /// The usage line of a command, or the general one for `nil`.
    static func usageLine(for command: String?) -> String {
        guard let command, let spec = self.command(named: command) else {
            return "\(globalUsage) COMMAND [ARGS...]"
        }
        let arguments = spec.argumentsUsage
        return arguments.isEmpty ? "\(globalUsage) \(spec.name)" : "\(globalUsage) \(spec.name) \(arguments)"
    }

    /// The general help text.
    static func generalHelp() -> String {
        var text = "fairwayctl: ask and tell the Fairway delivery-scheduling daemon (fairwayd)\n\n"
        text += "usage: \(usageLine(for: nil))\n\nCommands:\n"
        let heads = commands.map { spec in spec.positional.map { spec.positionalIsOptional ? "\(spec.name) [\($0)]" : "\(spec.name) \($0)" } ?? spec.name }
        let width = heads.map(\.count).max() ?? 0
        for (head, spec) in zip(heads, commands) {
            text += "  \(head.padding(to: width))  \(spec.summary)\n"
        }
        text += "\nOptions (before or after the command):\n"
        text += optionLines(globalOptions)
        text += "\nPositions in the queue are shown counting from 1 (#1 is served next); the JSON\n"
        text += "answers' \"position\" counts from 0.\n"
        text += "\nExit status: 0 success; 1 the daemon answered an error, or submit's file cannot be\n"
        text += "read; 2 usage error; 3 the daemon cannot be reached (with --json, a JSON error\n"
        text += "object on standard output). 'fairwayctl help COMMAND' shows a command's options.\n"
        return text
    }

    /// The help text of one command.
    static func help(for spec: CommandSpec) -> String {
        var text = "usage: \(usageLine(for: spec.name))\n\n\(spec.summary.capitalizedFirst).\n"
        if !spec.details.isEmpty {
            text += "\n" + spec.details.map { $0 + "\n" }.joined()
        }
        if !spec.options.isEmpty {
            text += "\nOptions:\n" + optionLines(spec.options)
        }
        return text
    }

    /// Aligned `--name VALUE  help` lines.
    private static func optionLines(_ options: [OptionSpec]) -> String {
        let heads = options.map { option in option.valueName.map { "--\(option.name) \($0)" } ?? "--\(option.name)" }
        let width = heads.map(\.count).max() ?? 0
        return zip(heads, options).map { "  \($0.padding(to: width))  \($1.help)\n" }.joined()
    }
}

extension String {
    /// The string with its first character upper-cased.
    var capitalizedFirst: String {
        guard let first else { return self }
        return first.uppercased() + dropFirst()
    }

    /// The string padded with spaces on the right to `width` characters.
    func padding(to width: Int) -> String {
        let missing = width - count
        return missing > 0 ? self + String(repeating: " ", count: missing) : self
    }

    /// The string padded with spaces on the left to `width` characters.
    func leftPadding(to width: Int) -> String {
        let missing = width - count
        return missing > 0 ? String(repeating: " ", count: missing) + self : self
    }
}
