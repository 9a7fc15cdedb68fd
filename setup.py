"""`pip install .`: builds the Python module `ridethrough` with CMake (the same build as
everything else) and installs it with the CLI, which SimGrid runs as its worker processes.

Offline with Debian's python3 (no pyproject.toml on purpose: pip then builds with the system's
setuptools instead of fetching one):

    python3 -m venv --system-site-packages .venv && .venv/bin/pip install .
    pip install --user --break-system-packages .       # or into the user's site-packages

RIDETHROUGH_BUILD_DIR=build/release reuses an existing build instead of configuring a new one.
"""
import os
import re
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = os.path.dirname(os.path.abspath(__file__))


def version():
    with open(os.path.join(ROOT, "CMakeLists.txt")) as f:
        return re.search(r"project\(ridethrough VERSION ([0-9.]+)", f.read()).group(1)


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        build_dir = os.environ.get("RIDETHROUGH_BUILD_DIR")
        if build_dir:
            build_dir = os.path.abspath(build_dir)
        else:
            build_dir = os.path.abspath(os.path.join(self.build_temp, "cmake"))
            gen = ["-G", "Ninja"] if shutil.which("ninja") else []
            subprocess.run(["cmake", "-S", ROOT, "-B", build_dir, *gen, "-DCMAKE_BUILD_TYPE=Release",
                            "-DRIDETHROUGH_TESTS=OFF", f"-DPython_EXECUTABLE={sys.executable}"],
                           check=True)
        subprocess.run(["cmake", "--build", build_dir, "--target", "ridethrough_python"], check=True)
        package = os.path.join(build_dir, "python", "ridethrough")
        core = [f for f in os.listdir(package) if f.startswith("_core") and f.endswith(".so")]
        if not core:
            sys.exit(f"no _core module in {package}")
        target = self.get_ext_fullpath(ext.name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(os.path.join(package, core[0]), target)
        # The CLI, a real file (the build tree has a symlink), next to the module.
        bin_dir = os.path.join(os.path.dirname(target), "bin")
        os.makedirs(bin_dir, exist_ok=True)
        cli = os.path.realpath(os.path.join(package, "bin", "ridethrough"))
        shutil.copyfile(cli, os.path.join(bin_dir, "ridethrough"))
        os.chmod(os.path.join(bin_dir, "ridethrough"), 0o755)


setup(
    name="ridethrough",
    version=version(),
    description="Discrete-event Monte Carlo simulation of datacenter power and cooling reliability",
    packages=["ridethrough"],
    package_dir={"": "experiments/python"},
    ext_modules=[Extension("ridethrough._core", sources=[])],
    cmdclass={"build_ext": CMakeBuild},
    python_requires=">=3.9",
    zip_safe=False,
)
