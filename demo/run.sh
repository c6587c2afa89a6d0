#!/usr/bin/env bash
# The redirect-guard demo in one command, from a fresh clone:
#
#   ./demo/run.sh                              the legacy application on the java that runs Maven
#   ./demo/run.sh --java /path/to/jdk-11       on another JDK, 8 or later (11 also sends the body
#                                              with the GET after a 303)
#
# Builds the agent and the demo (quietly, tests skipped), then runs the legacy application without
# the agent, with mode=audit and with mode=enforce, and prints what the servers received side by
# side, the audit log and a summary. Exit status: 0 when every smoke check passed, 1 when one
# failed, 2 on a usage, set-up or build error.
#
# Environment:
#   JAVA_HOME                        the JDK (17 or later) for Maven and the demo runner
#   REDIRECTGUARD_DEMO_SKIP_BUILD=1  use what is built already
#   REDIRECTGUARD_AGENT_JAR=<jar>    run with this agent jar instead of agent/target's
#   REDIRECTGUARD_DEMO_JAVA=<java>   the JVM for the legacy application, like --java
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# Building and running the demo needs Java 17; only the legacy application runs on older JDKs.
java_cmd="${JAVA_HOME:+$JAVA_HOME/bin/}java"
version="$("$java_cmd" -version 2>&1 | awk -F'"' '/version/ { print $2; exit }')" || true
if [[ -z "$version" ]]; then
  echo "demo: no java at '$java_cmd' (set JAVA_HOME to a JDK 17 or later)" >&2
  exit 2
fi
major="${version%%[.-]*}"
[[ "$major" == 1 ]] && major=8
if (( major < 17 )); then
  echo "demo: building and running the demo needs Java 17 or later, found $version (set JAVA_HOME)" >&2
  exit 2
fi

if [[ "${REDIRECTGUARD_DEMO_SKIP_BUILD:-}" != 1 ]]; then
  if ! command -v mvn >/dev/null; then
    echo "demo: needs Maven (mvn) on the PATH" >&2
    exit 2
  fi
  echo "Building the agent and the demo (mvn package, tests skipped) ..." >&2
  build_log="$(mktemp)"
  if ! mvn -B -q -DskipTests -pl agent,demo -am package >"$build_log" 2>&1; then
    cat "$build_log" >&2
    rm -f "$build_log"
    echo "demo: the build failed" >&2
    exit 2
  fi
  rm -f "$build_log"
fi

exec "$java_cmd" -cp "demo/target/classes:agent/target/redirect-guard-agent-classes.jar" dev.redirectguard.demo.DemoRunner \
  --agent "${REDIRECTGUARD_AGENT_JAR:-agent/target/redirect-guard-agent.jar}" \
  --work-dir demo/target/demo-run "$@"
