package dev.redirectguard.agent;

import dev.redirectguard.classfile.ClassFile;
import dev.redirectguard.classfile.ClassFileException;

import java.util.ArrayList;
import java.util.List;

/** The JDK classes the agent rewrites, and the one call that rewrites any of them. */
final class Rewrites {
    /** Internal names. */
    static final String[] TARGETS = {
        SunHttpUrlConnectionRewrite.NAME, JdkRedirectFilterRewrite.NAME, JdkHttpRequestImplRewrite.NAME,
        JdkMultiExchangeRewrite.NAME,
    };

    private Rewrites() {
    }

    static ClassRewrite forClass(String internalName) {
        if (internalName.equals(SunHttpUrlConnectionRewrite.NAME)) {
            return new SunHttpUrlConnectionRewrite();
        }
        if (internalName.equals(JdkRedirectFilterRewrite.NAME)) {
            return new JdkRedirectFilterRewrite();
        }
        if (internalName.equals(JdkHttpRequestImplRewrite.NAME)) {
            return new JdkHttpRequestImplRewrite();
        }
        if (internalName.equals(JdkMultiExchangeRewrite.NAME)) {
            return new JdkMultiExchangeRewrite();
        }
        throw new IllegalArgumentException(internalName);
    }

    /**
     * The rewritten class.
     *
     * @throws ClassFileException when an expected code shape is missing: the class must then be
     *     left as the JDK shipped it; the message lists what was missing
     */
    static byte[] rewrite(String internalName, byte[] original) throws ClassFileException {
        ClassFile cf = new ClassFile(original);
        List<String> problems = new ArrayList<String>();
        forClass(internalName).edit(cf, problems);
        if (!problems.isEmpty()) {
            throw new ClassFileException(problems.toString());
        }
        return cf.toBytes();
    }
}
