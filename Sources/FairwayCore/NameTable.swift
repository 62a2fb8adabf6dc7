/// A set of names (customer ids, depots, tiers, submitters), each given a
/// small integer id on first sight, so an order stores 2 or 4 bytes per name
/// instead of a 16-byte `String`, and a name is hashed once per order at most.
struct NameTable: Sendable {
    /// The names, by id.
    private(set) var names: [String] = []
    private var ids: [String: UInt32] = [:]
    /// The name interned last: runs of the same depot, tier or submitter skip the hash.
    private var last: (name: String, id: UInt32)?

    /// How many names are known.
    var count: Int { names.count }

    /// The name with that id.
    subscript(id: UInt32) -> String { names[Int(id)] }

    /// Up to this many names, a lookup compares them in turn instead of
    /// hashing (depots, tiers and submitters are usually that few).
    private static let scanLimit = 8

    /// The id of a known name.
    func id(of name: String) -> UInt32? {
        if let last, last.name == name { return last.id }
        if names.count <= Self.scanLimit { return names.firstIndex(of: name).map { UInt32($0) } }
        return ids[name]
    }

    /// The id of `name`, given a new one if it is new.
    mutating func intern(_ name: String) -> UInt32 {
        if let last, last.name == name { return last.id }
        let id: UInt32
        if let known = names.count <= Self.scanLimit ? names.firstIndex(of: name).map({ UInt32($0) }) : ids[name] {
            id = known
        } else {
            id = UInt32(names.count)
            names.append(name)
            ids[name] = id
        }
        last = (name, id)
        return id
    }

    /// Makes room for `count` names.
    mutating func reserveCapacity(_ count: Int) {
        names.reserveCapacity(count)
        ids.reserveCapacity(count)
    }
}
