"""Point the Java kernelspecs of a Python environment at one JDK.

JJava's pip wheel installs a kernelspec named ``java`` whose launcher starts the kernel with
whatever ``java`` comes first on PATH (17 on many machines, too old for virtual threads).
This rewrites it to run ``jjava.jar`` directly with the chosen JDK's absolute path, and adds a
second kernelspec, ``java-preview``, that also enables the JDK's preview features: only the
structured-concurrency notebook asks for it.

Both kernels run with the same JVM options (``jvm_options``): the maximum heap if one is given
(``--heap 1g`` becomes ``-Xmx1g``; `make kernel` passes KERNEL_HEAP), and the kernel's start-up
cache if ``tools/kernel_cache.py`` made one (``jjava.aot`` on JDK 24 and newer, ``jjava.jsa``
before). A cache that is missing or made by another JDK costs only speed: the JVM says so on the
kernel's stderr and starts without it. A cache older than the kernel's jars is deleted here: the
JVM would run the classes it holds, not the rebuilt launcher's.

An -Xmx here wins over one in JDK_JAVA_OPTIONS (the launcher puts that variable's options first).
Without --heap the kernels have no -Xmx of their own: JDK_JAVA_OPTIONS, or the JVM's default of a
quarter of the machine's (or container's) memory, decides.

Usage: python tools/install_kernelspecs.py JAVA_HOME [PREFIX] [--heap SIZE]   (PREFIX: sys.prefix)
"""
import argparse
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile
from importlib.metadata import entry_points

ADD_OPENS = ["--add-opens", "jdk.jshell/jdk.jshell=ALL-UNNAMED"]  # JJava reflects into JShell


def feature_release(java_home: pathlib.Path) -> int:
    text = (java_home / "release").read_text()
    return int(re.search(r'JAVA_VERSION="(\d+)', text).group(1))


def kernels_dir(prefix) -> pathlib.Path:
    return pathlib.Path(prefix).resolve() / "share" / "jupyter" / "kernels"


def cache_file(kernels: pathlib.Path, feature: int) -> pathlib.Path:
    """Where the start-up cache lives: an AOT cache from JDK 24 on, a dynamic CDS archive before."""
    return kernels / "java" / ("jjava.aot" if feature >= 24 else "jjava.jsa")


def cache_option(cache: pathlib.Path) -> str:
    return f"-XX:AOTCache={cache}" if cache.suffix == ".aot" else f"-XX:SharedArchiveFile={cache}"


def jvm_options(heap: str | None, cache: pathlib.Path | None = None) -> list[str]:
    """The options both kernels run with; tools/kernel_cache.py trains with the same ones."""
    return [*([f"-Xmx{heap}"] if heap else []), *ADD_OPENS, *([cache_option(cache)] if cache else [])]


LAUNCHER_SOURCE = pathlib.Path(__file__).resolve().parent.parent / "kernel" / "java"
LAUNCHER_CLASS = "asynclab.kernel.Spare"
PROVISIONER = "asynclab-spare"   # kernel/python/asynclab_kernel/spare.py, installed by make venv


def launcher(home: pathlib.Path, jar: pathlib.Path) -> list[str]:
    """The JVM's arguments after its options: JJava's jar with the course's launcher (compiled here
    into the kernel's directory; kernel/java/asynclab/kernel/Spare.java), which builds JJava's
    kernel with the course's additions (CourseKernel.java), warming up first when it is a spare.
    If javac fails, JJava's jar alone, started as it ships."""
    source = sorted(LAUNCHER_SOURCE.rglob("*.java"))
    target = jar.with_name("asynclab-kernel.jar")
    start = ["-cp", f"{jar}{os.pathsep}{target}", LAUNCHER_CLASS]
    if target.exists() and target.stat().st_mtime >= max(f.stat().st_mtime for f in [jar, *source]):
        return start          # made by the other of kernel_cache.py and this script, still current
    with tempfile.TemporaryDirectory(prefix="asynclab-kernel-") as classes:
        built = subprocess.run([str(home / "bin" / "javac"), "--release", "21", "-encoding", "UTF-8",
                                "-cp", str(jar), "-d", classes, *map(str, source)],
                               capture_output=True, text=True)
        if built.returncode == 0:
            built = subprocess.run([str(home / "bin" / "jar"), "--create", "--file", str(target),
                                    "-C", classes, "."], capture_output=True, text=True)
    if built.returncode != 0:
        print(f"The kernel launcher did not compile; kernels start as JJava ships them:\n"
              f"{built.stderr[-1000:]}", file=sys.stderr)
        target.unlink(missing_ok=True)
        return ["-jar", str(jar)]
    return start


def provisioner_metadata() -> dict:
    """Names the spare-kernel provisioner if this environment has it; jupyter_client hides a
    kernelspec whose provisioner is missing, so without it the kernels use the default one."""
    found = any(e.name == PROVISIONER for e in entry_points(group="jupyter_client.kernel_provisioners"))
    return {"kernel_provisioner": {"provisioner_name": PROVISIONER}} if found else {}


def write(spec_dir: pathlib.Path, spec: dict) -> None:
    spec_dir.mkdir(parents=True, exist_ok=True)
    target = spec_dir / "kernel.json"
    new = json.dumps(spec, indent=2) + "\n"
    if not target.exists() or target.read_text() != new:
        target.write_text(new)


def main(java_home: str, prefix: str = sys.prefix, heap: str | None = None) -> None:
    home = pathlib.Path(java_home).resolve()
    java = str(home / "bin" / "java")
    kernels = kernels_dir(prefix)
    jar = kernels / "java" / "jjava.jar"
    if not jar.exists():
        sys.exit(f"{jar} is missing: the 'jjava' package is not installed in {prefix}.")
    feature = feature_release(home)
    cache = cache_file(kernels, feature)
    start = launcher(home, jar)
    built = [jar, *jar.parent.glob("asynclab-kernel.jar")]
    if cache.exists() and cache.stat().st_mtime < max(f.stat().st_mtime for f in built):
        # The JVM would still use it, and run the classes it holds: the old launcher (seen on
        # Temurin 25.0.3, whose AOT cache does not notice a rebuilt jar of the class path).
        print(f"{cache.name} is older than the kernel's jars: not used (`make kernel` makes it again)",
              file=sys.stderr)
        cache.unlink()
    options = jvm_options(heap, cache if cache.exists() else None)
    common = {"language": "java", "interrupt_mode": "message", "metadata": provisioner_metadata()}
    write(kernels / "java", {
        **common,
        "argv": [java, *options, *start, "{connection_file}"],
        "display_name": "Java",
        "env": {},
    })
    write(kernels / "java-preview", {
        **common,
        "argv": [java, "--enable-preview", *options, *start, "{connection_file}"],
        "display_name": "Java (preview features)",   # the name lessons 07 and 12 tell learners to pick
        # --source, not --release: with --release javac reads the platform's API from ct.sym,
        # and JShell's compiler then grew the kernel to 2.1 GiB over lesson 07 (308 MiB with
        # --source, measured on Temurin 25.0.3). The kernel runs on this same JDK, so --source
        # compiles against the very API it runs with.
        "env": {"JJAVA_COMPILER_OPTS": f"--enable-preview --source {feature}"},
    })
    print(f"Java kernels use {java} (Java {feature}), " + (f"heap -Xmx{heap}, " if heap else "")
          + (f"start-up cache {cache.name}" if cache.exists() else "no start-up cache"))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("java_home")
    parser.add_argument("prefix", nargs="?", default=sys.prefix)
    parser.add_argument("--heap", help="the kernel JVM's maximum heap, e.g. 1g (-Xmx1g)")
    args = parser.parse_args()
    main(args.java_home, args.prefix, args.heap)
