# -*- Python -*-
# lit configuration running lin's GoogleTest unit tests: every test case of
# every executable under build/unittests counts as one lit test.

import os

import lit.formats

config.name = "LIN-Unit"
config.suffixes = []
config.test_exec_root = os.path.join(config.lin_obj_root, "unittests")
config.test_source_root = config.test_exec_root
config.test_format = lit.formats.GoogleTest(".", "Tests")
