package dev.redirectguard.boot;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Byte Buddy and ASM (relocated), kept as one zip stored uncompressed in a single entry of the agent
 * jar ({@link #ENTRY}) instead of as 3 000-odd entries of their own: the JVM reads the whole central
 * directory of the agent jar when it opens it at start-up, before premain, which cost about 6 ms of
 * a hello world's start for entries that only the first HTTP class needs. This reads that inner zip
 * in place, through the already open jar (a stored entry's stream skips without reading), and is
 * opened only when the agent's loader is first asked for one of its classes. Keeps only the index.
 */
final class EngineArchive {
    static final String ENTRY = "inst/engine.zip";
    /** Class names that live in the engine archive rather than as {@code inst/*.classdata}. */
    static final String PACKAGE_PREFIX = "dev.redirectguard.shaded.";

    private static final int END_SIGNATURE = 0x06054b50;
    private static final int CENTRAL_SIGNATURE = 0x02014b50;
    private static final int LOCAL_SIGNATURE = 0x04034b50;
    private static final int END_SIZE = 22;
    private static final int CENTRAL_SIZE = 46;
    private static final int LOCAL_SIZE = 30;

    private final ZipFile jar;
    private final ZipEntry entry;
    /** Entry name to {local header offset, method, compressed size, size}. */
    private final Map<String, long[]> index;

    private EngineArchive(ZipFile jar, ZipEntry entry, Map<String, long[]> index) {
        this.jar = jar;
        this.entry = entry;
        this.index = index;
    }

    /** The archive inside {@code jar}, or null when the jar has none (a build without the engine). */
    static EngineArchive open(ZipFile jar) throws IOException {
        ZipEntry entry = jar.getEntry(ENTRY);
        if (entry == null) {
            return null;
        }
        if (entry.getMethod() != ZipEntry.STORED || entry.getSize() < END_SIZE) {
            throw new IOException(ENTRY + " is not a stored zip");
        }
        long size = entry.getSize();
        // The end record closes the archive; this build writes no archive comment, but a reader
        // that finds a comment still finds the record by its signature.
        int tail = (int) Math.min(size, END_SIZE + 0xFFFF);
        byte[] end = readAt(jar, entry, size - tail, tail);
        int at = tail - END_SIZE;
        while (at >= 0 && int32(end, at) != END_SIGNATURE) {
            at--;
        }
        if (at < 0) {
            throw new IOException(ENTRY + ": no end of central directory");
        }
        int count = int16(end, at + 10);
        long directorySize = int32(end, at + 12) & 0xFFFFFFFFL;
        long directoryOffset = int32(end, at + 16) & 0xFFFFFFFFL;
        byte[] directory = readAt(jar, entry, directoryOffset, (int) directorySize);
        Map<String, long[]> index = new HashMap<String, long[]>(count * 4 / 3 + 1);
        int p = 0;
        for (int i = 0; i < count; i++) {
            if (p + CENTRAL_SIZE > directory.length || int32(directory, p) != CENTRAL_SIGNATURE) {
                throw new IOException(ENTRY + ": bad central directory entry " + i);
            }
            int method = int16(directory, p + 10);
            long compressed = int32(directory, p + 20) & 0xFFFFFFFFL;
            long plain = int32(directory, p + 24) & 0xFFFFFFFFL;
            int nameLength = int16(directory, p + 28);
            int extraLength = int16(directory, p + 30);
            int commentLength = int16(directory, p + 32);
            long local = int32(directory, p + 42) & 0xFFFFFFFFL;
            // Latin-1, not UTF-8 by name: the names are ASCII (relocated class files), and on 9+ a
            // Latin-1 String is a copy of the bytes. 8.1 ms instead of 11.7 ms for the 3 266 names
            // (JDK 17, 20 runs), at the first HTTP class.
            String name = new String(directory, p + CENTRAL_SIZE, nameLength, StandardCharsets.ISO_8859_1);
            index.put(name, new long[] {local, method, compressed, plain});
            p += CENTRAL_SIZE + nameLength + extraLength + commentLength;
        }
        return new EngineArchive(jar, entry, index);
    }

    /** The bytes of {@code name} ({@code a/b/C.class}), or null when the archive has no such entry. */
    byte[] read(String name) throws IOException {
        long[] e = index.get(name);
        if (e == null) {
            return null;
        }
        byte[] stored;
        InputStream in = streamAt(jar, entry, e[0]);
        try {
            byte[] local = readExactly(in, LOCAL_SIZE, e[0]);
            if (int32(local, 0) != LOCAL_SIGNATURE) {
                throw new IOException(ENTRY + ": bad local header for " + name);
            }
            int nameAndExtra = int16(local, 26) + int16(local, 28);
            long data = e[0] + LOCAL_SIZE + nameAndExtra;
            skip(in, nameAndExtra, data);
            stored = readExactly(in, (int) e[2], data);
        } finally {
            in.close();
        }
        if (e[1] == ZipEntry.STORED) {
            return stored;
        }
        if (e[1] != ZipEntry.DEFLATED) {
            throw new IOException(ENTRY + ": unsupported method " + e[1] + " for " + name);
        }
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(stored);
            byte[] out = new byte[(int) e[3]];
            int n = 0;
            while (n < out.length) {
                int got = inflater.inflate(out, n, out.length - n);
                if (got == 0 && (inflater.finished() || inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IOException(ENTRY + ": truncated " + name);
                }
                n += got;
            }
            return out;
        } catch (DataFormatException x) {
            throw new IOException(ENTRY + ": " + name + ": " + x.getMessage());
        } finally {
            inflater.end();
        }
    }

    /** {@code length} bytes at {@code offset} of the stored entry's data. */
    private static byte[] readAt(ZipFile jar, ZipEntry entry, long offset, int length) throws IOException {
        InputStream in = streamAt(jar, entry, offset);
        try {
            return readExactly(in, length, offset);
        } finally {
            in.close();
        }
    }

    /** The stored entry's data from {@code offset} on: its stream skips without reading. */
    private static InputStream streamAt(ZipFile jar, ZipEntry entry, long offset) throws IOException {
        InputStream in = jar.getInputStream(entry);
        try {
            skip(in, offset, offset);
            return in;
        } catch (IOException e) {
            in.close();
            throw e;
        }
    }

    private static void skip(InputStream in, long count, long to) throws IOException {
        for (long left = count; left > 0; ) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                throw new EOFException(ENTRY + ": offset " + to + " beyond the entry");
            }
            left -= skipped;
        }
    }

    private static byte[] readExactly(InputStream in, int length, long offset) throws IOException {
        byte[] out = new byte[length];
        for (int n = 0; n < length; ) {
            int got = in.read(out, n, length - n);
            if (got < 0) {
                throw new EOFException(ENTRY + ": " + length + " bytes at " + offset + " beyond the entry");
            }
            n += got;
        }
        return out;
    }

    private static int int16(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    private static int int32(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }
}
