"""Probes for lessons 11 and 13: what a notebook that starts HTTP servers leaves behind.

Cells run inside the notebook's own kernel, before the lesson and after it, so they see what the
lesson left open while the kernel is still alive (once the kernel exits every port closes anyway):
the TCP ports this JVM listens on (from /proc: its socket inodes among the listening sockets) and
the threads of servers and clients, virtual ones included (from a JSON thread dump).
"""
from __future__ import annotations

import re
import socket

import nbformat

from course import nbrun

PROBE_METHODS = r'''
java.util.Set<Integer> probeListeningPorts() throws Exception {
    var inodes = new java.util.HashSet<String>();
    try (var fds = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/fd"))) {
        for (var fd : fds.toList()) {
            try {
                String link = java.nio.file.Files.readSymbolicLink(fd).toString();
                if (link.startsWith("socket:[")) inodes.add(link.substring(8, link.length() - 1));
            } catch (java.io.IOException gone) { }
        }
    }
    var ports = new java.util.TreeSet<Integer>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
        var lines = java.nio.file.Files.readAllLines(java.nio.file.Path.of(table));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.trim().split("\\s+");
            if (f[3].equals("0A") && inodes.contains(f[9]))
                ports.add(Integer.parseInt(f[1].substring(f[1].lastIndexOf(':') + 1), 16));
        }
    }
    return ports;
}
java.util.List<String> probeNetThreads() throws Exception {
    var file = java.nio.file.Files.createTempDirectory("probe").resolve("threads.json");
    java.lang.management.ManagementFactory.getPlatformMXBean(
            com.sun.management.HotSpotDiagnosticMXBean.class)
        .dumpThreads(file.toString(), com.sun.management.HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
    var m = java.util.regex.Pattern.compile("\"name\": \"([^\"]*)\"").matcher(java.nio.file.Files.readString(file));
    var names = new java.util.ArrayList<String>();
    while (m.find()) {
        String n = m.group(1);
        if (n.startsWith("mall-") || n.startsWith("HTTP-Dispatcher") || n.startsWith("HttpClient")) names.add(n);
    }
    java.nio.file.Files.delete(file);
    java.nio.file.Files.delete(file.getParent());
    return names;
}
var probePortsAtStart = probeListeningPorts();
'''

PROBE_END = r'''
Thread.sleep(500);
var probePortsLeft = new java.util.TreeSet<>(probeListeningPorts());
probePortsLeft.removeAll(probePortsAtStart);
System.out.println("PROBE ports=" + probePortsLeft + " threads=" + probeNetThreads());
'''


def execute_probed(path) -> nbformat.NotebookNode:
    """Runs a notebook (a path under notebooks/) with the probe cells around it.

    The probe's verdict is left in `nb.metadata["probe"]` = (ports, threads) as two lists of strings.
    """
    nb = nbrun.read(path)
    setup = next(i for i, c in enumerate(nb.cells) if "setup" in c.get("metadata", {}).get("tags", []))
    nb.cells.insert(setup + 1, nbformat.v4.new_code_cell(PROBE_METHODS))
    nb.cells.append(nbformat.v4.new_code_cell(PROBE_END))
    done = nbrun.execute(nb, cwd=path.parent)
    probe, last = done.cells.pop(setup + 1), done.cells.pop()
    text = nbrun.text_of(last)
    found = re.search(r"PROBE ports=\[([^\]]*)\] threads=\[([^\]]*)\]", text)
    assert found, f"the probe did not run: {nbrun.text_of(probe)} {text}"
    split = lambda s: [x.strip() for x in s.split(",") if x.strip()]
    done.metadata["probe"] = (split(found.group(1)), split(found.group(2)))
    return done


def printed_ports(nb) -> set[int]:
    """Every port of http://127.0.0.1:PORT the notebook printed."""
    return {int(p) for p in re.findall(r"http://127\.0\.0\.1:(\d+)", nbrun.all_text(nb))}


def refused(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return False
    except ConnectionRefusedError:
        return True


def assert_no_port_or_thread_left(nb):
    """The notebook ran cleanly and, when it ended, no port listened and no server or client
    thread (virtual ones included) was left; every port it printed refuses connections."""
    assert nbrun.errors(nb) == []
    assert nb.metadata["stray_threads"] == "[]"
    ports, threads = nb.metadata["probe"]
    assert ports == [], f"ports still listening when the lesson ended: {ports}"
    assert threads == [], f"server or client threads left when the lesson ended: {threads}"
    printed = printed_ports(nb)
    assert printed, "the lesson prints its server's address"
    assert all(refused(p) for p in printed)
