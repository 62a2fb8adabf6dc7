/// The daemon's configuration, version 1 of the contract plus the project's
/// own keys. A value type: the daemon swaps a whole new one in on reload.
public struct FairwayConfig: Sendable, Equatable {
    /// How durable an acknowledgement is.
    public enum Durability: String, Sendable, Equatable {
        /// `synchronous=FULL`: an acknowledged order survives a power loss.
        case full
        /// `synchronous=NORMAL` in WAL mode: survives a crash of the daemon,
        /// may lose the last transactions to a power loss.
        case normal
    }

    /// Where log lines go.
    public enum LogMode: String, Sendable, Equatable {
        /// journald through `sd_journal_sendv`.
        case journal
        /// One readable line per event on standard error.
        case stderr
        /// journald when it is there, else standard error.
        case auto
    }

    /// A customer tier and its weight in fair queueing.
    public struct Tier: Sendable, Equatable {
        public var name: String
        public var weight: Int
        public init(name: String, weight: Int) {
            self.name = name
            self.weight = weight
        }
    }

    /// A depot: slots of `slotLength` seconds holding `capacity` units each.
    public struct Depot: Sendable, Equatable {
        public var name: String
        public var slotLength: Int64
        public var capacity: Int
        public init(name: String, slotLength: Int64, capacity: Int) {
            self.name = name
            self.slotLength = slotLength
            self.capacity = capacity
        }
    }

    /// Unix socket path; ignored when systemd passes a socket in.
    public var socketPath: String = "/run/fairway/fairway.sock"
    /// Mode of the socket file the daemon binds itself (octal in the file).
    public var socketMode: UInt32 = 0o660
    /// Directory holding the SQLite database.
    public var stateDirectory: String = ""
    /// Where log lines go.
    public var log: LogMode = .auto
    /// SQLite synchronous level.
    public var durability: Durability = .full

    /// Depot used when an order names none.
    public var defaultDepot: String = ""
    /// Tier used for a new customer when an order names none.
    public var defaultTier: String = ""
    /// Number of slots, from the earliest bookable one, whose assignments are promises.
    public var commitHorizon: Int = 2
    /// 0: the slot now running may be booked; 1: the next one at the earliest.
    public var leadSlots: Int = 1

    /// Percent of each slot's capacity that expedited orders may take (0: none).
    public var expediteBudget: Int = 10
    /// The reasons `fail` accepts, in file order.
    public var failureReasons: [String] = ["customer_absent", "address", "carrier", "stock", "damaged", "other"]

    /// Tiers in file order.
    public var tiers: [Tier] = []
    /// Depots in file order.
    public var depots: [Depot] = []

    /// Limits on input.
    public var limits = Limits()

    /// Who may do what, by peer credentials.
    public var access = Access()

    /// Roles by user and group. An entry is a user name, a numeric uid, `@group`
    /// (a group name or `@gid`), or `*` (anyone who can connect). Root and the
    /// daemon's own user are always operators.
    public struct Access: Sendable, Equatable {
        /// Who may change state (submit, complain, deliver, cancel, fail) and query.
        public var operators: [String] = []
        /// Who may query only.
        public var readers: [String] = ["*"]
        public init() {}
    }

    /// Bounds on what one client may send.
    public struct Limits: Sendable, Equatable {
        /// Longest request line in bytes before its newline.
        public var maxLineBytes: Int = 1_048_576
        /// Most orders in one submit.
        public var maxBatch: Int = 10_000
        /// Most concurrent connections.
        public var maxConnections: Int = 256
        /// Of `maxConnections`, how many only operators may take.
        public var reservedOperatorConnections: Int = 8
        /// Most concurrent connections of one user (root and the daemon's own user excepted).
        public var maxConnectionsPerUser: Int = 64
        /// Bytes of answers held for clients (made, not yet read) over all
        /// connections at which no large answer is started (`AnswerBudget`).
        public var maxAnswerBytes: Int = 256 << 20
        /// Seconds a client may leave a request line half sent before it is disconnected.
        public var partialLineTimeout: Int64 = 30
        /// Bytes of requests read and not yet answered, over all connections,
        /// beyond which new requests are answered `unavailable`.
        public var maxPendingBytes: Int = 256 << 20
        public init() {}
    }

    public init() {}

    /// The tier with that name.
    public func tier(named name: String) -> Tier? { tiers.first { $0.name == name } }
    /// The depot with that name.
    public func depot(named name: String) -> Depot? { depots.first { $0.name == name } }
}
