package dev.colmena.sdk

import java.net.ServerSocket
import java.nio.file.Files
import kotlin.concurrent.thread
import kotlinx.coroutines.TimeoutCancellationException
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNull
import kotlin.test.assertTrue

/** Cart, checkout, payment and downloads from Kotlin, against a live colmena-server. */
class CommerceTest {
    private val client = ColmenaClient(LiveServer.baseUrl, "demo")

    @Test
    fun buildsACartChecksOutPaysAndDownloads() = runBlocking {
        val file = Files.createTempFile("colmena-cart", ".json").toFile().also { it.delete() }
        val cart = ColmenaCart.open(client, file.path)
        val honey = client.product("wildflower-honey-500-g")
        val gloves = client.product("leather-gloves")
        val guide = client.product("beekeeping-field-guide-pdf")
        val medium = gloves.variants.first { it.options["Size"] == "M" }

        assertTrue(cart.add(honey, null, 2u).rejected.isEmpty())
        cart.add(gloves, medium.id, 1u)
        cart.add(guide, null, 1u)
        cart.setQuantity(honey.variants.first().id, 3u)
        cart.remove(medium.id)
        assertEquals(4u, cart.itemCount())
        val expected = honey.price.amount * 3 + guide.price.amount
        assertEquals(Money(expected, "EUR"), cart.subtotal())
        assertEquals(0uL, cart.pending())
        assertTrue(file.readText().contains(honey.variants.first().id.toString()), "saved to the app's file")

        // The app restarts: the same file gives the same cart.
        val reopened = ColmenaCart.open(client, file.path)
        assertEquals(cart.lines(), reopened.lines())

        val session = reopened.checkout("ana@example.com", reopened.subtotal())
        assertEquals(OrderStatus.PENDING_PAYMENT, session.order.status)
        assertEquals(expected, session.order.total.amount)
        assertEquals(0u, reopened.itemCount())
        assertNull(reopened.subtotal())

        val paid = client.settleTestPayment(session.order.payment.reference!!, TestPaymentOutcome.SUCCEED)
        assertEquals(OrderStatus.PAID, paid.status)
        assertEquals(PaymentStatus.SUCCEEDED, paid.payment.status)
        assertTrue(paid.updatedAt >= paid.createdAt)
        val link = paid.downloads.single()
        assertEquals("beekeeping-field-guide.pdf", link.fileName)
        val pdf = client.download(link)
        assertEquals("application/pdf", pdf.contentType)
        assertEquals("%PDF-", String(pdf.bytes.copyOfRange(0, 5)))
        val again = client.order(paid.id, session.orderToken)
        assertEquals(link.downloadsRemaining - 1u, again.downloads.single().downloadsRemaining)
    }

    @Test
    fun aBuyerGivesTheirDetailsAndSeesTheirDiscountAndVat(): Unit = runBlocking {
        val cart = ColmenaCart.inMemory(client)
        cart.add(client.product("wildflower-honey-500-g"), null, 2u)
        val cartId = cart.cartId()!!
        assertTrue("postalCode" in client.addressFormat("fr").required)

        val unknown = assertFailsWith<ColmenaException.Api> {
            client.updateCart(cartId, CartUpdate(discountCodes = listOf("NOPE")))
        }
        assertEquals("DISCOUNT_NOT_FOUND", unknown.code)
        val misspelt = assertFailsWith<ColmenaException.Validation> {
            client.updateCart(cartId, CartUpdate(discountCodes = listOf("bad code!")))
        }
        assertEquals("discountCodes", misspelt.field)

        // The demo store includes French VAT (20 %) in its prices and offers WELCOME10.
        val paris = Address(name = "Ana Silva", line1 = "12 rue Oberkampf", city = "Paris", postalCode = "75011", country = "fr")
        val priced = client.updateCart(cartId, CartUpdate(billingAddress = paris, discountCodes = listOf("welcome10")))
        assertEquals(listOf("WELCOME10"), priced.discountCodes)
        assertEquals("FR", priced.billingAddress?.country)
        // 2 × 9.50 = 19.00; 10 % off = 1.90; the VAT inside 17.10 is 17.10 × 20 / 120 = 2.85.
        assertEquals(1900L, priced.totals.subtotal.amount)
        assertEquals(190L, priced.totals.discountTotal.amount)
        assertEquals(285L, priced.totals.tax.amount)
        assertTrue(priced.totals.taxIncluded)
        assertEquals(1710L, priced.totals.total.amount)

        val email = "kotlin-${java.util.UUID.randomUUID()}@example.com"
        val session = client.checkoutWith(CheckoutRequest(cartId = cartId, email = email, name = "Ana Silva", phone = "06 12 34 56 78"))
        assertEquals("+33612345678", session.order.phone)
        assertEquals("Ana Silva", session.order.customerName)
        assertTrue(session.order.number >= 1001u)
        assertEquals(priced.totals, session.order.totals)
    }

    @Test
    fun errorsAreTypedWithTheSharedCodes() = runBlocking {
        val unknown = assertFailsWith<ColmenaException.NotFound> { client.product("no-such-product") }
        assertEquals("NOT_FOUND", unknown.code)

        val kit = client.product("queen-marking-kit")
        val cart = ColmenaCart.inMemory(client)
        val report = cart.add(kit, null, 50u)
        val refused = report.rejected.single()
        assertEquals("INSUFFICIENT_INVENTORY", refused.code)
        assertEquals(0u, cart.itemCount(), "the refused add is undone locally")

        val badQuantity = assertFailsWith<ColmenaException.InvalidRequest> { cart.add(kit, null, 0u) }
        assertEquals("INVALID_REQUEST", badQuantity.code)
        val forged = assertFailsWith<ColmenaException.NotFound> {
            client.order(java.util.UUID.fromString("6f1c2a56-3b8e-4c1e-9f4e-0a4f6f2b7c11"), "forged")
        }
        assertTrue(forged.requestId != null)

        cart.add(kit, null, 1u)
        val stale = assertFailsWith<ColmenaException.PriceChanged> {
            cart.checkout("ana@example.com", Money(1, "EUR"))
        }
        assertEquals(kit.price, stale.currentTotal)
    }

    @Test
    fun cancellingACoroutineCancelsTheRustCall() = runBlocking {
        // A server that accepts and never answers; it reports when the client hangs up.
        val socket = ServerSocket(0)
        var closedByClient = false
        val watcher = thread {
            socket.accept().use { connection ->
                connection.getInputStream().let { input ->
                    while (input.read() != -1) { /* drain the request until the client closes */ }
                }
                closedByClient = true
            }
        }
        val hanging = ColmenaClient("http://127.0.0.1:${socket.localPort}", "demo")
        val started = System.nanoTime()
        assertFailsWith<TimeoutCancellationException> {
            withTimeout(300) { hanging.store() }
        }
        val elapsedMs = (System.nanoTime() - started) / 1_000_000
        assertTrue(elapsedMs < 2_000, "cancelled promptly, took $elapsedMs ms")
        // The Rust future was dropped: its connection closes long before the 15 s attempt timeout.
        watcher.join(5_000)
        assertTrue(closedByClient, "the Rust side hung up when the coroutine was cancelled")
        socket.close()
    }
}
