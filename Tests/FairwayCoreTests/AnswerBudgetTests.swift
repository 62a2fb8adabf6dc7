import FairwayCore
import Testing

/// When an answer may start, from the answer bytes clients hold unread.
@Suite struct AnswerBudgetTests {
    let budget = AnswerBudget(maxTotal: 100 << 20)

    @Test func aConnectionHoldingMoreThanItsBoundGetsNothingStarted() {
        let mib = 1 << 20
        #expect(budget.mayStart(.small, held: mib, total: mib, holders: 1))
        #expect(!budget.mayStart(.small, held: mib + 1, total: mib + 1, holders: 1))
        #expect(!budget.mayStart(.large, held: mib + 1, total: mib + 1, holders: 1))
        #expect(!AnswerBudget(maxTotal: 100 << 20, connectionBytes: 1000).mayStart(.small, held: 1001, total: 1001, holders: 1))
    }

    @Test func pastTheGlobalBoundLargeAnswersWaitAndSmallOnesDoNot() {
        #expect(!budget.mayStart(.large, held: 0, total: 100 << 20, holders: 200))
        #expect(budget.mayStart(.small, held: 0, total: 100 << 20, holders: 200))
        #expect(budget.mayStart(.small, held: 1000, total: 200 << 20, holders: 200))
    }

    @Test func pastHalfOfItThoseHoldingMostWaitFirst() {
        let total = 60 << 20
        // 60 holders: 1 MiB on average.
        #expect(!budget.mayStart(.large, held: 1 << 20, total: total, holders: 60))
        #expect(budget.mayStart(.large, held: 100 << 10, total: total, holders: 60))
        #expect(budget.mayStart(.large, held: 0, total: total, holders: 60))
        // Under half, everyone within their own bound may start.
        #expect(budget.mayStart(.large, held: 1 << 20, total: 40 << 20, holders: 40))
    }

    /// Holding less never makes it harder to start, nor does a smaller total.
    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func lessHeldNeverWaitsLonger(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        for _ in 0..<5000 {
            let holders = Int.random(in: 1...300, using: &random)
            let total = Int.random(in: 0...(200 << 20), using: &random)
            let held = Int.random(in: 0...(2 << 20), using: &random)
            let size: AnswerSize = Bool.random(using: &random) ? .large : .small
            guard budget.mayStart(size, held: held, total: total, holders: holders) else { continue }
            let less = Int.random(in: 0...held, using: &random)
            #expect(budget.mayStart(size, held: less, total: total - (held - less), holders: holders))
            #expect(budget.mayStart(.small, held: held, total: total, holders: holders))
        }
    }
}
