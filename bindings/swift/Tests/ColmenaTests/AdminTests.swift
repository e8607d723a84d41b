import XCTest
@testable import Colmena

/// Mirrors bindings/kotlin's AdminTest (a store-owner app). Needs `scripts/demo.sh` running.
final class AdminTests: XCTestCase {
    let api = ProcessInfo.processInfo.environment["COLMENA_API_URL"] ?? "http://127.0.0.1:8080"

    func testAnOwnerManagesStockOrdersAndSeesTheFigures() async throws {
        let client = try ColmenaClient(baseUrl: api, store: "demo-b")
        do {
            _ = try await ColmenaAdmin.login(client: client, email: "owner@demo-b.test", password: "wrong password")
            XCTFail("expected UNAUTHORIZED")
        } catch let ColmenaError.Unauthorized(code, _, _) {
            XCTAssertEqual(code, "UNAUTHORIZED")
        }
        let owner = try await ColmenaAdmin.login(client: client, email: "owner@demo-b.test", password: "demo-password")
        let mask = try XCTUnwrap(try await owner.listProducts(search: "masque", limit: nil, offset: nil).items.first)
        let variant = mask.product.variants[0]
        let price = Money(amount: variant.price.amount + 500, currency: "XOF")
        _ = try await owner.updateVariant(productId: mask.product.id, variantId: variant.id, price: price, inventory: 7, trackStock: true)
        let seen = try await client.product(idOrSlug: mask.product.slug).variants[0]
        XCTAssertEqual(seen.price, price)
        XCTAssertEqual(seen.available, 7)

        let cart = try ColmenaCart.inMemory(client: client)
        _ = try await cart.add(product: try await client.product(idOrSlug: mask.product.slug), variantId: nil, quantity: 1)
        let session = try await cart.checkout(email: "awa@example.com", expectedTotal: try cart.subtotal())
        _ = try await client.settleTestPayment(reference: try XCTUnwrap(session.order.payment.reference), outcome: .succeed)
        XCTAssertEqual(try await owner.fulfilOrder(orderId: session.order.id).status, .fulfilled)
        XCTAssertEqual(try await owner.refundOrder(orderId: session.order.id).status, .refunded)
        let figures = try await owner.analytics(from: nil, to: nil)
        XCTAssertGreaterThanOrEqual(figures.orders, 1)
    }
}
