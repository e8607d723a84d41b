import XCTest
@testable import Colmena

/// Mirrors bindings/kotlin's CatalogTest. Needs a demo server: `scripts/demo.sh`, then
/// `COLMENA_API_URL=http://127.0.0.1:8080 swift test` on macOS.
final class CatalogTests: XCTestCase {
    let api = ProcessInfo.processInfo.environment["COLMENA_API_URL"] ?? "http://127.0.0.1:8080"

    func testListsTheDemoStoreProducts() async throws {
        let client = try ColmenaClient(baseUrl: api, store: "demo")
        let page = try await client.listProducts(query: ProductListQuery())
        XCTAssertEqual(page.items.count, 20)
        XCTAssertGreaterThanOrEqual(page.pagination.total, 24)
        // Ids are Foundation UUIDs and times are Dates.
        let first: (UUID, Date) = (page.items[0].id, page.items[0].createdAt)
        XCTAssertLessThan(first.1, Date())
        XCTAssertTrue(page.items.allSatisfy { $0.price.currency == "EUR" })
    }

    func testUnknownProductRaisesNotFound() async throws {
        let client = try ColmenaClient(baseUrl: api, store: "demo")
        do {
            _ = try await client.product(idOrSlug: "no-such-product")
            XCTFail("expected NOT_FOUND")
        } catch let ColmenaError.NotFound(code, _, status, requestId) {
            XCTAssertEqual(code, "NOT_FOUND")
            XCTAssertEqual(status, 404)
            XCTAssertEqual(requestId?.count, 36)
        }
    }
}
