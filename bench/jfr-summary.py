#!/usr/bin/env python3
"""Summarises a flight recording's CPU samples by component: each sample is counted once, under the first rule
(in order) that any frame of its stack matches. Usage: bench/jfr-summary.py FILE.jfr [JFR_TOOL] [--after HH:MM:SS]
(--after: only samples taken at or after that wall-clock time, as jfr prints it, e.g. to leave out start-up and
warm-up)."""
import re
import subprocess
import sys
from collections import Counter

RULES = [
    # First: the worker's panel decode runs inside OkHttp's and the Gemini SDK's frames, which would claim it.
    ("panel decode (clients.InlineImageCapture / StreamedBase64)", r"^clients\.(InlineImageCapture|StreamedBase64)"),
    ("multipart parsing (Tomcat MultipartStream)", r"org\.apache\.tomcat\.util\.http\.fileupload"),
    ("image checks (images.*)", r"^images\."),
    ("Gemini SDK request JSON (Jackson, base64)", r"com\.google\.genai\.(ApiClient|Models|types).*|com\.google\.genai\.JsonSerializable"),
    ("Gemini SDK other", r"com\.google\.genai"),
    ("HTTP client (OkHttp)", r"^okhttp3|^okio"),
    ("storage client (google-cloud-storage / http-client)", r"com\.google\.cloud\.storage|com\.google\.api\.client"),
    ("Redis (Lettuce / Spring Data / Netty)", r"io\.lettuce|org\.springframework\.data\.redis|^io\.netty"),
    ("logging (logback / logstash)", r"ch\.qos\.logback|net\.logstash"),
    ("WebSocket / Tomcat", r"org\.apache\.tomcat|org\.apache\.catalina|org\.apache\.coyote|org\.springframework\.web\.socket"),
    ("Micrometer / actuator", r"io\.micrometer|org\.springframework\.boot\.actuate"),
    ("Camel", r"org\.apache\.camel"),
    ("project code", r"^(processors|routes|jobs|clients|worker|web|config|ingest)\."),
    ("Spring", r"org\.springframework"),
    ("JDK / other", r"."),
]

def main():
    args = sys.argv[1:]
    after = None
    if "--after" in args:
        at = args.index("--after")
        after = args[at + 1]
        del args[at:at + 2]
    path = args[0]
    jfr = args[1] if len(args) > 1 else "jfr"
    text = subprocess.run([jfr, "print", "--events", "jdk.ExecutionSample", "--stack-depth", "96", path],
                          capture_output=True, text=True, check=True).stdout
    counts = Counter()
    total = 0
    for event in text.split("jdk.ExecutionSample")[1:]:
        frames = re.findall(r"^\s+([\w$.<>]+)\(", event, re.M)
        if not frames:
            continue
        if after:
            when = re.search(r"startTime = (\d\d:\d\d:\d\d)", event)
            if when and when.group(1) < after:
                continue
        total += 1
        for name, pattern in RULES:
            if any(re.search(pattern, f) for f in frames):
                counts[name] += 1
                break
    print(f"{path}: {total} CPU samples")
    for name, n in counts.most_common():
        print(f"  {100.0 * n / total:5.1f}%  {name}")

main()
