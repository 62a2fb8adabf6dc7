// Short display forms of numbers, durations and counts.

import FairwayProtocol

/// Short display text for JSON numbers.
enum NumberText {
    /// The number as written when short, else rounded to two decimals; `-` when not a number.
    static func short(_ value: JSON?) -> String {
        guard case .number(let text)? = value else { return "-" }
        if text.count <= 8 { return text }
        guard let double = Double(text), double.isFinite, abs(double) < 1e15 else { return text }
        let rounded = (double * 100).rounded() / 100
        var result = String(rounded)
        if result.hasSuffix(".0") { result.removeLast(2) }
        return result
    }

    /// A duration in seconds as `1h`, `30m`, `1d`, `90s`.
    static func duration(_ seconds: Int) -> String {
        if seconds > 0 && seconds % 86_400 == 0 { return "\(seconds / 86_400)d" }
        if seconds > 0 && seconds % 3600 == 0 { return "\(seconds / 3600)h" }
        if seconds > 0 && seconds % 60 == 0 { return "\(seconds / 60)m" }
        return "\(seconds)s"
    }

    /// `1 order`, `2 orders`.
    static func count(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(n) \(n == 1 ? singular : plural ?? singular + "s")"
    }
}
