package dev.colmena.examples

import dev.colmena.sdk.Address
import dev.colmena.sdk.CartUpdate
import dev.colmena.sdk.ColmenaCart
import dev.colmena.sdk.ColmenaClient
import dev.colmena.sdk.ColmenaException
import dev.colmena.sdk.ProductListQuery
import dev.colmena.sdk.ProductSort
import dev.colmena.sdk.TestPaymentOutcome
import dev.colmena.sdk.formatMoney
import java.io.File
import kotlinx.coroutines.runBlocking

/**
 * Browses a store and buys from it, shipped to an address in the store's country when it ships:
 * `mvn -q compile exec:java -Dexec.args="URL STORE"`
 * (defaults: the demo server of scripts/demo.sh, store `demo`).
 */
fun main(args: Array<String>): Unit = runBlocking {
    val api = args.getOrElse(0) { "http://127.0.0.1:8080" }
    val client = ColmenaClient(api, args.getOrElse(1) { "demo" })
    val store = client.store()
    val money = { amount: Long -> formatMoney(amount, store.currency, store.locale) }
    println("${store.name} (${store.currency})")

    // Browse: categories, then every page of the catalog, cheapest first.
    client.categories().forEach { println("  ${it.name}: ${it.productCount} products") }
    var offset = 0uL
    val all = buildList {
        do {
            val page = client.listProducts(ProductListQuery(limit = 10u, offset = offset, sort = ProductSort.PRICE))
            addAll(page.items)
            offset += page.items.size.toULong()
        } while (page.pagination.hasMore)
    }
    println("${all.size} products, from ${money(all.first().price.amount)} to ${money(all.last().price.amount)}")

    // Buy: the first product in stock and the digital one, in a cart kept in a file.
    val cartFile = File.createTempFile("colmena-cart", ".json").also { it.delete() }
    val cart = ColmenaCart.open(client, cartFile.path)
    val physical = all.first { !it.digital && it.variants.any { v -> v.inStock } }
    cart.add(physical, physical.variants.first { it.inStock }.id, 2u)
    all.firstOrNull { it.digital }?.let { cart.add(it, null, 1u) }
    cart.lines().forEach { println("  ${it.quantity} x ${it.productName}  ${money(it.lineTotal.amount)}") }
    // The server prices the cart for where it goes: the first shipping option, and tax.
    val cartId = cart.cartId() ?: error("the cart was not saved")
    var priced = client.cart(cartId)
    if (priced.requiresShipping) {
        val (city, region, postalCode, country) = when (store.locale.substringAfterLast('-')) {
            "SN" -> listOf("Dakar", null, "10200", "SN")
            else -> listOf("Madrid", "M", "28013", "ES")
        }
        val to = Address(name = "Ana Silva", line1 = "Calle Mayor 1", city = city!!, region = region, postalCode = postalCode, country = country!!)
        priced = client.updateCart(cartId, CartUpdate(shippingAddress = to))
        val option = priced.shippingOptions.firstOrNull() ?: error("the store does not ship there")
        println("  shipping: ${option.name} ${money(option.price.amount)}")
        priced = client.updateCart(cartId, CartUpdate(shippingRateId = option.id))
    }
    val shown = priced.totals.total
    println("  total ${money(shown.amount)}")

    val session = try {
        cart.checkout("kotlin@example.com", shown)
    } catch (e: ColmenaException.PriceChanged) {
        error("prices changed; the total is now ${e.currentTotal?.let { money(it.amount) }}")
    }
    val paid = client.settleTestPayment(session.order.payment.reference!!, TestPaymentOutcome.SUCCEED)
    println("order ${paid.id}: ${paid.status}")
    paid.downloads.forEach { link ->
        val file = client.download(link)
        println("downloaded ${file.fileName} (${file.bytes.size} bytes)")
    }
    cartFile.delete()
}
