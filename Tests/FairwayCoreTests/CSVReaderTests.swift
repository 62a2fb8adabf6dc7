import Testing

import FairwayCore

@Suite struct CSVReaderTests {
    private func records(_ text: String) -> [CSVRecord] {
        (try? CSVReader.records(Array(text.utf8)).get()) ?? []
    }

    private func error(_ text: String) -> CSVError? {
        if case .failure(let error) = CSVReader.records(Array(text.utf8)) { return error }
        return nil
    }

    @Test func plainRowsWithLineNumbers() {
        #expect(records("a,b,c\n1,2,3\n") == [
            CSVRecord(line: 1, cells: ["a", "b", "c"]), CSVRecord(line: 2, cells: ["1", "2", "3"]),
        ])
    }

    @Test func crlfAndNoFinalNewline() {
        #expect(records("a,b\r\n1,2\r\n3,4").map(\.cells) == [["a", "b"], ["1", "2"], ["3", "4"]])
        #expect(records("a\r1\r").map(\.cells) == [["a"], ["1"]])
    }

    @Test func quotedCells() {
        let text = "id,notes\n1,\"one, two\"\n2,\"say \"\"hi\"\"\"\n3,\"\"\n"
        #expect(records(text).map(\.cells) == [["id", "notes"], ["1", "one, two"], ["2", "say \"hi\""], ["3", ""]])
    }

    @Test func newlinesInsideQuotesKeepLineNumbers() {
        let text = "id,notes\r\n1,\"line one\r\nline two\nline three\"\r\n2,x\r\n"
        let rows = records(text)
        #expect(rows.map(\.cells) == [["id", "notes"], ["1", "line one\nline two\nline three"], ["2", "x"]])
        #expect(rows.map(\.line) == [1, 2, 5])
    }

    @Test func emptyCellsAndTrailingComma() {
        #expect(records("a,b,c\n,,\n1,,\n").map(\.cells) == [["a", "b", "c"], ["", "", ""], ["1", "", ""]])
        #expect(records("a,b\n1,\n").map(\.cells) == [["a", "b"], ["1", ""]])
    }

    @Test func blankLinesSkippedAndSpacesTrimmed() {
        let rows = records("\n a , b \n\n\r\n 1 ,\t\"  2 \" \n\n")
        #expect(rows.map(\.cells) == [["a", "b"], ["1", "  2 "]])
        #expect(rows.map(\.line) == [2, 5])
    }

    @Test func byteOrderMarkSkipped() {
        #expect(records("\u{FEFF}order_id\nSO-1\n").map(\.cells) == [["order_id"], ["SO-1"]])
    }

    @Test func quoteInsideUnquotedCellIsKept() {
        #expect(records("a\n5\" pipe\n").map(\.cells) == [["a"], ["5\" pipe"]])
    }

    @Test func unterminatedQuoteNamesItsLine() {
        #expect(error("a,b\n1,2\n3,\"never\nclosed\n") == CSVError(line: 3, message: "a quoted cell is never closed (its opening quote is on this line)"))
    }

    @Test func textAfterClosingQuoteIsAnError() {
        #expect(error("a\n\"x\"y\n")?.line == 2)
    }

    @Test func invalidUTF8IsAnError() {
        let bytes: [UInt8] = Array("a\n".utf8) + [0xFF, 0x0A]
        guard case .failure(let error) = CSVReader.records(bytes) else {
            Issue.record("expected an error")
            return
        }
        #expect(error.line == 2)
    }
}
