// The sharded refit of linearity-fold, run by hand: three shards of whole
// blocks (batch=2 refit-block=4: blocks [0, 4), [4, 8), [8, 10)) give, after
// one round per refit candidate (relu_1's pre-activation, then the output)
// and a round that finds no consumer left, the decisions from which the
// final run writes the model and report of the single run, byte for byte
// (the held-out slice of refit-ridge=auto, samples [8, 10), is the last
// block). Then every misuse is a located error that writes nothing.

// RUN: rm -rf %t && mkdir %t
// RUN: %python %inputs/interpreter/npy_tool.py %t/x.npy --shape 10,2 --values=1,0,0,1,-1,0,0,-1,1,1,-1,-1,2,-1,-1,2,0.5,0.5,-0.5,1.5
// RUN: %python %inputs/interpreter/npy_tool.py %t/a.npy --shape 4,2 --values=1,0,0,1,-1,0,0,-1
// RUN: %python %inputs/interpreter/npy_tool.py %t/b.npy --shape 4,2 --values=1,1,-1,-1,2,-1,-1,2
// RUN: %python %inputs/interpreter/npy_tool.py %t/c.npy --shape 2,2 --values=0.5,0.5,-0.5,1.5
// RUN: lin-opt %s --linearity-fold="threshold=0.6 refit=lstsq batch=2 refit-block=4 quiet=1 data=%t/x.npy report=%t/single.json" -o %t/single.mlir

// Round 1: nothing decided; each worker stops at relu_1 (a candidate).
// RUN: lin-opt %s --linearity-fold="threshold=0.6 refit=lstsq batch=2 refit-block=4 quiet=1 data=%t/a.npy refit-total-samples=10 refit-statistics-out=%t/s1a" -o /dev/null
// RUN: lin-opt %s --linearity-fold="threshold=0.6 refit=lstsq batch=2 refit-block=4 quiet=1 data=%t/b.npy refit-sample-offset=4 refit-total-samples=10 refit-statistics-out=%t/s1b" -o /dev/null
// RUN: lin-opt %s --linearity-fold="threshold=0.6 refit=lstsq batch=2 refit-block=4 quiet=1 data=%t/c.npy refit-sample-offset=8 refit-total-samples=10 refit-statistics-out=%t/s1c" -o /dev/null
// RUN: FileCheck %s --check-prefix=S1 < %t/s1c/manifest.json
// S1: "block_samples": 4,
// S1-NEXT: "blocks": 1,
// S1-NEXT: "consumers": [
// S1: "kind": "normal-equations",
// S1-NEXT: "name": "relu_1",
// S1: "decided": 0,
// S1: "finished": false,
// S1-NEXT: "first_block": 2,
// S1: "total_samples": 10,
// The client merges the blocks in block order whatever the order given.
// RUN: lin-opt %s --linearity-fold="threshold=0.6 refit=lstsq batch=2 refit-block=4 quiet=1 refit-statistics-in=%t/s1c,%t/s1a,%t/s1b refit-decisions-out=%t/d1" -o /dev/null

// Round 2: relu_1 replayed; the output is the next candidate.
// RUN: lin-opt %s --linearity-fold="threshold=0.6 refit=lstsq batch=2 refit-block=4 quiet=1 data=%t/a.npy refit-total-samples=10 refit-decisions=%t/d1 refit-statistics-out=%t/s2a" -o /dev/null
// RUN: lin-opt %s --linearity-fold="threshold=0.6 refit=lstsq batch=2 refit-block=4 quiet=1 data=%t/b.npy refit-sample-offset=4 refit-total-samples=10 refit-decisions=%t/d1 refit-statistics-out=%t/s2b" -o /dev/null
// RUN: lin-opt %s --linearity-fold="threshold=0.6 refit=lstsq batch=2 refit-block=4 quiet=1 data=%t/c.npy refit-sample-offset=8 refit-total-samples=10 refit-decisions=%t/d1 refit-statistics-out=%t/s2c" -o /dev/null
// RUN: lin-opt %s --linearity-fold="threshold=0.6 refit=lstsq batch=2 refit-block=4 quiet=1 refit-decisions=%t/d1 refit-statistics-in=%t/s2a,%t/s2b,%t/s2c refit-decisions-out=%t/d2" -o /dev/null

// Round 3: nothing is left; the decisions become complete.
// RUN: lin-opt %s --linearity-fold="threshold=0.6 refit=lstsq batch=2 refit-block=4 quiet=1 data=%t/a.npy refit-total-samples=10 refit-decisions=%t/d2 refit-statistics-out=%t/s3a" -o /dev/null
// RUN: lin-opt %s --linearity-fold="threshold=0.6 refit=lstsq batch=2 refit-block=4 quiet=1 data=%t/b.npy refit-sample-offset=4 refit-total-samples=10 refit-decisions=%t/d2 refit-statistics-out=%t/s3b" -o /dev/null
// RUN: lin-opt %s --linearity-fold="threshold=0.6 refit=lstsq batch=2 refit-block=4 quiet=1 data=%t/c.npy refit-sample-offset=8 refit-total-samples=10 refit-decisions=%t/d2 refit-statistics-out=%t/s3c" -o /dev/null
// RUN: FileCheck %s --check-prefix=S3 < %t/s3a/manifest.json
// S3: "consumers": [],
// S3-NEXT: "decided": 2,
// S3: "finished": true,
// RUN: lin-opt %s --linearity-fold="threshold=0.6 refit=lstsq batch=2 refit-block=4 quiet=1 refit-decisions=%t/d2 refit-statistics-in=%t/s3a,%t/s3b,%t/s3c refit-decisions-out=%t/d3" -o /dev/null

// The final run: no data, complete decisions.
// RUN: lin-opt %s --linearity-fold="threshold=0.6 refit=lstsq batch=2 refit-block=4 quiet=1 refit-decisions=%t/d3 report=%t/sharded.json" -o %t/sharded.mlir
// RUN: cmp %t/single.mlir %t/sharded.mlir
// RUN: cmp %t/single.json %t/sharded.json
// RUN: FileCheck %s --check-prefix=REPORT < %t/sharded.json
// REPORT: "name": "relu_1",
// REPORT-NEXT: "refitted": true,
// REPORT: "name": "output_0",
// REPORT-NEXT: "refitted": true,
// REPORT: "samples": 10

// Option misuse: located at the module, nothing written.
// RUN: echo "previous output" > %t/out.mlir && cp %t/out.mlir %t/out.orig
// RUN: not lin-opt %s --linearity-fold="refit-decisions=%t/d3" -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=NO-REFIT
// RUN: not lin-opt %s --linearity-fold="refit=lstsq data=%t/a.npy refit-statistics-out=%t/x refit-statistics-in=%t/s1a refit-decisions-out=%t/d" -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=MIXED
// RUN: not lin-opt %s --linearity-fold="refit=lstsq refit-statistics-in=%t/s1a" -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=CLIENT-OUT
// RUN: not lin-opt %s --linearity-fold="refit=lstsq data=%t/a.npy refit-statistics-in=%t/s1a refit-decisions-out=%t/d" -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=CLIENT-DATA
// RUN: not lin-opt %s --linearity-fold="refit=lstsq data=%t/a.npy refit-decisions=%t/d1" -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=REPLAY-NOWHERE
// RUN: not lin-opt %s --linearity-fold="refit=lstsq data=%t/x.npy refit-sample-offset=4" -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=OFFSET-ALONE
// RUN: not lin-opt %s --linearity-fold="refit=lstsq data=%t/x.npy refit-block=0 refit-statistics-out=%t/x refit-sample-offset=-4 refit-total-samples=0" -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=RANGES
// RUN: not lin-opt %s --linearity-fold="refit=lstsq refit-decisions=%t/d3 budget=1 budget-data=%t/x.npy" -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=BUDGET
// RUN: not lin-opt %s --linearity-fold="refit=lstsq data=%t/a.npy refit-statistics-out=%t/x report=%t/r.json" -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=REPORT-WORKER
// RUN: cmp %t/out.mlir %t/out.orig
// RUN: not test -e %t/r.json
// NO-REFIT: linearity-fold-refit-shards.mlir:0:0: error: linearity-fold: refit-decisions, refit-statistics-out, refit-statistics-in and refit-decisions-out take part in a sharded refit: they need refit=lstsq
// MIXED: error: linearity-fold: refit-statistics-out (a worker run) and refit-statistics-in or refit-decisions-out (the client run) belong to different runs; give one set
// CLIENT-OUT: error: linearity-fold: the client run of a sharded refit needs both refit-statistics-in=<dir>[,...] and refit-decisions-out=<dir>
// CLIENT-DATA: error: linearity-fold: the client run of a sharded refit (refit-statistics-in) reads no data: the workers did; drop data=
// REPLAY-NOWHERE: error: linearity-fold: refit-decisions with data= is a worker run: it needs refit-statistics-out=<dir>; without data= the decisions are applied
// OFFSET-ALONE: error: linearity-fold: refit-sample-offset and refit-total-samples describe a worker's shard: they need refit-statistics-out=<dir>
// RANGES-DAG: error: linearity-fold: refit-block must be positive, got 0
// RANGES-DAG: error: linearity-fold: refit-sample-offset must be a finite number >= 0, got -4
// RANGES-DAG: error: linearity-fold: refit-total-samples must be positive or -1 (the shard's samples), got 0
// REPORT-WORKER: error: linearity-fold: a worker or client run of a sharded refit writes no report (it folds nothing); the final run (refit-decisions without data) does
// BUDGET: error: linearity-fold: a sharded refit does not run with a budget (the budget's candidates are refitted in one run)

// File and consistency errors: located at the function.
// RUN: not lin-opt %s --linearity-fold="threshold=0.6 refit=lstsq batch=2 refit-block=4 refit-decisions=%t/missing" -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=MISSING-DECISIONS
// RUN: not lin-opt %s --linearity-fold="threshold=0.6 refit=lstsq batch=2 refit-block=4 refit-statistics-in=%t/missing refit-decisions-out=%t/d" -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=MISSING-STATISTICS
// RUN: not lin-opt %s --linearity-fold="threshold=0.6 refit=lstsq batch=2 refit-block=4 refit-decisions=%t/d2" -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=INCOMPLETE
// RUN: not lin-opt %s --linearity-fold="threshold=0.8 refit=lstsq batch=2 refit-block=4 refit-decisions=%t/d3" -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=OTHER-MODEL
// RUN: not lin-opt %s --linearity-fold="threshold=0.6 refit=lstsq refit-ridge=0 batch=2 refit-block=4 refit-statistics-in=%t/s1a,%t/s1b,%t/s1c refit-decisions-out=%t/d" -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=OTHER-OPTIONS
// RUN: not lin-opt %s --linearity-fold="threshold=0.6 refit=lstsq batch=2 refit-block=4 refit-statistics-in=%t/s1a,%t/s1c refit-decisions-out=%t/d" -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=GAP
// RUN: not lin-opt %s --linearity-fold="threshold=0.6 refit=lstsq batch=2 refit-block=4 refit-statistics-in=%t/s1a,%t/s1b,%t/s1b,%t/s1c refit-decisions-out=%t/d" -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=TWICE
// RUN: not lin-opt %s --linearity-fold="threshold=0.6 refit=lstsq batch=2 refit-block=4 refit-statistics-in=%t/s1a,%t/s1b refit-decisions-out=%t/d" -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=SHORT
// RUN: not lin-opt %s --linearity-fold="threshold=0.6 refit=lstsq batch=2 refit-block=4 refit-statistics-in=%t/s1a,%t/s2b,%t/s1c refit-decisions-out=%t/d" -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=ROUNDS
// RUN: not lin-opt %s --linearity-fold="threshold=0.6 refit=lstsq batch=2 refit-block=4 refit-decisions=%t/d1 refit-statistics-in=%t/s1a,%t/s1b,%t/s1c refit-decisions-out=%t/d" -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=STALE
// RUN: not lin-opt %s --linearity-fold="threshold=0.6 refit=lstsq batch=2 refit-block=4 refit-decisions=%t/d3 refit-statistics-in=%t/s3a,%t/s3b,%t/s3c refit-decisions-out=%t/d" -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=COMPLETE
// RUN: not lin-opt %s --linearity-fold="threshold=0.6 refit=lstsq batch=2 refit-block=4 quiet=1 data=%t/b.npy refit-sample-offset=3 refit-total-samples=10 refit-statistics-out=%t/x" -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=OFFSET
// RUN: not lin-opt %s --linearity-fold="threshold=0.6 refit=lstsq batch=2 refit-block=4 quiet=1 data=%t/b.npy refit-sample-offset=8 refit-total-samples=10 refit-statistics-out=%t/x" -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=BEYOND
// RUN: not lin-opt %s --linearity-fold="threshold=0.6 refit=lstsq batch=2 refit-block=4 quiet=1 data=%t/a.npy refit-total-samples=10 refit-decisions=%t/d1 refit-block=2 refit-statistics-out=%t/x" -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=WORKER-OTHER
// RUN: not test -e %t/x/manifest.json
// A corrupted statistics file: the manifest's shape no longer matches it.
// RUN: cp -r %t/s1b %t/bad && sed -i 's/"features": 2/"features": 3/' %t/bad/manifest.json
// RUN: not lin-opt %s --linearity-fold="threshold=0.6 refit=lstsq batch=2 refit-block=4 refit-statistics-in=%t/s1a,%t/bad,%t/s1c refit-decisions-out=%t/d" -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=CORRUPT
// RUN: cmp %t/out.mlir %t/out.orig
// RUN: not test -e %t/d/manifest.json
// MISSING-DECISIONS: linearity-fold-refit-shards.mlir:[[# @LINE + 18]]:1: error: linearity-fold: cannot read refit-decisions: {{.*}}missing{{/|\\}}manifest.json{{.*}}
// MISSING-STATISTICS: error: linearity-fold: cannot read refit-statistics-in: {{.*}}missing{{/|\\}}manifest.json
// INCOMPLETE: error: linearity-fold: refit-decisions are not complete: run another round (a worker run per shard, then the client run) before applying them
// OTHER-MODEL: error: linearity-fold: refit-decisions were made for another model or other refit options
// OTHER-OPTIONS: error: linearity-fold: refit-statistics-in do not fit: they are statistics of another model or of other refit options
// GAP: error: linearity-fold: refit-statistics-in do not fit together: '{{.*}}s1c' starts at block 2, but the shards before it end at block 1: the shards must cover every block exactly once
// TWICE: error: linearity-fold: refit-statistics-in do not fit together: '{{.*}}s1b' starts at block 1, but the shards before it end at block 2
// SHORT: error: linearity-fold: refit-statistics-in do not fit together: the shards cover blocks [0, 2) of the 3 blocks of 10 samples
// ROUNDS: error: linearity-fold: refit-statistics-in do not fit together: '{{.*}}s2b' and '{{.*}}s1a' are statistics of different refits (other rounds)
// STALE: error: linearity-fold: refit-statistics-in do not fit: computed after 0 decisions, but refit-decisions hold 1
// COMPLETE: error: linearity-fold: refit-decisions are complete: nothing is left to decide
// OFFSET: error: linearity-fold: the shard's samples [3, 7) are not whole blocks of 4 samples (refit-block rounded up to whole batches) among 10 (refit-sample-offset, refit-total-samples)
// BEYOND: error: linearity-fold: the shard's samples [8, 12) are not whole blocks of 4 samples
// WORKER-OTHER: error: linearity-fold: refit-decisions were made for another model or other refit options
// CORRUPT: error: linearity-fold: cannot read refit-statistics-in: '{{.*}}consumer0.npy' must be a float64 array of shape (1, 45) for consumer relu_1

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>
func.func @two(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x2xf32>
  %w1 = arith.constant dense<[[1.0, 1.0, 1.0], [1.0, -1.0, -1.0]]> : tensor<2x3xf32>
  %b1 = arith.constant dense<[10.0, -10.0, 0.25]> : tensor<3xf32>
  %e1 = tensor.empty(%n) : tensor<?x3xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<?x3xf32>) -> tensor<?x3xf32>
  %m1 = linalg.matmul ins(%x, %w1 : tensor<?x2xf32>, tensor<2x3xf32>) outs(%f1 : tensor<?x3xf32>) -> tensor<?x3xf32>
  %z1 = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%m1, %b1 : tensor<?x3xf32>, tensor<3xf32>) outs(%e1 : tensor<?x3xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<?x3xf32>
  %a1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%z1 : tensor<?x3xf32>) outs(%e1 : tensor<?x3xf32>) attrs = {lin.profile = #lin.profile<relu, observed, samples = 10, counts = [0, 10, 4, 10, 0, 6], minimum = [8.0, -13.0, -2.75], maximum = [12.0, -7.0, 3.25]>} {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x3xf32>
  %w2 = arith.constant dense<[[0.5, 1.0, 1.0], [1.0, 1.0, 0.0], [1.0, -1.0, 2.0]]> : tensor<3x3xf32>
  %b2 = arith.constant dense<[-5.0, 0.0, -11.25]> : tensor<3xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<?x3xf32>) -> tensor<?x3xf32>
  %m2 = linalg.matmul ins(%a1, %w2 : tensor<?x3xf32>, tensor<3x3xf32>) outs(%f2 : tensor<?x3xf32>) -> tensor<?x3xf32>
  %z2 = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%m2, %b2 : tensor<?x3xf32>, tensor<3xf32>) outs(%e1 : tensor<?x3xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<?x3xf32>
  %a2 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%z2 : tensor<?x3xf32>) outs(%e1 : tensor<?x3xf32>) attrs = {lin.profile = #lin.profile<relu, observed, samples = 10, counts = [2, 0, 5, 8, 10, 5], minimum = [-0.75, 7.75, -2.75], maximum = [3.75, 11.75, 6.25]>} {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<?x3xf32>
  %w3 = arith.constant dense<[[1.0, -1.0], [0.5, 2.0], [1.0, 1.0]]> : tensor<3x2xf32>
  %b3 = arith.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %e3 = tensor.empty(%n) : tensor<?x2xf32>
  %f3 = linalg.fill ins(%zero : f32) outs(%e3 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %m3 = linalg.matmul ins(%a2, %w3 : tensor<?x3xf32>, tensor<3x2xf32>) outs(%f3 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %y = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%m3, %b3 : tensor<?x2xf32>, tensor<2xf32>) outs(%e3 : tensor<?x2xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}
