// Building blocks of standalone SVG files: escaping, numbers, elements.

/// Appends SVG markup to a string: elements with escaped attributes and text.
struct SVGText {
    private(set) var text = ""

    /// Text or an attribute value with `& < > " '` escaped.
    static func escaped(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(c)
            }
        }
        return out
    }

    /// A coordinate with at most one decimal, the same text on every machine.
    static func number(_ v: Double) -> String {
        let tenths = Int((v * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        let m = tenths.magnitude
        return m % 10 == 0 ? "\(sign)\(m / 10)" : "\(sign)\(m / 10).\(m % 10)"
    }

    private static func attributes(_ attributes: KeyValuePairs<String, String>) -> String {
        attributes.map { " \($0.key)=\"\(escaped($0.value))\"" }.joined()
    }

    /// `<name a="..."/>`.
    mutating func empty(_ name: String, _ attributes: KeyValuePairs<String, String>) {
        text += "<\(name)\(Self.attributes(attributes))/>\n"
    }

    /// `<name a="...">text</name>`.
    mutating func element(_ name: String, _ attributes: KeyValuePairs<String, String> = [:], text content: String) {
        text += "<\(name)\(Self.attributes(attributes))>\(Self.escaped(content))</\(name)>\n"
    }

    /// `<name a="...">`, then the body's markup, then `</name>`.
    mutating func open(_ name: String, _ attributes: KeyValuePairs<String, String> = [:], _ body: (inout SVGText) -> Void) {
        text += "<\(name)\(Self.attributes(attributes))>\n"
        body(&self)
        text += "</\(name)>\n"
    }

    /// A whole SVG document of `width` × `height` with a title and a white background.
    static func document(width: Int, height: Int, title: String, _ body: (inout SVGText) -> Void) -> String {
        var svg = SVGText()
        svg.text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        svg.open("svg", [
            "xmlns": "http://www.w3.org/2000/svg", "width": "\(width)", "height": "\(height)",
            "viewBox": "0 0 \(width) \(height)", "font-family": "DejaVu Sans, Helvetica, Arial, sans-serif", "font-size": "13",
        ]) { svg in
            svg.element("title", text: title)
            svg.empty("rect", ["x": "0", "y": "0", "width": "\(width)", "height": "\(height)", "fill": "#ffffff"])
            body(&svg)
        }
        return svg.text
    }
}
