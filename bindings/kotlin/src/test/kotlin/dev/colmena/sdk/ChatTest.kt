package dev.colmena.sdk

import java.util.UUID
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Test
import kotlin.test.assertEquals
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue

/** Commerce in conversation from Kotlin, against a live colmena-server: the store's chat, and
 * the interpreter on the device. */
class ChatTest {
    private val client = ColmenaClient(LiveServer.baseUrl, "demo")

    @Test
    fun aConversationFillsTheAppsCartAndEndsWithACheckoutLink(): Unit = runBlocking {
        // The buyer's chat session: a random secret the app keeps (64 hex digits here).
        val session = (1..2).joinToString("") { UUID.randomUUID().toString().replace("-", "") }
        val cart = ColmenaCart.inMemory(client)
        suspend fun say(text: String): ChatReply {
            val reply = client.sendChatMessage(ChatMessageRequest(session = session, text = text, locale = "en", cartId = cart.cartId()))
            // The conversation's cart is the app's.
            reply.cartId?.let { cart.adopt(it) }
            return reply
        }

        val added = say("add 2 wildflower honey")
        assertEquals(ChatIntent.ADD_TO_CART, added.interpretation.intent)
        assertTrue(added.replies.single().startsWith("Added to your cart: 2 × Wildflower Honey 500 g."), added.replies.toString())
        val cartId = assertNotNull(added.cartId)
        assertEquals(2u, cart.itemCount())
        assertEquals(cartId, cart.cartId())
        assertEquals("Wildflower Honey 500 g", cart.lines().single().productName)

        val viewed = say("what's in my cart?")
        assertEquals(ChatIntent.VIEW_CART, viewed.interpretation.intent)
        assertTrue(viewed.replies.single().contains("• 2 × Wildflower Honey 500 g"), viewed.replies.toString())
        assertNull(viewed.checkoutUrl)

        val paying = say("pay")
        assertEquals(ChatIntent.CHECKOUT, paying.interpretation.intent)
        assertEquals(cartId, paying.cartId, "one cart for the whole conversation")
        val checkoutUrl = assertNotNull(paying.checkoutUrl)
        assertTrue(checkoutUrl.endsWith("#cart=$cartId"), checkoutUrl)
        // The conversation as the server keeps it.
        val thread = client.chatThread(session)
        assertEquals(ConversationStatus.OPEN, thread.status)
        assertEquals(ChatAuthor.BUYER, thread.messages.first().author)
        assertEquals("add 2 wildflower honey", thread.messages.first().body)

        // The app may pay in place instead, with the same cart.
        val order = cart.checkout("chat@example.com", cart.subtotal())
        val paid = client.settleTestPayment(order.order.payment.reference!!, TestPaymentOutcome.SUCCEED)
        assertEquals(OrderStatus.PAID, paid.status)
        assertEquals(2u, paid.items.single().quantity)
    }

    @Test
    fun theInterpreterReadsSpanishAndSwahiliOnTheDevice(): Unit = runBlocking {
        val catalog = client.chatCatalog()
        val interpreter = ChatInterpreter(catalog)
        val honey = client.product("wildflower-honey-500-g")
        val jacket = client.product("ventilated-jacket")

        val spanish = interpreter.interpret(ChatInterpretRequest(text = "añade 2 miel de milflores"))
        assertEquals("es", spanish.language)
        assertEquals(ChatIntent.ADD_TO_CART, spanish.intent)
        assertEquals(ChatItem(honey.id, honey.variants.single().id, 2u), spanish.items.single())

        // A question, then its answer read with the question as `previous`.
        val which = interpreter.interpret(ChatInterpretRequest(text = "quiero una chaqueta"))
        val question = assertNotNull(which.question)
        assertEquals(ChatQuestionKind.WHICH_VARIANT, question.kind)
        assertEquals(listOf("S", "M", "L", "XL"), question.choices.map { it.label })
        assertTrue(question.text.contains("¿Qué talla?"), question.text)
        val large = interpreter.interpret(ChatInterpretRequest(text = "la L", previous = which))
        val l = jacket.variants.single { it.options["Size"] == "L" }
        assertEquals(ChatItem(jacket.id, l.id, 1u), large.items.single())

        val swahili = interpreter.interpret(ChatInterpretRequest(text = "nataka asali ya maua ya porini mbili"))
        assertEquals("sw", swahili.language)
        assertEquals(ChatIntent.ADD_TO_CART, swahili.intent)
        assertEquals(ChatItem(honey.id, honey.variants.single().id, 2u), swahili.items.single())
        val jaketi = interpreter.interpret(ChatInterpretRequest(text = "nataka jaketi"))
        assertTrue(assertNotNull(jaketi.question).text.contains("saizi gani?"))

        // The device reads as the server does.
        val onServer = client.chatInterpret(ChatInterpretRequest(text = "nataka asali ya maua ya porini mbili"))
        assertEquals(swahili.items, onServer.items)
        assertEquals(swahili.intent, onServer.intent)
        assertEquals(honey.id, interpreter.find("wildflower honey", 3u).first())
    }
}
