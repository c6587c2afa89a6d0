package dev.redirectguard.doctor.child;

import java.io.PrintStream;
import javax.net.ssl.SSLContext;

/** Sends one client's cases on threads of its own and prints one result line per case (see {@link DoctorChild}). */
interface CaseRunner {
    /** @param tls trusts the doctor's certificate; null before the doctor sent it (http cases need none) */
    void submit(DoctorCase c, CallerHeaders headers, SSLContext tls, PrintStream out);

    /** Waits until every case submitted has its result line. */
    void finish() throws InterruptedException;
}
