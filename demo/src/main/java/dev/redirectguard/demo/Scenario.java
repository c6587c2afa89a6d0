package dev.redirectguard.demo;

import java.util.ArrayList;
import java.util.List;

/**
 * One call of the legacy application and the redirect the servers answer it with.
 *
 * @param call        the application's name for the call, as it prints it ("uploadInvoice")
 * @param client      the JDK client the application uses for it
 * @param method      the method the application sends
 * @param startPath   where the application sends it, on origin A
 * @param status      the redirect status origin A answers with
 * @param target      the origin the Location points to
 * @param targetPath  the path the Location points to
 * @param story       the deployment this redirect comes from
 * @param expected    what RFC 9110 says the target receives
 */
record Scenario(int number, String call, String client, String method, String startPath, int status,
                Origin target, String targetPath, String story, Arrival expected) {

    static final String APP_EXPECTED = "HTTP 200";

    boolean sameOrigin() {
        return target == Origin.A;
    }

    /** The Location header: a path on the same origin (as nginx's {@code return 307 /path;}), else absolute. */
    String location(String targetBaseUrl) {
        return sameOrigin() ? targetPath : targetBaseUrl + targetPath;
    }

    /**
     * How a run breaks RFC 9110 here: the fields that differ, or none when the target received
     * exactly the one request the RFC asks for and the application got 200.
     */
    List<Field> deviations(List<Arrival> received, String appGot) {
        List<Field> fields = new ArrayList<>();
        if (received.size() != 1) {
            fields.add(Field.REQUEST);
        } else {
            fields.addAll(received.get(0).differencesFrom(expected));
        }
        if (!APP_EXPECTED.equals(appGot)) {
            fields.add(Field.APP_GOT);
        }
        return fields;
    }
}
