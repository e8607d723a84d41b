package dev.colmena.sdk

import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Test
import kotlin.test.assertEquals
import kotlin.test.assertNull
import kotlin.test.assertTrue

/** Sales and a customer group's prices from Kotlin, against a live colmena-server. */
class PriceListTest {
    private val client = ColmenaClient(LiveServer.baseUrl, "demo")

    /** The token of the access link the server mailed (wrote as .eml) to [email]. */
    private suspend fun mailedAccessToken(email: String): String {
        repeat(100) {
            val token = LiveServer.mailDir.listFiles().orEmpty()
                .sortedByDescending { it.lastModified() }
                .map { it.readText() }
                .firstOrNull { "To: $email" in it && "/orders#store=demo&token=" in it }
                ?.let { Regex("/orders#store=demo&token=([\\w-]+)").find(it)!!.groupValues[1] }
            if (token != null) return token
            delay(100)
        }
        error("no access link mailed to $email")
    }

    @Test
    fun aSaleAndAGroupsOwnPricesReachTheRightBuyers(): Unit = runBlocking {
        val owner = ColmenaAdmin.login(client, "owner@demo.test", "demo-password")
        val candle = client.product("hexagon-candle")
        val variant = candle.variants.first()
        val regular = variant.price

        // A sale for everyone: the regular price is shown struck through.
        val sale = owner.createPriceList(
            PriceListInput(
                name = "Candle week",
                kind = PriceListKind.SALE,
                prices = listOf(VariantPrice(variantId = variant.id, price = Money(regular.amount - 300, "EUR"))),
            ),
        )
        assertTrue(sale.inForce)
        val onSale = client.product("hexagon-candle").variants.first()
        assertEquals(regular.amount - 300, onSale.price.amount)
        assertEquals(regular, onSale.compareAtPrice)

        // A wholesale buyer signs in with an emailed link and sees their group's own price.
        val email = "trade-${java.util.UUID.randomUUID()}@example.com"
        val group = owner.createCustomerGroup(CustomerGroupInput(name = "Trade $email", emails = listOf(email)))
        val trade = owner.createPriceList(
            PriceListInput(
                name = "Trade prices",
                kind = PriceListKind.OVERRIDE,
                customerGroupId = group.id,
                prices = listOf(VariantPrice(variantId = variant.id, price = Money(regular.amount / 2, "EUR"))),
            ),
        )
        client.requestAccessLink(email, null)
        val session = client.openCustomerSession(mailedAccessToken(email))
        val buyer = client.withCustomerSession(session.token)
        val theirs = buyer.product("hexagon-candle").variants.first()
        assertEquals(regular.amount / 2, theirs.price.amount)
        assertNull(theirs.compareAtPrice, "their own price, not a sale")
        assertEquals(regular.amount - 300, client.product("hexagon-candle").price.amount)

        assertTrue(owner.priceLists().any { it.id == trade.id })
        owner.deleteCustomerGroup(group.id)
        owner.deletePriceList(sale.id)
        assertTrue(owner.priceLists().none { it.id == trade.id }, "the group's list went with it")
        assertEquals(regular, client.product("hexagon-candle").price)
    }
}
