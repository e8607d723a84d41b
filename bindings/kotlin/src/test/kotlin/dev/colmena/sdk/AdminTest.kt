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

    @Test
    fun anOwnerEditsPublishesSchedulesAndRollsBackTheStorefront() = runBlocking {
        val owner = ColmenaAdmin.login(client, "owner@demo-b.test", "demo-password")
        val draft = owner.storefrontDraft().document
        val edited = draft.copy(
            theme = draft.theme.copy(mode = ThemeMode.DARK, colors = draft.theme.colors.copy(primary = "#123456")),
            banners = listOf(Banner(id = java.util.UUID.randomUUID(), title = "Soldes", linkUrl = "/soldes")),
        )
        assertEquals("#123456", owner.saveStorefrontDraft(edited).document.theme.colors.primary)
        // Shoppers see the draft only once it is published.
        assertEquals(draft.theme.colors.primary, client.storefront(null).theme.colors.primary)
        val published = owner.publishStorefront(null)
        assertEquals(StorefrontVersionStatus.LIVE, published.status)
        val live = client.storefront(null)
        assertEquals(ThemeMode.DARK, live.theme.mode)
        assertEquals("Soldes", live.banners.single().title)
        // A version scheduled an hour ahead, cancelled; a rollback publishes a new number.
        val later = owner.publishStorefront(java.time.Instant.now().plusSeconds(3600))
        assertEquals(StorefrontVersionStatus.SCHEDULED, later.status)
        assertEquals(StorefrontVersionStatus.CANCELLED, owner.cancelStorefrontVersion(later.number).status)
        assertFailsWith<ColmenaException.Conflict> { owner.cancelStorefrontVersion(published.number) }
        val rolled = owner.rollbackStorefront(published.number)
        assertEquals(published.number, rolled.rollbackOf)
        assertEquals(rolled.number, owner.storefrontVersions(null, null).items.first().number)
    }
}
