// Requests and answers of the wire contract, in the shapes tests write and read.

public import FairwayProtocol

extension JSONObject {
    /// The error code of a failure answer.
    public var errorCode: String? { self["error"]?.objectValue?["code"]?.stringValue }
    /// The error message of a failure answer, or "".
    public var errorMessage: String { self["error"]?.objectValue?["message"]?.stringValue ?? "" }
    /// Whether the answer says `"ok": true`.
    public var isOK: Bool { self["ok"] == .bool(true) }

    /// `depots` of a `status` answer, by name.
    public var depotsByName: [String: JSONObject] {
        var all: [String: JSONObject] = [:]
        for d in self["depots"]?.arrayValue ?? [] {
            if let o = d.objectValue, let name = o["name"]?.stringValue { all[name] = o }
        }
        return all
    }
}

/// An order object for a submit: the given fields, then `extra`.
public func orderJSON(
    _ id: String, _ customer: String, units: Int? = nil, tier: String? = nil, depot: String? = nil,
    extra: [(String, JSON)] = []
) -> JSON {
    var o = JSONObject()
    o.append("order_id", .string(id))
    o.append("customer_id", .string(customer))
    if let units { o.append("units", JSON(units)) }
    if let tier { o.append("tier", .string(tier)) }
    if let depot { o.append("depot", .string(depot)) }
    for (k, v) in extra { o.append(k, v) }
    return .object(o)
}

/// A `submit` request of `orders` with `id`.
public func submitJSON(_ orders: [JSON], id: Int = 1) -> JSON {
    ["id": JSON(id), "op": "submit", "orders": .array(orders)]
}
