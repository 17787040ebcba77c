"""Retention: finished jobs expire by age and by disk budget, oldest first."""
import os
import shutil
import time
import unittest

from server_harness import Server, make_workspace, require_binary_and_testdata, small_request


class RetentionTest(unittest.TestCase):
    def setUp(self):
        require_binary_and_testdata(self)
        self.base, self.root = make_workspace("rest-retention")
        self.data = os.path.join(self.base, "data")
        self.server = None

    def tearDown(self):
        if self.server:
            self.server.stop()
        shutil.rmtree(self.base, ignore_errors=True)

    def start(self, *args):
        self.server = Server(self.base, "--input-root", self.root, *args, data_dir=self.data).start()
        return self.server

    def test_expiry_by_age(self):
        s = self.start("--retention-hours", "0.0005")  # 1.8 s
        job_id = s.submit(small_request(self.root))
        self.assertEqual(s.wait_job(job_id)["state"], "succeeded")
        job = s.wait_job(job_id, states=("expired",), timeout=30)
        self.assertTrue(any("retention policy" in n for n in job["notes"]), job)
        self.assertIsNone(job["video"])
        self.assertFalse(os.path.exists(os.path.join(self.data, "jobs", job_id)))
        r = s.request("GET", f"/status/{job_id}")
        self.assertEqual((r.status, r.json()["state"]), (410, "expired"))
        self.assertEqual(s.request("GET", f"/jobs/{job_id}/video").status, 410)
        # The record itself is forgotten after another retention period.
        deadline = time.time() + 30
        while s.request("GET", f"/jobs/{job_id}").status != 404 and time.time() < deadline:
            time.sleep(0.2)
        self.assertEqual(s.request("GET", f"/jobs/{job_id}").status, 404)

    def test_disk_budget_expires_oldest_first(self):
        s = self.start()
        first = s.submit(small_request(self.root))
        size = s.wait_job(first)["video"]["bytes"]
        s.stop()
        budget_mb = 1.5 * size / (1 << 20)
        s = self.start("--disk-budget-mb", f"{budget_mb:.6f}")
        self.assertEqual(s.job(first)["state"], "succeeded")  # under budget: kept
        second = s.submit(small_request(self.root))
        self.assertEqual(s.wait_job(second)["state"], "succeeded")
        old = s.wait_job(first, states=("expired",), timeout=10)
        self.assertTrue(any("disk budget" in n for n in old["notes"]), old)
        self.assertEqual(s.job(second)["state"], "succeeded")
        self.assertEqual(s.request("GET", f"/jobs/{second}/video").status, 200)
        self.assertFalse(os.path.exists(os.path.join(self.data, "jobs", first)))


if __name__ == "__main__":
    unittest.main()
