/// A problem in a config file, naming the file, the line and the key.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file's path as given.
    public var file: String
    /// 1-based line number; 0 when the problem is about the file as a whole.
    public var line: Int
    /// The key (or `[section]`) concerned, empty when none applies.
    public var key: String
    /// What is wrong.
    public var message: String

    /// Creates an error for `file`, `line` and `key`.
    public init(file: String, line: Int, key: String, message: String) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

    public var description: String {
        let place = line > 0 ? "\(file):\(line)" : file
        return key.isEmpty ? "\(place): \(message)" : "\(place): \(key): \(message)"
    }
}

/// Parses the INI-style config file of the contract (version 1) into a
/// `FairwayConfig`. Pure: takes the text, never reads the disk.
public enum ConfigParser {
    /// Parses `text`, read from `file` (used in error messages only).
    public static func parse(_ text: String, file: String) throws(ConfigError) -> FairwayConfig {
        var config = FairwayConfig()
        var section = ""
        var sectionLine = 0
        var seen: [String: Int] = [:]  // "section.key" -> line
        var tierLines: [String: Int] = [:]
        var depotLines: [String: Int] = [:]
        var tierWeights: [String: Int] = [:]
        var depotSlot: [String: Int64] = [:]
        var depotCap: [String: Int] = [:]
        var tierOrder: [String] = []
        var depotOrder: [String] = []

        func fail(_ line: Int, _ key: String, _ message: String) -> ConfigError {
            ConfigError(file: file, line: line, key: key, message: message)
        }

        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = Substring(rawLine)
            if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
            let trimmed = line.trimmingSpaces()
            if trimmed.isEmpty { continue }
            if trimmed.hasPrefix("[") {
                guard trimmed.hasSuffix("]") else { throw fail(lineNumber, String(trimmed), "a section header must end with ']'") }
                let name = String(trimmed.dropFirst().dropLast()).trimmingSpaces()
                section = name
                sectionLine = lineNumber
                if name == "daemon" || name == "scheduling" || name == "limits" || name == "access" || name == "outcomes" {
                    // known singleton sections
                } else if let tierName = name.dropPrefix("tier.") {
                    guard isValidName(tierName) else { throw fail(lineNumber, "[\(name)]", "a tier name is 1..64 of A-Z a-z 0-9 _ -") }
                    if tierLines[tierName] != nil { throw fail(lineNumber, "[\(name)]", "tier '\(tierName)' is defined twice") }
                    tierLines[tierName] = lineNumber
                    tierOrder.append(tierName)
                } else if let depotName = name.dropPrefix("depot.") {
                    guard isValidName(depotName) else { throw fail(lineNumber, "[\(name)]", "a depot name is 1..64 of A-Z a-z 0-9 _ -") }
                    if depotLines[depotName] != nil { throw fail(lineNumber, "[\(name)]", "depot '\(depotName)' is defined twice") }
                    depotLines[depotName] = lineNumber
                    depotOrder.append(depotName)
                } else {
                    throw fail(lineNumber, "[\(name)]", "unknown section (known: [daemon], [scheduling], [limits], [access], [outcomes], [tier.NAME], [depot.NAME])")
                }
                continue
            }
            guard let eq = trimmed.firstIndex(of: "=") else {
                throw fail(lineNumber, String(trimmed), "expected 'key = value'")
            }
            let key = String(trimmed[..<eq]).trimmingSpaces()
            let value = String(trimmed[trimmed.index(after: eq)...]).trimmingSpaces()
            guard !section.isEmpty else { throw fail(lineNumber, key, "key outside of any section") }
            let fullKey = "\(section).\(key)"
            if let earlier = seen[fullKey] { throw fail(lineNumber, key, "set twice in [\(section)] (first on line \(earlier))") }
            seen[fullKey] = lineNumber
            guard !value.isEmpty else { throw fail(lineNumber, key, "has no value") }

            func integer(min: Int, max: Int = Int.max) throws(ConfigError) -> Int {
                guard let n = Int(value), n >= min, n <= max else {
                    let range = max == Int.max ? "an integer ≥ \(min)" : "an integer \(min)..\(max)"
                    throw fail(lineNumber, key, "'\(value)' is not \(range)")
                }
                return n
            }

            switch section {
            case "daemon":
                switch key {
                case "socket":
                    guard value.hasPrefix("/") || value.hasPrefix(".") else { throw fail(lineNumber, key, "must be a path") }
                    config.socketPath = value
                case "socket-mode":
                    guard let mode = UInt32(value, radix: 8), mode <= 0o777 else { throw fail(lineNumber, key, "'\(value)' is not an octal mode like 0660") }
                    config.socketMode = mode
                case "state-directory":
                    config.stateDirectory = value
                case "log":
                    guard let mode = FairwayConfig.LogMode(rawValue: value) else { throw fail(lineNumber, key, "'\(value)' is not one of journal, stderr, auto") }
                    config.log = mode
                case "durability":
                    guard let d = FairwayConfig.Durability(rawValue: value) else { throw fail(lineNumber, key, "'\(value)' is not one of full, normal") }
                    config.durability = d
                default:
                    throw fail(lineNumber, key, "unknown key in [daemon] (known: socket, socket-mode, state-directory, log, durability)")
                }
            case "scheduling":
                switch key {
                case "default-depot": config.defaultDepot = value
                case "default-tier": config.defaultTier = value
                case "commit-horizon": config.commitHorizon = try integer(min: 0, max: 10_000)
                case "lead-slots": config.leadSlots = try integer(min: 0, max: 10_000)
                case "expedite-budget": config.expediteBudget = try integer(min: 0, max: 100)
                default:
                    throw fail(lineNumber, key, "unknown key in [scheduling] (known: default-depot, default-tier, commit-horizon, lead-slots, expedite-budget)")
                }
            case "outcomes":
                guard key == "failure-reasons" else {
                    throw fail(lineNumber, key, "unknown key in [outcomes] (known: failure-reasons)")
                }
                let reasons = value.split(separator: ",").map { $0.trimmingSpaces() }
                for r in reasons where !isValidName(r) {
                    throw fail(lineNumber, key, "'\(r)' is not a reason name (1..64 of A-Z a-z 0-9 _ -)")
                }
                if let twice = reasons.first(where: { r in reasons.filter { $0 == r }.count > 1 }) {
                    throw fail(lineNumber, key, "'\(twice)' is listed twice")
                }
                config.failureReasons = reasons
            case "limits":
                switch key {
                case "max-line-bytes": config.limits.maxLineBytes = try integer(min: 1024, max: 1_048_576)
                case "max-batch": config.limits.maxBatch = try integer(min: 1, max: 10_000)
                case "max-connections": config.limits.maxConnections = try integer(min: 1, max: 65_536)
                case "partial-line-timeout":
                    guard let seconds = Timestamp.parseDuration(value), seconds >= 1 else {
                        throw fail(lineNumber, key, "'\(value)' is not a duration like 30s or 2m")
                    }
                    config.limits.partialLineTimeout = seconds
                case "max-pending-bytes": config.limits.maxPendingBytes = try integer(min: 1024, max: 1 << 40)
                case "reserved-operator-connections": config.limits.reservedOperatorConnections = try integer(min: 0, max: 65_535)
                case "max-connections-per-user": config.limits.maxConnectionsPerUser = try integer(min: 1, max: 65_536)
                case "max-answer-bytes": config.limits.maxAnswerBytes = try integer(min: 1 << 20, max: 1 << 40)
                default:
                    throw fail(lineNumber, key, "unknown key in [limits] (known: max-line-bytes, max-batch, max-connections, partial-line-timeout, "
                        + "max-pending-bytes, reserved-operator-connections, max-connections-per-user, max-answer-bytes)")
                }
            case "access":
                let entries = value.split(separator: ",").map { $0.trimmingSpaces() }.filter { !$0.isEmpty }
                for e in entries where !isValidAccessEntry(e) {
                    throw fail(lineNumber, key, "'\(e)' is not a user name, uid, @group or *")
                }
                switch key {
                case "operators": config.access.operators = entries
                case "readers": config.access.readers = entries
                default: throw fail(lineNumber, key, "unknown key in [access] (known: operators, readers)")
                }
            default:
                if let tierName = section.dropPrefix("tier.") {
                    guard key == "weight" else { throw fail(lineNumber, key, "unknown key in [\(section)] (known: weight)") }
                    tierWeights[tierName] = try integer(min: 1, max: 1_000_000)
                } else if let depotName = section.dropPrefix("depot.") {
                    switch key {
                    case "slot-length":
                        guard let seconds = Timestamp.parseDuration(value), seconds >= 1 else {
                            throw fail(lineNumber, key, "'\(value)' is not a duration like 30s, 15m, 2h or 1d")
                        }
                        depotSlot[depotName] = seconds
                    case "capacity":
                        depotCap[depotName] = try integer(min: 1, max: 100_000_000)
                    default:
                        throw fail(lineNumber, key, "unknown key in [\(section)] (known: slot-length, capacity)")
                    }
                }
            }
        }
        _ = sectionLine

        for name in tierOrder {
            guard let weight = tierWeights[name] else { throw fail(tierLines[name]!, "weight", "required in [tier.\(name)]") }
            config.tiers.append(.init(name: name, weight: weight))
        }
        for name in depotOrder {
            guard let slot = depotSlot[name] else { throw fail(depotLines[name]!, "slot-length", "required in [depot.\(name)]") }
            guard let cap = depotCap[name] else { throw fail(depotLines[name]!, "capacity", "required in [depot.\(name)]") }
            config.depots.append(.init(name: name, slotLength: slot, capacity: cap))
        }
        if config.stateDirectory.isEmpty { throw fail(0, "state-directory", "required in [daemon]") }
        if config.tiers.isEmpty { throw fail(0, "[tier.NAME]", "at least one tier is required") }
        if config.depots.isEmpty { throw fail(0, "[depot.NAME]", "at least one depot is required") }
        if config.defaultDepot.isEmpty { throw fail(0, "default-depot", "required in [scheduling]") }
        if config.defaultTier.isEmpty { throw fail(0, "default-tier", "required in [scheduling]") }
        if let line = seen["limits.reserved-operator-connections"],
            config.limits.reservedOperatorConnections >= config.limits.maxConnections {
            throw fail(line, "reserved-operator-connections",
                "\(config.limits.reservedOperatorConnections) leaves no connection for readers: it must be less than max-connections (\(config.limits.maxConnections))")
        }
        if config.depot(named: config.defaultDepot) == nil {
            throw fail(seen["scheduling.default-depot"] ?? 0, "default-depot", "names no depot: '\(config.defaultDepot)'")
        }
        if config.tier(named: config.defaultTier) == nil {
            throw fail(seen["scheduling.default-tier"] ?? 0, "default-tier", "names no tier: '\(config.defaultTier)'")
        }
        return config
    }

    /// Whether `entry` is a user name, uid, `@group`, `@gid` or `*`.
    static func isValidAccessEntry(_ entry: String) -> Bool {
        if entry == "*" { return true }
        let name = entry.hasPrefix("@") ? String(entry.dropFirst()) : entry
        guard !name.isEmpty, name.utf8.count <= 64 else { return false }
        return name.utf8.allSatisfy { c in
            (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95 || c == 45 || c == 46 || c == 36
        }
    }

    /// Whether `name` is fit to name a tier or depot.
    public static func isValidName(_ name: some StringProtocol) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 64 else { return false }
        return name.utf8.allSatisfy { c in
            (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95 || c == 45
        }
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs (and a `\r`).
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\r" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s = s.dropLast() }
        return String(s)
    }

    /// The rest after `prefix`, or nil when the text does not start with it.
    func dropPrefix(_ prefix: String) -> String? {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : nil
    }
}
