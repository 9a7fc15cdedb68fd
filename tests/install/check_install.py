#!/usr/bin/env python3
"""`cmake --install` the build into a temporary prefix, then configure, build and run a program
outside the tree that finds it with find_package(ridethrough)."""
import os
import subprocess
import sys
import tempfile

build, cmake = sys.argv[1], sys.argv[2]
here = os.path.dirname(os.path.abspath(__file__))
with tempfile.TemporaryDirectory() as tmp:
    prefix = os.path.join(tmp, "prefix")

    def step(*cmd):
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        if r.returncode != 0:
            sys.exit(f"failed: {' '.join(cmd)}\n{r.stdout}\n{r.stderr}")
        return r.stdout

    step(cmake, "--install", build, "--prefix", prefix)
    for f in ("lib/cmake/ridethrough/ridethroughConfig.cmake", "include/ridethrough/experiments/driver.hpp",
              "bin/ridethrough"):
        if not os.path.exists(os.path.join(prefix, f)):
            sys.exit(f"not installed: {f}")
    out = os.path.join(tmp, "build")
    gen = ["-G", "Ninja"] if subprocess.run(["which", "ninja"], capture_output=True).returncode == 0 else []
    step(cmake, "-S", here, "-B", out, *gen, f"-DCMAKE_PREFIX_PATH={prefix}", "-DCMAKE_BUILD_TYPE=Release")
    step(cmake, "--build", out)
    print(step(os.path.join(out, "uses_ridethrough")), end="")
    print("installed package found, built against and run")
