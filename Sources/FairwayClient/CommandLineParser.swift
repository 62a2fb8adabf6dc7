// argv → Invocation, with every problem reported as a UsageError value.

import FairwayCore

/// Parses `fairwayctl`'s arguments (without the program name).
///
/// Global options (`--socket`, `--json`, `--timeout`, `--help`) may appear
/// anywhere; a command's options may come before or after its positional
/// argument. `--name=value` and `--name value` are both accepted; `--` ends
/// the options. Nothing is sent when parsing fails.
enum CommandLineParser {
    /// The invocation the arguments ask for, or what is wrong with them.
    static func parse(_ arguments: [String]) -> Result<Invocation, UsageError> {
        var state = ParseState()
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if !state.endOfOptions && argument == "--" {
                state.endOfOptions = true
            } else if !state.endOfOptions && argument.hasPrefix("-") && argument != "-" {
                if let error = state.takeOption(argument, next: { () -> String? in
                    guard index < arguments.count else { return nil }
                    index += 1
                    return arguments[index - 1]
                }) {
                    return .failure(error)
                }
            } else if state.commandName == nil {
                guard CommandCatalog.command(named: argument) != nil else {
                    return .failure(UsageError("unknown command '\(argument)'"))
                }
                state.commandName = argument
            } else {
                state.positionals.append(argument)
            }
        }
        return state.invocation()
    }

    /// A whole number in `range`, or a usage error naming the option.
    static func number(_ text: String, option: String, in range: ClosedRange<Int>, command: String?) -> Result<Int, UsageError> {
        guard let value = Int(text), range.contains(value) else {
            let prefix = command.map { "\($0): " } ?? ""
            return .failure(UsageError(
                "\(prefix)--\(option) must be a whole number from \(range.lowerBound) to \(range.upperBound), not '\(text)'",
                command: command))
        }
        return .success(value)
    }

    /// An RFC 3339 time, or a date `YYYY-MM-DD` meaning its midnight UTC, as sent to the daemon.
    static func time(_ text: String, option: String, command: String) -> Result<String, UsageError> {
        if let time = WireTime.requestTime(text) { return .success(time) }
        return .failure(UsageError(
            "\(command): --\(option) must be an RFC 3339 time such as 2026-11-24T09:00:00Z or a date such as 2026-11-24, not '\(text)'",
            command: command))
    }
}

/// What has been read so far.
private struct ParseState {
    var socketPath: String?
    var json = false
    var timeout: String?
    var help = false
    var version = false
    var endOfOptions = false
    var commandName: String?
    var positionals: [String] = []
    var values: [String: String] = [:]
    /// Values of repeatable options, in the order given.
    var lists: [String: [String]] = [:]
    var flags: Set<String> = []

    /// Takes one option (and its value from `next` when it needs one); a usage error if it is not valid here.
    mutating func takeOption(_ argument: String, next: () -> String?) -> UsageError? {
        if argument == "-h" || argument == "--help" {
            help = true
            return nil
        }
        guard argument.hasPrefix("--") else {
            return UsageError("unknown option '\(argument)'", command: commandName)
        }
        var name = String(argument.dropFirst(2))
        var inlineValue: String?
        if let equals = name.firstIndex(of: "=") {
            inlineValue = String(name[name.index(after: equals)...])
            name = String(name[..<equals])
        }
        let spec: OptionSpec
        let isGlobal: Bool
        if let global = CommandCatalog.globalOptions.first(where: { $0.name == name }) {
            spec = global
            isGlobal = true
        } else if let commandName, let command = CommandCatalog.command(named: commandName),
            let option = command.options.first(where: { $0.name == name })
        {
            spec = option
            isGlobal = false
        } else if commandName == nil {
            return UsageError("unknown option '--\(name)' (a command's options go after the command)")
        } else {
            return UsageError("\(commandName!): unknown option '--\(name)'", command: commandName)
        }
        let prefix = isGlobal || commandName == nil ? "" : "\(commandName!): "
        guard spec.valueName != nil else {
            if inlineValue != nil {
                return UsageError("\(prefix)--\(name) takes no value", command: commandName)
            }
            if isGlobal {
                switch name {
                case "json": json = true
                case "version": version = true
                default: help = true
                }
            } else {
                flags.insert(name)
            }
            return nil
        }
        guard let value = inlineValue ?? next() else {
            return UsageError("\(prefix)--\(name) needs a value", command: commandName)
        }
        guard !value.isEmpty else {
            return UsageError("\(prefix)--\(name) must not be empty", command: commandName)
        }
        switch name {
        case "socket":
            socketPath = value
        case "timeout":
            timeout = value
        default:
            if spec.repeatable {
                lists[name, default: []].append(value)
                return nil
            }
            guard values[name] == nil else {
                return UsageError("\(prefix)--\(name) is given twice", command: commandName)
            }
            values[name] = value
        }
        return nil
    }

    /// The invocation, once every argument is read.
    func invocation() -> Result<Invocation, UsageError> {
        if help {
            if commandName == "help" { return helpCommand() }
            return .success(Invocation(socketPath: socketPath, json: json, command: .help(topic: commandName)))
        }
        if version {
            return .success(Invocation(socketPath: socketPath, json: json, command: .version))
        }
        guard let commandName else {
            return .failure(UsageError("no command given"))
        }
        var timeoutSeconds = Invocation.defaultTimeoutSeconds
        if let timeout {
            switch CommandLineParser.number(timeout, option: "timeout", in: 1...86_400, command: nil) {
            case .success(let seconds): timeoutSeconds = seconds
            case .failure(let error): return .failure(error)
            }
        }
        return command(commandName).map {
            Invocation(socketPath: socketPath, json: json, timeoutSeconds: timeoutSeconds, command: $0)
        }
    }

    private func helpCommand() -> Result<Invocation, UsageError> {
        guard positionals.count <= 1 else {
            return .failure(UsageError("help: unexpected argument '\(positionals[1])'", command: "help"))
        }
        if let topic = positionals.first, CommandCatalog.command(named: topic) == nil {
            return .failure(UsageError("help: unknown command '\(topic)'", command: "help"))
        }
        return .success(Invocation(socketPath: socketPath, json: json, command: .help(topic: positionals.first)))
    }

    /// The command `name` from the positional arguments and options.
    private func command(_ name: String) -> Result<Command, UsageError> {
        switch name {
        case "help":
            return helpCommand().map(\.command)
        case "status":
            return noPositional(name).map { .status }
        case "submit":
            return submit()
        case "order":
            return identifier(name).map { .order(id: $0) }
        case "customer":
            return identifier(name, what: "customer ID").map { .customer(id: $0) }
        case "deliver" where values["file"] != nil, "fail" where values["file"] != nil:
            return outcomeFile(name)
        case "deliver":
            let at: String?
            switch optionalTime("at", command: name) {
            case .success(let value): at = value
            case .failure(let error): return .failure(error)
            }
            return identifier(name).map { .deliver(id: $0, at: at) }
        case "capacity":
            return capacity()
        case "history":
            return identifier(name).map { .history(id: $0) }
        case "complain":
            return identifier(name).map { .complain(id: $0, channel: values["channel"], note: values["note"]) }
        case "cancel":
            return identifier(name).map { .cancel(id: $0, reason: values["reason"]) }
        case "fail":
            if case .failure(let error) = identifier(name) { return .failure(error) }
            guard let reason = values["reason"], !reason.isEmpty else {
                return .failure(UsageError("fail: --reason is required (one of the daemon's failure-reasons)", command: name))
            }
            let at: String?
            switch optionalTime("at", command: name) {
            case .success(let value): at = value
            case .failure(let error): return .failure(error)
            }
            return identifier(name).map {
                .fail(id: $0, reason: reason, note: values["note"], at: at, retry: flags.contains("retry"))
            }
        case "queue":
            return queue()
        case "why":
            return identifier(name).map { .why(id: $0) }
        case "at-risk", "overdue":
            return orderList(name)
        case "manifest":
            return manifest()
        case "export":
            return export()
        case "simulate":
            if case .failure(let error) = noPositional(name) { return .failure(error) }
            return SimulateOptions.parse(values: values, lists: lists, flags: flags).map { .simulate($0) }
        case "report":
            return report()
        case "metrics":
            return noPositional(name).map { .metrics(http: flags.contains("http")) }
        case "watch":
            return watch()
        case "expedite":
            return identifier(name).flatMap { id in
                guard let reason = values["reason"] else {
                    return .failure(UsageError("expedite: --reason TEXT is required (it goes in the ledger)", command: name))
                }
                return .success(.expedite(id: id, reason: reason, dryRun: flags.contains("dry-run")))
            }
        case "expedites":
            return expedites()
        case "sample":
            return sample()
        default:
            return schedule()
        }
    }

    private func noPositional(_ name: String) -> Result<Void, UsageError> {
        if let extra = positionals.first {
            return .failure(UsageError("\(name): unexpected argument '\(extra)'", command: name))
        }
        return .success(())
    }

    private func identifier(_ name: String, what: String = "order ID") -> Result<String, UsageError> {
        guard let id = positionals.first else {
            return .failure(UsageError("\(name): missing the \(what)", command: name))
        }
        guard positionals.count == 1 else {
            return .failure(UsageError("\(name): unexpected argument '\(positionals[1])'", command: name))
        }
        guard !id.isEmpty else {
            return .failure(UsageError("\(name): the \(what) must not be empty", command: name))
        }
        return .success(id)
    }

    private func expedites() -> Result<Command, UsageError> {
        if case .failure(let error) = noPositional("expedites") { return .failure(error) }
        var times: [String: String] = [:]
        for option in ["from", "to"] {
            guard let text = values[option] else { continue }
            switch CommandLineParser.time(text, option: option, command: "expedites") {
            case .success(let value): times[option] = value
            case .failure(let error): return .failure(error)
            }
        }
        return .success(.expedites(from: times["from"], to: times["to"]))
    }

    private func manifest() -> Result<Command, UsageError> {
        identifier("manifest", what: "DEPOT").flatMap { depot in
            guard let text = values["slot"] else { return .success(.manifest(depot: depot, slot: nil, csv: flags.contains("csv"))) }
            return CommandLineParser.time(text, option: "slot", command: "manifest").map {
                .manifest(depot: depot, slot: $0, csv: flags.contains("csv"))
            }
        }
    }

    private func outcomeFile(_ name: String) -> Result<Command, UsageError> {
        if let id = positionals.first {
            return .failure(UsageError("\(name): give an order ID or --file, not both ('\(id)')", command: name))
        }
        if let other = values.keys.sorted().first(where: { $0 != "file" }) {
            return .failure(UsageError("\(name): --\(other) goes with one order ID; with --file it comes from each row", command: name))
        }
        return .success(.outcomeFile(op: name, path: values["file"]!))
    }

    private func submit() -> Result<Command, UsageError> {
        guard positionals.count <= 1 else {
            return .failure(UsageError("submit: unexpected argument '\(positionals[1])' (one file at a time)", command: "submit"))
        }
        var options = SubmitOptions()
        if let file = positionals.first {
            guard !file.isEmpty else { return .failure(UsageError("submit: the file name must not be empty", command: "submit")) }
            options.file = file
        }
        if let format = values["format"] {
            guard let parsed = OrderFileFormat(rawValue: format) else {
                return .failure(UsageError("submit: --format must be csv or jsonl, not '\(format)'", command: "submit"))
            }
            options.format = parsed
        }
        if let batch = values["batch"] {
            switch CommandLineParser.number(batch, option: "batch", in: 1...SubmitOptions.maxBatchSize, command: "submit") {
            case .success(let size): options.batchSize = size
            case .failure(let error): return .failure(error)
            }
        }
        options.dryRun = flags.contains("dry-run")
        options.listOrders = flags.contains("orders")
        if options.listOrders && !options.dryRun {
            return .failure(UsageError("submit: --orders goes with --dry-run", command: "submit"))
        }
        return .success(.submit(options))
    }

    /// `report --from T --to T [--by D,D] [--csv]`.
    private func report() -> Result<Command, UsageError> {
        if case .failure(let error) = noPositional("report") { return .failure(error) }
        var times: [String] = []
        for option in ["from", "to"] {
            guard let text = values[option] else {
                return .failure(UsageError("report: --\(option) is required (RFC 3339, or a date YYYY-MM-DD)", command: "report"))
            }
            switch CommandLineParser.time(text, option: option, command: "report") {
            case .success(let value): times.append(value)
            case .failure(let error): return .failure(error)
            }
        }
        let by = values["by"].map { $0.split(separator: ",").map { String($0.trimmingPrefix(" ")) } } ?? []
        return .success(.report(from: times[0], to: times[1], by: by, csv: flags.contains("csv")))
    }

    /// `watch [--events a,b,...]`: the names are checked here, so a typo is a usage error.
    private func watch() -> Result<Command, UsageError> {
        if case .failure(let error) = noPositional("watch") { return .failure(error) }
        let names = values["events"].map { $0.split(separator: ",").map { String($0.trimmingPrefix(" ")) } } ?? []
        let known = EventKind.watchable.map(\.rawValue)
        if let unknown = names.first(where: { !known.contains($0) }) {
            return .failure(UsageError(
                "watch: --events: unknown event '\(unknown)' (known: \(known.joined(separator: ", ")))", command: "watch"))
        }
        return .success(.watch(events: names))
    }

    /// `at-risk` and `overdue`: `[--depot D] [--limit N]`.
    private func orderList(_ name: String) -> Result<Command, UsageError> {
        if case .failure(let error) = noPositional(name) { return .failure(error) }
        var limit: Int?
        if let text = values["limit"] {
            switch CommandLineParser.number(text, option: "limit", in: 1...10_000, command: name) {
            case .success(let value): limit = value
            case .failure(let error): return .failure(error)
            }
        }
        return .success(name == "overdue" ? .overdue(depot: values["depot"], limit: limit) : .atRisk(depot: values["depot"], limit: limit))
    }

    /// The time given with `--option`, if any.
    private func optionalTime(_ option: String, command: String) -> Result<String?, UsageError> {
        guard let text = values[option] else { return .success(nil) }
        return CommandLineParser.time(text, option: option, command: command).map { $0 }
    }

    private func capacity() -> Result<Command, UsageError> {
        let name = "capacity"
        let depot: String
        switch identifier(name, what: "depot") {
        case .success(let value): depot = value
        case .failure(let error): return .failure(error)
        }
        var range: [String] = []
        for option in ["from", "to"] {
            guard let text = values[option] else {
                return .failure(UsageError("capacity: --\(option) is required", command: name))
            }
            switch CommandLineParser.time(text, option: option, command: name) {
            case .success(let value): range.append(value)
            case .failure(let error): return .failure(error)
            }
        }
        if let start = Timestamp(rfc3339: range[0]), let end = Timestamp(rfc3339: range[1]), start >= end {
            return .failure(UsageError("capacity: --from must be before --to", command: name))
        }
        let reset = flags.contains("reset")
        guard reset != (values["set"] != nil) else {
            return .failure(UsageError("capacity: give either --set N or --reset", command: name))
        }
        var capacity: Int?
        if let text = values["set"] {
            switch CommandLineParser.number(text, option: "set", in: 0...100_000_000, command: name) {
            case .success(let value): capacity = value
            case .failure(let error): return .failure(error)
            }
            guard values["reason"].map({ !$0.isEmpty }) == true else {
                return .failure(UsageError("capacity: --reason is required with --set", command: name))
            }
        }
        return .success(.capacity(depot: depot, from: range[0], to: range[1], capacity: capacity, reason: values["reason"]))
    }

    private func queue() -> Result<Command, UsageError> {
        if case .failure(let error) = noPositional("queue") { return .failure(error) }
        var limit: Int?
        if let text = values["limit"] {
            switch CommandLineParser.number(text, option: "limit", in: 1...10_000, command: "queue") {
            case .success(let value): limit = value
            case .failure(let error): return .failure(error)
            }
        }
        return .success(.queue(depot: values["depot"], limit: limit, after: values["after"]))
    }

    private func sample() -> Result<Command, UsageError> {
        if case .failure(let error) = noPositional("sample") { return .failure(error) }
        guard let text = values["now"] else { return .success(.sample(now: nil)) }
        return CommandLineParser.time(text, option: "now", command: "sample").map { .sample(now: $0) }
    }

    private func schedule() -> Result<Command, UsageError> {
        if case .failure(let error) = noPositional("schedule") { return .failure(error) }
        return timeRange("schedule").map { .schedule(depot: values["depot"], from: $0.from, to: $0.to, listOrders: flags.contains("orders")) }
    }

    private func export() -> Result<Command, UsageError> {
        if case .failure(let error) = noPositional("export") { return .failure(error) }
        return timeRange("export").map { .export(from: $0.from, to: $0.to) }
    }

    /// `--from` and `--to` as sent to the daemon, the first before the second.
    private func timeRange(_ command: String) -> Result<(from: String?, to: String?), UsageError> {
        var from: String?
        var to: String?
        if let text = values["from"] {
            switch CommandLineParser.time(text, option: "from", command: command) {
            case .success(let value): from = value
            case .failure(let error): return .failure(error)
            }
        }
        if let text = values["to"] {
            switch CommandLineParser.time(text, option: "to", command: command) {
            case .success(let value): to = value
            case .failure(let error): return .failure(error)
            }
        }
        if let from, let to, let start = Timestamp(rfc3339: from), let end = Timestamp(rfc3339: to), start >= end {
            return .failure(UsageError("\(command): --from must be before --to", command: command))
        }
        return .success((from, to))
    }
}
