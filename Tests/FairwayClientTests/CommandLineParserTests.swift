import Testing

@testable import FairwayClient

@Suite struct CommandLineParserTests {
    private func command(_ arguments: [String]) -> Command? {
        try? parse(arguments).get().command
    }

    private func usageError(_ arguments: [String]) -> UsageError? {
        if case .failure(let error) = parse(arguments) { return error }
        return nil
    }

    @Test func simpleCommands() {
        #expect(command(["status"]) == .status)
        #expect(command(["order", "SO-1"]) == .order(id: "SO-1"))
        #expect(command(["customer", "C-7"]) == .customer(id: "C-7"))
        #expect(command(["deliver", "SO-1"]) == .deliver(id: "SO-1", at: nil))
        #expect(command(["deliver", "SO-1", "--at", "2026-11-24T09:30:00Z"]) == .deliver(id: "SO-1", at: "2026-11-24T09:30:00Z"))
        #expect(command(["history", "SO-1"]) == .history(id: "SO-1"))
        #expect(command(["cancel", "SO-1", "--reason", "dup"]) == .cancel(id: "SO-1", reason: "dup"))
        #expect(command(["fail", "--reason=customer_absent", "SO-1"])
            == .fail(id: "SO-1", reason: "customer_absent", note: nil, at: nil, retry: false))
        #expect(command(["fail", "SO-1", "--reason", "address", "--retry", "--note", "gate locked", "--at", "2026-11-24"])
            == .fail(id: "SO-1", reason: "address", note: "gate locked", at: "2026-11-24T00:00:00Z", retry: true))
        #expect(command(["capacity", "north", "--from", "2026-11-24", "--to", "2026-11-25", "--set", "20", "--reason", "truck 3"])
            == .capacity(depot: "north", from: "2026-11-24T00:00:00Z", to: "2026-11-25T00:00:00Z", capacity: 20, reason: "truck 3"))
        #expect(command(["capacity", "north", "--from", "2026-11-24", "--to", "2026-11-25", "--reset"])
            == .capacity(depot: "north", from: "2026-11-24T00:00:00Z", to: "2026-11-25T00:00:00Z", capacity: nil, reason: nil))
        #expect(command(["complain", "SO-1"]) == .complain(id: "SO-1", channel: nil, note: nil))
        #expect(
            command(["complain", "--channel", "phone", "SO-1", "--note", "--loud--"])
                == .complain(id: "SO-1", channel: "phone", note: "--loud--"))
    }

    @Test func globalOptionsAnywhere() throws {
        let a = try parse(["--socket", "/tmp/s", "--json", "order", "SO-1"]).get()
        #expect(a == Invocation(socketPath: "/tmp/s", json: true, command: .order(id: "SO-1")))
        let b = try parse(["order", "SO-1", "--json", "--socket=/tmp/t", "--timeout", "5"]).get()
        #expect(b == Invocation(socketPath: "/tmp/t", json: true, timeoutSeconds: 5, command: .order(id: "SO-1")))
        let c = try parse(["status"]).get()
        #expect(c.socketPath == nil && !c.json && c.timeoutSeconds == 60)
    }

    @Test func doubleDashEndsOptions() {
        #expect(command(["order", "--", "--weird-id"]) == .order(id: "--weird-id"))
        #expect(command(["order", "-"]) == .order(id: "-"))
    }

    @Test func queueAndSchedule() {
        #expect(command(["queue"]) == .queue(depot: nil, limit: nil, after: nil))
        #expect(
            command(["queue", "--depot", "north", "--limit", "25", "--after", "SO-9"])
                == .queue(depot: "north", limit: 25, after: "SO-9"))
        #expect(command(["schedule"]) == .schedule(depot: nil, from: nil, to: nil, listOrders: false))
        #expect(
            command(["schedule", "--orders", "--from", "2026-11-24", "--to", "2026-11-25T12:00:00+01:00", "--depot=south"])
                == .schedule(depot: "south", from: "2026-11-24T00:00:00Z", to: "2026-11-25T12:00:00+01:00", listOrders: true))
    }

    @Test func submit() {
        #expect(command(["submit"]) == .submit(SubmitOptions()))
        #expect(command(["submit", "-"]) == .submit(SubmitOptions(file: "-")))
        #expect(
            command(["submit", "--batch", "10000", "orders.txt", "--format", "jsonl"])
                == .submit(SubmitOptions(file: "orders.txt", format: .jsonl, batchSize: 10_000)))
        #expect(SubmitOptions(file: "-").path == nil)
        #expect(SubmitOptions(file: "a.csv").path == "a.csv")
    }

    @Test func help() {
        #expect(command(["help"]) == .help(topic: nil))
        #expect(command(["--help"]) == .help(topic: nil))
        #expect(command(["-h"]) == .help(topic: nil))
        #expect(command(["help", "queue"]) == .help(topic: "queue"))
        #expect(command(["queue", "--help"]) == .help(topic: "queue"))
        #expect(command(["order", "-h"]) == .help(topic: "order"))
        // --help wins over missing arguments.
        #expect(command(["cancel", "--help"]) == .help(topic: "cancel"))
    }

    @Test(arguments: [
        ([], "no command given"),
        (["frobnicate"], "unknown command 'frobnicate'"),
        (["--depot", "x", "queue"], "unknown option '--depot'"),
        (["-x", "status"], "unknown option '-x'"),
        (["status", "extra"], "status: unexpected argument 'extra'"),
        (["order"], "order: missing the order ID"),
        (["order", ""], "order: the order ID must not be empty"),
        (["order", "A", "B"], "order: unexpected argument 'B'"),
        (["customer"], "customer: missing the customer ID"),
        (["complain"], "complain: missing the order ID"),
        (["deliver"], "deliver: missing the order ID"),
        (["cancel"], "cancel: missing the order ID"),
        (["fail"], "fail: missing the order ID"),
        (["history"], "history: missing the order ID"),
        (["fail", "SO-1"], "fail: --reason is required"),
        (["deliver", "SO-1", "--at", "noon"], "deliver: --at must be an RFC 3339 time"),
        (["capacity", "--from", "2026-11-24", "--to", "2026-11-25", "--set", "1", "--reason", "x"], "capacity: missing the depot"),
        (["capacity", "north", "--to", "2026-11-25", "--set", "1", "--reason", "x"], "capacity: --from is required"),
        (["capacity", "north", "--from", "2026-11-25", "--to", "2026-11-24", "--reset"], "capacity: --from must be before --to"),
        (["capacity", "north", "--from", "2026-11-24", "--to", "2026-11-25"], "capacity: give either --set N or --reset"),
        (["capacity", "north", "--from", "2026-11-24", "--to", "2026-11-25", "--set", "1"], "capacity: --reason is required with --set"),
        (["capacity", "north", "--from", "2026-11-24", "--to", "2026-11-25", "--set", "-1", "--reason", "x"], "capacity: --set must be a whole number"),
        (["order", "A", "--bogus"], "order: unknown option '--bogus'"),
        (["queue", "--depot"], "queue: --depot needs a value"),
        (["queue", "--depot="], "queue: --depot must not be empty"),
        (["queue", "--depot", "a", "--depot", "b"], "queue: --depot is given twice"),
        (["queue", "--limit", "0"], "queue: --limit must be a whole number from 1 to 10000, not '0'"),
        (["queue", "--limit", "10001"], "queue: --limit must be a whole number from 1 to 10000, not '10001'"),
        (["queue", "--limit", "ten"], "queue: --limit must be a whole number from 1 to 10000, not 'ten'"),
        (["queue", "north"], "queue: unexpected argument 'north'"),
        (["schedule", "--from", "tomorrow"], "schedule: --from must be an RFC 3339 time"),
        (["schedule", "--to", "2026-13-01"], "schedule: --to must be an RFC 3339 time"),
        (["schedule", "--from", "2026-11-25", "--to", "2026-11-24"], "schedule: --from must be before --to"),
        (["schedule", "--orders=yes"], "schedule: --orders takes no value"),
        (["submit", "a.csv", "b.csv"], "submit: unexpected argument 'b.csv'"),
        (["submit", "--format", "xml"], "submit: --format must be csv or jsonl, not 'xml'"),
        (["submit", "--batch", "0"], "submit: --batch must be a whole number from 1 to 10000, not '0'"),
        (["submit", "--batch", "10001"], "submit: --batch must be a whole number from 1 to 10000, not '10001'"),
        (["--timeout", "0", "status"], "--timeout must be a whole number from 1 to 86400, not '0'"),
        (["--socket"], "--socket needs a value"),
        (["--json=1", "status"], "--json takes no value"),
        (["help", "nope"], "help: unknown command 'nope'"),
        (["help", "order", "queue"], "help: unexpected argument 'queue'"),
    ] as [([String], String)])
    func usageErrors(arguments: [String], message: String) {
        let error = usageError(arguments)
        #expect(error != nil, "expected a usage error for \(arguments)")
        #expect(error?.message.hasPrefix(message) == true, "got \(error?.message ?? "nil")")
        let run = runCtl(arguments)
        #expect(run.exit == .usage)
        #expect(run.out.isEmpty)
        #expect(run.err.hasPrefix("fairwayctl: \(message)"))
        #expect(run.err.contains("\nusage: fairwayctl "))
    }

    @Test func usageLineNamesTheCommand() {
        let run = runCtl(["queue", "--limit", "x"])
        #expect(run.err.contains("usage: fairwayctl [--socket PATH] [--json] [--timeout SECONDS] queue [--depot D] [--limit N] [--after ID]\n"))
        #expect(run.err.contains("Run 'fairwayctl help queue' for more."))
    }

    @Test func helpPrintsAndSucceeds() {
        let general = runCtl(["help"])
        #expect(general.exit == .success)
        for spec in CommandCatalog.commands { #expect(general.out.contains("  \(spec.name)")) }
        let one = runCtl(["submit", "--help"])
        #expect(one.exit == .success)
        #expect(one.out.contains("--batch N"))
        #expect(one.err.isEmpty)
    }
}
