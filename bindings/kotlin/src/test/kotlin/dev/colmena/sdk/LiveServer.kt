package dev.colmena.sdk

import java.io.File
import java.nio.file.Files
import java.util.concurrent.TimeUnit

/** One colmena-server with the demo stores for the whole test run, stopped when the JVM exits. */
object LiveServer {
    val baseUrl: String by lazy { start() }

    private val dataDir: File by lazy { Files.createTempDirectory("colmena-kotlin-test").toFile() }

    /** Where the server writes the messages it would mail, as .eml files. */
    val mailDir: File get() = File(dataDir, "mail")

    private fun start(): String {
        val binary = System.getenv("COLMENA_SERVER_BIN")
            ?: File("../../target/debug/colmena-server").canonicalPath
        check(File(binary).canExecute()) { "colmena-server not found at $binary: run scripts/test.sh" }
        val server = ProcessBuilder(
            binary, "--addr", "127.0.0.1:0", "--demo",
            "--database-url", "sqlite://${dataDir.path}/colmena.db",
            "--media-dir", "${dataDir.path}/media",
            "--files-dir", "${dataDir.path}/files",
            "--mail-dir", "${dataDir.path}/mail",
        ).redirectError(ProcessBuilder.Redirect.INHERIT).start()
        Runtime.getRuntime().addShutdownHook(Thread {
            server.destroy()
            server.waitFor(10, TimeUnit.SECONDS)
            dataDir.deleteRecursively()
        })
        val reader = server.inputStream.bufferedReader()
        return generateSequence { reader.readLine() }
            .first { it.startsWith("listening on ") }
            .removePrefix("listening on ").trim()
    }
}
