#loc1 = loc("/work/main/.venv/lib/python3.11/site-packages/torch/nn/modules/linear.py":134:0)
#loc2 = loc("/tmp/shw/mk.py":8:0)
#map = affine_map<(d0, d1) -> (d0, d1)>
#map1 = affine_map<(d0, d1) -> (d1)>
#loc3 = loc(callsite(#loc1 at #loc2))
#loc4 = loc("a"(#loc3))
#loc5 = loc("c"(#loc3))
#loc6 = loc("b"(#loc3))
module {
  func.func @main(%arg0: tensor<?x8xf32> loc("a"(#loc3))) -> tensor<?x3xf32> {
    %c0 = arith.constant 0 : index loc(#loc)
    %cst = arith.constant 0.000000e+00 : f32 loc(#loc)
    %cst_0 = arith.constant dense_resource<torch_tensor_3_torch.float32> : tensor<3xf32> loc(#loc5)
    %cst_1 = arith.constant dense_resource<torch_tensor_3_16_torch.float32> : tensor<3x16xf32> loc(#loc5)
    %cst_2 = arith.constant dense_resource<torch_tensor_16_torch.float32_1> : tensor<16xf32> loc(#loc6)
    %cst_3 = arith.constant dense_resource<torch_tensor_16_16_torch.float32> : tensor<16x16xf32> loc(#loc6)
    %cst_4 = arith.constant dense_resource<torch_tensor_16_torch.float32> : tensor<16xf32> loc(#loc4)
    %cst_5 = arith.constant dense_resource<torch_tensor_16_8_torch.float32> : tensor<16x8xf32> loc(#loc4)
    %0 = tensor.empty() : tensor<8x16xf32> loc(#loc4)
    %transposed = linalg.transpose ins(%cst_5 : tensor<16x8xf32>) outs(%0 : tensor<8x16xf32>) permutation = [1, 0]  loc(#loc4)
    %dim = tensor.dim %arg0, %c0 : tensor<?x8xf32> loc(#loc4)
    %1 = tensor.empty(%dim) : tensor<?x16xf32> loc(#loc4)
    %2 = linalg.fill ins(%cst : f32) outs(%1 : tensor<?x16xf32>) -> tensor<?x16xf32> loc(#loc4)
    %3 = linalg.matmul ins(%arg0, %transposed : tensor<?x8xf32>, tensor<8x16xf32>) outs(%2 : tensor<?x16xf32>) -> tensor<?x16xf32> loc(#loc4)
    %4 = linalg.generic {indexing_maps = [#map, #map1, #map], iterator_types = ["parallel", "parallel"]} ins(%3, %cst_4 : tensor<?x16xf32>, tensor<16xf32>) outs(%1 : tensor<?x16xf32>) {
    ^bb0(%in: f32 loc("a"(#loc3)), %in_8: f32 loc("a"(#loc3)), %out: f32 loc("a"(#loc3))):
      %18 = arith.addf %in, %in_8 : f32 loc(#loc4)
      linalg.yield %18 : f32 loc(#loc4)
    } -> tensor<?x16xf32> loc(#loc4)
    %5 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]} ins(%4 : tensor<?x16xf32>) outs(%1 : tensor<?x16xf32>) {
    ^bb0(%in: f32 loc("a"(#loc3)), %out: f32 loc("/tmp/shw/mk.py":8:0)):
      %18 = arith.cmpf ugt, %in, %cst : f32 loc(#loc2)
      %19 = arith.select %18, %in, %cst : f32 loc(#loc2)
      linalg.yield %19 : f32 loc(#loc2)
    } -> tensor<?x16xf32> loc(#loc2)
    %6 = tensor.empty() : tensor<16x16xf32> loc(#loc6)
    %transposed_6 = linalg.transpose ins(%cst_3 : tensor<16x16xf32>) outs(%6 : tensor<16x16xf32>) permutation = [1, 0]  loc(#loc6)
    %7 = linalg.matmul ins(%5, %transposed_6 : tensor<?x16xf32>, tensor<16x16xf32>) outs(%2 : tensor<?x16xf32>) -> tensor<?x16xf32> loc(#loc6)
    %8 = linalg.generic {indexing_maps = [#map, #map1, #map], iterator_types = ["parallel", "parallel"]} ins(%7, %cst_2 : tensor<?x16xf32>, tensor<16xf32>) outs(%1 : tensor<?x16xf32>) {
    ^bb0(%in: f32 loc("b"(#loc3)), %in_8: f32 loc("b"(#loc3)), %out: f32 loc("b"(#loc3))):
      %18 = arith.addf %in, %in_8 : f32 loc(#loc6)
      linalg.yield %18 : f32 loc(#loc6)
    } -> tensor<?x16xf32> loc(#loc6)
    %9 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]} ins(%8 : tensor<?x16xf32>) outs(%1 : tensor<?x16xf32>) {
    ^bb0(%in: f32 loc("b"(#loc3)), %out: f32 loc("/tmp/shw/mk.py":8:0)):
      %18 = arith.cmpf ugt, %in, %cst : f32 loc(#loc2)
      %19 = arith.select %18, %in, %cst : f32 loc(#loc2)
      linalg.yield %19 : f32 loc(#loc2)
    } -> tensor<?x16xf32> loc(#loc2)
    %10 = linalg.matmul ins(%9, %transposed_6 : tensor<?x16xf32>, tensor<16x16xf32>) outs(%2 : tensor<?x16xf32>) -> tensor<?x16xf32> loc(#loc6)
    %11 = linalg.generic {indexing_maps = [#map, #map1, #map], iterator_types = ["parallel", "parallel"]} ins(%10, %cst_2 : tensor<?x16xf32>, tensor<16xf32>) outs(%1 : tensor<?x16xf32>) {
    ^bb0(%in: f32 loc("b"(#loc3)), %in_8: f32 loc("b"(#loc3)), %out: f32 loc("b"(#loc3))):
      %18 = arith.addf %in, %in_8 : f32 loc(#loc6)
      linalg.yield %18 : f32 loc(#loc6)
    } -> tensor<?x16xf32> loc(#loc6)
    %12 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]} ins(%11 : tensor<?x16xf32>) outs(%1 : tensor<?x16xf32>) {
    ^bb0(%in: f32 loc("b"(#loc3)), %out: f32 loc("/tmp/shw/mk.py":8:0)):
      %18 = arith.cmpf ugt, %in, %cst : f32 loc(#loc2)
      %19 = arith.select %18, %in, %cst : f32 loc(#loc2)
      linalg.yield %19 : f32 loc(#loc2)
    } -> tensor<?x16xf32> loc(#loc2)
    %13 = tensor.empty() : tensor<16x3xf32> loc(#loc5)
    %transposed_7 = linalg.transpose ins(%cst_1 : tensor<3x16xf32>) outs(%13 : tensor<16x3xf32>) permutation = [1, 0]  loc(#loc5)
    %14 = tensor.empty(%dim) : tensor<?x3xf32> loc(#loc5)
    %15 = linalg.fill ins(%cst : f32) outs(%14 : tensor<?x3xf32>) -> tensor<?x3xf32> loc(#loc5)
    %16 = linalg.matmul ins(%12, %transposed_7 : tensor<?x16xf32>, tensor<16x3xf32>) outs(%15 : tensor<?x3xf32>) -> tensor<?x3xf32> loc(#loc5)
    %17 = linalg.generic {indexing_maps = [#map, #map1, #map], iterator_types = ["parallel", "parallel"]} ins(%16, %cst_0 : tensor<?x3xf32>, tensor<3xf32>) outs(%14 : tensor<?x3xf32>) {
    ^bb0(%in: f32 loc("c"(#loc3)), %in_8: f32 loc("c"(#loc3)), %out: f32 loc("c"(#loc3))):
      %18 = arith.addf %in, %in_8 : f32 loc(#loc5)
      linalg.yield %18 : f32 loc(#loc5)
    } -> tensor<?x3xf32> loc(#loc5)
    return %17 : tensor<?x3xf32> loc(#loc5)
  } loc(#loc4)
} loc(#loc)
#loc = loc(unknown)

{-#
  dialect_resources: {
    builtin: {
      torch_tensor_3_torch.float32: "0x040000001035A33D2C6C093E18A70E3D",
      torch_tensor_3_16_torch.float32: "0x04000000DCFA8ABD208F45BDB0FEC33CA2C16C3E204D5B3C8C101EBE00F0513C587FF53DFCF8FD3DE0F769BEB03C37BDB83E3EBE8876DABD6078B83D18CB35BEFC52BE3D8649593E3053863CF09E2ABE2071B7BDD89A5F3D462743BEEC5DFE3D246A68BE521776BEC0BE78BE68BB4FBD90242C3E724C72BEAEC8543ECCCFCCBDE8F4953D20CA3A3C10D766BEE84E543E6ED7093E80767E3E9655013E48FA28BE48A7553E20235C3C80CCF23DAC444DBEC84393BD545C7BBE906BC7BDA0E85C3D5C0049BE",
      torch_tensor_16_torch.float32_1: "0x04000000000020C1000020C1000020C1000020C1000020410000204100002041000020418C9EBABD5CE90F3ED67411BEB87920BDB25E593E403E293C400C35BE9420ABBD",
      torch_tensor_16_16_torch.float32: "0x0400000066F865BE40BAF2BDCE4F2E3E006BD4BADC7CFEBD022D44BE00946FBEEC1058BE70B44FBD56640C3E74670A3E02E576BE2EB01F3E8A5248BEF07B58BD1C9ACFBDF03C45BD100E49BDBAB865BE440A5DBE283C20BD80E1533BB896E8BDB8DEC03D3A6A66BEC0368ABCA221613E38D7D0BD362B673E386CB93DAE0767BE74F8213EF053ECBC708FE4BD14B64C3E54DF4EBEB0C2DB3CC06456BD16D0363E08EC8E3DCC04F63D40D1B43D003F76BD505A57BD00F752BE4CB60A3E26424B3E5C292F3EAC9334BE60AE363C907634BE88EC0CBE302C15BE34F9AE3DC48D18BE00BAB2BBA04F2C3C0406253EFA8341BE44BF2FBE3CA614BED62E333ECC0BB8BDE0EE573EA024B93D40AA013D00EDF3BA086D4ABD407A003D30D369BD003EE6BAC0A7023D983E48BE7A2D06BED8B74E3E86C14FBE200F93BCC03E7D3E10F4B83DC0F0E73B26DA5DBE2CA2FD3D085836BEA85691BDCCC8ABBD38A417BD8036333B9626533E80ABFF3C204C653E30991C3EC6D821BE54A2E53D24F734BE9CFFD8BD4097963DF00EA93DF20E403E28D2A4BD00D4D1397ACB033E5A9377BE4215393E30B153BE00D0613BE0182EBD0AD406BED857073DF2B0533EE8AA95BD56FC17BE845BBDBDE6BB7DBE1C1DE73D20E5F5BDD0D62ABE627B13BE5230133E2492073E507C443ED8B6B93DC4FCAABDD4138FBD9842973DDE70523E74358B3D1C40F2BDFCADF0BD420A72BEB03B5D3DA8A90FBE503E64BEFA7A603ED03F26BED0FBE8BC48AF923DE07D023CFA412CBE2CEE4EBE980D4C3E30BF263D4662543EA8A4ABBDF8CF963D182A6ABD602736BC52EA1BBEAC28AD3D80E0A13D40FDA8BBC04C66BD58CE1DBE1409313E94923EBEACBFD13D6C29ACBD0C06F7BDE0F4373D22FB04BE40EF6B3D1018493DCA133EBE987E2A3D6413DA3D5CAACA3D58E600BD9ADD51BE90DA1DBD50D2B13D2CD1BABD7458C23D867C2A3EBAAB05BE8093213B24B6D33D9084A03C9012AB3C70B9FF3CFA4049BEE0F2A03CB445313E64AF663ED876163E1838093D7C1CEF3DDC13F9BDEC2454BECA235CBE5A637F3E8E81223EB2F430BEF450C83DAA52413EC2E67F3E58D85F3E4456463EF0C26ABDA0AEB3BD4230523E0A750F3E300E1ABEFE25663E9060F73D008E0B3E6A7420BE88E4923DEC7CB3BDFC06483E584238BDF853C73D80E2353DF8D6D93DE0FDADBDF4A2F93DFECE32BE8846673D20352DBEBA8D7CBE10954DBEB61A4A3E50810A3EE82E703E48164D3EA09E64BECEB32EBEE87525BD324126BEF8C3313EBA8941BE38CEF9BDC45177BEC65711BEE28D523E429A513E2441373E22AA453EBAA1633EB01A83BDF447E13D0414643E1461A93DCAEA7F3E18C7043E58241F3E2C32B3BDF4ABF53D2054EB3C888C74BD4A4F10BE56A50FBEB2FC44BE4EDC2B3E96FF353EA016E9BCC42414BE22DD453E",
      torch_tensor_16_torch.float32: "0x04000000714EFDBD0C5E94BEB0059ABDB5C69A3D16DB6BBE02A394BC3595813EE4DE14BD5DFD203C86DCF9BC2E8A923DCF32663E4A78AB3E30EA653EB9DCAB3E4477D1BC",
      torch_tensor_16_8_torch.float32: "0x0400000022792DBB9C36423EB1FC94BE1D3885BED6700BBEAB2AC23D578AE5BB40878F3EDE8300BD9799BF3D5DD3DABD1B548EBDC2EFACBE90C56FBE9F3D15BE4C94563C6B200F3E403B593EDE7075BE86A71DBEA77F033EF750963EE70395BD7A75873E1E6B69BD353C193DA1E8A33E20EDA7BEC5EA63BEAC4FB7BD661F0DBE9E669C3E85AA6ABE86A826BE53EF7CBE2089A9BE2D5653BE979A9B3E5E8C213E5F782F3E4952983C7B9C39BE6E01753D4D04A9BE68CC82BE4CA43ABE876C643E5D45543EF68F20BEF20251BCB38B673E12F5B33ECBAF0F3EA6A2433DF2BD723E522B55BE70ED863D65588CBE8AEC7ABEF2053BBE10D0233EFD98113E5B7456BEB8BFDA3DC5BF463E43C836BDCF2B5D3CAAC5A73DAE99603E4ED0AD3E6D7F8BBE1CAD04BEE7480E3EC4FB953E3C869D3E40B99F3E171A903D49699DBE2838053D4B7E62BEA4B3A8BE96D5A03ECBA3893E6492B4BEEC86873DC6F473BD5C4F6EBDC7B925BE65390B3ED06F56BE61B8043EFD15373E2B96813ECB5E073E4529B3BE76DA6ABE77C5343EE58C973DD5358DBE0B7850BE374BAA3EB8F2733EA3DB1DBE3F3DB6BD4D70ACBE123CD0BB775188BE67A18BBEE4959FBCEA6E593D0B4414BE5DD3563E8F505CBE6440A43EE51A783E88A698BE2536B4BD67B0823C8F49533D86BBAB3DFF120E3E4A7DAD3C2AA630BE0E502B3E81A4ADBE2E9556BE1842B5BD975A30BE"
    }
  }
#-}
