import XCTest
@testable import ReverseSync

/// Keeps the test target buildable until the sync engine's tests land.
final class ReverseSyncTargetTests: XCTestCase {
    func testTargetBuilds() {}
}
