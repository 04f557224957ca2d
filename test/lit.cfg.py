# -*- Python -*-
# lit configuration of the lin regression tests.

import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "LIN"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test", ".py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.lin_obj_root, "test")
# Inputs/ holds data for tests, Unit/ is its own suite.
config.excludes = ["Inputs", "lit.cfg.py", "lit.site.cfg.py", "CMakeLists.txt"]

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%inputs", os.path.join(config.test_source_root, "Inputs")))
config.substitutions.append(("%lin_src_root", config.lin_src_root))

# Python tests use the project's venv (created by scripts/setup.sh) when it
# exists, so that numpy / torch / IREE are available to them.
venv_python = os.path.join(config.lin_src_root, ".venv", "bin", "python")
python = venv_python if os.path.exists(venv_python) else config.python_executable
config.substitutions.append(("%python", python))
if os.path.exists(venv_python):
    config.available_features.add("venv")
    import subprocess
    for module, feature in [("numpy", "numpy"), ("torch", "torch"),
                            ("torch_mlir", "torch-mlir"),
                            ("iree.compiler", "iree"), ("onnx", "onnx")]:
        if subprocess.call([venv_python, "-c", "import " + module],
                           stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL) == 0:
            config.available_features.add(feature)

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP"])
llvm_config.use_default_substitutions()

tool_dirs = [config.lin_tools_dir, config.llvm_tools_dir]
tools = [
    "lin-opt",
    ToolSubst("lin-run", unresolved="ignore"),
    "mlir-opt",
    "mlir-runner",
]
llvm_config.add_tool_substitutions(tools, tool_dirs)
llvm_config.with_environment("PATH", config.lin_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PYTHONPATH", os.path.join(config.lin_src_root, "python"), append_path=True)
# lin_toolchain.find_tool (Python tests) takes lin's tools from the build under test.
llvm_config.with_environment("LIN_BUILD_DIR", config.lin_obj_root)
config.substitutions.append(
    ("%mlir_lib_dir", os.path.join(os.path.dirname(config.llvm_tools_dir), "lib")))
# LinPlugin.so (tools/lin-plugin), loaded by upstream mlir-opt in test/Plugin.
config.substitutions.append(
    ("%lin_plugin", os.path.join(config.lin_obj_root, "lib", "LinPlugin.so")))
# The references generated from ODS in the build tree (test/Docs).
config.substitutions.append(
    ("%lin_generated_docs", os.path.join(config.lin_obj_root, "docs", "reference")))
