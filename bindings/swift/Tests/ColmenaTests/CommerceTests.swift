import XCTest
@testable import Colmena

/// Mirrors bindings/kotlin's CommerceTest and WebhookVectorsTest. Needs a demo server:
/// `scripts/demo.sh`, then `COLMENA_API_URL=http://127.0.0.1:8080 swift test` on macOS.
final class CommerceTests: XCTestCase {
    let api = ProcessInfo.processInfo.environment["COLMENA_API_URL"] ?? "http://127.0.0.1:8080"

    func testBuildsACartChecksOutPaysAndDownloads() async throws {
        let client = try ColmenaClient(baseUrl: api, store: "demo")
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("colmena-cart-\(UUID().uuidString).json").path
        let cart = try ColmenaCart.open(client: client, path: path)
        let honey = try await client.product(idOrSlug: "wildflower-honey-500-g")
        let gloves = try await client.product(idOrSlug: "leather-gloves")
        let guide = try await client.product(idOrSlug: "beekeeping-field-guide-pdf")
        let medium = try XCTUnwrap(gloves.variants.first { $0.options["Size"] == "M" })

        let first = try await cart.add(product: honey, variantId: nil, quantity: 2)
        XCTAssertTrue(first.rejected.isEmpty)
        _ = try await cart.add(product: gloves, variantId: medium.id, quantity: 1)
        _ = try await cart.add(product: guide, variantId: nil, quantity: 1)
        _ = try await cart.setQuantity(variantId: honey.variants[0].id, quantity: 3)
        _ = try await cart.remove(variantId: medium.id)
        XCTAssertEqual(cart.itemCount(), 4)
        let expected = honey.price.amount * 3 + guide.price.amount
        XCTAssertEqual(try cart.subtotal(), Money(amount: expected, currency: "EUR"))
        XCTAssertEqual(cart.pending(), 0)

        // The app restarts: the same file gives the same cart.
        let reopened = try ColmenaCart.open(client: client, path: path)
        XCTAssertEqual(try reopened.lines(), try cart.lines())

        let session = try await reopened.checkout(email: "ana@example.com", expectedTotal: try reopened.subtotal())
        XCTAssertEqual(session.order.status, .pendingPayment)
        XCTAssertEqual(session.order.total.amount, expected)
        XCTAssertEqual(reopened.itemCount(), 0)

        let paid = try await client.settleTestPayment(reference: try XCTUnwrap(session.order.payment.reference), outcome: .succeed)
        XCTAssertEqual(paid.status, .paid)
        let link = try XCTUnwrap(paid.downloads.first)
        XCTAssertEqual(link.fileName, "beekeeping-field-guide.pdf")
        let pdf = try await client.download(download: link)
        XCTAssertEqual(pdf.contentType, "application/pdf")
        XCTAssertEqual(String(decoding: pdf.bytes.prefix(5), as: UTF8.self), "%PDF-")
    }

    func testErrorsAreTypedWithTheSharedCodes() async throws {
        let client = try ColmenaClient(baseUrl: api, store: "demo")
        let kit = try await client.product(idOrSlug: "queen-marking-kit")
        let cart = try ColmenaCart.inMemory(client: client)
        let report = try await cart.add(product: kit, variantId: nil, quantity: 50)
        XCTAssertEqual(report.rejected.first?.code, "INSUFFICIENT_INVENTORY")
        XCTAssertEqual(cart.itemCount(), 0)

        _ = try await cart.add(product: kit, variantId: nil, quantity: 1)
        do {
            _ = try await cart.checkout(email: "ana@example.com", expectedTotal: Money(amount: 1, currency: "EUR"))
            XCTFail("expected PRICE_CHANGED")
        } catch let ColmenaError.PriceChanged(code, _, currentTotal, _) {
            XCTAssertEqual(code, "PRICE_CHANGED")
            XCTAssertEqual(currentTotal, kit.price)
        }
    }

    func testCancellingATaskCancelsTheRustCall() async throws {
        // 10.255.255.1 is not routable: the call would wait for its 15 s timeout.
        let client = try ColmenaClient(baseUrl: "http://10.255.255.1:9", store: "demo")
        let started = Date()
        let task = Task { try await client.store() }
        try await Task.sleep(nanoseconds: 300_000_000)
        task.cancel()
        _ = try? await task.value
        XCTAssertLessThan(Date().timeIntervalSince(started), 2)
    }

    func testSharedWebhookVectors() throws {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().appendingPathComponent("../../../../sdk-core/tests/vectors/webhook-signatures.json")
        let vectors = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        let tolerance = UInt64(vectors["toleranceSeconds"] as! Int)
        for case let vector as [String: Any] in vectors["cases"] as! [Any] {
            let name = vector["name"] as! String
            do {
                try verifyWebhookSignature(
                    secret: vector["secret"] as! String, header: vector["header"] as! String,
                    body: Data((vector["body"] as! String).utf8), nowSeconds: Int64(vector["now"] as! Int),
                    toleranceSeconds: tolerance)
                XCTAssertTrue(vector["valid"] as! Bool, name)
            } catch let WebhookSignatureError.Invalid(code, _) {
                XCTAssertEqual(code, vector["error"] as? String, name)
            }
        }
    }
}
