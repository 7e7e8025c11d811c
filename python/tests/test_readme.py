"""The README's examples, run as a new user would run them, against the built gpnav (GPNAV_BIN).

Every fenced block of README.md is one test case, run top to bottom in one temporary directory
(so that later examples see the studies earlier ones made):

- ```console blocks: each `$ COMMAND` runs, and its output (stdout and stderr, as a terminal
  shows both) must be the lines under it. A line `...` stands for any number of lines. Clock times
  (ISO 8601 stamps, a progress line's `[trial ...; search ...]`) are masked; integers must be
  equal and decimals equal to 1e-6 relative (the GP's acquisition values differ in their last
  digits between BLAS builds). The command must exit 0, or non-zero where its output ends in
  `gpnav: error: ...`.
- ```sh blocks: run as one bash script that stops at the first failing command, which fails the
  case. Files the README assumes the user has (`trained.csv`, the `gpnav gp` tables) are made
  first. The REST example runs against a real `gpnav serve` where the build has one.
- Blocks that need what a test here cannot have (a build of gpnav, PostgreSQL, Slurm, training,
  a remote server) are skipped with the reason, so the list of what is not run is in the test
  report, never silent.
"""

from __future__ import annotations

import difflib
import math
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from typing import Dict, List, Optional

import pytest

from conftest import gpnav_binary, repository_file

README = repository_file("README.md")


@dataclass
class Block:
    """A fenced block of the README: its language, the line its fence opens on, and its text."""
    language: str
    line: int
    text: str
    commands: List["ConsoleCommand"] = field(default_factory=list)

    @property
    def name(self) -> str:
        first = next((line for line in self.text.splitlines() if line.strip() and not line.startswith("#")), "")
        return f"line {self.line} ({self.language or 'plain'}): {first.strip()[:60]}"


@dataclass
class ConsoleCommand:
    """A `$ COMMAND` line of a console block and the output lines shown under it."""
    command: str
    expected: List[str]


def readme_blocks(text: str) -> List[Block]:
    blocks: List[Block] = []
    current: Optional[Block] = None
    body: List[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        fence = re.match(r"^```(\S*)\s*$", line)
        if fence and current is None:
            current, body = Block(language=fence.group(1), line=number, text=""), []
        elif line.startswith("```") and current is not None:
            current.text = "\n".join(body)
            if current.language == "console":
                current.commands = console_commands(body)
            blocks.append(current)
            current = None
        elif current is not None:
            body.append(line)
    return blocks


def console_commands(lines: List[str]) -> List[ConsoleCommand]:
    commands: List[ConsoleCommand] = []
    for line in lines:
        if line.startswith("$ "):
            commands.append(ConsoleCommand(command=line[2:], expected=[]))
        elif commands:
            commands[-1].expected.append(line.rstrip())
    for command in commands:  # a blank line separates one command's output from the next
        while command.expected and not command.expected[-1]:
            command.expected.pop()
    return commands


with open(README, encoding="utf-8") as _handle:
    BLOCKS = readme_blocks(_handle.read())

# Why a block is not run, by what it contains; the first that matches gives the reason.
NOT_RUN = [
    (re.compile(r"^\s*(swift |bash \.ci/)", re.M), "builds gpnav (minutes of CPU); CI's own stages build it and run its tests"),
    (re.compile(r"#SBATCH"), "a Slurm job script, and there is no Slurm here"),
    (re.compile(r"postgres|apt-get|sudo "), "needs a PostgreSQL server (the store's contract tests run against one)"),
    (re.compile(r"pip install|gpnav_torch\.train|python train\.py"),
     "trains networks for real (PyTorch, a dataset, minutes to hours); test_train.py and test_gpnav_protocol.py run the training command"),
    (re.compile(r"gpnav_torch\.(export|latency|quantize)\b"),
     "exports, times and quantises networks with PyTorch and ONNX Runtime (seconds to minutes each, a trained checkpoint "
     "for quantize); test_export.py, test_latency.py and test_quantize.py run these commands"),
    (re.compile(r"^\s*bash Experiments/", re.M),
     "runs a benchmark (many minutes of CPU, optional packages); its results and command are in Experiments/"),
    (re.compile(r"gpnav (serve|worker)\b"), "starts a long-running gpnav serve or a worker of a remote server; test_client_study.py runs a real server"),
    (re.compile(r"gpnav dashboard\b"), "starts a long-running gpnav dashboard; test_dashboard_browser.py runs a real one"),
]
PYTHON_REASON = ("Python for a running gpnav serve (and Ray); test_client_study.py and test_client_ray.py run the client "
                 "against a real one")

# Files the README's examples assume the user already has, made before the first block that names them.
ASSUMED_FILES = {
    # "models you have already trained": here, the walk-through's own trials.
    "trained.csv": lambda directory: run(["gpnav", "trials", "--study", "macs-300M", "--format", "csv"], directory).stdout,
    # A numeric table for `gpnav gp`: a smooth function of two inputs, and points to predict.
    "train.csv": lambda directory: "x,y,acc\n" + "".join(
        f"{x},{y},{60 + 5 * math.sin(x) + y / 2:.6f}\n" for x in range(6) for y in range(0, 6, 2)),
    "query.csv": lambda directory: "x,y\n0.5,1\n2.5,3\n",
}


def environment(directory: str) -> Dict[str, str]:
    """The user's shell: `gpnav` on the PATH is the binary under test; no database or token
    from the environment of whoever runs the tests."""
    bin_directory = os.path.join(directory, ".bin")
    if not os.path.exists(bin_directory):
        os.makedirs(bin_directory)
        os.symlink(os.path.abspath(gpnav_binary()), os.path.join(bin_directory, "gpnav"))
    variables = {key: value for key, value in os.environ.items() if key not in ("GPNAV_DB", "GPNAV_TOKEN")}
    variables["PATH"] = bin_directory + os.pathsep + variables.get("PATH", "")
    return variables


def run(command, directory: str, extra: Optional[Dict[str, str]] = None, timeout: float = 300) -> subprocess.CompletedProcess:
    variables = environment(directory)
    variables.update(extra or {})
    argv = ["bash", "-c", command] if isinstance(command, str) else command
    return subprocess.run(argv, cwd=directory, env=variables, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, timeout=timeout, check=False)


# Clock times differ from run to run; they are masked on both sides. So is a GP proposal's log EI
# (the report's "log EI X", a table's "gp X", a CSV's acquisition after "gp,STEP,"): the first proposals' EI comes from a model fitted to 3
# results, whose hyperparameters land differently with the CPU kernel OpenBLAS picks (1.62 on one
# machine, 0.883 on another, every trial and accuracy the same); the trials and accuracies are compared.
MASKS = [
    (re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?Z?"), "<time>"),
    (re.compile(r"\[(trial|search) [^\]]*\]"), "[<time>]"),
    (re.compile(r"log EI -?\d+(\.\d+)?"), "log EI <acquisition>"),
    (re.compile(r"\bgp -?\d+(\.\d+)?(e[-+]?\d+)?(?=\s|$)"), "gp <acquisition>"),
    (re.compile(r"(,gp,\d*,)-?\d+(\.\d+)?([eE][-+]?\d+)?(?=,)"), r"\1<acquisition>"),
]
NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


def masked(line: str) -> str:
    for pattern, replacement in MASKS:
        line = pattern.sub(replacement, line)
    return line.rstrip()


def lines_agree(expected: str, actual: str) -> bool:
    expected, actual = masked(expected), masked(actual)
    if expected == actual:
        return True
    if NUMBER.split(expected) != NUMBER.split(actual):
        return False
    for shown, got in zip(NUMBER.findall(expected), NUMBER.findall(actual)):
        if shown == got:
            continue
        if "." not in shown + got and "e" not in (shown + got).lower():
            return False  # integers (MACs, parameters, trial numbers) are exact
        if not math.isclose(float(shown), float(got), rel_tol=1e-6):
            return False
    return True


def output_matches(expected: List[str], actual: List[str]) -> bool:
    """`expected` against `actual` line by line, a line `...` matching any run of lines."""
    if not expected:
        return not actual
    if expected[0] == "...":
        return any(output_matches(expected[1:], actual[start:]) for start in range(len(actual) + 1))
    return bool(actual) and lines_agree(expected[0], actual[0]) and output_matches(expected[1:], actual[1:])


def check_console_block(block: Block, directory: str) -> Optional[str]:
    if not block.commands:
        return "a console block without a `$ ` command line"
    for command in block.commands:
        result = run(command.command, directory)
        actual = result.stdout.rstrip("\n").split("\n") if result.stdout else []
        expects_error = bool(command.expected) and command.expected[-1].startswith("gpnav: error:")
        if (result.returncode != 0) != expects_error:
            return f"`{command.command}` exited with status {result.returncode}:\n{result.stdout[-3000:]}"
        if not output_matches(command.expected, actual):
            diff = difflib.unified_diff([masked(line) for line in command.expected], [masked(line) for line in actual],
                                        "README", "gpnav", lineterm="", n=2)
            return f"`{command.command}` printed other lines than the README shows:\n" + "\n".join(list(diff)[:60])
    return None


def run_script(text: str, directory: str, extra: Optional[Dict[str, str]] = None) -> Optional[str]:
    for name, make in ASSUMED_FILES.items():
        if re.search(rf"\b{re.escape(name)}\b", text) and not os.path.exists(os.path.join(directory, name)):
            with open(os.path.join(directory, name), "w", encoding="utf-8") as handle:
                handle.write(make(directory))
    script = "set -e\ntrap 'echo \"README command failed with status $?: $BASH_COMMAND\"' ERR\n" + text + "\n"
    result = run(script, directory, extra)
    if result.returncode != 0:
        return f"the block exited with status {result.returncode}:\n{result.stdout[-3000:]}"
    return None


def server_in_build() -> bool:
    help_text = subprocess.run([gpnav_binary(), "serve", "--help"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, timeout=60, check=False).stdout
    return "not in this build" not in help_text


def check_rest_block(block: Block, directory: str) -> Optional[str]:
    """The curl examples against a real `gpnav serve` on a free loopback port; curl --fail makes
    every answer of 400 or more a failure, as a reader would take the comment `# 204` to promise."""
    from gpnav_serve import start_server

    server_directory = os.path.join(directory, "server")
    os.makedirs(server_directory, exist_ok=True)
    server = start_server(server_directory)
    try:
        address = server.url.removeprefix("http://").rstrip("/")
        script = "curl() { command curl --fail --show-error --max-time 30 \"$@\"; echo; }\n"
        script += block.text.replace("localhost:8470", address)
        return run_script(script, directory, {"T": server.token})
    finally:
        server.stop()


def why_not_run(block: Block) -> Optional[str]:
    if block.language == "python":
        return PYTHON_REASON
    if block.language not in ("console", "sh"):
        return f"a {block.language or 'plain'} block, not a shell example"
    for pattern, reason in NOT_RUN:
        if pattern.search(block.text):
            return reason
    if block.language == "sh" and "curl " in block.text:
        if shutil.which("curl") is None:
            return "the REST example needs curl, which is not installed"
        if not server_in_build():
            return "the REST example needs gpnav serve, which this build lacks (--traits Server or Full)"
    return None


@pytest.fixture(scope="module")
def walk(tmp_path_factory) -> Dict[int, Optional[str]]:
    """Runs every block in README order in one directory; for each block's line, None if it
    agreed, a skip reason prefixed `skip: `, or what went wrong."""
    binary = gpnav_binary()
    if not os.access(binary, os.X_OK):
        pytest.fail(f"no gpnav binary at {binary}: run 'swift build' first or set GPNAV_BIN")
    directory = str(tmp_path_factory.mktemp("readme"))
    outcomes: Dict[int, Optional[str]] = {}
    for block in BLOCKS:
        reason = why_not_run(block)
        if reason is not None:
            outcomes[block.line] = "skip: " + reason
        elif block.language == "console":
            outcomes[block.line] = check_console_block(block, directory)
        elif "curl " in block.text:
            outcomes[block.line] = check_rest_block(block, directory)
        else:
            outcomes[block.line] = run_script(block.text, directory)
    return outcomes


@pytest.mark.parametrize("block", BLOCKS, ids=[block.name for block in BLOCKS])
def test_readme_example_does_what_the_readme_shows(block, walk):
    outcome = walk[block.line]
    if outcome is not None and outcome.startswith("skip: "):
        pytest.skip(outcome[len("skip: "):])
    assert outcome is None, f"README.md {block.name}: {outcome}"


def test_readme_csv_column_list_is_the_header_gpnav_writes(tmp_path):
    """The prose list of CSV columns names every fixed column, in order, and each family's own
    columns, for a database with trials of every family."""
    with open(README, encoding="utf-8") as handle:
        text = " ".join(handle.read().split())
    sentence = re.search(r"CSV follows RFC 4180 and has the columns (.*?)\. ", text)
    assert sentence, "the README's sentence listing the CSV columns is gone"
    listed = [name.strip() for span in re.findall(r"`([^`]*)`", sentence.group(1)) for name in span.split(",")]
    directory = str(tmp_path)
    for family in ("mobilevitv2", "mobilevit", "mobilenetv2"):
        result = run(["gpnav", "search", "--family", family, "--macs", "300M", "--trials", "3", "--study", family,
                      "--db", "both.sqlite"], directory)
        assert result.returncode == 0, result.stdout
    header = run(["gpnav", "trials", "--db", "both.sqlite", "--format", "csv"], directory).stdout.splitlines()[0].split(",")
    metrics = [name for name in header if name.startswith("metric_")]
    assert header == [name for name in listed if name != "metric_<name>"] + metrics
