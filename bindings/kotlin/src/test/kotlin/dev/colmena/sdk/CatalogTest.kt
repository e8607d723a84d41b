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

        val first = client.listProducts(ProductListQuery())
        assertEquals(20, first.items.size)
        assertTrue(first.pagination.total >= 24u, "demo has at least 24 products, got ${first.pagination.total}")
        assertTrue(first.pagination.hasMore)
        first.items.forEach { product ->
            assertEquals("EUR", product.price.currency)
            assertTrue(product.price.amount > 0)
            assertTrue(product.images.first().url.startsWith(baseUrl))
        }

        val rest = client.listProducts(ProductListQuery(offset = 20u, limit = 100u))
        assertEquals(first.pagination.total.toInt(), first.items.size + rest.items.size)
        val allIds: Set<java.util.UUID> = (first.items + rest.items).map { it.id }.toSet()
        assertEquals(first.pagination.total.toInt(), allIds.size)
        val created: java.time.Instant = first.items.first().createdAt
        assertTrue(created.isBefore(java.time.Instant.now()))

        val cheapest = client.listProducts(ProductListQuery(limit = 3u, sort = ProductSort.PRICE))
        val amounts = cheapest.items.map { it.price.amount }
        assertEquals(amounts.sorted(), amounts)
        assertEquals("4,50\u00a0€", formatMoney(amounts.first(), "EUR", store.locale))
    }

    @Test
    fun readsTheCatalogInTheShoppersLanguage(): Unit = runBlocking {
        val client = ColmenaClient(baseUrl, "demo")
        val swahili = client.withLocale("sw-KE")
        assertEquals("Asali ya maua ya porini 500 g", swahili.product("wildflower-honey-500-g").name)
        assertTrue(swahili.categories().any { it.name == "Asali" })
        // No Japanese translation: the store's own content.
        assertEquals("Wildflower Honey 500 g", client.withLocale("ja").product("wildflower-honey-500-g").name)
        assertFailsWith<ColmenaException.InvalidRequest> { client.withLocale("Swahili") }
    }

    @Test
    fun filtersByCategoryAndSearches() = runBlocking {
        val client = ColmenaClient(baseUrl, "demo-b")
        val categories = client.categories()
        assertTrue(categories.size >= 3)
        val first = categories.first()
        val page = client.listProducts(ProductListQuery(limit = 100u, category = first.slug))
        assertEquals(first.productCount, page.pagination.total)
        assertTrue(page.items.all { it.category?.slug == first.slug })

        val found = client.listProducts(ProductListQuery(q = "bazin"))
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
            client.listProducts(ProductListQuery(limit = 500u))
        }
        assertEquals("INVALID_REQUEST", invalid.code)

        val offline = assertFailsWith<ColmenaException.Network> {
            ColmenaClient("http://127.0.0.1:9", "demo").store()
        }
        assertEquals("NETWORK_ERROR", offline.code)
    }
}
