"""Builds the runtime image from packaging/container/Containerfile and uses it.

The base is Debian bookworm made by mmdebstrap (image registries cannot be
reached; Debian's mirror can), imported with podman (or buildah). The image
reuses the already-built binary (build argument BINARY_FROM=prebuilt) so
the test does not compile the tree twice. Inside the image (buildah run
--isolation chroot) it renders the demo and answers /health/ready; the
image's user, volumes, entry point and HEALTHCHECK are checked in its
configuration. The base tarball is kept in the build tree between runs.
"""
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import unittest

BIN = os.environ.get("AVATAR_BIN", "")
SRC = os.environ.get("AVATAR_SOURCE_DIR", "")
TMP = os.environ.get("AVATAR_TEST_TMP", tempfile.gettempdir())
TAG = "localhost/avatar-renderer-test:latest"
BASE_TAG = "localhost/avatar-bookworm-base:latest"


def run(*cmd, **kw):
    kw.setdefault("check", True)
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ContainerImageTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        for tool in ("buildah", "mmdebstrap"):
            if not shutil.which(tool):
                raise unittest.SkipTest(f"{tool} is not installed (scripts/setup.sh --deps)")
        if os.geteuid() != 0:
            raise unittest.SkipTest("buildah --isolation chroot needs root here")
        if not BIN or not os.path.exists(BIN):
            raise unittest.SkipTest("AVATAR_BIN is not set or missing; run through ctest")
        if not os.path.exists(os.path.join(SRC, "demo", "astronaut.png")):
            raise unittest.SkipTest("demo inputs missing (scripts/setup.sh --demo-inputs)")
        cls.timings = {}
        cls.work = tempfile.mkdtemp(prefix="container-", dir=TMP)
        t0 = time.time()
        cls.base_image()
        cls.timings["base"] = time.time() - t0
        t0 = time.time()
        cls.build_image()
        cls.timings["build"] = time.time() - t0

    @classmethod
    def tearDownClass(cls):
        run("buildah", "rm", "--all", check=False)
        run("buildah", "rmi", TAG, check=False)
        shutil.rmtree(cls.work, ignore_errors=True)
        print("container test timings (s): " +
              ", ".join(f"{k} {v:.0f}" for k, v in cls.timings.items()))

    @classmethod
    def base_image(cls):
        cache = os.path.join(TMP, "container-base")
        os.makedirs(cache, exist_ok=True)
        tar = os.path.join(cache, "bookworm.tar")
        if not os.path.exists(tar):
            partial = os.path.join(cache, "bookworm-partial.tar")  # the name sets the format
            run("mmdebstrap", "--variant=apt", "--quiet", "bookworm", partial)
            os.rename(partial, tar)
        if run("buildah", "inspect", "--type", "image", BASE_TAG, check=False).returncode == 0:
            return
        if shutil.which("podman"):
            run("podman", "import", tar, BASE_TAG)
        else:
            ctr = run("buildah", "from", "scratch").stdout.strip()
            run("buildah", "add", ctr, tar, "/")
            run("buildah", "commit", "--rm", ctr, BASE_TAG)

    @classmethod
    def build_image(cls):
        ctx = os.path.join(cls.work, "context")
        os.makedirs(os.path.join(ctx, "bin"))
        shutil.copy(BIN, os.path.join(ctx, "bin", "avatar-renderer"))
        shutil.copytree(os.path.join(SRC, "models", "face-api"),
                        os.path.join(ctx, "models", "face-api"))
        shutil.copy(os.path.join(SRC, "models", "manifest.json"), os.path.join(ctx, "models"))
        shutil.copytree(os.path.join(SRC, "resources", "presets"),
                        os.path.join(ctx, "resources", "presets"))
        shutil.copytree(os.path.join(SRC, "packaging", "container"),
                        os.path.join(ctx, "packaging", "container"))
        r = run("buildah", "bud", "--isolation", "chroot", "--format", "docker", "--layers",
                "--build-arg", f"BASE_IMAGE={BASE_TAG}", "--build-arg", "BINARY_FROM=prebuilt",
                "-f", os.path.join(ctx, "packaging", "container", "Containerfile"),
                "-t", TAG, ctx, check=False)
        if r.returncode != 0:
            raise AssertionError("buildah bud failed:\n" + r.stdout[-4000:] + r.stderr[-4000:])

    def inside(self, *cmd, volumes=(), timeout=600):
        ctr = run("buildah", "from", TAG).stdout.strip()
        try:
            args = ["buildah", "run", "--isolation", "chroot"]
            for v in volumes:
                args += ["-v", v]
            return subprocess.run([*args, ctr, "--", *cmd], capture_output=True, text=True,
                                  timeout=timeout)
        finally:
            run("buildah", "rm", ctr, check=False)

    def test_image_configuration(self):
        info = json.loads(run("buildah", "inspect", "--type", "image", TAG).stdout)
        config = info["Docker"]["config"]
        self.assertEqual(config["User"], "10001")
        self.assertEqual(config["Entrypoint"], ["/usr/bin/avatar-entrypoint"])
        self.assertEqual(set(config["Volumes"]), {"/data", "/models/weights"})
        self.assertIn("/health/live", " ".join(config["Healthcheck"]["Test"]))
        r = self.inside("avatar-renderer", "--version")
        self.assertEqual(r.returncode, 0, r.stderr)
        # Runtime only: no compiler, no headers.
        r = self.inside("sh", "-c", "command -v g++ c++ cmake || ls /usr/include/qt6 2>/dev/null")
        self.assertEqual(r.stdout.strip(), "", r.stdout)

    def test_renders_the_demo(self):
        demo = os.path.join(SRC, "demo")
        out = os.path.join(self.work, "out")
        os.makedirs(out, exist_ok=True)
        os.chmod(out, 0o777)
        r = self.inside("avatar-renderer", "render", "--image", "/demo/astronaut.png",
                        "--audio", "/demo/speech.wav", "-o", "/out/demo.mp4", "--size", "128x128",
                        volumes=[f"{demo}:/demo:ro", f"{out}:/out"])
        self.assertEqual(r.returncode, 0, r.stderr[-3000:])
        probe = run("ffprobe", "-v", "error", "-show_entries", "stream=codec_type", "-of", "csv=p=0",
                    os.path.join(out, "demo.mp4")).stdout.split()
        self.assertEqual(sorted(probe), ["audio", "video"])

    def test_serve_answers_health_ready(self):
        port = free_port()
        data = os.path.join(self.work, "data")
        os.makedirs(data, exist_ok=True)
        os.chmod(data, 0o777)
        script = (f"/usr/bin/avatar-entrypoint serve --port={port} & pid=$!; "
                  f"for i in $(seq 150); do "
                  f"curl -fsS -o /tmp/ready.json http://127.0.0.1:{port}/health/ready && ok=1 && "
                  f"break; sleep 0.2; done; kill $pid; wait $pid; [ -n \"$ok\" ] && "
                  f"echo && echo READY && cat /tmp/ready.json")
        r = self.inside("sh", "-c", script, volumes=[f"{data}:/data"])
        self.assertEqual(r.returncode, 0, r.stdout[-2000:] + r.stderr[-3000:])
        self.assertIn("\nREADY\n", r.stdout)
        body = r.stdout.split("\nREADY\n", 1)[1]
        self.assertEqual(json.loads(body)["status"], "ready", body)


if __name__ == "__main__":
    unittest.main()
