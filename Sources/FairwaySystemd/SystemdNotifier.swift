internal import CSystemd
import FairwayPOSIX
import Glibc

/// Sends state changes to the service manager with `sd_notify`, as
/// `Type=notify` units expect.
///
/// Every call sends one datagram to the socket named by `NOTIFY_SOCKET`; when
/// that is unset the calls do nothing and return `false`. The environment is
/// left in place, so later calls keep working. Each method returns `true` when
/// the message was sent and throws a ``SystemdError`` with code
/// ``SystemdError/Code/notify`` when sending failed.
public struct SystemdNotifier: Sendable {
    /// Creates a notifier. It holds no state: `NOTIFY_SOCKET` is read on each call.
    public init() {}

    /// `true` when `NOTIFY_SOCKET` is set, that is, when a service manager listens.
    public var isEnabled: Bool {
        guard let value = getenv("NOTIFY_SOCKET") else { return false }
        return value.pointee != 0
    }

    /// Sends `READY=1`, with `STATUS=<status>` in the same message when
    /// given: start-up is finished and the service is serving.
    @discardableResult
    public func ready(status: String? = nil) throws(SystemdError) -> Bool {
        if let status {
            return try send("READY=1\nSTATUS=" + Self.oneLine(status))
        }
        return try send("READY=1")
    }

    /// Sends `STATUS=<text>`, a one-line summary for `systemctl status`.
    /// Line breaks in `text` become spaces.
    @discardableResult
    public func status(_ text: String) throws(SystemdError) -> Bool {
        try send("STATUS=" + Self.oneLine(text))
    }

    /// Sends `WATCHDOG=1`, the keep-alive ping a `WatchdogSec=` unit needs.
    @discardableResult
    public func watchdogPing() throws(SystemdError) -> Bool {
        try send("WATCHDOG=1")
    }

    /// Sends `RELOADING=1` with `MONOTONIC_USEC=` set to `CLOCK_MONOTONIC` now,
    /// in microseconds: a configuration reload has begun. Follow it with
    /// ``readyAfterReload(status:)``.
    @discardableResult
    public func reloading() throws(SystemdError) -> Bool {
        try send("RELOADING=1\nMONOTONIC_USEC=\(MonotonicClock.microseconds())")
    }

    /// Sends `READY=1`, with `STATUS=<status>` in the same message when given:
    /// the reload announced by ``reloading()`` is over.
    @discardableResult
    public func readyAfterReload(status: String? = nil) throws(SystemdError) -> Bool {
        try ready(status: status)
    }

    /// Sends `STOPPING=1`: shutdown has begun.
    @discardableResult
    public func stopping() throws(SystemdError) -> Bool {
        try send("STOPPING=1")
    }

    /// Sends `state` as is: newline-separated `NAME=value` assignments, as
    /// `sd_notify(3)` describes.
    @discardableResult
    public func send(_ state: String) throws(SystemdError) -> Bool {
        let result = sd_notify(0, state)
        if result < 0 {
            throw SystemdError(code: .notify, errno: -result, operation: "sd_notify(\"\(Self.oneLine(state))\")")
        }
        return result > 0
    }

    /// The interval at which to send ``watchdogPing()``: half of
    /// `WATCHDOG_USEC`, or `nil` when the watchdog is off for this process
    /// (`WATCHDOG_USEC` unset or invalid, or `WATCHDOG_PID` naming another process).
    public static func watchdogInterval() -> Duration? {
        var usec: UInt64 = 0
        guard sd_watchdog_enabled(0, &usec) > 0, usec > 0 else { return nil }
        return .microseconds(Int64(clamping: usec / 2))
    }

    /// `text` with every line break replaced by a space.
    static func oneLine(_ text: String) -> String {
        guard text.contains(where: \.isNewline) else { return text }
        return String(text.map { $0.isNewline ? " " : $0 })
    }
}
