"""A kernel-level latency model (nn-Meter's idea) against gpnav's network-level one, on fresh readings.

nn-Meter predicts a network's latency as the sum of its kernels' latencies, each from a model of
that kind of kernel. This screen asks whether that idea beats gpnav's linear model over the layer
walk (`LatencyFeatures`: MACs per stage, elements, block counts, params) on this machine, with
ONNX Runtime on one thread:

1. For each architecture of a CSV of the latency benchmark (its first COUNT rows), it measures
   the network twice now as the benchmark's `measure.py` does (the tool's timing, CPU time), and
   once with ONNX Runtime's profiler on, which times every node of the optimised graph: a node's
   time is its median over the profiled runs after WARMUP.
2. Each node gets features from the shapes and sizes the profiler records with it: its kind
   (depthwise, 1x1 or other convolution, matrix product, or its op type), MACs, input and output
   elements and weights. A least-squares model per kind (non-negative: time = a + b MACs + c in + d out + e
   weights) is fitted on the nodes of the N fitted architectures; a network's prediction is the
   sum over its nodes, scaled by one factor fitted on the same N networks (the profiler's
   overhead, and what runs between the nodes).
3. Both models are fitted on the N architectures' first readings and judged on the others
   against their best estimate (the mean of both readings), as `term_screen.py` judges; 20
   splits per N.

    OMP_NUM_THREADS=1 PYTHONPATH=python python Experiments/latency/kernel_screen.py --gpnav .build/debug/gpnav \\
        Experiments/latency/quiet/seed6-default.csv --count 100 --cache /tmp/kernels6.json
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from measure import measure  # noqa: E402
from term_screen import base_terms, fit, macs_document  # noqa: E402

from gpnav_torch import build_model, load_config  # noqa: E402
from gpnav_torch.onnx_export import DEFAULT_OPSET, export_onnx  # noqa: E402
from gpnav_torch.runtimes import cpu_model_name  # noqa: E402
from gpnav_torch.timing import TimingPolicy  # noqa: E402

WARMUP = 10
PROFILED_RUNS = 40


def node_kind_and_features(args):
    """A profiled node's kind and [MACs, input elements, output elements, weights], from the shapes
    and sizes ONNX Runtime records with it (the optimised graph's nodes, fused ones included)."""
    shapes = [next(iter(entry.values())) for entry in args.get("input_type_shape", [])]
    out = sum(int(np.prod(next(iter(entry.values())))) for entry in args.get("output_type_shape", []))
    kind, macs = args["op_name"], 0
    if kind in ("Conv", "FusedConv") and len(shapes) >= 2 and len(shapes[1]) == 4:
        weight = shapes[1]
        macs = out * weight[1] * weight[2] * weight[3]
        kind = "ConvDepthwise" if weight[1] == 1 and shapes[0][1] > 1 else ("Conv1x1" if weight[2] == 1 else "Conv")
    elif kind in ("MatMul", "FusedMatMul", "Gemm") and shapes and shapes[0]:
        macs = out * shapes[0][-1]
        kind = "MatMul"
    elements = lambda key: int(args.get(key, "0")) / 4  # noqa: E731 (bytes of float32)
    return kind, [macs, elements("activation_size"), out, elements("parameter_size")]


def profile_nodes(path, threads):
    """Per node: its kind, features and median seconds over PROFILED_RUNS runs after WARMUP, from
    ONNX Runtime's profiler (the graph optimised as a latency measurement runs it); and the
    median profiled run."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.enable_profiling = True
    options.profile_file_prefix = os.path.join(os.path.dirname(path), "profile")
    session = onnxruntime.InferenceSession(path, options, providers=["CPUExecutionProvider"])
    name = session.get_inputs()[0].name
    image = np.random.default_rng(0).random(session.get_inputs()[0].shape, dtype=np.float32)
    for _ in range(WARMUP + PROFILED_RUNS):
        session.run(None, {name: image})
    with open(session.end_profiling()) as file:
        events = json.load(file)
    times, features, runs = {}, {}, []
    for event in events:
        if event.get("cat") == "Node" and event["name"].endswith("_kernel_time"):
            times.setdefault(event["name"], []).append(event["dur"] * 1e-6)
            features.setdefault(event["name"], node_kind_and_features(event["args"]))
        elif event.get("cat") == "Session" and event["name"] == "model_run":
            runs.append(event["dur"] * 1e-6)
    nodes = [[*features[node], float(np.median(values[WARMUP:]))] for node, values in times.items()]
    return nodes, float(np.median(runs[WARMUP:]))


def architecture_text(row):
    """A row's architecture as the cache's key."""
    return f"{row['resolution']},{row['width']},{row['mv2_depths']},{row['vit_depths']}"


def collect(args, rows):
    """Per architecture: readings now, node features and node times, and gpnav's walk."""
    cache = {}
    if args.cache and os.path.exists(args.cache):
        with open(args.cache) as file:
            cache = json.load(file)
    for index, row in enumerate(rows):
        key = architecture_text(row)
        if key in cache:
            continue
        document = macs_document(args.gpnav, row)
        config = load_config({key: value for key, value in document.items() if key != "layers"})
        readings = [reading(config, args.threads) for _ in range(2)]
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "model.onnx")
            export_onnx(build_model(config).eval(), config.resolution, path, DEFAULT_OPSET, dynamic_batch=False, batch=1)
            nodes, run_seconds = profile_nodes(path, args.threads)
        cache[key] = {"layers": document["layers"], "readings_ms": readings, "profiled_run_ms": 1e3 * run_seconds,
                      "nodes": nodes, "load": os.getloadavg()[0]}
        print(f"{index + 1}/{len(rows)} {key}: {readings[0]:.3f} / {readings[1]:.3f} ms, profiled run "
              f"{1e3 * run_seconds:.3f} ms, load {os.getloadavg()[0]:.2f}", flush=True)
        if args.cache:
            with open(args.cache, "w") as file:
                json.dump(cache, file)
    return [cache[architecture_text(row)] for row in rows]


def reading(config, threads):
    """One measurement's CPU milliseconds, as the benchmark's `measure.py` takes it (a refused one kept)."""
    return measure(config, threads, TimingPolicy())[2]


class KernelModel:
    """One non-negative linear model per node kind, and one factor from the nodes' sum to the network."""

    def __init__(self, networks):
        from scipy.optimize import nnls

        by_kind = {}
        for network in networks:
            for kind, values, seconds in network["nodes"]:
                by_kind.setdefault(kind, ([], []))
                by_kind[kind][0].append([1.0, *values])
                by_kind[kind][1].append(seconds * 1e3)
        self.coefficients = {}
        for kind, (features, times) in by_kind.items():
            features, times = np.array(features, dtype=float), np.array(times)
            scale = np.maximum(np.abs(features).max(axis=0), 1e-30)
            self.coefficients[kind] = nnls(features / scale, times, maxiter=5000)[0] / scale
        sums = np.array([self.node_sum(network) for network in networks])
        first = np.array([network["readings_ms"][0] for network in networks])
        self.factor = float(np.sum(sums * first) / np.sum(sums * sums))

    def node_sum(self, network):
        return sum(float(np.dot(self.coefficients.get(kind, 0.0), [1.0, *values])) for kind, values, _ in network["nodes"])

    def predict(self, network):
        return self.factor * self.node_sum(network)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv")
    parser.add_argument("--gpnav", required=True)
    parser.add_argument("--count", type=int, default=60)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--splits", type=int, default=20)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--cache", help="a JSON file keeping what was measured (read back when present)")
    args = parser.parse_args()
    with open(args.csv) as file:
        rows = list(csv.DictReader(file))[: args.count]
    started = time.time()
    print(f"CPU: {cpu_model_name()}; load before {os.getloadavg()[0]:.2f}", flush=True)
    networks = collect(args, rows)
    print(f"measured in {time.time() - started:.0f} s; load after {os.getloadavg()[0]:.2f}", flush=True)
    first = np.array([n["readings_ms"][0] for n in networks])
    second = np.array([n["readings_ms"][1] for n in networks])
    estimate = (first + second) / 2
    terms = np.array([np.concatenate([base_terms(n["layers"]), [sum(l["params"] for l in n["layers"])]])
                      for n in networks])
    print(f"repeatability: second within +/-10 % of first {100 * np.mean(np.abs(second - first) <= 0.1 * first):.1f} %; "
          f"first within +/-10 % of the estimate {100 * np.mean(np.abs(first - estimate) <= 0.1 * estimate):.1f} %")
    generator = np.random.default_rng(args.seed)
    for size in (20, 40, 80):
        if size >= len(networks):
            continue
        shares = {"gpnav's linear model": [], "kernel-level": []}
        for _ in range(args.splits):
            order = generator.permutation(len(networks))
            fitted, held = order[:size], order[size:]
            linear = terms[held] @ fit(terms[fitted], first[fitted])
            kernel = KernelModel([networks[i] for i in fitted])
            kernels = np.array([kernel.predict(networks[i]) for i in held])
            for name, predicted in (("gpnav's linear model", linear), ("kernel-level", kernels)):
                shares[name].append(np.mean(np.abs(predicted - estimate[held]) <= 0.1 * estimate[held]))
        for name, values in shares.items():
            print(f"N = {size}: {name}: {100 * np.mean(values):.1f} % of held-out architectures within +/-10 % "
                  f"of the estimate (splits {100 * np.min(values):.0f} to {100 * np.max(values):.0f} %)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
