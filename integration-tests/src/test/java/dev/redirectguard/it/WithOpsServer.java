package dev.redirectguard.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.IOException;

/** Test classes that drive child JVMs against one OpsServer for the whole class. */
abstract class WithOpsServer {
    static OpsServer server;

    @BeforeAll
    static void startServer() throws IOException {
        server = new OpsServer();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }
}
