@testable import FairwayDaemon
import FairwayCore
import FairwayProtocol
import Glibc
import Testing

/// Roles from `[access]` and what each may do.
@Suite struct AccessTests {
    static func peer(uid: UInt32, name: String? = nil) -> PeerIdentity {
        PeerIdentity(pid: 1, uid: uid, gid: 65534, userName: name)
    }

    static func access(operators: [String] = [], readers: [String] = ["*"]) -> AccessControl {
        var a = FairwayConfig.Access()
        a.operators = operators
        a.readers = readers
        return AccessControl(a)
    }

    @Test func rootAndTheDaemonsOwnUserAreAlwaysOperators() {
        let none = Self.access(readers: [])
        #expect(none.role(of: Self.peer(uid: 0)) == .operator)
        #expect(none.role(of: Self.peer(uid: getuid())) == .operator)
    }

    @Test func entriesMatchByUidNameOrStar() {
        let a = Self.access(operators: ["4242", "alice"], readers: [])
        #expect(a.role(of: Self.peer(uid: 4242)) == .operator)
        #expect(a.role(of: Self.peer(uid: 5000, name: "alice")) == .operator)
        #expect(a.role(of: Self.peer(uid: 5001, name: "bob")) == Role.none)
        #expect(Self.access(readers: ["*"]).role(of: Self.peer(uid: 5001, name: "bob")) == .reader)
    }

    @Test func aReaderMayQueryButNotChangeAndNoRoleMayDoNothing() {
        let peer = Self.peer(uid: 5001, name: "bob")
        let read = Request(id: 1, operation: .success(.status))
        let write = Request(id: 2, operation: .success(.deliver(orderID: "A", at: nil)))
        #expect(!Role.reader.authorize(read, peer: peer).operation.isFailure)
        for (role, request) in [(Role.reader, write), (Role.none, read), (Role.none, write)] {
            guard case .failure(let error) = role.authorize(request, peer: peer).operation else {
                Issue.record("\(role) was allowed \(request)")
                continue
            }
            #expect(error.code == .forbidden)
            #expect(error.message.contains("uid=5001(bob)"))
        }
        #expect(!Role.operator.authorize(write, peer: peer).operation.isFailure)
    }
}
