import FairwayTestSupport
import Glibc
import Testing

extension ProcessWide {
    /// Lints the unit files in the repository's `systemd/` directory with
    /// `systemd-analyze`.
    @Suite struct UnitFileTests {
        /// `<repo>/systemd`, found from this file's path.
        static let unitDirectory: String = {
            var components = #filePath.split(separator: "/", omittingEmptySubsequences: false)
            components.removeLast(3)  // UnitFileTests.swift, FairwaySystemdTests, Tests
            return components.joined(separator: "/") + "/systemd"
        }()

        /// The `ExecStart=` binary as written in the unit, which need not exist here.
        static let installedBinary = "/usr/local/bin/fairwayd"
        static let analyze = "/usr/bin/systemd-analyze"

        static var analyzeIsInstalled: Bool { access(analyze, X_OK) == 0 }

        @Test(.enabled(if: UnitFileTests.analyzeIsInstalled, "needs systemd-analyze"))
        func verifyReportsNothing() throws {
            // `verify` insists the ExecStart= binary exists (--root would need a
            // whole OS tree, sysinit.target and /bin/kill included), so check a
            // copy whose ExecStart= names an existing binary. Unit names must stay.
            let directory = try TemporaryDirectory(prefix: "fairway-units")
            defer { directory.remove() }
            let service = readFile(Self.unitDirectory + "/fairway.service")
            #expect(service.contains("ExecStart=\(Self.installedBinary) "))
            try writeFile(
                directory.appending("fairway.service"),
                service.replacingOccurrences(of: Self.installedBinary, with: "/bin/true"))
            try writeFile(directory.appending("fairway.socket"), readFile(Self.unitDirectory + "/fairway.socket"))

            let result = try runCommand(
                Self.analyze,
                ["verify", directory.appending("fairway.service"), directory.appending("fairway.socket")],
                environment: ChildProcess.minimalEnvironment.merging(["SYSTEMD_LOG_LEVEL": "notice", "SYSTEMD_PAGER": ""]) { _, b in b })
            #expect(result.status == 0, "\(result.stderr)")
            // verify exits 0 even for unknown keys or bad values: it only warns.
            let complaints = (result.stdout + result.stderr).split(separator: "\n")
                .filter { $0.contains("fairway") }
            #expect(complaints.isEmpty, "\(complaints.joined(separator: "\n"))")
        }

        @Test(.enabled(if: UnitFileTests.analyzeIsInstalled, "needs systemd-analyze"))
        func securityExposureIsAtMostTwo() throws {
            let result = try runCommand(
                Self.analyze,
                ["security", "--offline=true", "--no-pager", Self.unitDirectory + "/fairway.service"],
                environment: ChildProcess.minimalEnvironment)
            #expect(result.status == 0, "\(result.stderr)")
            let marker = "Overall exposure level for fairway.service: "
            let line = try #require(
                result.stdout.split(separator: "\n").first { $0.contains(marker) },
                "no exposure line in:\n\(result.stdout)\(result.stderr)")
            let score = try #require(
                line.split(separator: marker).last?.split(separator: " ").first.flatMap { Double($0) })
            #expect(score <= 2.0, "\(result.stdout)")
        }

        @Test func sysusersCreatesTheFairwayUserAndGroup() throws {
            let text = readFile(Self.unitDirectory + "/fairway.sysusers")
            let lines = text.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }
            #expect(lines.count == 1)
            let fields = lines.first?.split(separator: " ", omittingEmptySubsequences: true) ?? []
            #expect(fields.first == "u")
            #expect(fields.dropFirst().first == "fairway")

            guard access("/usr/bin/systemd-sysusers", X_OK) == 0 else { return }
            let dryRun = try runCommand(
                "/usr/bin/systemd-sysusers", ["--dry-run", Self.unitDirectory + "/fairway.sysusers"],
                environment: ChildProcess.minimalEnvironment)
            #expect(dryRun.status == 0, "\(dryRun.stderr)")
            #expect(!dryRun.stderr.contains("ignoring"), "\(dryRun.stderr)")
        }

        @Test func socketAndServiceAgree() {
            let service = readFile(Self.unitDirectory + "/fairway.service")
            let socket = readFile(Self.unitDirectory + "/fairway.socket")
            #expect(socket.contains("ListenStream=/run/fairway/fairway.sock\n"))
            #expect(socket.contains("SocketGroup=fairway\n"))
            #expect(socket.contains("SocketMode=0660\n"))
            #expect(service.contains("RuntimeDirectory=fairway\n"))
            #expect(service.contains("RuntimeDirectoryPreserve=yes\n"))
            #expect(service.contains("Type=notify\n"))
            #expect(service.contains("ExecStart=\(Self.installedBinary) --config /etc/fairway/fairway.conf\n"))
        }
    }
}

