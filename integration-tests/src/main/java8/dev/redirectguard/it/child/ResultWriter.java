package dev.redirectguard.it.child;

import java.io.Closeable;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;

/** Appends result lines to the results file, flushing each so a crashed child still leaves evidence. */
public final class ResultWriter implements Closeable {
    private final Writer out;

    public ResultWriter(File file) throws IOException {
        out = new OutputStreamWriter(new FileOutputStream(file), ChildCase.UTF_8);
    }

    public void write(ResultLine line) throws IOException {
        out.write(line.toJson());
        out.write('\n');
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
