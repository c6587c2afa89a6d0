package dev.redirectguard.report;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * {@code report <file.jsonl>...}: exit 0 when at least one file was read (bad lines are counted,
 * not fatal), 1 when none could be read, 2 on a usage error. A file ending in .gz is gunzipped
 * (rotated logs are often compressed); "-" reads standard input.
 */
public final class ReportCommand {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    private ReportCommand() {
    }

    public static int run(String[] args, InputStream stdin, PrintStream out, PrintStream err) {
        List<String> files = new ArrayList<String>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                usage(out);
                return OK;
            }
            if (a.startsWith("-") && !a.equals("-")) {
                err.println("redirect-guard report: unknown option '" + a + "' (try report --help)");
                return USAGE;
            }
            files.add(a);
        }
        if (files.isEmpty()) {
            err.println("redirect-guard report: no log file given (try report --help)");
            return USAGE;
        }
        LogReport report = new LogReport();
        int read = 0;
        for (String f : files) {
            try {
                InputStream in = f.equals("-") ? stdin : new FileInputStream(f);
                try {
                    if (f.endsWith(".gz")) {
                        in = new GZIPInputStream(in);
                    }
                    report.read(f.equals("-") ? "(stdin)" : f,
                            new BufferedReader(new InputStreamReader(in, Charset.forName("UTF-8"))));
                    read++;
                } finally {
                    if (!f.equals("-")) {
                        in.close();
                    }
                }
            } catch (IOException e) {
                err.println("redirect-guard report: cannot read " + f + ": " + e.getMessage());
            }
        }
        if (read == 0) {
            err.println("redirect-guard report: no file could be read");
            return FAILED;
        }
        report.print(out);
        return OK;
    }

    static void usage(PrintStream out) {
        out.println("usage: java -jar redirect-guard-agent.jar report <file.jsonl>... (.gz, or - for stdin)");
        out.println("  Summarises agent logs, from one host or many: per rule, per caller frame and per target host,");
        out.println("  violations with first and last seen, and per rule what enforce changes (JDK -> enforce).");
        out.println("  A line with repeats stands for that many violations; bad lines are counted and skipped.");
        out.println("  Exit 0 at least one file read, 1 no file could be read, 2 usage error.");
    }
}
