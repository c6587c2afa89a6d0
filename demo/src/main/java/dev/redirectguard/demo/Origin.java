package dev.redirectguard.demo;

/** The two embedded servers: the shop's services and a file host on another port, hence another origin. */
enum Origin {
    A, B
}
