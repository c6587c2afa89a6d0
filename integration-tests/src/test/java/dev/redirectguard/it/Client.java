package dev.redirectguard.it;

/** The two JDK HTTP clients under test, with the child program that drives each. */
enum Client {
    HUC("HttpURLConnection", "huc", "dev.redirectguard.it.child.HucRunner", 8),
    HC("HttpClient", "hc", "dev.redirectguard.it.child.HcRunner", 11);

    /** As the agent's log names it in the {@code client} field. */
    final String logName;
    final String idPrefix;
    final String runnerClass;
    final int minimumJdk;

    Client(String logName, String idPrefix, String runnerClass, int minimumJdk) {
        this.logName = logName;
        this.idPrefix = idPrefix;
        this.runnerClass = runnerClass;
        this.minimumJdk = minimumJdk;
    }

    String runnerSimpleName() {
        return runnerClass.substring(runnerClass.lastIndexOf('.') + 1);
    }
}
