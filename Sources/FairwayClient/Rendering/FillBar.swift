// Slot fill as a fixed-width bar: `[##########······] 96/120`.

/// Draws how full a slot is.
enum FillBar {
    /// The default width inside the brackets.
    static let defaultWidth = 20

    /// `[####····]`: `used` of `capacity` in `width` cells.
    ///
    /// Never wider than `width` (a slot over capacity shows full); a slot with
    /// anything in it shows at least one `#`, and a slot with room left never
    /// shows full.
    static func bar(used: Int, capacity: Int, width: Int = defaultWidth) -> String {
        let filled = cells(used: used, capacity: capacity, width: width)
        return "[" + String(repeating: "#", count: filled) + String(repeating: "·", count: width - filled) + "]"
    }

    /// How many of `width` cells are filled.
    static func cells(used: Int, capacity: Int, width: Int) -> Int {
        guard width > 0 else { return 0 }
        guard used > 0 else { return 0 }
        guard capacity > 0, used < capacity else { return width }
        let (product, overflow) = used.multipliedReportingOverflow(by: width)
        var filled = overflow ? width : (product + capacity / 2) / capacity
        filled = min(max(filled, 1), width - 1)
        return max(filled, width > 1 ? 1 : 0)
    }

    /// `96/120`, with ` over` added when `used` exceeds `capacity`.
    static func label(used: Int, capacity: Int) -> String {
        used > capacity ? "\(used)/\(capacity) over" : "\(used)/\(capacity)"
    }
}
