// `submit`: read orders, send them in pipelined batches, report what was stored.

import FairwayPOSIX
import FairwayProtocol

/// Runs `fairwayctl submit`.
enum SubmitCommand {
    /// Reads the input, sends every batch on one connection, prints the answers
    /// (`--json`) or a summary, and says how to exit.
    static func run(_ options: SubmitOptions, invocation: Invocation, socket: SocketChoice, context: ClientContext) -> ExitCode {
        if options.file == nil && context.standardInputIsTerminal {
            return usage(UsageError("submit: give a FILE, or pipe orders into standard input ('-')", command: "submit"), context)
        }
        let bytes: [UInt8]
        switch context.readInput(options.path) {
        case .success(let read): bytes = read
        case .failure(let error):
            // Not a usage error: the command line was right, the file is not there (or not readable).
            context.writeError("fairwayctl: submit: \(error); nothing was sent\n")
            return .daemonError
        }
        let format = options.format ?? OrderFileReader.guessFormat(path: options.path, bytes: bytes)
        let orders: [SourcedOrder]
        switch OrderFileReader.orders(bytes, format: format, source: options.sourceName) {
        case .success(let read): orders = read
        case .failure(let error): return usage(error, context)
        }
        if options.dryRun {
            return dryRun(orders, options: options, invocation: invocation, socket: socket, context: context)
        }
        let batches = SubmitBatcher.batches(orders, batchSize: options.batchSize)
        if let big = batches.first(where: { $0.request.count - 1 > SubmitBatcher.maxLineBytes }) {
            let message = "submit: \(options.sourceName) \(big.lineRange): this order is too big to send "
                + "(a request line holds at most \(SubmitBatcher.maxLineBytes) bytes); nothing was sent"
            return usage(UsageError(message, command: "submit"), context)
        }

        guard let connection = FairwayCtl.connect(invocation, socket: socket, context: context) else { return .unreachable }
        var tally = SubmitTally(batches: batches)
        var lost: ConnectionError?
        do {
            // Several batches to a terminal: a progress line on standard error, redrawn as answers come.
            let progress = context.standardErrorIsTerminal && batches.count > 1 ? ProgressLine(total: orders.count, unit: "orders") : nil
            let started = MonotonicClock.seconds()
            var shown = ""
            try connection.exchange(batches.map(\.request), expecting: batches.count) { index, line in
                let reply = Reply(line: line)
                if invocation.json { context.writeOutput(reply.text + "\n") }
                tally.record(reply)
                if let progress {
                    shown = progress.line(done: batches[index].orders.upperBound, seconds: MonotonicClock.seconds() - started)
                    context.writeError(shown)
                }
            }
            if let progress, !shown.isEmpty { context.writeError(progress.clear(after: shown)) }
        } catch {
            lost = error
        }
        if !invocation.json { context.writeOutput(tally.summary) }
        context.writeError(tally.atRiskReport(orders: orders))
        context.writeError(tally.problems(orders: orders, source: options.sourceName, json: invocation.json))
        if let lost { _ = FairwayCtl.reportUnreachable(lost, socket: socket, json: invocation.json, context: context) }
        return tally.exitCode
    }

    /// `submit --dry-run`: the whole input as one request with `dry_run`,
    /// then what it would do (`WhatIfRenderer`). A dry run in several
    /// requests would not see the orders of the earlier ones, so an input
    /// that does not fit in one is refused.
    private static func dryRun(
        _ orders: [SourcedOrder], options: SubmitOptions, invocation: Invocation, socket: SocketChoice, context: ClientContext
    ) -> ExitCode {
        let batches = SubmitBatcher.batches(orders, batchSize: SubmitOptions.maxBatchSize, dryRun: true)
        guard batches.count == 1, batches[0].request.count - 1 <= SubmitBatcher.maxLineBytes else {
            let message = "submit: a dry run sends \(options.sourceName) as one request, which holds at most "
                + "\(SubmitOptions.maxBatchSize) orders and \(SubmitBatcher.maxLineBytes) bytes; it has \(orders.count) orders "
                + "in \(batches.map(\.request.count).reduce(0, +)) bytes: split it; nothing was sent"
            return usage(UsageError(message, command: "submit"), context)
        }
        guard let connection = FairwayCtl.connect(invocation, socket: socket, context: context) else { return .unreachable }
        let line: [UInt8]
        do {
            line = try connection.request(Array(batches[0].request.dropLast()))
        } catch {
            context.writeError("fairwayctl: \(error)\n")
            return .unreachable
        }
        let reply = Reply(line: line)
        if invocation.json { context.writeOutput(reply.text + "\n") }
        if reply.error != nil {
            var tally = SubmitTally(batches: batches)
            tally.record(reply)
            context.writeError(tally.problems(orders: orders, source: options.sourceName))
            return .daemonError
        }
        if !invocation.json {
            context.writeOutput(WhatIfRenderer.render(reply.fields, listOrders: options.listOrders))
        }
        return .success
    }

    private static func usage(_ error: UsageError, _ context: ClientContext) -> ExitCode {
        context.writeError(error.text)
        return .usage
    }
}
