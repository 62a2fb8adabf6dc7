import FairwayCore

/// What a `SIGHUP` reload puts in force at once and what waits for a restart.
///
/// Tiers, weights, capacities, the commit horizon, lead slots, limits and the
/// log sink change while the daemon runs. The socket, its mode, the state
/// directory, durability and a depot's slot length are fixed for the life of
/// the process: when a new file changes them the plan keeps the running values
/// and lists each such key, so the daemon can say that a restart is needed.
struct ReloadPlan: Equatable {
    /// A key whose new value waits for a restart.
    struct RestartOnlyChange: Equatable {
        /// The key as a person finds it in the file: `[daemon] socket`, `[depot.main] slot-length`.
        var key: String
        /// The value in force, as written in a config file.
        var running: String
        /// The value the new file asks for.
        var requested: String
    }

    /// The config to put in force: the new file's, with the restart-only keys
    /// kept at their running values.
    var config: FairwayConfig
    /// The restart-only keys the new file changes, in file order.
    var needsRestart: [RestartOnlyChange]

    /// Compares the `running` config with the `requested` one.
    init(running: FairwayConfig, requested: FairwayConfig) {
        var config = requested
        var changes: [RestartOnlyChange] = []
        func keep<T: Equatable>(_ key: String, _ path: WritableKeyPath<FairwayConfig, T>, _ text: (T) -> String) {
            guard running[keyPath: path] != requested[keyPath: path] else { return }
            changes.append(RestartOnlyChange(key: key, running: text(running[keyPath: path]), requested: text(requested[keyPath: path])))
            config[keyPath: path] = running[keyPath: path]
        }
        keep("[daemon] socket", \.socketPath) { $0 }
        keep("[daemon] socket-mode", \.socketMode) { "0" + String($0, radix: 8) }
        keep("[daemon] state-directory", \.stateDirectory) { $0 }
        keep("[daemon] durability", \.durability) { $0.rawValue }
        for i in config.depots.indices {
            let name = config.depots[i].name
            guard let old = running.depot(named: name), old.slotLength != config.depots[i].slotLength else { continue }
            changes.append(RestartOnlyChange(
                key: "[depot.\(name)] slot-length", running: Self.duration(old.slotLength),
                requested: Self.duration(config.depots[i].slotLength)))
            config.depots[i].slotLength = old.slotLength
        }
        self.config = config
        needsRestart = changes
    }

    /// Seconds written as the config file would: `1d`, `2h`, `15m` or `30s`.
    static func duration(_ seconds: Int64) -> String {
        for (unit, length) in [("d", Int64(86_400)), ("h", 3_600), ("m", 60)] where seconds % length == 0 {
            return "\(seconds / length)\(unit)"
        }
        return "\(seconds)s"
    }
}
