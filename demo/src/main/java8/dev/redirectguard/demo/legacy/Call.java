package dev.redirectguard.demo.legacy;

/** One HTTP call of the application; answers the status code the caller finally got. */
interface Call {
    int send() throws Exception;
}
