// The scenario report as JSON: `{policies: [...]}`, the same bytes for the same input.

import FairwayProtocol
import FairwaySimulation

/// Writes the `simulate --json` object.
enum SimulationJSON {
    /// One line of JSON: `{"policies":[{policy, placed, vw_mean_wait, tiers:
    /// {tier: {mean, p95, max}}, max_wait, vocal_advantage, deadline_missed,
    /// promises_moved, utilisation, ...}]}`, after the contract's fields
    /// `orders`, `deadlines`, `otfp` and `expedites` (`{asked, honoured,
    /// over_budget, not_queued}`). Fractions are rounded to 3 decimals.
    static func render(_ reports: [PolicyReport]) -> String {
        func rounded(_ x: Double?) -> JSON { x.map { JSON(($0 * 1000).rounded() / 1000) } ?? .null }
        let policies: [JSON] = reports.map { r in
            var tiers = JSONObject()
            for t in r.tiers {
                tiers.append(t.tier, .object(JSONObject([("mean", rounded(t.mean)), ("p95", JSON(t.p95)), ("max", JSON(t.max))])))
            }
            return .object(JSONObject([
                ("policy", JSON(r.policy)), ("placed", JSON(r.placed)), ("vw_mean_wait", rounded(r.vwMeanWait)),
                ("tiers", .object(tiers)), ("max_wait", r.maxWait.map { JSON($0) } ?? .null),
                ("vocal_advantage", rounded(r.vocalAdvantage)), ("deadline_missed", JSON(r.deadlineMissed)),
                ("promises_moved", JSON(r.promisesMoved)), ("utilisation", rounded(r.utilisation)),
                ("orders", JSON(r.orders)), ("deadlines", JSON(r.deadlines)), ("otfp", rounded(r.onTimeToFirstPromise)),
                ("expedites", .object(JSONObject([
                    ("asked", JSON(r.expedites.asked)), ("honoured", JSON(r.expedites.honoured)),
                    ("over_budget", JSON(r.expedites.overBudget)), ("not_queued", JSON(r.expedites.notQueued)),
                ]))),
            ]))
        }
        var writer = JSONWriter()
        writer.write(.object(JSONObject([("policies", .array(policies))])))
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}
