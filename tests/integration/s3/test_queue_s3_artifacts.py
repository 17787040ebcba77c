"""`worker --artifacts s3://bucket/prefix` on a real s3rver (loopback, temp
directory), redis-server, API and worker: the video is uploaded before the job
is done, the API redirects to a presigned URL serving the same bytes, and bad
credentials fail the job with a reason naming the artifact store."""
import glob
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "queue"))
from queue_harness import Redis, Worker, api, free_port, wait_for  # noqa: E402
from server_harness import make_workspace, require_binary_and_testdata  # noqa: E402

S3RVER = os.path.join(HERE, "node_modules", ".bin", "s3rver")
BUCKET = "avatar-videos"


class S3rver:
    def __init__(self, base):
        self.dir = tempfile.mkdtemp(prefix="s3rver-", dir=base)
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.log = open(os.path.join(base, "s3rver.log"), "wb")
        self.proc = subprocess.Popen(
            [S3RVER, "-d", self.dir, "-a", "127.0.0.1", "-p", str(self.port),
             "--no-vhost-buckets", "--configure-bucket", BUCKET],
            stdout=self.log, stderr=subprocess.STDOUT)

        def up():
            if self.proc.poll() is not None:
                raise AssertionError("s3rver exited: " + open(self.log.name).read())
            try:
                urllib.request.urlopen(self.endpoint + "/", timeout=2)
            except urllib.error.HTTPError:
                return True  # answering (403 without credentials)
            except OSError:
                return False
            return True
        wait_for(up, "s3rver on " + self.endpoint, timeout=30)

    def objects(self):
        return sorted(glob.glob(os.path.join(self.dir, BUCKET, "**", "*._S3rver_object"),
                                recursive=True))

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def tiny(root):
    return {"avatarPath": os.path.join(root, "alice.png"),
            "audioPath": os.path.join(root, "hello.wav"),
            "width": 96, "height": 96, "fps": 10, "preset": "ultrafast"}


class S3ArtifactsTest(unittest.TestCase):
    def setUp(self):
        require_binary_and_testdata(self)
        if not os.access(S3RVER, os.X_OK):
            self.skipTest(f"{S3RVER} missing: run the queue_s3_setup test (npm ci) first")
        self.base, self.root = make_workspace("queue-s3")
        self.data = os.path.join(self.base, "shared-data")
        self.procs = []
        self.redis = Redis(self.base).start()
        self.s3 = S3rver(self.base)
        self.env = {"AWS_ACCESS_KEY_ID": "S3RVER", "AWS_SECRET_ACCESS_KEY": "S3RVER",
                    "AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL_S3": self.s3.endpoint}

    def tearDown(self):
        for p in reversed(self.procs):
            p.stop()
        self.s3.stop()
        self.redis.stop()
        shutil.rmtree(self.base, ignore_errors=True)

    def start(self, env, *args):
        a = api(self.base, self.redis, self.data, "--input-root", self.root)
        self.procs.append(a)
        w = Worker(self.base, self.redis, "s3w", self.data, "--artifacts",
                   f"s3://{BUCKET}/renders/", *args, env=env).start()
        self.procs.append(w)
        return a, w

    def test_video_is_uploaded_and_served_through_a_presigned_redirect(self):
        # The API signs with its own credentials (same environment variables).
        os.environ.update(self.env)
        try:
            a, w = self.start(self.env)
            job_id = a.submit(tiny(self.root))
            job = a.wait_job(job_id, timeout=120)
        finally:
            for k in self.env:
                os.environ.pop(k, None)
        self.assertEqual(job["state"], "succeeded", job)
        objects = self.s3.objects()
        self.assertEqual(len(objects), 1, objects)
        self.assertIn(os.path.join(BUCKET, "renders", job_id + ".mp4"), objects[0])
        with open(objects[0], "rb") as f:
            stored = f.read()
        self.assertEqual(hashlib.sha256(stored).hexdigest(), job["video"]["sha256"])
        self.assertGreater(len(stored), 1000)
        # The local copy is gone: the object store holds the only one.
        self.assertFalse(glob.glob(os.path.join(self.data, "jobs", job_id, "*.mp4")))

        r = a.request("GET", f"/jobs/{job_id}/video")
        self.assertEqual(r.status, 302, r)
        location = r.headers["location"]
        self.assertTrue(location.startswith(self.s3.endpoint + f"/{BUCKET}/renders/"), location)
        with urllib.request.urlopen(location, timeout=30) as got:
            body = got.read()
        self.assertEqual(hashlib.sha256(body).hexdigest(), hashlib.sha256(stored).hexdigest())
        # The URL carries SigV4 query authentication for this key (s3rver 3.7.1
        # checks the access key id and the expiry, not the V4 signature itself).
        for field in ("X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Credential=S3RVER%2F",
                      "%2Fus-east-1%2Fs3%2Faws4_request", "X-Amz-Expires=900",
                      "X-Amz-SignedHeaders=host", "X-Amz-Signature="):
            self.assertIn(field, location)
        # An unknown access key is refused by the store.
        with self.assertRaises(urllib.error.HTTPError) as bad:
            urllib.request.urlopen(location.replace("S3RVER%2F", "NOBODY%2F"), timeout=30)
        self.assertEqual(bad.exception.code, 403)

    def test_bad_credentials_fail_the_job_naming_the_artifact_store(self):
        # s3rver checks the access key id (V4 signatures are not verified there).
        env = dict(self.env, AWS_ACCESS_KEY_ID="NOBODY")
        a, w = self.start(env, "--max-deliveries", "1")
        job_id = a.submit(tiny(self.root))
        job = a.wait_job(job_id, timeout=120)
        self.assertTrue(w.alive(), w.log_text())
        self.assertNotEqual(job["state"], "succeeded", job)
        text = str(job)
        self.assertIn("artifact store", text, job)
        self.assertIn(f"s3://{BUCKET}/renders/{job_id}.mp4", text, job)
        self.assertIn("InvalidAccessKeyId", text, job)
        self.assertEqual(self.s3.objects(), [])
        self.assertFalse(glob.glob(os.path.join(self.data, "jobs", job_id, "*.mp4")))


if __name__ == "__main__":
    unittest.main()
