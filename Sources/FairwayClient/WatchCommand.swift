// `watch`: the daemon's events as they happen, one line each, until the
// daemon closes the stream.

import FairwayProtocol

/// Runs `fairwayctl watch [--events a,b,...]`.
enum WatchCommand {
    /// Sends `watch` and prints each event: a readable line, or the line as
    /// it came with `--json`. Ends when the daemon closes the stream:
    /// ``ExitCode/fellBehind`` after an overflow, ``ExitCode/unreachable``
    /// when it stopped (or the connection was lost), ``ExitCode/daemonError``
    /// when it refused the watch, ``ExitCode/success`` when standard output
    /// was closed (nobody reads any more).
    static func run(events: [String], invocation: Invocation, socket: SocketChoice, context: ClientContext) -> ExitCode {
        guard let connection = FairwayCtl.connect(invocation, socket: socket, context: context) else { return .unreachable }
        var request = JSONObject()
        request.append("id", JSON(1))
        request.append("op", .string("watch"))
        if !events.isEmpty { request.append("events", .array(events.map { .string($0) })) }
        let answer: Reply
        do {
            answer = Reply(line: try connection.request(JSON.object(request).serialized()))
        } catch {
            return FairwayCtl.reportUnreachable(error, socket: socket, json: invocation.json, context: context)
        }
        if invocation.json { context.writeOutput(answer.text + "\n") }
        if let error = answer.error {
            context.writeError("fairwayctl: \(error.text)\n")
            return .daemonError
        }
        if !invocation.json {
            let which = events.isEmpty ? "every event" : events.joined(separator: ", ")
            context.writeError("Watching \(which) on \(socket.path); Ctrl-C to stop.\n")
        }
        while true {
            let line: [UInt8]?
            do {
                line = try connection.nextLine()
            } catch {
                context.writeError("fairwayctl: watch: \(error)\n")
                return .unreachable
            }
            guard let line else {
                context.writeError("fairwayctl: watch: the daemon closed the stream (it is stopping or restarting)\n")
                return .unreachable
            }
            let event = (try? JSONParser.parse(line))?.objectValue ?? JSONObject()
            if invocation.json {
                context.writeOutput(String(decoding: line, as: UTF8.self) + "\n")
            } else if event.string("event") != "overflow" {
                context.writeOutput(WatchRenderer.line(event))
            }
            if event.string("event") == "overflow" {
                context.writeError(WatchRenderer.overflow(dropped: event.int("dropped") ?? 0))
                return .fellBehind
            }
            if context.outputFailed() { return .success }
        }
    }
}
