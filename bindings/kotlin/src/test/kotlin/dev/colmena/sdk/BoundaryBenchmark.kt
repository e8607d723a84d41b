package dev.colmena.sdk

import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assumptions.assumeTrue
import org.junit.jupiter.api.Test

/**
 * The cost of crossing the Kotlin–Rust boundary for calls that do no network work. Not a test:
 * `scripts/bench-mobile.sh` runs it (`-Dcolmena.bench=true`) and records the figures.
 */
class BoundaryBenchmark {
    private fun measure(name: String, calls: Int, call: () -> Unit) {
        repeat(calls / 10) { call() } // warm-up: JIT and the library's first use
        val started = System.nanoTime()
        repeat(calls) { call() }
        val nanos = (System.nanoTime() - started).toDouble() / calls
        println("BENCH $name: ${"%.0f".format(nanos)} ns per call over $calls calls")
    }

    @Test
    fun boundaryCallCost() {
        assumeTrue(System.getProperty("colmena.bench") == "true", "benchmark: run scripts/bench-mobile.sh")
        measure("formatMoney (strings in and out)", 200_000) { formatMoney(1250, "EUR", "es-ES") }
        val client = ColmenaClient("http://127.0.0.1:9", "demo")
        val cart = ColmenaCart.inMemory(client)
        measure("ColmenaCart.itemCount (object method, integer out)", 200_000) { cart.itemCount() }
        measure("ColmenaCart.sync on an empty cart (suspend round trip, no network)", 20_000) {
            runBlocking { cart.sync() }
        }
    }
}
