import XCTest
@testable import ReverseSync

/// The runner's batch sizes: one statement first, then what the measured rate runs in the batch
/// time, growing at most fourfold and never past the largest batch.
final class BatchSizerTests: XCTestCase {
    func testStartsWithTheFirstSizeAndGrowsAtMostFourfold() {
        var sizer = BatchSizer(first: 1, largest: 8192, seconds: 0.25)
        XCTAssertEqual(sizer.target, 1)
        // A fast session (1 statement in 1 ms: 250 fit in 0.25 s) may only quadruple the size.
        sizer.measured(statements: 1, elapsed: 0.001)
        XCTAssertEqual(sizer.target, 4)
        sizer.measured(statements: 4, elapsed: 0.004)
        XCTAssertEqual(sizer.target, 16)
    }

    func testFollowsTheRateOfASlowSession() {
        var sizer = BatchSizer(first: 256, largest: 8192, seconds: 0.25)
        // 100 ms a statement: two and a half fit in 0.25 s, so the next batch is 2.
        sizer.measured(statements: 256, elapsed: 25.6)
        XCTAssertEqual(sizer.target, 2)
        // Never below one statement, however slow.
        sizer.measured(statements: 2, elapsed: 600)
        XCTAssertEqual(sizer.target, 1)
    }

    func testNeverPastTheLargestAndIgnoresEmptyBatches() {
        var sizer = BatchSizer(first: 5000, largest: 4096, seconds: 0.25)
        XCTAssertEqual(sizer.target, 4096, "the first size is capped too")
        sizer.measured(statements: 4096, elapsed: 0)
        XCTAssertEqual(sizer.target, 4096)
        sizer.measured(statements: 0, elapsed: 10)
        XCTAssertEqual(sizer.target, 4096, "a batch without statements measured nothing")
    }
}
