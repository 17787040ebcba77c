"""Bad input, one test each: every refusal is JSON naming the field, with a 4xx status."""
import os
import random
import shutil
import unittest

from server_harness import (Server, make_workspace, multipart, require_binary_and_testdata,
                            small_request)


class RestBadInputTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        require_binary_and_testdata(cls)
        cls.base, cls.root = make_workspace("rest-bad")
        with open(os.path.join(cls.root, "notes.txt"), "w") as f:
            f.write("this is not an image nor a sound\n" * 20)
        open(os.path.join(cls.root, "empty.wav"), "wb").close()
        with open(os.path.join(cls.root, "noise.wav"), "wb") as f:  # no container FFmpeg knows
            f.write(random.Random(7).randbytes(6000))
        cls.server = Server(cls.base, "--input-root", cls.root, "--max-upload-mb", "1",
                            "--max-json-kb", "16").start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        shutil.rmtree(cls.base, ignore_errors=True)

    def assertError(self, response, status, code, subject=None):
        self.assertEqual(response.status, status, response)
        body = response.json()
        self.assertEqual(body["error"]["code"], code, body)
        if subject is not None:
            self.assertEqual(body["error"]["subject"], subject, body)
        self.assertTrue(body["detail"], body)
        return body

    def post(self, body, headers=None):
        if isinstance(body, str):
            body = body.encode()
            headers = {"Content-Type": "application/json", **(headers or {})}
        return self.server.request("POST", "/render", body, headers)

    def test_malformed_json(self):
        body = self.assertError(self.post('{"avatarPath": "alice.png",'), 400, "MalformedRequest")
        self.assertIn("not valid JSON", body["detail"])

    def test_empty_body(self):
        self.assertError(self.post(""), 400, "MalformedRequest")

    def test_json_array_instead_of_object(self):
        self.assertError(self.post("[1, 2]"), 422, "InvalidArgument", "arguments")

    def test_wrong_type_number_as_string(self):
        body = self.assertError(self.post(small_request(self.root, width="wide")), 422,
                                "InvalidArgument", "width")
        self.assertIn("integer", body["error"]["message"])

    def test_wrong_type_path_as_number(self):
        self.assertError(self.post({"avatarPath": 5, "audioPath": "hello.wav"}), 422,
                         "InvalidArgument", "avatarPath")

    def test_missing_avatar(self):
        self.assertError(self.post({"audioPath": "hello.wav"}), 422, "InvalidArgument", "avatarPath")

    def test_missing_audio(self):
        body = self.assertError(self.post({"avatarPath": "alice.png"}), 422, "InvalidArgument",
                                "audioPath")
        self.assertEqual(body["error"]["message"], "is required")

    def test_unknown_field(self):
        body = self.assertError(self.post(small_request(self.root, colour="blue")), 422,
                                "InvalidArgument", "colour")
        self.assertEqual(body["error"]["message"], "unknown field")

    def test_out_of_range_value(self):
        self.assertError(self.post(small_request(self.root, fps=0)), 422, "InvalidArgument", "fps")

    def test_unknown_enum_value(self):
        body = self.assertError(self.post(small_request(self.root, qualityMode="ultra")), 422,
                                "InvalidArgument", "qualityMode")
        self.assertIn("real_time", body["error"]["message"])

    def test_output_path_is_refused(self):
        self.assertError(self.post(small_request(self.root, outputPath="/tmp/x.mp4")), 422,
                         "InvalidArgument", "outputPath")

    def test_path_outside_roots(self):
        self.assertError(self.post(small_request(self.root, avatarPath="/etc/hostname")), 403,
                         "PathNotAllowed", "avatarPath")

    def test_input_not_found(self):
        self.assertError(self.post(small_request(self.root, audioPath="missing.wav")), 422,
                         "InputNotFound", "audioPath")

    def test_empty_audio_file(self):
        self.assertError(self.post(small_request(self.root, audioPath="empty.wav")), 422,
                         "InputEmpty", "audioPath")

    def test_unsupported_media_photo_by_path(self):
        self.assertError(self.post(small_request(self.root, avatarPath="notes.txt")), 415,
                         "UnsupportedMedia", "avatarPath")

    def test_unsupported_media_photo_upload(self):
        with open(os.path.join(self.root, "hello.wav"), "rb") as f:
            speech = f.read()
        body, ctype = multipart({}, {"avatar": ("face.png", b"not a png at all" * 10),
                                     "audio": ("a.wav", speech)})
        r = self.server.request("POST", "/render-upload", body, {"Content-Type": ctype})
        self.assertError(r, 415, "UnsupportedMedia", "avatarPath")
        self.assertEqual(os.listdir(os.path.join(self.server.data_dir, "jobs")), [],
                         "a refused upload leaves no files")

    def test_unsupported_media_audio_fails_the_job(self):
        job_id = self.server.submit(small_request(self.root, audioPath="noise.wav"))
        job = self.server.wait_job(job_id)
        self.assertEqual(job["state"], "failed", job)
        self.assertEqual(job["error"]["code"], "UnsupportedMedia", job)
        s = self.server.request("GET", f"/status/{job_id}")
        self.assertEqual(s.status, 415, s)
        self.assertEqual(s.json()["state"], "error")
        self.assertIn("detail", s.json())
        self.assertError(self.server.request("GET", f"/jobs/{job_id}/video"), 409, "JobNotFinished")

    def test_oversized_upload(self):
        body, ctype = multipart({}, {"avatar": ("a.png", b"\0" * (2 << 20)), "audio": ("a.wav", b"x")})
        self.assertError(self.server.request("POST", "/render-upload", body, {"Content-Type": ctype}),
                         413, "PayloadTooLarge")

    def test_oversized_json_body(self):
        self.assertError(self.post(small_request(self.root, transcript="x" * 40000)), 413,
                         "PayloadTooLarge")

    def test_wrong_content_type(self):
        r = self.server.request("POST", "/render", b"avatarPath=alice.png",
                                {"Content-Type": "application/x-www-form-urlencoded"})
        self.assertError(r, 415, "UnsupportedMedia", "Content-Type")

    def test_upload_missing_audio_part(self):
        body, ctype = multipart({}, {"avatar": ("a.png", b"12345")})
        r = self.server.request("POST", "/render-upload", body, {"Content-Type": ctype})
        self.assertError(r, 422, "InvalidArgument", "audio")

    def test_upload_text_instead_of_file(self):
        body, ctype = multipart({"avatar": "alice.png"}, {"audio": ("a.wav", b"12345")})
        r = self.server.request("POST", "/render-upload", body, {"Content-Type": ctype})
        self.assertError(r, 422, "InvalidArgument", "avatar")

    def test_upload_unknown_option_field(self):
        with open(os.path.join(self.root, "alice.png"), "rb") as f:
            photo = f.read()
        body, ctype = multipart({"sparkle": "yes"}, {"avatar": ("a.png", photo), "audio": ("a.wav", b"RIFF")})
        r = self.server.request("POST", "/render-upload", body, {"Content-Type": ctype})
        self.assertError(r, 422, "InvalidArgument", "sparkle")

    def test_upload_malformed_multipart(self):
        r = self.server.request("POST", "/render-upload", b"--xyz\r\nno headers here",
                                {"Content-Type": "multipart/form-data; boundary=xyz"})
        self.assertError(r, 400, "MalformedRequest")

    def test_upload_not_multipart(self):
        r = self.server.request("POST", "/render-upload", {"avatar": "a.png"})
        self.assertError(r, 415, "UnsupportedMedia")

    def test_unknown_job_id_everywhere(self):
        for method, path in (("GET", "/jobs/{}"), ("GET", "/status/{}"), ("GET", "/jobs/{}/video"),
                             ("DELETE", "/jobs/{}")):
            for job_id in ("00000000-0000-0000-0000-000000000000", "not-a-uuid"):
                r = self.server.request(method, path.format(job_id))
                self.assertError(r, 404, "NotFound", job_id)

    def test_query_parameter_wrong_type(self):
        self.assertError(self.server.request("GET", "/jobs?limit=many"), 422, "InvalidArgument", "limit")
        self.assertError(self.server.request("GET", "/jobs?limit=0"), 422, "InvalidArgument", "limit")
        self.assertError(self.server.request("GET", "/jobs?state=sleeping"), 422, "InvalidArgument", "state")
        self.assertError(self.server.request("GET", "/jobs?colour=red"), 422, "InvalidArgument", "colour")

    def test_wrong_method(self):
        r = self.server.request("PUT", "/render", {})
        self.assertError(r, 405, "MethodNotAllowed")
        self.assertIn("POST", r.headers["allow"])
        self.assertError(self.server.request("POST", "/jobs", {}), 405, "MethodNotAllowed")

    def test_unknown_route(self):
        self.assertError(self.server.request("GET", "/nowhere"), 404, "NotFound", "/nowhere")


if __name__ == "__main__":
    unittest.main()
