package dev.colmena.sdk

import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertTrue

/** A store-owner app's calls: stock and prices, visibility, orders and analytics. */
class AdminTest {
    private val client = ColmenaClient(LiveServer.baseUrl, "demo-b")

    @Test
    fun anOwnerManagesStockOrdersAndSeesTheFigures() = runBlocking {
        val wrong = assertFailsWith<ColmenaException.Unauthorized> {
            ColmenaAdmin.login(client, "owner@demo-b.test", "wrong password")
        }
        assertEquals("UNAUTHORIZED", wrong.code)
        val owner = ColmenaAdmin.login(client, "owner@demo-b.test", "demo-password")

        // Restock a product, change its price, and see shoppers get the change.
        val found = owner.listProducts("masque", null, null)
        val mask = found.items.single()
        val variant = mask.product.variants.first()
        val newPrice = Money(variant.price.amount + 500, "XOF")
        owner.updateVariant(mask.product.id, variant.id, newPrice, 7u, true)
        val seen = client.product(mask.product.slug).variants.first()
        assertEquals(newPrice, seen.price)
        assertEquals(7u, seen.available)

        // Hide it: shoppers no longer find it; staff still do.
        assertFalse(owner.setProductActive(mask.product.id, false).active)
        assertFailsWith<ColmenaException.NotFound> { client.product(mask.product.slug) }
        assertEquals(1uL, owner.listProducts("masque", null, null).pagination.total)
        owner.setProductActive(mask.product.id, true)

        // A customer buys; the owner fulfils, refunds, and sees it in the figures.
        val cart = ColmenaCart.inMemory(client)
        cart.add(client.product(mask.product.slug), null, 2u)
        val session = cart.checkout("awa@example.com", cart.subtotal())
        client.settleTestPayment(session.order.payment.reference!!, TestPaymentOutcome.SUCCEED)
        val paid = owner.listOrders(OrderStatus.PAID, 10u, null)
        assertTrue(paid.items.any { it.id == session.order.id })
        assertTrue(paid.items.first { it.id == session.order.id }.updatedAt >= session.order.createdAt)
        assertEquals(OrderStatus.FULFILLED, owner.fulfilOrder(session.order.id).status)
        val conflict = assertFailsWith<ColmenaException.Conflict> { owner.cancelOrder(session.order.id) }
        assertEquals("CONFLICT", conflict.code)
        assertEquals(OrderStatus.REFUNDED, owner.refundOrder(session.order.id).status)
        // Its history, from the audit log: placed and paid by the server, then the staff's steps.
        val history = owner.orderEvents(session.order.id)
        assertEquals(
            listOf(OrderStatus.PENDING_PAYMENT, OrderStatus.PAID, OrderStatus.FULFILLED, OrderStatus.REFUNDED),
            history.map { it.status },
        )
        assertEquals(listOf("system", "system", "user", "user"), history.map { it.actor.kind })
        assertTrue(history.zipWithNext().all { (a, b) -> !a.createdAt.isAfter(b.createdAt) })
        val figures = owner.analytics(null, null)
        assertTrue(figures.orders >= 1uL)
        assertEquals("XOF", figures.revenue.currency)
    }
}
