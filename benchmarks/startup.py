#!/usr/bin/env python3
"""Whole-process start-up timings of redirect-guard, as ratios to the floor.

Runs each variant once per round, in a shuffled order (interleaved, so drift and noise hit all
variants alike), and reports medians, and per agent the median and interquartile range of each
round's ratio to the floor. The floor is the same JVM with an empty -javaagent whose premain returns
at once: the JVM's own cost of any agent. Raw times go to benchmarks/target/startup/ as TSV.

    python3 benchmarks/startup.py [--rounds 40] [--java /path/to/bin/java ...] [--bytebuddy]

--java can be given several times (JDK 8, 17 and 25, for instance): each JVM gets its table.

Needs agent/target/redirect-guard-agent.jar (mvn -B package) and javac on the PATH. --bytebuddy
adds the comparison point of the design notes: a plain Byte Buddy AgentBuilder with one no-op
advice on HttpURLConnection (benchmarks/bytebuddy-baseline, built against byte-buddy from Maven).
"""
import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))
AGENT = os.path.join(HERE, "..", "agent", "target", "redirect-guard-agent.jar")

HELLO = 'public class Hello { public static void main(String[] a) { System.out.println("hello"); } }'
ONE_REQUEST = """
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
public class OneRequest {
    public static void main(String[] a) throws Exception {
        HttpURLConnection c = (HttpURLConnection) new URL(a[0]).openConnection();
        InputStream in = c.getInputStream();
        while (in.read() >= 0) { }
        in.close();
        System.out.println(c.getResponseCode());
    }
}
"""
EMPTY_AGENT = """
public class EmptyAgent {
    public static void premain(String args, java.lang.instrument.Instrumentation inst) { }
}
"""


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/redirect":
            self.send_response(307)
            self.send_header("Location", "/ok")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = b"ok"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def build(work, java_home_bin):
    javac = os.path.join(java_home_bin, "javac") if java_home_bin else "javac"
    jar = os.path.join(java_home_bin, "jar") if java_home_bin else "jar"
    for name, src in (("Hello", HELLO), ("OneRequest", ONE_REQUEST), ("EmptyAgent", EMPTY_AGENT)):
        with open(os.path.join(work, name + ".java"), "w") as f:
            f.write(src)
    subprocess.run([javac, "-nowarn", "-d", work] + [os.path.join(work, n + ".java")
                    for n in ("Hello", "OneRequest")], check=True)
    # The empty agent's class only inside its jar, never in the programs' class path directory:
    # there the JVM would load it from the directory and never open the jar, and the floor would
    # leave out what every real agent pays, its jar opened by the class loader.
    agent_classes = os.path.join(work, "empty-agent")
    os.makedirs(agent_classes)  # javac 8 does not create its -d directory
    subprocess.run([javac, "-nowarn", "-d", agent_classes, os.path.join(work, "EmptyAgent.java")], check=True)
    manifest = os.path.join(work, "manifest.txt")
    with open(manifest, "w") as f:
        f.write("Premain-Class: EmptyAgent\n")
    empty = os.path.join(work, "empty-agent.jar")
    subprocess.run([jar, "cfm", empty, manifest, "-C", agent_classes, "EmptyAgent.class"], check=True)
    return empty


def build_bytebuddy_baseline(work, java_home_bin):
    """Builds benchmarks/bytebuddy-baseline into one agent jar with Byte Buddy inside."""
    version = "1.18.17"
    subprocess.run(["mvn", "-B", "-q", "dependency:get", "-Dartifact=net.bytebuddy:byte-buddy:" + version],
                   check=True)
    bb = os.path.expanduser("~/.m2/repository/net/bytebuddy/byte-buddy/%s/byte-buddy-%s.jar" % (version, version))
    javac = os.path.join(java_home_bin, "javac") if java_home_bin else "javac"
    jar = os.path.join(java_home_bin, "jar") if java_home_bin else "jar"
    out = os.path.join(work, "bb")
    os.makedirs(out)
    src = os.path.join(HERE, "bytebuddy-baseline")
    subprocess.run([javac, "-nowarn", "-cp", bb, "-d", out] + [os.path.join(src, f) for f in
                    ("AdviceAgent.java", "NoOpAdvice.java")], check=True)
    subprocess.run(["unzip", "-q", "-o", bb, "-x", "META-INF/*", "-d", out], check=True)
    manifest = os.path.join(work, "bb-manifest.txt")
    with open(manifest, "w") as f:
        f.write("Premain-Class: AdviceAgent\nCan-Retransform-Classes: true\n")
    agent = os.path.join(work, "bytebuddy-advice-agent.jar")
    subprocess.run([jar, "cfm", agent, manifest, "-C", out, "."], check=True)
    return agent


def run_quietly(command):
    """Runs a measured JVM; its stderr is shown only if it fails (on JDK 25 Byte Buddy warns about
    sun.misc.Unsafe on every start)."""
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        sys.exit("failed (exit %d): %s\n%s" % (done.returncode, " ".join(command), done.stderr))


def quartiles(values):
    """Median, first and third quartile (the median itself for fewer than two values)."""
    if len(values) < 2:
        return values[0], values[0], values[0]
    q1, q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q2, q1, q3


def measure(java, rounds, bytebuddy, base, out_dir):
    """Runs every program with every agent on one JVM; returns its table as lines."""
    work = tempfile.mkdtemp(prefix="rg-startup-")
    bin_dir = os.path.dirname(java) if os.path.sep in java else ""
    empty = build(work, bin_dir)
    agent = os.path.abspath(AGENT)
    cp = ["-cp", work]
    programs = {"hello": ["Hello"], "one request": ["OneRequest", base + "/ok"],
                "one redirect": ["OneRequest", base + "/redirect"]}
    agents = {"none": [], "floor": ["-javaagent:" + empty], "audit": ["-javaagent:" + agent],
              "enforce": ["-javaagent:" + agent + "=mode=enforce"]}
    if bytebuddy:
        agents["bytebuddy"] = ["-javaagent:" + build_bytebuddy_baseline(work, bin_dir)]
    variants = [(prog, ag) for prog in programs for ag in agents]
    # times[(program, agent)][round]
    times = {v: [] for v in variants}
    for _ in range(3):  # warm the file cache
        for prog, ag in variants:
            run_quietly([java] + agents[ag] + cp + programs[prog])
    for _ in range(rounds):
        order = list(variants)
        random.shuffle(order)
        for prog, ag in order:
            start = time.perf_counter()
            run_quietly([java] + agents[ag] + cp + programs[prog])
            times[(prog, ag)].append(time.perf_counter() - start)
    version = subprocess.run([java, "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    if out_dir:
        os.makedirs(out_dir, exist_ok=True)
        tag = version.split('"')[1] if '"' in version else "java"
        with open(os.path.join(out_dir, "startup-%s.tsv" % tag), "w") as f:
            f.write("round\tprogram\tagent\tseconds\n")
            for (prog, ag), ts in times.items():
                for r, t in enumerate(ts, 1):
                    f.write("%d\t%s\t%s\t%.4f\n" % (r, prog, ag, t))
    shown = [ag for ag in ("audit", "enforce", "bytebuddy") if ag in agents]
    lines = ["%s, %d interleaved rounds: medians in seconds; agent / floor: median [IQR] of each round's ratio"
             % (version, rounds),
             "%-13s %7s %7s %7s %7s" % ("program", "none", "floor", "audit", "enforce")
             + (" %9s" % "bytebuddy" if bytebuddy else "")
             + "".join("  %-22s" % (ag + " / floor") for ag in shown)]
    for prog in programs:
        med = {ag: statistics.median(times[(prog, ag)]) for ag in agents}
        line = "%-13s %7.3f %7.3f %7.3f %7.3f" % (prog, med["none"], med["floor"], med["audit"], med["enforce"])
        if bytebuddy:
            line += " %9.3f" % med["bytebuddy"]
        for ag in shown:
            # a round's runs are close in time: its ratio cancels the drift the rounds see
            ratios = [a / f for a, f in zip(times[(prog, ag)], times[(prog, "floor")])]
            m, q1, q3 = quartiles(ratios)
            line += "  %-22s" % ("%.2fx [%.2f-%.2f]" % (m, q1, q3))
        lines.append(line)
    return lines


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--rounds", type=int, default=40)
    p.add_argument("--java", action="append",
                   help="the JVM to measure (bin/java); give it several times for several JDKs; default: java")
    p.add_argument("--bytebuddy", action="store_true")
    p.add_argument("--out", default=os.path.join(HERE, "target", "startup"),
                   help="where each JVM's raw times go as TSV (default benchmarks/target/startup)")
    args = p.parse_args()
    if not os.path.exists(AGENT):
        sys.exit("no agent jar at %s: run mvn -B package first" % AGENT)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = "http://127.0.0.1:%d" % server.server_address[1]
    tables = []
    for java in args.java or ["java"]:
        tables.append(measure(java, args.rounds, args.bytebuddy, base, args.out))
        print("\n".join(tables[-1]) + "\n", flush=True)
    server.shutdown()


if __name__ == "__main__":
    main()
