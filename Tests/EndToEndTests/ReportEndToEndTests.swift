import FairwayProtocol
import Foundation
import Testing

/// `report` on the real daemon: totals equal the test's own record of what it
/// did, before and after a restart, and every error.
@Suite struct ReportEndToEndTests {
    @Test func totalsEqualWhatTheTestDidAlsoAfterARestart() throws {
        let d = try DaemonFixture()
        let c = try d.client()
        let from = rfc3339(Date().addingTimeInterval(-3600))
        // 60 orders in two depots and two tiers; the test keeps its own count of what it closes.
        var depotOf: [String: String] = [:]
        let orders = (0..<60).map { i -> JSON in
            let depot = i % 3 == 0 ? "south" : "main"
            depotOf["R-\(i)"] = depot
            return orderJSON("R-\(i)", "C-\(i % 9)", units: 1, tier: i % 2 == 0 ? "gold" : "standard", depot: depot)
        }
        #expect(try c.call(submitJSON(orders)).isOK)
        var delivered: [String: Int] = [:], cancelled: [String: Int] = [:], failed: [String: Int] = [:]
        var complaints = 0, retried = 0
        for i in 0..<60 {
            let id = "R-\(i)", depot = depotOf[id]!
            switch i % 5 {
            case 0:
                #expect(try c.call(["op": "deliver", "order_id": .string(id)]).isOK)
                delivered[depot, default: 0] += 1
            case 1:
                #expect(try c.call(["op": "cancel", "order_id": .string(id)]).isOK)
                cancelled[depot, default: 0] += 1
            case 2:
                #expect(try c.call(["op": "fail", "order_id": .string(id), "reason": "address"]).isOK)
                failed[depot, default: 0] += 1
            case 3 where i < 10:
                // A retried attempt: counted as retried and by its reason, the order goes on.
                #expect(try c.call(["op": "fail", "order_id": .string(id), "reason": "customer_absent", "retry": true]).isOK)
                retried += 1
            default:
                if i % 7 == 0 {
                    #expect(try c.call(["op": "complain", "order_id": .string(id)]).isOK)
                }
            }
            if i % 5 == 0 && i % 7 == 0 {
                #expect(try c.call(["op": "complain", "order_id": .string(id)]).isOK)
                complaints += 1
            }
        }
        let to = rfc3339(Date().addingTimeInterval(3600))
        func check(_ c: Client) throws {
            let answer = try c.call(["op": "report", "from": .string(from), "to": .string(to), "by": ["depot"]])
            #expect(answer.isOK, "\(answer.errorMessage)")
            let total = answer["total"]!.objectValue!
            let sum = { (d: [String: Int]) in d.values.reduce(0, +) }
            #expect(total["delivered"] == JSON(sum(delivered)))
            #expect(total["on_time"] == JSON(sum(delivered)))
            #expect(total["cancelled"] == JSON(sum(cancelled)))
            #expect(total["failed"] == JSON(sum(failed)))
            #expect(total["closed"] == JSON(sum(delivered) + sum(cancelled) + sum(failed)))
            #expect(total["complaints_on_time"] == JSON(complaints))
            #expect(total["retried"] == JSON(retried))
            #expect(total["failed_by_reason"] == ["address": JSON(sum(failed)), "customer_absent": JSON(retried)])
            #expect(total["otfp"]?.doubleValue == Double(sum(delivered)) / Double(sum(delivered) + sum(failed)))
            let rows = answer["rows"]!.arrayValue!.map { $0.objectValue! }
            #expect(rows.map { $0["key"]!.objectValue!["depot"] } == ["main", "south"])
            for row in rows {
                let depot = row["key"]!.objectValue!["depot"]!.stringValue!
                #expect(row["delivered"] == JSON(delivered[depot] ?? 0))
                #expect(row["cancelled"] == JSON(cancelled[depot] ?? 0))
                #expect(row["failed"] == JSON(failed[depot] ?? 0))
            }
        }
        try check(c)
        try d.restart()
        try check(try d.client())
        // Nothing closed in a window of last year.
        let empty = try d.client().call(["op": "report", "from": "2025-01-01T00:00:00Z", "to": "2025-02-01T00:00:00Z"])
        #expect(empty["total"]!.objectValue!["closed"] == JSON(0))
        #expect(empty["total"]!.objectValue!["otfp"] == .null)
        #expect(empty["rows"]!.arrayValue!.count == 1)
    }

    @Test func badReportsAreRefusedWithTheFieldNamed() throws {
        let d = try DaemonFixture()
        let c = try d.client()
        let window: [(String, JSON)] = [("op", "report"), ("from", "2026-01-01T00:00:00Z"), ("to", "2026-02-01T00:00:00Z")]
        func ask(_ extra: [(String, JSON)], drop: String? = nil) throws -> JSONObject {
            var o = JSONObject()
            for (k, v) in window + extra where k != drop { o.append(k, v) }
            return try c.call(.object(o))
        }
        for (answer, field) in [
            (try ask([], drop: "from"), "from"), (try ask([], drop: "to"), "to"),
            (try ask([("by", ["day", "depot", "tier", "reason"])]), "by"), (try ask([("by", ["month"])]), "by"),
            (try ask([("by", "day")]), "by"), (try ask([("by", ["day", "day"])]), "by"), (try ask([("limit", JSON(3))]), "limit"),
        ] {
            #expect(answer.errorCode == "invalid_argument")
            #expect(answer.errorMessage.hasPrefix(field), "\(answer.errorMessage)")
        }
        #expect(try c.call(["op": "report", "from": "2026-02-01T00:00:00Z", "to": "2026-01-01T00:00:00Z"]).errorCode == "invalid_argument")
        // Requests pipelined behind a report are answered after it, in order.
        try c.send(["id": JSON(1), "op": "report", "from": "2026-01-01T00:00:00Z", "to": "2026-02-01T00:00:00Z", "by": ["week"]])
        try c.send(["id": JSON(2), "op": "status"])
        try c.send(submitJSON([orderJSON("A", "C-1")], id: 3))
        #expect(try c.receive()["id"] == JSON(1))
        #expect(try c.receive()["id"] == JSON(2))
        #expect(try c.receive()["id"] == JSON(3))
    }

    @Test func fairwayctlReportPrintsATableOrCSV() throws {
        let d = try DaemonFixture()
        let c = try d.client()
        #expect(try c.call(submitJSON([orderJSON("A", "C-1"), orderJSON("B", "C-2", tier: "gold")])).isOK)
        #expect(try c.call(["op": "deliver", "order_id": "A"]).isOK)
        #expect(try c.call(["op": "cancel", "order_id": "B"]).isOK)
        let today = String(rfc3339(Date()).prefix(10))
        let args = ["report", "--from", "2020-01-01", "--to", "2100-01-01", "--by", "day,tier"]
        let (status, table, _) = try CommandLineTests().ctl(d, args)
        #expect(status == 0)
        #expect(table.contains("DAY") && table.contains("TIER") && table.contains("TOTAL") && table.contains(today))
        #expect(table.contains("100%"))
        let (csvStatus, csv, _) = try CommandLineTests().ctl(d, args + ["--csv"])
        #expect(csvStatus == 0)
        let lines = csv.split(separator: "\n")
        #expect(lines.first!.hasPrefix("day,tier,closed,delivered,on_time,late,failed,cancelled,overdue"))
        #expect(lines.count == 4)
        #expect(lines[1].hasPrefix("\(today),gold,1,0,0,0,0,1"))
        #expect(lines[2].hasPrefix("\(today),standard,1,1,1,0,0,0"))
        #expect(lines[3].hasPrefix("TOTAL,,2,1,1,0,0,1"))
        #expect(try CommandLineTests().ctl(d, ["report", "--from", "2020-01-01"]).0 == 2)
        #expect(try CommandLineTests().ctl(d, ["report", "--from", "2020-01-01", "--to", "2100-01-01", "--by", "month"]).0 == 1)
    }
}

/// A time as the wire writes it: UTC, whole seconds, `Z`.
func rfc3339(_ date: Date) -> String {
    let f = ISO8601DateFormatter()
    f.timeZone = TimeZone(identifier: "UTC")
    return f.string(from: date)
}
