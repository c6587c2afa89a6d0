package dev.redirectguard.demo;

import java.util.List;

/** The demo's scenarios: what the legacy application calls, and how the servers redirect it. */
final class Scenarios {
    static final String HUC = "HttpURLConnection";
    static final String HTTP_CLIENT = "HttpClient";

    static final List<Scenario> ALL = List.of(
            new Scenario(1, "submitOrder", HUC, "POST", "/orders", 307, Origin.A, "/standby/orders",
                    "Maintenance: orders go to the standby path (nginx: return 307 /standby/orders;)",
                    new Arrival("POST", "{\"sku\":\"KB-42\"}", "application/json", true, true)),
            new Scenario(2, "uploadInvoice", HUC, "PUT", "/api/v1/upload", 308, Origin.A, "/api/v2/upload",
                    "API moved for good: v1 answers 308 to v2",
                    new Arrival("PUT", "%PDF-1.7 invoice", "application/pdf", true, true)),
            new Scenario(3, "checkout", HUC, "POST", "/checkout", 303, Origin.A, "/receipt",
                    "POST-redirect-GET: after payment, 303 to the receipt",
                    new Arrival("GET", "", null, true, true)),
            new Scenario(4, "downloadReport", HTTP_CLIENT, "GET", "/reports/latest", 302, Origin.B,
                    "/files/report.csv",
                    "Report handed to a file host on another origin (another port)",
                    new Arrival("GET", "", null, false, false)),
            new Scenario(5, "openTicket", HTTP_CLIENT, "POST", "/api/tickets", 303, Origin.A, "/api/tickets/1017",
                    "POST-redirect-GET through HttpClient: 303 to the new ticket",
                    new Arrival("GET", "", null, true, true)));

    private Scenarios() {
    }
}
