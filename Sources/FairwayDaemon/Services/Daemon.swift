import FairwayPOSIX
import FairwayCore
import FairwayProtocol
import FairwayStore
import FairwaySystemd
import Foundation
import CFairwayShim
import Glibc

/// Wires the daemon together: config, store, state owner, sockets, systemd.
public enum Daemon {
    /// Runs `fairwayd` with its command-line arguments (without the program
    /// name) and returns the exit status.
    public static func main(_ arguments: [String]) -> Int32 {
        let options: DaemonOptions
        switch DaemonOptions.parse(arguments) {
        case .success(let o): options = o
        case .failure(let e):
            StandardError.write("fairwayd: \(e.message)\n\(DaemonOptions.usage)\n")
            return 2
        }
        if options.showHelp {
            print(DaemonOptions.usage)
            return 0
        }
        if options.showVersion {
            print("fairwayd \(StateOwner.version)")
            return 0
        }
        var config: FairwayConfig
        switch loadConfig(options) {
        case .success(let c): config = c
        case .failure(let e):
            StandardError.write("fairwayd: configuration error: \(e)\n")
            return 1
        }
        if options.checkOnly {
            print("\(options.configPath): valid")
            return 0
        }

        return serve(options, config)
    }

    /// Runs the daemon: takes the state directory and the socket, loads the
    /// state, then starts its services in order (log writer, state owner,
    /// decoder, I/O) and, once the I/O thread has ended after SIGTERM or
    /// SIGINT, stops them in reverse, each joined before the next.
    static func serve(_ options: DaemonOptions, _ config: FairwayConfig) -> Int32 {
        // Memory: blocks of 256 KiB and more (the order table's arrays, queue
        // and projection buffers, request lines) get their own mappings, so
        // freeing them gives the pages back. By default glibc raises this
        // threshold up to 32 MiB after the first large free, and the freed
        // copies of growing arrays then stay resident in its heaps: about
        // 30-45 bytes per waiting order at 1,000,000 (docs/performance.md).
        let mmapThresholdSet = fairway_set_mmap_threshold(256 * 1024) == 1

        // Signals: SIGPIPE ignored; the rest arrive through a signalfd, so
        // block them before any other thread starts.
        let signals: SignalFD
        do {
            try IgnoredSignal.ignore(SIGPIPE)
            signals = try SignalFD([SIGTERM, SIGINT, SIGHUP])
        } catch {
            StandardError.write("fairwayd: cannot start: \(error)\n")
            return 1
        }

        // Whatever happens below, the services started are stopped in
        // reverse order on the way out, the log writer last.
        let services = ServiceGroup()
        defer { services.stop() }
        let log = EventLog(mode: config.log)
        do {
            try services.start(log)
        } catch {
            StandardError.write("fairwayd: cannot start: \(error)\n")
            return 1
        }
        if config.log == .journal && log.current != .journal {
            log.log("log = journal, but no journal is reachable; logging to stderr", priority: .warning)
        }
        if !mmapThresholdSet {
            log.log("malloc's mmap threshold could not be set; freed memory may stay resident", priority: .warning)
        }
        let startedAt = StateOwner.now()
        func refuse(_ what: String, _ error: any Error) -> Int32 {
            log.log("\(what): \(error)", priority: .crit, event: "start_failed")
            writeStderrIfJournal(log, "fairwayd: \(what): \(error)\n")
            return 1
        }

        // One daemon per state directory; the lock is held until the process ends.
        let lock: FileDescriptor
        do {
            try Listener.makeParentDirectory(of: config.stateDirectory + "/x")
            lock = try StateDirectoryLock.acquire(directory: config.stateDirectory)
        } catch {
            return refuse("cannot start", error)
        }
        defer { withExtendedLifetime(lock) {} }

        // Sockets before the state: a second daemon on a live socket stops
        // here without touching anything, and clients that connect during
        // recovery wait in the backlog until the loop runs.
        var listeners: [FileDescriptor]
        var boundPath: String?
        do {
            listeners = try Listener.fromSystemd()
            if listeners.isEmpty {
                let path = options.socketPath ?? config.socketPath
                listeners = [try Listener.bind(path: path, mode: config.socketMode)]
                boundPath = path
            }
        } catch {
            return refuse("cannot listen", error)
        }
        // The socket file goes when the daemon does (the descriptors close with their owners).
        defer { if let boundPath { Listener.remove(boundPath, log: log) } }

        // State: open, rebuild, and write what the roll to now changed.
        let store: Store
        var scheduler: Scheduler
        do {
            store = try Store(directory: config.stateDirectory, durability: config.durability)
            scheduler = try Scheduler(config: config, restoring: try store.load(), now: StateOwner.now())
            try store.write(scheduler.drainChanges(), from: scheduler)
        } catch {
            return refuse("cannot start", error)
        }

        let mailbox = Mailbox()
        let decoder = LineDecoder(mailbox: mailbox)
        let outbox: Outbox
        let stopRequest: EventFD
        let loop: EventLoop
        do {
            outbox = Outbox(wake: try EventFD())
            stopRequest = try EventFD()
            let configPath = options.configPath
            let socketOverride = options.socketPath
            loop = try EventLoop(
                listeners: listeners, signals: signals, stopRequest: stopRequest, decoder: decoder, mailbox: mailbox, outbox: outbox,
                log: log, limits: config.limits, access: config.access,
                reloadConfig: { loadConfig(DaemonOptions(configPath: configPath, socketPath: socketOverride)) })
        } catch {
            store.close()
            return refuse("cannot start the event loop", error)
        }
        let owner = StateOwner(
            config: config, configPath: options.configPath, store: store, scheduler: scheduler, mailbox: mailbox,
            outbox: outbox, log: log, startedAt: startedAt)
        let status = owner.statusLine()

        // From here the owner and the loop each belong to their own thread.
        // A second stop job (after the I/O thread's) is never taken.
        let io = BoundService("fairway-io", loop, run: { $0.run() }, requestStop: { stopRequest.signal() })
        do {
            try services.start(BoundService(
                "fairway-state", stackSize: StateOwner.stackSize, owner, run: { $0.run() }, requestStop: { mailbox.post(.stop) }))
            try services.start(decoder)
            try services.start(io)
        } catch {
            return refuse("cannot start", error)
        }

        // Recovered and listening: ready. Nothing has been answered yet.
        let where_ = boundPath ?? "a socket passed by systemd"
        log.log("fairwayd \(StateOwner.version) ready on \(where_): \(status)", event: "started")
        _ = try? SystemdNotifier().ready(status: status)

        // Until SIGTERM or SIGINT, and every request read before it answered:
        // the owner has committed everything and closed the store by then.
        io.waitUntilEnded()
        log.log("fairwayd stopped; every acknowledged change is on disk", event: "stopped")
        return 0
    }

    /// Reads and parses the config file, applying command-line overrides.
    static func loadConfig(_ options: DaemonOptions) -> Result<FairwayConfig, ConfigError> {
        let path = options.configPath
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read" : "does not exist"
            return .failure(ConfigError(file: path, line: 0, key: "", message: "the config file \(reason)"))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return .failure(ConfigError(file: path, line: 0, key: "", message: "the config file is not UTF-8 text"))
        }
        do {
            var config = try ConfigParser.parse(text, file: path)
            if let socket = options.socketPath { config.socketPath = socket }
            return .success(config)
        } catch {
            return .failure(error)
        }
    }

    /// When logging went to the journal, also say it on stderr, so that a
    /// person starting the daemon by hand sees why it stopped.
    static func writeStderrIfJournal(_ log: EventLog, _ text: String) {
        if log.current == .journal { StandardError.write(text) }
    }
}
