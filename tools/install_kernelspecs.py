"""Point the Java kernelspecs of a Python environment at one JDK.

JJava's pip wheel installs a kernelspec named ``java`` whose launcher starts the kernel with
whatever ``java`` comes first on PATH (17 on many machines, too old for virtual threads).
This rewrites it to run ``jjava.jar`` directly with the chosen JDK's absolute path, and adds a
second kernelspec, ``java-preview``, that also enables the JDK's preview features: only the
structured-concurrency notebook asks for it.

Both kernels run with the same JVM options (``jvm_options``): the maximum heap if one is given
(``--heap 1g`` becomes ``-Xmx1g``; `make kernel` passes KERNEL_HEAP), and the kernel's start-up
cache if ``tools/kernel_cache.py`` made one (``jjava.aot`` on JDK 24 and newer, ``jjava.jsa``
before). A cache that is missing, stale or made by another JDK costs only speed: the JVM says so
on the kernel's stderr and starts without it.

An -Xmx here wins over one in JDK_JAVA_OPTIONS (the launcher puts that variable's options first).
Without --heap the kernels have no -Xmx of their own: JDK_JAVA_OPTIONS, or the JVM's default of a
quarter of the machine's (or container's) memory, decides.

Usage: python tools/install_kernelspecs.py JAVA_HOME [PREFIX] [--heap SIZE]   (PREFIX: sys.prefix)
"""
import argparse
import json
import pathlib
import re
import sys

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
    options = jvm_options(heap, cache if cache.exists() else None)
    common = {"language": "java", "interrupt_mode": "message", "metadata": {}}
    write(kernels / "java", {
        **common,
        "argv": [java, *options, "-jar", str(jar), "{connection_file}"],
        "display_name": "Java",
        "env": {},
    })
    write(kernels / "java-preview", {
        **common,
        "argv": [java, "--enable-preview", *options, "-jar", str(jar), "{connection_file}"],
        "display_name": "Java (preview features)",   # the name lessons 06 and 10 tell learners to pick
        # --source, not --release: with --release javac reads the platform's API from ct.sym,
        # and JShell's compiler then grew the kernel to 2.1 GiB over lesson 06 (308 MiB with
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
