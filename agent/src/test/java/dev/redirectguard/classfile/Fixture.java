package dev.redirectguard.classfile;

/** Code with every shape the editor must move: switches, loops, handlers, uninitialized frames. */
public class Fixture {
    public static int dense(int k) {
        switch (k) {
            case 0: return 10;
            case 1: return 11;
            case 2: return 12;
            case 3: return 13;
            default: return -1;
        }
    }

    public static int sparse(int k) {
        switch (k) {
            case -100000: return 1;
            case 7: return 2;
            case 300: return 3;
            case 100000: return 4;
            default: return 0;
        }
    }

    public static long loop(int n) {
        long sum = 0;
        for (int i = 0; i < n; i++) {
            if (i % 3 == 0) {
                continue;
            }
            sum += i * 307L;
        }
        return sum;
    }

    public static String handler(String s) {
        try {
            return s.substring(3);
        } catch (StringIndexOutOfBoundsException e) {
            return "short";
        } finally {
            Probe.finallies++;
        }
    }

    public static String uninitialized(boolean flag) {
        return new StringBuilder(flag ? "yes" : "no").append(flag ? 307 : 308).toString();
    }

    public static int gate(int status) {
        if (status < 300 || status > 307 || status == 306) {
            return 0;
        }
        return 1;
    }
}
