/// The order in which a depot's queued orders are served: the one thing a
/// scenario replay varies. Every policy is defined here and nowhere else.
///
/// A policy gives each queued order a key (`QueueKey.tag`); the queue serves
/// the smallest key first, ties by arrival. Everything else — slots, lead,
/// the commit horizon, first fit, capacity, promises — is the same code for
/// every policy. The daemon runs `fair` only; the others exist so that the
/// simulator can show what the alternatives would have done.
public enum ServicePolicy: String, Sendable, Equatable, CaseIterable {
    /// Self-clocked fair queueing by finish tag (docs/scheduling.md): the
    /// daemon's policy. Complaints change nothing.
    case fair
    /// First cleared, first served: by `cleared_at`, ties by arrival.
    case fifo
    /// The most-complained customer first (by the customer's complaint count
    /// at the time), first cleared first among equals. A complaint re-keys
    /// the customer's queued orders: this is "the loudest gets served".
    case complaints
    /// The highest tier weight first, first cleared first within a weight:
    /// a lower tier is served only when no higher one waits.
    case strictTier = "strict-tier"

    /// Whether a complaint changes the service order (so a customer's queued
    /// orders must be re-keyed when it complains).
    public var complaintsReorder: Bool { self == .complaints }

    /// Keys of the rank-then-FIFO policies are `-rank · rankScale + cleared`,
    /// with `cleared` in seconds since the epoch: 2^33 s reach beyond the
    /// year 2200, so a higher rank always comes first; exact while
    /// `rank < 2^20`.
    static let rankScale = 8_589_934_592.0  // 2^33

    /// The key of a queued order under a policy other than `fair`, from its
    /// tier weight, clearance time and its customer's complaints so far.
    /// (`fair`'s key is the finish tag the scheduler computes from its
    /// virtual time; it is not a function of the order alone.)
    func key(weight: Int32, clearedAtMs: Int64, customerComplaints: Int32) -> Double {
        let cleared = Double(clearedAtMs) / 1000
        switch self {
        case .fair: preconditionFailure("fair's key is the SCFQ finish tag")
        case .fifo: return cleared
        case .complaints: return -Double(customerComplaints) * Self.rankScale + cleared
        case .strictTier: return -Double(weight) * Self.rankScale + cleared
        }
    }

    /// The names, in the order they are listed, for help and messages.
    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
