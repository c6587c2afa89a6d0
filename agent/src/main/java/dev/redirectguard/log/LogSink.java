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
 * write, under a lock, so concurrent writers never interleave. A file is rotated by size:
 * FILE becomes FILE.1, FILE.1 becomes FILE.2, ... up to FILE.{files}; stderr and stdout never rotate.
 */
public final class LogSink {
    private static final Charset UTF8 = Charset.forName("UTF-8");
    private final String destination;
    private final long maxBytes;
    private final int files;
    private OutputStream out;
    private long size;
    private boolean failed;

    public LogSink(String destination) {
        this(destination, 0, 1);
    }

    /** @param maxBytes rotate a file before it would exceed this size; 0: never */
    public LogSink(String destination, long maxBytes, int files) {
        this.destination = destination;
        this.maxBytes = maxBytes;
        this.files = files;
    }


    boolean sameAs(String otherDestination, long otherMaxBytes, int otherFiles) {
        return destination.equals(otherDestination) && (isStream() || (maxBytes == otherMaxBytes && files == otherFiles));
    }

    private boolean isStream() {
        return "stderr".equals(destination) || "stdout".equals(destination);
    }

    /** @return false when the line was dropped (the destination failed) */
    public synchronized boolean write(String line) {
        if (failed) {
            return false;
        }
        try {
            byte[] bytes = (line + "\n").getBytes(UTF8);
            if (out == null) {
                out = open();
            }
            if (maxBytes > 0 && !isStream() && size > 0 && size + bytes.length > maxBytes) {
                rotate();
            }
            out.write(bytes);
            out.flush();
            size += bytes.length;
            return true;
        } catch (IOException e) {
            failed = true;
            System.err.println("redirect-guard: cannot write the log to " + destination + " (" + e
                    + "); further lines are dropped");
            return false;
        }
    }

    synchronized void close() {
        if (out != null && !isStream()) {
            try {
                out.close();
            } catch (IOException e) {
                // nothing left to lose
            }
        }
        out = null;
    }

    private void rotate() throws IOException {
        out.close();
        out = null;
        File file = new File(destination).getAbsoluteFile();
        new File(file.getPath() + "." + files).delete();
        for (int i = files - 1; i >= 1; i--) {
            File from = new File(file.getPath() + "." + i);
            if (from.exists() && !from.renameTo(new File(file.getPath() + "." + (i + 1)))) {
                throw new IOException("cannot rename " + from + " for rotation");
            }
        }
        if (!file.renameTo(new File(file.getPath() + ".1"))) {
            throw new IOException("cannot rename " + file + " to " + file.getName() + ".1 for rotation");
        }
        out = open();
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
        size = file.length();
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
