func.func @main(%x: tensor<?x2xf32>) -> tensor<?x1xf32> {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x2xf32>
  %w = arith.constant dense<[[1.0], [-2.0]]> : tensor<2x1xf32>
  %b = arith.constant dense<[0.25]> : tensor<1xf32>
  %e = tensor.empty(%n) : tensor<?x1xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<?x1xf32>) -> tensor<?x1xf32>
  %m = linalg.matmul ins(%x, %w : tensor<?x2xf32>, tensor<2x1xf32>) outs(%f : tensor<?x1xf32>) -> tensor<?x1xf32>
  %z = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%m, %b : tensor<?x1xf32>, tensor<1xf32>) outs(%e : tensor<?x1xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<?x1xf32>
  return %z : tensor<?x1xf32>
}
