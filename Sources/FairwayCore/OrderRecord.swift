/// An accepted order as the scheduler keeps it in memory: 96 bytes, no
/// reference counting (`OrderRecordSizeTests` holds it there). Names are ids in the `OrderTable`'s name tables, the
/// order id and notes live in its text arena, and optional times are plain
/// integers with `Int64.min` for "none". `Order` is the same order with its
/// strings, made on demand.
struct OrderRecord: Sendable, Equatable {
    /// The value of an absent time.
    static let none = Int64.min

    /// Finish tag in the depot's weighted fair queue; fixed at receipt.
    var tag: Double
    var clearedAtMs: Int64
    var receivedAtMs: Int64
    var notBeforeMs: Int64
    var deadlineMs: Int64
    /// Start of the committed slot in seconds, or `none`.
    var slotStartSeconds: Int64
    var closedAtMs: Int64
    var orderIDText: TextRef
    var notesText: TextRef
    /// Customer id in `OrderTable.customerNames`.
    var customer: UInt32
    /// Submitter id in `OrderTable.actorNames`.
    var actor: UInt32
    var weight: Int32
    var complaints: Int32
    /// Depot id in `OrderTable.depotNames`.
    var depot: UInt16
    /// Tier id in `OrderTable.tierNames`.
    var tier: UInt16
    private var storedUnits: UInt16
    var state: OrderState
    /// `expedited` and `hasExtra` bits, in what was the record's padding.
    private var flags: UInt8 = 0

    init(
        tag: Double, clearedAtMs: Int64, receivedAtMs: Int64, orderIDText: TextRef, notesText: TextRef,
        customer: UInt32, actor: UInt32, weight: Int32, depot: UInt16, tier: UInt16, units: Int32, state: OrderState
    ) {
        precondition(units >= 0 && units <= Int32(UInt16.max), "units out of range")
        self.tag = tag
        self.clearedAtMs = clearedAtMs
        self.receivedAtMs = receivedAtMs
        notBeforeMs = Self.none
        deadlineMs = Self.none
        slotStartSeconds = Self.none
        closedAtMs = Self.none
        self.orderIDText = orderIDText
        self.notesText = notesText
        self.customer = customer
        self.actor = actor
        self.weight = weight
        complaints = 0
        self.depot = depot
        self.tier = tier
        storedUnits = UInt16(units)
        self.state = state
    }

    /// Whether an expedite moved the order to the head of its queue.
    var expedited: Bool {
        get { flags & 1 != 0 }
        set { flags = newValue ? flags | 1 : flags & ~1 }
    }

    /// Whether the order has an entry in `OrderTable.extras` (most have none).
    var hasExtra: Bool {
        get { flags & 2 != 0 }
        set { flags = newValue ? flags | 2 : flags & ~2 }
    }

    /// Units of one slot the order uses (at most `Scheduler.maxUnits`).
    var units: Int32 { Int32(storedUnits) }

    var notBefore: Timestamp? {
        get { Self.time(notBeforeMs) }
        set { notBeforeMs = newValue?.milliseconds ?? Self.none }
    }

    var deadline: Timestamp? {
        get { Self.time(deadlineMs) }
        set { deadlineMs = newValue?.milliseconds ?? Self.none }
    }

    var closedAt: Timestamp? {
        get { Self.time(closedAtMs) }
        set { closedAtMs = newValue?.milliseconds ?? Self.none }
    }

    /// Start of the committed slot in seconds; nil while queued or cancelled.
    var slotStart: Int64? {
        get { slotStartSeconds == Self.none ? nil : slotStartSeconds }
        set { slotStartSeconds = newValue ?? Self.none }
    }

    private static func time(_ ms: Int64) -> Timestamp? { ms == none ? nil : Timestamp(milliseconds: ms) }
}
