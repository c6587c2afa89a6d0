package dev.redirectguard.classfile;

/** The class file is not what a rewrite expects, or has a shape this editor does not handle. */
public final class ClassFileException extends Exception {
    private static final long serialVersionUID = 1L;

    public ClassFileException(String message) {
        super(message);
    }
}
