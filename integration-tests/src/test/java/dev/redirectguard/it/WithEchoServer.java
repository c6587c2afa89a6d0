package dev.redirectguard.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.IOException;

/** Test classes that drive child JVMs against one recording EchoServer for the whole class. */
abstract class WithEchoServer {
    static EchoServer server;

    @BeforeAll
    static void startEchoServer() throws IOException {
        server = new EchoServer();
    }

    @AfterAll
    static void stopEchoServer() {
        if (server != null) {
            server.close();
        }
    }
}
