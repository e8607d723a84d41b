package dev.colmena.sdk

import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue

/** The generated Kotlin, running the Rust core through JNA, against a live colmena-server. */
class CatalogTest {
    private val baseUrl = LiveServer.baseUrl

    @Test
    fun listsTheDemoStoreProducts() = runBlocking {
        val client = ColmenaClient(baseUrl, "demo")
        val store = client.store()
        assertEquals("EUR", store.currency)

        val first = client.listProducts(ProductQuery())
        assertEquals(20, first.items.size)
        assertTrue(first.total >= 24u, "demo has at least 24 products, got ${first.total}")
        assertTrue(first.hasMore)
        first.items.forEach { product ->
            assertEquals("EUR", product.price.currency)
            assertTrue(product.price.amount > 0)
            assertTrue(product.images.first().url.startsWith(baseUrl))
        }

        val rest = client.listProducts(ProductQuery(offset = 20u, limit = 100u))
        assertEquals(first.total.toInt(), first.items.size + rest.items.size)
        val allIds = (first.items + rest.items).map { it.id }.toSet()
        assertEquals(first.total.toInt(), allIds.size)

        val cheapest = client.listProducts(ProductQuery(sort = ProductSort.PRICE, limit = 3u))
        val amounts = cheapest.items.map { it.price.amount }
        assertEquals(amounts.sorted(), amounts)
        assertEquals("4,50\u00a0€", formatMoney(amounts.first(), "EUR", store.locale))
    }

    @Test
    fun filtersByCategoryAndSearches() = runBlocking {
        val client = ColmenaClient(baseUrl, "demo-b")
        val categories = client.categories()
        assertTrue(categories.size >= 3)
        val first = categories.first()
        val page = client.listProducts(ProductQuery(category = first.slug, limit = 100u))
        assertEquals(first.productCount, page.total)
        assertTrue(page.items.all { it.categorySlug == first.slug })

        val found = client.listProducts(ProductQuery(search = "bazin"))
        assertEquals(1, found.items.size)
        assertEquals("XOF", found.items.first().price.currency)
    }

    @Test
    fun errorsCarryTheSharedCodes() = runBlocking {
        val client = ColmenaClient(baseUrl, "demo")
        val notFound = assertFailsWith<ColmenaException.NotFound> { client.product("no-such-product") }
        assertEquals("NOT_FOUND", notFound.code)
        assertEquals(404.toUShort(), notFound.status)
        assertEquals(36, notFound.requestId?.length)

        val noStore = assertFailsWith<ColmenaException.NotFound> { ColmenaClient(baseUrl, "nope").store() }
        assertEquals("STORE_NOT_FOUND", noStore.code)

        val invalid = assertFailsWith<ColmenaException.InvalidRequest> {
            client.listProducts(ProductQuery(limit = 500u))
        }
        assertEquals("INVALID_REQUEST", invalid.code)

        val offline = assertFailsWith<ColmenaException.Network> {
            ColmenaClient("http://127.0.0.1:9", "demo").store()
        }
        assertEquals("NETWORK_ERROR", offline.code)
    }
}
