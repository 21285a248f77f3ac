#!/usr/bin/env python3
"""Times onnxruntime's Python API on one model and prints JSON: the median over runs of the mean microseconds per
call (wall clock; `cpu_us` has the process's CPU time per call, which other load on the machine disturbs less), so ModelRegistry's benchmark can compare its ONNX engine with it.

The input is the model's first input, filled with ((i * 7) % 13) / 4 for element i (the Swift side uses the same
values). Each call is `session.run(None, {name: x})` (or the outputs given), which converts the outputs to Python objects as the Swift
engine converts them to Swift values.

Usage:
  ort_latency.py --model logreg_iris.onnx --shape 3,2 --threads 1 --runs 5 --calls 2000
"""

import argparse
import json
import statistics
import time

import numpy as np
import onnxruntime as ort


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True)
    parser.add_argument("--shape", required=True, help="the input's shape, comma-separated, e.g. 3,2")
    parser.add_argument("--threads", type=int, default=1, help="intra-op threads (SetIntraOpNumThreads)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--calls", type=int, default=1000, help="calls per run")
    parser.add_argument("--warmup", type=int, default=50, help="untimed calls before the first run")
    parser.add_argument("--outputs", default=None, help="outputs to compute, comma-separated (default: all)")
    args = parser.parse_args()

    options = ort.SessionOptions()
    options.intra_op_num_threads = args.threads
    session = ort.InferenceSession(args.model, options, providers=["CPUExecutionProvider"])
    name = session.get_inputs()[0].name
    shape = [int(part) for part in args.shape.split(",")]
    count = int(np.prod(shape))
    x = (((np.arange(count) * 7) % 13) / 4).astype(np.float32).reshape(shape)

    outputs = args.outputs.split(",") if args.outputs else None
    for _ in range(args.warmup):
        session.run(outputs, {name: x})
    per_call_us, cpu_us = [], []
    for _ in range(args.runs):
        start, cpu_start = time.perf_counter_ns(), time.process_time_ns()
        for _ in range(args.calls):
            session.run(outputs, {name: x})
        per_call_us.append((time.perf_counter_ns() - start) / args.calls / 1000)
        cpu_us.append((time.process_time_ns() - cpu_start) / args.calls / 1000)
    print(json.dumps({"median_us": statistics.median(per_call_us), "runs_us": per_call_us, "cpu_us": cpu_us,
                      "onnxruntime": ort.__version__, "threads": args.threads, "calls": args.calls}))


if __name__ == "__main__":
    main()
