// A command line or input that cannot be used: exit status 2.

/// A usage error: what is wrong, and the usage line of the command concerned.
///
/// Printed as `fairwayctl: <message>`, then the usage line, then a pointer to
/// `fairwayctl help`; the process exits with ``ExitCode/usage``.
struct UsageError: Error, Sendable, Equatable {
    /// What is wrong, naming the argument, option, file or line.
    var message: String
    /// The command the usage line is for (`nil`: the general usage).
    var command: String?

    init(_ message: String, command: String? = nil) {
        self.message = message
        self.command = command
    }

    /// The text for standard error.
    var text: String {
        var text = "fairwayctl: \(message)\n"
        text += "usage: \(CommandCatalog.usageLine(for: command))\n"
        let helpTopic = command.map { " \($0)" } ?? ""
        text += "Run 'fairwayctl help\(helpTopic)' for more.\n"
        return text
    }
}
