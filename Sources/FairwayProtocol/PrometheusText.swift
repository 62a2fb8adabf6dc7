/// Writes the Prometheus text exposition format, version 0.0.4: for each
/// metric family a `# HELP` and a `# TYPE` line, then its samples
/// `name{label="value",...} number`, label values escaped.
public struct PrometheusText: Sendable {
    /// The text so far.
    public private(set) var text = ""

    public init() {}

    /// The type of a metric family.
    public enum Kind: String, Sendable {
        case counter, gauge, histogram
    }

    /// Starts a family: its help line and type.
    public mutating func family(_ name: String, _ kind: Kind, help: String) {
        text += "# HELP \(name) \(Self.escapeHelp(help))\n# TYPE \(name) \(kind.rawValue)\n"
    }

    /// One sample of the family just started (or of its `_bucket`, `_sum`, `_count`).
    public mutating func sample(_ name: String, _ labels: KeyValuePairs<String, String> = [:], _ value: Double) {
        sample(name, Array(labels), value)
    }

    /// One sample with labels given as an array of pairs.
    public mutating func sample(_ name: String, _ labels: [(key: String, value: String)], _ value: Double) {
        text += name
        if !labels.isEmpty {
            text += "{" + labels.map { "\($0.key)=\"\(Self.escapeLabel($0.value))\"" }.joined(separator: ",") + "}"
        }
        text += " " + Self.number(value) + "\n"
    }

    /// A number as the format writes it: integers without a fraction, `+Inf`, `NaN`.
    public static func number(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }

    /// A label value with `\`, `"` and newlines escaped.
    static func escapeLabel(_ s: String) -> String { escape(s, quotes: true) }

    /// A help text with `\` and newlines escaped.
    static func escapeHelp(_ s: String) -> String { escape(s, quotes: false) }

    private static func escape(_ s: String, quotes: Bool) -> String {
        var out = ""
        for c in s {
            switch c {
            case "\\": out += "\\\\"
            case "\"" where quotes: out += "\\\""
            case "\n": out += "\\n"
            default: out.append(c)
            }
        }
        return out
    }
}
