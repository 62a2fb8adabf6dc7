// One `watch` event → one readable line.

import FairwayProtocol

/// Renders the lines of a `watch` stream for a person.
enum WatchRenderer {
    /// `2026-12-07 05:00:12  committed      order SO-1 promised for ... (uid=1000(alice))`:
    /// the time (UTC), the event padded to a column, the daemon's sentence,
    /// and who did it. A line without a message shows its fields instead.
    static func line(_ event: JSONObject) -> String {
        let at = WireTime(event.string("at")).map { t in t.isoDayAndClock + (t.second == 0 ? ":00" : "") } ?? event.display("at")
        let kind = event.display("event")
        let padded = kind.count < 13 ? kind + String(repeating: " ", count: 13 - kind.count) : kind
        var what = event.string("message").map { $0.split(separator: "\n").joined(separator: " / ") } ?? fields(event)
        if let actor = event.string("actor") { what += " (\(actor))" }
        return "\(at)  \(padded)  \(what)\n"
    }

    /// The fields of an event other than `event`, `at` and `actor`, as `key=value`.
    private static func fields(_ event: JSONObject) -> String {
        event.keys.filter { !["event", "at", "actor"].contains($0) }.map { "\($0)=\(event.display($0))" }.joined(separator: " ")
    }

    /// What to say on standard error when the daemon cut a watcher off.
    static func overflow(dropped: Int) -> String {
        "fairwayctl: watch: this watcher fell more than 10,000 events behind and the daemon closed it; "
            + "\(dropped) events were not shown. Watch again, and read the state afresh (status, queue) to catch up.\n"
    }
}
