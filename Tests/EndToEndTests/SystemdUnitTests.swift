import FairwayCore
import Foundation
import Glibc
import Testing

/// `make install-files` / `make uninstall` into a temporary tree with the
/// binaries just built, then the installed units checked the way an
/// administrator would: `systemd-analyze verify` and `security`.
@Suite struct SystemdUnitTests {
    static let analyze = "/usr/bin/systemd-analyze"
    static let make = "/usr/bin/make"
    /// The repository, found from this file's path.
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    static var canRun: Bool { access(analyze, X_OK) == 0 && access(make, X_OK) == 0 }

    /// `make -C <repo> <target>` with `variables`.
    static func make(_ target: String, _ variables: [String: String]) throws -> CommandResult {
        let args = ["-s", "-C", repository, target] + variables.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return try runCommand(Self.make, args, timeout: 120)
    }

    @Test(.enabled(if: SystemdUnitTests.canRun, "needs make and systemd-analyze"))
    func installedUnitsVerifyAndUninstallKeepsTheConfig() throws {
        let root = try TemporaryDirectory()
        let prefix = root.path + "/usr/local"
        // A PREFIX (not DESTDIR) tree, so ExecStart= names a binary that exists.
        let vars = [
            "PREFIX": prefix, "UNITDIR": root.path + "/units", "SYSUSERSDIR": root.path + "/sysusers.d",
            "CONFDIR": root.path + "/etc/fairway", "BINSRC": binaryDirectory(),
        ]
        let installed = try Self.make("install-files", vars)
        #expect(installed.status == 0, "\(installed.stderr)")
        let expected = [
            "usr/local/bin/fairwayd", "usr/local/bin/fairwayctl", "units/fairway.service", "units/fairway.socket",
            "sysusers.d/fairway.conf", "etc/fairway/fairway.conf", "usr/local/share/doc/fairway/operations.md",
            "usr/local/share/doc/fairway/fairway.conf.example", "usr/local/share/doc/fairway/README.md",
        ]
        for file in expected {
            #expect(FileManager.default.fileExists(atPath: root.path + "/" + file), "\(file) not installed")
        }
        let service = try String(contentsOfFile: root.path + "/units/fairway.service", encoding: .utf8)
        #expect(service.contains("ExecStart=\(prefix)/bin/fairwayd --config /etc/fairway/fairway.conf\n"))

        let verify = try runCommand(
            Self.analyze, ["verify", root.path + "/units/fairway.service", root.path + "/units/fairway.socket"],
            environment: ChildProcess.plainEnvironment().merging(["SYSTEMD_LOG_LEVEL": "notice", "SYSTEMD_PAGER": ""]) { _, b in b })
        #expect(verify.status == 0, "\(verify.stderr)")
        let complaints = (verify.stdout + verify.stderr).split(separator: "\n").filter { $0.contains("fairway") }
        #expect(complaints.isEmpty, "\(complaints.joined(separator: "\n"))")

        let security = try runCommand(Self.analyze, ["security", "--offline=true", "--no-pager", root.path + "/units/fairway.service"])
        let marker = "Overall exposure level for fairway.service: "
        let score = security.stdout.split(separator: "\n").first { $0.contains(marker) }
            .flatMap { $0.split(separator: marker).last?.split(separator: " ").first }.flatMap { Double($0) }
        #expect(score != nil && score! <= 2.0, "\(security.stdout)\(security.stderr)")
        print("systemd-analyze security --offline=true: \(score.map { String($0) } ?? "?")")

        // The installed example config is valid as shipped.
        let check = try runCommand(prefix + "/bin/fairwayd", ["--check-config", "--config", root.path + "/etc/fairway/fairway.conf"])
        #expect(check.status == 0, "\(check.stderr)")

        // A local edit to the config survives a reinstall and an uninstall.
        try "# edited\n".write(toFile: root.path + "/etc/fairway/fairway.conf", atomically: true, encoding: .utf8)
        #expect(try Self.make("install-files", vars).status == 0)
        let removed = try Self.make("uninstall", vars)
        #expect(removed.status == 0, "\(removed.stderr)")
        for file in expected where !file.hasPrefix("etc/") {
            #expect(!FileManager.default.fileExists(atPath: root.path + "/" + file), "\(file) left behind")
        }
        #expect(try String(contentsOfFile: root.path + "/etc/fairway/fairway.conf", encoding: .utf8) == "# edited\n")
    }

    @Test(.enabled(if: SystemdUnitTests.canRun, "needs make"))
    func destdirStagesTheDefaultLayout() throws {
        let stage = try TemporaryDirectory()
        let result = try Self.make("install-files", ["DESTDIR": stage.path, "BINSRC": binaryDirectory()])
        #expect(result.status == 0, "\(result.stderr)")
        for file in [
            "usr/local/bin/fairwayd", "etc/systemd/system/fairway.service", "etc/systemd/system/fairway.socket",
            "usr/lib/sysusers.d/fairway.conf", "etc/fairway/fairway.conf", "usr/local/share/doc/fairway/operations.md",
        ] {
            #expect(FileManager.default.fileExists(atPath: stage.path + "/" + file), "\(file) not staged")
        }
        let service = try String(contentsOfFile: stage.path + "/etc/systemd/system/fairway.service", encoding: .utf8)
        #expect(service.contains("ExecStart=/usr/local/bin/fairwayd --config /etc/fairway/fairway.conf\n"))
        #expect(try Self.make("uninstall", ["DESTDIR": stage.path]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: stage.path + "/usr/local/bin/fairwayd"))
    }
}

/// `fairway.service`'s memory bounds hold what the default `[limits]` let the
/// daemon hold (docs/operations.md, "Memory").
@Suite struct UnitMemoryTests {
    /// A `MemoryHigh=`/`MemoryMax=` value of the unit, in bytes.
    static func value(_ key: String, in unit: String) -> Int? {
        guard let line = unit.split(separator: "\n").first(where: { $0.hasPrefix(key + "=") }) else { return nil }
        var text = line.dropFirst(key.count + 1)
        let unit = text.last.flatMap { "KMGT".firstIndex(of: $0) }.map { "KMGT".distance(from: "KMGT".startIndex, to: $0) + 1 } ?? 0
        if unit > 0 { text = text.dropLast() }
        return Int(text).map { $0 << (10 * unit) }
    }

    @Test func theUnitsMemoryBoundsHoldTheDefaultLimits() throws {
        let unit = try String(contentsOfFile: SystemdUnitTests.repository + "/systemd/fairway.service", encoding: .utf8)
        let high = try #require(Self.value("MemoryHigh", in: unit))
        let max = try #require(Self.value("MemoryMax", in: unit))
        let limits = FairwayConfig.Limits()
        // A million waiting orders at 256 bytes, the requests and the answers
        // twice over, 64 MiB for the rest.
        let sum = 1_000_000 * 256 + 2 * limits.maxPendingBytes + 2 * limits.maxAnswerBytes + (64 << 20)
        #expect(high >= sum, "MemoryHigh=\(high) under the bounds' sum \(sum)")
        #expect(max > high)
    }
}
