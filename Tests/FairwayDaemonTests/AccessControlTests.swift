import FairwayCore
import FairwayProtocol
import Glibc
import Testing

@testable import FairwayDaemon

/// Roles by peer credentials, and what each role may ask.
@Suite struct AccessControlTests {
    static func access(operators: [String] = [], readers: [String] = ["*"]) -> AccessControl {
        var access = FairwayConfig.Access()
        access.operators = operators
        access.readers = readers
        return AccessControl(access)
    }

    /// A peer that is neither root nor the user running the tests.
    static let stranger = PeerIdentity(pid: 1234, uid: 4_000_123, gid: 4_000_123, userName: nil)

    @Test func rootAndTheDaemonsOwnUserAreAlwaysOperators() {
        let none = Self.access(operators: [], readers: [])
        #expect(none.role(of: PeerIdentity(pid: 1, uid: 0, gid: 0, userName: "root")) == .operator)
        #expect(none.role(of: PeerIdentity(pid: 1, uid: getuid(), gid: getgid(), userName: nil)) == .operator)
        #expect(none.role(of: Self.stranger) == Role.none)
    }

    @Test func entriesMatchByUidNameOrAnyone() {
        #expect(Self.access().role(of: Self.stranger) == .reader, "readers = * by default")
        #expect(Self.access(operators: ["4000123"]).role(of: Self.stranger) == .operator)
        #expect(Self.access(operators: ["4000124"], readers: []).role(of: Self.stranger) == Role.none)
        let named = PeerIdentity(pid: 1, uid: 4_000_200, gid: 4_000_200, userName: "desk-7")
        #expect(Self.access(operators: ["desk-7"], readers: []).role(of: named) == .operator)
        #expect(Self.access(operators: [], readers: ["desk-7"]).role(of: named) == .reader)
        #expect(Self.access(operators: ["desk-8"], readers: []).role(of: named) == Role.none)
    }

    @Test func groupEntriesMatchThePrimaryGroupByNumber() {
        // A peer without a user name has its primary group only.
        #expect(Self.access(operators: ["@4000123"], readers: []).role(of: Self.stranger) == .operator)
        #expect(Self.access(operators: ["@4000999"], readers: []).role(of: Self.stranger) == Role.none)
        #expect(Self.access(operators: ["@no-such-group-here"], readers: []).role(of: Self.stranger) == Role.none)
    }

    @Test func operatorsWinOverReaders() {
        #expect(Self.access(operators: ["4000123"], readers: ["*"]).role(of: Self.stranger) == .operator)
    }

    @Test func aReaderMayQueryButNotChangeAndNoRoleMayDoNothing() {
        let query = Request(id: JSON(1), operation: .success(.status))
        let change = Request(id: JSON(2), operation: .success(.deliver(orderID: "SO-1")))
        #expect(Role.operator.authorize(change, peer: Self.stranger).operation.isFailure == false)
        #expect(Role.reader.authorize(query, peer: Self.stranger).operation.isFailure == false)

        guard case .failure(let refused) = Role.reader.authorize(change, peer: Self.stranger).operation else {
            Issue.record("a reader's deliver went through")
            return
        }
        #expect(refused.code == .forbidden)
        #expect(refused.message.contains("uid=4000123 is a reader; deliver needs the operator role"))

        guard case .failure(let nothing) = Role.none.authorize(query, peer: Self.stranger).operation else {
            Issue.record("a peer without a role got an answer")
            return
        }
        #expect(nothing.code == .forbidden)
        #expect(nothing.message.contains("status needs the reader role"))
        #expect(Role.none.authorize(change, peer: Self.stranger).operation.isFailure)
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
