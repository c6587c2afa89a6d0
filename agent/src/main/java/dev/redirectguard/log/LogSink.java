package dev.redirectguard.log;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;

/**
 * Where the JSON lines go: stderr, stdout, or a file (appended, parents created). Opened on the
 * first line, so a JVM that never meets a violation never touches the file. One line is one
 * write, under a lock, so concurrent hops never interleave.
 */
public final class LogSink {
    private static final Charset UTF8 = Charset.forName("UTF-8");
    private final String destination;
    private OutputStream out;
    private boolean failed;

    public LogSink(String destination) {
        this.destination = destination;
    }

    public String destination() {
        return destination;
    }

    /** @return false when the line was dropped (the destination failed) */
    public synchronized boolean write(String line) {
        if (failed) {
            return false;
        }
        try {
            if (out == null) {
                out = open();
            }
            out.write((line + "\n").getBytes(UTF8));
            out.flush();
            return true;
        } catch (IOException e) {
            failed = true;
            System.err.println("redirect-guard: cannot write the log to " + destination + " (" + e
                    + "); further lines are dropped");
            return false;
        }
    }

    private OutputStream open() throws IOException {
        if ("stderr".equals(destination)) {
            return new Unclosable(System.err);
        }
        if ("stdout".equals(destination)) {
            return new Unclosable(System.out);
        }
        File file = new File(destination).getAbsoluteFile();
        File parent = file.getParentFile();
        if (parent != null && !parent.isDirectory() && !parent.mkdirs() && !parent.isDirectory()) {
            throw new IOException("cannot create directory " + parent);
        }
        return new FileOutputStream(file, true);
    }

    /** The JVM's own streams are shared: flush them, never close them. */
    private static final class Unclosable extends OutputStream {
        private final PrintStream stream;

        Unclosable(PrintStream stream) {
            this.stream = stream;
        }

        @Override
        public void write(int b) {
            stream.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            stream.write(b, off, len);
        }

        @Override
        public void flush() {
            stream.flush();
        }
    }
}
