/// Every order ever accepted, in arrival order, stored compactly: 96-byte
/// `OrderRecord`s, ids and notes in one text arena, names as small ids, and
/// an open-addressing index from order id to arrival index.
///
/// Other modules see a collection of whole `Order` values (each made on
/// demand: iterate it in tests and tools, not on hot paths). Inside the core,
/// `table[i]` with an `Int` reads or changes the compact record in place.
public struct OrderTable: Sendable {
    var records: [OrderRecord] = []
    var texts = TextArena()
    var idIndex = OrderIDIndex()
    var customerNames = NameTable()
    var depotNames = NameTable()
    var tierNames = NameTable()
    var actorNames = NameTable()
    /// First promises, moves, failures and attempts of the few orders that
    /// have any, by index (see `OrderRecord.hasExtra`).
    var extras: [Int32: OrderExtra] = [:]
    /// The slot length of most of a depot's orders, by depot id ...
    private var usualSlotLength: [Int64] = []
    /// ... and the orders whose slot length differs from it (their depot's
    /// slot length changed across a restart), by index.
    private var unusualSlotLength: [Int32: Int64] = [:]

    /// An empty table.
    public init() {}

    /// Makes room for `count` more orders with `textBytes` bytes of ids and notes.
    mutating func reserveCapacity(_ count: Int, textBytes: Int) {
        records.reserveCapacity(records.count + count)
        texts.reserveCapacity(textBytes)
        idIndex.reserveCapacity(records.count + count)
    }

    /// The compact record of the order at index `i` (arrival number - 1).
    subscript(i: Int) -> OrderRecord {
        get { records[i] }
        _modify { yield &records[i] }
    }

    /// The index of the order with that id.
    func index(of orderID: String) -> Int32? { index(of: orderID, hash: Self.idHash(orderID)) }

    /// The index of the order with that id, whose `idHash` is known.
    func index(of orderID: String, hash: Int) -> Int32? {
        idIndex.find(hash: hash) { texts.equals(records[Int($0)].orderIDText, orderID) }
    }

    /// The hash the index files an order id under (seeded per process).
    static func idHash(_ orderID: String) -> Int { TextArena.hash(of: orderID) }

    /// Adds an order (its `seq` is ignored: it becomes `count + 1`); its id
    /// must be new. Returns its index. Pass the id's `idHash` when it is
    /// already known, to save hashing it again.
    @discardableResult
    mutating func append(_ o: Order, idHash: Int? = nil) -> Int32 {
        let index = Int32(records.count)
        let depot = internDepot(o.depot, slotLength: o.slotLength)
        let tier = tierNames.intern(o.tier)
        precondition(tier < UInt16.max, "more than 65,535 tier names")
        var r = OrderRecord(
            tag: o.tag, clearedAtMs: o.clearedAt.milliseconds, receivedAtMs: o.receivedAt.milliseconds,
            orderIDText: texts.append(o.orderID), notesText: texts.append(o.notes),
            customer: customerNames.intern(o.customerID), actor: actorNames.intern(o.submittedBy),
            weight: o.weight, depot: depot, tier: UInt16(tier), units: o.units, state: o.state)
        r.notBefore = o.notBefore
        r.deadline = o.deadline
        r.slotStart = o.slotStart
        r.closedAt = o.closedAt
        r.complaints = o.complaints
        r.expedited = o.expedited
        let extra = OrderExtra(
            firstPromise: o.firstPromise == o.slotStart ? nil : o.firstPromise, promiseMoves: o.promiseMoves,
            displaced: o.displaced, failReason: o.failReason, attempts: o.attempts)
        if !extra.isEmpty {
            r.hasExtra = true
            extras[index] = extra
        }
        records.append(r)
        if o.slotLength != usualSlotLength[Int(depot)] { unusualSlotLength[index] = o.slotLength }
        idIndex.insert(index, hash: idHash ?? Self.idHash(o.orderID))
        return index
    }

    /// The id of a depot name, new if need be; a new depot's orders usually
    /// have slots of `slotLength` seconds.
    mutating func internDepot(_ name: String, slotLength: Int64) -> UInt16 {
        let id = depotNames.intern(name)
        precondition(id < UInt16.max, "more than 65,535 depot names")
        if Int(id) == usualSlotLength.count { usualSlotLength.append(slotLength) }
        return UInt16(id)
    }

    /// The slot length, in seconds, of the order at index `i`.
    func slotLength(_ i: Int32) -> Int64 {
        if !unusualSlotLength.isEmpty, let length = unusualSlotLength[i] { return length }
        return usualSlotLength[Int(records[Int(i)].depot)]
    }

    /// Sets the slot length of the order at index `i`.
    mutating func setSlotLength(_ i: Int32, _ length: Int64) {
        if length == usualSlotLength[Int(records[Int(i)].depot)] {
            if !unusualSlotLength.isEmpty { unusualSlotLength[i] = nil }
        } else {
            unusualSlotLength[i] = length
        }
    }

    /// Makes `length` the usual slot length of a depot (its configured one),
    /// so that orders booked from now on need no exception entry.
    mutating func setUsualSlotLength(depot name: String, _ length: Int64) {
        let depot = internDepot(name, slotLength: length)
        let old = usualSlotLength[Int(depot)]
        guard old != length else { return }
        for i in records.indices where records[i].depot == depot {
            let index = Int32(i)
            let own = unusualSlotLength[index] ?? old
            unusualSlotLength[index] = own == length ? nil : own
        }
        usualSlotLength[Int(depot)] = length
    }

    /// The side-table entry of the order at index `i`, if it has one.
    func extra(_ i: Int32) -> OrderExtra? { records[Int(i)].hasExtra ? extras[i] : nil }

    /// Changes the side-table entry of the order at index `i` (made when
    /// needed, dropped when it becomes empty).
    mutating func updateExtra(_ i: Int32, _ body: (inout OrderExtra) -> Void) {
        var e = extra(i) ?? OrderExtra()
        body(&e)
        records[Int(i)].hasExtra = !e.isEmpty
        extras[i] = e.isEmpty ? nil : e
    }

    /// Start (seconds) of the slot the order at index `i` was first committed
    /// to; nil when it never was.
    func firstPromise(_ i: Int32) -> Int64? { extra(i)?.firstPromise ?? records[Int(i)].slotStart }

    /// Call before the committed slot of the order at index `i` changes or
    /// goes: keeps its first promise in the side table.
    mutating func keepFirstPromise(_ i: Int32) {
        guard let start = records[Int(i)].slotStart, extra(i)?.firstPromise == nil else { return }
        updateExtra(i) { $0.firstPromise = start }
    }

    /// The order id of the order at index `i`.
    func orderID(_ i: Int32) -> String { texts.string(records[Int(i)].orderIDText)! }

    /// The depot name of the order at index `i`.
    func depotName(_ i: Int32) -> String { depotNames[UInt32(records[Int(i)].depot)] }

    /// The customer id of the order at index `i`.
    func customerID(_ i: Int32) -> String { customerNames[records[Int(i)].customer] }

    /// The whole order at index `i` (arrival number - 1), with its strings.
    public func order(at i: Int32) -> Order {
        let r = records[Int(i)]
        let extra = extra(i) ?? OrderExtra()
        return Order(
            seq: Int64(i) + 1, orderID: texts.string(r.orderIDText)!, customerID: customerNames[r.customer],
            units: r.units, depot: depotNames[UInt32(r.depot)], tier: tierNames[UInt32(r.tier)], weight: r.weight,
            clearedAt: Timestamp(milliseconds: r.clearedAtMs), receivedAt: Timestamp(milliseconds: r.receivedAtMs),
            notBefore: r.notBefore, deadline: r.deadline, notes: texts.string(r.notesText), tag: r.tag, state: r.state,
            slotStart: r.slotStart, slotLength: slotLength(i), complaints: r.complaints, closedAt: r.closedAt,
            submittedBy: actorNames[r.actor], firstPromise: extra.firstPromise ?? r.slotStart,
            promiseMoves: extra.promiseMoves, expedited: r.expedited, displaced: extra.displaced,
            failReason: extra.failReason, attempts: extra.attempts)
    }
}

extension OrderTable: RandomAccessCollection {
    /// A place in the table: an order's index (arrival number - 1).
    public struct Position: Sendable, Hashable, Strideable {
        public var index: Int
        public init(_ index: Int) { self.index = index }
        public func distance(to other: Position) -> Int { other.index - index }
        public func advanced(by n: Int) -> Position { Position(index + n) }
    }

    public typealias Indices = Range<Position>
    public var startIndex: Position { Position(0) }
    public var endIndex: Position { Position(records.count) }
    public var count: Int { records.count }

    /// The whole order at a position (made on demand).
    public subscript(position: Position) -> Order { order(at: Int32(position.index)) }
}

extension OrderTable: Equatable {
    /// Tables are equal when they hold equal orders in the same order.
    public static func == (a: OrderTable, b: OrderTable) -> Bool { a.elementsEqual(b) }
}
