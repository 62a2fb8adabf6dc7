import FairwayCore
import FairwayProtocol
import Glibc
import Testing

@testable import FairwayDaemon

/// Roles by peer credentials beyond AccessTests: groups, precedence, and a
/// request that failed to decode.
@Suite struct AccessControlTests {
    static func access(operators: [String] = [], readers: [String] = ["*"]) -> AccessControl {
        var access = FairwayConfig.Access()
        access.operators = operators
        access.readers = readers
        return AccessControl(access)
    }

    /// A peer that is neither root nor the user running the tests.
    static let stranger = PeerIdentity(pid: 1234, uid: 4_000_123, gid: 4_000_123, userName: nil)

    @Test func groupEntriesMatchThePrimaryGroupByNumber() {
        // A peer without a user name has its primary group only.
        #expect(Self.access(operators: ["@4000123"], readers: []).role(of: Self.stranger) == .operator)
        #expect(Self.access(operators: ["@4000999"], readers: []).role(of: Self.stranger) == Role.none)
        #expect(Self.access(operators: ["@no-such-group-here"], readers: []).role(of: Self.stranger) == Role.none)
    }

    @Test func operatorsWinOverReaders() {
        #expect(Self.access(operators: ["4000123"], readers: ["*"]).role(of: Self.stranger) == .operator)
    }

    @Test func aRequestThatFailedToDecodeKeepsItsOwnError() {
        let bad = Request(id: nil, operation: .failure(FairwayError(.badJSON, "not JSON")))
        guard case .failure(let error) = Role.none.authorize(bad, peer: Self.stranger).operation else {
            Issue.record("a failed request became a success")
            return
        }
        #expect(error.code == .badJSON)
    }
}
