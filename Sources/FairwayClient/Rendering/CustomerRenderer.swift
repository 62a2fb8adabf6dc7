// A customer as a small key/value block.

import FairwayProtocol

/// Renders a `customer` answer.
enum CustomerRenderer {
    /// ```
    /// Customer C-77
    ///   Tier:        gold (weight 8)
    ///   Queued:      3
    ///   ...
    /// ```
    static func render(_ customer: JSONObject) -> String {
        var text = "Customer \(customer.display("customer_id"))\n"
        let rows: [(String, String)] = [
            ("Tier:", "\(customer.display("tier")) (weight \(customer.display("weight")))"),
            ("Queued:", customer.display("queued")),
            ("Committed:", customer.display("committed")),
            ("Delivered:", customer.display("delivered")),
            ("Complaints:", customer.display("complaints")),
        ]
        for (label, value) in rows { text += "  \(label.padding(to: 13))\(value)\n" }
        return text
    }
}
