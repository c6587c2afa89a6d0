package dev.redirectguard.boot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EngineArchiveTest {
    @TempDir
    File dir;

    private final byte[] compressible = "class bytes ".repeat(500).getBytes(StandardCharsets.UTF_8);
    private final byte[] random = new byte[10_000];

    {
        new Random(7).nextBytes(random);
    }

    @Test
    void readsDeflatedAndStoredEntriesOfTheInnerZipInPlace() throws IOException {
        File jar = outer(inner(), ZipEntry.STORED);
        try (ZipFile zip = new ZipFile(jar)) {
            EngineArchive engine = EngineArchive.open(zip);
            assertArrayEquals(compressible, engine.read("dev/redirectguard/shaded/a/A.class"));
            assertArrayEquals(random, engine.read("dev/redirectguard/shaded/b/B.class"));
            assertArrayEquals(new byte[0], engine.read("dev/redirectguard/shaded/Empty.class"));
            assertNull(engine.read("dev/redirectguard/shaded/Missing.class"));
        }
    }

    @Test
    void aJarWithoutTheEntryHasNoEngine() throws IOException {
        File jar = new File(dir, "plain.jar");
        try (ZipOutputStream out = new ZipOutputStream(new FileOutputStream(jar))) {
            out.putNextEntry(new ZipEntry("inst/dev/redirectguard/agent/AgentMain.classdata"));
            out.write(1);
        }
        try (ZipFile zip = new ZipFile(jar)) {
            assertNull(EngineArchive.open(zip));
        }
    }

    @Test
    void aDeflatedEntryIsRefusedNotMisread() throws IOException {
        File jar = outer(inner(), ZipEntry.DEFLATED);
        try (ZipFile zip = new ZipFile(jar)) {
            assertThrows(IOException.class, () -> EngineArchive.open(zip));
        }
    }

    @Test
    void aStoredEntryThatIsNotAZipIsRefused() throws IOException {
        File jar = outer(new byte[100], ZipEntry.STORED);
        try (ZipFile zip = new ZipFile(jar)) {
            assertThrows(IOException.class, () -> EngineArchive.open(zip));
        }
    }

    /** An inner zip with a deflated, a stored and an empty entry, extra fields and an archive comment. */
    private byte[] inner() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            out.setComment("a comment the reader must look past");
            ZipEntry a = new ZipEntry("dev/redirectguard/shaded/a/A.class");
            a.setExtra(new byte[] {(byte) 0xCA, (byte) 0xFE, 0, 0});
            out.putNextEntry(a);
            out.write(compressible);
            out.putNextEntry(stored("dev/redirectguard/shaded/b/B.class", random));
            out.write(random);
            out.putNextEntry(new ZipEntry("dev/redirectguard/shaded/Empty.class"));
        }
        return bytes.toByteArray();
    }

    private File outer(byte[] engine, int method) throws IOException {
        File jar = new File(dir, "agent-" + method + ".jar");
        try (ZipOutputStream out = new ZipOutputStream(new FileOutputStream(jar))) {
            out.putNextEntry(new ZipEntry("inst/dev/redirectguard/agent/AgentMain.classdata"));
            out.write(compressible);
            out.putNextEntry(method == ZipEntry.STORED ? stored(EngineArchive.ENTRY, engine)
                    : new ZipEntry(EngineArchive.ENTRY));
            out.write(engine);
        }
        return jar;
    }

    private static ZipEntry stored(String name, byte[] content) {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(content.length);
        CRC32 crc = new CRC32();
        crc.update(content);
        e.setCrc(crc.getValue());
        return e;
    }
}
