#loc2 = loc("x")
#loc3 = loc("norm1")
#loc4 = loc("self_attn")
#loc5 = loc("linear1")
#loc6 = loc("linear2")
#loc7 = loc("node_add_110")
#loc8 = loc("node_relu")
#loc9 = loc("node_add_139")
#loc10 = loc("norm2")
#map = affine_map<(d0, d1, d2) -> (d1, d2)>
#map1 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#map2 = affine_map<(d0, d1, d2) -> (d2)>
#map3 = affine_map<(d0, d1, d2, d3) -> (d0)>
#map4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#map5 = affine_map<()[s0] -> (s0 * 16)>
#map6 = affine_map<(d0, d1, d2, d3) -> (0)>
#map7 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
#map8 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, 0)>
#map9 = affine_map<()[s0] -> (s0 * 4)>
#map10 = affine_map<(d0, d1, d2) -> (d0, d1, 0)>
module {
  func.func @main(%arg0: tensor<?x4x16xf32> loc("x")) -> tensor<?x4x16xf32> {
    %true = arith.constant true loc(#loc3)
    %c0_i64 = arith.constant 0 : i64 loc(#loc)
    %c0 = arith.constant 0 : index loc(#loc)
    %c1 = arith.constant 1 : index loc(#loc)
    %c4 = arith.constant 4 : index loc(#loc)
    %c2 = arith.constant 2 : index loc(#loc)
    %cst = arith.constant 0.000000e+00 : f32 loc(#loc)
    %c8 = arith.constant 8 : index loc(#loc)
    %cst_0 = arith.constant 0xFF800000 : f32 loc(#loc4)
    %cst_1 = arith.constant dense<0.000000e+00> : tensor<48xf32> loc(#loc4)
    %cst_2 = arith.constant dense<"0x0054F5BA5E54093E16B352BE80663CBEF432C5BDEC4B893D404FA2BBCEFA4A3E70BFB5BC4C7B873DACBB9ABD704849BDB89174BE528B29BEE80ED3BD00BB173C6069CA3D189B193E8C8D2DBEFCF4DEBD98F7B93D4E94543E48BD52BD5C913F3E400D25BD10B5D83C4ACD673ECE7B6DBE662921BEE09E81BDDC93C7BD282F5D3E1AEF25BEC0B0EBBD1ADA32BE76C26FBE047015BE9E0E5C3EBC76E43D0027F83D406A573C3A3F03BEC03E2D3D9E066FBE1AFA38BEC6F903BE2685213E2619163EC811E3BD20CB13BC40BA233E827F7E3E2434CB3DC8550A3DFEA42B3EC0BB16BEF8D03E3D6C7A46BE186E31BED23E04BE8CAAE73DF8E7CD3D6AA417BEC8AD9A3D6E890C3E203F01BD40641C3C00446D3D00D11E3E48CF753E964745BEECA1BBBD9838C93DD01B543EE8C55E3E22E2613E78CA4B3DF89C5EBE9066BC3CAC2720BE8C946EBE3E74633EF0A6423EFE5D7FBE08AA3F3DC8802CBDB88228BD1C5FEABD8CE4C43D34A117BEDCB1BB3D1676013E5C43373E4871BF3D4A5F7DBE001126BE38A6FF3D1853563D96B347BEE86813BEF2D4703E547F2C3EB03EDFBDD4DC80BD78DD73BE803E93BB78C840BEA27745BE20B061BCA0BF193DF4ADD1BD98E7173E38C91BBE6849683ED06F2F3E64E157BE88DB7EBD80D2383C1867153DD0DD723D5CECC83DE059753CCCD1F9BDD445F23D569175BEA0BB17BE3C2B80BDEC66F9BD5C1DB3BDBAD251BE00D259BDF8E25A3D76C626BE403452BC0042373EF088D2BC80ACE33BC0ADB0BC103D4F3D60C6223EBA7E723E0693223EC40C733E601D94BC66F865BE40BAF2BDCE4F2E3E006BD4BADC7CFEBD022D44BE00946FBEEC1058BE70B44FBD56640C3E74670A3E02E576BE2EB01F3E8A5248BEF07B58BD1C9ACFBDF03C45BD100E49BDBAB865BE440A5DBE283C20BD80E1533BB896E8BDB8DEC03D3A6A66BEC0368ABCA221613E38D7D0BD362B673E386CB93DAE0767BE74F8213EF053ECBC708FE4BD14B64C3E54DF4EBEB0C2DB3CC06456BD16D0363E08EC8E3DCC04F63D40D1B43D003F76BD505A57BD00F752BE4CB60A3E26424B3E5C292F3EAC9334BE60AE363C907634BE88EC0CBE302C15BE34F9AE3DC48D18BE00BAB2BBA04F2C3C0406253EFA8341BE44BF2FBE3CA614BED62E333ECC0BB8BDE0EE573EA024B93D40AA013D00EDF3BA086D4ABD407A003D30D369BD003EE6BAC0A7023D983E48BE7A2D06BED8B74E3E86C14FBE200F93BCC03E7D3E10F4B83DC0F0E73B26DA5DBE2CA2FD3D085836BEA85691BDCCC8ABBD38A417BD8036333B9626533E80ABFF3C204C653E30991C3EC6D821BE54A2E53D24F734BE9CFFD8BD4097963DF00EA93DF20E403E28D2A4BD00D4D1397ACB033E5A9377BE4215393E30B153BE00D0613BE0182EBD0AD406BED857073DF2B0533EE8AA95BD56FC17BE845BBDBD"> : tensor<16x16xf32> loc(#loc4)
    %cst_3 = arith.constant dense<[8.24606418, -7.915080e+00, -0.0233974457, 0.0624887347, 7.85596418, -8.21006298, -0.187924892, -0.209775627, 8.05130481, -7.95130443, -1.062420e-01, -0.244537652, 8.13542652, -8.14185237, -0.0417369306, -0.209620476, 7.85896063, -7.895710e+00, -0.232931733, -0.142559916, 8.18743228, -8.12821197, -0.104038984, -0.0701934397, 8.10686492, -8.16399192, 0.0250663459, 0.10210067, 7.98185157, -7.95479536, -0.190711886, 0.113024861]> : tensor<32xf32> loc(#loc5)
    %cst_4 = arith.constant dense<[0.0647511259, 0.0472822934, -0.135515407, 0.158758625, -0.176092982, 0.0174842607, -0.0147686135, -0.0409663357, 0.120467447, 0.149255514, 0.0230275411, -0.0624373517, 0.131424561, 0.111063436, 0.0317505263, -0.0483504422]> : tensor<16xf32> loc(#loc6)
    %cst_5 = arith.constant dense<1.000000e+00> : tensor<16xf32> loc(#loc3)
    %cst_6 = arith.constant dense<0.000000e+00> : tensor<16xf32> loc(#loc3)
    %cst_7 = arith.constant dense<"0xFB3794BE56658FBDF249763D2B85D13C70C56C3EA4AB61BD41F755BE4372CF3D8180483E0737AABD8A0F853E01C5643C25E3C73D8F555DBECD5C83BEB9FBADBD1D275BBAEC4C2C3D88A198BEF874D2BD9AA88DBE3B6C1ABE7985B2BDE9A539BE68BB4A3DF5485CBDA05A1B3E00C446BE32487E3E501F22BD1DEA6B3E008E70BE5A9F2DBED67A0B3EFD1BF7BDCE87FB3C89DA663C5D509A3E0B40FBBDEBF88ABE925B4A3D38716D3E188DF6BD211360BE1C2D203E82076B3D991D99BDB3BEAFBC237A873D8A175FBCD4CB68BE3B991C3DFCB49C3E3F20F43DA1A54ABD74B79C3E4B73BA3CA1F571BD8883A43C305C8DBEBD4E283E124C1BBEF1A329BECEC4E9BDFAE717BE3BE7803E301939BE9F6191BE3E5F923E1C67DBBCD49155BE47ED333D2E58903E4A39CB3D8D93BB3D599D07BDE54A68BEF95065BE3514843E3147B7BD268503BE2B0406BEA837823E8543E9BD126D753D62FD05BEE47B90BEAF439FBCAF79973DB5C4C43DF96E46BD5FF0863D2E418A3E2AA4C9BDACE6ABBD091194BE3FF32FBEDCF43EBEF2CF503D0E7C76BE9A13893E2FC35E3D9C9E4BBE6B9E223EE30714BE320BF03C8EF750BE0003823E93B62E3DA62081BEE5B58A3E37DD9D3DD17F9C3E6CF953BEA5C4D5BDDC86003E83990A3E2E18F1BC3D72893EBB27C83D87AE15BE3B04F63DB2E4FB3D8551213D22EF48BDC69CB73D2806EA3C99AACD3DE558B7BD75F3793E2412A5BC104983BE8C47363C49FFC8BC792564BEE428D13D6FB6893E6F029B3E819694BE5ABE8E3E16F99BBE1A5E543E594F543D88C734BE1DC58BBE5113D43D288B053E031FC53C86E9723E2866053EA7B7593E87E8423EA213903EABFB903E66ABE0BD1AD2283EE6C751BE7B9D233E355E8F3EE46ADE3D281C993ED4F0683C9BC61D3EC99B983E0EAC083E9E3C74BEA81D4FBD8698B13CFA41E03DBCBC703ED06841BE9C8E853EC08739BEBAED5EBE016C8E3D6F5789BE3CB798BE47005CBE32410E3E24C1FD3DCA14593E644C09BEBF22933EFC0DBC3DF965E43D44929ABECECF93BE86329ABEDDC7293EA310893CE634503D174CFE3D3277893E0B42C63DA836F83D031D593EEFC28FBD6F18D5BDE0086DBE2978DBBD9337003E474B863CF1ED883D79D39B3EF21673BEC894FFBCDD3591BE252F19BEB4766CBE333EE7BD1CE64ABE2284B2BD6FA387BE23B1823EB8E58EBEB8474BBEF1359DBD5FD93ABD20CA493E019815BE7C2333BEC6CA78BE68BC07BE11E12B3E175A823CBD20643A6A3F9B3E1E7A203D755F04BE761F2DBD55CF363E272F833EB87989BE8BEA96BE4EE7F23D63E39BBEE70EB6BD35646B3D0BFE1E3ECCAFD4BDEA9C4BBEFFF7CEBB8EDE1DBDE5438D3E9510DCBDDCDE183E5AF918BE4D71163EB7046EBEC09641BE5E036FBECC661E3E1A76C1BDF14B713EB0225D3E42BADD3C532C7EBE38D6993EABD1933E9BCE81BE462B913E954E0ABEC1AD9DBCCBEB953EDCFC87BD94EE46BCA47B943E95DC483ECBBE943D5CCD983C56AB6C3EB235233E3CCE5D3DDAEB8C3EDFACBFBD8F21FBBD64AA26BE5E49883D5F6A283E6D0C9A3EBC9663BE40FB533E65B604BEBDAF203D8A8299BE01AEC9BDEBFC57BE2869583E3AAC0EBD7D078DBD148480BEC247383EB2B6803EB0FE5ABE9B7397BED81B103D120A963E588F803C6CC41B3E5CF44EBEEDA0093EB409423E7C211D3E5EB4353E38A86DBE30BC94BEB0AA8BBD85328EBE3183943E4C6EDE3D62E7443EFC5136BE0B8B663E4BB6563E8DA5D93C6C511FBD3C26933E7F95783EE67602BEB974423E8EE887B91AE39B3E98602A3EE903D4BDB69F083E2781273DAA3E2E3EC59E8E3EB8300A3E822E8B3E52C03EBE3F196C3E70318B3DF206903A1A03B1BC97DC773EBEA6B33DAB4541BEA25441BDF40E283DCEB22F3E73A08D3D080232BE4AC195BD0C176E3EFB55163E06538EBEE2D5823E7FA29A3EFA7D2D3E4496393EBE90F9BC488CC1BA6A4996BE153261BDA9249D3DFD898D3E8A5A883EB4E9A23DF5F0803E27FC72BE0BABA9BDA56D92BE06E814BE842C7BBE5C73B1BD3ACC59BEA5E447BEEE7FCA3D6B9E35BE345CB3BDF6FDA33DD56F88BE1BE06CBDC41879BE3781523EBFE92A3DAF18403E336EF7BD5CC83EBE4DB12ABE202371BD725B2F3E8070363DADD11F3CC3D2583E39C9D93DD76C123EB8AD3CBE912254BE07F0803E1BBE30BEA28FE4BD9C861B3E0CB396BE54CE863CA34A343E1A50213C49B5843EA7D6BE3DAAD79FBDE7799A3E31AC753E12EDBDBC203F84BEE71E1E3E3948C63D616B79BECD34053D736D893E23195C3E518388BEAAC03D3E0692133E1421413DF4239C3EB5BF943E00665F3D203237BDFCC462BDFCDAA03B0CBE9CBE6BB5033D326F5C3E83E8183E7D72503E062B80BE8F0A8A3D0DBA313D3E3FD5BC6B99873E6657C6BCC6F852BE1D6769BEA3CDE4BD3B8718BEC1EF8C3E29A89ABED75A803EF5ED2FBE4541303E96468FBE1D5398BEEEAE143E473A0DBD45E0C1BDC9FA28BEB03D97BD08394DBEC95E46BEC0951D3EBE541EBEA39BECBD918F313DAAF3E83C31D796BDEB6C933E55C150BE807868BE41D68FBEAB8E22BEA9B6863E99ED3B3EEFD939BE4EBAA63D6B24143D548A54BD2AE34C3E1B3110BE1F6F803CD9E7913E3BD221BD12919CBE680A84BEC4A37ABE08695C3EBB8F4BBEEC8474BEAEF7B6BC820CC7BDD96F7DBEC071003E1006EE3D4AE981BEAB7C173E2DC97BBEA170603E4A4271BEA02532BE2D6B60BD356B7EBDB8667BBE61DCDB3D415888BD6803C63DA0C9DB3D8EE9E0BD9C72703D24F5843E5D807D3D48A357BEF862853E80C8E93D978D2A3E7E552CBDCEB507BD5125903DC519993E234674BD90F44F3E12578DBED7819C3E858DE5BD530013BE9553F9BAA2138E3C85F14E3EA69914BCB3FA2EBE505173BE00AD90BED1F0623E499C3B3EF455C13DA7F16BBE5ECFF6BAE26A35BE94AA7DBCBAE9793EB3DAD2BD68CD503EBCCE86BE3DEB2A3EB986773EB416723E407C523EA08A44BD680069BEBFD4523E9E5CB4BD73CC99BE01AD263D0E4F003E6A1F63BE0EF26C3DCA7AD8BCC55C353E9922EE3D0A74943ED396283D65C998BDAE1A00BEB770733ED1B886BCAA3F363D0D649CBDEEDF783ED57724BE6CB68D3EB97296BEC00801BE36A6D8BD13E3ECBDFBDDEC3DDFF491BE28AB3C3D97758B3E02C9E8BD8C44403EEE0294BEFF591F3E5EB4873D76D4D4BCB41F82BE4D42B43D8C47643DEA384C3D3D4517BE70B623BE84649C3E218444BE2AA2293E3A658B3ECFE65E3E811C853EDEC705BE836094BE25ED99BE2CE585BE116C1B3E7B4BB9BD105E38BEA8D123BEB81884BD5539BEBD2F5C793E37B806BE140F11BEC672F9BDF9B0833E3C1CC1BDFCE60B3EE6BE12BE2B927A3C11D38DBD807A09BD8C93E13DCDAC8BBEEB9948BE21D8A93D14FA923D1C9B083E361B3E3EFD3E703E66D1A43D98CB0CBD168D483E9E168C3D410E273D2E699C3E13A6D2BDE6E686BD088D323E6A7E6FBEDC0E823EC24C613DBDE3453B4B07473EF5E7B33DE314933EBB91A0BDA6BC0EBD9B474F3CD0EDE13D924D823E243DF4BD3B4C123EC4A85BBECAD9D13DB2251FBE98F28A3DF80D8CBD890550BE3A6C733E4C250FBE454D943E228892BECDC257BE31627C3E2F5B563EC057DA3D9901AA3DA264E43C4A54C5BD9AAA5BBE6592403E215959BE68055ABE97063D3C9ADC99BD4D199B3E1C61983ED7955C3E106E29BE43D48DBE4A604DBE77452BBE61424C3E1960373E35B5353E7AE143BEEBDD95BD1838D2BD27DE22BE73A5013ECCB958BEB5D3DBBDE72D7B3EB7F4093E2A7035BEC9BC5DBE85A65EBE94D7FABD4547873D409731BE4592833E916AB4BD2612903E06CC8FBD903B473E9D9FBABC62B93BBDCF43243E446A943D80326CBE15A683BE54A597BE25C946BDC4378CBEA01E553EC42B5BBED51E7CBE501387BDDF12033D96FA49BD6FED4E3D17BF463ECCA7073E3AC37D3DBF033ABE7C5006BE1245203EBC06EE3DB211F9BD69A0D03D245730BE4C42D83C36045ABE2FF135BE346682BEEAB4B83DD67A903DE897C43C1656F53D7EFB743E18008CBE36AB8B3E2B55723E5596D1BD3A19E93D9EA8B73DEA2C76BE16D7163ED45C08BDACD8413E02BCA8BD6CED17BEAFC66F3C1EBF813E783B8ABEEC0911BE74F498BE01E3073EF9600DBE47C034BDF3E081BE2DD28E3D00CC853E6072853EBAA704391A02883E68B3903C61D05DBD99AC073E29D87DBD215E673E411EA7BCFA669CBC898B103E521EDC3D5ED274BEA3115E3DAC5E613C88CED83C72BB743EB05653BEF0940A3EF66E403E"> : tensor<16x48xf32> loc(#loc4)
    %cst_8 = arith.constant dense<0.594603539> : tensor<1xf32> loc(#loc4)
    %cst_9 = arith.constant dense<"0xB40723BE983A523E54DAFD3D604F7CBC80812DBE68DD24BD0089BDBC622F57BE885DD2BDBA4A23BEF0A5D93DA86DDC3D58D8C9BD90D9533E40FFA73DA03B3FBE9089C03D806F2CBCAC2784BD7840B9BD66200D3E408BA53CB0FC113E0CC0B53D96A27DBE582EF4BDF0527DBD408B7F3EE8AB493E1C75D7BD28AE313E483EAABD02DE693E744AC63D107F22BEE28E20BE74D6ED3DE8A068BE00C9A53A0073713B143212BE724750BEC840663E2829FD3D88688FBD00D44BBDC03DE23D9033EDBCFCB8DABD9E083ABED8A00BBE7C9E83BD2048733E9C55A13DF613603EB6FE0CBEC051C33C40B138BDF84350BD2EA76A3E9066BA3C509355BD8E2C103E48FBA43DD8FB83BD12AC573E246E7A3E0431B9BD4CCD48BE34F02ABEA83C433E9CB9493EC0E6A9BD98243BBD020B6E3E0AFF1EBE7428FF3DAE08133EAC30863D7887153DEACC4B3E60309D3D58A597BDDC915C3ED24020BEA008E4BCF8794A3E382C543D80832E3EACFC88BD08D0B4BD787D04BEA046293EC483BDBD484A7CBD107AE23DF4A712BE3476AFBD4E8D7EBECA5B263E32F059BE7048863C18FF7EBEBE3C5BBE36C9493E767E473E06FA68BE18EE7D3D3E8E48BE4A1E733EDC887E3ED82A853D8AFB4CBEBC4C223E0CC15BBEDA0C51BEB4DD073E38C87A3D105C26BE18C769BD54CDCF3DC8E560BE400AD73DC2D459BE18B1D53D1E470C3E504BCABD80BC11BCF4FDF53D70380DBEE63B75BE6C4FCDBD58829C3D986671BEB0D191BCF061E4BDA28337BEE064603EC65629BEACF93C3E7879CA3DBC55E93D8A9B513EC0A4033EE08A0DBDFC647CBE72933F3E00F7933C0C4CAB3D66557D3E10DD953D9C48333EA044F3BD308634BDFC4BE9BDD4BA66BE2AF0073E208F42BDD6F1203E82ED733E30A8183D0A235C3E10F971BD76FC1E3E80C9703B80ED0FBDFC7BE23D20D7603E225C36BEB6DC5EBEECB1D3BDE0C9143D70E76E3D822C65BEECA25B3E70BACBBD40E1B03B5A4134BE4412D13D16A8763EB40E073E34A525BE2C4ED4BD16DE5F3E6E136BBE54BB9C3D005FEDBC008FF6BD44A260BE8E1A423EEAB95E3E9E2F31BECC44313ED069D53DB81C513E3C06CBBDECD9EEBDC64C25BE90F90CBEE0B82BBD38F69DBD807731BC604023BED8A858BD4A5D213E34D3003ED046FFBCB8629ABD0A92033E069F3D3E361B01BE7C90E5BDB8C6F23DE0A05FBCE672003E92575E3EF0884EBEC8E6CFBD7CD793BDCA3D573E7AF20DBED8A8693D4A676ABEC44EC43D98BED53D6AC1753EC00ECD3C087D6EBDB8E976BE007831BE841502BE1C1DD43DC0828E3B6A43163ECCA1753EA04F973C045D5EBE644BC33DDEB5563EAE34563E4C304F3E6872723D9CC0AEBD326C753E1886BFBD3471C3BDA022B8BC6041383C80F4973B20922EBCBE6770BE7CF4AB3DA08A193E40391EBDA03E5DBDAE92663E6A9D76BE54DCD5BDA4A1C43D0058AE3BB436C6BD5C3BC93DE06EF73D844576BE5C5F8B3D34B0E13D80E0B4BC309ADBBC50AE54BEB26A463ED4916EBEAC6989BD465D2D3EA05E7FBCD0B3E53DC228633EC6544ABE3A9F603E904BB13C20F6163E161B303E00BF9CBAA01A29BD9E00773E005655BD8EDD13BE100FBEBC380E32BDE4EA213E7E5E24BE56A63BBE20EC6ABEFC01AB3D620A45BEA04B75BEA403A1BD80D3F53BCAB0513EB0D029BE52E5003E40F4E53DF4867CBE26250ABE04D431BE6061E13D680C373DAC98BDBDBE2A6E3E04E64C3E6E255B3E460D31BE88C77FBE9058CFBD68D97EBE34F458BEA6C03D3EFEB65EBE8C696ABE0C60B9BDA03D4B3E58D540BD500DF0BC18B8BA3D009823BB38F46CBE6C0142BE88A4723D4A0102BEC88076BD403BE3BBA8D5E3BDB0D32DBE8C6DB83DB0711D3EA8035BBD04942D3E3C01EBBDE0B01BBDDC02873D306DC3BCF6FA11BEC063DFBB34CB64BE0A2B16BE164D0BBE160A3A3E5046153E80876D3B64CE683EA05C95BDAE8C5A3E400A873B084AE2BD620B71BEC0D9E4BC006ECEBCF6B178BEF8FD113E163146BEDCD2573EC4391BBE2A012CBEC4670DBE78D1013EB2466EBEEE8B513ED41798BD105A2D3E62D236BE5EEF32BE90F98C3D0C96673EF2AA233ED479B1BD2CCEC03D3803373D9A9008BE32CA4E3E90D2083E9AA91EBE0028B1BB68106DBEA84117BD4CB43FBEE492223EF8B0C83DC038CD3D20FCB7BCE0EA013D18743F3DE47EFE3D1C80D43D30BD37BD105A293EFCE3D03DA249103EC6C20EBE622C6EBE42776C3ED88BA0BD580565BECC366FBE782621BE9C16DFBD72E073BE7A2C1EBE70F66D3D00BFB63AF04AB1BCCE8A2E3E9AD16F3EF2FB793ED6824E3E98B73DBD9A0C593E20720CBE64B53A3E98D23C3E50CC343EB0B34CBD686C38BE7A24693EEEE35ABE06CC3ABE781BCEBD8092AFBDDA4B5FBE9A1A1BBE083C6ABE5046D63C1C7EF13DD8B74CBD402E4B3C8C5F283EBC41803DA042AFBD882731BD9A2D373E20E5B13C8AFA48BE921C73BED423A8BD58EEABBD185B4D3E0A1848BE80E4853B00FEA13A0893BE3D9A0161BE78D1753D688EDE3D18D3493ECC4660BEF4DA88BDD8631D3EB018253D6CD44E3EA28D043EF8B16EBE500A513E7E6737BE528A5A3EEED0243EB4E53CBE124A783E1095F3BC409C7A3CB4A7C13D00A72D3B60088DBCB2DF2D3EFC9DE2BDE2E761BEB4C6053E604A503CB4AADD3D4847B03D20FB83BC3026DEBC4491DDBDE02FB9BC405BCABC2036AEBCBAEC3C3E3C44C5BDC04DF7BD845672BE004F3CBB5E3179BED8597CBDD85A7CBE76707B3EA403E7BDDE303ABE34222E3EB4C855BE488042BD7826BEBD16965F3E3051583D182D313D6E1A713E50CCD5BDB821EFBD06017C3E26DA6FBE9097483DECD70BBEB8DAC0BDC880FBBD425315BE8848763D"> : tensor<16x32xf32> loc(#loc5)
    %cst_10 = arith.constant dense<"0xF54D873DB52FC43DE28587BD550028BE4E0E87BD552B46BDDBA4C6BDAFB2ABBD86E6A3BDF38C6DBD914DB83C6E9B983D9DC40DBE63D2C83D67CB8FBD4C34363D27A5B5BCC05F9FBCFF30E8BD2D2B153E6B799DBD710A3FBDF36B62BD6EE10E3E78388FBDFBB5723D05EDB8BD026B973D50F9D0BD60B6013D50C3FDBA972F303EF5AD15BEA89D0CBE41A38B3DC485A2BDC034CB3D1DF6103CA8CF833D52F4FEBD8CE0BABCD0C6493DED8B81BCEE431CBEA9E624BE4B01DD3CE58D2BBD747E2DBE7ECE903D077528BAE393043D81B8FEBDF957063D56BEB0BD6A92103EA5DCB83DAC3B9E3CEA2FD3BD88C5B4BC9C1A1FBE95F011BD2E35BB3D71E8A83D886289BDC93EEC3DE99083399CA101BE308B9CBCFF61183EAC6228BE6E292D3EC892B53D9F8DFCBD7D128C3C85072BBE465A0CBE1791913DBE8DE13DB1B88A3D9094F3BD314BFDBC12701CBE0B76EEBDD9F1F3BDB456883D007DBABDE2C9E73C00FDFF3DF0F210BE5B7009BE276FF53D882E473B986A09BE3F8294BDBBCBC0BD3B9DAFBD78A4AA3DBB0800BEBCBFA93D901EBDBD71D3113EE31610BD4B2AF43BA86B353D71048F3D066C54BD7A6992BC4AECE4BD066F81B973A99EBCF68FEE3DFD290E3D6431863D896E273E95A4093E2B92B83DF0DD11BE1DB2083EC734A2BD6B5DC53D57C5503D27178EBDE37B1CBED5B667BD8B8185BD71F19E3DBB0938BC2DCDDC3DC1CD90BDA15E073EB2C76B3C95E807BECA86113EF72A053E038FCC3D86180F3EE815313EB4AD1E3EBC370F3E13AAD8BC121EAF3DAA6FAFBD5A1A37BDADE308BE121049BC97A4C83DBAD8B5BD12BCAA3D1657A6BD93EAD8BDFADAD1BD41A00E3D9C9B93BDE7F222BEB9CDC2BDEF408D3DE3C81C3E1943293E7AB169BB6879EB3D9031343E31CEFA3DB7D1AE3D9B01043E08D341BDC66BDEBB16523EBDF832763D70B37F3DB6C1D5BD772D803D42E2273DC3F8BFBC07FFF7BD93F5FB3DB134173E19C75A3A185F8B3DEA90FC3CAFE3CFB920AF8A3A09FB50BD9D4B17BE918B0DBEB61892BDA42631BEE784333E61ED273EC636B6BDC90FA73DBF91313E9073B2BDA81C10BE54C0CB3D8B7A1EBE28C2A03D9DC907BDE5ADC1BD8E052EBE1A3842BD5FB8B23DBF9D363DD913063C1C47233EBA160BBE480702BE252AB03D48C2FC3C133953BC3BC9EF3D099EEABD90CCCABD073A0F3D7DA7FEBCB85CCA3D934E833C017120BC1E540BBED651503D0BF7E6BDA3B4D4BD1B7A683DDC66FD3CCEDCB9BD911CB43D672629BDD87B1E3D73290D3E464E213EBB3C7BBD57C4443CBF74AF3CEA30063EBB446A3D2ED98F3D6CFD11BAD00E513D52DEFC3D6247EC3D74161B3D205B6CBDA617B8BC3005E03D86D92F3E1050D8BD995CCA3DD54D103E3FD17FBD2923C93DDF79FBBD13D0083EEF23EF3C7C22263D0C93AE3C976497BD71D9A7BDFC97BDBD4013013EAD9E68BD3D112C3D08BB5F3D7B8CB3BDEC0A103E897333BEC8AB163E41EAE7BDD6295EBD94071E3EF0F7C23D442591BCD733BDBDAF088DBDAB1E153EB68285B8CE0EAF3D63F5243E6B7C11BE7CCDDE3C20FBBD3DC44D3CBDD00CBA3DEBF4B8BDDDB9CBBD236860BD3A2ED7BCAE39E63D6F1A51BDCC5AF2BDD085BF3DDC92EBBD1537E0BD40C833BEF561E33CBA4DCCBDC4E2903D6E9A8A3DC4A0D93BB852D93CF2A762BC30488EBD1107BA3DB4FA01BEF251EABDB9F316BEFD07F6BCB85C0CBE36392D3E31029FBC3420153EFBFC61BD1DE93BBDD3DE1B3E5AFF1B3ECF55263EFD900D3EED55E5BD374621BE4C41F4BD54AA9B3DBD74103E27F8133CB47ACA3DF8FB003E7FDE0F3DDA1DF43DB3800E3E7148C03D3B7723BEAAA7D4BD2390293EB007793CD862053E54A5423D3A481ABE558F893CD5E0B6BC292999BC1CF1153EFB9F073DF2561DBEA8041B3EE5BCB1BDBC17AE3D8AD9AC3D24BC2A3EBCD05ABC6F8CFB3DFC224DBD7FBB2F3E42DADEBD53BB77BD1EB3A0BB181B283DF3940C3E7C11A13DF42DB03DF6FAC33D24282EBCE1A87A3DB7C32BBEC6E3303ED04E31BED644ACBAB59787BD902733BED257963B210593BCF62CB4BDE8DDCD3B2000F13CAB177C3D6AFA89BD41A06FBCDEE12C3E0237A7BBEF1B2DBE04EC2C3E94376FBD59295E3D37DFF43DB9F1BBBD382AA4BDD4B565BB9057FC3D0F15DBBD83E8F93D54A3D5BD6DF182BDDB0D3D3DF6D3773D7A4FD83C89B9E2BDA71DA9BD18FA89BD2C6CC93B4291263E1AC4E73D4650213D26361B3EA738CFBD2327063D2B3326BE720BCABA939F0FBE904797BDFB46B8BD9D9B4D3AEC46BFBC44D4BFBD16021ABD0F3F9D3BCC1BF4BBC86AE2BCB578C33B0197213E516E92BD2981973BEF6A02BE3215413D0202943D41A7193E7F5ED9BDCF5E03BEFA3A4A3D9D3E373CB1548A3DF4422CBE0934FFBD79FBC0BD98A7163E7D5B0BBE6C4E0DBEAF413B3CAC2E2EBE3E6F23BDEDB603BE4546B53D4BEA7DBD1916283DCFAA09BEE079613DC630B63DD8401EBEEA7D133EF3DDDC3DA1FB9CBD9FAF843D333718BEF3F789BD44D8113E71962D3E3FA719BDDE7D04BE87BE62BD551305BEEC760B3EC09BB53DD084A03D42C5703C4EA377BD5C26423C581546BDE5CC8B3D31B5203E6586393DF0A8D1BA859D8BBD35D4A03D00851C3E7CA09D3D62A9AF3D4FB2233EFF3D933D8DD84E3D662FB33D1FD6A6BD38E1E23B4073EF3D8E6E8A3D48C80BBE6D6112BEBEB4A6BDB2A921BEC75E083E53EA2BBBFAFA20BDC3B4D7BDFE32323CD4221A3E399092BD4E33F33D9785FEBD52ED5BBD101637BDDF6DC5BC11EEC7BC8771583D2902753DA45BACBD6FBB233D4FBF00BC90AB183E2D856CBDCA58133E126935BD04CCF5BA4C56FB3BFA1DAEBD1B63083E944E2D3E4715353D709751BD"> : tensor<32x16xf32> loc(#loc6)
    %cst_11 = arith.constant 1.600000e+01 : f32 loc(#loc)
    %cst_12 = arith.constant 9.99999974E-6 : f32 loc(#loc)
    %cst_13 = arith.constant dense<2> : tensor<1xi64> loc(#loc4)
    %cst_14 = arith.constant dense<1> : tensor<1xi64> loc(#loc4)
    %cst_15 = arith.constant dense<0> : tensor<1xi64> loc(#loc4)
    %dim = tensor.dim %arg0, %c0 : tensor<?x4x16xf32> loc(#loc4)
    %0 = tensor.empty(%dim) : tensor<4x?x16xf32> loc(#loc4)
    %transposed = linalg.transpose ins(%arg0 : tensor<?x4x16xf32>) outs(%0 : tensor<4x?x16xf32>) permutation = [1, 0, 2]  loc(#loc4)
    %1 = tensor.empty() : tensor<4x16x48xf32> loc(#loc4)
    %2 = linalg.generic {indexing_maps = [#map, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%cst_7 : tensor<16x48xf32>) outs(%1 : tensor<4x16x48xf32>) {
    ^bb0(%in: f32 loc("self_attn"), %out: f32 loc("self_attn")):
      linalg.yield %in : f32 loc(#loc4)
    } -> tensor<4x16x48xf32> loc(#loc4)
    %3 = tensor.empty(%dim) : tensor<4x?x48xf32> loc(#loc4)
    %4 = linalg.fill ins(%cst : f32) outs(%3 : tensor<4x?x48xf32>) -> tensor<4x?x48xf32> loc(#loc4)
    %5 = linalg.batch_matmul ins(%transposed, %2 : tensor<4x?x16xf32>, tensor<4x16x48xf32>) outs(%4 : tensor<4x?x48xf32>) -> tensor<4x?x48xf32> loc(#loc4)
    %6 = linalg.generic {indexing_maps = [#map1, #map2, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%5, %cst_1 : tensor<4x?x48xf32>, tensor<48xf32>) outs(%3 : tensor<4x?x48xf32>) {
    ^bb0(%in: f32 loc("self_attn"), %in_39: f32 loc("self_attn"), %out: f32 loc("self_attn")):
      %102 = arith.addf %in, %in_39 : f32 loc(#loc4)
      linalg.yield %102 : f32 loc(#loc4)
    } -> tensor<4x?x48xf32> loc(#loc4)
    %expanded = tensor.expand_shape %6 [[0, 1], [2], [3, 4]] output_shape [1, 4, %dim, 3, 16] : tensor<4x?x48xf32> into tensor<1x4x?x3x16xf32> loc(#loc4)
    %7 = tensor.empty(%dim) : tensor<3x4x?x1x16xf32> loc(#loc4)
    %transposed_16 = linalg.transpose ins(%expanded : tensor<1x4x?x3x16xf32>) outs(%7 : tensor<3x4x?x1x16xf32>) permutation = [3, 1, 2, 0, 4]  loc(#loc4)
    %collapsed = tensor.collapse_shape %transposed_16 [[0], [1], [2, 3], [4]] : tensor<3x4x?x1x16xf32> into tensor<3x4x?x16xf32> loc(#loc4)
    %8 = tensor.empty(%dim) : tensor<1x4x?x16xf32> loc(#loc4)
    %9 = linalg.generic {indexing_maps = [#map3, #map4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%cst_15 : tensor<1xi64>) outs(%8 : tensor<1x4x?x16xf32>) {
    ^bb0(%in: i64 loc("self_attn"), %out: f32 loc("self_attn")):
      %102 = arith.index_cast %in : i64 to index loc(#loc4)
      %103 = linalg.index 1 : index loc(#loc4)
      %104 = linalg.index 2 : index loc(#loc4)
      %105 = linalg.index 3 : index loc(#loc4)
      %extracted = tensor.extract %collapsed[%102, %103, %104, %105] : tensor<3x4x?x16xf32> loc(#loc4)
      linalg.yield %extracted : f32 loc(#loc4)
    } -> tensor<1x4x?x16xf32> loc(#loc4)
    %10 = linalg.generic {indexing_maps = [#map3, #map4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%cst_14 : tensor<1xi64>) outs(%8 : tensor<1x4x?x16xf32>) {
    ^bb0(%in: i64 loc("self_attn"), %out: f32 loc("self_attn")):
      %102 = arith.index_cast %in : i64 to index loc(#loc4)
      %103 = linalg.index 1 : index loc(#loc4)
      %104 = linalg.index 2 : index loc(#loc4)
      %105 = linalg.index 3 : index loc(#loc4)
      %extracted = tensor.extract %collapsed[%102, %103, %104, %105] : tensor<3x4x?x16xf32> loc(#loc4)
      linalg.yield %extracted : f32 loc(#loc4)
    } -> tensor<1x4x?x16xf32> loc(#loc4)
    %11 = linalg.generic {indexing_maps = [#map3, #map4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%cst_13 : tensor<1xi64>) outs(%8 : tensor<1x4x?x16xf32>) {
    ^bb0(%in: i64 loc("self_attn"), %out: f32 loc("self_attn")):
      %102 = arith.index_cast %in : i64 to index loc(#loc4)
      %103 = linalg.index 1 : index loc(#loc4)
      %104 = linalg.index 2 : index loc(#loc4)
      %105 = linalg.index 3 : index loc(#loc4)
      %extracted = tensor.extract %collapsed[%102, %103, %104, %105] : tensor<3x4x?x16xf32> loc(#loc4)
      linalg.yield %extracted : f32 loc(#loc4)
    } -> tensor<1x4x?x16xf32> loc(#loc4)
    %collapsed_17 = tensor.collapse_shape %9 [[0, 1], [2, 3]] : tensor<1x4x?x16xf32> into tensor<4x?xf32> loc(#loc4)
    %12 = affine.apply #map5()[%dim] loc(#loc4)
    %13 = arith.divsi %12, %c8 : index loc(#loc4)
    %expanded_18 = tensor.expand_shape %collapsed_17 [[0], [1, 2]] output_shape [4, %13, 8] : tensor<4x?xf32> into tensor<4x?x8xf32> loc(#loc4)
    %14 = tensor.empty(%13) : tensor<?x4x8xf32> loc(#loc4)
    %transposed_19 = linalg.transpose ins(%expanded_18 : tensor<4x?x8xf32>) outs(%14 : tensor<?x4x8xf32>) permutation = [1, 0, 2]  loc(#loc4)
    %collapsed_20 = tensor.collapse_shape %10 [[0, 1], [2, 3]] : tensor<1x4x?x16xf32> into tensor<4x?xf32> loc(#loc4)
    %expanded_21 = tensor.expand_shape %collapsed_20 [[0], [1, 2]] output_shape [4, %13, 8] : tensor<4x?xf32> into tensor<4x?x8xf32> loc(#loc4)
    %collapsed_22 = tensor.collapse_shape %11 [[0, 1], [2, 3]] : tensor<1x4x?x16xf32> into tensor<4x?xf32> loc(#loc4)
    %expanded_23 = tensor.expand_shape %collapsed_22 [[0], [1, 2]] output_shape [4, %13, 8] : tensor<4x?xf32> into tensor<4x?x8xf32> loc(#loc4)
    %transposed_24 = linalg.transpose ins(%expanded_23 : tensor<4x?x8xf32>) outs(%14 : tensor<?x4x8xf32>) permutation = [1, 0, 2]  loc(#loc4)
    %15 = arith.divsi %13, %c2 : index loc(#loc4)
    %expanded_25 = tensor.expand_shape %transposed_19 [[0, 1], [2], [3]] output_shape [%15, 2, 4, 8] : tensor<?x4x8xf32> into tensor<?x2x4x8xf32> loc(#loc4)
    %16 = arith.index_cast %15 : index to i64 loc(#loc4)
    %17 = tensor.empty(%13) : tensor<?x8x4xf32> loc(#loc4)
    %transposed_26 = linalg.transpose ins(%expanded_21 : tensor<4x?x8xf32>) outs(%17 : tensor<?x8x4xf32>) permutation = [1, 2, 0]  loc(#loc4)
    %18 = arith.cmpi sgt, %16, %c0_i64 : i64 loc(#loc4)
    cf.assert %18, "Expected dim size > 0." loc(#loc4)
    %expanded_27 = tensor.expand_shape %transposed_26 [[0, 1], [2], [3]] output_shape [%15, 2, 8, 4] : tensor<?x8x4xf32> into tensor<?x2x8x4xf32> loc(#loc4)
    %19 = tensor.empty(%15) : tensor<?x2x4x8xf32> loc(#loc4)
    %20 = linalg.generic {indexing_maps = [#map4, #map6, #map4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%expanded_25, %cst_8 : tensor<?x2x4x8xf32>, tensor<1xf32>) outs(%19 : tensor<?x2x4x8xf32>) {
    ^bb0(%in: f32 loc("self_attn"), %in_39: f32 loc("self_attn"), %out: f32 loc("self_attn")):
      %102 = arith.mulf %in, %in_39 : f32 loc(#loc4)
      linalg.yield %102 : f32 loc(#loc4)
    } -> tensor<?x2x4x8xf32> loc(#loc4)
    %21 = tensor.empty(%15) : tensor<?x2x8x4xf32> loc(#loc4)
    %22 = linalg.generic {indexing_maps = [#map4, #map6, #map4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%expanded_27, %cst_8 : tensor<?x2x8x4xf32>, tensor<1xf32>) outs(%21 : tensor<?x2x8x4xf32>) {
    ^bb0(%in: f32 loc("self_attn"), %in_39: f32 loc("self_attn"), %out: f32 loc("self_attn")):
      %102 = arith.mulf %in, %in_39 : f32 loc(#loc4)
      linalg.yield %102 : f32 loc(#loc4)
    } -> tensor<?x2x8x4xf32> loc(#loc4)
    %collapsed_28 = tensor.collapse_shape %20 [[0, 1], [2], [3]] : tensor<?x2x4x8xf32> into tensor<?x4x8xf32> loc(#loc4)
    %collapsed_29 = tensor.collapse_shape %22 [[0, 1], [2], [3]] : tensor<?x2x8x4xf32> into tensor<?x8x4xf32> loc(#loc4)
    %23 = arith.muli %15, %c2 : index loc(#loc4)
    %24 = tensor.empty(%23) : tensor<?x4x4xf32> loc(#loc4)
    %25 = linalg.fill ins(%cst : f32) outs(%24 : tensor<?x4x4xf32>) -> tensor<?x4x4xf32> loc(#loc4)
    %26 = linalg.batch_matmul ins(%collapsed_28, %collapsed_29 : tensor<?x4x8xf32>, tensor<?x8x4xf32>) outs(%25 : tensor<?x4x4xf32>) -> tensor<?x4x4xf32> loc(#loc4)
    %27 = arith.divsi %23, %c2 : index loc(#loc4)
    %expanded_30 = tensor.expand_shape %26 [[0, 1], [2], [3]] output_shape [%27, 2, 4, 4] : tensor<?x4x4xf32> into tensor<?x2x4x4xf32> loc(#loc4)
    %28 = tensor.empty(%27) : tensor<?x2x4xi64> loc(#loc4)
    %29 = linalg.fill ins(%c0_i64 : i64) outs(%28 : tensor<?x2x4xi64>) -> tensor<?x2x4xi64> loc(#loc4)
    %30 = tensor.empty(%27) : tensor<?x2x4xf32> loc(#loc4)
    %31 = linalg.fill ins(%cst_0 : f32) outs(%30 : tensor<?x2x4xf32>) -> tensor<?x2x4xf32> loc(#loc4)
    %32:2 = linalg.generic {indexing_maps = [#map4, #map7, #map7], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%expanded_30 : tensor<?x2x4x4xf32>) outs(%31, %29 : tensor<?x2x4xf32>, tensor<?x2x4xi64>) {
    ^bb0(%in: f32 loc("self_attn"), %out: f32 loc("self_attn"), %out_39: i64 loc("self_attn")):
      %102 = linalg.index 3 : index loc(#loc4)
      %103 = arith.index_cast %102 : index to i64 loc(#loc4)
      %104 = arith.maximumf %in, %out : f32 loc(#loc4)
      %105 = arith.cmpf ogt, %in, %out : f32 loc(#loc4)
      %106 = arith.select %105, %103, %out_39 : i64 loc(#loc4)
      linalg.yield %104, %106 : f32, i64 loc(#loc4)
    } -> (tensor<?x2x4xf32>, tensor<?x2x4xi64>) loc(#loc4)
    %expanded_31 = tensor.expand_shape %32#0 [[0], [1], [2, 3]] output_shape [%27, 2, 4, 1] : tensor<?x2x4xf32> into tensor<?x2x4x1xf32> loc(#loc4)
    %33 = tensor.empty(%27) : tensor<?x2x4x4xf32> loc(#loc4)
    %34 = linalg.generic {indexing_maps = [#map4, #map8, #map4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%expanded_30, %expanded_31 : tensor<?x2x4x4xf32>, tensor<?x2x4x1xf32>) outs(%33 : tensor<?x2x4x4xf32>) {
    ^bb0(%in: f32 loc("self_attn"), %in_39: f32 loc("self_attn"), %out: f32 loc("self_attn")):
      %102 = arith.subf %in, %in_39 : f32 loc(#loc4)
      linalg.yield %102 : f32 loc(#loc4)
    } -> tensor<?x2x4x4xf32> loc(#loc4)
    %35 = linalg.generic {indexing_maps = [#map4, #map4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%34 : tensor<?x2x4x4xf32>) outs(%33 : tensor<?x2x4x4xf32>) {
    ^bb0(%in: f32 loc("self_attn"), %out: f32 loc("self_attn")):
      %102 = math.exp %in : f32 loc(#loc4)
      linalg.yield %102 : f32 loc(#loc4)
    } -> tensor<?x2x4x4xf32> loc(#loc4)
    %36 = tensor.empty(%27) : tensor<?x2x4x1xf32> loc(#loc4)
    %37 = linalg.fill ins(%cst : f32) outs(%36 : tensor<?x2x4x1xf32>) -> tensor<?x2x4x1xf32> loc(#loc4)
    %38 = linalg.generic {indexing_maps = [#map4, #map8], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%35 : tensor<?x2x4x4xf32>) outs(%37 : tensor<?x2x4x1xf32>) {
    ^bb0(%in: f32 loc("self_attn"), %out: f32 loc("self_attn")):
      %102 = arith.addf %in, %out : f32 loc(#loc4)
      linalg.yield %102 : f32 loc(#loc4)
    } -> tensor<?x2x4x1xf32> loc(#loc4)
    %39 = linalg.generic {indexing_maps = [#map4, #map8, #map4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%35, %38 : tensor<?x2x4x4xf32>, tensor<?x2x4x1xf32>) outs(%33 : tensor<?x2x4x4xf32>) {
    ^bb0(%in: f32 loc("self_attn"), %in_39: f32 loc("self_attn"), %out: f32 loc("self_attn")):
      %102 = arith.divf %in, %in_39 : f32 loc(#loc4)
      linalg.yield %102 : f32 loc(#loc4)
    } -> tensor<?x2x4x4xf32> loc(#loc4)
    %40 = arith.maxui %27, %15 : index loc(#loc4)
    %collapsed_32 = tensor.collapse_shape %39 [[0, 1], [2], [3]] : tensor<?x2x4x4xf32> into tensor<?x4x4xf32> loc(#loc4)
    %41 = arith.muli %40, %c2 : index loc(#loc4)
    %42 = tensor.empty(%41) : tensor<?x4x8xf32> loc(#loc4)
    %43 = linalg.fill ins(%cst : f32) outs(%42 : tensor<?x4x8xf32>) -> tensor<?x4x8xf32> loc(#loc4)
    %44 = linalg.batch_matmul ins(%collapsed_32, %transposed_24 : tensor<?x4x4xf32>, tensor<?x4x8xf32>) outs(%43 : tensor<?x4x8xf32>) -> tensor<?x4x8xf32> loc(#loc4)
    %45 = arith.divsi %41, %c2 : index loc(#loc4)
    %expanded_33 = tensor.expand_shape %44 [[0, 1], [2], [3]] output_shape [%45, 2, 4, 8] : tensor<?x4x8xf32> into tensor<?x2x4x8xf32> loc(#loc4)
    %46 = tensor.empty(%45) : tensor<4x?x2x8xf32> loc(#loc4)
    %transposed_34 = linalg.transpose ins(%expanded_33 : tensor<?x2x4x8xf32>) outs(%46 : tensor<4x?x2x8xf32>) permutation = [2, 0, 1, 3]  loc(#loc4)
    %collapsed_35 = tensor.collapse_shape %transposed_34 [[0, 1], [2, 3]] : tensor<4x?x2x8xf32> into tensor<?x16xf32> loc(#loc4)
    %47 = tensor.empty() : tensor<16x16xf32> loc(#loc4)
    %transposed_36 = linalg.transpose ins(%cst_2 : tensor<16x16xf32>) outs(%47 : tensor<16x16xf32>) permutation = [1, 0]  loc(#loc4)
    %48 = affine.apply #map9()[%45] loc(#loc4)
    %49 = tensor.empty(%48) : tensor<?x16xf32> loc(#loc4)
    %50 = linalg.fill ins(%cst : f32) outs(%49 : tensor<?x16xf32>) -> tensor<?x16xf32> loc(#loc4)
    %51 = linalg.matmul ins(%collapsed_35, %transposed_36 : tensor<?x16xf32>, tensor<16x16xf32>) outs(%50 : tensor<?x16xf32>) -> tensor<?x16xf32> loc(#loc4)
    %52 = arith.divsi %48, %c4 : index loc(#loc4)
    %expanded_37 = tensor.expand_shape %51 [[0, 1], [2]] output_shape [4, %52, 16] : tensor<?x16xf32> into tensor<4x?x16xf32> loc(#loc4)
    %53 = tensor.empty(%52) : tensor<?x4x16xf32> loc(#loc4)
    %transposed_38 = linalg.transpose ins(%expanded_37 : tensor<4x?x16xf32>) outs(%53 : tensor<?x4x16xf32>) permutation = [1, 0, 2]  loc(#loc4)
    %54 = arith.cmpi eq, %dim, %52 : index loc(#loc7)
    cf.assert %54, "mismatched size for broadcast" loc(#loc7)
    %55 = tensor.empty(%dim) : tensor<?x4x16xf32> loc(#loc7)
    %56 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg0, %transposed_38 : tensor<?x4x16xf32>, tensor<?x4x16xf32>) outs(%55 : tensor<?x4x16xf32>) {
    ^bb0(%in: f32 loc("self_attn"), %in_39: f32 loc("self_attn"), %out: f32 loc("node_add_110")):
      %102 = arith.addf %in, %in_39 : f32 loc(#loc7)
      linalg.yield %102 : f32 loc(#loc7)
    } -> tensor<?x4x16xf32> loc(#loc7)
    %57 = tensor.empty(%dim) : tensor<?x4x1xf32> loc(#loc3)
    %58 = linalg.fill ins(%cst : f32) outs(%57 : tensor<?x4x1xf32>) -> tensor<?x4x1xf32> loc(#loc3)
    %59 = linalg.generic {indexing_maps = [#map1, #map10], iterator_types = ["parallel", "parallel", "reduction"]} ins(%56 : tensor<?x4x16xf32>) outs(%58 : tensor<?x4x1xf32>) {
    ^bb0(%in: f32 loc("node_add_110"), %out: f32 loc("norm1")):
      %102 = arith.addf %in, %out : f32 loc(#loc3)
      linalg.yield %102 : f32 loc(#loc3)
    } -> tensor<?x4x1xf32> loc(#loc3)
    %60 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%59 : tensor<?x4x1xf32>) outs(%57 : tensor<?x4x1xf32>) {
    ^bb0(%in: f32 loc("norm1"), %out: f32 loc("norm1")):
      %102 = arith.divf %in, %cst_11 : f32 loc(#loc3)
      linalg.yield %102 : f32 loc(#loc3)
    } -> tensor<?x4x1xf32> loc(#loc3)
    %61 = arith.index_cast %dim : index to i64 loc(#loc3)
    %62 = arith.cmpi sge, %61, %c0_i64 : i64 loc(#loc3)
    cf.assert %62, "unimplemented: dynamic negative broadcast sizes" loc(#loc3)
    %63 = tensor.empty(%dim) : tensor<?x4x16xf32> loc(#loc3)
    %64 = linalg.generic {indexing_maps = [#map1], iterator_types = ["parallel", "parallel", "parallel"]} outs(%63 : tensor<?x4x16xf32>) {
    ^bb0(%out: f32 loc("norm1")):
      %102 = linalg.index 0 : index loc(#loc3)
      %103 = linalg.index 1 : index loc(#loc3)
      %104 = arith.cmpi eq, %dim, %c1 : index loc(#loc3)
      %105 = arith.select %104, %c0, %102 : index loc(#loc3)
      %extracted = tensor.extract %60[%105, %103, %c0] : tensor<?x4x1xf32> loc(#loc3)
      linalg.yield %extracted : f32 loc(#loc3)
    } -> tensor<?x4x16xf32> loc(#loc3)
    cf.assert %true, "mismatched size for broadcast" loc(#loc3)
    %65 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%56, %64 : tensor<?x4x16xf32>, tensor<?x4x16xf32>) outs(%55 : tensor<?x4x16xf32>) {
    ^bb0(%in: f32 loc("node_add_110"), %in_39: f32 loc("norm1"), %out: f32 loc("norm1")):
      %102 = arith.subf %in, %in_39 : f32 loc(#loc3)
      linalg.yield %102 : f32 loc(#loc3)
    } -> tensor<?x4x16xf32> loc(#loc3)
    %66 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%65, %65 : tensor<?x4x16xf32>, tensor<?x4x16xf32>) outs(%55 : tensor<?x4x16xf32>) {
    ^bb0(%in: f32 loc("norm1"), %in_39: f32 loc("norm1"), %out: f32 loc("norm1")):
      %102 = arith.mulf %in, %in_39 : f32 loc(#loc3)
      linalg.yield %102 : f32 loc(#loc3)
    } -> tensor<?x4x16xf32> loc(#loc3)
    %67 = linalg.generic {indexing_maps = [#map1, #map10], iterator_types = ["parallel", "parallel", "reduction"]} ins(%66 : tensor<?x4x16xf32>) outs(%58 : tensor<?x4x1xf32>) {
    ^bb0(%in: f32 loc("norm1"), %out: f32 loc("norm1")):
      %102 = arith.addf %in, %out : f32 loc(#loc3)
      linalg.yield %102 : f32 loc(#loc3)
    } -> tensor<?x4x1xf32> loc(#loc3)
    %68 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%67 : tensor<?x4x1xf32>) outs(%57 : tensor<?x4x1xf32>) {
    ^bb0(%in: f32 loc("norm1"), %out: f32 loc("norm1")):
      %102 = arith.divf %in, %cst_11 : f32 loc(#loc3)
      linalg.yield %102 : f32 loc(#loc3)
    } -> tensor<?x4x1xf32> loc(#loc3)
    %69 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%68 : tensor<?x4x1xf32>) outs(%57 : tensor<?x4x1xf32>) {
    ^bb0(%in: f32 loc("norm1"), %out: f32 loc("norm1")):
      %102 = arith.addf %in, %cst_12 : f32 loc(#loc3)
      linalg.yield %102 : f32 loc(#loc3)
    } -> tensor<?x4x1xf32> loc(#loc3)
    %70 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%69 : tensor<?x4x1xf32>) outs(%57 : tensor<?x4x1xf32>) {
    ^bb0(%in: f32 loc("norm1"), %out: f32 loc("norm1")):
      %102 = math.rsqrt %in : f32 loc(#loc3)
      linalg.yield %102 : f32 loc(#loc3)
    } -> tensor<?x4x1xf32> loc(#loc3)
    cf.assert %62, "unimplemented: dynamic negative broadcast sizes" loc(#loc3)
    %71 = linalg.generic {indexing_maps = [#map1], iterator_types = ["parallel", "parallel", "parallel"]} outs(%63 : tensor<?x4x16xf32>) {
    ^bb0(%out: f32 loc("norm1")):
      %102 = linalg.index 0 : index loc(#loc3)
      %103 = linalg.index 1 : index loc(#loc3)
      %104 = arith.cmpi eq, %dim, %c1 : index loc(#loc3)
      %105 = arith.select %104, %c0, %102 : index loc(#loc3)
      %extracted = tensor.extract %70[%105, %103, %c0] : tensor<?x4x1xf32> loc(#loc3)
      linalg.yield %extracted : f32 loc(#loc3)
    } -> tensor<?x4x16xf32> loc(#loc3)
    cf.assert %true, "mismatched size for broadcast" loc(#loc3)
    %72 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%65, %71 : tensor<?x4x16xf32>, tensor<?x4x16xf32>) outs(%55 : tensor<?x4x16xf32>) {
    ^bb0(%in: f32 loc("norm1"), %in_39: f32 loc("norm1"), %out: f32 loc("norm1")):
      %102 = arith.mulf %in, %in_39 : f32 loc(#loc3)
      linalg.yield %102 : f32 loc(#loc3)
    } -> tensor<?x4x16xf32> loc(#loc3)
    %73 = linalg.generic {indexing_maps = [#map1, #map2, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%72, %cst_5 : tensor<?x4x16xf32>, tensor<16xf32>) outs(%55 : tensor<?x4x16xf32>) {
    ^bb0(%in: f32 loc("norm1"), %in_39: f32 loc("norm1"), %out: f32 loc("norm1")):
      %102 = arith.mulf %in, %in_39 : f32 loc(#loc3)
      linalg.yield %102 : f32 loc(#loc3)
    } -> tensor<?x4x16xf32> loc(#loc3)
    %74 = linalg.generic {indexing_maps = [#map1, #map2, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%73, %cst_6 : tensor<?x4x16xf32>, tensor<16xf32>) outs(%55 : tensor<?x4x16xf32>) {
    ^bb0(%in: f32 loc("norm1"), %in_39: f32 loc("norm1"), %out: f32 loc("norm1")):
      %102 = arith.addf %in, %in_39 : f32 loc(#loc3)
      linalg.yield %102 : f32 loc(#loc3)
    } -> tensor<?x4x16xf32> loc(#loc3)
    %75 = arith.cmpi sge, %61, %c0_i64 : i64 loc(#loc5)
    cf.assert %75, "negative values not allowed in new dimensions" loc(#loc5)
    %76 = tensor.empty(%dim) : tensor<?x16x32xf32> loc(#loc5)
    %77 = linalg.generic {indexing_maps = [#map, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%cst_9 : tensor<16x32xf32>) outs(%76 : tensor<?x16x32xf32>) {
    ^bb0(%in: f32 loc("linear1"), %out: f32 loc("linear1")):
      linalg.yield %in : f32 loc(#loc5)
    } -> tensor<?x16x32xf32> loc(#loc5)
    %78 = tensor.empty(%dim) : tensor<?x4x32xf32> loc(#loc5)
    %79 = linalg.fill ins(%cst : f32) outs(%78 : tensor<?x4x32xf32>) -> tensor<?x4x32xf32> loc(#loc5)
    %80 = linalg.batch_matmul ins(%74, %77 : tensor<?x4x16xf32>, tensor<?x16x32xf32>) outs(%79 : tensor<?x4x32xf32>) -> tensor<?x4x32xf32> loc(#loc5)
    %81 = linalg.generic {indexing_maps = [#map1, #map2, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%80, %cst_3 : tensor<?x4x32xf32>, tensor<32xf32>) outs(%78 : tensor<?x4x32xf32>) {
    ^bb0(%in: f32 loc("linear1"), %in_39: f32 loc("linear1"), %out: f32 loc("linear1")):
      %102 = arith.addf %in, %in_39 : f32 loc(#loc5)
      linalg.yield %102 : f32 loc(#loc5)
    } -> tensor<?x4x32xf32> loc(#loc5)
    %82 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%81 : tensor<?x4x32xf32>) outs(%78 : tensor<?x4x32xf32>) {
    ^bb0(%in: f32 loc("linear1"), %out: f32 loc("node_relu")):
      %102 = arith.cmpf ugt, %in, %cst : f32 loc(#loc8)
      %103 = arith.select %102, %in, %cst : f32 loc(#loc8)
      linalg.yield %103 : f32 loc(#loc8)
    } -> tensor<?x4x32xf32> loc(#loc8)
    cf.assert %75, "negative values not allowed in new dimensions" loc(#loc6)
    %83 = tensor.empty(%dim) : tensor<?x32x16xf32> loc(#loc6)
    %84 = linalg.generic {indexing_maps = [#map, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%cst_10 : tensor<32x16xf32>) outs(%83 : tensor<?x32x16xf32>) {
    ^bb0(%in: f32 loc("linear2"), %out: f32 loc("linear2")):
      linalg.yield %in : f32 loc(#loc6)
    } -> tensor<?x32x16xf32> loc(#loc6)
    %85 = linalg.fill ins(%cst : f32) outs(%55 : tensor<?x4x16xf32>) -> tensor<?x4x16xf32> loc(#loc6)
    %86 = linalg.batch_matmul ins(%82, %84 : tensor<?x4x32xf32>, tensor<?x32x16xf32>) outs(%85 : tensor<?x4x16xf32>) -> tensor<?x4x16xf32> loc(#loc6)
    %87 = linalg.generic {indexing_maps = [#map1, #map2, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%86, %cst_4 : tensor<?x4x16xf32>, tensor<16xf32>) outs(%55 : tensor<?x4x16xf32>) {
    ^bb0(%in: f32 loc("linear2"), %in_39: f32 loc("linear2"), %out: f32 loc("linear2")):
      %102 = arith.addf %in, %in_39 : f32 loc(#loc6)
      linalg.yield %102 : f32 loc(#loc6)
    } -> tensor<?x4x16xf32> loc(#loc6)
    %88 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%74, %87 : tensor<?x4x16xf32>, tensor<?x4x16xf32>) outs(%55 : tensor<?x4x16xf32>) {
    ^bb0(%in: f32 loc("norm1"), %in_39: f32 loc("linear2"), %out: f32 loc("node_add_139")):
      %102 = arith.addf %in, %in_39 : f32 loc(#loc9)
      linalg.yield %102 : f32 loc(#loc9)
    } -> tensor<?x4x16xf32> loc(#loc9)
    %89 = linalg.generic {indexing_maps = [#map1, #map10], iterator_types = ["parallel", "parallel", "reduction"]} ins(%88 : tensor<?x4x16xf32>) outs(%58 : tensor<?x4x1xf32>) {
    ^bb0(%in: f32 loc("node_add_139"), %out: f32 loc("norm2")):
      %102 = arith.addf %in, %out : f32 loc(#loc10)
      linalg.yield %102 : f32 loc(#loc10)
    } -> tensor<?x4x1xf32> loc(#loc10)
    %90 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%89 : tensor<?x4x1xf32>) outs(%57 : tensor<?x4x1xf32>) {
    ^bb0(%in: f32 loc("norm2"), %out: f32 loc("norm2")):
      %102 = arith.divf %in, %cst_11 : f32 loc(#loc10)
      linalg.yield %102 : f32 loc(#loc10)
    } -> tensor<?x4x1xf32> loc(#loc10)
    cf.assert %62, "unimplemented: dynamic negative broadcast sizes" loc(#loc10)
    %91 = linalg.generic {indexing_maps = [#map1], iterator_types = ["parallel", "parallel", "parallel"]} outs(%63 : tensor<?x4x16xf32>) {
    ^bb0(%out: f32 loc("norm2")):
      %102 = linalg.index 0 : index loc(#loc10)
      %103 = linalg.index 1 : index loc(#loc10)
      %104 = arith.cmpi eq, %dim, %c1 : index loc(#loc10)
      %105 = arith.select %104, %c0, %102 : index loc(#loc10)
      %extracted = tensor.extract %90[%105, %103, %c0] : tensor<?x4x1xf32> loc(#loc10)
      linalg.yield %extracted : f32 loc(#loc10)
    } -> tensor<?x4x16xf32> loc(#loc10)
    cf.assert %true, "mismatched size for broadcast" loc(#loc10)
    %92 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%88, %91 : tensor<?x4x16xf32>, tensor<?x4x16xf32>) outs(%55 : tensor<?x4x16xf32>) {
    ^bb0(%in: f32 loc("node_add_139"), %in_39: f32 loc("norm2"), %out: f32 loc("norm2")):
      %102 = arith.subf %in, %in_39 : f32 loc(#loc10)
      linalg.yield %102 : f32 loc(#loc10)
    } -> tensor<?x4x16xf32> loc(#loc10)
    %93 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%92, %92 : tensor<?x4x16xf32>, tensor<?x4x16xf32>) outs(%55 : tensor<?x4x16xf32>) {
    ^bb0(%in: f32 loc("norm2"), %in_39: f32 loc("norm2"), %out: f32 loc("norm2")):
      %102 = arith.mulf %in, %in_39 : f32 loc(#loc10)
      linalg.yield %102 : f32 loc(#loc10)
    } -> tensor<?x4x16xf32> loc(#loc10)
    %94 = linalg.generic {indexing_maps = [#map1, #map10], iterator_types = ["parallel", "parallel", "reduction"]} ins(%93 : tensor<?x4x16xf32>) outs(%58 : tensor<?x4x1xf32>) {
    ^bb0(%in: f32 loc("norm2"), %out: f32 loc("norm2")):
      %102 = arith.addf %in, %out : f32 loc(#loc10)
      linalg.yield %102 : f32 loc(#loc10)
    } -> tensor<?x4x1xf32> loc(#loc10)
    %95 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%94 : tensor<?x4x1xf32>) outs(%57 : tensor<?x4x1xf32>) {
    ^bb0(%in: f32 loc("norm2"), %out: f32 loc("norm2")):
      %102 = arith.divf %in, %cst_11 : f32 loc(#loc10)
      linalg.yield %102 : f32 loc(#loc10)
    } -> tensor<?x4x1xf32> loc(#loc10)
    %96 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%95 : tensor<?x4x1xf32>) outs(%57 : tensor<?x4x1xf32>) {
    ^bb0(%in: f32 loc("norm2"), %out: f32 loc("norm2")):
      %102 = arith.addf %in, %cst_12 : f32 loc(#loc10)
      linalg.yield %102 : f32 loc(#loc10)
    } -> tensor<?x4x1xf32> loc(#loc10)
    %97 = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%96 : tensor<?x4x1xf32>) outs(%57 : tensor<?x4x1xf32>) {
    ^bb0(%in: f32 loc("norm2"), %out: f32 loc("norm2")):
      %102 = math.rsqrt %in : f32 loc(#loc10)
      linalg.yield %102 : f32 loc(#loc10)
    } -> tensor<?x4x1xf32> loc(#loc10)
    cf.assert %62, "unimplemented: dynamic negative broadcast sizes" loc(#loc10)
    %98 = linalg.generic {indexing_maps = [#map1], iterator_types = ["parallel", "parallel", "parallel"]} outs(%63 : tensor<?x4x16xf32>) {
    ^bb0(%out: f32 loc("norm2")):
      %102 = linalg.index 0 : index loc(#loc10)
      %103 = linalg.index 1 : index loc(#loc10)
      %104 = arith.cmpi eq, %dim, %c1 : index loc(#loc10)
      %105 = arith.select %104, %c0, %102 : index loc(#loc10)
      %extracted = tensor.extract %97[%105, %103, %c0] : tensor<?x4x1xf32> loc(#loc10)
      linalg.yield %extracted : f32 loc(#loc10)
    } -> tensor<?x4x16xf32> loc(#loc10)
    cf.assert %true, "mismatched size for broadcast" loc(#loc10)
    %99 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%92, %98 : tensor<?x4x16xf32>, tensor<?x4x16xf32>) outs(%55 : tensor<?x4x16xf32>) {
    ^bb0(%in: f32 loc("norm2"), %in_39: f32 loc("norm2"), %out: f32 loc("norm2")):
      %102 = arith.mulf %in, %in_39 : f32 loc(#loc10)
      linalg.yield %102 : f32 loc(#loc10)
    } -> tensor<?x4x16xf32> loc(#loc10)
    %100 = linalg.generic {indexing_maps = [#map1, #map2, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%99, %cst_5 : tensor<?x4x16xf32>, tensor<16xf32>) outs(%55 : tensor<?x4x16xf32>) {
    ^bb0(%in: f32 loc("norm2"), %in_39: f32 loc("norm1"), %out: f32 loc("norm2")):
      %102 = arith.mulf %in, %in_39 : f32 loc(#loc10)
      linalg.yield %102 : f32 loc(#loc10)
    } -> tensor<?x4x16xf32> loc(#loc10)
    %101 = linalg.generic {indexing_maps = [#map1, #map2, #map1], iterator_types = ["parallel", "parallel", "parallel"]} ins(%100, %cst_6 : tensor<?x4x16xf32>, tensor<16xf32>) outs(%55 : tensor<?x4x16xf32>) {
    ^bb0(%in: f32 loc("norm2"), %in_39: f32 loc("norm1"), %out: f32 loc("norm2")):
      %102 = arith.addf %in, %in_39 : f32 loc(#loc10)
      linalg.yield %102 : f32 loc(#loc10)
    } -> tensor<?x4x16xf32> loc(#loc10)
    return %101 : tensor<?x4x16xf32> loc(#loc)
  } loc(#loc1)
} loc(#loc)
#loc = loc(unknown)
#loc1 = loc("graph:main_graph")
