"""packaging/mcp-tool.json is exactly what the binary generates from its command table."""
import json
import os
import subprocess
import unittest


class McpManifestTest(unittest.TestCase):
    def test_packaged_manifest_matches_the_binary(self):
        binary = os.environ.get("AVATAR_BIN", "")
        if not os.path.exists(binary):
            self.skipTest("AVATAR_BIN not set; run through ctest")
        generated = json.loads(subprocess.run([binary, "mcp", "--print-manifest"], check=True,
                                              capture_output=True).stdout)
        with open(os.path.join(os.environ["AVATAR_SOURCE_DIR"], "packaging", "mcp-tool.json")) as f:
            packaged = json.load(f)
        self.assertEqual(packaged, generated,
                         "regenerate: avatar-renderer mcp --print-manifest > packaging/mcp-tool.json")
        self.assertEqual(packaged["command"], "avatar-renderer")
        self.assertEqual(packaged["args"], ["mcp"])
        names = [t["name"] for t in packaged["tools"]]
        self.assertIn("render_avatar", names)


if __name__ == "__main__":
    unittest.main()
