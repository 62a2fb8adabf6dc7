@testable import FairwayClient
import FairwayProtocol
import Testing

@Suite struct MetricsHTTPTests {
    @Test func aGetOrHeadIsServedAndOtherMethodsAreRefused() throws {
        #expect(try HTTPRequestHead.parse(Array("GET /metrics HTTP/1.1\r\nHost: a\r\n\r\n".utf8)).get() == HTTPRequestHead(method: "GET", target: "/metrics"))
        #expect(try HTTPRequestHead.parse(Array("HEAD / HTTP/1.0\n\n".utf8)).get().method == "HEAD")
        #expect(HTTPRequestHead.parse(Array("POST / HTTP/1.1\r\n\r\n".utf8)).failure?.status == "405 Method Not Allowed")
        #expect(HTTPRequestHead.parse(Array("GET / HTTP/1.1\r\nHost: a\r\n".utf8)).failure?.status == "400 Bad Request")
        #expect(HTTPRequestHead.parse(Array("hello\r\n\r\n".utf8)).failure?.status == "400 Bad Request")
        let response = HTTPRequestHead.response(status: "200 OK", body: "é\n", headOnly: false)
        #expect(response == "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\nContent-Length: 3\r\nConnection: close\r\n\r\né\n")
    }

    @Test func labelValuesAndNumbersAreWrittenAsTheFormatSays() {
        var p = PrometheusText()
        p.family("x_total", .counter, help: "a\\b\nc")
        p.sample("x_total", ["depot": "a\"b\\c\nd"], 3)
        p.sample("x_total", [:], 0.25)
        p.sample("x_total", [:], .infinity)
        #expect(p.text == "# HELP x_total a\\\\b\\nc\n# TYPE x_total counter\nx_total{depot=\"a\\\"b\\\\c\\nd\"} 3\nx_total 0.25\nx_total +Inf\n")
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let f) = self { return f }
        return nil
    }
}

@Suite struct ProgressLineTests {
    @Test func theLineShowsAcknowledgedOrdersAndTheRateAndIsCleared() {
        let p = ProgressLine(total: 30_000, unit: "orders")
        let line = p.line(done: 12_000, seconds: 2)
        #expect(line == "\r[############··················] 12000/30000 orders acknowledged, 6000/s")
        #expect(p.clear(after: line) == "\r" + String(repeating: " ", count: line.count) + "\r")
        #expect(p.line(done: 0, seconds: 0).hasSuffix(" 0/30000 orders acknowledged, 0/s"))
    }
}
