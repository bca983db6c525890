"""Point the Java kernelspecs of a Python environment at one JDK.

JJava's pip wheel installs a kernelspec named ``java`` whose launcher starts the kernel with
whatever ``java`` comes first on PATH (17 on many machines, too old for virtual threads).
This rewrites it to run ``jjava.jar`` directly with the chosen JDK's absolute path, and adds a
second kernelspec, ``java-preview``, that also enables the JDK's preview features: only the
structured-concurrency notebook asks for it.

Usage: python tools/install_kernelspecs.py JAVA_HOME [PREFIX]   (PREFIX defaults to sys.prefix)
"""
import json
import pathlib
import re
import sys

ADD_OPENS = ["--add-opens", "jdk.jshell/jdk.jshell=ALL-UNNAMED"]  # JJava reflects into JShell


def feature_release(java_home: pathlib.Path) -> int:
    text = (java_home / "release").read_text()
    return int(re.search(r'JAVA_VERSION="(\d+)', text).group(1))


def write(spec_dir: pathlib.Path, spec: dict) -> None:
    spec_dir.mkdir(parents=True, exist_ok=True)
    target = spec_dir / "kernel.json"
    new = json.dumps(spec, indent=2) + "\n"
    if not target.exists() or target.read_text() != new:
        target.write_text(new)


def main(java_home: str, prefix: str = sys.prefix) -> None:
    home = pathlib.Path(java_home).resolve()
    java = str(home / "bin" / "java")
    kernels = pathlib.Path(prefix).resolve() / "share" / "jupyter" / "kernels"
    jar = kernels / "java" / "jjava.jar"
    if not jar.exists():
        sys.exit(f"{jar} is missing: the 'jjava' package is not installed in {prefix}.")
    feature = feature_release(home)
    common = {"language": "java", "interrupt_mode": "message", "metadata": {}}
    write(kernels / "java", {
        **common,
        "argv": [java, *ADD_OPENS, "-jar", "{resource_dir}/jjava.jar", "{connection_file}"],
        "display_name": "Java",
        "env": {},
    })
    write(kernels / "java-preview", {
        **common,
        "argv": [java, "--enable-preview", *ADD_OPENS, "-jar", str(jar), "{connection_file}"],
        "display_name": f"Java {feature} (preview features)",
        # --source, not --release: with --release javac reads the platform's API from ct.sym,
        # and JShell's compiler then grew the kernel to 2.1 GiB over lesson 06 (308 MiB with
        # --source, measured on Temurin 25.0.3). The kernel runs on this same JDK, so --source
        # compiles against the very API it runs with.
        "env": {"JJAVA_COMPILER_OPTS": f"--enable-preview --source {feature}"},
    })
    print(f"Java kernels use {java} (Java {feature})")


if __name__ == "__main__":
    main(*sys.argv[1:])
