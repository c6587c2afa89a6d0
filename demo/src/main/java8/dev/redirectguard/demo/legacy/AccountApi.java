package dev.redirectguard.demo.legacy;

/**
 * The account API calls. Implemented with java.net.http.HttpClient in a class compiled for Java 11
 * ({@code HttpClientAccountApi}), which this Java 8 code loads by name, and only on Java 11 or later.
 */
interface AccountApi {
    String IMPLEMENTATION = "dev.redirectguard.demo.legacy.HttpClientAccountApi";

    /** GET the latest monthly report. */
    int downloadReport() throws Exception;

    /** POST a support ticket. */
    int openTicket() throws Exception;
}
