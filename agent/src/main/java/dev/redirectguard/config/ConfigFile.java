package dev.redirectguard.config;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.util.Properties;

/**
 * The {@code config=<path>} file: java.util.Properties syntax, UTF-8, the agent-argument keys
 * ({@code mode=enforce}, {@code logRate=50}, ...).
 */
public final class ConfigFile {
    /** A config file is a handful of lines; anything larger is a mistake, not a config. */
    static final int MAX_BYTES = 64 * 1024;

    private ConfigFile() {
    }

    public static Properties read(String path) throws IOException {
        return parse(bytes(path));
    }

    /** The file's content, read whole, so that a change can be detected by comparing it. */
    public static byte[] bytes(String path) throws IOException {
        File file = new File(path);
        if (!file.isFile()) {
            throw new IOException("no such file");
        }
        if (file.length() > MAX_BYTES) {
            throw new IOException("larger than " + MAX_BYTES + " bytes");
        }
        InputStream in = new FileInputStream(file);
        try {
            byte[] buffer = new byte[(int) file.length() + 1];
            int n = 0;
            for (int r; n < buffer.length && (r = in.read(buffer, n, buffer.length - n)) > 0; ) {
                n += r;
            }
            byte[] out = new byte[n];
            System.arraycopy(buffer, 0, out, 0, n);
            return out;
        } finally {
            in.close();
        }
    }

    public static Properties parse(byte[] content) throws IOException {
        Properties p = new Properties();
        p.load(new InputStreamReader(new ByteArrayInputStream(content), Charset.forName("UTF-8")));
        return p;
    }
}
