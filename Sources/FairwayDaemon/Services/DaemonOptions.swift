/// The daemon's command line: `fairwayd [--config PATH] [--socket PATH]
/// [--check-config] [--version] [--help]`.
struct DaemonOptions: Equatable {
    var configPath = "/etc/fairway/fairway.conf"
    var socketPath: String?
    var checkOnly = false
    var showVersion = false
    var showHelp = false

    static let usage = """
        usage: fairwayd [--config PATH] [--socket PATH] [--check-config] [--version] [--help]
          --config PATH    the config file (default /etc/fairway/fairway.conf)
          --socket PATH    listen here instead of the config's socket
          --check-config   check the config file and exit (0 when it is valid)
        """

    /// Parses arguments (without the program name); the error names what is wrong.
    static func parse(_ args: [String]) -> Result<DaemonOptions, UsageError> {
        var o = DaemonOptions()
        var i = 0
        func value(_ flag: String) -> Result<String, UsageError> {
            i += 1
            guard i < args.count, !args[i].isEmpty else { return .failure(UsageError(message: "\(flag) needs a value")) }
            return .success(args[i])
        }
        while i < args.count {
            let a = args[i]
            var flag = a
            var inline: String?
            if a.hasPrefix("--"), let eq = a.firstIndex(of: "=") {
                flag = String(a[..<eq])
                inline = String(a[a.index(after: eq)...])
            }
            switch flag {
            case "--config", "-c":
                if let inline { o.configPath = inline } else {
                    switch value(flag) {
                    case .success(let v): o.configPath = v
                    case .failure(let e): return .failure(e)
                    }
                }
            case "--socket", "-s":
                if let inline { o.socketPath = inline } else {
                    switch value(flag) {
                    case .success(let v): o.socketPath = v
                    case .failure(let e): return .failure(e)
                    }
                }
            case "--check-config": o.checkOnly = true
            case "--version": o.showVersion = true
            case "--help", "-h": o.showHelp = true
            default: return .failure(UsageError(message: "unknown argument '\(a)'"))
            }
            i += 1
        }
        return .success(o)
    }
}

/// A command-line mistake.
struct UsageError: Error, Equatable {
    var message: String
}
