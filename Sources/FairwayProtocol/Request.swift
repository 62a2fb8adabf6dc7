public import FairwayCore

/// An operation of the wire contract with its decoded parameters.
public enum Operation: Sendable {
    /// `submit`: the orders that decoded, their places in the request's
    /// `orders` array, and what was wrong with the others. With `dryRun`,
    /// what it would do, and nothing is changed.
    case submit(orders: [OrderSubmission], indexes: [Int], problems: [OrderProblem], dryRun: Bool = false)
    case order(orderID: String)
    case queue(depot: String?, limit: Int, after: String?)
    case schedule(depot: String?, from: Timestamp?, to: Timestamp?)
    /// `limit`: how many of the customer's recent orders to list (0..1000).
    case customer(customerID: String, limit: Int)
    case complain(orderID: String, channel: String?, note: String?)
    /// `deliver`, with when the goods arrived (nil: now).
    case deliver(orderID: String, at: Timestamp?)
    case cancel(orderID: String, reason: String?)
    /// `fail`: a failed delivery, final or (with `retry`) back in line.
    case fail(orderID: String, reason: String?, note: String?, at: Timestamp?, retry: Bool)
    /// `capacity`: a depot's capacity for slots starting in `[from, to)`; nil restores the config's.
    case capacity(depot: String, from: Timestamp, to: Timestamp, capacity: Int?, reason: String?)
    /// Extension: an order's recorded events.
    case history(orderID: String)
    case status
    /// Why an order is not earlier.
    case why(orderID: String)
    /// Open orders that miss their Sales deadline.
    case atRisk(depot: String?, limit: Int)
    /// Promised slots that ended with no outcome.
    case overdue(depot: String?, limit: Int)
    /// The Prometheus text of the daemon's counters and gauges.
    case metrics
    /// Service failures counted over `[from, to)`, grouped `by`.
    case report(from: Timestamp, to: Timestamp, by: [Report.Dimension])
    /// Move a queued order to the head of its queue, within the expedite
    /// budget; with `dryRun`, what it would do, and nothing is changed.
    case expedite(orderID: String, reason: String, dryRun: Bool)
    /// The expedite ledger, entries made in `[from, to)`.
    case expedites(from: Timestamp?, to: Timestamp?)
    /// Extension: the history received in `[from, to)` as a scenario trace.
    case export(from: Timestamp?, to: Timestamp?)
    /// The events to stream as they happen (the watchable kinds named, or all of them).
    case watch(events: Set<EventKind>)

    /// Whether the operation changes state (and so needs the operator role).
    public var isMutating: Bool {
        switch self {
        case .submit(_, _, _, let dryRun): !dryRun
        case .expedite(_, _, let dryRun): !dryRun
        case .complain, .deliver, .cancel, .fail, .capacity: true
        case .expedites: false
        case .order, .queue, .schedule, .customer, .history, .status, .why, .atRisk, .overdue, .metrics, .report, .export, .watch: false
        }
    }

    /// Whether the answer is bounded by the request (`small`: a change, an
    /// order, a status, a customer's first 100 orders) or can grow with the
    /// state (`large`): large answers are the ones the daemon holds back
    /// while clients hold many answer bytes unread (see `AnswerBudget`).
    public var answerSize: AnswerSize {
        switch self {
        case .submit(_, _, _, let dryRun): dryRun ? .large : .small
        case .customer(_, let limit): limit <= 100 ? .small : .large
        case .order, .status, .why, .metrics, .complain, .deliver, .cancel, .fail, .capacity, .expedite, .watch: .small
        case .queue, .schedule, .history, .atRisk, .overdue, .report, .expedites, .export: .large
        }
    }

    /// The operation's name on the wire.
    public var name: String {
        switch self {
        case .submit: "submit"
        case .order: "order"
        case .queue: "queue"
        case .schedule: "schedule"
        case .customer: "customer"
        case .complain: "complain"
        case .deliver: "deliver"
        case .cancel: "cancel"
        case .fail: "fail"
        case .capacity: "capacity"
        case .history: "history"
        case .status: "status"
        case .why: "why"
        case .atRisk: "at_risk"
        case .overdue: "overdue"
        case .metrics: "metrics"
        case .report: "report"
        case .expedite: "expedite"
        case .expedites: "expedites"
        case .export: "export"
        case .watch: "watch"
        }
    }

    /// Every operation name the daemon knows.
    public static let names = [
        "submit", "order", "queue", "schedule", "customer", "complain", "deliver", "cancel", "fail", "history", "status",
        "why", "at_risk", "overdue", "capacity", "metrics", "report", "expedite", "expedites", "export", "watch",
    ]
}

extension Result where Failure == FairwayError {
    /// Whether this is a failure.
    public var isFailure: Bool {
        if case .failure = self { return true }
        return false
    }
}

/// A decoded request line: its `id` (echoed back) and either an operation or
/// the error to answer with.
public struct Request: Sendable {
    /// The request's `id`, or nil when it had none.
    public var id: JSON?
    /// The operation, or why the line could not become one.
    public var operation: Result<Operation, FairwayError>

    public init(id: JSON?, operation: Result<Operation, FairwayError>) {
        self.id = id
        self.operation = operation
    }
}
