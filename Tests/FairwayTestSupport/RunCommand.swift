// A command run to completion, its output collected.

/// What a finished command left behind.
public struct CommandResult: Sendable {
    /// The exit status, or 128 + signal number when a signal ended it.
    public var status: Int32
    /// Everything it wrote to standard output.
    public var stdout: String
    /// Everything it wrote to standard error.
    public var stderr: String
}

/// Runs `path` with `arguments` to completion (killed after `timeout`
/// seconds, which is an error) and collects its output.
public func runCommand(
    _ path: String, _ arguments: [String], environment: [String: String] = ChildProcess.plainEnvironment(),
    timeout: Double = 120
) throws -> CommandResult {
    let directory = try TemporaryDirectory(prefix: "fairway-cmd")
    let out = directory.appending("out"), err = directory.appending("err")
    let child = try ChildProcess.spawn(path, arguments: arguments, environment: environment, stderrPath: err, stdoutPath: out)
    guard let status = child.wait(timeout: timeout) else {
        throw FixtureError("\(path) \(arguments.joined(separator: " ")) ran longer than \(timeout) s")
    }
    return CommandResult(status: status, stdout: readFile(out), stderr: readFile(err))
}
