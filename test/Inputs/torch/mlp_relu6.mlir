#map = affine_map<(d0, d1) -> (d0, d1)>
#map1 = affine_map<(d0, d1) -> (d1)>
#map2 = affine_map<(d0, d1) -> ()>
module {
  func.func @main(%arg0: tensor<?x8xf32>) -> tensor<?x4xf32> {
    %c0 = arith.constant 0 : index
    %cst = arith.constant 0.000000e+00 : f32
    %cst_0 = arith.constant dense<6.000000e+00> : tensor<f32>
    %cst_1 = arith.constant dense<0.000000e+00> : tensor<f32>
    %cst_2 = arith.constant dense_resource<torch_tensor_4_torch.float32> : tensor<4xf32>
    %cst_3 = arith.constant dense_resource<torch_tensor_4_12_torch.float32> : tensor<4x12xf32>
    %cst_4 = arith.constant dense_resource<torch_tensor_12_torch.float32> : tensor<12xf32>
    %cst_5 = arith.constant dense_resource<torch_tensor_12_16_torch.float32> : tensor<12x16xf32>
    %cst_6 = arith.constant dense_resource<torch_tensor_16_torch.float32> : tensor<16xf32>
    %cst_7 = arith.constant dense_resource<torch_tensor_16_8_torch.float32> : tensor<16x8xf32>
    %0 = tensor.empty() : tensor<8x16xf32>
    %transposed = linalg.transpose ins(%cst_7 : tensor<16x8xf32>) outs(%0 : tensor<8x16xf32>) permutation = [1, 0] 
    %dim = tensor.dim %arg0, %c0 : tensor<?x8xf32>
    %1 = tensor.empty(%dim) : tensor<?x16xf32>
    %2 = linalg.fill ins(%cst : f32) outs(%1 : tensor<?x16xf32>) -> tensor<?x16xf32>
    %3 = linalg.matmul ins(%arg0, %transposed : tensor<?x8xf32>, tensor<8x16xf32>) outs(%2 : tensor<?x16xf32>) -> tensor<?x16xf32>
    %4 = linalg.generic {indexing_maps = [#map, #map1, #map], iterator_types = ["parallel", "parallel"]} ins(%3, %cst_6 : tensor<?x16xf32>, tensor<16xf32>) outs(%1 : tensor<?x16xf32>) {
    ^bb0(%in: f32, %in_10: f32, %out: f32):
      %19 = arith.addf %in, %in_10 : f32
      linalg.yield %19 : f32
    } -> tensor<?x16xf32>
    %5 = linalg.generic {indexing_maps = [#map, #map2, #map], iterator_types = ["parallel", "parallel"]} ins(%4, %cst_1 : tensor<?x16xf32>, tensor<f32>) outs(%1 : tensor<?x16xf32>) {
    ^bb0(%in: f32, %in_10: f32, %out: f32):
      %19 = arith.cmpf ogt, %in, %in_10 : f32
      %20 = arith.select %19, %in, %in_10 : f32
      linalg.yield %20 : f32
    } -> tensor<?x16xf32>
    %6 = linalg.generic {indexing_maps = [#map2, #map, #map], iterator_types = ["parallel", "parallel"]} ins(%cst_0, %5 : tensor<f32>, tensor<?x16xf32>) outs(%1 : tensor<?x16xf32>) {
    ^bb0(%in: f32, %in_10: f32, %out: f32):
      %19 = arith.cmpf olt, %in, %in_10 : f32
      %20 = arith.select %19, %in, %in_10 : f32
      linalg.yield %20 : f32
    } -> tensor<?x16xf32>
    %7 = tensor.empty() : tensor<16x12xf32>
    %transposed_8 = linalg.transpose ins(%cst_5 : tensor<12x16xf32>) outs(%7 : tensor<16x12xf32>) permutation = [1, 0] 
    %8 = tensor.empty(%dim) : tensor<?x12xf32>
    %9 = linalg.fill ins(%cst : f32) outs(%8 : tensor<?x12xf32>) -> tensor<?x12xf32>
    %10 = linalg.matmul ins(%6, %transposed_8 : tensor<?x16xf32>, tensor<16x12xf32>) outs(%9 : tensor<?x12xf32>) -> tensor<?x12xf32>
    %11 = linalg.generic {indexing_maps = [#map, #map1, #map], iterator_types = ["parallel", "parallel"]} ins(%10, %cst_4 : tensor<?x12xf32>, tensor<12xf32>) outs(%8 : tensor<?x12xf32>) {
    ^bb0(%in: f32, %in_10: f32, %out: f32):
      %19 = arith.addf %in, %in_10 : f32
      linalg.yield %19 : f32
    } -> tensor<?x12xf32>
    %12 = linalg.generic {indexing_maps = [#map, #map2, #map], iterator_types = ["parallel", "parallel"]} ins(%11, %cst_1 : tensor<?x12xf32>, tensor<f32>) outs(%8 : tensor<?x12xf32>) {
    ^bb0(%in: f32, %in_10: f32, %out: f32):
      %19 = arith.cmpf ogt, %in, %in_10 : f32
      %20 = arith.select %19, %in, %in_10 : f32
      linalg.yield %20 : f32
    } -> tensor<?x12xf32>
    %13 = linalg.generic {indexing_maps = [#map2, #map, #map], iterator_types = ["parallel", "parallel"]} ins(%cst_0, %12 : tensor<f32>, tensor<?x12xf32>) outs(%8 : tensor<?x12xf32>) {
    ^bb0(%in: f32, %in_10: f32, %out: f32):
      %19 = arith.cmpf olt, %in, %in_10 : f32
      %20 = arith.select %19, %in, %in_10 : f32
      linalg.yield %20 : f32
    } -> tensor<?x12xf32>
    %14 = tensor.empty() : tensor<12x4xf32>
    %transposed_9 = linalg.transpose ins(%cst_3 : tensor<4x12xf32>) outs(%14 : tensor<12x4xf32>) permutation = [1, 0] 
    %15 = tensor.empty(%dim) : tensor<?x4xf32>
    %16 = linalg.fill ins(%cst : f32) outs(%15 : tensor<?x4xf32>) -> tensor<?x4xf32>
    %17 = linalg.matmul ins(%13, %transposed_9 : tensor<?x12xf32>, tensor<12x4xf32>) outs(%16 : tensor<?x4xf32>) -> tensor<?x4xf32>
    %18 = linalg.generic {indexing_maps = [#map, #map1, #map], iterator_types = ["parallel", "parallel"]} ins(%17, %cst_2 : tensor<?x4xf32>, tensor<4xf32>) outs(%15 : tensor<?x4xf32>) {
    ^bb0(%in: f32, %in_10: f32, %out: f32):
      %19 = arith.addf %in, %in_10 : f32
      linalg.yield %19 : f32
    } -> tensor<?x4xf32>
    return %18 : tensor<?x4xf32>
  }
}

{-#
  dialect_resources: {
    builtin: {
      torch_tensor_4_torch.float32: "0x04000000FF0F5ABD29E7B7BD709581BEC220F23C",
      torch_tensor_4_12_torch.float32: "0x040000007BFD2FBEB558BF3B284E51BEB1B43B3EAFE7683D2D0900BEED4A2BBE3DAAC13DDE858DBD18E8613D9C2FDE3CCA13133DC2A123BD66B567BDD1A08ABD3EF8E33D20933EBE5BAEDD3BB13BF0BDBD758CBE055DA63DE82AB63D7785833E7C39423E80A9903E364A68BE29A780BE6CE1B73DD3DE103ECB3A023E4BA842BED454673EC57880BE688A9D3DD15BE2BD06C3D4BDC896693E86AD7F3EA08EE53D817B043E86B1383C2C3C35BE73269A3DE23A7E3E1CB9F73DDB9284BEA6ED78BD1397BC3D",
      torch_tensor_12_torch.float32: "0x0400000000004040000040400000A0C0000020411C9C533E884A463D8C3BDC3D78AA3E3E9855D93DC01739BDAECF54BE7C75F1BD",
      torch_tensor_12_16_torch.float32: "0x04000000E8A3733D98ACD4BD00B29ABCAAA3F43DD045383D5C523DBD700CDFBC52E3C93D0470413D1C89AD3DFAD9A4BD789C133D600CB73CA87FB23C92B5ED3DDAB68D3D2676B03D68D0603D802F573DE01DB2BC0AF1E1BD3840D8BD80719FBDD4BEA5BDE006713D507F1E3DE0FD11BDA802C3BDE205FC3D305FC03D787F733DD265FD3DE24B88BD70C991BDFCD895BD004EC6BB2AFBE1BD04A9CA3D80BC523B3CF97E3D7A968CBD20FD52BC10AF863C1C230CBD6EA3F13D70EB69BD60F91E3DBEB2ADBD706872BC58D507BD08E85C3DAED3B23D680BF93CC0F239BC741B03BD24B6C83DA0F5F1BC8ACFB83D2CCE63BDA2FCD23DA0F9FE3D107CAF3DDAD3923D2C913E3DC4BFFBBD008A433B404CB03D00C985BDE891373DE2EE153E40316DBE040369BE5A2E19BE90D3F93C78CE3DBDF0A95C3D388273BD5A9627BED8F4073DAE622D3E2EB619BE4667603E20057C3DA86C7C3E86A56ABEC80B75BE04B4AD3DEAD16EBE84CA51BEFA2B023E448AF83DC44569BE4C36383EF01C47BD320F3E3E903B16BE326C73BED0B429BEA0BF1EBD68AC7FBE008A8BBCE087FFBD88566EBD002015B820E3653C266A7ABE2AAE033ED4E61CBE5A031C3E26946A3E5CBFAABDF0DAE53C48270D3E9041A2BCB23356BE44FEE53D9C94F33D8A400CBE5C5E2CBE28B432BD28C5483D3C7701BE40EAC4BB3840DDBD6877C7BDC0230CBD2825C3BD22A5443EA488863D5E1A653E2625673E585D273D5001D5BD46AC1B3EC08A0EBC28833D3E30A75ABDB262623E5843073D488363BDFC0227BED0753D3E0832053D641BB13D6CF4CE3D408653BC78B300BE94D098BD805836BCD4F61E3ED0AF95BCBCCC81BD882A0BBDE81D283D7E534C3E4030413E20916FBC68BC073D702A683EC0F0E03D7019D8BC74C2173E7835E93D748189BDE41ECF3DC053A23CB416BEBD70A0A0BCE0F2703ED4CB993DEE5A53BE7824233E90055C3DCCDCFB3D00B1893AA8A1CB3D1C0B993DA2C5603E081A073E2410E0BD0628063E20F072BCB044293E48A7B3BD884696BDFABB6C3E786D343DF8910F3D4005D23C5080853C605A2C3C08755EBE",
      torch_tensor_16_torch.float32: "0x0400000000004040000040400000A0C00000A0C00000204100002041C4A49ABDB6D16E3EC40D263E5E59D1BD7C26323D79978A3ED19B9EBE0C8E683E419DD9BDA14D93BD",
      torch_tensor_16_8_torch.float32: "0x040000001987AABEE9108EBD32E42DBEBC1FC1BD87E99FBE4548113E4544A2BEAA8EB8BCBBB2FB3DB311F4BD336D4D3E8AA6363D5403473E2F49683E23D21FBEA892033ED5A21CBE4AF8E23D36293DBEC677273E0696923D6CAE0DBE129431BE0456BB3D22E5A83EE6BD2D3E01D70BBDFF948CBC58C74D3E9F9E7BBEFBB7F03D04EDEFBDF977513E8A2501BE22378F3CE981F43DBACD783ECCDA54BD7724A53E942699BEDD2881BD1382B4BE1FEEEF3C947ACD3D428E12BEF35C163E49C26ABDB84D9DBE7AF98A3E42385F3EAF0C373E6C64903EFD20053E0A7E403E4337963E97E391BD902D8DBE3F0C32BEAE5041BD03221FBDD9091DBB63794F3E0A47E83D1ED885BE4884D9BDC456AABD77575C3E0F5703BEAD7817BEBED568BD2F2FB8BD9147B2BDE41DB1BE3249A13E78AF403ED54F2BBE45E361BECE85493CB8474E3E2EE881BE1EBC08BE996E173E2F8569BE8A4021BD9D8188BE15E6A73E4827433E1952A7BEF4E247BE1556003E7BBB9E3C21E3BF3D901694BEA0D941BE4145243E12078ABE5FE197BD4D351F3E78E73B3EAF15B43C4CE7D13DA50C213E1D2E29BD2AD7C5BD9A3C8A3E2076B03E63B2273E80421EBE65759DBE42ABB2BE1D4A203B3CE80ABEAB35B6BD20A54BBD3831AB3E7F95AB3E946507BD2B6DD9BDBED12F3ED51DE7BCE13DACBE9506EC3DB64CAD3E377D8FBEB6619CBDFA069D3DDD6793BE4CFB9ABE"
    }
  }
#-}
