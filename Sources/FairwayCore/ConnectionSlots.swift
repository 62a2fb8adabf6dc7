/// What a connection may do, from the config's `[access]` and the peer's
/// credentials.
public enum Role: String, Sendable, CaseIterable {
    /// Nothing: every request is `forbidden`.
    case none
    /// Queries only.
    case reader
    /// Queries and changes.
    case `operator`
}

/// Who holds the daemon's connection slots, and whether a new connection may
/// take one. A value without I/O: the I/O thread asks `admission` before it
/// keeps a connection and tells `opened` / `closed` / `changedRole`.
///
/// Three bounds, from `[limits]`: `max-connections` over all; of those, the
/// last `reserved-operator-connections` only operators may take (a reader's
/// leaking dashboard cannot lock the administrator out); and at most
/// `max-connections-per-user` per uid, except for the users that are always
/// operators (root and the daemon's own user). A refusal is `unavailable`
/// with a message naming the bound.
public struct ConnectionSlots: Sendable, Equatable {
    /// Connections open now, over all.
    public private(set) var total = 0
    /// Connections open now, by role.
    public private(set) var byRole: [Role: Int] = [:]
    /// Connections open now, by the peer's uid.
    private var byUser: [UInt32: Int] = [:]

    public init() {}

    /// Connections open now with `role`.
    public func count(_ role: Role) -> Int { byRole[role] ?? 0 }

    /// Connections open now from `uid`.
    public func count(uid: UInt32) -> Int { byUser[uid] ?? 0 }

    /// The reserved slots in force: the configured number, but never all of
    /// `max-connections` (a default of 8 beside `max-connections = 8` leaves
    /// one slot for anyone).
    public static func reserved(_ limits: FairwayConfig.Limits) -> Int {
        max(0, min(limits.reservedOperatorConnections, limits.maxConnections - 1))
    }

    /// Nil when a connection from `uid` with `role` may take a slot now, else
    /// the `unavailable` error to answer it with. `unlimitedUser`: the peer
    /// is root or the daemon's own user, to whom the per-user bound does not
    /// apply.
    public func admission(uid: UInt32, userName: String?, role: Role, unlimitedUser: Bool,
                          limits: FairwayConfig.Limits) -> FairwayError? {
        if total >= limits.maxConnections {
            return FairwayError(.unavailable, "too many connections (max-connections \(limits.maxConnections)); try again later")
        }
        let reserved = Self.reserved(limits)
        if role != .operator && total >= limits.maxConnections - reserved {
            return FairwayError(.unavailable,
                "too many connections: \(total) open, and the last \(reserved) of max-connections (\(limits.maxConnections)) "
                + "are kept for operators (reserved-operator-connections); try again later")
        }
        if !unlimitedUser && count(uid: uid) >= limits.maxConnectionsPerUser {
            let who = "uid=\(uid)" + (userName.map { "(\($0))" } ?? "")
            return FairwayError(.unavailable,
                "too many connections from \(who): \(count(uid: uid)) open, the most one user may have "
                + "(max-connections-per-user \(limits.maxConnectionsPerUser)); close some and try again")
        }
        return nil
    }

    /// A connection from `uid` with `role` took a slot.
    public mutating func opened(uid: UInt32, role: Role) {
        total += 1
        byRole[role, default: 0] += 1
        byUser[uid, default: 0] += 1
    }

    /// A connection from `uid` with `role` gave its slot back.
    public mutating func closed(uid: UInt32, role: Role) {
        total -= 1
        byRole[role, default: 0] -= 1
        if byRole[role] == 0 { byRole[role] = nil }
        byUser[uid, default: 0] -= 1
        if byUser[uid] == 0 { byUser[uid] = nil }
    }

    /// An open connection's role changed (a reload changed `[access]`).
    public mutating func changedRole(from old: Role, to new: Role) {
        guard old != new else { return }
        byRole[old, default: 0] -= 1
        if byRole[old] == 0 { byRole[old] = nil }
        byRole[new, default: 0] += 1
    }
}
