package dev.colmena.sdk

import java.io.File
import org.json.JSONObject
import org.junit.jupiter.api.Test
import kotlin.test.assertEquals
import kotlin.test.assertTrue
import kotlin.test.fail

/** The webhook signature vectors shared with the Rust and JavaScript SDKs. */
class WebhookVectorsTest {
    private val vectors = JSONObject(
        File("../../sdk-core/tests/vectors/webhook-signatures.json").readText()
    )

    @Test
    fun everySharedVectorVerifiesAsDocumented() {
        val cases = vectors.getJSONArray("cases")
        assertTrue(cases.length() >= 15)
        val tolerance = vectors.getLong("toleranceSeconds").toULong()
        for (i in 0 until cases.length()) {
            val case = cases.getJSONObject(i)
            val name = case.getString("name")
            val body = case.getString("body").toByteArray(Charsets.UTF_8)
            try {
                verifyWebhookSignature(
                    case.getString("secret"), case.getString("header"), body,
                    case.getLong("now"), tolerance,
                )
                if (!case.getBoolean("valid")) fail("$name: accepted, expected ${case.getString("error")}")
            } catch (e: WebhookSignatureException.Invalid) {
                if (case.getBoolean("valid")) fail("$name: refused with ${e.code}")
                assertEquals(case.getString("error"), e.code, name)
            }
        }
    }
}
