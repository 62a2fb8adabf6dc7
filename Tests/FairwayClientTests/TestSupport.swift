import FairwayProtocol
import Testing

@testable import FairwayClient

/// What one in-process run of the client printed and returned.
struct CtlRun {
    var exit: ExitCode
    var out: String
    var err: String
}

/// Collects output in a test (used from one thread).
private final class Output {
    var out = ""
    var err = ""
}

/// Runs the client in-process with fake files, standard input and environment.
func runCtl(
    _ arguments: [String], stdin: String = "", files: [String: String] = [:],
    environment: [String: String] = [:], stdinIsTerminal: Bool = false
) -> CtlRun {
    let output = Output()
    let context = ClientContext(
        environment: environment,
        readInput: { path in
            guard let path else { return .success(Array(stdin.utf8)) }
            guard let text = files[path] else { return .failure(InputError(path: path, errorNumber: 2)) }
            return .success(Array(text.utf8))
        },
        standardInputIsTerminal: stdinIsTerminal,
        writeOutput: { output.out += $0 },
        writeError: { output.err += $0 })
    let exit = FairwayCtl.run(arguments, context: context)
    return CtlRun(exit: exit, out: output.out, err: output.err)
}

/// Parses JSON text in a test.
func json(_ text: String) -> JSON {
    do {
        return try JSONParser.parse(text)
    } catch {
        Issue.record("bad test JSON: \(error): \(text)")
        return .null
    }
}

/// Parses a JSON object in a test.
func object(_ text: String) -> JSONObject {
    json(text).objectValue ?? JSONObject()
}

/// The parse result for `arguments`, or the usage error.
func parse(_ arguments: [String]) -> Result<Invocation, UsageError> {
    CommandLineParser.parse(arguments)
}
