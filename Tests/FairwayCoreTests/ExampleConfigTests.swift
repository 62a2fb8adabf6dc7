import FairwayCore
import Foundation
import Testing

/// `config/fairway.conf`, the example installed for /etc, shows every key the
/// parser knows, with its default.
@Suite struct ExampleConfigTests {
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("config/fairway.conf").path

    /// The keys the parser knows in `section`, read from its own error for an unknown key.
    static func knownKeys(_ section: String) -> [String] {
        do {
            _ = try ConfigParser.parse("[\(section)]\nno-such-key = 1\n", file: "f")
        } catch {
            guard let list = error.message.split(separator: "(known: ").last?.dropLast() else { return [] }
            return list.split(separator: ", ").map(String.init)
        }
        return []
    }

    @Test func everyKeyIsShown() throws {
        let text = try String(contentsOfFile: Self.path, encoding: .utf8)
        let lines = text.split(separator: "\n").map { $0.hasPrefix("# ") ? $0.dropFirst(2) : $0[...] }
        for section in ["daemon", "scheduling", "limits", "access", "outcomes", "tier.x", "depot.x"] {
            let keys = Self.knownKeys(section)
            #expect(!keys.isEmpty, "no keys found for [\(section)]")
            for key in keys {
                #expect(lines.contains { $0.hasPrefix(key + " = ") }, "[\(section)] \(key) is not in config/fairway.conf")
            }
        }
    }

    @Test func itsValuesAreTheDefaults() throws {
        let text = try String(contentsOfFile: Self.path, encoding: .utf8)
        let config = try ConfigParser.parse(text, file: Self.path)
        let defaults = FairwayConfig()
        #expect(config.socketPath == defaults.socketPath)
        #expect(config.socketMode == defaults.socketMode)
        #expect(config.durability == defaults.durability)
        #expect(config.commitHorizon == defaults.commitHorizon)
        #expect(config.leadSlots == defaults.leadSlots)
        #expect(config.limits == defaults.limits)
        #expect(config.access == defaults.access)
        #expect(config.expediteBudget == defaults.expediteBudget)
        #expect(config.failureReasons == defaults.failureReasons)
        // The one value that is not the default, and says so.
        #expect(config.log == .journal && defaults.log == .auto)
        #expect(text.contains("log = journal                        # default: auto"))
    }
}
