import FairwayCore
import Foundation
import Testing

@Suite struct ConfigParserTests {
    static let minimal = """
        [daemon]
        state-directory = /var/lib/fairway
        [scheduling]
        default-depot = main
        default-tier = standard
        [tier.standard]
        weight = 2
        [depot.main]
        slot-length = 1d
        capacity = 120
        """

    @Test func theShippedConfigsParse() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for name in ["config/fairway.conf", "config/local.conf"] {
            let path = root.appendingPathComponent(name).path
            let config = try ConfigParser.parse(try String(contentsOfFile: path, encoding: .utf8), file: path)
            #expect(!config.depots.isEmpty)
            #expect(config.tier(named: config.defaultTier) != nil)
        }
    }

    @Test func defaultsAndValues() throws {
        let c = try ConfigParser.parse(Self.minimal + "\n[tier.gold]  # comment\nweight = 4 # four\n", file: "f.conf")
        #expect(c.socketPath == "/run/fairway/fairway.sock")
        #expect(c.commitHorizon == 2)
        #expect(c.leadSlots == 1)
        #expect(c.durability == .full)
        #expect(c.tiers.map(\.name) == ["standard", "gold"])
        #expect(c.tier(named: "gold")?.weight == 4)
        #expect(c.depot(named: "main") == FairwayConfig.Depot(name: "main", slotLength: 86400, capacity: 120))
        #expect(c.access.readers == ["*"])
    }

    @Test(arguments: [
        ("[daemon]\nstate-directory = /x\n[nonsense]\n", 3, "[nonsense]", "unknown section"),
        (minimal + "\n[depot.main2]\nslot-length = 1d\ncapacity = 0\n", 13, "capacity", "not an integer 1.."),
        (minimal + "\n[depot.x]\nslot-length = 5 parsecs\ncapacity = 1\n", 12, "slot-length", "duration"),
        (minimal + "\n[tier.gold]\nweight = -1\n", 12, "weight", "not an integer 1.."),
        (minimal + "\n[tier.gold]\n", 11, "weight", "required"),
        (minimal.replacingOccurrences(of: "default-tier = standard", with: "default-tier = diamond"), 5, "default-tier", "names no tier"),
        (minimal + "\n[scheduling]\ncolour = red\n", 12, "colour", "unknown key"),
        (minimal.replacingOccurrences(of: "[depot.main]", with: "[depot.main]\ncapacity = 1"), 11, "capacity", "set twice"),
        (minimal + "\n[scheduling]\ncommit-horizon = -1\n", 12, "commit-horizon", "integer"),
        (minimal.replacingOccurrences(of: "state-directory = /var/lib/fairway", with: ""), 0, "state-directory", "required"),
        (minimal + "\njust words\n", 11, "just words", "key = value"),
        (minimal + "\n[access]\noperators = alice, bo b\n", 12, "operators", "not a user"),
    ] as [(String, Int, String, String)])
    func errorsNameFileLineAndKey(text: String, line: Int, key: String, fragment: String) {
        #expect {
            _ = try ConfigParser.parse(text, file: "/etc/fairway/fairway.conf")
        } throws: { error in
            guard let e = error as? ConfigError else { return false }
            let ok = e.file == "/etc/fairway/fairway.conf" && e.line == line && e.key == key && e.message.contains(fragment)
            if !ok { print("got \(e)") }
            return ok && e.description.contains("fairway.conf")
        }
    }
}

/// The `[limits]` keys of connection slots and answer memory.
@Suite struct ConnectionLimitsConfigTests {
    @Test func defaultsAndValues() throws {
        let d = try ConfigParser.parse(ConfigParserTests.minimal, file: "f.conf")
        #expect(d.limits.reservedOperatorConnections == 8)
        #expect(d.limits.maxConnectionsPerUser == 64)
        #expect(d.limits.maxAnswerBytes == 256 << 20)
        let c = try ConfigParser.parse(ConfigParserTests.minimal
            + "\n[limits]\nreserved-operator-connections = 2\nmax-connections-per-user = 5\nmax-answer-bytes = 2097152\n", file: "f.conf")
        #expect(c.limits.reservedOperatorConnections == 2)
        #expect(c.limits.maxConnectionsPerUser == 5)
        #expect(c.limits.maxAnswerBytes == 2 << 20)
    }

    @Test(arguments: [
        ("reserved-operator-connections = -1", "reserved-operator-connections"),
        ("max-connections-per-user = 0", "max-connections-per-user"),
        ("max-answer-bytes = 1000", "max-answer-bytes"),
        ("max-connections = 4\nreserved-operator-connections = 4", "must be less than max-connections (4)"),
    ])
    func badValuesAreRefusedNamingTheKey(line: String, named: String) {
        do {
            _ = try ConfigParser.parse(ConfigParserTests.minimal + "\n[limits]\n" + line + "\n", file: "f.conf")
            Issue.record("accepted: \(line)")
        } catch {
            #expect("\(error)".contains(named), "\(error)")
        }
    }
}
