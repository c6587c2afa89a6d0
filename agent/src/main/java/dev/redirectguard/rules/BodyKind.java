package dev.redirectguard.rules;

/** How the caller's request carried its body: that decides whether a hop can replay it. */
public enum BodyKind {
    NONE, BUFFERED, STREAMED
}
