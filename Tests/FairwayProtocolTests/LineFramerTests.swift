import FairwayProtocol
import Testing

/// Every frame available now.
private func drain(_ framer: inout LineFramer) -> [LineFramer.Frame] {
    var frames: [LineFramer.Frame] = []
    while let f = framer.next() { frames.append(f) }
    return frames
}

private func line(_ s: String) -> LineFramer.Frame { .line(Array(s.utf8)) }

@Suite struct LineFramerTests {
    @Test func manyLinesInOneChunk() {
        var f = LineFramer()
        f.append(Array("a\nbb\n\nccc\npartial".utf8))
        #expect(drain(&f) == [line("a"), line("bb"), line(""), line("ccc")])
        #expect(f.bufferedByteCount == 7)
        f.append(Array(" line\n".utf8))
        #expect(drain(&f) == [line("partial line")])
        #expect(f.bufferedByteCount == 0)
        #expect(f.next() == nil)
    }

    @Test func crlfIsStripped() {
        var f = LineFramer()
        f.append(Array("one\r\ntwo\r\n\r\nthree\r\r\nin\rside\n".utf8))
        #expect(drain(&f) == [line("one"), line("two"), line(""), line("three\r"), line("in\rside")])
    }

    @Test func crSplitFromLfAcrossChunks() {
        var f = LineFramer()
        f.append(Array("abc\r".utf8))
        #expect(f.next() == nil)
        f.append(Array("\n".utf8))
        #expect(drain(&f) == [line("abc")])
    }

    @Test func byteByByte() {
        let input = Array(#"{"op":"status"}"#.utf8) + [0x0A] + Array("x\r\n".utf8)
        var f = LineFramer()
        var frames: [LineFramer.Frame] = []
        for b in input {
            f.append([b])
            frames += drain(&f)
        }
        #expect(frames == [line(#"{"op":"status"}"#), line("x")])
    }

    @Test func rawBufferAppend() {
        var f = LineFramer()
        Array("hi\nthere\n".utf8).withUnsafeBytes { f.append($0) }
        #expect(drain(&f) == [line("hi"), line("there")])
    }

    @Test func chunkedMegabyteLine() {
        let max = 1_048_576
        let payload = [UInt8](repeating: UInt8(ascii: "x"), count: max)
        var f = LineFramer()
        var frames: [LineFramer.Frame] = []
        var k = 0
        while k < payload.count {
            let end = Swift.min(k + 65_536, payload.count)
            f.append(Array(payload[k..<end]))
            frames += drain(&f)
            k = end
        }
        #expect(frames.isEmpty)
        f.append(Array("\nnext\n".utf8))
        frames += drain(&f)
        #expect(frames.count == 2)
        #expect(frames.first == .line(payload))
        #expect(frames.last == line("next"))
    }

    @Test func exactlyMaxLengthAccepted() {
        var f = LineFramer(maxLineLength: 10)
        f.append(Array("0123456789".utf8))
        #expect(f.next() == nil)
        f.append([0x0A])
        #expect(f.next() == line("0123456789"))
        #expect(f.next() == nil)
        #expect(!f.hasFailed)
    }

    @Test func maxPlusOneRejectedAsSoonAsBuffered() {
        var f = LineFramer(maxLineLength: 10)
        f.append(Array("0123456789".utf8))
        #expect(f.next() == nil)
        f.append(Array("A".utf8))
        #expect(f.next() == .tooLong)
        #expect(f.hasFailed)
        // Nothing more, whatever arrives.
        f.append(Array("\nok\n".utf8))
        #expect(f.next() == nil)
        #expect(f.bufferedByteCount == 0)
    }

    @Test func tooLongLineWithNewlineInSameChunk() {
        var f = LineFramer(maxLineLength: 4)
        f.append(Array("ok\n12345\nlater\n".utf8))
        #expect(f.next() == line("ok"))
        #expect(f.next() == .tooLong)
        #expect(f.next() == nil)
    }

    @Test func crCountsTowardsTheLimit() {
        var f = LineFramer(maxLineLength: 3)
        f.append(Array("abc\r\n".utf8))
        #expect(f.next() == .tooLong)
        var g = LineFramer(maxLineLength: 3)
        g.append(Array("ab\r\n".utf8))
        #expect(g.next() == line("ab"))
    }

    @Test func tooLongMegabyteInChunks() {
        let max = 1_048_576
        var f = LineFramer()
        let chunk = [UInt8](repeating: UInt8(ascii: "y"), count: 65_536)
        var total = 0
        var result: LineFramer.Frame?
        while result == nil {
            f.append(chunk)
            total += chunk.count
            result = f.next()
            if result == nil { #expect(total <= max) }
        }
        #expect(result == .tooLong)
        #expect(total == max + 65_536)
    }

    @Test func zeroLengthLimitAllowsOnlyEmptyLines() {
        var f = LineFramer(maxLineLength: 0)
        f.append([0x0A, 0x0A])
        #expect(drain(&f) == [.line([]), .line([])])
        f.append([0x41])
        #expect(f.next() == .tooLong)
    }

    @Test func manySmallLinesCompactBuffer() {
        // Lots of lines arriving in odd-sized chunks, with a partial line
        // always pending, so the framer must compact while keeping the tail.
        var input: [UInt8] = []
        var expected: [LineFramer.Frame] = []
        for n in 0..<20_000 {
            let s = "line-\(n)-" + String(repeating: "z", count: n % 17)
            input += Array(s.utf8) + [0x0A]
            expected.append(line(s))
        }
        var f = LineFramer(maxLineLength: 64)
        var frames: [LineFramer.Frame] = []
        var k = 0
        var size = 1
        while k < input.count {
            let end = Swift.min(k + size, input.count)
            f.append(Array(input[k..<end]))
            frames += drain(&f)
            k = end
            size = size % 5000 + 37
        }
        #expect(frames == expected)
        #expect(f.bufferedByteCount == 0)
    }
}
