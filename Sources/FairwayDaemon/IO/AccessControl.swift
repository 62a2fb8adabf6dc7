import FairwayCore
import FairwayProtocol
import Glibc

extension Role {
    /// Turns a request this role may not make into `forbidden`.
    func authorize(_ request: Request, peer: PeerIdentity) -> Request {
        guard case .success(let op) = request.operation else { return request }
        switch self {
        case .operator:
            return request
        case .reader where !op.isMutating:
            return request
        case .reader:
            return Request(id: request.id, operation: .failure(FairwayError(
                .forbidden, "\(peer.actor) is a reader; \(op.name) needs the operator role ([access] operators in the config)")))
        case .none:
            return Request(id: request.id, operation: .failure(FairwayError(
                .forbidden, "\(peer.actor) has no role; \(op.name) needs the \(op.isMutating ? "operator" : "reader") role ([access] in the config)")))
        }
    }
}

/// Maps a peer's credentials to a role from the config's `[access]` section.
/// Root and the daemon's own user are always operators.
struct AccessControl: Sendable {
    let access: FairwayConfig.Access
    let daemonUID = getuid()

    init(_ access: FairwayConfig.Access) { self.access = access }

    /// Root and the daemon's own user: always operators, and not bound by
    /// `max-connections-per-user`.
    func isAlwaysOperator(_ peer: PeerIdentity) -> Bool { peer.uid == 0 || peer.uid == daemonUID }

    func role(of peer: PeerIdentity) -> Role {
        if isAlwaysOperator(peer) { return .operator }
        let groups = Self.groups(of: peer)
        if access.operators.contains(where: { matches($0, peer, groups) }) { return .operator }
        if access.readers.contains(where: { matches($0, peer, groups) }) { return .reader }
        return .none
    }

    private func matches(_ entry: String, _ peer: PeerIdentity, _ groups: [gid_t]) -> Bool {
        if entry == "*" { return true }
        if entry.hasPrefix("@") {
            let name = String(entry.dropFirst())
            let gid: gid_t? = gid_t(name) ?? Self.groupID(name)
            return gid.map { groups.contains($0) } ?? false
        }
        if let uid = uid_t(entry) { return uid == peer.uid }
        return entry == peer.userName
    }

    /// The peer's primary and supplementary groups.
    static func groups(of peer: PeerIdentity) -> [gid_t] {
        guard let name = peer.userName else { return [peer.gid] }
        var count: Int32 = 64
        var list = [gid_t](repeating: 0, count: Int(count))
        if getgrouplist(name, peer.gid, &list, &count) < 0 {
            // The list was too short; `count` now says how long it must be.
            list = [gid_t](repeating: 0, count: Int(count))
            guard getgrouplist(name, peer.gid, &list, &count) >= 0 else { return [peer.gid] }
        }
        return Array(list.prefix(Int(max(count, 0)))) + [peer.gid]
    }

    static func groupID(_ name: String) -> gid_t? {
        var grp = group()
        var result: UnsafeMutablePointer<group>?
        var buf = [CChar](repeating: 0, count: 4096)
        guard getgrnam_r(name, &grp, &buf, buf.count, &result) == 0, result != nil else { return nil }
        return grp.gr_gid
    }
}
