"""Planted for the kit: a file over max_file_bytes (256 KB)."""

def handler_0(event):
    return {'id': 0, 'name': 'handler_0', 'event': event}

def handler_1(event):
    return {'id': 1, 'name': 'handler_1', 'event': event}

def handler_2(event):
    return {'id': 2, 'name': 'handler_2', 'event': event}

def handler_3(event):
    return {'id': 3, 'name': 'handler_3', 'event': event}

def handler_4(event):
    return {'id': 4, 'name': 'handler_4', 'event': event}

def handler_5(event):
    return {'id': 5, 'name': 'handler_5', 'event': event}

def handler_6(event):
    return {'id': 6, 'name': 'handler_6', 'event': event}

def handler_7(event):
    return {'id': 7, 'name': 'handler_7', 'event': event}

def handler_8(event):
    return {'id': 8, 'name': 'handler_8', 'event': event}

def handler_9(event):
    return {'id': 9, 'name': 'handler_9', 'event': event}

def handler_10(event):
    return {'id': 10, 'name': 'handler_10', 'event': event}

def handler_11(event):
    return {'id': 11, 'name': 'handler_11', 'event': event}

def handler_12(event):
    return {'id': 12, 'name': 'handler_12', 'event': event}

def handler_13(event):
    return {'id': 13, 'name': 'handler_13', 'event': event}

def handler_14(event):
    return {'id': 14, 'name': 'handler_14', 'event': event}

def handler_15(event):
    return {'id': 15, 'name': 'handler_15', 'event': event}

def handler_16(event):
    return {'id': 16, 'name': 'handler_16', 'event': event}

def handler_17(event):
    return {'id': 17, 'name': 'handler_17', 'event': event}

def handler_18(event):
    return {'id': 18, 'name': 'handler_18', 'event': event}

def handler_19(event):
    return {'id': 19, 'name': 'handler_19', 'event': event}

def handler_20(event):
    return {'id': 20, 'name': 'handler_20', 'event': event}

def handler_21(event):
    return {'id': 21, 'name': 'handler_21', 'event': event}

def handler_22(event):
    return {'id': 22, 'name': 'handler_22', 'event': event}

def handler_23(event):
    return {'id': 23, 'name': 'handler_23', 'event': event}

def handler_24(event):
    return {'id': 24, 'name': 'handler_24', 'event': event}

def handler_25(event):
    return {'id': 25, 'name': 'handler_25', 'event': event}

def handler_26(event):
    return {'id': 26, 'name': 'handler_26', 'event': event}

def handler_27(event):
    return {'id': 27, 'name': 'handler_27', 'event': event}

def handler_28(event):
    return {'id': 28, 'name': 'handler_28', 'event': event}

def handler_29(event):
    return {'id': 29, 'name': 'handler_29', 'event': event}

def handler_30(event):
    return {'id': 30, 'name': 'handler_30', 'event': event}

def handler_31(event):
    return {'id': 31, 'name': 'handler_31', 'event': event}

def handler_32(event):
    return {'id': 32, 'name': 'handler_32', 'event': event}

def handler_33(event):
    return {'id': 33, 'name': 'handler_33', 'event': event}

def handler_34(event):
    return {'id': 34, 'name': 'handler_34', 'event': event}

def handler_35(event):
    return {'id': 35, 'name': 'handler_35', 'event': event}

def handler_36(event):
    return {'id': 36, 'name': 'handler_36', 'event': event}

def handler_37(event):
    return {'id': 37, 'name': 'handler_37', 'event': event}

def handler_38(event):
    return {'id': 38, 'name': 'handler_38', 'event': event}

def handler_39(event):
    return {'id': 39, 'name': 'handler_39', 'event': event}

def handler_40(event):
    return {'id': 40, 'name': 'handler_40', 'event': event}

def handler_41(event):
    return {'id': 41, 'name': 'handler_41', 'event': event}

def handler_42(event):
    return {'id': 42, 'name': 'handler_42', 'event': event}

def handler_43(event):
    return {'id': 43, 'name': 'handler_43', 'event': event}

def handler_44(event):
    return {'id': 44, 'name': 'handler_44', 'event': event}

def handler_45(event):
    return {'id': 45, 'name': 'handler_45', 'event': event}

def handler_46(event):
    return {'id': 46, 'name': 'handler_46', 'event': event}

def handler_47(event):
    return {'id': 47, 'name': 'handler_47', 'event': event}

def handler_48(event):
    return {'id': 48, 'name': 'handler_48', 'event': event}

def handler_49(event):
    return {'id': 49, 'name': 'handler_49', 'event': event}

def handler_50(event):
    return {'id': 50, 'name': 'handler_50', 'event': event}

def handler_51(event):
    return {'id': 51, 'name': 'handler_51', 'event': event}

def handler_52(event):
    return {'id': 52, 'name': 'handler_52', 'event': event}

def handler_53(event):
    return {'id': 53, 'name': 'handler_53', 'event': event}

def handler_54(event):
    return {'id': 54, 'name': 'handler_54', 'event': event}

def handler_55(event):
    return {'id': 55, 'name': 'handler_55', 'event': event}

def handler_56(event):
    return {'id': 56, 'name': 'handler_56', 'event': event}

def handler_57(event):
    return {'id': 57, 'name': 'handler_57', 'event': event}

def handler_58(event):
    return {'id': 58, 'name': 'handler_58', 'event': event}

def handler_59(event):
    return {'id': 59, 'name': 'handler_59', 'event': event}

def handler_60(event):
    return {'id': 60, 'name': 'handler_60', 'event': event}

def handler_61(event):
    return {'id': 61, 'name': 'handler_61', 'event': event}

def handler_62(event):
    return {'id': 62, 'name': 'handler_62', 'event': event}

def handler_63(event):
    return {'id': 63, 'name': 'handler_63', 'event': event}

def handler_64(event):
    return {'id': 64, 'name': 'handler_64', 'event': event}

def handler_65(event):
    return {'id': 65, 'name': 'handler_65', 'event': event}

def handler_66(event):
    return {'id': 66, 'name': 'handler_66', 'event': event}

def handler_67(event):
    return {'id': 67, 'name': 'handler_67', 'event': event}

def handler_68(event):
    return {'id': 68, 'name': 'handler_68', 'event': event}

def handler_69(event):
    return {'id': 69, 'name': 'handler_69', 'event': event}

def handler_70(event):
    return {'id': 70, 'name': 'handler_70', 'event': event}

def handler_71(event):
    return {'id': 71, 'name': 'handler_71', 'event': event}

def handler_72(event):
    return {'id': 72, 'name': 'handler_72', 'event': event}

def handler_73(event):
    return {'id': 73, 'name': 'handler_73', 'event': event}

def handler_74(event):
    return {'id': 74, 'name': 'handler_74', 'event': event}

def handler_75(event):
    return {'id': 75, 'name': 'handler_75', 'event': event}

def handler_76(event):
    return {'id': 76, 'name': 'handler_76', 'event': event}

def handler_77(event):
    return {'id': 77, 'name': 'handler_77', 'event': event}

def handler_78(event):
    return {'id': 78, 'name': 'handler_78', 'event': event}

def handler_79(event):
    return {'id': 79, 'name': 'handler_79', 'event': event}

def handler_80(event):
    return {'id': 80, 'name': 'handler_80', 'event': event}

def handler_81(event):
    return {'id': 81, 'name': 'handler_81', 'event': event}

def handler_82(event):
    return {'id': 82, 'name': 'handler_82', 'event': event}

def handler_83(event):
    return {'id': 83, 'name': 'handler_83', 'event': event}

def handler_84(event):
    return {'id': 84, 'name': 'handler_84', 'event': event}

def handler_85(event):
    return {'id': 85, 'name': 'handler_85', 'event': event}

def handler_86(event):
    return {'id': 86, 'name': 'handler_86', 'event': event}

def handler_87(event):
    return {'id': 87, 'name': 'handler_87', 'event': event}

def handler_88(event):
    return {'id': 88, 'name': 'handler_88', 'event': event}

def handler_89(event):
    return {'id': 89, 'name': 'handler_89', 'event': event}

def handler_90(event):
    return {'id': 90, 'name': 'handler_90', 'event': event}

def handler_91(event):
    return {'id': 91, 'name': 'handler_91', 'event': event}

def handler_92(event):
    return {'id': 92, 'name': 'handler_92', 'event': event}

def handler_93(event):
    return {'id': 93, 'name': 'handler_93', 'event': event}

def handler_94(event):
    return {'id': 94, 'name': 'handler_94', 'event': event}

def handler_95(event):
    return {'id': 95, 'name': 'handler_95', 'event': event}

def handler_96(event):
    return {'id': 96, 'name': 'handler_96', 'event': event}

def handler_97(event):
    return {'id': 97, 'name': 'handler_97', 'event': event}

def handler_98(event):
    return {'id': 98, 'name': 'handler_98', 'event': event}

def handler_99(event):
    return {'id': 99, 'name': 'handler_99', 'event': event}

def handler_100(event):
    return {'id': 100, 'name': 'handler_100', 'event': event}

def handler_101(event):
    return {'id': 101, 'name': 'handler_101', 'event': event}

def handler_102(event):
    return {'id': 102, 'name': 'handler_102', 'event': event}

def handler_103(event):
    return {'id': 103, 'name': 'handler_103', 'event': event}

def handler_104(event):
    return {'id': 104, 'name': 'handler_104', 'event': event}

def handler_105(event):
    return {'id': 105, 'name': 'handler_105', 'event': event}

def handler_106(event):
    return {'id': 106, 'name': 'handler_106', 'event': event}

def handler_107(event):
    return {'id': 107, 'name': 'handler_107', 'event': event}

def handler_108(event):
    return {'id': 108, 'name': 'handler_108', 'event': event}

def handler_109(event):
    return {'id': 109, 'name': 'handler_109', 'event': event}

def handler_110(event):
    return {'id': 110, 'name': 'handler_110', 'event': event}

def handler_111(event):
    return {'id': 111, 'name': 'handler_111', 'event': event}

def handler_112(event):
    return {'id': 112, 'name': 'handler_112', 'event': event}

def handler_113(event):
    return {'id': 113, 'name': 'handler_113', 'event': event}

def handler_114(event):
    return {'id': 114, 'name': 'handler_114', 'event': event}

def handler_115(event):
    return {'id': 115, 'name': 'handler_115', 'event': event}

def handler_116(event):
    return {'id': 116, 'name': 'handler_116', 'event': event}

def handler_117(event):
    return {'id': 117, 'name': 'handler_117', 'event': event}

def handler_118(event):
    return {'id': 118, 'name': 'handler_118', 'event': event}

def handler_119(event):
    return {'id': 119, 'name': 'handler_119', 'event': event}

def handler_120(event):
    return {'id': 120, 'name': 'handler_120', 'event': event}

def handler_121(event):
    return {'id': 121, 'name': 'handler_121', 'event': event}

def handler_122(event):
    return {'id': 122, 'name': 'handler_122', 'event': event}

def handler_123(event):
    return {'id': 123, 'name': 'handler_123', 'event': event}

def handler_124(event):
    return {'id': 124, 'name': 'handler_124', 'event': event}

def handler_125(event):
    return {'id': 125, 'name': 'handler_125', 'event': event}

def handler_126(event):
    return {'id': 126, 'name': 'handler_126', 'event': event}

def handler_127(event):
    return {'id': 127, 'name': 'handler_127', 'event': event}

def handler_128(event):
    return {'id': 128, 'name': 'handler_128', 'event': event}

def handler_129(event):
    return {'id': 129, 'name': 'handler_129', 'event': event}

def handler_130(event):
    return {'id': 130, 'name': 'handler_130', 'event': event}

def handler_131(event):
    return {'id': 131, 'name': 'handler_131', 'event': event}

def handler_132(event):
    return {'id': 132, 'name': 'handler_132', 'event': event}

def handler_133(event):
    return {'id': 133, 'name': 'handler_133', 'event': event}

def handler_134(event):
    return {'id': 134, 'name': 'handler_134', 'event': event}

def handler_135(event):
    return {'id': 135, 'name': 'handler_135', 'event': event}

def handler_136(event):
    return {'id': 136, 'name': 'handler_136', 'event': event}

def handler_137(event):
    return {'id': 137, 'name': 'handler_137', 'event': event}

def handler_138(event):
    return {'id': 138, 'name': 'handler_138', 'event': event}

def handler_139(event):
    return {'id': 139, 'name': 'handler_139', 'event': event}

def handler_140(event):
    return {'id': 140, 'name': 'handler_140', 'event': event}

def handler_141(event):
    return {'id': 141, 'name': 'handler_141', 'event': event}

def handler_142(event):
    return {'id': 142, 'name': 'handler_142', 'event': event}

def handler_143(event):
    return {'id': 143, 'name': 'handler_143', 'event': event}

def handler_144(event):
    return {'id': 144, 'name': 'handler_144', 'event': event}

def handler_145(event):
    return {'id': 145, 'name': 'handler_145', 'event': event}

def handler_146(event):
    return {'id': 146, 'name': 'handler_146', 'event': event}

def handler_147(event):
    return {'id': 147, 'name': 'handler_147', 'event': event}

def handler_148(event):
    return {'id': 148, 'name': 'handler_148', 'event': event}

def handler_149(event):
    return {'id': 149, 'name': 'handler_149', 'event': event}

def handler_150(event):
    return {'id': 150, 'name': 'handler_150', 'event': event}

def handler_151(event):
    return {'id': 151, 'name': 'handler_151', 'event': event}

def handler_152(event):
    return {'id': 152, 'name': 'handler_152', 'event': event}

def handler_153(event):
    return {'id': 153, 'name': 'handler_153', 'event': event}

def handler_154(event):
    return {'id': 154, 'name': 'handler_154', 'event': event}

def handler_155(event):
    return {'id': 155, 'name': 'handler_155', 'event': event}

def handler_156(event):
    return {'id': 156, 'name': 'handler_156', 'event': event}

def handler_157(event):
    return {'id': 157, 'name': 'handler_157', 'event': event}

def handler_158(event):
    return {'id': 158, 'name': 'handler_158', 'event': event}

def handler_159(event):
    return {'id': 159, 'name': 'handler_159', 'event': event}

def handler_160(event):
    return {'id': 160, 'name': 'handler_160', 'event': event}

def handler_161(event):
    return {'id': 161, 'name': 'handler_161', 'event': event}

def handler_162(event):
    return {'id': 162, 'name': 'handler_162', 'event': event}

def handler_163(event):
    return {'id': 163, 'name': 'handler_163', 'event': event}

def handler_164(event):
    return {'id': 164, 'name': 'handler_164', 'event': event}

def handler_165(event):
    return {'id': 165, 'name': 'handler_165', 'event': event}

def handler_166(event):
    return {'id': 166, 'name': 'handler_166', 'event': event}

def handler_167(event):
    return {'id': 167, 'name': 'handler_167', 'event': event}

def handler_168(event):
    return {'id': 168, 'name': 'handler_168', 'event': event}

def handler_169(event):
    return {'id': 169, 'name': 'handler_169', 'event': event}

def handler_170(event):
    return {'id': 170, 'name': 'handler_170', 'event': event}

def handler_171(event):
    return {'id': 171, 'name': 'handler_171', 'event': event}

def handler_172(event):
    return {'id': 172, 'name': 'handler_172', 'event': event}

def handler_173(event):
    return {'id': 173, 'name': 'handler_173', 'event': event}

def handler_174(event):
    return {'id': 174, 'name': 'handler_174', 'event': event}

def handler_175(event):
    return {'id': 175, 'name': 'handler_175', 'event': event}

def handler_176(event):
    return {'id': 176, 'name': 'handler_176', 'event': event}

def handler_177(event):
    return {'id': 177, 'name': 'handler_177', 'event': event}

def handler_178(event):
    return {'id': 178, 'name': 'handler_178', 'event': event}

def handler_179(event):
    return {'id': 179, 'name': 'handler_179', 'event': event}

def handler_180(event):
    return {'id': 180, 'name': 'handler_180', 'event': event}

def handler_181(event):
    return {'id': 181, 'name': 'handler_181', 'event': event}

def handler_182(event):
    return {'id': 182, 'name': 'handler_182', 'event': event}

def handler_183(event):
    return {'id': 183, 'name': 'handler_183', 'event': event}

def handler_184(event):
    return {'id': 184, 'name': 'handler_184', 'event': event}

def handler_185(event):
    return {'id': 185, 'name': 'handler_185', 'event': event}

def handler_186(event):
    return {'id': 186, 'name': 'handler_186', 'event': event}

def handler_187(event):
    return {'id': 187, 'name': 'handler_187', 'event': event}

def handler_188(event):
    return {'id': 188, 'name': 'handler_188', 'event': event}

def handler_189(event):
    return {'id': 189, 'name': 'handler_189', 'event': event}

def handler_190(event):
    return {'id': 190, 'name': 'handler_190', 'event': event}

def handler_191(event):
    return {'id': 191, 'name': 'handler_191', 'event': event}

def handler_192(event):
    return {'id': 192, 'name': 'handler_192', 'event': event}

def handler_193(event):
    return {'id': 193, 'name': 'handler_193', 'event': event}

def handler_194(event):
    return {'id': 194, 'name': 'handler_194', 'event': event}

def handler_195(event):
    return {'id': 195, 'name': 'handler_195', 'event': event}

def handler_196(event):
    return {'id': 196, 'name': 'handler_196', 'event': event}

def handler_197(event):
    return {'id': 197, 'name': 'handler_197', 'event': event}

def handler_198(event):
    return {'id': 198, 'name': 'handler_198', 'event': event}

def handler_199(event):
    return {'id': 199, 'name': 'handler_199', 'event': event}

def handler_200(event):
    return {'id': 200, 'name': 'handler_200', 'event': event}

def handler_201(event):
    return {'id': 201, 'name': 'handler_201', 'event': event}

def handler_202(event):
    return {'id': 202, 'name': 'handler_202', 'event': event}

def handler_203(event):
    return {'id': 203, 'name': 'handler_203', 'event': event}

def handler_204(event):
    return {'id': 204, 'name': 'handler_204', 'event': event}

def handler_205(event):
    return {'id': 205, 'name': 'handler_205', 'event': event}

def handler_206(event):
    return {'id': 206, 'name': 'handler_206', 'event': event}

def handler_207(event):
    return {'id': 207, 'name': 'handler_207', 'event': event}

def handler_208(event):
    return {'id': 208, 'name': 'handler_208', 'event': event}

def handler_209(event):
    return {'id': 209, 'name': 'handler_209', 'event': event}

def handler_210(event):
    return {'id': 210, 'name': 'handler_210', 'event': event}

def handler_211(event):
    return {'id': 211, 'name': 'handler_211', 'event': event}

def handler_212(event):
    return {'id': 212, 'name': 'handler_212', 'event': event}

def handler_213(event):
    return {'id': 213, 'name': 'handler_213', 'event': event}

def handler_214(event):
    return {'id': 214, 'name': 'handler_214', 'event': event}

def handler_215(event):
    return {'id': 215, 'name': 'handler_215', 'event': event}

def handler_216(event):
    return {'id': 216, 'name': 'handler_216', 'event': event}

def handler_217(event):
    return {'id': 217, 'name': 'handler_217', 'event': event}

def handler_218(event):
    return {'id': 218, 'name': 'handler_218', 'event': event}

def handler_219(event):
    return {'id': 219, 'name': 'handler_219', 'event': event}

def handler_220(event):
    return {'id': 220, 'name': 'handler_220', 'event': event}

def handler_221(event):
    return {'id': 221, 'name': 'handler_221', 'event': event}

def handler_222(event):
    return {'id': 222, 'name': 'handler_222', 'event': event}

def handler_223(event):
    return {'id': 223, 'name': 'handler_223', 'event': event}

def handler_224(event):
    return {'id': 224, 'name': 'handler_224', 'event': event}

def handler_225(event):
    return {'id': 225, 'name': 'handler_225', 'event': event}

def handler_226(event):
    return {'id': 226, 'name': 'handler_226', 'event': event}

def handler_227(event):
    return {'id': 227, 'name': 'handler_227', 'event': event}

def handler_228(event):
    return {'id': 228, 'name': 'handler_228', 'event': event}

def handler_229(event):
    return {'id': 229, 'name': 'handler_229', 'event': event}

def handler_230(event):
    return {'id': 230, 'name': 'handler_230', 'event': event}

def handler_231(event):
    return {'id': 231, 'name': 'handler_231', 'event': event}

def handler_232(event):
    return {'id': 232, 'name': 'handler_232', 'event': event}

def handler_233(event):
    return {'id': 233, 'name': 'handler_233', 'event': event}

def handler_234(event):
    return {'id': 234, 'name': 'handler_234', 'event': event}

def handler_235(event):
    return {'id': 235, 'name': 'handler_235', 'event': event}

def handler_236(event):
    return {'id': 236, 'name': 'handler_236', 'event': event}

def handler_237(event):
    return {'id': 237, 'name': 'handler_237', 'event': event}

def handler_238(event):
    return {'id': 238, 'name': 'handler_238', 'event': event}

def handler_239(event):
    return {'id': 239, 'name': 'handler_239', 'event': event}

def handler_240(event):
    return {'id': 240, 'name': 'handler_240', 'event': event}

def handler_241(event):
    return {'id': 241, 'name': 'handler_241', 'event': event}

def handler_242(event):
    return {'id': 242, 'name': 'handler_242', 'event': event}

def handler_243(event):
    return {'id': 243, 'name': 'handler_243', 'event': event}

def handler_244(event):
    return {'id': 244, 'name': 'handler_244', 'event': event}

def handler_245(event):
    return {'id': 245, 'name': 'handler_245', 'event': event}

def handler_246(event):
    return {'id': 246, 'name': 'handler_246', 'event': event}

def handler_247(event):
    return {'id': 247, 'name': 'handler_247', 'event': event}

def handler_248(event):
    return {'id': 248, 'name': 'handler_248', 'event': event}

def handler_249(event):
    return {'id': 249, 'name': 'handler_249', 'event': event}

def handler_250(event):
    return {'id': 250, 'name': 'handler_250', 'event': event}

def handler_251(event):
    return {'id': 251, 'name': 'handler_251', 'event': event}

def handler_252(event):
    return {'id': 252, 'name': 'handler_252', 'event': event}

def handler_253(event):
    return {'id': 253, 'name': 'handler_253', 'event': event}

def handler_254(event):
    return {'id': 254, 'name': 'handler_254', 'event': event}

def handler_255(event):
    return {'id': 255, 'name': 'handler_255', 'event': event}

def handler_256(event):
    return {'id': 256, 'name': 'handler_256', 'event': event}

def handler_257(event):
    return {'id': 257, 'name': 'handler_257', 'event': event}

def handler_258(event):
    return {'id': 258, 'name': 'handler_258', 'event': event}

def handler_259(event):
    return {'id': 259, 'name': 'handler_259', 'event': event}

def handler_260(event):
    return {'id': 260, 'name': 'handler_260', 'event': event}

def handler_261(event):
    return {'id': 261, 'name': 'handler_261', 'event': event}

def handler_262(event):
    return {'id': 262, 'name': 'handler_262', 'event': event}

def handler_263(event):
    return {'id': 263, 'name': 'handler_263', 'event': event}

def handler_264(event):
    return {'id': 264, 'name': 'handler_264', 'event': event}

def handler_265(event):
    return {'id': 265, 'name': 'handler_265', 'event': event}

def handler_266(event):
    return {'id': 266, 'name': 'handler_266', 'event': event}

def handler_267(event):
    return {'id': 267, 'name': 'handler_267', 'event': event}

def handler_268(event):
    return {'id': 268, 'name': 'handler_268', 'event': event}

def handler_269(event):
    return {'id': 269, 'name': 'handler_269', 'event': event}

def handler_270(event):
    return {'id': 270, 'name': 'handler_270', 'event': event}

def handler_271(event):
    return {'id': 271, 'name': 'handler_271', 'event': event}

def handler_272(event):
    return {'id': 272, 'name': 'handler_272', 'event': event}

def handler_273(event):
    return {'id': 273, 'name': 'handler_273', 'event': event}

def handler_274(event):
    return {'id': 274, 'name': 'handler_274', 'event': event}

def handler_275(event):
    return {'id': 275, 'name': 'handler_275', 'event': event}

def handler_276(event):
    return {'id': 276, 'name': 'handler_276', 'event': event}

def handler_277(event):
    return {'id': 277, 'name': 'handler_277', 'event': event}

def handler_278(event):
    return {'id': 278, 'name': 'handler_278', 'event': event}

def handler_279(event):
    return {'id': 279, 'name': 'handler_279', 'event': event}

def handler_280(event):
    return {'id': 280, 'name': 'handler_280', 'event': event}

def handler_281(event):
    return {'id': 281, 'name': 'handler_281', 'event': event}

def handler_282(event):
    return {'id': 282, 'name': 'handler_282', 'event': event}

def handler_283(event):
    return {'id': 283, 'name': 'handler_283', 'event': event}

def handler_284(event):
    return {'id': 284, 'name': 'handler_284', 'event': event}

def handler_285(event):
    return {'id': 285, 'name': 'handler_285', 'event': event}

def handler_286(event):
    return {'id': 286, 'name': 'handler_286', 'event': event}

def handler_287(event):
    return {'id': 287, 'name': 'handler_287', 'event': event}

def handler_288(event):
    return {'id': 288, 'name': 'handler_288', 'event': event}

def handler_289(event):
    return {'id': 289, 'name': 'handler_289', 'event': event}

def handler_290(event):
    return {'id': 290, 'name': 'handler_290', 'event': event}

def handler_291(event):
    return {'id': 291, 'name': 'handler_291', 'event': event}

def handler_292(event):
    return {'id': 292, 'name': 'handler_292', 'event': event}

def handler_293(event):
    return {'id': 293, 'name': 'handler_293', 'event': event}

def handler_294(event):
    return {'id': 294, 'name': 'handler_294', 'event': event}

def handler_295(event):
    return {'id': 295, 'name': 'handler_295', 'event': event}

def handler_296(event):
    return {'id': 296, 'name': 'handler_296', 'event': event}

def handler_297(event):
    return {'id': 297, 'name': 'handler_297', 'event': event}

def handler_298(event):
    return {'id': 298, 'name': 'handler_298', 'event': event}

def handler_299(event):
    return {'id': 299, 'name': 'handler_299', 'event': event}

def handler_300(event):
    return {'id': 300, 'name': 'handler_300', 'event': event}

def handler_301(event):
    return {'id': 301, 'name': 'handler_301', 'event': event}

def handler_302(event):
    return {'id': 302, 'name': 'handler_302', 'event': event}

def handler_303(event):
    return {'id': 303, 'name': 'handler_303', 'event': event}

def handler_304(event):
    return {'id': 304, 'name': 'handler_304', 'event': event}

def handler_305(event):
    return {'id': 305, 'name': 'handler_305', 'event': event}

def handler_306(event):
    return {'id': 306, 'name': 'handler_306', 'event': event}

def handler_307(event):
    return {'id': 307, 'name': 'handler_307', 'event': event}

def handler_308(event):
    return {'id': 308, 'name': 'handler_308', 'event': event}

def handler_309(event):
    return {'id': 309, 'name': 'handler_309', 'event': event}

def handler_310(event):
    return {'id': 310, 'name': 'handler_310', 'event': event}

def handler_311(event):
    return {'id': 311, 'name': 'handler_311', 'event': event}

def handler_312(event):
    return {'id': 312, 'name': 'handler_312', 'event': event}

def handler_313(event):
    return {'id': 313, 'name': 'handler_313', 'event': event}

def handler_314(event):
    return {'id': 314, 'name': 'handler_314', 'event': event}

def handler_315(event):
    return {'id': 315, 'name': 'handler_315', 'event': event}

def handler_316(event):
    return {'id': 316, 'name': 'handler_316', 'event': event}

def handler_317(event):
    return {'id': 317, 'name': 'handler_317', 'event': event}

def handler_318(event):
    return {'id': 318, 'name': 'handler_318', 'event': event}

def handler_319(event):
    return {'id': 319, 'name': 'handler_319', 'event': event}

def handler_320(event):
    return {'id': 320, 'name': 'handler_320', 'event': event}

def handler_321(event):
    return {'id': 321, 'name': 'handler_321', 'event': event}

def handler_322(event):
    return {'id': 322, 'name': 'handler_322', 'event': event}

def handler_323(event):
    return {'id': 323, 'name': 'handler_323', 'event': event}

def handler_324(event):
    return {'id': 324, 'name': 'handler_324', 'event': event}

def handler_325(event):
    return {'id': 325, 'name': 'handler_325', 'event': event}

def handler_326(event):
    return {'id': 326, 'name': 'handler_326', 'event': event}

def handler_327(event):
    return {'id': 327, 'name': 'handler_327', 'event': event}

def handler_328(event):
    return {'id': 328, 'name': 'handler_328', 'event': event}

def handler_329(event):
    return {'id': 329, 'name': 'handler_329', 'event': event}

def handler_330(event):
    return {'id': 330, 'name': 'handler_330', 'event': event}

def handler_331(event):
    return {'id': 331, 'name': 'handler_331', 'event': event}

def handler_332(event):
    return {'id': 332, 'name': 'handler_332', 'event': event}

def handler_333(event):
    return {'id': 333, 'name': 'handler_333', 'event': event}

def handler_334(event):
    return {'id': 334, 'name': 'handler_334', 'event': event}

def handler_335(event):
    return {'id': 335, 'name': 'handler_335', 'event': event}

def handler_336(event):
    return {'id': 336, 'name': 'handler_336', 'event': event}

def handler_337(event):
    return {'id': 337, 'name': 'handler_337', 'event': event}

def handler_338(event):
    return {'id': 338, 'name': 'handler_338', 'event': event}

def handler_339(event):
    return {'id': 339, 'name': 'handler_339', 'event': event}

def handler_340(event):
    return {'id': 340, 'name': 'handler_340', 'event': event}

def handler_341(event):
    return {'id': 341, 'name': 'handler_341', 'event': event}

def handler_342(event):
    return {'id': 342, 'name': 'handler_342', 'event': event}

def handler_343(event):
    return {'id': 343, 'name': 'handler_343', 'event': event}

def handler_344(event):
    return {'id': 344, 'name': 'handler_344', 'event': event}

def handler_345(event):
    return {'id': 345, 'name': 'handler_345', 'event': event}

def handler_346(event):
    return {'id': 346, 'name': 'handler_346', 'event': event}

def handler_347(event):
    return {'id': 347, 'name': 'handler_347', 'event': event}

def handler_348(event):
    return {'id': 348, 'name': 'handler_348', 'event': event}

def handler_349(event):
    return {'id': 349, 'name': 'handler_349', 'event': event}

def handler_350(event):
    return {'id': 350, 'name': 'handler_350', 'event': event}

def handler_351(event):
    return {'id': 351, 'name': 'handler_351', 'event': event}

def handler_352(event):
    return {'id': 352, 'name': 'handler_352', 'event': event}

def handler_353(event):
    return {'id': 353, 'name': 'handler_353', 'event': event}

def handler_354(event):
    return {'id': 354, 'name': 'handler_354', 'event': event}

def handler_355(event):
    return {'id': 355, 'name': 'handler_355', 'event': event}

def handler_356(event):
    return {'id': 356, 'name': 'handler_356', 'event': event}

def handler_357(event):
    return {'id': 357, 'name': 'handler_357', 'event': event}

def handler_358(event):
    return {'id': 358, 'name': 'handler_358', 'event': event}

def handler_359(event):
    return {'id': 359, 'name': 'handler_359', 'event': event}

def handler_360(event):
    return {'id': 360, 'name': 'handler_360', 'event': event}

def handler_361(event):
    return {'id': 361, 'name': 'handler_361', 'event': event}

def handler_362(event):
    return {'id': 362, 'name': 'handler_362', 'event': event}

def handler_363(event):
    return {'id': 363, 'name': 'handler_363', 'event': event}

def handler_364(event):
    return {'id': 364, 'name': 'handler_364', 'event': event}

def handler_365(event):
    return {'id': 365, 'name': 'handler_365', 'event': event}

def handler_366(event):
    return {'id': 366, 'name': 'handler_366', 'event': event}

def handler_367(event):
    return {'id': 367, 'name': 'handler_367', 'event': event}

def handler_368(event):
    return {'id': 368, 'name': 'handler_368', 'event': event}

def handler_369(event):
    return {'id': 369, 'name': 'handler_369', 'event': event}

def handler_370(event):
    return {'id': 370, 'name': 'handler_370', 'event': event}

def handler_371(event):
    return {'id': 371, 'name': 'handler_371', 'event': event}

def handler_372(event):
    return {'id': 372, 'name': 'handler_372', 'event': event}

def handler_373(event):
    return {'id': 373, 'name': 'handler_373', 'event': event}

def handler_374(event):
    return {'id': 374, 'name': 'handler_374', 'event': event}

def handler_375(event):
    return {'id': 375, 'name': 'handler_375', 'event': event}

def handler_376(event):
    return {'id': 376, 'name': 'handler_376', 'event': event}

def handler_377(event):
    return {'id': 377, 'name': 'handler_377', 'event': event}

def handler_378(event):
    return {'id': 378, 'name': 'handler_378', 'event': event}

def handler_379(event):
    return {'id': 379, 'name': 'handler_379', 'event': event}

def handler_380(event):
    return {'id': 380, 'name': 'handler_380', 'event': event}

def handler_381(event):
    return {'id': 381, 'name': 'handler_381', 'event': event}

def handler_382(event):
    return {'id': 382, 'name': 'handler_382', 'event': event}

def handler_383(event):
    return {'id': 383, 'name': 'handler_383', 'event': event}

def handler_384(event):
    return {'id': 384, 'name': 'handler_384', 'event': event}

def handler_385(event):
    return {'id': 385, 'name': 'handler_385', 'event': event}

def handler_386(event):
    return {'id': 386, 'name': 'handler_386', 'event': event}

def handler_387(event):
    return {'id': 387, 'name': 'handler_387', 'event': event}

def handler_388(event):
    return {'id': 388, 'name': 'handler_388', 'event': event}

def handler_389(event):
    return {'id': 389, 'name': 'handler_389', 'event': event}

def handler_390(event):
    return {'id': 390, 'name': 'handler_390', 'event': event}

def handler_391(event):
    return {'id': 391, 'name': 'handler_391', 'event': event}

def handler_392(event):
    return {'id': 392, 'name': 'handler_392', 'event': event}

def handler_393(event):
    return {'id': 393, 'name': 'handler_393', 'event': event}

def handler_394(event):
    return {'id': 394, 'name': 'handler_394', 'event': event}

def handler_395(event):
    return {'id': 395, 'name': 'handler_395', 'event': event}

def handler_396(event):
    return {'id': 396, 'name': 'handler_396', 'event': event}

def handler_397(event):
    return {'id': 397, 'name': 'handler_397', 'event': event}

def handler_398(event):
    return {'id': 398, 'name': 'handler_398', 'event': event}

def handler_399(event):
    return {'id': 399, 'name': 'handler_399', 'event': event}

def handler_400(event):
    return {'id': 400, 'name': 'handler_400', 'event': event}

def handler_401(event):
    return {'id': 401, 'name': 'handler_401', 'event': event}

def handler_402(event):
    return {'id': 402, 'name': 'handler_402', 'event': event}

def handler_403(event):
    return {'id': 403, 'name': 'handler_403', 'event': event}

def handler_404(event):
    return {'id': 404, 'name': 'handler_404', 'event': event}

def handler_405(event):
    return {'id': 405, 'name': 'handler_405', 'event': event}

def handler_406(event):
    return {'id': 406, 'name': 'handler_406', 'event': event}

def handler_407(event):
    return {'id': 407, 'name': 'handler_407', 'event': event}

def handler_408(event):
    return {'id': 408, 'name': 'handler_408', 'event': event}

def handler_409(event):
    return {'id': 409, 'name': 'handler_409', 'event': event}

def handler_410(event):
    return {'id': 410, 'name': 'handler_410', 'event': event}

def handler_411(event):
    return {'id': 411, 'name': 'handler_411', 'event': event}

def handler_412(event):
    return {'id': 412, 'name': 'handler_412', 'event': event}

def handler_413(event):
    return {'id': 413, 'name': 'handler_413', 'event': event}

def handler_414(event):
    return {'id': 414, 'name': 'handler_414', 'event': event}

def handler_415(event):
    return {'id': 415, 'name': 'handler_415', 'event': event}

def handler_416(event):
    return {'id': 416, 'name': 'handler_416', 'event': event}

def handler_417(event):
    return {'id': 417, 'name': 'handler_417', 'event': event}

def handler_418(event):
    return {'id': 418, 'name': 'handler_418', 'event': event}

def handler_419(event):
    return {'id': 419, 'name': 'handler_419', 'event': event}

def handler_420(event):
    return {'id': 420, 'name': 'handler_420', 'event': event}

def handler_421(event):
    return {'id': 421, 'name': 'handler_421', 'event': event}

def handler_422(event):
    return {'id': 422, 'name': 'handler_422', 'event': event}

def handler_423(event):
    return {'id': 423, 'name': 'handler_423', 'event': event}

def handler_424(event):
    return {'id': 424, 'name': 'handler_424', 'event': event}

def handler_425(event):
    return {'id': 425, 'name': 'handler_425', 'event': event}

def handler_426(event):
    return {'id': 426, 'name': 'handler_426', 'event': event}

def handler_427(event):
    return {'id': 427, 'name': 'handler_427', 'event': event}

def handler_428(event):
    return {'id': 428, 'name': 'handler_428', 'event': event}

def handler_429(event):
    return {'id': 429, 'name': 'handler_429', 'event': event}

def handler_430(event):
    return {'id': 430, 'name': 'handler_430', 'event': event}

def handler_431(event):
    return {'id': 431, 'name': 'handler_431', 'event': event}

def handler_432(event):
    return {'id': 432, 'name': 'handler_432', 'event': event}

def handler_433(event):
    return {'id': 433, 'name': 'handler_433', 'event': event}

def handler_434(event):
    return {'id': 434, 'name': 'handler_434', 'event': event}

def handler_435(event):
    return {'id': 435, 'name': 'handler_435', 'event': event}

def handler_436(event):
    return {'id': 436, 'name': 'handler_436', 'event': event}

def handler_437(event):
    return {'id': 437, 'name': 'handler_437', 'event': event}

def handler_438(event):
    return {'id': 438, 'name': 'handler_438', 'event': event}

def handler_439(event):
    return {'id': 439, 'name': 'handler_439', 'event': event}

def handler_440(event):
    return {'id': 440, 'name': 'handler_440', 'event': event}

def handler_441(event):
    return {'id': 441, 'name': 'handler_441', 'event': event}

def handler_442(event):
    return {'id': 442, 'name': 'handler_442', 'event': event}

def handler_443(event):
    return {'id': 443, 'name': 'handler_443', 'event': event}

def handler_444(event):
    return {'id': 444, 'name': 'handler_444', 'event': event}

def handler_445(event):
    return {'id': 445, 'name': 'handler_445', 'event': event}

def handler_446(event):
    return {'id': 446, 'name': 'handler_446', 'event': event}

def handler_447(event):
    return {'id': 447, 'name': 'handler_447', 'event': event}

def handler_448(event):
    return {'id': 448, 'name': 'handler_448', 'event': event}

def handler_449(event):
    return {'id': 449, 'name': 'handler_449', 'event': event}

def handler_450(event):
    return {'id': 450, 'name': 'handler_450', 'event': event}

def handler_451(event):
    return {'id': 451, 'name': 'handler_451', 'event': event}

def handler_452(event):
    return {'id': 452, 'name': 'handler_452', 'event': event}

def handler_453(event):
    return {'id': 453, 'name': 'handler_453', 'event': event}

def handler_454(event):
    return {'id': 454, 'name': 'handler_454', 'event': event}

def handler_455(event):
    return {'id': 455, 'name': 'handler_455', 'event': event}

def handler_456(event):
    return {'id': 456, 'name': 'handler_456', 'event': event}

def handler_457(event):
    return {'id': 457, 'name': 'handler_457', 'event': event}

def handler_458(event):
    return {'id': 458, 'name': 'handler_458', 'event': event}

def handler_459(event):
    return {'id': 459, 'name': 'handler_459', 'event': event}

def handler_460(event):
    return {'id': 460, 'name': 'handler_460', 'event': event}

def handler_461(event):
    return {'id': 461, 'name': 'handler_461', 'event': event}

def handler_462(event):
    return {'id': 462, 'name': 'handler_462', 'event': event}

def handler_463(event):
    return {'id': 463, 'name': 'handler_463', 'event': event}

def handler_464(event):
    return {'id': 464, 'name': 'handler_464', 'event': event}

def handler_465(event):
    return {'id': 465, 'name': 'handler_465', 'event': event}

def handler_466(event):
    return {'id': 466, 'name': 'handler_466', 'event': event}

def handler_467(event):
    return {'id': 467, 'name': 'handler_467', 'event': event}

def handler_468(event):
    return {'id': 468, 'name': 'handler_468', 'event': event}

def handler_469(event):
    return {'id': 469, 'name': 'handler_469', 'event': event}

def handler_470(event):
    return {'id': 470, 'name': 'handler_470', 'event': event}

def handler_471(event):
    return {'id': 471, 'name': 'handler_471', 'event': event}

def handler_472(event):
    return {'id': 472, 'name': 'handler_472', 'event': event}

def handler_473(event):
    return {'id': 473, 'name': 'handler_473', 'event': event}

def handler_474(event):
    return {'id': 474, 'name': 'handler_474', 'event': event}

def handler_475(event):
    return {'id': 475, 'name': 'handler_475', 'event': event}

def handler_476(event):
    return {'id': 476, 'name': 'handler_476', 'event': event}

def handler_477(event):
    return {'id': 477, 'name': 'handler_477', 'event': event}

def handler_478(event):
    return {'id': 478, 'name': 'handler_478', 'event': event}

def handler_479(event):
    return {'id': 479, 'name': 'handler_479', 'event': event}

def handler_480(event):
    return {'id': 480, 'name': 'handler_480', 'event': event}

def handler_481(event):
    return {'id': 481, 'name': 'handler_481', 'event': event}

def handler_482(event):
    return {'id': 482, 'name': 'handler_482', 'event': event}

def handler_483(event):
    return {'id': 483, 'name': 'handler_483', 'event': event}

def handler_484(event):
    return {'id': 484, 'name': 'handler_484', 'event': event}

def handler_485(event):
    return {'id': 485, 'name': 'handler_485', 'event': event}

def handler_486(event):
    return {'id': 486, 'name': 'handler_486', 'event': event}

def handler_487(event):
    return {'id': 487, 'name': 'handler_487', 'event': event}

def handler_488(event):
    return {'id': 488, 'name': 'handler_488', 'event': event}

def handler_489(event):
    return {'id': 489, 'name': 'handler_489', 'event': event}

def handler_490(event):
    return {'id': 490, 'name': 'handler_490', 'event': event}

def handler_491(event):
    return {'id': 491, 'name': 'handler_491', 'event': event}

def handler_492(event):
    return {'id': 492, 'name': 'handler_492', 'event': event}

def handler_493(event):
    return {'id': 493, 'name': 'handler_493', 'event': event}

def handler_494(event):
    return {'id': 494, 'name': 'handler_494', 'event': event}

def handler_495(event):
    return {'id': 495, 'name': 'handler_495', 'event': event}

def handler_496(event):
    return {'id': 496, 'name': 'handler_496', 'event': event}

def handler_497(event):
    return {'id': 497, 'name': 'handler_497', 'event': event}

def handler_498(event):
    return {'id': 498, 'name': 'handler_498', 'event': event}

def handler_499(event):
    return {'id': 499, 'name': 'handler_499', 'event': event}

def handler_500(event):
    return {'id': 500, 'name': 'handler_500', 'event': event}

def handler_501(event):
    return {'id': 501, 'name': 'handler_501', 'event': event}

def handler_502(event):
    return {'id': 502, 'name': 'handler_502', 'event': event}

def handler_503(event):
    return {'id': 503, 'name': 'handler_503', 'event': event}

def handler_504(event):
    return {'id': 504, 'name': 'handler_504', 'event': event}

def handler_505(event):
    return {'id': 505, 'name': 'handler_505', 'event': event}

def handler_506(event):
    return {'id': 506, 'name': 'handler_506', 'event': event}

def handler_507(event):
    return {'id': 507, 'name': 'handler_507', 'event': event}

def handler_508(event):
    return {'id': 508, 'name': 'handler_508', 'event': event}

def handler_509(event):
    return {'id': 509, 'name': 'handler_509', 'event': event}

def handler_510(event):
    return {'id': 510, 'name': 'handler_510', 'event': event}

def handler_511(event):
    return {'id': 511, 'name': 'handler_511', 'event': event}

def handler_512(event):
    return {'id': 512, 'name': 'handler_512', 'event': event}

def handler_513(event):
    return {'id': 513, 'name': 'handler_513', 'event': event}

def handler_514(event):
    return {'id': 514, 'name': 'handler_514', 'event': event}

def handler_515(event):
    return {'id': 515, 'name': 'handler_515', 'event': event}

def handler_516(event):
    return {'id': 516, 'name': 'handler_516', 'event': event}

def handler_517(event):
    return {'id': 517, 'name': 'handler_517', 'event': event}

def handler_518(event):
    return {'id': 518, 'name': 'handler_518', 'event': event}

def handler_519(event):
    return {'id': 519, 'name': 'handler_519', 'event': event}

def handler_520(event):
    return {'id': 520, 'name': 'handler_520', 'event': event}

def handler_521(event):
    return {'id': 521, 'name': 'handler_521', 'event': event}

def handler_522(event):
    return {'id': 522, 'name': 'handler_522', 'event': event}

def handler_523(event):
    return {'id': 523, 'name': 'handler_523', 'event': event}

def handler_524(event):
    return {'id': 524, 'name': 'handler_524', 'event': event}

def handler_525(event):
    return {'id': 525, 'name': 'handler_525', 'event': event}

def handler_526(event):
    return {'id': 526, 'name': 'handler_526', 'event': event}

def handler_527(event):
    return {'id': 527, 'name': 'handler_527', 'event': event}

def handler_528(event):
    return {'id': 528, 'name': 'handler_528', 'event': event}

def handler_529(event):
    return {'id': 529, 'name': 'handler_529', 'event': event}

def handler_530(event):
    return {'id': 530, 'name': 'handler_530', 'event': event}

def handler_531(event):
    return {'id': 531, 'name': 'handler_531', 'event': event}

def handler_532(event):
    return {'id': 532, 'name': 'handler_532', 'event': event}

def handler_533(event):
    return {'id': 533, 'name': 'handler_533', 'event': event}

def handler_534(event):
    return {'id': 534, 'name': 'handler_534', 'event': event}

def handler_535(event):
    return {'id': 535, 'name': 'handler_535', 'event': event}

def handler_536(event):
    return {'id': 536, 'name': 'handler_536', 'event': event}

def handler_537(event):
    return {'id': 537, 'name': 'handler_537', 'event': event}

def handler_538(event):
    return {'id': 538, 'name': 'handler_538', 'event': event}

def handler_539(event):
    return {'id': 539, 'name': 'handler_539', 'event': event}

def handler_540(event):
    return {'id': 540, 'name': 'handler_540', 'event': event}

def handler_541(event):
    return {'id': 541, 'name': 'handler_541', 'event': event}

def handler_542(event):
    return {'id': 542, 'name': 'handler_542', 'event': event}

def handler_543(event):
    return {'id': 543, 'name': 'handler_543', 'event': event}

def handler_544(event):
    return {'id': 544, 'name': 'handler_544', 'event': event}

def handler_545(event):
    return {'id': 545, 'name': 'handler_545', 'event': event}

def handler_546(event):
    return {'id': 546, 'name': 'handler_546', 'event': event}

def handler_547(event):
    return {'id': 547, 'name': 'handler_547', 'event': event}

def handler_548(event):
    return {'id': 548, 'name': 'handler_548', 'event': event}

def handler_549(event):
    return {'id': 549, 'name': 'handler_549', 'event': event}

def handler_550(event):
    return {'id': 550, 'name': 'handler_550', 'event': event}

def handler_551(event):
    return {'id': 551, 'name': 'handler_551', 'event': event}

def handler_552(event):
    return {'id': 552, 'name': 'handler_552', 'event': event}

def handler_553(event):
    return {'id': 553, 'name': 'handler_553', 'event': event}

def handler_554(event):
    return {'id': 554, 'name': 'handler_554', 'event': event}

def handler_555(event):
    return {'id': 555, 'name': 'handler_555', 'event': event}

def handler_556(event):
    return {'id': 556, 'name': 'handler_556', 'event': event}

def handler_557(event):
    return {'id': 557, 'name': 'handler_557', 'event': event}

def handler_558(event):
    return {'id': 558, 'name': 'handler_558', 'event': event}

def handler_559(event):
    return {'id': 559, 'name': 'handler_559', 'event': event}

def handler_560(event):
    return {'id': 560, 'name': 'handler_560', 'event': event}

def handler_561(event):
    return {'id': 561, 'name': 'handler_561', 'event': event}

def handler_562(event):
    return {'id': 562, 'name': 'handler_562', 'event': event}

def handler_563(event):
    return {'id': 563, 'name': 'handler_563', 'event': event}

def handler_564(event):
    return {'id': 564, 'name': 'handler_564', 'event': event}

def handler_565(event):
    return {'id': 565, 'name': 'handler_565', 'event': event}

def handler_566(event):
    return {'id': 566, 'name': 'handler_566', 'event': event}

def handler_567(event):
    return {'id': 567, 'name': 'handler_567', 'event': event}

def handler_568(event):
    return {'id': 568, 'name': 'handler_568', 'event': event}

def handler_569(event):
    return {'id': 569, 'name': 'handler_569', 'event': event}

def handler_570(event):
    return {'id': 570, 'name': 'handler_570', 'event': event}

def handler_571(event):
    return {'id': 571, 'name': 'handler_571', 'event': event}

def handler_572(event):
    return {'id': 572, 'name': 'handler_572', 'event': event}

def handler_573(event):
    return {'id': 573, 'name': 'handler_573', 'event': event}

def handler_574(event):
    return {'id': 574, 'name': 'handler_574', 'event': event}

def handler_575(event):
    return {'id': 575, 'name': 'handler_575', 'event': event}

def handler_576(event):
    return {'id': 576, 'name': 'handler_576', 'event': event}

def handler_577(event):
    return {'id': 577, 'name': 'handler_577', 'event': event}

def handler_578(event):
    return {'id': 578, 'name': 'handler_578', 'event': event}

def handler_579(event):
    return {'id': 579, 'name': 'handler_579', 'event': event}

def handler_580(event):
    return {'id': 580, 'name': 'handler_580', 'event': event}

def handler_581(event):
    return {'id': 581, 'name': 'handler_581', 'event': event}

def handler_582(event):
    return {'id': 582, 'name': 'handler_582', 'event': event}

def handler_583(event):
    return {'id': 583, 'name': 'handler_583', 'event': event}

def handler_584(event):
    return {'id': 584, 'name': 'handler_584', 'event': event}

def handler_585(event):
    return {'id': 585, 'name': 'handler_585', 'event': event}

def handler_586(event):
    return {'id': 586, 'name': 'handler_586', 'event': event}

def handler_587(event):
    return {'id': 587, 'name': 'handler_587', 'event': event}

def handler_588(event):
    return {'id': 588, 'name': 'handler_588', 'event': event}

def handler_589(event):
    return {'id': 589, 'name': 'handler_589', 'event': event}

def handler_590(event):
    return {'id': 590, 'name': 'handler_590', 'event': event}

def handler_591(event):
    return {'id': 591, 'name': 'handler_591', 'event': event}

def handler_592(event):
    return {'id': 592, 'name': 'handler_592', 'event': event}

def handler_593(event):
    return {'id': 593, 'name': 'handler_593', 'event': event}

def handler_594(event):
    return {'id': 594, 'name': 'handler_594', 'event': event}

def handler_595(event):
    return {'id': 595, 'name': 'handler_595', 'event': event}

def handler_596(event):
    return {'id': 596, 'name': 'handler_596', 'event': event}

def handler_597(event):
    return {'id': 597, 'name': 'handler_597', 'event': event}

def handler_598(event):
    return {'id': 598, 'name': 'handler_598', 'event': event}

def handler_599(event):
    return {'id': 599, 'name': 'handler_599', 'event': event}

def handler_600(event):
    return {'id': 600, 'name': 'handler_600', 'event': event}

def handler_601(event):
    return {'id': 601, 'name': 'handler_601', 'event': event}

def handler_602(event):
    return {'id': 602, 'name': 'handler_602', 'event': event}

def handler_603(event):
    return {'id': 603, 'name': 'handler_603', 'event': event}

def handler_604(event):
    return {'id': 604, 'name': 'handler_604', 'event': event}

def handler_605(event):
    return {'id': 605, 'name': 'handler_605', 'event': event}

def handler_606(event):
    return {'id': 606, 'name': 'handler_606', 'event': event}

def handler_607(event):
    return {'id': 607, 'name': 'handler_607', 'event': event}

def handler_608(event):
    return {'id': 608, 'name': 'handler_608', 'event': event}

def handler_609(event):
    return {'id': 609, 'name': 'handler_609', 'event': event}

def handler_610(event):
    return {'id': 610, 'name': 'handler_610', 'event': event}

def handler_611(event):
    return {'id': 611, 'name': 'handler_611', 'event': event}

def handler_612(event):
    return {'id': 612, 'name': 'handler_612', 'event': event}

def handler_613(event):
    return {'id': 613, 'name': 'handler_613', 'event': event}

def handler_614(event):
    return {'id': 614, 'name': 'handler_614', 'event': event}

def handler_615(event):
    return {'id': 615, 'name': 'handler_615', 'event': event}

def handler_616(event):
    return {'id': 616, 'name': 'handler_616', 'event': event}

def handler_617(event):
    return {'id': 617, 'name': 'handler_617', 'event': event}

def handler_618(event):
    return {'id': 618, 'name': 'handler_618', 'event': event}

def handler_619(event):
    return {'id': 619, 'name': 'handler_619', 'event': event}

def handler_620(event):
    return {'id': 620, 'name': 'handler_620', 'event': event}

def handler_621(event):
    return {'id': 621, 'name': 'handler_621', 'event': event}

def handler_622(event):
    return {'id': 622, 'name': 'handler_622', 'event': event}

def handler_623(event):
    return {'id': 623, 'name': 'handler_623', 'event': event}

def handler_624(event):
    return {'id': 624, 'name': 'handler_624', 'event': event}

def handler_625(event):
    return {'id': 625, 'name': 'handler_625', 'event': event}

def handler_626(event):
    return {'id': 626, 'name': 'handler_626', 'event': event}

def handler_627(event):
    return {'id': 627, 'name': 'handler_627', 'event': event}

def handler_628(event):
    return {'id': 628, 'name': 'handler_628', 'event': event}

def handler_629(event):
    return {'id': 629, 'name': 'handler_629', 'event': event}

def handler_630(event):
    return {'id': 630, 'name': 'handler_630', 'event': event}

def handler_631(event):
    return {'id': 631, 'name': 'handler_631', 'event': event}

def handler_632(event):
    return {'id': 632, 'name': 'handler_632', 'event': event}

def handler_633(event):
    return {'id': 633, 'name': 'handler_633', 'event': event}

def handler_634(event):
    return {'id': 634, 'name': 'handler_634', 'event': event}

def handler_635(event):
    return {'id': 635, 'name': 'handler_635', 'event': event}

def handler_636(event):
    return {'id': 636, 'name': 'handler_636', 'event': event}

def handler_637(event):
    return {'id': 637, 'name': 'handler_637', 'event': event}

def handler_638(event):
    return {'id': 638, 'name': 'handler_638', 'event': event}

def handler_639(event):
    return {'id': 639, 'name': 'handler_639', 'event': event}

def handler_640(event):
    return {'id': 640, 'name': 'handler_640', 'event': event}

def handler_641(event):
    return {'id': 641, 'name': 'handler_641', 'event': event}

def handler_642(event):
    return {'id': 642, 'name': 'handler_642', 'event': event}

def handler_643(event):
    return {'id': 643, 'name': 'handler_643', 'event': event}

def handler_644(event):
    return {'id': 644, 'name': 'handler_644', 'event': event}

def handler_645(event):
    return {'id': 645, 'name': 'handler_645', 'event': event}

def handler_646(event):
    return {'id': 646, 'name': 'handler_646', 'event': event}

def handler_647(event):
    return {'id': 647, 'name': 'handler_647', 'event': event}

def handler_648(event):
    return {'id': 648, 'name': 'handler_648', 'event': event}

def handler_649(event):
    return {'id': 649, 'name': 'handler_649', 'event': event}

def handler_650(event):
    return {'id': 650, 'name': 'handler_650', 'event': event}

def handler_651(event):
    return {'id': 651, 'name': 'handler_651', 'event': event}

def handler_652(event):
    return {'id': 652, 'name': 'handler_652', 'event': event}

def handler_653(event):
    return {'id': 653, 'name': 'handler_653', 'event': event}

def handler_654(event):
    return {'id': 654, 'name': 'handler_654', 'event': event}

def handler_655(event):
    return {'id': 655, 'name': 'handler_655', 'event': event}

def handler_656(event):
    return {'id': 656, 'name': 'handler_656', 'event': event}

def handler_657(event):
    return {'id': 657, 'name': 'handler_657', 'event': event}

def handler_658(event):
    return {'id': 658, 'name': 'handler_658', 'event': event}

def handler_659(event):
    return {'id': 659, 'name': 'handler_659', 'event': event}

def handler_660(event):
    return {'id': 660, 'name': 'handler_660', 'event': event}

def handler_661(event):
    return {'id': 661, 'name': 'handler_661', 'event': event}

def handler_662(event):
    return {'id': 662, 'name': 'handler_662', 'event': event}

def handler_663(event):
    return {'id': 663, 'name': 'handler_663', 'event': event}

def handler_664(event):
    return {'id': 664, 'name': 'handler_664', 'event': event}

def handler_665(event):
    return {'id': 665, 'name': 'handler_665', 'event': event}

def handler_666(event):
    return {'id': 666, 'name': 'handler_666', 'event': event}

def handler_667(event):
    return {'id': 667, 'name': 'handler_667', 'event': event}

def handler_668(event):
    return {'id': 668, 'name': 'handler_668', 'event': event}

def handler_669(event):
    return {'id': 669, 'name': 'handler_669', 'event': event}

def handler_670(event):
    return {'id': 670, 'name': 'handler_670', 'event': event}

def handler_671(event):
    return {'id': 671, 'name': 'handler_671', 'event': event}

def handler_672(event):
    return {'id': 672, 'name': 'handler_672', 'event': event}

def handler_673(event):
    return {'id': 673, 'name': 'handler_673', 'event': event}

def handler_674(event):
    return {'id': 674, 'name': 'handler_674', 'event': event}

def handler_675(event):
    return {'id': 675, 'name': 'handler_675', 'event': event}

def handler_676(event):
    return {'id': 676, 'name': 'handler_676', 'event': event}

def handler_677(event):
    return {'id': 677, 'name': 'handler_677', 'event': event}

def handler_678(event):
    return {'id': 678, 'name': 'handler_678', 'event': event}

def handler_679(event):
    return {'id': 679, 'name': 'handler_679', 'event': event}

def handler_680(event):
    return {'id': 680, 'name': 'handler_680', 'event': event}

def handler_681(event):
    return {'id': 681, 'name': 'handler_681', 'event': event}

def handler_682(event):
    return {'id': 682, 'name': 'handler_682', 'event': event}

def handler_683(event):
    return {'id': 683, 'name': 'handler_683', 'event': event}

def handler_684(event):
    return {'id': 684, 'name': 'handler_684', 'event': event}

def handler_685(event):
    return {'id': 685, 'name': 'handler_685', 'event': event}

def handler_686(event):
    return {'id': 686, 'name': 'handler_686', 'event': event}

def handler_687(event):
    return {'id': 687, 'name': 'handler_687', 'event': event}

def handler_688(event):
    return {'id': 688, 'name': 'handler_688', 'event': event}

def handler_689(event):
    return {'id': 689, 'name': 'handler_689', 'event': event}

def handler_690(event):
    return {'id': 690, 'name': 'handler_690', 'event': event}

def handler_691(event):
    return {'id': 691, 'name': 'handler_691', 'event': event}

def handler_692(event):
    return {'id': 692, 'name': 'handler_692', 'event': event}

def handler_693(event):
    return {'id': 693, 'name': 'handler_693', 'event': event}

def handler_694(event):
    return {'id': 694, 'name': 'handler_694', 'event': event}

def handler_695(event):
    return {'id': 695, 'name': 'handler_695', 'event': event}

def handler_696(event):
    return {'id': 696, 'name': 'handler_696', 'event': event}

def handler_697(event):
    return {'id': 697, 'name': 'handler_697', 'event': event}

def handler_698(event):
    return {'id': 698, 'name': 'handler_698', 'event': event}

def handler_699(event):
    return {'id': 699, 'name': 'handler_699', 'event': event}

def handler_700(event):
    return {'id': 700, 'name': 'handler_700', 'event': event}

def handler_701(event):
    return {'id': 701, 'name': 'handler_701', 'event': event}

def handler_702(event):
    return {'id': 702, 'name': 'handler_702', 'event': event}

def handler_703(event):
    return {'id': 703, 'name': 'handler_703', 'event': event}

def handler_704(event):
    return {'id': 704, 'name': 'handler_704', 'event': event}

def handler_705(event):
    return {'id': 705, 'name': 'handler_705', 'event': event}

def handler_706(event):
    return {'id': 706, 'name': 'handler_706', 'event': event}

def handler_707(event):
    return {'id': 707, 'name': 'handler_707', 'event': event}

def handler_708(event):
    return {'id': 708, 'name': 'handler_708', 'event': event}

def handler_709(event):
    return {'id': 709, 'name': 'handler_709', 'event': event}

def handler_710(event):
    return {'id': 710, 'name': 'handler_710', 'event': event}

def handler_711(event):
    return {'id': 711, 'name': 'handler_711', 'event': event}

def handler_712(event):
    return {'id': 712, 'name': 'handler_712', 'event': event}

def handler_713(event):
    return {'id': 713, 'name': 'handler_713', 'event': event}

def handler_714(event):
    return {'id': 714, 'name': 'handler_714', 'event': event}

def handler_715(event):
    return {'id': 715, 'name': 'handler_715', 'event': event}

def handler_716(event):
    return {'id': 716, 'name': 'handler_716', 'event': event}

def handler_717(event):
    return {'id': 717, 'name': 'handler_717', 'event': event}

def handler_718(event):
    return {'id': 718, 'name': 'handler_718', 'event': event}

def handler_719(event):
    return {'id': 719, 'name': 'handler_719', 'event': event}

def handler_720(event):
    return {'id': 720, 'name': 'handler_720', 'event': event}

def handler_721(event):
    return {'id': 721, 'name': 'handler_721', 'event': event}

def handler_722(event):
    return {'id': 722, 'name': 'handler_722', 'event': event}

def handler_723(event):
    return {'id': 723, 'name': 'handler_723', 'event': event}

def handler_724(event):
    return {'id': 724, 'name': 'handler_724', 'event': event}

def handler_725(event):
    return {'id': 725, 'name': 'handler_725', 'event': event}

def handler_726(event):
    return {'id': 726, 'name': 'handler_726', 'event': event}

def handler_727(event):
    return {'id': 727, 'name': 'handler_727', 'event': event}

def handler_728(event):
    return {'id': 728, 'name': 'handler_728', 'event': event}

def handler_729(event):
    return {'id': 729, 'name': 'handler_729', 'event': event}

def handler_730(event):
    return {'id': 730, 'name': 'handler_730', 'event': event}

def handler_731(event):
    return {'id': 731, 'name': 'handler_731', 'event': event}

def handler_732(event):
    return {'id': 732, 'name': 'handler_732', 'event': event}

def handler_733(event):
    return {'id': 733, 'name': 'handler_733', 'event': event}

def handler_734(event):
    return {'id': 734, 'name': 'handler_734', 'event': event}

def handler_735(event):
    return {'id': 735, 'name': 'handler_735', 'event': event}

def handler_736(event):
    return {'id': 736, 'name': 'handler_736', 'event': event}

def handler_737(event):
    return {'id': 737, 'name': 'handler_737', 'event': event}

def handler_738(event):
    return {'id': 738, 'name': 'handler_738', 'event': event}

def handler_739(event):
    return {'id': 739, 'name': 'handler_739', 'event': event}

def handler_740(event):
    return {'id': 740, 'name': 'handler_740', 'event': event}

def handler_741(event):
    return {'id': 741, 'name': 'handler_741', 'event': event}

def handler_742(event):
    return {'id': 742, 'name': 'handler_742', 'event': event}

def handler_743(event):
    return {'id': 743, 'name': 'handler_743', 'event': event}

def handler_744(event):
    return {'id': 744, 'name': 'handler_744', 'event': event}

def handler_745(event):
    return {'id': 745, 'name': 'handler_745', 'event': event}

def handler_746(event):
    return {'id': 746, 'name': 'handler_746', 'event': event}

def handler_747(event):
    return {'id': 747, 'name': 'handler_747', 'event': event}

def handler_748(event):
    return {'id': 748, 'name': 'handler_748', 'event': event}

def handler_749(event):
    return {'id': 749, 'name': 'handler_749', 'event': event}

def handler_750(event):
    return {'id': 750, 'name': 'handler_750', 'event': event}

def handler_751(event):
    return {'id': 751, 'name': 'handler_751', 'event': event}

def handler_752(event):
    return {'id': 752, 'name': 'handler_752', 'event': event}

def handler_753(event):
    return {'id': 753, 'name': 'handler_753', 'event': event}

def handler_754(event):
    return {'id': 754, 'name': 'handler_754', 'event': event}

def handler_755(event):
    return {'id': 755, 'name': 'handler_755', 'event': event}

def handler_756(event):
    return {'id': 756, 'name': 'handler_756', 'event': event}

def handler_757(event):
    return {'id': 757, 'name': 'handler_757', 'event': event}

def handler_758(event):
    return {'id': 758, 'name': 'handler_758', 'event': event}

def handler_759(event):
    return {'id': 759, 'name': 'handler_759', 'event': event}

def handler_760(event):
    return {'id': 760, 'name': 'handler_760', 'event': event}

def handler_761(event):
    return {'id': 761, 'name': 'handler_761', 'event': event}

def handler_762(event):
    return {'id': 762, 'name': 'handler_762', 'event': event}

def handler_763(event):
    return {'id': 763, 'name': 'handler_763', 'event': event}

def handler_764(event):
    return {'id': 764, 'name': 'handler_764', 'event': event}

def handler_765(event):
    return {'id': 765, 'name': 'handler_765', 'event': event}

def handler_766(event):
    return {'id': 766, 'name': 'handler_766', 'event': event}

def handler_767(event):
    return {'id': 767, 'name': 'handler_767', 'event': event}

def handler_768(event):
    return {'id': 768, 'name': 'handler_768', 'event': event}

def handler_769(event):
    return {'id': 769, 'name': 'handler_769', 'event': event}

def handler_770(event):
    return {'id': 770, 'name': 'handler_770', 'event': event}

def handler_771(event):
    return {'id': 771, 'name': 'handler_771', 'event': event}

def handler_772(event):
    return {'id': 772, 'name': 'handler_772', 'event': event}

def handler_773(event):
    return {'id': 773, 'name': 'handler_773', 'event': event}

def handler_774(event):
    return {'id': 774, 'name': 'handler_774', 'event': event}

def handler_775(event):
    return {'id': 775, 'name': 'handler_775', 'event': event}

def handler_776(event):
    return {'id': 776, 'name': 'handler_776', 'event': event}

def handler_777(event):
    return {'id': 777, 'name': 'handler_777', 'event': event}

def handler_778(event):
    return {'id': 778, 'name': 'handler_778', 'event': event}

def handler_779(event):
    return {'id': 779, 'name': 'handler_779', 'event': event}

def handler_780(event):
    return {'id': 780, 'name': 'handler_780', 'event': event}

def handler_781(event):
    return {'id': 781, 'name': 'handler_781', 'event': event}

def handler_782(event):
    return {'id': 782, 'name': 'handler_782', 'event': event}

def handler_783(event):
    return {'id': 783, 'name': 'handler_783', 'event': event}

def handler_784(event):
    return {'id': 784, 'name': 'handler_784', 'event': event}

def handler_785(event):
    return {'id': 785, 'name': 'handler_785', 'event': event}

def handler_786(event):
    return {'id': 786, 'name': 'handler_786', 'event': event}

def handler_787(event):
    return {'id': 787, 'name': 'handler_787', 'event': event}

def handler_788(event):
    return {'id': 788, 'name': 'handler_788', 'event': event}

def handler_789(event):
    return {'id': 789, 'name': 'handler_789', 'event': event}

def handler_790(event):
    return {'id': 790, 'name': 'handler_790', 'event': event}

def handler_791(event):
    return {'id': 791, 'name': 'handler_791', 'event': event}

def handler_792(event):
    return {'id': 792, 'name': 'handler_792', 'event': event}

def handler_793(event):
    return {'id': 793, 'name': 'handler_793', 'event': event}

def handler_794(event):
    return {'id': 794, 'name': 'handler_794', 'event': event}

def handler_795(event):
    return {'id': 795, 'name': 'handler_795', 'event': event}

def handler_796(event):
    return {'id': 796, 'name': 'handler_796', 'event': event}

def handler_797(event):
    return {'id': 797, 'name': 'handler_797', 'event': event}

def handler_798(event):
    return {'id': 798, 'name': 'handler_798', 'event': event}

def handler_799(event):
    return {'id': 799, 'name': 'handler_799', 'event': event}

def handler_800(event):
    return {'id': 800, 'name': 'handler_800', 'event': event}

def handler_801(event):
    return {'id': 801, 'name': 'handler_801', 'event': event}

def handler_802(event):
    return {'id': 802, 'name': 'handler_802', 'event': event}

def handler_803(event):
    return {'id': 803, 'name': 'handler_803', 'event': event}

def handler_804(event):
    return {'id': 804, 'name': 'handler_804', 'event': event}

def handler_805(event):
    return {'id': 805, 'name': 'handler_805', 'event': event}

def handler_806(event):
    return {'id': 806, 'name': 'handler_806', 'event': event}

def handler_807(event):
    return {'id': 807, 'name': 'handler_807', 'event': event}

def handler_808(event):
    return {'id': 808, 'name': 'handler_808', 'event': event}

def handler_809(event):
    return {'id': 809, 'name': 'handler_809', 'event': event}

def handler_810(event):
    return {'id': 810, 'name': 'handler_810', 'event': event}

def handler_811(event):
    return {'id': 811, 'name': 'handler_811', 'event': event}

def handler_812(event):
    return {'id': 812, 'name': 'handler_812', 'event': event}

def handler_813(event):
    return {'id': 813, 'name': 'handler_813', 'event': event}

def handler_814(event):
    return {'id': 814, 'name': 'handler_814', 'event': event}

def handler_815(event):
    return {'id': 815, 'name': 'handler_815', 'event': event}

def handler_816(event):
    return {'id': 816, 'name': 'handler_816', 'event': event}

def handler_817(event):
    return {'id': 817, 'name': 'handler_817', 'event': event}

def handler_818(event):
    return {'id': 818, 'name': 'handler_818', 'event': event}

def handler_819(event):
    return {'id': 819, 'name': 'handler_819', 'event': event}

def handler_820(event):
    return {'id': 820, 'name': 'handler_820', 'event': event}

def handler_821(event):
    return {'id': 821, 'name': 'handler_821', 'event': event}

def handler_822(event):
    return {'id': 822, 'name': 'handler_822', 'event': event}

def handler_823(event):
    return {'id': 823, 'name': 'handler_823', 'event': event}

def handler_824(event):
    return {'id': 824, 'name': 'handler_824', 'event': event}

def handler_825(event):
    return {'id': 825, 'name': 'handler_825', 'event': event}

def handler_826(event):
    return {'id': 826, 'name': 'handler_826', 'event': event}

def handler_827(event):
    return {'id': 827, 'name': 'handler_827', 'event': event}

def handler_828(event):
    return {'id': 828, 'name': 'handler_828', 'event': event}

def handler_829(event):
    return {'id': 829, 'name': 'handler_829', 'event': event}

def handler_830(event):
    return {'id': 830, 'name': 'handler_830', 'event': event}

def handler_831(event):
    return {'id': 831, 'name': 'handler_831', 'event': event}

def handler_832(event):
    return {'id': 832, 'name': 'handler_832', 'event': event}

def handler_833(event):
    return {'id': 833, 'name': 'handler_833', 'event': event}

def handler_834(event):
    return {'id': 834, 'name': 'handler_834', 'event': event}

def handler_835(event):
    return {'id': 835, 'name': 'handler_835', 'event': event}

def handler_836(event):
    return {'id': 836, 'name': 'handler_836', 'event': event}

def handler_837(event):
    return {'id': 837, 'name': 'handler_837', 'event': event}

def handler_838(event):
    return {'id': 838, 'name': 'handler_838', 'event': event}

def handler_839(event):
    return {'id': 839, 'name': 'handler_839', 'event': event}

def handler_840(event):
    return {'id': 840, 'name': 'handler_840', 'event': event}

def handler_841(event):
    return {'id': 841, 'name': 'handler_841', 'event': event}

def handler_842(event):
    return {'id': 842, 'name': 'handler_842', 'event': event}

def handler_843(event):
    return {'id': 843, 'name': 'handler_843', 'event': event}

def handler_844(event):
    return {'id': 844, 'name': 'handler_844', 'event': event}

def handler_845(event):
    return {'id': 845, 'name': 'handler_845', 'event': event}

def handler_846(event):
    return {'id': 846, 'name': 'handler_846', 'event': event}

def handler_847(event):
    return {'id': 847, 'name': 'handler_847', 'event': event}

def handler_848(event):
    return {'id': 848, 'name': 'handler_848', 'event': event}

def handler_849(event):
    return {'id': 849, 'name': 'handler_849', 'event': event}

def handler_850(event):
    return {'id': 850, 'name': 'handler_850', 'event': event}

def handler_851(event):
    return {'id': 851, 'name': 'handler_851', 'event': event}

def handler_852(event):
    return {'id': 852, 'name': 'handler_852', 'event': event}

def handler_853(event):
    return {'id': 853, 'name': 'handler_853', 'event': event}

def handler_854(event):
    return {'id': 854, 'name': 'handler_854', 'event': event}

def handler_855(event):
    return {'id': 855, 'name': 'handler_855', 'event': event}

def handler_856(event):
    return {'id': 856, 'name': 'handler_856', 'event': event}

def handler_857(event):
    return {'id': 857, 'name': 'handler_857', 'event': event}

def handler_858(event):
    return {'id': 858, 'name': 'handler_858', 'event': event}

def handler_859(event):
    return {'id': 859, 'name': 'handler_859', 'event': event}

def handler_860(event):
    return {'id': 860, 'name': 'handler_860', 'event': event}

def handler_861(event):
    return {'id': 861, 'name': 'handler_861', 'event': event}

def handler_862(event):
    return {'id': 862, 'name': 'handler_862', 'event': event}

def handler_863(event):
    return {'id': 863, 'name': 'handler_863', 'event': event}

def handler_864(event):
    return {'id': 864, 'name': 'handler_864', 'event': event}

def handler_865(event):
    return {'id': 865, 'name': 'handler_865', 'event': event}

def handler_866(event):
    return {'id': 866, 'name': 'handler_866', 'event': event}

def handler_867(event):
    return {'id': 867, 'name': 'handler_867', 'event': event}

def handler_868(event):
    return {'id': 868, 'name': 'handler_868', 'event': event}

def handler_869(event):
    return {'id': 869, 'name': 'handler_869', 'event': event}

def handler_870(event):
    return {'id': 870, 'name': 'handler_870', 'event': event}

def handler_871(event):
    return {'id': 871, 'name': 'handler_871', 'event': event}

def handler_872(event):
    return {'id': 872, 'name': 'handler_872', 'event': event}

def handler_873(event):
    return {'id': 873, 'name': 'handler_873', 'event': event}

def handler_874(event):
    return {'id': 874, 'name': 'handler_874', 'event': event}

def handler_875(event):
    return {'id': 875, 'name': 'handler_875', 'event': event}

def handler_876(event):
    return {'id': 876, 'name': 'handler_876', 'event': event}

def handler_877(event):
    return {'id': 877, 'name': 'handler_877', 'event': event}

def handler_878(event):
    return {'id': 878, 'name': 'handler_878', 'event': event}

def handler_879(event):
    return {'id': 879, 'name': 'handler_879', 'event': event}

def handler_880(event):
    return {'id': 880, 'name': 'handler_880', 'event': event}

def handler_881(event):
    return {'id': 881, 'name': 'handler_881', 'event': event}

def handler_882(event):
    return {'id': 882, 'name': 'handler_882', 'event': event}

def handler_883(event):
    return {'id': 883, 'name': 'handler_883', 'event': event}

def handler_884(event):
    return {'id': 884, 'name': 'handler_884', 'event': event}

def handler_885(event):
    return {'id': 885, 'name': 'handler_885', 'event': event}

def handler_886(event):
    return {'id': 886, 'name': 'handler_886', 'event': event}

def handler_887(event):
    return {'id': 887, 'name': 'handler_887', 'event': event}

def handler_888(event):
    return {'id': 888, 'name': 'handler_888', 'event': event}

def handler_889(event):
    return {'id': 889, 'name': 'handler_889', 'event': event}

def handler_890(event):
    return {'id': 890, 'name': 'handler_890', 'event': event}

def handler_891(event):
    return {'id': 891, 'name': 'handler_891', 'event': event}

def handler_892(event):
    return {'id': 892, 'name': 'handler_892', 'event': event}

def handler_893(event):
    return {'id': 893, 'name': 'handler_893', 'event': event}

def handler_894(event):
    return {'id': 894, 'name': 'handler_894', 'event': event}

def handler_895(event):
    return {'id': 895, 'name': 'handler_895', 'event': event}

def handler_896(event):
    return {'id': 896, 'name': 'handler_896', 'event': event}

def handler_897(event):
    return {'id': 897, 'name': 'handler_897', 'event': event}

def handler_898(event):
    return {'id': 898, 'name': 'handler_898', 'event': event}

def handler_899(event):
    return {'id': 899, 'name': 'handler_899', 'event': event}

def handler_900(event):
    return {'id': 900, 'name': 'handler_900', 'event': event}

def handler_901(event):
    return {'id': 901, 'name': 'handler_901', 'event': event}

def handler_902(event):
    return {'id': 902, 'name': 'handler_902', 'event': event}

def handler_903(event):
    return {'id': 903, 'name': 'handler_903', 'event': event}

def handler_904(event):
    return {'id': 904, 'name': 'handler_904', 'event': event}

def handler_905(event):
    return {'id': 905, 'name': 'handler_905', 'event': event}

def handler_906(event):
    return {'id': 906, 'name': 'handler_906', 'event': event}

def handler_907(event):
    return {'id': 907, 'name': 'handler_907', 'event': event}

def handler_908(event):
    return {'id': 908, 'name': 'handler_908', 'event': event}

def handler_909(event):
    return {'id': 909, 'name': 'handler_909', 'event': event}

def handler_910(event):
    return {'id': 910, 'name': 'handler_910', 'event': event}

def handler_911(event):
    return {'id': 911, 'name': 'handler_911', 'event': event}

def handler_912(event):
    return {'id': 912, 'name': 'handler_912', 'event': event}

def handler_913(event):
    return {'id': 913, 'name': 'handler_913', 'event': event}

def handler_914(event):
    return {'id': 914, 'name': 'handler_914', 'event': event}

def handler_915(event):
    return {'id': 915, 'name': 'handler_915', 'event': event}

def handler_916(event):
    return {'id': 916, 'name': 'handler_916', 'event': event}

def handler_917(event):
    return {'id': 917, 'name': 'handler_917', 'event': event}

def handler_918(event):
    return {'id': 918, 'name': 'handler_918', 'event': event}

def handler_919(event):
    return {'id': 919, 'name': 'handler_919', 'event': event}

def handler_920(event):
    return {'id': 920, 'name': 'handler_920', 'event': event}

def handler_921(event):
    return {'id': 921, 'name': 'handler_921', 'event': event}

def handler_922(event):
    return {'id': 922, 'name': 'handler_922', 'event': event}

def handler_923(event):
    return {'id': 923, 'name': 'handler_923', 'event': event}

def handler_924(event):
    return {'id': 924, 'name': 'handler_924', 'event': event}

def handler_925(event):
    return {'id': 925, 'name': 'handler_925', 'event': event}

def handler_926(event):
    return {'id': 926, 'name': 'handler_926', 'event': event}

def handler_927(event):
    return {'id': 927, 'name': 'handler_927', 'event': event}

def handler_928(event):
    return {'id': 928, 'name': 'handler_928', 'event': event}

def handler_929(event):
    return {'id': 929, 'name': 'handler_929', 'event': event}

def handler_930(event):
    return {'id': 930, 'name': 'handler_930', 'event': event}

def handler_931(event):
    return {'id': 931, 'name': 'handler_931', 'event': event}

def handler_932(event):
    return {'id': 932, 'name': 'handler_932', 'event': event}

def handler_933(event):
    return {'id': 933, 'name': 'handler_933', 'event': event}

def handler_934(event):
    return {'id': 934, 'name': 'handler_934', 'event': event}

def handler_935(event):
    return {'id': 935, 'name': 'handler_935', 'event': event}

def handler_936(event):
    return {'id': 936, 'name': 'handler_936', 'event': event}

def handler_937(event):
    return {'id': 937, 'name': 'handler_937', 'event': event}

def handler_938(event):
    return {'id': 938, 'name': 'handler_938', 'event': event}

def handler_939(event):
    return {'id': 939, 'name': 'handler_939', 'event': event}

def handler_940(event):
    return {'id': 940, 'name': 'handler_940', 'event': event}

def handler_941(event):
    return {'id': 941, 'name': 'handler_941', 'event': event}

def handler_942(event):
    return {'id': 942, 'name': 'handler_942', 'event': event}

def handler_943(event):
    return {'id': 943, 'name': 'handler_943', 'event': event}

def handler_944(event):
    return {'id': 944, 'name': 'handler_944', 'event': event}

def handler_945(event):
    return {'id': 945, 'name': 'handler_945', 'event': event}

def handler_946(event):
    return {'id': 946, 'name': 'handler_946', 'event': event}

def handler_947(event):
    return {'id': 947, 'name': 'handler_947', 'event': event}

def handler_948(event):
    return {'id': 948, 'name': 'handler_948', 'event': event}

def handler_949(event):
    return {'id': 949, 'name': 'handler_949', 'event': event}

def handler_950(event):
    return {'id': 950, 'name': 'handler_950', 'event': event}

def handler_951(event):
    return {'id': 951, 'name': 'handler_951', 'event': event}

def handler_952(event):
    return {'id': 952, 'name': 'handler_952', 'event': event}

def handler_953(event):
    return {'id': 953, 'name': 'handler_953', 'event': event}

def handler_954(event):
    return {'id': 954, 'name': 'handler_954', 'event': event}

def handler_955(event):
    return {'id': 955, 'name': 'handler_955', 'event': event}

def handler_956(event):
    return {'id': 956, 'name': 'handler_956', 'event': event}

def handler_957(event):
    return {'id': 957, 'name': 'handler_957', 'event': event}

def handler_958(event):
    return {'id': 958, 'name': 'handler_958', 'event': event}

def handler_959(event):
    return {'id': 959, 'name': 'handler_959', 'event': event}

def handler_960(event):
    return {'id': 960, 'name': 'handler_960', 'event': event}

def handler_961(event):
    return {'id': 961, 'name': 'handler_961', 'event': event}

def handler_962(event):
    return {'id': 962, 'name': 'handler_962', 'event': event}

def handler_963(event):
    return {'id': 963, 'name': 'handler_963', 'event': event}

def handler_964(event):
    return {'id': 964, 'name': 'handler_964', 'event': event}

def handler_965(event):
    return {'id': 965, 'name': 'handler_965', 'event': event}

def handler_966(event):
    return {'id': 966, 'name': 'handler_966', 'event': event}

def handler_967(event):
    return {'id': 967, 'name': 'handler_967', 'event': event}

def handler_968(event):
    return {'id': 968, 'name': 'handler_968', 'event': event}

def handler_969(event):
    return {'id': 969, 'name': 'handler_969', 'event': event}

def handler_970(event):
    return {'id': 970, 'name': 'handler_970', 'event': event}

def handler_971(event):
    return {'id': 971, 'name': 'handler_971', 'event': event}

def handler_972(event):
    return {'id': 972, 'name': 'handler_972', 'event': event}

def handler_973(event):
    return {'id': 973, 'name': 'handler_973', 'event': event}

def handler_974(event):
    return {'id': 974, 'name': 'handler_974', 'event': event}

def handler_975(event):
    return {'id': 975, 'name': 'handler_975', 'event': event}

def handler_976(event):
    return {'id': 976, 'name': 'handler_976', 'event': event}

def handler_977(event):
    return {'id': 977, 'name': 'handler_977', 'event': event}

def handler_978(event):
    return {'id': 978, 'name': 'handler_978', 'event': event}

def handler_979(event):
    return {'id': 979, 'name': 'handler_979', 'event': event}

def handler_980(event):
    return {'id': 980, 'name': 'handler_980', 'event': event}

def handler_981(event):
    return {'id': 981, 'name': 'handler_981', 'event': event}

def handler_982(event):
    return {'id': 982, 'name': 'handler_982', 'event': event}

def handler_983(event):
    return {'id': 983, 'name': 'handler_983', 'event': event}

def handler_984(event):
    return {'id': 984, 'name': 'handler_984', 'event': event}

def handler_985(event):
    return {'id': 985, 'name': 'handler_985', 'event': event}

def handler_986(event):
    return {'id': 986, 'name': 'handler_986', 'event': event}

def handler_987(event):
    return {'id': 987, 'name': 'handler_987', 'event': event}

def handler_988(event):
    return {'id': 988, 'name': 'handler_988', 'event': event}

def handler_989(event):
    return {'id': 989, 'name': 'handler_989', 'event': event}

def handler_990(event):
    return {'id': 990, 'name': 'handler_990', 'event': event}

def handler_991(event):
    return {'id': 991, 'name': 'handler_991', 'event': event}

def handler_992(event):
    return {'id': 992, 'name': 'handler_992', 'event': event}

def handler_993(event):
    return {'id': 993, 'name': 'handler_993', 'event': event}

def handler_994(event):
    return {'id': 994, 'name': 'handler_994', 'event': event}

def handler_995(event):
    return {'id': 995, 'name': 'handler_995', 'event': event}

def handler_996(event):
    return {'id': 996, 'name': 'handler_996', 'event': event}

def handler_997(event):
    return {'id': 997, 'name': 'handler_997', 'event': event}

def handler_998(event):
    return {'id': 998, 'name': 'handler_998', 'event': event}

def handler_999(event):
    return {'id': 999, 'name': 'handler_999', 'event': event}

def handler_1000(event):
    return {'id': 1000, 'name': 'handler_1000', 'event': event}

def handler_1001(event):
    return {'id': 1001, 'name': 'handler_1001', 'event': event}

def handler_1002(event):
    return {'id': 1002, 'name': 'handler_1002', 'event': event}

def handler_1003(event):
    return {'id': 1003, 'name': 'handler_1003', 'event': event}

def handler_1004(event):
    return {'id': 1004, 'name': 'handler_1004', 'event': event}

def handler_1005(event):
    return {'id': 1005, 'name': 'handler_1005', 'event': event}

def handler_1006(event):
    return {'id': 1006, 'name': 'handler_1006', 'event': event}

def handler_1007(event):
    return {'id': 1007, 'name': 'handler_1007', 'event': event}

def handler_1008(event):
    return {'id': 1008, 'name': 'handler_1008', 'event': event}

def handler_1009(event):
    return {'id': 1009, 'name': 'handler_1009', 'event': event}

def handler_1010(event):
    return {'id': 1010, 'name': 'handler_1010', 'event': event}

def handler_1011(event):
    return {'id': 1011, 'name': 'handler_1011', 'event': event}

def handler_1012(event):
    return {'id': 1012, 'name': 'handler_1012', 'event': event}

def handler_1013(event):
    return {'id': 1013, 'name': 'handler_1013', 'event': event}

def handler_1014(event):
    return {'id': 1014, 'name': 'handler_1014', 'event': event}

def handler_1015(event):
    return {'id': 1015, 'name': 'handler_1015', 'event': event}

def handler_1016(event):
    return {'id': 1016, 'name': 'handler_1016', 'event': event}

def handler_1017(event):
    return {'id': 1017, 'name': 'handler_1017', 'event': event}

def handler_1018(event):
    return {'id': 1018, 'name': 'handler_1018', 'event': event}

def handler_1019(event):
    return {'id': 1019, 'name': 'handler_1019', 'event': event}

def handler_1020(event):
    return {'id': 1020, 'name': 'handler_1020', 'event': event}

def handler_1021(event):
    return {'id': 1021, 'name': 'handler_1021', 'event': event}

def handler_1022(event):
    return {'id': 1022, 'name': 'handler_1022', 'event': event}

def handler_1023(event):
    return {'id': 1023, 'name': 'handler_1023', 'event': event}

def handler_1024(event):
    return {'id': 1024, 'name': 'handler_1024', 'event': event}

def handler_1025(event):
    return {'id': 1025, 'name': 'handler_1025', 'event': event}

def handler_1026(event):
    return {'id': 1026, 'name': 'handler_1026', 'event': event}

def handler_1027(event):
    return {'id': 1027, 'name': 'handler_1027', 'event': event}

def handler_1028(event):
    return {'id': 1028, 'name': 'handler_1028', 'event': event}

def handler_1029(event):
    return {'id': 1029, 'name': 'handler_1029', 'event': event}

def handler_1030(event):
    return {'id': 1030, 'name': 'handler_1030', 'event': event}

def handler_1031(event):
    return {'id': 1031, 'name': 'handler_1031', 'event': event}

def handler_1032(event):
    return {'id': 1032, 'name': 'handler_1032', 'event': event}

def handler_1033(event):
    return {'id': 1033, 'name': 'handler_1033', 'event': event}

def handler_1034(event):
    return {'id': 1034, 'name': 'handler_1034', 'event': event}

def handler_1035(event):
    return {'id': 1035, 'name': 'handler_1035', 'event': event}

def handler_1036(event):
    return {'id': 1036, 'name': 'handler_1036', 'event': event}

def handler_1037(event):
    return {'id': 1037, 'name': 'handler_1037', 'event': event}

def handler_1038(event):
    return {'id': 1038, 'name': 'handler_1038', 'event': event}

def handler_1039(event):
    return {'id': 1039, 'name': 'handler_1039', 'event': event}

def handler_1040(event):
    return {'id': 1040, 'name': 'handler_1040', 'event': event}

def handler_1041(event):
    return {'id': 1041, 'name': 'handler_1041', 'event': event}

def handler_1042(event):
    return {'id': 1042, 'name': 'handler_1042', 'event': event}

def handler_1043(event):
    return {'id': 1043, 'name': 'handler_1043', 'event': event}

def handler_1044(event):
    return {'id': 1044, 'name': 'handler_1044', 'event': event}

def handler_1045(event):
    return {'id': 1045, 'name': 'handler_1045', 'event': event}

def handler_1046(event):
    return {'id': 1046, 'name': 'handler_1046', 'event': event}

def handler_1047(event):
    return {'id': 1047, 'name': 'handler_1047', 'event': event}

def handler_1048(event):
    return {'id': 1048, 'name': 'handler_1048', 'event': event}

def handler_1049(event):
    return {'id': 1049, 'name': 'handler_1049', 'event': event}

def handler_1050(event):
    return {'id': 1050, 'name': 'handler_1050', 'event': event}

def handler_1051(event):
    return {'id': 1051, 'name': 'handler_1051', 'event': event}

def handler_1052(event):
    return {'id': 1052, 'name': 'handler_1052', 'event': event}

def handler_1053(event):
    return {'id': 1053, 'name': 'handler_1053', 'event': event}

def handler_1054(event):
    return {'id': 1054, 'name': 'handler_1054', 'event': event}

def handler_1055(event):
    return {'id': 1055, 'name': 'handler_1055', 'event': event}

def handler_1056(event):
    return {'id': 1056, 'name': 'handler_1056', 'event': event}

def handler_1057(event):
    return {'id': 1057, 'name': 'handler_1057', 'event': event}

def handler_1058(event):
    return {'id': 1058, 'name': 'handler_1058', 'event': event}

def handler_1059(event):
    return {'id': 1059, 'name': 'handler_1059', 'event': event}

def handler_1060(event):
    return {'id': 1060, 'name': 'handler_1060', 'event': event}

def handler_1061(event):
    return {'id': 1061, 'name': 'handler_1061', 'event': event}

def handler_1062(event):
    return {'id': 1062, 'name': 'handler_1062', 'event': event}

def handler_1063(event):
    return {'id': 1063, 'name': 'handler_1063', 'event': event}

def handler_1064(event):
    return {'id': 1064, 'name': 'handler_1064', 'event': event}

def handler_1065(event):
    return {'id': 1065, 'name': 'handler_1065', 'event': event}

def handler_1066(event):
    return {'id': 1066, 'name': 'handler_1066', 'event': event}

def handler_1067(event):
    return {'id': 1067, 'name': 'handler_1067', 'event': event}

def handler_1068(event):
    return {'id': 1068, 'name': 'handler_1068', 'event': event}

def handler_1069(event):
    return {'id': 1069, 'name': 'handler_1069', 'event': event}

def handler_1070(event):
    return {'id': 1070, 'name': 'handler_1070', 'event': event}

def handler_1071(event):
    return {'id': 1071, 'name': 'handler_1071', 'event': event}

def handler_1072(event):
    return {'id': 1072, 'name': 'handler_1072', 'event': event}

def handler_1073(event):
    return {'id': 1073, 'name': 'handler_1073', 'event': event}

def handler_1074(event):
    return {'id': 1074, 'name': 'handler_1074', 'event': event}

def handler_1075(event):
    return {'id': 1075, 'name': 'handler_1075', 'event': event}

def handler_1076(event):
    return {'id': 1076, 'name': 'handler_1076', 'event': event}

def handler_1077(event):
    return {'id': 1077, 'name': 'handler_1077', 'event': event}

def handler_1078(event):
    return {'id': 1078, 'name': 'handler_1078', 'event': event}

def handler_1079(event):
    return {'id': 1079, 'name': 'handler_1079', 'event': event}

def handler_1080(event):
    return {'id': 1080, 'name': 'handler_1080', 'event': event}

def handler_1081(event):
    return {'id': 1081, 'name': 'handler_1081', 'event': event}

def handler_1082(event):
    return {'id': 1082, 'name': 'handler_1082', 'event': event}

def handler_1083(event):
    return {'id': 1083, 'name': 'handler_1083', 'event': event}

def handler_1084(event):
    return {'id': 1084, 'name': 'handler_1084', 'event': event}

def handler_1085(event):
    return {'id': 1085, 'name': 'handler_1085', 'event': event}

def handler_1086(event):
    return {'id': 1086, 'name': 'handler_1086', 'event': event}

def handler_1087(event):
    return {'id': 1087, 'name': 'handler_1087', 'event': event}

def handler_1088(event):
    return {'id': 1088, 'name': 'handler_1088', 'event': event}

def handler_1089(event):
    return {'id': 1089, 'name': 'handler_1089', 'event': event}

def handler_1090(event):
    return {'id': 1090, 'name': 'handler_1090', 'event': event}

def handler_1091(event):
    return {'id': 1091, 'name': 'handler_1091', 'event': event}

def handler_1092(event):
    return {'id': 1092, 'name': 'handler_1092', 'event': event}

def handler_1093(event):
    return {'id': 1093, 'name': 'handler_1093', 'event': event}

def handler_1094(event):
    return {'id': 1094, 'name': 'handler_1094', 'event': event}

def handler_1095(event):
    return {'id': 1095, 'name': 'handler_1095', 'event': event}

def handler_1096(event):
    return {'id': 1096, 'name': 'handler_1096', 'event': event}

def handler_1097(event):
    return {'id': 1097, 'name': 'handler_1097', 'event': event}

def handler_1098(event):
    return {'id': 1098, 'name': 'handler_1098', 'event': event}

def handler_1099(event):
    return {'id': 1099, 'name': 'handler_1099', 'event': event}

def handler_1100(event):
    return {'id': 1100, 'name': 'handler_1100', 'event': event}

def handler_1101(event):
    return {'id': 1101, 'name': 'handler_1101', 'event': event}

def handler_1102(event):
    return {'id': 1102, 'name': 'handler_1102', 'event': event}

def handler_1103(event):
    return {'id': 1103, 'name': 'handler_1103', 'event': event}

def handler_1104(event):
    return {'id': 1104, 'name': 'handler_1104', 'event': event}

def handler_1105(event):
    return {'id': 1105, 'name': 'handler_1105', 'event': event}

def handler_1106(event):
    return {'id': 1106, 'name': 'handler_1106', 'event': event}

def handler_1107(event):
    return {'id': 1107, 'name': 'handler_1107', 'event': event}

def handler_1108(event):
    return {'id': 1108, 'name': 'handler_1108', 'event': event}

def handler_1109(event):
    return {'id': 1109, 'name': 'handler_1109', 'event': event}

def handler_1110(event):
    return {'id': 1110, 'name': 'handler_1110', 'event': event}

def handler_1111(event):
    return {'id': 1111, 'name': 'handler_1111', 'event': event}

def handler_1112(event):
    return {'id': 1112, 'name': 'handler_1112', 'event': event}

def handler_1113(event):
    return {'id': 1113, 'name': 'handler_1113', 'event': event}

def handler_1114(event):
    return {'id': 1114, 'name': 'handler_1114', 'event': event}

def handler_1115(event):
    return {'id': 1115, 'name': 'handler_1115', 'event': event}

def handler_1116(event):
    return {'id': 1116, 'name': 'handler_1116', 'event': event}

def handler_1117(event):
    return {'id': 1117, 'name': 'handler_1117', 'event': event}

def handler_1118(event):
    return {'id': 1118, 'name': 'handler_1118', 'event': event}

def handler_1119(event):
    return {'id': 1119, 'name': 'handler_1119', 'event': event}

def handler_1120(event):
    return {'id': 1120, 'name': 'handler_1120', 'event': event}

def handler_1121(event):
    return {'id': 1121, 'name': 'handler_1121', 'event': event}

def handler_1122(event):
    return {'id': 1122, 'name': 'handler_1122', 'event': event}

def handler_1123(event):
    return {'id': 1123, 'name': 'handler_1123', 'event': event}

def handler_1124(event):
    return {'id': 1124, 'name': 'handler_1124', 'event': event}

def handler_1125(event):
    return {'id': 1125, 'name': 'handler_1125', 'event': event}

def handler_1126(event):
    return {'id': 1126, 'name': 'handler_1126', 'event': event}

def handler_1127(event):
    return {'id': 1127, 'name': 'handler_1127', 'event': event}

def handler_1128(event):
    return {'id': 1128, 'name': 'handler_1128', 'event': event}

def handler_1129(event):
    return {'id': 1129, 'name': 'handler_1129', 'event': event}

def handler_1130(event):
    return {'id': 1130, 'name': 'handler_1130', 'event': event}

def handler_1131(event):
    return {'id': 1131, 'name': 'handler_1131', 'event': event}

def handler_1132(event):
    return {'id': 1132, 'name': 'handler_1132', 'event': event}

def handler_1133(event):
    return {'id': 1133, 'name': 'handler_1133', 'event': event}

def handler_1134(event):
    return {'id': 1134, 'name': 'handler_1134', 'event': event}

def handler_1135(event):
    return {'id': 1135, 'name': 'handler_1135', 'event': event}

def handler_1136(event):
    return {'id': 1136, 'name': 'handler_1136', 'event': event}

def handler_1137(event):
    return {'id': 1137, 'name': 'handler_1137', 'event': event}

def handler_1138(event):
    return {'id': 1138, 'name': 'handler_1138', 'event': event}

def handler_1139(event):
    return {'id': 1139, 'name': 'handler_1139', 'event': event}

def handler_1140(event):
    return {'id': 1140, 'name': 'handler_1140', 'event': event}

def handler_1141(event):
    return {'id': 1141, 'name': 'handler_1141', 'event': event}

def handler_1142(event):
    return {'id': 1142, 'name': 'handler_1142', 'event': event}

def handler_1143(event):
    return {'id': 1143, 'name': 'handler_1143', 'event': event}

def handler_1144(event):
    return {'id': 1144, 'name': 'handler_1144', 'event': event}

def handler_1145(event):
    return {'id': 1145, 'name': 'handler_1145', 'event': event}

def handler_1146(event):
    return {'id': 1146, 'name': 'handler_1146', 'event': event}

def handler_1147(event):
    return {'id': 1147, 'name': 'handler_1147', 'event': event}

def handler_1148(event):
    return {'id': 1148, 'name': 'handler_1148', 'event': event}

def handler_1149(event):
    return {'id': 1149, 'name': 'handler_1149', 'event': event}

def handler_1150(event):
    return {'id': 1150, 'name': 'handler_1150', 'event': event}

def handler_1151(event):
    return {'id': 1151, 'name': 'handler_1151', 'event': event}

def handler_1152(event):
    return {'id': 1152, 'name': 'handler_1152', 'event': event}

def handler_1153(event):
    return {'id': 1153, 'name': 'handler_1153', 'event': event}

def handler_1154(event):
    return {'id': 1154, 'name': 'handler_1154', 'event': event}

def handler_1155(event):
    return {'id': 1155, 'name': 'handler_1155', 'event': event}

def handler_1156(event):
    return {'id': 1156, 'name': 'handler_1156', 'event': event}

def handler_1157(event):
    return {'id': 1157, 'name': 'handler_1157', 'event': event}

def handler_1158(event):
    return {'id': 1158, 'name': 'handler_1158', 'event': event}

def handler_1159(event):
    return {'id': 1159, 'name': 'handler_1159', 'event': event}

def handler_1160(event):
    return {'id': 1160, 'name': 'handler_1160', 'event': event}

def handler_1161(event):
    return {'id': 1161, 'name': 'handler_1161', 'event': event}

def handler_1162(event):
    return {'id': 1162, 'name': 'handler_1162', 'event': event}

def handler_1163(event):
    return {'id': 1163, 'name': 'handler_1163', 'event': event}

def handler_1164(event):
    return {'id': 1164, 'name': 'handler_1164', 'event': event}

def handler_1165(event):
    return {'id': 1165, 'name': 'handler_1165', 'event': event}

def handler_1166(event):
    return {'id': 1166, 'name': 'handler_1166', 'event': event}

def handler_1167(event):
    return {'id': 1167, 'name': 'handler_1167', 'event': event}

def handler_1168(event):
    return {'id': 1168, 'name': 'handler_1168', 'event': event}

def handler_1169(event):
    return {'id': 1169, 'name': 'handler_1169', 'event': event}

def handler_1170(event):
    return {'id': 1170, 'name': 'handler_1170', 'event': event}

def handler_1171(event):
    return {'id': 1171, 'name': 'handler_1171', 'event': event}

def handler_1172(event):
    return {'id': 1172, 'name': 'handler_1172', 'event': event}

def handler_1173(event):
    return {'id': 1173, 'name': 'handler_1173', 'event': event}

def handler_1174(event):
    return {'id': 1174, 'name': 'handler_1174', 'event': event}

def handler_1175(event):
    return {'id': 1175, 'name': 'handler_1175', 'event': event}

def handler_1176(event):
    return {'id': 1176, 'name': 'handler_1176', 'event': event}

def handler_1177(event):
    return {'id': 1177, 'name': 'handler_1177', 'event': event}

def handler_1178(event):
    return {'id': 1178, 'name': 'handler_1178', 'event': event}

def handler_1179(event):
    return {'id': 1179, 'name': 'handler_1179', 'event': event}

def handler_1180(event):
    return {'id': 1180, 'name': 'handler_1180', 'event': event}

def handler_1181(event):
    return {'id': 1181, 'name': 'handler_1181', 'event': event}

def handler_1182(event):
    return {'id': 1182, 'name': 'handler_1182', 'event': event}

def handler_1183(event):
    return {'id': 1183, 'name': 'handler_1183', 'event': event}

def handler_1184(event):
    return {'id': 1184, 'name': 'handler_1184', 'event': event}

def handler_1185(event):
    return {'id': 1185, 'name': 'handler_1185', 'event': event}

def handler_1186(event):
    return {'id': 1186, 'name': 'handler_1186', 'event': event}

def handler_1187(event):
    return {'id': 1187, 'name': 'handler_1187', 'event': event}

def handler_1188(event):
    return {'id': 1188, 'name': 'handler_1188', 'event': event}

def handler_1189(event):
    return {'id': 1189, 'name': 'handler_1189', 'event': event}

def handler_1190(event):
    return {'id': 1190, 'name': 'handler_1190', 'event': event}

def handler_1191(event):
    return {'id': 1191, 'name': 'handler_1191', 'event': event}

def handler_1192(event):
    return {'id': 1192, 'name': 'handler_1192', 'event': event}

def handler_1193(event):
    return {'id': 1193, 'name': 'handler_1193', 'event': event}

def handler_1194(event):
    return {'id': 1194, 'name': 'handler_1194', 'event': event}

def handler_1195(event):
    return {'id': 1195, 'name': 'handler_1195', 'event': event}

def handler_1196(event):
    return {'id': 1196, 'name': 'handler_1196', 'event': event}

def handler_1197(event):
    return {'id': 1197, 'name': 'handler_1197', 'event': event}

def handler_1198(event):
    return {'id': 1198, 'name': 'handler_1198', 'event': event}

def handler_1199(event):
    return {'id': 1199, 'name': 'handler_1199', 'event': event}

def handler_1200(event):
    return {'id': 1200, 'name': 'handler_1200', 'event': event}

def handler_1201(event):
    return {'id': 1201, 'name': 'handler_1201', 'event': event}

def handler_1202(event):
    return {'id': 1202, 'name': 'handler_1202', 'event': event}

def handler_1203(event):
    return {'id': 1203, 'name': 'handler_1203', 'event': event}

def handler_1204(event):
    return {'id': 1204, 'name': 'handler_1204', 'event': event}

def handler_1205(event):
    return {'id': 1205, 'name': 'handler_1205', 'event': event}

def handler_1206(event):
    return {'id': 1206, 'name': 'handler_1206', 'event': event}

def handler_1207(event):
    return {'id': 1207, 'name': 'handler_1207', 'event': event}

def handler_1208(event):
    return {'id': 1208, 'name': 'handler_1208', 'event': event}

def handler_1209(event):
    return {'id': 1209, 'name': 'handler_1209', 'event': event}

def handler_1210(event):
    return {'id': 1210, 'name': 'handler_1210', 'event': event}

def handler_1211(event):
    return {'id': 1211, 'name': 'handler_1211', 'event': event}

def handler_1212(event):
    return {'id': 1212, 'name': 'handler_1212', 'event': event}

def handler_1213(event):
    return {'id': 1213, 'name': 'handler_1213', 'event': event}

def handler_1214(event):
    return {'id': 1214, 'name': 'handler_1214', 'event': event}

def handler_1215(event):
    return {'id': 1215, 'name': 'handler_1215', 'event': event}

def handler_1216(event):
    return {'id': 1216, 'name': 'handler_1216', 'event': event}

def handler_1217(event):
    return {'id': 1217, 'name': 'handler_1217', 'event': event}

def handler_1218(event):
    return {'id': 1218, 'name': 'handler_1218', 'event': event}

def handler_1219(event):
    return {'id': 1219, 'name': 'handler_1219', 'event': event}

def handler_1220(event):
    return {'id': 1220, 'name': 'handler_1220', 'event': event}

def handler_1221(event):
    return {'id': 1221, 'name': 'handler_1221', 'event': event}

def handler_1222(event):
    return {'id': 1222, 'name': 'handler_1222', 'event': event}

def handler_1223(event):
    return {'id': 1223, 'name': 'handler_1223', 'event': event}

def handler_1224(event):
    return {'id': 1224, 'name': 'handler_1224', 'event': event}

def handler_1225(event):
    return {'id': 1225, 'name': 'handler_1225', 'event': event}

def handler_1226(event):
    return {'id': 1226, 'name': 'handler_1226', 'event': event}

def handler_1227(event):
    return {'id': 1227, 'name': 'handler_1227', 'event': event}

def handler_1228(event):
    return {'id': 1228, 'name': 'handler_1228', 'event': event}

def handler_1229(event):
    return {'id': 1229, 'name': 'handler_1229', 'event': event}

def handler_1230(event):
    return {'id': 1230, 'name': 'handler_1230', 'event': event}

def handler_1231(event):
    return {'id': 1231, 'name': 'handler_1231', 'event': event}

def handler_1232(event):
    return {'id': 1232, 'name': 'handler_1232', 'event': event}

def handler_1233(event):
    return {'id': 1233, 'name': 'handler_1233', 'event': event}

def handler_1234(event):
    return {'id': 1234, 'name': 'handler_1234', 'event': event}

def handler_1235(event):
    return {'id': 1235, 'name': 'handler_1235', 'event': event}

def handler_1236(event):
    return {'id': 1236, 'name': 'handler_1236', 'event': event}

def handler_1237(event):
    return {'id': 1237, 'name': 'handler_1237', 'event': event}

def handler_1238(event):
    return {'id': 1238, 'name': 'handler_1238', 'event': event}

def handler_1239(event):
    return {'id': 1239, 'name': 'handler_1239', 'event': event}

def handler_1240(event):
    return {'id': 1240, 'name': 'handler_1240', 'event': event}

def handler_1241(event):
    return {'id': 1241, 'name': 'handler_1241', 'event': event}

def handler_1242(event):
    return {'id': 1242, 'name': 'handler_1242', 'event': event}

def handler_1243(event):
    return {'id': 1243, 'name': 'handler_1243', 'event': event}

def handler_1244(event):
    return {'id': 1244, 'name': 'handler_1244', 'event': event}

def handler_1245(event):
    return {'id': 1245, 'name': 'handler_1245', 'event': event}

def handler_1246(event):
    return {'id': 1246, 'name': 'handler_1246', 'event': event}

def handler_1247(event):
    return {'id': 1247, 'name': 'handler_1247', 'event': event}

def handler_1248(event):
    return {'id': 1248, 'name': 'handler_1248', 'event': event}

def handler_1249(event):
    return {'id': 1249, 'name': 'handler_1249', 'event': event}

def handler_1250(event):
    return {'id': 1250, 'name': 'handler_1250', 'event': event}

def handler_1251(event):
    return {'id': 1251, 'name': 'handler_1251', 'event': event}

def handler_1252(event):
    return {'id': 1252, 'name': 'handler_1252', 'event': event}

def handler_1253(event):
    return {'id': 1253, 'name': 'handler_1253', 'event': event}

def handler_1254(event):
    return {'id': 1254, 'name': 'handler_1254', 'event': event}

def handler_1255(event):
    return {'id': 1255, 'name': 'handler_1255', 'event': event}

def handler_1256(event):
    return {'id': 1256, 'name': 'handler_1256', 'event': event}

def handler_1257(event):
    return {'id': 1257, 'name': 'handler_1257', 'event': event}

def handler_1258(event):
    return {'id': 1258, 'name': 'handler_1258', 'event': event}

def handler_1259(event):
    return {'id': 1259, 'name': 'handler_1259', 'event': event}

def handler_1260(event):
    return {'id': 1260, 'name': 'handler_1260', 'event': event}

def handler_1261(event):
    return {'id': 1261, 'name': 'handler_1261', 'event': event}

def handler_1262(event):
    return {'id': 1262, 'name': 'handler_1262', 'event': event}

def handler_1263(event):
    return {'id': 1263, 'name': 'handler_1263', 'event': event}

def handler_1264(event):
    return {'id': 1264, 'name': 'handler_1264', 'event': event}

def handler_1265(event):
    return {'id': 1265, 'name': 'handler_1265', 'event': event}

def handler_1266(event):
    return {'id': 1266, 'name': 'handler_1266', 'event': event}

def handler_1267(event):
    return {'id': 1267, 'name': 'handler_1267', 'event': event}

def handler_1268(event):
    return {'id': 1268, 'name': 'handler_1268', 'event': event}

def handler_1269(event):
    return {'id': 1269, 'name': 'handler_1269', 'event': event}

def handler_1270(event):
    return {'id': 1270, 'name': 'handler_1270', 'event': event}

def handler_1271(event):
    return {'id': 1271, 'name': 'handler_1271', 'event': event}

def handler_1272(event):
    return {'id': 1272, 'name': 'handler_1272', 'event': event}

def handler_1273(event):
    return {'id': 1273, 'name': 'handler_1273', 'event': event}

def handler_1274(event):
    return {'id': 1274, 'name': 'handler_1274', 'event': event}

def handler_1275(event):
    return {'id': 1275, 'name': 'handler_1275', 'event': event}

def handler_1276(event):
    return {'id': 1276, 'name': 'handler_1276', 'event': event}

def handler_1277(event):
    return {'id': 1277, 'name': 'handler_1277', 'event': event}

def handler_1278(event):
    return {'id': 1278, 'name': 'handler_1278', 'event': event}

def handler_1279(event):
    return {'id': 1279, 'name': 'handler_1279', 'event': event}

def handler_1280(event):
    return {'id': 1280, 'name': 'handler_1280', 'event': event}

def handler_1281(event):
    return {'id': 1281, 'name': 'handler_1281', 'event': event}

def handler_1282(event):
    return {'id': 1282, 'name': 'handler_1282', 'event': event}

def handler_1283(event):
    return {'id': 1283, 'name': 'handler_1283', 'event': event}

def handler_1284(event):
    return {'id': 1284, 'name': 'handler_1284', 'event': event}

def handler_1285(event):
    return {'id': 1285, 'name': 'handler_1285', 'event': event}

def handler_1286(event):
    return {'id': 1286, 'name': 'handler_1286', 'event': event}

def handler_1287(event):
    return {'id': 1287, 'name': 'handler_1287', 'event': event}

def handler_1288(event):
    return {'id': 1288, 'name': 'handler_1288', 'event': event}

def handler_1289(event):
    return {'id': 1289, 'name': 'handler_1289', 'event': event}

def handler_1290(event):
    return {'id': 1290, 'name': 'handler_1290', 'event': event}

def handler_1291(event):
    return {'id': 1291, 'name': 'handler_1291', 'event': event}

def handler_1292(event):
    return {'id': 1292, 'name': 'handler_1292', 'event': event}

def handler_1293(event):
    return {'id': 1293, 'name': 'handler_1293', 'event': event}

def handler_1294(event):
    return {'id': 1294, 'name': 'handler_1294', 'event': event}

def handler_1295(event):
    return {'id': 1295, 'name': 'handler_1295', 'event': event}

def handler_1296(event):
    return {'id': 1296, 'name': 'handler_1296', 'event': event}

def handler_1297(event):
    return {'id': 1297, 'name': 'handler_1297', 'event': event}

def handler_1298(event):
    return {'id': 1298, 'name': 'handler_1298', 'event': event}

def handler_1299(event):
    return {'id': 1299, 'name': 'handler_1299', 'event': event}

def handler_1300(event):
    return {'id': 1300, 'name': 'handler_1300', 'event': event}

def handler_1301(event):
    return {'id': 1301, 'name': 'handler_1301', 'event': event}

def handler_1302(event):
    return {'id': 1302, 'name': 'handler_1302', 'event': event}

def handler_1303(event):
    return {'id': 1303, 'name': 'handler_1303', 'event': event}

def handler_1304(event):
    return {'id': 1304, 'name': 'handler_1304', 'event': event}

def handler_1305(event):
    return {'id': 1305, 'name': 'handler_1305', 'event': event}

def handler_1306(event):
    return {'id': 1306, 'name': 'handler_1306', 'event': event}

def handler_1307(event):
    return {'id': 1307, 'name': 'handler_1307', 'event': event}

def handler_1308(event):
    return {'id': 1308, 'name': 'handler_1308', 'event': event}

def handler_1309(event):
    return {'id': 1309, 'name': 'handler_1309', 'event': event}

def handler_1310(event):
    return {'id': 1310, 'name': 'handler_1310', 'event': event}

def handler_1311(event):
    return {'id': 1311, 'name': 'handler_1311', 'event': event}

def handler_1312(event):
    return {'id': 1312, 'name': 'handler_1312', 'event': event}

def handler_1313(event):
    return {'id': 1313, 'name': 'handler_1313', 'event': event}

def handler_1314(event):
    return {'id': 1314, 'name': 'handler_1314', 'event': event}

def handler_1315(event):
    return {'id': 1315, 'name': 'handler_1315', 'event': event}

def handler_1316(event):
    return {'id': 1316, 'name': 'handler_1316', 'event': event}

def handler_1317(event):
    return {'id': 1317, 'name': 'handler_1317', 'event': event}

def handler_1318(event):
    return {'id': 1318, 'name': 'handler_1318', 'event': event}

def handler_1319(event):
    return {'id': 1319, 'name': 'handler_1319', 'event': event}

def handler_1320(event):
    return {'id': 1320, 'name': 'handler_1320', 'event': event}

def handler_1321(event):
    return {'id': 1321, 'name': 'handler_1321', 'event': event}

def handler_1322(event):
    return {'id': 1322, 'name': 'handler_1322', 'event': event}

def handler_1323(event):
    return {'id': 1323, 'name': 'handler_1323', 'event': event}

def handler_1324(event):
    return {'id': 1324, 'name': 'handler_1324', 'event': event}

def handler_1325(event):
    return {'id': 1325, 'name': 'handler_1325', 'event': event}

def handler_1326(event):
    return {'id': 1326, 'name': 'handler_1326', 'event': event}

def handler_1327(event):
    return {'id': 1327, 'name': 'handler_1327', 'event': event}

def handler_1328(event):
    return {'id': 1328, 'name': 'handler_1328', 'event': event}

def handler_1329(event):
    return {'id': 1329, 'name': 'handler_1329', 'event': event}

def handler_1330(event):
    return {'id': 1330, 'name': 'handler_1330', 'event': event}

def handler_1331(event):
    return {'id': 1331, 'name': 'handler_1331', 'event': event}

def handler_1332(event):
    return {'id': 1332, 'name': 'handler_1332', 'event': event}

def handler_1333(event):
    return {'id': 1333, 'name': 'handler_1333', 'event': event}

def handler_1334(event):
    return {'id': 1334, 'name': 'handler_1334', 'event': event}

def handler_1335(event):
    return {'id': 1335, 'name': 'handler_1335', 'event': event}

def handler_1336(event):
    return {'id': 1336, 'name': 'handler_1336', 'event': event}

def handler_1337(event):
    return {'id': 1337, 'name': 'handler_1337', 'event': event}

def handler_1338(event):
    return {'id': 1338, 'name': 'handler_1338', 'event': event}

def handler_1339(event):
    return {'id': 1339, 'name': 'handler_1339', 'event': event}

def handler_1340(event):
    return {'id': 1340, 'name': 'handler_1340', 'event': event}

def handler_1341(event):
    return {'id': 1341, 'name': 'handler_1341', 'event': event}

def handler_1342(event):
    return {'id': 1342, 'name': 'handler_1342', 'event': event}

def handler_1343(event):
    return {'id': 1343, 'name': 'handler_1343', 'event': event}

def handler_1344(event):
    return {'id': 1344, 'name': 'handler_1344', 'event': event}

def handler_1345(event):
    return {'id': 1345, 'name': 'handler_1345', 'event': event}

def handler_1346(event):
    return {'id': 1346, 'name': 'handler_1346', 'event': event}

def handler_1347(event):
    return {'id': 1347, 'name': 'handler_1347', 'event': event}

def handler_1348(event):
    return {'id': 1348, 'name': 'handler_1348', 'event': event}

def handler_1349(event):
    return {'id': 1349, 'name': 'handler_1349', 'event': event}

def handler_1350(event):
    return {'id': 1350, 'name': 'handler_1350', 'event': event}

def handler_1351(event):
    return {'id': 1351, 'name': 'handler_1351', 'event': event}

def handler_1352(event):
    return {'id': 1352, 'name': 'handler_1352', 'event': event}

def handler_1353(event):
    return {'id': 1353, 'name': 'handler_1353', 'event': event}

def handler_1354(event):
    return {'id': 1354, 'name': 'handler_1354', 'event': event}

def handler_1355(event):
    return {'id': 1355, 'name': 'handler_1355', 'event': event}

def handler_1356(event):
    return {'id': 1356, 'name': 'handler_1356', 'event': event}

def handler_1357(event):
    return {'id': 1357, 'name': 'handler_1357', 'event': event}

def handler_1358(event):
    return {'id': 1358, 'name': 'handler_1358', 'event': event}

def handler_1359(event):
    return {'id': 1359, 'name': 'handler_1359', 'event': event}

def handler_1360(event):
    return {'id': 1360, 'name': 'handler_1360', 'event': event}

def handler_1361(event):
    return {'id': 1361, 'name': 'handler_1361', 'event': event}

def handler_1362(event):
    return {'id': 1362, 'name': 'handler_1362', 'event': event}

def handler_1363(event):
    return {'id': 1363, 'name': 'handler_1363', 'event': event}

def handler_1364(event):
    return {'id': 1364, 'name': 'handler_1364', 'event': event}

def handler_1365(event):
    return {'id': 1365, 'name': 'handler_1365', 'event': event}

def handler_1366(event):
    return {'id': 1366, 'name': 'handler_1366', 'event': event}

def handler_1367(event):
    return {'id': 1367, 'name': 'handler_1367', 'event': event}

def handler_1368(event):
    return {'id': 1368, 'name': 'handler_1368', 'event': event}

def handler_1369(event):
    return {'id': 1369, 'name': 'handler_1369', 'event': event}

def handler_1370(event):
    return {'id': 1370, 'name': 'handler_1370', 'event': event}

def handler_1371(event):
    return {'id': 1371, 'name': 'handler_1371', 'event': event}

def handler_1372(event):
    return {'id': 1372, 'name': 'handler_1372', 'event': event}

def handler_1373(event):
    return {'id': 1373, 'name': 'handler_1373', 'event': event}

def handler_1374(event):
    return {'id': 1374, 'name': 'handler_1374', 'event': event}

def handler_1375(event):
    return {'id': 1375, 'name': 'handler_1375', 'event': event}

def handler_1376(event):
    return {'id': 1376, 'name': 'handler_1376', 'event': event}

def handler_1377(event):
    return {'id': 1377, 'name': 'handler_1377', 'event': event}

def handler_1378(event):
    return {'id': 1378, 'name': 'handler_1378', 'event': event}

def handler_1379(event):
    return {'id': 1379, 'name': 'handler_1379', 'event': event}

def handler_1380(event):
    return {'id': 1380, 'name': 'handler_1380', 'event': event}

def handler_1381(event):
    return {'id': 1381, 'name': 'handler_1381', 'event': event}

def handler_1382(event):
    return {'id': 1382, 'name': 'handler_1382', 'event': event}

def handler_1383(event):
    return {'id': 1383, 'name': 'handler_1383', 'event': event}

def handler_1384(event):
    return {'id': 1384, 'name': 'handler_1384', 'event': event}

def handler_1385(event):
    return {'id': 1385, 'name': 'handler_1385', 'event': event}

def handler_1386(event):
    return {'id': 1386, 'name': 'handler_1386', 'event': event}

def handler_1387(event):
    return {'id': 1387, 'name': 'handler_1387', 'event': event}

def handler_1388(event):
    return {'id': 1388, 'name': 'handler_1388', 'event': event}

def handler_1389(event):
    return {'id': 1389, 'name': 'handler_1389', 'event': event}

def handler_1390(event):
    return {'id': 1390, 'name': 'handler_1390', 'event': event}

def handler_1391(event):
    return {'id': 1391, 'name': 'handler_1391', 'event': event}

def handler_1392(event):
    return {'id': 1392, 'name': 'handler_1392', 'event': event}

def handler_1393(event):
    return {'id': 1393, 'name': 'handler_1393', 'event': event}

def handler_1394(event):
    return {'id': 1394, 'name': 'handler_1394', 'event': event}

def handler_1395(event):
    return {'id': 1395, 'name': 'handler_1395', 'event': event}

def handler_1396(event):
    return {'id': 1396, 'name': 'handler_1396', 'event': event}

def handler_1397(event):
    return {'id': 1397, 'name': 'handler_1397', 'event': event}

def handler_1398(event):
    return {'id': 1398, 'name': 'handler_1398', 'event': event}

def handler_1399(event):
    return {'id': 1399, 'name': 'handler_1399', 'event': event}

def handler_1400(event):
    return {'id': 1400, 'name': 'handler_1400', 'event': event}

def handler_1401(event):
    return {'id': 1401, 'name': 'handler_1401', 'event': event}

def handler_1402(event):
    return {'id': 1402, 'name': 'handler_1402', 'event': event}

def handler_1403(event):
    return {'id': 1403, 'name': 'handler_1403', 'event': event}

def handler_1404(event):
    return {'id': 1404, 'name': 'handler_1404', 'event': event}

def handler_1405(event):
    return {'id': 1405, 'name': 'handler_1405', 'event': event}

def handler_1406(event):
    return {'id': 1406, 'name': 'handler_1406', 'event': event}

def handler_1407(event):
    return {'id': 1407, 'name': 'handler_1407', 'event': event}

def handler_1408(event):
    return {'id': 1408, 'name': 'handler_1408', 'event': event}

def handler_1409(event):
    return {'id': 1409, 'name': 'handler_1409', 'event': event}

def handler_1410(event):
    return {'id': 1410, 'name': 'handler_1410', 'event': event}

def handler_1411(event):
    return {'id': 1411, 'name': 'handler_1411', 'event': event}

def handler_1412(event):
    return {'id': 1412, 'name': 'handler_1412', 'event': event}

def handler_1413(event):
    return {'id': 1413, 'name': 'handler_1413', 'event': event}

def handler_1414(event):
    return {'id': 1414, 'name': 'handler_1414', 'event': event}

def handler_1415(event):
    return {'id': 1415, 'name': 'handler_1415', 'event': event}

def handler_1416(event):
    return {'id': 1416, 'name': 'handler_1416', 'event': event}

def handler_1417(event):
    return {'id': 1417, 'name': 'handler_1417', 'event': event}

def handler_1418(event):
    return {'id': 1418, 'name': 'handler_1418', 'event': event}

def handler_1419(event):
    return {'id': 1419, 'name': 'handler_1419', 'event': event}

def handler_1420(event):
    return {'id': 1420, 'name': 'handler_1420', 'event': event}

def handler_1421(event):
    return {'id': 1421, 'name': 'handler_1421', 'event': event}

def handler_1422(event):
    return {'id': 1422, 'name': 'handler_1422', 'event': event}

def handler_1423(event):
    return {'id': 1423, 'name': 'handler_1423', 'event': event}

def handler_1424(event):
    return {'id': 1424, 'name': 'handler_1424', 'event': event}

def handler_1425(event):
    return {'id': 1425, 'name': 'handler_1425', 'event': event}

def handler_1426(event):
    return {'id': 1426, 'name': 'handler_1426', 'event': event}

def handler_1427(event):
    return {'id': 1427, 'name': 'handler_1427', 'event': event}

def handler_1428(event):
    return {'id': 1428, 'name': 'handler_1428', 'event': event}

def handler_1429(event):
    return {'id': 1429, 'name': 'handler_1429', 'event': event}

def handler_1430(event):
    return {'id': 1430, 'name': 'handler_1430', 'event': event}

def handler_1431(event):
    return {'id': 1431, 'name': 'handler_1431', 'event': event}

def handler_1432(event):
    return {'id': 1432, 'name': 'handler_1432', 'event': event}

def handler_1433(event):
    return {'id': 1433, 'name': 'handler_1433', 'event': event}

def handler_1434(event):
    return {'id': 1434, 'name': 'handler_1434', 'event': event}

def handler_1435(event):
    return {'id': 1435, 'name': 'handler_1435', 'event': event}

def handler_1436(event):
    return {'id': 1436, 'name': 'handler_1436', 'event': event}

def handler_1437(event):
    return {'id': 1437, 'name': 'handler_1437', 'event': event}

def handler_1438(event):
    return {'id': 1438, 'name': 'handler_1438', 'event': event}

def handler_1439(event):
    return {'id': 1439, 'name': 'handler_1439', 'event': event}

def handler_1440(event):
    return {'id': 1440, 'name': 'handler_1440', 'event': event}

def handler_1441(event):
    return {'id': 1441, 'name': 'handler_1441', 'event': event}

def handler_1442(event):
    return {'id': 1442, 'name': 'handler_1442', 'event': event}

def handler_1443(event):
    return {'id': 1443, 'name': 'handler_1443', 'event': event}

def handler_1444(event):
    return {'id': 1444, 'name': 'handler_1444', 'event': event}

def handler_1445(event):
    return {'id': 1445, 'name': 'handler_1445', 'event': event}

def handler_1446(event):
    return {'id': 1446, 'name': 'handler_1446', 'event': event}

def handler_1447(event):
    return {'id': 1447, 'name': 'handler_1447', 'event': event}

def handler_1448(event):
    return {'id': 1448, 'name': 'handler_1448', 'event': event}

def handler_1449(event):
    return {'id': 1449, 'name': 'handler_1449', 'event': event}

def handler_1450(event):
    return {'id': 1450, 'name': 'handler_1450', 'event': event}

def handler_1451(event):
    return {'id': 1451, 'name': 'handler_1451', 'event': event}

def handler_1452(event):
    return {'id': 1452, 'name': 'handler_1452', 'event': event}

def handler_1453(event):
    return {'id': 1453, 'name': 'handler_1453', 'event': event}

def handler_1454(event):
    return {'id': 1454, 'name': 'handler_1454', 'event': event}

def handler_1455(event):
    return {'id': 1455, 'name': 'handler_1455', 'event': event}

def handler_1456(event):
    return {'id': 1456, 'name': 'handler_1456', 'event': event}

def handler_1457(event):
    return {'id': 1457, 'name': 'handler_1457', 'event': event}

def handler_1458(event):
    return {'id': 1458, 'name': 'handler_1458', 'event': event}

def handler_1459(event):
    return {'id': 1459, 'name': 'handler_1459', 'event': event}

def handler_1460(event):
    return {'id': 1460, 'name': 'handler_1460', 'event': event}

def handler_1461(event):
    return {'id': 1461, 'name': 'handler_1461', 'event': event}

def handler_1462(event):
    return {'id': 1462, 'name': 'handler_1462', 'event': event}

def handler_1463(event):
    return {'id': 1463, 'name': 'handler_1463', 'event': event}

def handler_1464(event):
    return {'id': 1464, 'name': 'handler_1464', 'event': event}

def handler_1465(event):
    return {'id': 1465, 'name': 'handler_1465', 'event': event}

def handler_1466(event):
    return {'id': 1466, 'name': 'handler_1466', 'event': event}

def handler_1467(event):
    return {'id': 1467, 'name': 'handler_1467', 'event': event}

def handler_1468(event):
    return {'id': 1468, 'name': 'handler_1468', 'event': event}

def handler_1469(event):
    return {'id': 1469, 'name': 'handler_1469', 'event': event}

def handler_1470(event):
    return {'id': 1470, 'name': 'handler_1470', 'event': event}

def handler_1471(event):
    return {'id': 1471, 'name': 'handler_1471', 'event': event}

def handler_1472(event):
    return {'id': 1472, 'name': 'handler_1472', 'event': event}

def handler_1473(event):
    return {'id': 1473, 'name': 'handler_1473', 'event': event}

def handler_1474(event):
    return {'id': 1474, 'name': 'handler_1474', 'event': event}

def handler_1475(event):
    return {'id': 1475, 'name': 'handler_1475', 'event': event}

def handler_1476(event):
    return {'id': 1476, 'name': 'handler_1476', 'event': event}

def handler_1477(event):
    return {'id': 1477, 'name': 'handler_1477', 'event': event}

def handler_1478(event):
    return {'id': 1478, 'name': 'handler_1478', 'event': event}

def handler_1479(event):
    return {'id': 1479, 'name': 'handler_1479', 'event': event}

def handler_1480(event):
    return {'id': 1480, 'name': 'handler_1480', 'event': event}

def handler_1481(event):
    return {'id': 1481, 'name': 'handler_1481', 'event': event}

def handler_1482(event):
    return {'id': 1482, 'name': 'handler_1482', 'event': event}

def handler_1483(event):
    return {'id': 1483, 'name': 'handler_1483', 'event': event}

def handler_1484(event):
    return {'id': 1484, 'name': 'handler_1484', 'event': event}

def handler_1485(event):
    return {'id': 1485, 'name': 'handler_1485', 'event': event}

def handler_1486(event):
    return {'id': 1486, 'name': 'handler_1486', 'event': event}

def handler_1487(event):
    return {'id': 1487, 'name': 'handler_1487', 'event': event}

def handler_1488(event):
    return {'id': 1488, 'name': 'handler_1488', 'event': event}

def handler_1489(event):
    return {'id': 1489, 'name': 'handler_1489', 'event': event}

def handler_1490(event):
    return {'id': 1490, 'name': 'handler_1490', 'event': event}

def handler_1491(event):
    return {'id': 1491, 'name': 'handler_1491', 'event': event}

def handler_1492(event):
    return {'id': 1492, 'name': 'handler_1492', 'event': event}

def handler_1493(event):
    return {'id': 1493, 'name': 'handler_1493', 'event': event}

def handler_1494(event):
    return {'id': 1494, 'name': 'handler_1494', 'event': event}

def handler_1495(event):
    return {'id': 1495, 'name': 'handler_1495', 'event': event}

def handler_1496(event):
    return {'id': 1496, 'name': 'handler_1496', 'event': event}

def handler_1497(event):
    return {'id': 1497, 'name': 'handler_1497', 'event': event}

def handler_1498(event):
    return {'id': 1498, 'name': 'handler_1498', 'event': event}

def handler_1499(event):
    return {'id': 1499, 'name': 'handler_1499', 'event': event}

def handler_1500(event):
    return {'id': 1500, 'name': 'handler_1500', 'event': event}

def handler_1501(event):
    return {'id': 1501, 'name': 'handler_1501', 'event': event}

def handler_1502(event):
    return {'id': 1502, 'name': 'handler_1502', 'event': event}

def handler_1503(event):
    return {'id': 1503, 'name': 'handler_1503', 'event': event}

def handler_1504(event):
    return {'id': 1504, 'name': 'handler_1504', 'event': event}

def handler_1505(event):
    return {'id': 1505, 'name': 'handler_1505', 'event': event}

def handler_1506(event):
    return {'id': 1506, 'name': 'handler_1506', 'event': event}

def handler_1507(event):
    return {'id': 1507, 'name': 'handler_1507', 'event': event}

def handler_1508(event):
    return {'id': 1508, 'name': 'handler_1508', 'event': event}

def handler_1509(event):
    return {'id': 1509, 'name': 'handler_1509', 'event': event}

def handler_1510(event):
    return {'id': 1510, 'name': 'handler_1510', 'event': event}

def handler_1511(event):
    return {'id': 1511, 'name': 'handler_1511', 'event': event}

def handler_1512(event):
    return {'id': 1512, 'name': 'handler_1512', 'event': event}

def handler_1513(event):
    return {'id': 1513, 'name': 'handler_1513', 'event': event}

def handler_1514(event):
    return {'id': 1514, 'name': 'handler_1514', 'event': event}

def handler_1515(event):
    return {'id': 1515, 'name': 'handler_1515', 'event': event}

def handler_1516(event):
    return {'id': 1516, 'name': 'handler_1516', 'event': event}

def handler_1517(event):
    return {'id': 1517, 'name': 'handler_1517', 'event': event}

def handler_1518(event):
    return {'id': 1518, 'name': 'handler_1518', 'event': event}

def handler_1519(event):
    return {'id': 1519, 'name': 'handler_1519', 'event': event}

def handler_1520(event):
    return {'id': 1520, 'name': 'handler_1520', 'event': event}

def handler_1521(event):
    return {'id': 1521, 'name': 'handler_1521', 'event': event}

def handler_1522(event):
    return {'id': 1522, 'name': 'handler_1522', 'event': event}

def handler_1523(event):
    return {'id': 1523, 'name': 'handler_1523', 'event': event}

def handler_1524(event):
    return {'id': 1524, 'name': 'handler_1524', 'event': event}

def handler_1525(event):
    return {'id': 1525, 'name': 'handler_1525', 'event': event}

def handler_1526(event):
    return {'id': 1526, 'name': 'handler_1526', 'event': event}

def handler_1527(event):
    return {'id': 1527, 'name': 'handler_1527', 'event': event}

def handler_1528(event):
    return {'id': 1528, 'name': 'handler_1528', 'event': event}

def handler_1529(event):
    return {'id': 1529, 'name': 'handler_1529', 'event': event}

def handler_1530(event):
    return {'id': 1530, 'name': 'handler_1530', 'event': event}

def handler_1531(event):
    return {'id': 1531, 'name': 'handler_1531', 'event': event}

def handler_1532(event):
    return {'id': 1532, 'name': 'handler_1532', 'event': event}

def handler_1533(event):
    return {'id': 1533, 'name': 'handler_1533', 'event': event}

def handler_1534(event):
    return {'id': 1534, 'name': 'handler_1534', 'event': event}

def handler_1535(event):
    return {'id': 1535, 'name': 'handler_1535', 'event': event}

def handler_1536(event):
    return {'id': 1536, 'name': 'handler_1536', 'event': event}

def handler_1537(event):
    return {'id': 1537, 'name': 'handler_1537', 'event': event}

def handler_1538(event):
    return {'id': 1538, 'name': 'handler_1538', 'event': event}

def handler_1539(event):
    return {'id': 1539, 'name': 'handler_1539', 'event': event}

def handler_1540(event):
    return {'id': 1540, 'name': 'handler_1540', 'event': event}

def handler_1541(event):
    return {'id': 1541, 'name': 'handler_1541', 'event': event}

def handler_1542(event):
    return {'id': 1542, 'name': 'handler_1542', 'event': event}

def handler_1543(event):
    return {'id': 1543, 'name': 'handler_1543', 'event': event}

def handler_1544(event):
    return {'id': 1544, 'name': 'handler_1544', 'event': event}

def handler_1545(event):
    return {'id': 1545, 'name': 'handler_1545', 'event': event}

def handler_1546(event):
    return {'id': 1546, 'name': 'handler_1546', 'event': event}

def handler_1547(event):
    return {'id': 1547, 'name': 'handler_1547', 'event': event}

def handler_1548(event):
    return {'id': 1548, 'name': 'handler_1548', 'event': event}

def handler_1549(event):
    return {'id': 1549, 'name': 'handler_1549', 'event': event}

def handler_1550(event):
    return {'id': 1550, 'name': 'handler_1550', 'event': event}

def handler_1551(event):
    return {'id': 1551, 'name': 'handler_1551', 'event': event}

def handler_1552(event):
    return {'id': 1552, 'name': 'handler_1552', 'event': event}

def handler_1553(event):
    return {'id': 1553, 'name': 'handler_1553', 'event': event}

def handler_1554(event):
    return {'id': 1554, 'name': 'handler_1554', 'event': event}

def handler_1555(event):
    return {'id': 1555, 'name': 'handler_1555', 'event': event}

def handler_1556(event):
    return {'id': 1556, 'name': 'handler_1556', 'event': event}

def handler_1557(event):
    return {'id': 1557, 'name': 'handler_1557', 'event': event}

def handler_1558(event):
    return {'id': 1558, 'name': 'handler_1558', 'event': event}

def handler_1559(event):
    return {'id': 1559, 'name': 'handler_1559', 'event': event}

def handler_1560(event):
    return {'id': 1560, 'name': 'handler_1560', 'event': event}

def handler_1561(event):
    return {'id': 1561, 'name': 'handler_1561', 'event': event}

def handler_1562(event):
    return {'id': 1562, 'name': 'handler_1562', 'event': event}

def handler_1563(event):
    return {'id': 1563, 'name': 'handler_1563', 'event': event}

def handler_1564(event):
    return {'id': 1564, 'name': 'handler_1564', 'event': event}

def handler_1565(event):
    return {'id': 1565, 'name': 'handler_1565', 'event': event}

def handler_1566(event):
    return {'id': 1566, 'name': 'handler_1566', 'event': event}

def handler_1567(event):
    return {'id': 1567, 'name': 'handler_1567', 'event': event}

def handler_1568(event):
    return {'id': 1568, 'name': 'handler_1568', 'event': event}

def handler_1569(event):
    return {'id': 1569, 'name': 'handler_1569', 'event': event}

def handler_1570(event):
    return {'id': 1570, 'name': 'handler_1570', 'event': event}

def handler_1571(event):
    return {'id': 1571, 'name': 'handler_1571', 'event': event}

def handler_1572(event):
    return {'id': 1572, 'name': 'handler_1572', 'event': event}

def handler_1573(event):
    return {'id': 1573, 'name': 'handler_1573', 'event': event}

def handler_1574(event):
    return {'id': 1574, 'name': 'handler_1574', 'event': event}

def handler_1575(event):
    return {'id': 1575, 'name': 'handler_1575', 'event': event}

def handler_1576(event):
    return {'id': 1576, 'name': 'handler_1576', 'event': event}

def handler_1577(event):
    return {'id': 1577, 'name': 'handler_1577', 'event': event}

def handler_1578(event):
    return {'id': 1578, 'name': 'handler_1578', 'event': event}

def handler_1579(event):
    return {'id': 1579, 'name': 'handler_1579', 'event': event}

def handler_1580(event):
    return {'id': 1580, 'name': 'handler_1580', 'event': event}

def handler_1581(event):
    return {'id': 1581, 'name': 'handler_1581', 'event': event}

def handler_1582(event):
    return {'id': 1582, 'name': 'handler_1582', 'event': event}

def handler_1583(event):
    return {'id': 1583, 'name': 'handler_1583', 'event': event}

def handler_1584(event):
    return {'id': 1584, 'name': 'handler_1584', 'event': event}

def handler_1585(event):
    return {'id': 1585, 'name': 'handler_1585', 'event': event}

def handler_1586(event):
    return {'id': 1586, 'name': 'handler_1586', 'event': event}

def handler_1587(event):
    return {'id': 1587, 'name': 'handler_1587', 'event': event}

def handler_1588(event):
    return {'id': 1588, 'name': 'handler_1588', 'event': event}

def handler_1589(event):
    return {'id': 1589, 'name': 'handler_1589', 'event': event}

def handler_1590(event):
    return {'id': 1590, 'name': 'handler_1590', 'event': event}

def handler_1591(event):
    return {'id': 1591, 'name': 'handler_1591', 'event': event}

def handler_1592(event):
    return {'id': 1592, 'name': 'handler_1592', 'event': event}

def handler_1593(event):
    return {'id': 1593, 'name': 'handler_1593', 'event': event}

def handler_1594(event):
    return {'id': 1594, 'name': 'handler_1594', 'event': event}

def handler_1595(event):
    return {'id': 1595, 'name': 'handler_1595', 'event': event}

def handler_1596(event):
    return {'id': 1596, 'name': 'handler_1596', 'event': event}

def handler_1597(event):
    return {'id': 1597, 'name': 'handler_1597', 'event': event}

def handler_1598(event):
    return {'id': 1598, 'name': 'handler_1598', 'event': event}

def handler_1599(event):
    return {'id': 1599, 'name': 'handler_1599', 'event': event}

def handler_1600(event):
    return {'id': 1600, 'name': 'handler_1600', 'event': event}

def handler_1601(event):
    return {'id': 1601, 'name': 'handler_1601', 'event': event}

def handler_1602(event):
    return {'id': 1602, 'name': 'handler_1602', 'event': event}

def handler_1603(event):
    return {'id': 1603, 'name': 'handler_1603', 'event': event}

def handler_1604(event):
    return {'id': 1604, 'name': 'handler_1604', 'event': event}

def handler_1605(event):
    return {'id': 1605, 'name': 'handler_1605', 'event': event}

def handler_1606(event):
    return {'id': 1606, 'name': 'handler_1606', 'event': event}

def handler_1607(event):
    return {'id': 1607, 'name': 'handler_1607', 'event': event}

def handler_1608(event):
    return {'id': 1608, 'name': 'handler_1608', 'event': event}

def handler_1609(event):
    return {'id': 1609, 'name': 'handler_1609', 'event': event}

def handler_1610(event):
    return {'id': 1610, 'name': 'handler_1610', 'event': event}

def handler_1611(event):
    return {'id': 1611, 'name': 'handler_1611', 'event': event}

def handler_1612(event):
    return {'id': 1612, 'name': 'handler_1612', 'event': event}

def handler_1613(event):
    return {'id': 1613, 'name': 'handler_1613', 'event': event}

def handler_1614(event):
    return {'id': 1614, 'name': 'handler_1614', 'event': event}

def handler_1615(event):
    return {'id': 1615, 'name': 'handler_1615', 'event': event}

def handler_1616(event):
    return {'id': 1616, 'name': 'handler_1616', 'event': event}

def handler_1617(event):
    return {'id': 1617, 'name': 'handler_1617', 'event': event}

def handler_1618(event):
    return {'id': 1618, 'name': 'handler_1618', 'event': event}

def handler_1619(event):
    return {'id': 1619, 'name': 'handler_1619', 'event': event}

def handler_1620(event):
    return {'id': 1620, 'name': 'handler_1620', 'event': event}

def handler_1621(event):
    return {'id': 1621, 'name': 'handler_1621', 'event': event}

def handler_1622(event):
    return {'id': 1622, 'name': 'handler_1622', 'event': event}

def handler_1623(event):
    return {'id': 1623, 'name': 'handler_1623', 'event': event}

def handler_1624(event):
    return {'id': 1624, 'name': 'handler_1624', 'event': event}

def handler_1625(event):
    return {'id': 1625, 'name': 'handler_1625', 'event': event}

def handler_1626(event):
    return {'id': 1626, 'name': 'handler_1626', 'event': event}

def handler_1627(event):
    return {'id': 1627, 'name': 'handler_1627', 'event': event}

def handler_1628(event):
    return {'id': 1628, 'name': 'handler_1628', 'event': event}

def handler_1629(event):
    return {'id': 1629, 'name': 'handler_1629', 'event': event}

def handler_1630(event):
    return {'id': 1630, 'name': 'handler_1630', 'event': event}

def handler_1631(event):
    return {'id': 1631, 'name': 'handler_1631', 'event': event}

def handler_1632(event):
    return {'id': 1632, 'name': 'handler_1632', 'event': event}

def handler_1633(event):
    return {'id': 1633, 'name': 'handler_1633', 'event': event}

def handler_1634(event):
    return {'id': 1634, 'name': 'handler_1634', 'event': event}

def handler_1635(event):
    return {'id': 1635, 'name': 'handler_1635', 'event': event}

def handler_1636(event):
    return {'id': 1636, 'name': 'handler_1636', 'event': event}

def handler_1637(event):
    return {'id': 1637, 'name': 'handler_1637', 'event': event}

def handler_1638(event):
    return {'id': 1638, 'name': 'handler_1638', 'event': event}

def handler_1639(event):
    return {'id': 1639, 'name': 'handler_1639', 'event': event}

def handler_1640(event):
    return {'id': 1640, 'name': 'handler_1640', 'event': event}

def handler_1641(event):
    return {'id': 1641, 'name': 'handler_1641', 'event': event}

def handler_1642(event):
    return {'id': 1642, 'name': 'handler_1642', 'event': event}

def handler_1643(event):
    return {'id': 1643, 'name': 'handler_1643', 'event': event}

def handler_1644(event):
    return {'id': 1644, 'name': 'handler_1644', 'event': event}

def handler_1645(event):
    return {'id': 1645, 'name': 'handler_1645', 'event': event}

def handler_1646(event):
    return {'id': 1646, 'name': 'handler_1646', 'event': event}

def handler_1647(event):
    return {'id': 1647, 'name': 'handler_1647', 'event': event}

def handler_1648(event):
    return {'id': 1648, 'name': 'handler_1648', 'event': event}

def handler_1649(event):
    return {'id': 1649, 'name': 'handler_1649', 'event': event}

def handler_1650(event):
    return {'id': 1650, 'name': 'handler_1650', 'event': event}

def handler_1651(event):
    return {'id': 1651, 'name': 'handler_1651', 'event': event}

def handler_1652(event):
    return {'id': 1652, 'name': 'handler_1652', 'event': event}

def handler_1653(event):
    return {'id': 1653, 'name': 'handler_1653', 'event': event}

def handler_1654(event):
    return {'id': 1654, 'name': 'handler_1654', 'event': event}

def handler_1655(event):
    return {'id': 1655, 'name': 'handler_1655', 'event': event}

def handler_1656(event):
    return {'id': 1656, 'name': 'handler_1656', 'event': event}

def handler_1657(event):
    return {'id': 1657, 'name': 'handler_1657', 'event': event}

def handler_1658(event):
    return {'id': 1658, 'name': 'handler_1658', 'event': event}

def handler_1659(event):
    return {'id': 1659, 'name': 'handler_1659', 'event': event}

def handler_1660(event):
    return {'id': 1660, 'name': 'handler_1660', 'event': event}

def handler_1661(event):
    return {'id': 1661, 'name': 'handler_1661', 'event': event}

def handler_1662(event):
    return {'id': 1662, 'name': 'handler_1662', 'event': event}

def handler_1663(event):
    return {'id': 1663, 'name': 'handler_1663', 'event': event}

def handler_1664(event):
    return {'id': 1664, 'name': 'handler_1664', 'event': event}

def handler_1665(event):
    return {'id': 1665, 'name': 'handler_1665', 'event': event}

def handler_1666(event):
    return {'id': 1666, 'name': 'handler_1666', 'event': event}

def handler_1667(event):
    return {'id': 1667, 'name': 'handler_1667', 'event': event}

def handler_1668(event):
    return {'id': 1668, 'name': 'handler_1668', 'event': event}

def handler_1669(event):
    return {'id': 1669, 'name': 'handler_1669', 'event': event}

def handler_1670(event):
    return {'id': 1670, 'name': 'handler_1670', 'event': event}

def handler_1671(event):
    return {'id': 1671, 'name': 'handler_1671', 'event': event}

def handler_1672(event):
    return {'id': 1672, 'name': 'handler_1672', 'event': event}

def handler_1673(event):
    return {'id': 1673, 'name': 'handler_1673', 'event': event}

def handler_1674(event):
    return {'id': 1674, 'name': 'handler_1674', 'event': event}

def handler_1675(event):
    return {'id': 1675, 'name': 'handler_1675', 'event': event}

def handler_1676(event):
    return {'id': 1676, 'name': 'handler_1676', 'event': event}

def handler_1677(event):
    return {'id': 1677, 'name': 'handler_1677', 'event': event}

def handler_1678(event):
    return {'id': 1678, 'name': 'handler_1678', 'event': event}

def handler_1679(event):
    return {'id': 1679, 'name': 'handler_1679', 'event': event}

def handler_1680(event):
    return {'id': 1680, 'name': 'handler_1680', 'event': event}

def handler_1681(event):
    return {'id': 1681, 'name': 'handler_1681', 'event': event}

def handler_1682(event):
    return {'id': 1682, 'name': 'handler_1682', 'event': event}

def handler_1683(event):
    return {'id': 1683, 'name': 'handler_1683', 'event': event}

def handler_1684(event):
    return {'id': 1684, 'name': 'handler_1684', 'event': event}

def handler_1685(event):
    return {'id': 1685, 'name': 'handler_1685', 'event': event}

def handler_1686(event):
    return {'id': 1686, 'name': 'handler_1686', 'event': event}

def handler_1687(event):
    return {'id': 1687, 'name': 'handler_1687', 'event': event}

def handler_1688(event):
    return {'id': 1688, 'name': 'handler_1688', 'event': event}

def handler_1689(event):
    return {'id': 1689, 'name': 'handler_1689', 'event': event}

def handler_1690(event):
    return {'id': 1690, 'name': 'handler_1690', 'event': event}

def handler_1691(event):
    return {'id': 1691, 'name': 'handler_1691', 'event': event}

def handler_1692(event):
    return {'id': 1692, 'name': 'handler_1692', 'event': event}

def handler_1693(event):
    return {'id': 1693, 'name': 'handler_1693', 'event': event}

def handler_1694(event):
    return {'id': 1694, 'name': 'handler_1694', 'event': event}

def handler_1695(event):
    return {'id': 1695, 'name': 'handler_1695', 'event': event}

def handler_1696(event):
    return {'id': 1696, 'name': 'handler_1696', 'event': event}

def handler_1697(event):
    return {'id': 1697, 'name': 'handler_1697', 'event': event}

def handler_1698(event):
    return {'id': 1698, 'name': 'handler_1698', 'event': event}

def handler_1699(event):
    return {'id': 1699, 'name': 'handler_1699', 'event': event}

def handler_1700(event):
    return {'id': 1700, 'name': 'handler_1700', 'event': event}

def handler_1701(event):
    return {'id': 1701, 'name': 'handler_1701', 'event': event}

def handler_1702(event):
    return {'id': 1702, 'name': 'handler_1702', 'event': event}

def handler_1703(event):
    return {'id': 1703, 'name': 'handler_1703', 'event': event}

def handler_1704(event):
    return {'id': 1704, 'name': 'handler_1704', 'event': event}

def handler_1705(event):
    return {'id': 1705, 'name': 'handler_1705', 'event': event}

def handler_1706(event):
    return {'id': 1706, 'name': 'handler_1706', 'event': event}

def handler_1707(event):
    return {'id': 1707, 'name': 'handler_1707', 'event': event}

def handler_1708(event):
    return {'id': 1708, 'name': 'handler_1708', 'event': event}

def handler_1709(event):
    return {'id': 1709, 'name': 'handler_1709', 'event': event}

def handler_1710(event):
    return {'id': 1710, 'name': 'handler_1710', 'event': event}

def handler_1711(event):
    return {'id': 1711, 'name': 'handler_1711', 'event': event}

def handler_1712(event):
    return {'id': 1712, 'name': 'handler_1712', 'event': event}

def handler_1713(event):
    return {'id': 1713, 'name': 'handler_1713', 'event': event}

def handler_1714(event):
    return {'id': 1714, 'name': 'handler_1714', 'event': event}

def handler_1715(event):
    return {'id': 1715, 'name': 'handler_1715', 'event': event}

def handler_1716(event):
    return {'id': 1716, 'name': 'handler_1716', 'event': event}

def handler_1717(event):
    return {'id': 1717, 'name': 'handler_1717', 'event': event}

def handler_1718(event):
    return {'id': 1718, 'name': 'handler_1718', 'event': event}

def handler_1719(event):
    return {'id': 1719, 'name': 'handler_1719', 'event': event}

def handler_1720(event):
    return {'id': 1720, 'name': 'handler_1720', 'event': event}

def handler_1721(event):
    return {'id': 1721, 'name': 'handler_1721', 'event': event}

def handler_1722(event):
    return {'id': 1722, 'name': 'handler_1722', 'event': event}

def handler_1723(event):
    return {'id': 1723, 'name': 'handler_1723', 'event': event}

def handler_1724(event):
    return {'id': 1724, 'name': 'handler_1724', 'event': event}

def handler_1725(event):
    return {'id': 1725, 'name': 'handler_1725', 'event': event}

def handler_1726(event):
    return {'id': 1726, 'name': 'handler_1726', 'event': event}

def handler_1727(event):
    return {'id': 1727, 'name': 'handler_1727', 'event': event}

def handler_1728(event):
    return {'id': 1728, 'name': 'handler_1728', 'event': event}

def handler_1729(event):
    return {'id': 1729, 'name': 'handler_1729', 'event': event}

def handler_1730(event):
    return {'id': 1730, 'name': 'handler_1730', 'event': event}

def handler_1731(event):
    return {'id': 1731, 'name': 'handler_1731', 'event': event}

def handler_1732(event):
    return {'id': 1732, 'name': 'handler_1732', 'event': event}

def handler_1733(event):
    return {'id': 1733, 'name': 'handler_1733', 'event': event}

def handler_1734(event):
    return {'id': 1734, 'name': 'handler_1734', 'event': event}

def handler_1735(event):
    return {'id': 1735, 'name': 'handler_1735', 'event': event}

def handler_1736(event):
    return {'id': 1736, 'name': 'handler_1736', 'event': event}

def handler_1737(event):
    return {'id': 1737, 'name': 'handler_1737', 'event': event}

def handler_1738(event):
    return {'id': 1738, 'name': 'handler_1738', 'event': event}

def handler_1739(event):
    return {'id': 1739, 'name': 'handler_1739', 'event': event}

def handler_1740(event):
    return {'id': 1740, 'name': 'handler_1740', 'event': event}

def handler_1741(event):
    return {'id': 1741, 'name': 'handler_1741', 'event': event}

def handler_1742(event):
    return {'id': 1742, 'name': 'handler_1742', 'event': event}

def handler_1743(event):
    return {'id': 1743, 'name': 'handler_1743', 'event': event}

def handler_1744(event):
    return {'id': 1744, 'name': 'handler_1744', 'event': event}

def handler_1745(event):
    return {'id': 1745, 'name': 'handler_1745', 'event': event}

def handler_1746(event):
    return {'id': 1746, 'name': 'handler_1746', 'event': event}

def handler_1747(event):
    return {'id': 1747, 'name': 'handler_1747', 'event': event}

def handler_1748(event):
    return {'id': 1748, 'name': 'handler_1748', 'event': event}

def handler_1749(event):
    return {'id': 1749, 'name': 'handler_1749', 'event': event}

def handler_1750(event):
    return {'id': 1750, 'name': 'handler_1750', 'event': event}

def handler_1751(event):
    return {'id': 1751, 'name': 'handler_1751', 'event': event}

def handler_1752(event):
    return {'id': 1752, 'name': 'handler_1752', 'event': event}

def handler_1753(event):
    return {'id': 1753, 'name': 'handler_1753', 'event': event}

def handler_1754(event):
    return {'id': 1754, 'name': 'handler_1754', 'event': event}

def handler_1755(event):
    return {'id': 1755, 'name': 'handler_1755', 'event': event}

def handler_1756(event):
    return {'id': 1756, 'name': 'handler_1756', 'event': event}

def handler_1757(event):
    return {'id': 1757, 'name': 'handler_1757', 'event': event}

def handler_1758(event):
    return {'id': 1758, 'name': 'handler_1758', 'event': event}

def handler_1759(event):
    return {'id': 1759, 'name': 'handler_1759', 'event': event}

def handler_1760(event):
    return {'id': 1760, 'name': 'handler_1760', 'event': event}

def handler_1761(event):
    return {'id': 1761, 'name': 'handler_1761', 'event': event}

def handler_1762(event):
    return {'id': 1762, 'name': 'handler_1762', 'event': event}

def handler_1763(event):
    return {'id': 1763, 'name': 'handler_1763', 'event': event}

def handler_1764(event):
    return {'id': 1764, 'name': 'handler_1764', 'event': event}

def handler_1765(event):
    return {'id': 1765, 'name': 'handler_1765', 'event': event}

def handler_1766(event):
    return {'id': 1766, 'name': 'handler_1766', 'event': event}

def handler_1767(event):
    return {'id': 1767, 'name': 'handler_1767', 'event': event}

def handler_1768(event):
    return {'id': 1768, 'name': 'handler_1768', 'event': event}

def handler_1769(event):
    return {'id': 1769, 'name': 'handler_1769', 'event': event}

def handler_1770(event):
    return {'id': 1770, 'name': 'handler_1770', 'event': event}

def handler_1771(event):
    return {'id': 1771, 'name': 'handler_1771', 'event': event}

def handler_1772(event):
    return {'id': 1772, 'name': 'handler_1772', 'event': event}

def handler_1773(event):
    return {'id': 1773, 'name': 'handler_1773', 'event': event}

def handler_1774(event):
    return {'id': 1774, 'name': 'handler_1774', 'event': event}

def handler_1775(event):
    return {'id': 1775, 'name': 'handler_1775', 'event': event}

def handler_1776(event):
    return {'id': 1776, 'name': 'handler_1776', 'event': event}

def handler_1777(event):
    return {'id': 1777, 'name': 'handler_1777', 'event': event}

def handler_1778(event):
    return {'id': 1778, 'name': 'handler_1778', 'event': event}

def handler_1779(event):
    return {'id': 1779, 'name': 'handler_1779', 'event': event}

def handler_1780(event):
    return {'id': 1780, 'name': 'handler_1780', 'event': event}

def handler_1781(event):
    return {'id': 1781, 'name': 'handler_1781', 'event': event}

def handler_1782(event):
    return {'id': 1782, 'name': 'handler_1782', 'event': event}

def handler_1783(event):
    return {'id': 1783, 'name': 'handler_1783', 'event': event}

def handler_1784(event):
    return {'id': 1784, 'name': 'handler_1784', 'event': event}

def handler_1785(event):
    return {'id': 1785, 'name': 'handler_1785', 'event': event}

def handler_1786(event):
    return {'id': 1786, 'name': 'handler_1786', 'event': event}

def handler_1787(event):
    return {'id': 1787, 'name': 'handler_1787', 'event': event}

def handler_1788(event):
    return {'id': 1788, 'name': 'handler_1788', 'event': event}

def handler_1789(event):
    return {'id': 1789, 'name': 'handler_1789', 'event': event}

def handler_1790(event):
    return {'id': 1790, 'name': 'handler_1790', 'event': event}

def handler_1791(event):
    return {'id': 1791, 'name': 'handler_1791', 'event': event}

def handler_1792(event):
    return {'id': 1792, 'name': 'handler_1792', 'event': event}

def handler_1793(event):
    return {'id': 1793, 'name': 'handler_1793', 'event': event}

def handler_1794(event):
    return {'id': 1794, 'name': 'handler_1794', 'event': event}

def handler_1795(event):
    return {'id': 1795, 'name': 'handler_1795', 'event': event}

def handler_1796(event):
    return {'id': 1796, 'name': 'handler_1796', 'event': event}

def handler_1797(event):
    return {'id': 1797, 'name': 'handler_1797', 'event': event}

def handler_1798(event):
    return {'id': 1798, 'name': 'handler_1798', 'event': event}

def handler_1799(event):
    return {'id': 1799, 'name': 'handler_1799', 'event': event}

def handler_1800(event):
    return {'id': 1800, 'name': 'handler_1800', 'event': event}

def handler_1801(event):
    return {'id': 1801, 'name': 'handler_1801', 'event': event}

def handler_1802(event):
    return {'id': 1802, 'name': 'handler_1802', 'event': event}

def handler_1803(event):
    return {'id': 1803, 'name': 'handler_1803', 'event': event}

def handler_1804(event):
    return {'id': 1804, 'name': 'handler_1804', 'event': event}

def handler_1805(event):
    return {'id': 1805, 'name': 'handler_1805', 'event': event}

def handler_1806(event):
    return {'id': 1806, 'name': 'handler_1806', 'event': event}

def handler_1807(event):
    return {'id': 1807, 'name': 'handler_1807', 'event': event}

def handler_1808(event):
    return {'id': 1808, 'name': 'handler_1808', 'event': event}

def handler_1809(event):
    return {'id': 1809, 'name': 'handler_1809', 'event': event}

def handler_1810(event):
    return {'id': 1810, 'name': 'handler_1810', 'event': event}

def handler_1811(event):
    return {'id': 1811, 'name': 'handler_1811', 'event': event}

def handler_1812(event):
    return {'id': 1812, 'name': 'handler_1812', 'event': event}

def handler_1813(event):
    return {'id': 1813, 'name': 'handler_1813', 'event': event}

def handler_1814(event):
    return {'id': 1814, 'name': 'handler_1814', 'event': event}

def handler_1815(event):
    return {'id': 1815, 'name': 'handler_1815', 'event': event}

def handler_1816(event):
    return {'id': 1816, 'name': 'handler_1816', 'event': event}

def handler_1817(event):
    return {'id': 1817, 'name': 'handler_1817', 'event': event}

def handler_1818(event):
    return {'id': 1818, 'name': 'handler_1818', 'event': event}

def handler_1819(event):
    return {'id': 1819, 'name': 'handler_1819', 'event': event}

def handler_1820(event):
    return {'id': 1820, 'name': 'handler_1820', 'event': event}

def handler_1821(event):
    return {'id': 1821, 'name': 'handler_1821', 'event': event}

def handler_1822(event):
    return {'id': 1822, 'name': 'handler_1822', 'event': event}

def handler_1823(event):
    return {'id': 1823, 'name': 'handler_1823', 'event': event}

def handler_1824(event):
    return {'id': 1824, 'name': 'handler_1824', 'event': event}

def handler_1825(event):
    return {'id': 1825, 'name': 'handler_1825', 'event': event}

def handler_1826(event):
    return {'id': 1826, 'name': 'handler_1826', 'event': event}

def handler_1827(event):
    return {'id': 1827, 'name': 'handler_1827', 'event': event}

def handler_1828(event):
    return {'id': 1828, 'name': 'handler_1828', 'event': event}

def handler_1829(event):
    return {'id': 1829, 'name': 'handler_1829', 'event': event}

def handler_1830(event):
    return {'id': 1830, 'name': 'handler_1830', 'event': event}

def handler_1831(event):
    return {'id': 1831, 'name': 'handler_1831', 'event': event}

def handler_1832(event):
    return {'id': 1832, 'name': 'handler_1832', 'event': event}

def handler_1833(event):
    return {'id': 1833, 'name': 'handler_1833', 'event': event}

def handler_1834(event):
    return {'id': 1834, 'name': 'handler_1834', 'event': event}

def handler_1835(event):
    return {'id': 1835, 'name': 'handler_1835', 'event': event}

def handler_1836(event):
    return {'id': 1836, 'name': 'handler_1836', 'event': event}

def handler_1837(event):
    return {'id': 1837, 'name': 'handler_1837', 'event': event}

def handler_1838(event):
    return {'id': 1838, 'name': 'handler_1838', 'event': event}

def handler_1839(event):
    return {'id': 1839, 'name': 'handler_1839', 'event': event}

def handler_1840(event):
    return {'id': 1840, 'name': 'handler_1840', 'event': event}

def handler_1841(event):
    return {'id': 1841, 'name': 'handler_1841', 'event': event}

def handler_1842(event):
    return {'id': 1842, 'name': 'handler_1842', 'event': event}

def handler_1843(event):
    return {'id': 1843, 'name': 'handler_1843', 'event': event}

def handler_1844(event):
    return {'id': 1844, 'name': 'handler_1844', 'event': event}

def handler_1845(event):
    return {'id': 1845, 'name': 'handler_1845', 'event': event}

def handler_1846(event):
    return {'id': 1846, 'name': 'handler_1846', 'event': event}

def handler_1847(event):
    return {'id': 1847, 'name': 'handler_1847', 'event': event}

def handler_1848(event):
    return {'id': 1848, 'name': 'handler_1848', 'event': event}

def handler_1849(event):
    return {'id': 1849, 'name': 'handler_1849', 'event': event}

def handler_1850(event):
    return {'id': 1850, 'name': 'handler_1850', 'event': event}

def handler_1851(event):
    return {'id': 1851, 'name': 'handler_1851', 'event': event}

def handler_1852(event):
    return {'id': 1852, 'name': 'handler_1852', 'event': event}

def handler_1853(event):
    return {'id': 1853, 'name': 'handler_1853', 'event': event}

def handler_1854(event):
    return {'id': 1854, 'name': 'handler_1854', 'event': event}

def handler_1855(event):
    return {'id': 1855, 'name': 'handler_1855', 'event': event}

def handler_1856(event):
    return {'id': 1856, 'name': 'handler_1856', 'event': event}

def handler_1857(event):
    return {'id': 1857, 'name': 'handler_1857', 'event': event}

def handler_1858(event):
    return {'id': 1858, 'name': 'handler_1858', 'event': event}

def handler_1859(event):
    return {'id': 1859, 'name': 'handler_1859', 'event': event}

def handler_1860(event):
    return {'id': 1860, 'name': 'handler_1860', 'event': event}

def handler_1861(event):
    return {'id': 1861, 'name': 'handler_1861', 'event': event}

def handler_1862(event):
    return {'id': 1862, 'name': 'handler_1862', 'event': event}

def handler_1863(event):
    return {'id': 1863, 'name': 'handler_1863', 'event': event}

def handler_1864(event):
    return {'id': 1864, 'name': 'handler_1864', 'event': event}

def handler_1865(event):
    return {'id': 1865, 'name': 'handler_1865', 'event': event}

def handler_1866(event):
    return {'id': 1866, 'name': 'handler_1866', 'event': event}

def handler_1867(event):
    return {'id': 1867, 'name': 'handler_1867', 'event': event}

def handler_1868(event):
    return {'id': 1868, 'name': 'handler_1868', 'event': event}

def handler_1869(event):
    return {'id': 1869, 'name': 'handler_1869', 'event': event}

def handler_1870(event):
    return {'id': 1870, 'name': 'handler_1870', 'event': event}

def handler_1871(event):
    return {'id': 1871, 'name': 'handler_1871', 'event': event}

def handler_1872(event):
    return {'id': 1872, 'name': 'handler_1872', 'event': event}

def handler_1873(event):
    return {'id': 1873, 'name': 'handler_1873', 'event': event}

def handler_1874(event):
    return {'id': 1874, 'name': 'handler_1874', 'event': event}

def handler_1875(event):
    return {'id': 1875, 'name': 'handler_1875', 'event': event}

def handler_1876(event):
    return {'id': 1876, 'name': 'handler_1876', 'event': event}

def handler_1877(event):
    return {'id': 1877, 'name': 'handler_1877', 'event': event}

def handler_1878(event):
    return {'id': 1878, 'name': 'handler_1878', 'event': event}

def handler_1879(event):
    return {'id': 1879, 'name': 'handler_1879', 'event': event}

def handler_1880(event):
    return {'id': 1880, 'name': 'handler_1880', 'event': event}

def handler_1881(event):
    return {'id': 1881, 'name': 'handler_1881', 'event': event}

def handler_1882(event):
    return {'id': 1882, 'name': 'handler_1882', 'event': event}

def handler_1883(event):
    return {'id': 1883, 'name': 'handler_1883', 'event': event}

def handler_1884(event):
    return {'id': 1884, 'name': 'handler_1884', 'event': event}

def handler_1885(event):
    return {'id': 1885, 'name': 'handler_1885', 'event': event}

def handler_1886(event):
    return {'id': 1886, 'name': 'handler_1886', 'event': event}

def handler_1887(event):
    return {'id': 1887, 'name': 'handler_1887', 'event': event}

def handler_1888(event):
    return {'id': 1888, 'name': 'handler_1888', 'event': event}

def handler_1889(event):
    return {'id': 1889, 'name': 'handler_1889', 'event': event}

def handler_1890(event):
    return {'id': 1890, 'name': 'handler_1890', 'event': event}

def handler_1891(event):
    return {'id': 1891, 'name': 'handler_1891', 'event': event}

def handler_1892(event):
    return {'id': 1892, 'name': 'handler_1892', 'event': event}

def handler_1893(event):
    return {'id': 1893, 'name': 'handler_1893', 'event': event}

def handler_1894(event):
    return {'id': 1894, 'name': 'handler_1894', 'event': event}

def handler_1895(event):
    return {'id': 1895, 'name': 'handler_1895', 'event': event}

def handler_1896(event):
    return {'id': 1896, 'name': 'handler_1896', 'event': event}

def handler_1897(event):
    return {'id': 1897, 'name': 'handler_1897', 'event': event}

def handler_1898(event):
    return {'id': 1898, 'name': 'handler_1898', 'event': event}

def handler_1899(event):
    return {'id': 1899, 'name': 'handler_1899', 'event': event}

def handler_1900(event):
    return {'id': 1900, 'name': 'handler_1900', 'event': event}

def handler_1901(event):
    return {'id': 1901, 'name': 'handler_1901', 'event': event}

def handler_1902(event):
    return {'id': 1902, 'name': 'handler_1902', 'event': event}

def handler_1903(event):
    return {'id': 1903, 'name': 'handler_1903', 'event': event}

def handler_1904(event):
    return {'id': 1904, 'name': 'handler_1904', 'event': event}

def handler_1905(event):
    return {'id': 1905, 'name': 'handler_1905', 'event': event}

def handler_1906(event):
    return {'id': 1906, 'name': 'handler_1906', 'event': event}

def handler_1907(event):
    return {'id': 1907, 'name': 'handler_1907', 'event': event}

def handler_1908(event):
    return {'id': 1908, 'name': 'handler_1908', 'event': event}

def handler_1909(event):
    return {'id': 1909, 'name': 'handler_1909', 'event': event}

def handler_1910(event):
    return {'id': 1910, 'name': 'handler_1910', 'event': event}

def handler_1911(event):
    return {'id': 1911, 'name': 'handler_1911', 'event': event}

def handler_1912(event):
    return {'id': 1912, 'name': 'handler_1912', 'event': event}

def handler_1913(event):
    return {'id': 1913, 'name': 'handler_1913', 'event': event}

def handler_1914(event):
    return {'id': 1914, 'name': 'handler_1914', 'event': event}

def handler_1915(event):
    return {'id': 1915, 'name': 'handler_1915', 'event': event}

def handler_1916(event):
    return {'id': 1916, 'name': 'handler_1916', 'event': event}

def handler_1917(event):
    return {'id': 1917, 'name': 'handler_1917', 'event': event}

def handler_1918(event):
    return {'id': 1918, 'name': 'handler_1918', 'event': event}

def handler_1919(event):
    return {'id': 1919, 'name': 'handler_1919', 'event': event}

def handler_1920(event):
    return {'id': 1920, 'name': 'handler_1920', 'event': event}

def handler_1921(event):
    return {'id': 1921, 'name': 'handler_1921', 'event': event}

def handler_1922(event):
    return {'id': 1922, 'name': 'handler_1922', 'event': event}

def handler_1923(event):
    return {'id': 1923, 'name': 'handler_1923', 'event': event}

def handler_1924(event):
    return {'id': 1924, 'name': 'handler_1924', 'event': event}

def handler_1925(event):
    return {'id': 1925, 'name': 'handler_1925', 'event': event}

def handler_1926(event):
    return {'id': 1926, 'name': 'handler_1926', 'event': event}

def handler_1927(event):
    return {'id': 1927, 'name': 'handler_1927', 'event': event}

def handler_1928(event):
    return {'id': 1928, 'name': 'handler_1928', 'event': event}

def handler_1929(event):
    return {'id': 1929, 'name': 'handler_1929', 'event': event}

def handler_1930(event):
    return {'id': 1930, 'name': 'handler_1930', 'event': event}

def handler_1931(event):
    return {'id': 1931, 'name': 'handler_1931', 'event': event}

def handler_1932(event):
    return {'id': 1932, 'name': 'handler_1932', 'event': event}

def handler_1933(event):
    return {'id': 1933, 'name': 'handler_1933', 'event': event}

def handler_1934(event):
    return {'id': 1934, 'name': 'handler_1934', 'event': event}

def handler_1935(event):
    return {'id': 1935, 'name': 'handler_1935', 'event': event}

def handler_1936(event):
    return {'id': 1936, 'name': 'handler_1936', 'event': event}

def handler_1937(event):
    return {'id': 1937, 'name': 'handler_1937', 'event': event}

def handler_1938(event):
    return {'id': 1938, 'name': 'handler_1938', 'event': event}

def handler_1939(event):
    return {'id': 1939, 'name': 'handler_1939', 'event': event}

def handler_1940(event):
    return {'id': 1940, 'name': 'handler_1940', 'event': event}

def handler_1941(event):
    return {'id': 1941, 'name': 'handler_1941', 'event': event}

def handler_1942(event):
    return {'id': 1942, 'name': 'handler_1942', 'event': event}

def handler_1943(event):
    return {'id': 1943, 'name': 'handler_1943', 'event': event}

def handler_1944(event):
    return {'id': 1944, 'name': 'handler_1944', 'event': event}

def handler_1945(event):
    return {'id': 1945, 'name': 'handler_1945', 'event': event}

def handler_1946(event):
    return {'id': 1946, 'name': 'handler_1946', 'event': event}

def handler_1947(event):
    return {'id': 1947, 'name': 'handler_1947', 'event': event}

def handler_1948(event):
    return {'id': 1948, 'name': 'handler_1948', 'event': event}

def handler_1949(event):
    return {'id': 1949, 'name': 'handler_1949', 'event': event}

def handler_1950(event):
    return {'id': 1950, 'name': 'handler_1950', 'event': event}

def handler_1951(event):
    return {'id': 1951, 'name': 'handler_1951', 'event': event}

def handler_1952(event):
    return {'id': 1952, 'name': 'handler_1952', 'event': event}

def handler_1953(event):
    return {'id': 1953, 'name': 'handler_1953', 'event': event}

def handler_1954(event):
    return {'id': 1954, 'name': 'handler_1954', 'event': event}

def handler_1955(event):
    return {'id': 1955, 'name': 'handler_1955', 'event': event}

def handler_1956(event):
    return {'id': 1956, 'name': 'handler_1956', 'event': event}

def handler_1957(event):
    return {'id': 1957, 'name': 'handler_1957', 'event': event}

def handler_1958(event):
    return {'id': 1958, 'name': 'handler_1958', 'event': event}

def handler_1959(event):
    return {'id': 1959, 'name': 'handler_1959', 'event': event}

def handler_1960(event):
    return {'id': 1960, 'name': 'handler_1960', 'event': event}

def handler_1961(event):
    return {'id': 1961, 'name': 'handler_1961', 'event': event}

def handler_1962(event):
    return {'id': 1962, 'name': 'handler_1962', 'event': event}

def handler_1963(event):
    return {'id': 1963, 'name': 'handler_1963', 'event': event}

def handler_1964(event):
    return {'id': 1964, 'name': 'handler_1964', 'event': event}

def handler_1965(event):
    return {'id': 1965, 'name': 'handler_1965', 'event': event}

def handler_1966(event):
    return {'id': 1966, 'name': 'handler_1966', 'event': event}

def handler_1967(event):
    return {'id': 1967, 'name': 'handler_1967', 'event': event}

def handler_1968(event):
    return {'id': 1968, 'name': 'handler_1968', 'event': event}

def handler_1969(event):
    return {'id': 1969, 'name': 'handler_1969', 'event': event}

def handler_1970(event):
    return {'id': 1970, 'name': 'handler_1970', 'event': event}

def handler_1971(event):
    return {'id': 1971, 'name': 'handler_1971', 'event': event}

def handler_1972(event):
    return {'id': 1972, 'name': 'handler_1972', 'event': event}

def handler_1973(event):
    return {'id': 1973, 'name': 'handler_1973', 'event': event}

def handler_1974(event):
    return {'id': 1974, 'name': 'handler_1974', 'event': event}

def handler_1975(event):
    return {'id': 1975, 'name': 'handler_1975', 'event': event}

def handler_1976(event):
    return {'id': 1976, 'name': 'handler_1976', 'event': event}

def handler_1977(event):
    return {'id': 1977, 'name': 'handler_1977', 'event': event}

def handler_1978(event):
    return {'id': 1978, 'name': 'handler_1978', 'event': event}

def handler_1979(event):
    return {'id': 1979, 'name': 'handler_1979', 'event': event}

def handler_1980(event):
    return {'id': 1980, 'name': 'handler_1980', 'event': event}

def handler_1981(event):
    return {'id': 1981, 'name': 'handler_1981', 'event': event}

def handler_1982(event):
    return {'id': 1982, 'name': 'handler_1982', 'event': event}

def handler_1983(event):
    return {'id': 1983, 'name': 'handler_1983', 'event': event}

def handler_1984(event):
    return {'id': 1984, 'name': 'handler_1984', 'event': event}

def handler_1985(event):
    return {'id': 1985, 'name': 'handler_1985', 'event': event}

def handler_1986(event):
    return {'id': 1986, 'name': 'handler_1986', 'event': event}

def handler_1987(event):
    return {'id': 1987, 'name': 'handler_1987', 'event': event}

def handler_1988(event):
    return {'id': 1988, 'name': 'handler_1988', 'event': event}

def handler_1989(event):
    return {'id': 1989, 'name': 'handler_1989', 'event': event}

def handler_1990(event):
    return {'id': 1990, 'name': 'handler_1990', 'event': event}

def handler_1991(event):
    return {'id': 1991, 'name': 'handler_1991', 'event': event}

def handler_1992(event):
    return {'id': 1992, 'name': 'handler_1992', 'event': event}

def handler_1993(event):
    return {'id': 1993, 'name': 'handler_1993', 'event': event}

def handler_1994(event):
    return {'id': 1994, 'name': 'handler_1994', 'event': event}

def handler_1995(event):
    return {'id': 1995, 'name': 'handler_1995', 'event': event}

def handler_1996(event):
    return {'id': 1996, 'name': 'handler_1996', 'event': event}

def handler_1997(event):
    return {'id': 1997, 'name': 'handler_1997', 'event': event}

def handler_1998(event):
    return {'id': 1998, 'name': 'handler_1998', 'event': event}

def handler_1999(event):
    return {'id': 1999, 'name': 'handler_1999', 'event': event}

def handler_2000(event):
    return {'id': 2000, 'name': 'handler_2000', 'event': event}

def handler_2001(event):
    return {'id': 2001, 'name': 'handler_2001', 'event': event}

def handler_2002(event):
    return {'id': 2002, 'name': 'handler_2002', 'event': event}

def handler_2003(event):
    return {'id': 2003, 'name': 'handler_2003', 'event': event}

def handler_2004(event):
    return {'id': 2004, 'name': 'handler_2004', 'event': event}

def handler_2005(event):
    return {'id': 2005, 'name': 'handler_2005', 'event': event}

def handler_2006(event):
    return {'id': 2006, 'name': 'handler_2006', 'event': event}

def handler_2007(event):
    return {'id': 2007, 'name': 'handler_2007', 'event': event}

def handler_2008(event):
    return {'id': 2008, 'name': 'handler_2008', 'event': event}

def handler_2009(event):
    return {'id': 2009, 'name': 'handler_2009', 'event': event}

def handler_2010(event):
    return {'id': 2010, 'name': 'handler_2010', 'event': event}

def handler_2011(event):
    return {'id': 2011, 'name': 'handler_2011', 'event': event}

def handler_2012(event):
    return {'id': 2012, 'name': 'handler_2012', 'event': event}

def handler_2013(event):
    return {'id': 2013, 'name': 'handler_2013', 'event': event}

def handler_2014(event):
    return {'id': 2014, 'name': 'handler_2014', 'event': event}

def handler_2015(event):
    return {'id': 2015, 'name': 'handler_2015', 'event': event}

def handler_2016(event):
    return {'id': 2016, 'name': 'handler_2016', 'event': event}

def handler_2017(event):
    return {'id': 2017, 'name': 'handler_2017', 'event': event}

def handler_2018(event):
    return {'id': 2018, 'name': 'handler_2018', 'event': event}

def handler_2019(event):
    return {'id': 2019, 'name': 'handler_2019', 'event': event}

def handler_2020(event):
    return {'id': 2020, 'name': 'handler_2020', 'event': event}

def handler_2021(event):
    return {'id': 2021, 'name': 'handler_2021', 'event': event}

def handler_2022(event):
    return {'id': 2022, 'name': 'handler_2022', 'event': event}

def handler_2023(event):
    return {'id': 2023, 'name': 'handler_2023', 'event': event}

def handler_2024(event):
    return {'id': 2024, 'name': 'handler_2024', 'event': event}

def handler_2025(event):
    return {'id': 2025, 'name': 'handler_2025', 'event': event}

def handler_2026(event):
    return {'id': 2026, 'name': 'handler_2026', 'event': event}

def handler_2027(event):
    return {'id': 2027, 'name': 'handler_2027', 'event': event}

def handler_2028(event):
    return {'id': 2028, 'name': 'handler_2028', 'event': event}

def handler_2029(event):
    return {'id': 2029, 'name': 'handler_2029', 'event': event}

def handler_2030(event):
    return {'id': 2030, 'name': 'handler_2030', 'event': event}

def handler_2031(event):
    return {'id': 2031, 'name': 'handler_2031', 'event': event}

def handler_2032(event):
    return {'id': 2032, 'name': 'handler_2032', 'event': event}

def handler_2033(event):
    return {'id': 2033, 'name': 'handler_2033', 'event': event}

def handler_2034(event):
    return {'id': 2034, 'name': 'handler_2034', 'event': event}

def handler_2035(event):
    return {'id': 2035, 'name': 'handler_2035', 'event': event}

def handler_2036(event):
    return {'id': 2036, 'name': 'handler_2036', 'event': event}

def handler_2037(event):
    return {'id': 2037, 'name': 'handler_2037', 'event': event}

def handler_2038(event):
    return {'id': 2038, 'name': 'handler_2038', 'event': event}

def handler_2039(event):
    return {'id': 2039, 'name': 'handler_2039', 'event': event}

def handler_2040(event):
    return {'id': 2040, 'name': 'handler_2040', 'event': event}

def handler_2041(event):
    return {'id': 2041, 'name': 'handler_2041', 'event': event}

def handler_2042(event):
    return {'id': 2042, 'name': 'handler_2042', 'event': event}

def handler_2043(event):
    return {'id': 2043, 'name': 'handler_2043', 'event': event}

def handler_2044(event):
    return {'id': 2044, 'name': 'handler_2044', 'event': event}

def handler_2045(event):
    return {'id': 2045, 'name': 'handler_2045', 'event': event}

def handler_2046(event):
    return {'id': 2046, 'name': 'handler_2046', 'event': event}

def handler_2047(event):
    return {'id': 2047, 'name': 'handler_2047', 'event': event}

def handler_2048(event):
    return {'id': 2048, 'name': 'handler_2048', 'event': event}

def handler_2049(event):
    return {'id': 2049, 'name': 'handler_2049', 'event': event}

def handler_2050(event):
    return {'id': 2050, 'name': 'handler_2050', 'event': event}

def handler_2051(event):
    return {'id': 2051, 'name': 'handler_2051', 'event': event}

def handler_2052(event):
    return {'id': 2052, 'name': 'handler_2052', 'event': event}

def handler_2053(event):
    return {'id': 2053, 'name': 'handler_2053', 'event': event}

def handler_2054(event):
    return {'id': 2054, 'name': 'handler_2054', 'event': event}

def handler_2055(event):
    return {'id': 2055, 'name': 'handler_2055', 'event': event}

def handler_2056(event):
    return {'id': 2056, 'name': 'handler_2056', 'event': event}

def handler_2057(event):
    return {'id': 2057, 'name': 'handler_2057', 'event': event}

def handler_2058(event):
    return {'id': 2058, 'name': 'handler_2058', 'event': event}

def handler_2059(event):
    return {'id': 2059, 'name': 'handler_2059', 'event': event}

def handler_2060(event):
    return {'id': 2060, 'name': 'handler_2060', 'event': event}

def handler_2061(event):
    return {'id': 2061, 'name': 'handler_2061', 'event': event}

def handler_2062(event):
    return {'id': 2062, 'name': 'handler_2062', 'event': event}

def handler_2063(event):
    return {'id': 2063, 'name': 'handler_2063', 'event': event}

def handler_2064(event):
    return {'id': 2064, 'name': 'handler_2064', 'event': event}

def handler_2065(event):
    return {'id': 2065, 'name': 'handler_2065', 'event': event}

def handler_2066(event):
    return {'id': 2066, 'name': 'handler_2066', 'event': event}

def handler_2067(event):
    return {'id': 2067, 'name': 'handler_2067', 'event': event}

def handler_2068(event):
    return {'id': 2068, 'name': 'handler_2068', 'event': event}

def handler_2069(event):
    return {'id': 2069, 'name': 'handler_2069', 'event': event}

def handler_2070(event):
    return {'id': 2070, 'name': 'handler_2070', 'event': event}

def handler_2071(event):
    return {'id': 2071, 'name': 'handler_2071', 'event': event}

def handler_2072(event):
    return {'id': 2072, 'name': 'handler_2072', 'event': event}

def handler_2073(event):
    return {'id': 2073, 'name': 'handler_2073', 'event': event}

def handler_2074(event):
    return {'id': 2074, 'name': 'handler_2074', 'event': event}

def handler_2075(event):
    return {'id': 2075, 'name': 'handler_2075', 'event': event}

def handler_2076(event):
    return {'id': 2076, 'name': 'handler_2076', 'event': event}

def handler_2077(event):
    return {'id': 2077, 'name': 'handler_2077', 'event': event}

def handler_2078(event):
    return {'id': 2078, 'name': 'handler_2078', 'event': event}

def handler_2079(event):
    return {'id': 2079, 'name': 'handler_2079', 'event': event}

def handler_2080(event):
    return {'id': 2080, 'name': 'handler_2080', 'event': event}

def handler_2081(event):
    return {'id': 2081, 'name': 'handler_2081', 'event': event}

def handler_2082(event):
    return {'id': 2082, 'name': 'handler_2082', 'event': event}

def handler_2083(event):
    return {'id': 2083, 'name': 'handler_2083', 'event': event}

def handler_2084(event):
    return {'id': 2084, 'name': 'handler_2084', 'event': event}

def handler_2085(event):
    return {'id': 2085, 'name': 'handler_2085', 'event': event}

def handler_2086(event):
    return {'id': 2086, 'name': 'handler_2086', 'event': event}

def handler_2087(event):
    return {'id': 2087, 'name': 'handler_2087', 'event': event}

def handler_2088(event):
    return {'id': 2088, 'name': 'handler_2088', 'event': event}

def handler_2089(event):
    return {'id': 2089, 'name': 'handler_2089', 'event': event}

def handler_2090(event):
    return {'id': 2090, 'name': 'handler_2090', 'event': event}

def handler_2091(event):
    return {'id': 2091, 'name': 'handler_2091', 'event': event}

def handler_2092(event):
    return {'id': 2092, 'name': 'handler_2092', 'event': event}

def handler_2093(event):
    return {'id': 2093, 'name': 'handler_2093', 'event': event}

def handler_2094(event):
    return {'id': 2094, 'name': 'handler_2094', 'event': event}

def handler_2095(event):
    return {'id': 2095, 'name': 'handler_2095', 'event': event}

def handler_2096(event):
    return {'id': 2096, 'name': 'handler_2096', 'event': event}

def handler_2097(event):
    return {'id': 2097, 'name': 'handler_2097', 'event': event}

def handler_2098(event):
    return {'id': 2098, 'name': 'handler_2098', 'event': event}

def handler_2099(event):
    return {'id': 2099, 'name': 'handler_2099', 'event': event}

def handler_2100(event):
    return {'id': 2100, 'name': 'handler_2100', 'event': event}

def handler_2101(event):
    return {'id': 2101, 'name': 'handler_2101', 'event': event}

def handler_2102(event):
    return {'id': 2102, 'name': 'handler_2102', 'event': event}

def handler_2103(event):
    return {'id': 2103, 'name': 'handler_2103', 'event': event}

def handler_2104(event):
    return {'id': 2104, 'name': 'handler_2104', 'event': event}

def handler_2105(event):
    return {'id': 2105, 'name': 'handler_2105', 'event': event}

def handler_2106(event):
    return {'id': 2106, 'name': 'handler_2106', 'event': event}

def handler_2107(event):
    return {'id': 2107, 'name': 'handler_2107', 'event': event}

def handler_2108(event):
    return {'id': 2108, 'name': 'handler_2108', 'event': event}

def handler_2109(event):
    return {'id': 2109, 'name': 'handler_2109', 'event': event}

def handler_2110(event):
    return {'id': 2110, 'name': 'handler_2110', 'event': event}

def handler_2111(event):
    return {'id': 2111, 'name': 'handler_2111', 'event': event}

def handler_2112(event):
    return {'id': 2112, 'name': 'handler_2112', 'event': event}

def handler_2113(event):
    return {'id': 2113, 'name': 'handler_2113', 'event': event}

def handler_2114(event):
    return {'id': 2114, 'name': 'handler_2114', 'event': event}

def handler_2115(event):
    return {'id': 2115, 'name': 'handler_2115', 'event': event}

def handler_2116(event):
    return {'id': 2116, 'name': 'handler_2116', 'event': event}

def handler_2117(event):
    return {'id': 2117, 'name': 'handler_2117', 'event': event}

def handler_2118(event):
    return {'id': 2118, 'name': 'handler_2118', 'event': event}

def handler_2119(event):
    return {'id': 2119, 'name': 'handler_2119', 'event': event}

def handler_2120(event):
    return {'id': 2120, 'name': 'handler_2120', 'event': event}

def handler_2121(event):
    return {'id': 2121, 'name': 'handler_2121', 'event': event}

def handler_2122(event):
    return {'id': 2122, 'name': 'handler_2122', 'event': event}

def handler_2123(event):
    return {'id': 2123, 'name': 'handler_2123', 'event': event}

def handler_2124(event):
    return {'id': 2124, 'name': 'handler_2124', 'event': event}

def handler_2125(event):
    return {'id': 2125, 'name': 'handler_2125', 'event': event}

def handler_2126(event):
    return {'id': 2126, 'name': 'handler_2126', 'event': event}

def handler_2127(event):
    return {'id': 2127, 'name': 'handler_2127', 'event': event}

def handler_2128(event):
    return {'id': 2128, 'name': 'handler_2128', 'event': event}

def handler_2129(event):
    return {'id': 2129, 'name': 'handler_2129', 'event': event}

def handler_2130(event):
    return {'id': 2130, 'name': 'handler_2130', 'event': event}

def handler_2131(event):
    return {'id': 2131, 'name': 'handler_2131', 'event': event}

def handler_2132(event):
    return {'id': 2132, 'name': 'handler_2132', 'event': event}

def handler_2133(event):
    return {'id': 2133, 'name': 'handler_2133', 'event': event}

def handler_2134(event):
    return {'id': 2134, 'name': 'handler_2134', 'event': event}

def handler_2135(event):
    return {'id': 2135, 'name': 'handler_2135', 'event': event}

def handler_2136(event):
    return {'id': 2136, 'name': 'handler_2136', 'event': event}

def handler_2137(event):
    return {'id': 2137, 'name': 'handler_2137', 'event': event}

def handler_2138(event):
    return {'id': 2138, 'name': 'handler_2138', 'event': event}

def handler_2139(event):
    return {'id': 2139, 'name': 'handler_2139', 'event': event}

def handler_2140(event):
    return {'id': 2140, 'name': 'handler_2140', 'event': event}

def handler_2141(event):
    return {'id': 2141, 'name': 'handler_2141', 'event': event}

def handler_2142(event):
    return {'id': 2142, 'name': 'handler_2142', 'event': event}

def handler_2143(event):
    return {'id': 2143, 'name': 'handler_2143', 'event': event}

def handler_2144(event):
    return {'id': 2144, 'name': 'handler_2144', 'event': event}

def handler_2145(event):
    return {'id': 2145, 'name': 'handler_2145', 'event': event}

def handler_2146(event):
    return {'id': 2146, 'name': 'handler_2146', 'event': event}

def handler_2147(event):
    return {'id': 2147, 'name': 'handler_2147', 'event': event}

def handler_2148(event):
    return {'id': 2148, 'name': 'handler_2148', 'event': event}

def handler_2149(event):
    return {'id': 2149, 'name': 'handler_2149', 'event': event}

def handler_2150(event):
    return {'id': 2150, 'name': 'handler_2150', 'event': event}

def handler_2151(event):
    return {'id': 2151, 'name': 'handler_2151', 'event': event}

def handler_2152(event):
    return {'id': 2152, 'name': 'handler_2152', 'event': event}

def handler_2153(event):
    return {'id': 2153, 'name': 'handler_2153', 'event': event}

def handler_2154(event):
    return {'id': 2154, 'name': 'handler_2154', 'event': event}

def handler_2155(event):
    return {'id': 2155, 'name': 'handler_2155', 'event': event}

def handler_2156(event):
    return {'id': 2156, 'name': 'handler_2156', 'event': event}

def handler_2157(event):
    return {'id': 2157, 'name': 'handler_2157', 'event': event}

def handler_2158(event):
    return {'id': 2158, 'name': 'handler_2158', 'event': event}

def handler_2159(event):
    return {'id': 2159, 'name': 'handler_2159', 'event': event}

def handler_2160(event):
    return {'id': 2160, 'name': 'handler_2160', 'event': event}

def handler_2161(event):
    return {'id': 2161, 'name': 'handler_2161', 'event': event}

def handler_2162(event):
    return {'id': 2162, 'name': 'handler_2162', 'event': event}

def handler_2163(event):
    return {'id': 2163, 'name': 'handler_2163', 'event': event}

def handler_2164(event):
    return {'id': 2164, 'name': 'handler_2164', 'event': event}

def handler_2165(event):
    return {'id': 2165, 'name': 'handler_2165', 'event': event}

def handler_2166(event):
    return {'id': 2166, 'name': 'handler_2166', 'event': event}

def handler_2167(event):
    return {'id': 2167, 'name': 'handler_2167', 'event': event}

def handler_2168(event):
    return {'id': 2168, 'name': 'handler_2168', 'event': event}

def handler_2169(event):
    return {'id': 2169, 'name': 'handler_2169', 'event': event}

def handler_2170(event):
    return {'id': 2170, 'name': 'handler_2170', 'event': event}

def handler_2171(event):
    return {'id': 2171, 'name': 'handler_2171', 'event': event}

def handler_2172(event):
    return {'id': 2172, 'name': 'handler_2172', 'event': event}

def handler_2173(event):
    return {'id': 2173, 'name': 'handler_2173', 'event': event}

def handler_2174(event):
    return {'id': 2174, 'name': 'handler_2174', 'event': event}

def handler_2175(event):
    return {'id': 2175, 'name': 'handler_2175', 'event': event}

def handler_2176(event):
    return {'id': 2176, 'name': 'handler_2176', 'event': event}

def handler_2177(event):
    return {'id': 2177, 'name': 'handler_2177', 'event': event}

def handler_2178(event):
    return {'id': 2178, 'name': 'handler_2178', 'event': event}

def handler_2179(event):
    return {'id': 2179, 'name': 'handler_2179', 'event': event}

def handler_2180(event):
    return {'id': 2180, 'name': 'handler_2180', 'event': event}

def handler_2181(event):
    return {'id': 2181, 'name': 'handler_2181', 'event': event}

def handler_2182(event):
    return {'id': 2182, 'name': 'handler_2182', 'event': event}

def handler_2183(event):
    return {'id': 2183, 'name': 'handler_2183', 'event': event}

def handler_2184(event):
    return {'id': 2184, 'name': 'handler_2184', 'event': event}

def handler_2185(event):
    return {'id': 2185, 'name': 'handler_2185', 'event': event}

def handler_2186(event):
    return {'id': 2186, 'name': 'handler_2186', 'event': event}

def handler_2187(event):
    return {'id': 2187, 'name': 'handler_2187', 'event': event}

def handler_2188(event):
    return {'id': 2188, 'name': 'handler_2188', 'event': event}

def handler_2189(event):
    return {'id': 2189, 'name': 'handler_2189', 'event': event}

def handler_2190(event):
    return {'id': 2190, 'name': 'handler_2190', 'event': event}

def handler_2191(event):
    return {'id': 2191, 'name': 'handler_2191', 'event': event}

def handler_2192(event):
    return {'id': 2192, 'name': 'handler_2192', 'event': event}

def handler_2193(event):
    return {'id': 2193, 'name': 'handler_2193', 'event': event}

def handler_2194(event):
    return {'id': 2194, 'name': 'handler_2194', 'event': event}

def handler_2195(event):
    return {'id': 2195, 'name': 'handler_2195', 'event': event}

def handler_2196(event):
    return {'id': 2196, 'name': 'handler_2196', 'event': event}

def handler_2197(event):
    return {'id': 2197, 'name': 'handler_2197', 'event': event}

def handler_2198(event):
    return {'id': 2198, 'name': 'handler_2198', 'event': event}

def handler_2199(event):
    return {'id': 2199, 'name': 'handler_2199', 'event': event}

def handler_2200(event):
    return {'id': 2200, 'name': 'handler_2200', 'event': event}

def handler_2201(event):
    return {'id': 2201, 'name': 'handler_2201', 'event': event}

def handler_2202(event):
    return {'id': 2202, 'name': 'handler_2202', 'event': event}

def handler_2203(event):
    return {'id': 2203, 'name': 'handler_2203', 'event': event}

def handler_2204(event):
    return {'id': 2204, 'name': 'handler_2204', 'event': event}

def handler_2205(event):
    return {'id': 2205, 'name': 'handler_2205', 'event': event}

def handler_2206(event):
    return {'id': 2206, 'name': 'handler_2206', 'event': event}

def handler_2207(event):
    return {'id': 2207, 'name': 'handler_2207', 'event': event}

def handler_2208(event):
    return {'id': 2208, 'name': 'handler_2208', 'event': event}

def handler_2209(event):
    return {'id': 2209, 'name': 'handler_2209', 'event': event}

def handler_2210(event):
    return {'id': 2210, 'name': 'handler_2210', 'event': event}

def handler_2211(event):
    return {'id': 2211, 'name': 'handler_2211', 'event': event}

def handler_2212(event):
    return {'id': 2212, 'name': 'handler_2212', 'event': event}

def handler_2213(event):
    return {'id': 2213, 'name': 'handler_2213', 'event': event}

def handler_2214(event):
    return {'id': 2214, 'name': 'handler_2214', 'event': event}

def handler_2215(event):
    return {'id': 2215, 'name': 'handler_2215', 'event': event}

def handler_2216(event):
    return {'id': 2216, 'name': 'handler_2216', 'event': event}

def handler_2217(event):
    return {'id': 2217, 'name': 'handler_2217', 'event': event}

def handler_2218(event):
    return {'id': 2218, 'name': 'handler_2218', 'event': event}

def handler_2219(event):
    return {'id': 2219, 'name': 'handler_2219', 'event': event}

def handler_2220(event):
    return {'id': 2220, 'name': 'handler_2220', 'event': event}

def handler_2221(event):
    return {'id': 2221, 'name': 'handler_2221', 'event': event}

def handler_2222(event):
    return {'id': 2222, 'name': 'handler_2222', 'event': event}

def handler_2223(event):
    return {'id': 2223, 'name': 'handler_2223', 'event': event}

def handler_2224(event):
    return {'id': 2224, 'name': 'handler_2224', 'event': event}

def handler_2225(event):
    return {'id': 2225, 'name': 'handler_2225', 'event': event}

def handler_2226(event):
    return {'id': 2226, 'name': 'handler_2226', 'event': event}

def handler_2227(event):
    return {'id': 2227, 'name': 'handler_2227', 'event': event}

def handler_2228(event):
    return {'id': 2228, 'name': 'handler_2228', 'event': event}

def handler_2229(event):
    return {'id': 2229, 'name': 'handler_2229', 'event': event}

def handler_2230(event):
    return {'id': 2230, 'name': 'handler_2230', 'event': event}

def handler_2231(event):
    return {'id': 2231, 'name': 'handler_2231', 'event': event}

def handler_2232(event):
    return {'id': 2232, 'name': 'handler_2232', 'event': event}

def handler_2233(event):
    return {'id': 2233, 'name': 'handler_2233', 'event': event}

def handler_2234(event):
    return {'id': 2234, 'name': 'handler_2234', 'event': event}

def handler_2235(event):
    return {'id': 2235, 'name': 'handler_2235', 'event': event}

def handler_2236(event):
    return {'id': 2236, 'name': 'handler_2236', 'event': event}

def handler_2237(event):
    return {'id': 2237, 'name': 'handler_2237', 'event': event}

def handler_2238(event):
    return {'id': 2238, 'name': 'handler_2238', 'event': event}

def handler_2239(event):
    return {'id': 2239, 'name': 'handler_2239', 'event': event}

def handler_2240(event):
    return {'id': 2240, 'name': 'handler_2240', 'event': event}

def handler_2241(event):
    return {'id': 2241, 'name': 'handler_2241', 'event': event}

def handler_2242(event):
    return {'id': 2242, 'name': 'handler_2242', 'event': event}

def handler_2243(event):
    return {'id': 2243, 'name': 'handler_2243', 'event': event}

def handler_2244(event):
    return {'id': 2244, 'name': 'handler_2244', 'event': event}

def handler_2245(event):
    return {'id': 2245, 'name': 'handler_2245', 'event': event}

def handler_2246(event):
    return {'id': 2246, 'name': 'handler_2246', 'event': event}

def handler_2247(event):
    return {'id': 2247, 'name': 'handler_2247', 'event': event}

def handler_2248(event):
    return {'id': 2248, 'name': 'handler_2248', 'event': event}

def handler_2249(event):
    return {'id': 2249, 'name': 'handler_2249', 'event': event}

def handler_2250(event):
    return {'id': 2250, 'name': 'handler_2250', 'event': event}

def handler_2251(event):
    return {'id': 2251, 'name': 'handler_2251', 'event': event}

def handler_2252(event):
    return {'id': 2252, 'name': 'handler_2252', 'event': event}

def handler_2253(event):
    return {'id': 2253, 'name': 'handler_2253', 'event': event}

def handler_2254(event):
    return {'id': 2254, 'name': 'handler_2254', 'event': event}

def handler_2255(event):
    return {'id': 2255, 'name': 'handler_2255', 'event': event}

def handler_2256(event):
    return {'id': 2256, 'name': 'handler_2256', 'event': event}

def handler_2257(event):
    return {'id': 2257, 'name': 'handler_2257', 'event': event}

def handler_2258(event):
    return {'id': 2258, 'name': 'handler_2258', 'event': event}

def handler_2259(event):
    return {'id': 2259, 'name': 'handler_2259', 'event': event}

def handler_2260(event):
    return {'id': 2260, 'name': 'handler_2260', 'event': event}

def handler_2261(event):
    return {'id': 2261, 'name': 'handler_2261', 'event': event}

def handler_2262(event):
    return {'id': 2262, 'name': 'handler_2262', 'event': event}

def handler_2263(event):
    return {'id': 2263, 'name': 'handler_2263', 'event': event}

def handler_2264(event):
    return {'id': 2264, 'name': 'handler_2264', 'event': event}

def handler_2265(event):
    return {'id': 2265, 'name': 'handler_2265', 'event': event}

def handler_2266(event):
    return {'id': 2266, 'name': 'handler_2266', 'event': event}

def handler_2267(event):
    return {'id': 2267, 'name': 'handler_2267', 'event': event}

def handler_2268(event):
    return {'id': 2268, 'name': 'handler_2268', 'event': event}

def handler_2269(event):
    return {'id': 2269, 'name': 'handler_2269', 'event': event}

def handler_2270(event):
    return {'id': 2270, 'name': 'handler_2270', 'event': event}

def handler_2271(event):
    return {'id': 2271, 'name': 'handler_2271', 'event': event}

def handler_2272(event):
    return {'id': 2272, 'name': 'handler_2272', 'event': event}

def handler_2273(event):
    return {'id': 2273, 'name': 'handler_2273', 'event': event}

def handler_2274(event):
    return {'id': 2274, 'name': 'handler_2274', 'event': event}

def handler_2275(event):
    return {'id': 2275, 'name': 'handler_2275', 'event': event}

def handler_2276(event):
    return {'id': 2276, 'name': 'handler_2276', 'event': event}

def handler_2277(event):
    return {'id': 2277, 'name': 'handler_2277', 'event': event}

def handler_2278(event):
    return {'id': 2278, 'name': 'handler_2278', 'event': event}

def handler_2279(event):
    return {'id': 2279, 'name': 'handler_2279', 'event': event}

def handler_2280(event):
    return {'id': 2280, 'name': 'handler_2280', 'event': event}

def handler_2281(event):
    return {'id': 2281, 'name': 'handler_2281', 'event': event}

def handler_2282(event):
    return {'id': 2282, 'name': 'handler_2282', 'event': event}

def handler_2283(event):
    return {'id': 2283, 'name': 'handler_2283', 'event': event}

def handler_2284(event):
    return {'id': 2284, 'name': 'handler_2284', 'event': event}

def handler_2285(event):
    return {'id': 2285, 'name': 'handler_2285', 'event': event}

def handler_2286(event):
    return {'id': 2286, 'name': 'handler_2286', 'event': event}

def handler_2287(event):
    return {'id': 2287, 'name': 'handler_2287', 'event': event}

def handler_2288(event):
    return {'id': 2288, 'name': 'handler_2288', 'event': event}

def handler_2289(event):
    return {'id': 2289, 'name': 'handler_2289', 'event': event}

def handler_2290(event):
    return {'id': 2290, 'name': 'handler_2290', 'event': event}

def handler_2291(event):
    return {'id': 2291, 'name': 'handler_2291', 'event': event}

def handler_2292(event):
    return {'id': 2292, 'name': 'handler_2292', 'event': event}

def handler_2293(event):
    return {'id': 2293, 'name': 'handler_2293', 'event': event}

def handler_2294(event):
    return {'id': 2294, 'name': 'handler_2294', 'event': event}

def handler_2295(event):
    return {'id': 2295, 'name': 'handler_2295', 'event': event}

def handler_2296(event):
    return {'id': 2296, 'name': 'handler_2296', 'event': event}

def handler_2297(event):
    return {'id': 2297, 'name': 'handler_2297', 'event': event}

def handler_2298(event):
    return {'id': 2298, 'name': 'handler_2298', 'event': event}

def handler_2299(event):
    return {'id': 2299, 'name': 'handler_2299', 'event': event}

def handler_2300(event):
    return {'id': 2300, 'name': 'handler_2300', 'event': event}

def handler_2301(event):
    return {'id': 2301, 'name': 'handler_2301', 'event': event}

def handler_2302(event):
    return {'id': 2302, 'name': 'handler_2302', 'event': event}

def handler_2303(event):
    return {'id': 2303, 'name': 'handler_2303', 'event': event}

def handler_2304(event):
    return {'id': 2304, 'name': 'handler_2304', 'event': event}

def handler_2305(event):
    return {'id': 2305, 'name': 'handler_2305', 'event': event}

def handler_2306(event):
    return {'id': 2306, 'name': 'handler_2306', 'event': event}

def handler_2307(event):
    return {'id': 2307, 'name': 'handler_2307', 'event': event}

def handler_2308(event):
    return {'id': 2308, 'name': 'handler_2308', 'event': event}

def handler_2309(event):
    return {'id': 2309, 'name': 'handler_2309', 'event': event}

def handler_2310(event):
    return {'id': 2310, 'name': 'handler_2310', 'event': event}

def handler_2311(event):
    return {'id': 2311, 'name': 'handler_2311', 'event': event}

def handler_2312(event):
    return {'id': 2312, 'name': 'handler_2312', 'event': event}

def handler_2313(event):
    return {'id': 2313, 'name': 'handler_2313', 'event': event}

def handler_2314(event):
    return {'id': 2314, 'name': 'handler_2314', 'event': event}

def handler_2315(event):
    return {'id': 2315, 'name': 'handler_2315', 'event': event}

def handler_2316(event):
    return {'id': 2316, 'name': 'handler_2316', 'event': event}

def handler_2317(event):
    return {'id': 2317, 'name': 'handler_2317', 'event': event}

def handler_2318(event):
    return {'id': 2318, 'name': 'handler_2318', 'event': event}

def handler_2319(event):
    return {'id': 2319, 'name': 'handler_2319', 'event': event}

def handler_2320(event):
    return {'id': 2320, 'name': 'handler_2320', 'event': event}

def handler_2321(event):
    return {'id': 2321, 'name': 'handler_2321', 'event': event}

def handler_2322(event):
    return {'id': 2322, 'name': 'handler_2322', 'event': event}

def handler_2323(event):
    return {'id': 2323, 'name': 'handler_2323', 'event': event}

def handler_2324(event):
    return {'id': 2324, 'name': 'handler_2324', 'event': event}

def handler_2325(event):
    return {'id': 2325, 'name': 'handler_2325', 'event': event}

def handler_2326(event):
    return {'id': 2326, 'name': 'handler_2326', 'event': event}

def handler_2327(event):
    return {'id': 2327, 'name': 'handler_2327', 'event': event}

def handler_2328(event):
    return {'id': 2328, 'name': 'handler_2328', 'event': event}

def handler_2329(event):
    return {'id': 2329, 'name': 'handler_2329', 'event': event}

def handler_2330(event):
    return {'id': 2330, 'name': 'handler_2330', 'event': event}

def handler_2331(event):
    return {'id': 2331, 'name': 'handler_2331', 'event': event}

def handler_2332(event):
    return {'id': 2332, 'name': 'handler_2332', 'event': event}

def handler_2333(event):
    return {'id': 2333, 'name': 'handler_2333', 'event': event}

def handler_2334(event):
    return {'id': 2334, 'name': 'handler_2334', 'event': event}

def handler_2335(event):
    return {'id': 2335, 'name': 'handler_2335', 'event': event}

def handler_2336(event):
    return {'id': 2336, 'name': 'handler_2336', 'event': event}

def handler_2337(event):
    return {'id': 2337, 'name': 'handler_2337', 'event': event}

def handler_2338(event):
    return {'id': 2338, 'name': 'handler_2338', 'event': event}

def handler_2339(event):
    return {'id': 2339, 'name': 'handler_2339', 'event': event}

def handler_2340(event):
    return {'id': 2340, 'name': 'handler_2340', 'event': event}

def handler_2341(event):
    return {'id': 2341, 'name': 'handler_2341', 'event': event}

def handler_2342(event):
    return {'id': 2342, 'name': 'handler_2342', 'event': event}

def handler_2343(event):
    return {'id': 2343, 'name': 'handler_2343', 'event': event}

def handler_2344(event):
    return {'id': 2344, 'name': 'handler_2344', 'event': event}

def handler_2345(event):
    return {'id': 2345, 'name': 'handler_2345', 'event': event}

def handler_2346(event):
    return {'id': 2346, 'name': 'handler_2346', 'event': event}

def handler_2347(event):
    return {'id': 2347, 'name': 'handler_2347', 'event': event}

def handler_2348(event):
    return {'id': 2348, 'name': 'handler_2348', 'event': event}

def handler_2349(event):
    return {'id': 2349, 'name': 'handler_2349', 'event': event}

def handler_2350(event):
    return {'id': 2350, 'name': 'handler_2350', 'event': event}

def handler_2351(event):
    return {'id': 2351, 'name': 'handler_2351', 'event': event}

def handler_2352(event):
    return {'id': 2352, 'name': 'handler_2352', 'event': event}

def handler_2353(event):
    return {'id': 2353, 'name': 'handler_2353', 'event': event}

def handler_2354(event):
    return {'id': 2354, 'name': 'handler_2354', 'event': event}

def handler_2355(event):
    return {'id': 2355, 'name': 'handler_2355', 'event': event}

def handler_2356(event):
    return {'id': 2356, 'name': 'handler_2356', 'event': event}

def handler_2357(event):
    return {'id': 2357, 'name': 'handler_2357', 'event': event}

def handler_2358(event):
    return {'id': 2358, 'name': 'handler_2358', 'event': event}

def handler_2359(event):
    return {'id': 2359, 'name': 'handler_2359', 'event': event}

def handler_2360(event):
    return {'id': 2360, 'name': 'handler_2360', 'event': event}

def handler_2361(event):
    return {'id': 2361, 'name': 'handler_2361', 'event': event}

def handler_2362(event):
    return {'id': 2362, 'name': 'handler_2362', 'event': event}

def handler_2363(event):
    return {'id': 2363, 'name': 'handler_2363', 'event': event}

def handler_2364(event):
    return {'id': 2364, 'name': 'handler_2364', 'event': event}

def handler_2365(event):
    return {'id': 2365, 'name': 'handler_2365', 'event': event}

def handler_2366(event):
    return {'id': 2366, 'name': 'handler_2366', 'event': event}

def handler_2367(event):
    return {'id': 2367, 'name': 'handler_2367', 'event': event}

def handler_2368(event):
    return {'id': 2368, 'name': 'handler_2368', 'event': event}

def handler_2369(event):
    return {'id': 2369, 'name': 'handler_2369', 'event': event}

def handler_2370(event):
    return {'id': 2370, 'name': 'handler_2370', 'event': event}

def handler_2371(event):
    return {'id': 2371, 'name': 'handler_2371', 'event': event}

def handler_2372(event):
    return {'id': 2372, 'name': 'handler_2372', 'event': event}

def handler_2373(event):
    return {'id': 2373, 'name': 'handler_2373', 'event': event}

def handler_2374(event):
    return {'id': 2374, 'name': 'handler_2374', 'event': event}

def handler_2375(event):
    return {'id': 2375, 'name': 'handler_2375', 'event': event}

def handler_2376(event):
    return {'id': 2376, 'name': 'handler_2376', 'event': event}

def handler_2377(event):
    return {'id': 2377, 'name': 'handler_2377', 'event': event}

def handler_2378(event):
    return {'id': 2378, 'name': 'handler_2378', 'event': event}

def handler_2379(event):
    return {'id': 2379, 'name': 'handler_2379', 'event': event}

def handler_2380(event):
    return {'id': 2380, 'name': 'handler_2380', 'event': event}

def handler_2381(event):
    return {'id': 2381, 'name': 'handler_2381', 'event': event}

def handler_2382(event):
    return {'id': 2382, 'name': 'handler_2382', 'event': event}

def handler_2383(event):
    return {'id': 2383, 'name': 'handler_2383', 'event': event}

def handler_2384(event):
    return {'id': 2384, 'name': 'handler_2384', 'event': event}

def handler_2385(event):
    return {'id': 2385, 'name': 'handler_2385', 'event': event}

def handler_2386(event):
    return {'id': 2386, 'name': 'handler_2386', 'event': event}

def handler_2387(event):
    return {'id': 2387, 'name': 'handler_2387', 'event': event}

def handler_2388(event):
    return {'id': 2388, 'name': 'handler_2388', 'event': event}

def handler_2389(event):
    return {'id': 2389, 'name': 'handler_2389', 'event': event}

def handler_2390(event):
    return {'id': 2390, 'name': 'handler_2390', 'event': event}

def handler_2391(event):
    return {'id': 2391, 'name': 'handler_2391', 'event': event}

def handler_2392(event):
    return {'id': 2392, 'name': 'handler_2392', 'event': event}

def handler_2393(event):
    return {'id': 2393, 'name': 'handler_2393', 'event': event}

def handler_2394(event):
    return {'id': 2394, 'name': 'handler_2394', 'event': event}

def handler_2395(event):
    return {'id': 2395, 'name': 'handler_2395', 'event': event}

def handler_2396(event):
    return {'id': 2396, 'name': 'handler_2396', 'event': event}

def handler_2397(event):
    return {'id': 2397, 'name': 'handler_2397', 'event': event}

def handler_2398(event):
    return {'id': 2398, 'name': 'handler_2398', 'event': event}

def handler_2399(event):
    return {'id': 2399, 'name': 'handler_2399', 'event': event}

def handler_2400(event):
    return {'id': 2400, 'name': 'handler_2400', 'event': event}

def handler_2401(event):
    return {'id': 2401, 'name': 'handler_2401', 'event': event}

def handler_2402(event):
    return {'id': 2402, 'name': 'handler_2402', 'event': event}

def handler_2403(event):
    return {'id': 2403, 'name': 'handler_2403', 'event': event}

def handler_2404(event):
    return {'id': 2404, 'name': 'handler_2404', 'event': event}

def handler_2405(event):
    return {'id': 2405, 'name': 'handler_2405', 'event': event}

def handler_2406(event):
    return {'id': 2406, 'name': 'handler_2406', 'event': event}

def handler_2407(event):
    return {'id': 2407, 'name': 'handler_2407', 'event': event}

def handler_2408(event):
    return {'id': 2408, 'name': 'handler_2408', 'event': event}

def handler_2409(event):
    return {'id': 2409, 'name': 'handler_2409', 'event': event}

def handler_2410(event):
    return {'id': 2410, 'name': 'handler_2410', 'event': event}

def handler_2411(event):
    return {'id': 2411, 'name': 'handler_2411', 'event': event}

def handler_2412(event):
    return {'id': 2412, 'name': 'handler_2412', 'event': event}

def handler_2413(event):
    return {'id': 2413, 'name': 'handler_2413', 'event': event}

def handler_2414(event):
    return {'id': 2414, 'name': 'handler_2414', 'event': event}

def handler_2415(event):
    return {'id': 2415, 'name': 'handler_2415', 'event': event}

def handler_2416(event):
    return {'id': 2416, 'name': 'handler_2416', 'event': event}

def handler_2417(event):
    return {'id': 2417, 'name': 'handler_2417', 'event': event}

def handler_2418(event):
    return {'id': 2418, 'name': 'handler_2418', 'event': event}

def handler_2419(event):
    return {'id': 2419, 'name': 'handler_2419', 'event': event}

def handler_2420(event):
    return {'id': 2420, 'name': 'handler_2420', 'event': event}

def handler_2421(event):
    return {'id': 2421, 'name': 'handler_2421', 'event': event}

def handler_2422(event):
    return {'id': 2422, 'name': 'handler_2422', 'event': event}

def handler_2423(event):
    return {'id': 2423, 'name': 'handler_2423', 'event': event}

def handler_2424(event):
    return {'id': 2424, 'name': 'handler_2424', 'event': event}

def handler_2425(event):
    return {'id': 2425, 'name': 'handler_2425', 'event': event}

def handler_2426(event):
    return {'id': 2426, 'name': 'handler_2426', 'event': event}

def handler_2427(event):
    return {'id': 2427, 'name': 'handler_2427', 'event': event}

def handler_2428(event):
    return {'id': 2428, 'name': 'handler_2428', 'event': event}

def handler_2429(event):
    return {'id': 2429, 'name': 'handler_2429', 'event': event}

def handler_2430(event):
    return {'id': 2430, 'name': 'handler_2430', 'event': event}

def handler_2431(event):
    return {'id': 2431, 'name': 'handler_2431', 'event': event}

def handler_2432(event):
    return {'id': 2432, 'name': 'handler_2432', 'event': event}

def handler_2433(event):
    return {'id': 2433, 'name': 'handler_2433', 'event': event}

def handler_2434(event):
    return {'id': 2434, 'name': 'handler_2434', 'event': event}

def handler_2435(event):
    return {'id': 2435, 'name': 'handler_2435', 'event': event}

def handler_2436(event):
    return {'id': 2436, 'name': 'handler_2436', 'event': event}

def handler_2437(event):
    return {'id': 2437, 'name': 'handler_2437', 'event': event}

def handler_2438(event):
    return {'id': 2438, 'name': 'handler_2438', 'event': event}

def handler_2439(event):
    return {'id': 2439, 'name': 'handler_2439', 'event': event}

def handler_2440(event):
    return {'id': 2440, 'name': 'handler_2440', 'event': event}

def handler_2441(event):
    return {'id': 2441, 'name': 'handler_2441', 'event': event}

def handler_2442(event):
    return {'id': 2442, 'name': 'handler_2442', 'event': event}

def handler_2443(event):
    return {'id': 2443, 'name': 'handler_2443', 'event': event}

def handler_2444(event):
    return {'id': 2444, 'name': 'handler_2444', 'event': event}

def handler_2445(event):
    return {'id': 2445, 'name': 'handler_2445', 'event': event}

def handler_2446(event):
    return {'id': 2446, 'name': 'handler_2446', 'event': event}

def handler_2447(event):
    return {'id': 2447, 'name': 'handler_2447', 'event': event}

def handler_2448(event):
    return {'id': 2448, 'name': 'handler_2448', 'event': event}

def handler_2449(event):
    return {'id': 2449, 'name': 'handler_2449', 'event': event}

def handler_2450(event):
    return {'id': 2450, 'name': 'handler_2450', 'event': event}

def handler_2451(event):
    return {'id': 2451, 'name': 'handler_2451', 'event': event}

def handler_2452(event):
    return {'id': 2452, 'name': 'handler_2452', 'event': event}

def handler_2453(event):
    return {'id': 2453, 'name': 'handler_2453', 'event': event}

def handler_2454(event):
    return {'id': 2454, 'name': 'handler_2454', 'event': event}

def handler_2455(event):
    return {'id': 2455, 'name': 'handler_2455', 'event': event}

def handler_2456(event):
    return {'id': 2456, 'name': 'handler_2456', 'event': event}

def handler_2457(event):
    return {'id': 2457, 'name': 'handler_2457', 'event': event}

def handler_2458(event):
    return {'id': 2458, 'name': 'handler_2458', 'event': event}

def handler_2459(event):
    return {'id': 2459, 'name': 'handler_2459', 'event': event}

def handler_2460(event):
    return {'id': 2460, 'name': 'handler_2460', 'event': event}

def handler_2461(event):
    return {'id': 2461, 'name': 'handler_2461', 'event': event}

def handler_2462(event):
    return {'id': 2462, 'name': 'handler_2462', 'event': event}

def handler_2463(event):
    return {'id': 2463, 'name': 'handler_2463', 'event': event}

def handler_2464(event):
    return {'id': 2464, 'name': 'handler_2464', 'event': event}

def handler_2465(event):
    return {'id': 2465, 'name': 'handler_2465', 'event': event}

def handler_2466(event):
    return {'id': 2466, 'name': 'handler_2466', 'event': event}

def handler_2467(event):
    return {'id': 2467, 'name': 'handler_2467', 'event': event}

def handler_2468(event):
    return {'id': 2468, 'name': 'handler_2468', 'event': event}

def handler_2469(event):
    return {'id': 2469, 'name': 'handler_2469', 'event': event}

def handler_2470(event):
    return {'id': 2470, 'name': 'handler_2470', 'event': event}

def handler_2471(event):
    return {'id': 2471, 'name': 'handler_2471', 'event': event}

def handler_2472(event):
    return {'id': 2472, 'name': 'handler_2472', 'event': event}

def handler_2473(event):
    return {'id': 2473, 'name': 'handler_2473', 'event': event}

def handler_2474(event):
    return {'id': 2474, 'name': 'handler_2474', 'event': event}

def handler_2475(event):
    return {'id': 2475, 'name': 'handler_2475', 'event': event}

def handler_2476(event):
    return {'id': 2476, 'name': 'handler_2476', 'event': event}

def handler_2477(event):
    return {'id': 2477, 'name': 'handler_2477', 'event': event}

def handler_2478(event):
    return {'id': 2478, 'name': 'handler_2478', 'event': event}

def handler_2479(event):
    return {'id': 2479, 'name': 'handler_2479', 'event': event}

def handler_2480(event):
    return {'id': 2480, 'name': 'handler_2480', 'event': event}

def handler_2481(event):
    return {'id': 2481, 'name': 'handler_2481', 'event': event}

def handler_2482(event):
    return {'id': 2482, 'name': 'handler_2482', 'event': event}

def handler_2483(event):
    return {'id': 2483, 'name': 'handler_2483', 'event': event}

def handler_2484(event):
    return {'id': 2484, 'name': 'handler_2484', 'event': event}

def handler_2485(event):
    return {'id': 2485, 'name': 'handler_2485', 'event': event}

def handler_2486(event):
    return {'id': 2486, 'name': 'handler_2486', 'event': event}

def handler_2487(event):
    return {'id': 2487, 'name': 'handler_2487', 'event': event}

def handler_2488(event):
    return {'id': 2488, 'name': 'handler_2488', 'event': event}

def handler_2489(event):
    return {'id': 2489, 'name': 'handler_2489', 'event': event}

def handler_2490(event):
    return {'id': 2490, 'name': 'handler_2490', 'event': event}

def handler_2491(event):
    return {'id': 2491, 'name': 'handler_2491', 'event': event}

def handler_2492(event):
    return {'id': 2492, 'name': 'handler_2492', 'event': event}

def handler_2493(event):
    return {'id': 2493, 'name': 'handler_2493', 'event': event}

def handler_2494(event):
    return {'id': 2494, 'name': 'handler_2494', 'event': event}

def handler_2495(event):
    return {'id': 2495, 'name': 'handler_2495', 'event': event}

def handler_2496(event):
    return {'id': 2496, 'name': 'handler_2496', 'event': event}

def handler_2497(event):
    return {'id': 2497, 'name': 'handler_2497', 'event': event}

def handler_2498(event):
    return {'id': 2498, 'name': 'handler_2498', 'event': event}

def handler_2499(event):
    return {'id': 2499, 'name': 'handler_2499', 'event': event}

def handler_2500(event):
    return {'id': 2500, 'name': 'handler_2500', 'event': event}

def handler_2501(event):
    return {'id': 2501, 'name': 'handler_2501', 'event': event}

def handler_2502(event):
    return {'id': 2502, 'name': 'handler_2502', 'event': event}

def handler_2503(event):
    return {'id': 2503, 'name': 'handler_2503', 'event': event}

def handler_2504(event):
    return {'id': 2504, 'name': 'handler_2504', 'event': event}

def handler_2505(event):
    return {'id': 2505, 'name': 'handler_2505', 'event': event}

def handler_2506(event):
    return {'id': 2506, 'name': 'handler_2506', 'event': event}

def handler_2507(event):
    return {'id': 2507, 'name': 'handler_2507', 'event': event}

def handler_2508(event):
    return {'id': 2508, 'name': 'handler_2508', 'event': event}

def handler_2509(event):
    return {'id': 2509, 'name': 'handler_2509', 'event': event}

def handler_2510(event):
    return {'id': 2510, 'name': 'handler_2510', 'event': event}

def handler_2511(event):
    return {'id': 2511, 'name': 'handler_2511', 'event': event}

def handler_2512(event):
    return {'id': 2512, 'name': 'handler_2512', 'event': event}

def handler_2513(event):
    return {'id': 2513, 'name': 'handler_2513', 'event': event}

def handler_2514(event):
    return {'id': 2514, 'name': 'handler_2514', 'event': event}

def handler_2515(event):
    return {'id': 2515, 'name': 'handler_2515', 'event': event}

def handler_2516(event):
    return {'id': 2516, 'name': 'handler_2516', 'event': event}

def handler_2517(event):
    return {'id': 2517, 'name': 'handler_2517', 'event': event}

def handler_2518(event):
    return {'id': 2518, 'name': 'handler_2518', 'event': event}

def handler_2519(event):
    return {'id': 2519, 'name': 'handler_2519', 'event': event}

def handler_2520(event):
    return {'id': 2520, 'name': 'handler_2520', 'event': event}

def handler_2521(event):
    return {'id': 2521, 'name': 'handler_2521', 'event': event}

def handler_2522(event):
    return {'id': 2522, 'name': 'handler_2522', 'event': event}

def handler_2523(event):
    return {'id': 2523, 'name': 'handler_2523', 'event': event}

def handler_2524(event):
    return {'id': 2524, 'name': 'handler_2524', 'event': event}

def handler_2525(event):
    return {'id': 2525, 'name': 'handler_2525', 'event': event}

def handler_2526(event):
    return {'id': 2526, 'name': 'handler_2526', 'event': event}

def handler_2527(event):
    return {'id': 2527, 'name': 'handler_2527', 'event': event}

def handler_2528(event):
    return {'id': 2528, 'name': 'handler_2528', 'event': event}

def handler_2529(event):
    return {'id': 2529, 'name': 'handler_2529', 'event': event}

def handler_2530(event):
    return {'id': 2530, 'name': 'handler_2530', 'event': event}

def handler_2531(event):
    return {'id': 2531, 'name': 'handler_2531', 'event': event}

def handler_2532(event):
    return {'id': 2532, 'name': 'handler_2532', 'event': event}

def handler_2533(event):
    return {'id': 2533, 'name': 'handler_2533', 'event': event}

def handler_2534(event):
    return {'id': 2534, 'name': 'handler_2534', 'event': event}

def handler_2535(event):
    return {'id': 2535, 'name': 'handler_2535', 'event': event}

def handler_2536(event):
    return {'id': 2536, 'name': 'handler_2536', 'event': event}

def handler_2537(event):
    return {'id': 2537, 'name': 'handler_2537', 'event': event}

def handler_2538(event):
    return {'id': 2538, 'name': 'handler_2538', 'event': event}

def handler_2539(event):
    return {'id': 2539, 'name': 'handler_2539', 'event': event}

def handler_2540(event):
    return {'id': 2540, 'name': 'handler_2540', 'event': event}

def handler_2541(event):
    return {'id': 2541, 'name': 'handler_2541', 'event': event}

def handler_2542(event):
    return {'id': 2542, 'name': 'handler_2542', 'event': event}

def handler_2543(event):
    return {'id': 2543, 'name': 'handler_2543', 'event': event}

def handler_2544(event):
    return {'id': 2544, 'name': 'handler_2544', 'event': event}

def handler_2545(event):
    return {'id': 2545, 'name': 'handler_2545', 'event': event}

def handler_2546(event):
    return {'id': 2546, 'name': 'handler_2546', 'event': event}

def handler_2547(event):
    return {'id': 2547, 'name': 'handler_2547', 'event': event}

def handler_2548(event):
    return {'id': 2548, 'name': 'handler_2548', 'event': event}

def handler_2549(event):
    return {'id': 2549, 'name': 'handler_2549', 'event': event}

def handler_2550(event):
    return {'id': 2550, 'name': 'handler_2550', 'event': event}

def handler_2551(event):
    return {'id': 2551, 'name': 'handler_2551', 'event': event}

def handler_2552(event):
    return {'id': 2552, 'name': 'handler_2552', 'event': event}

def handler_2553(event):
    return {'id': 2553, 'name': 'handler_2553', 'event': event}

def handler_2554(event):
    return {'id': 2554, 'name': 'handler_2554', 'event': event}

def handler_2555(event):
    return {'id': 2555, 'name': 'handler_2555', 'event': event}

def handler_2556(event):
    return {'id': 2556, 'name': 'handler_2556', 'event': event}

def handler_2557(event):
    return {'id': 2557, 'name': 'handler_2557', 'event': event}

def handler_2558(event):
    return {'id': 2558, 'name': 'handler_2558', 'event': event}

def handler_2559(event):
    return {'id': 2559, 'name': 'handler_2559', 'event': event}

def handler_2560(event):
    return {'id': 2560, 'name': 'handler_2560', 'event': event}

def handler_2561(event):
    return {'id': 2561, 'name': 'handler_2561', 'event': event}

def handler_2562(event):
    return {'id': 2562, 'name': 'handler_2562', 'event': event}

def handler_2563(event):
    return {'id': 2563, 'name': 'handler_2563', 'event': event}

def handler_2564(event):
    return {'id': 2564, 'name': 'handler_2564', 'event': event}

def handler_2565(event):
    return {'id': 2565, 'name': 'handler_2565', 'event': event}

def handler_2566(event):
    return {'id': 2566, 'name': 'handler_2566', 'event': event}

def handler_2567(event):
    return {'id': 2567, 'name': 'handler_2567', 'event': event}

def handler_2568(event):
    return {'id': 2568, 'name': 'handler_2568', 'event': event}

def handler_2569(event):
    return {'id': 2569, 'name': 'handler_2569', 'event': event}

def handler_2570(event):
    return {'id': 2570, 'name': 'handler_2570', 'event': event}

def handler_2571(event):
    return {'id': 2571, 'name': 'handler_2571', 'event': event}

def handler_2572(event):
    return {'id': 2572, 'name': 'handler_2572', 'event': event}

def handler_2573(event):
    return {'id': 2573, 'name': 'handler_2573', 'event': event}

def handler_2574(event):
    return {'id': 2574, 'name': 'handler_2574', 'event': event}

def handler_2575(event):
    return {'id': 2575, 'name': 'handler_2575', 'event': event}

def handler_2576(event):
    return {'id': 2576, 'name': 'handler_2576', 'event': event}

def handler_2577(event):
    return {'id': 2577, 'name': 'handler_2577', 'event': event}

def handler_2578(event):
    return {'id': 2578, 'name': 'handler_2578', 'event': event}

def handler_2579(event):
    return {'id': 2579, 'name': 'handler_2579', 'event': event}

def handler_2580(event):
    return {'id': 2580, 'name': 'handler_2580', 'event': event}

def handler_2581(event):
    return {'id': 2581, 'name': 'handler_2581', 'event': event}

def handler_2582(event):
    return {'id': 2582, 'name': 'handler_2582', 'event': event}

def handler_2583(event):
    return {'id': 2583, 'name': 'handler_2583', 'event': event}

def handler_2584(event):
    return {'id': 2584, 'name': 'handler_2584', 'event': event}

def handler_2585(event):
    return {'id': 2585, 'name': 'handler_2585', 'event': event}

def handler_2586(event):
    return {'id': 2586, 'name': 'handler_2586', 'event': event}

def handler_2587(event):
    return {'id': 2587, 'name': 'handler_2587', 'event': event}

def handler_2588(event):
    return {'id': 2588, 'name': 'handler_2588', 'event': event}

def handler_2589(event):
    return {'id': 2589, 'name': 'handler_2589', 'event': event}

def handler_2590(event):
    return {'id': 2590, 'name': 'handler_2590', 'event': event}

def handler_2591(event):
    return {'id': 2591, 'name': 'handler_2591', 'event': event}

def handler_2592(event):
    return {'id': 2592, 'name': 'handler_2592', 'event': event}

def handler_2593(event):
    return {'id': 2593, 'name': 'handler_2593', 'event': event}

def handler_2594(event):
    return {'id': 2594, 'name': 'handler_2594', 'event': event}

def handler_2595(event):
    return {'id': 2595, 'name': 'handler_2595', 'event': event}

def handler_2596(event):
    return {'id': 2596, 'name': 'handler_2596', 'event': event}

def handler_2597(event):
    return {'id': 2597, 'name': 'handler_2597', 'event': event}

def handler_2598(event):
    return {'id': 2598, 'name': 'handler_2598', 'event': event}

def handler_2599(event):
    return {'id': 2599, 'name': 'handler_2599', 'event': event}

def handler_2600(event):
    return {'id': 2600, 'name': 'handler_2600', 'event': event}

def handler_2601(event):
    return {'id': 2601, 'name': 'handler_2601', 'event': event}

def handler_2602(event):
    return {'id': 2602, 'name': 'handler_2602', 'event': event}

def handler_2603(event):
    return {'id': 2603, 'name': 'handler_2603', 'event': event}

def handler_2604(event):
    return {'id': 2604, 'name': 'handler_2604', 'event': event}

def handler_2605(event):
    return {'id': 2605, 'name': 'handler_2605', 'event': event}

def handler_2606(event):
    return {'id': 2606, 'name': 'handler_2606', 'event': event}

def handler_2607(event):
    return {'id': 2607, 'name': 'handler_2607', 'event': event}

def handler_2608(event):
    return {'id': 2608, 'name': 'handler_2608', 'event': event}

def handler_2609(event):
    return {'id': 2609, 'name': 'handler_2609', 'event': event}

def handler_2610(event):
    return {'id': 2610, 'name': 'handler_2610', 'event': event}

def handler_2611(event):
    return {'id': 2611, 'name': 'handler_2611', 'event': event}

def handler_2612(event):
    return {'id': 2612, 'name': 'handler_2612', 'event': event}

def handler_2613(event):
    return {'id': 2613, 'name': 'handler_2613', 'event': event}

def handler_2614(event):
    return {'id': 2614, 'name': 'handler_2614', 'event': event}

def handler_2615(event):
    return {'id': 2615, 'name': 'handler_2615', 'event': event}

def handler_2616(event):
    return {'id': 2616, 'name': 'handler_2616', 'event': event}

def handler_2617(event):
    return {'id': 2617, 'name': 'handler_2617', 'event': event}

def handler_2618(event):
    return {'id': 2618, 'name': 'handler_2618', 'event': event}

def handler_2619(event):
    return {'id': 2619, 'name': 'handler_2619', 'event': event}

def handler_2620(event):
    return {'id': 2620, 'name': 'handler_2620', 'event': event}

def handler_2621(event):
    return {'id': 2621, 'name': 'handler_2621', 'event': event}

def handler_2622(event):
    return {'id': 2622, 'name': 'handler_2622', 'event': event}

def handler_2623(event):
    return {'id': 2623, 'name': 'handler_2623', 'event': event}

def handler_2624(event):
    return {'id': 2624, 'name': 'handler_2624', 'event': event}

def handler_2625(event):
    return {'id': 2625, 'name': 'handler_2625', 'event': event}

def handler_2626(event):
    return {'id': 2626, 'name': 'handler_2626', 'event': event}

def handler_2627(event):
    return {'id': 2627, 'name': 'handler_2627', 'event': event}

def handler_2628(event):
    return {'id': 2628, 'name': 'handler_2628', 'event': event}

def handler_2629(event):
    return {'id': 2629, 'name': 'handler_2629', 'event': event}

def handler_2630(event):
    return {'id': 2630, 'name': 'handler_2630', 'event': event}

def handler_2631(event):
    return {'id': 2631, 'name': 'handler_2631', 'event': event}

def handler_2632(event):
    return {'id': 2632, 'name': 'handler_2632', 'event': event}

def handler_2633(event):
    return {'id': 2633, 'name': 'handler_2633', 'event': event}

def handler_2634(event):
    return {'id': 2634, 'name': 'handler_2634', 'event': event}

def handler_2635(event):
    return {'id': 2635, 'name': 'handler_2635', 'event': event}

def handler_2636(event):
    return {'id': 2636, 'name': 'handler_2636', 'event': event}

def handler_2637(event):
    return {'id': 2637, 'name': 'handler_2637', 'event': event}

def handler_2638(event):
    return {'id': 2638, 'name': 'handler_2638', 'event': event}

def handler_2639(event):
    return {'id': 2639, 'name': 'handler_2639', 'event': event}

def handler_2640(event):
    return {'id': 2640, 'name': 'handler_2640', 'event': event}

def handler_2641(event):
    return {'id': 2641, 'name': 'handler_2641', 'event': event}

def handler_2642(event):
    return {'id': 2642, 'name': 'handler_2642', 'event': event}

def handler_2643(event):
    return {'id': 2643, 'name': 'handler_2643', 'event': event}

def handler_2644(event):
    return {'id': 2644, 'name': 'handler_2644', 'event': event}

def handler_2645(event):
    return {'id': 2645, 'name': 'handler_2645', 'event': event}

def handler_2646(event):
    return {'id': 2646, 'name': 'handler_2646', 'event': event}

def handler_2647(event):
    return {'id': 2647, 'name': 'handler_2647', 'event': event}

def handler_2648(event):
    return {'id': 2648, 'name': 'handler_2648', 'event': event}

def handler_2649(event):
    return {'id': 2649, 'name': 'handler_2649', 'event': event}

def handler_2650(event):
    return {'id': 2650, 'name': 'handler_2650', 'event': event}

def handler_2651(event):
    return {'id': 2651, 'name': 'handler_2651', 'event': event}

def handler_2652(event):
    return {'id': 2652, 'name': 'handler_2652', 'event': event}

def handler_2653(event):
    return {'id': 2653, 'name': 'handler_2653', 'event': event}

def handler_2654(event):
    return {'id': 2654, 'name': 'handler_2654', 'event': event}

def handler_2655(event):
    return {'id': 2655, 'name': 'handler_2655', 'event': event}

def handler_2656(event):
    return {'id': 2656, 'name': 'handler_2656', 'event': event}

def handler_2657(event):
    return {'id': 2657, 'name': 'handler_2657', 'event': event}

def handler_2658(event):
    return {'id': 2658, 'name': 'handler_2658', 'event': event}

def handler_2659(event):
    return {'id': 2659, 'name': 'handler_2659', 'event': event}

def handler_2660(event):
    return {'id': 2660, 'name': 'handler_2660', 'event': event}

def handler_2661(event):
    return {'id': 2661, 'name': 'handler_2661', 'event': event}

def handler_2662(event):
    return {'id': 2662, 'name': 'handler_2662', 'event': event}

def handler_2663(event):
    return {'id': 2663, 'name': 'handler_2663', 'event': event}

def handler_2664(event):
    return {'id': 2664, 'name': 'handler_2664', 'event': event}

def handler_2665(event):
    return {'id': 2665, 'name': 'handler_2665', 'event': event}

def handler_2666(event):
    return {'id': 2666, 'name': 'handler_2666', 'event': event}

def handler_2667(event):
    return {'id': 2667, 'name': 'handler_2667', 'event': event}

def handler_2668(event):
    return {'id': 2668, 'name': 'handler_2668', 'event': event}

def handler_2669(event):
    return {'id': 2669, 'name': 'handler_2669', 'event': event}

def handler_2670(event):
    return {'id': 2670, 'name': 'handler_2670', 'event': event}

def handler_2671(event):
    return {'id': 2671, 'name': 'handler_2671', 'event': event}

def handler_2672(event):
    return {'id': 2672, 'name': 'handler_2672', 'event': event}

def handler_2673(event):
    return {'id': 2673, 'name': 'handler_2673', 'event': event}

def handler_2674(event):
    return {'id': 2674, 'name': 'handler_2674', 'event': event}

def handler_2675(event):
    return {'id': 2675, 'name': 'handler_2675', 'event': event}

def handler_2676(event):
    return {'id': 2676, 'name': 'handler_2676', 'event': event}

def handler_2677(event):
    return {'id': 2677, 'name': 'handler_2677', 'event': event}

def handler_2678(event):
    return {'id': 2678, 'name': 'handler_2678', 'event': event}

def handler_2679(event):
    return {'id': 2679, 'name': 'handler_2679', 'event': event}

def handler_2680(event):
    return {'id': 2680, 'name': 'handler_2680', 'event': event}

def handler_2681(event):
    return {'id': 2681, 'name': 'handler_2681', 'event': event}

def handler_2682(event):
    return {'id': 2682, 'name': 'handler_2682', 'event': event}

def handler_2683(event):
    return {'id': 2683, 'name': 'handler_2683', 'event': event}

def handler_2684(event):
    return {'id': 2684, 'name': 'handler_2684', 'event': event}

def handler_2685(event):
    return {'id': 2685, 'name': 'handler_2685', 'event': event}

def handler_2686(event):
    return {'id': 2686, 'name': 'handler_2686', 'event': event}

def handler_2687(event):
    return {'id': 2687, 'name': 'handler_2687', 'event': event}

def handler_2688(event):
    return {'id': 2688, 'name': 'handler_2688', 'event': event}

def handler_2689(event):
    return {'id': 2689, 'name': 'handler_2689', 'event': event}

def handler_2690(event):
    return {'id': 2690, 'name': 'handler_2690', 'event': event}

def handler_2691(event):
    return {'id': 2691, 'name': 'handler_2691', 'event': event}

def handler_2692(event):
    return {'id': 2692, 'name': 'handler_2692', 'event': event}

def handler_2693(event):
    return {'id': 2693, 'name': 'handler_2693', 'event': event}

def handler_2694(event):
    return {'id': 2694, 'name': 'handler_2694', 'event': event}

def handler_2695(event):
    return {'id': 2695, 'name': 'handler_2695', 'event': event}

def handler_2696(event):
    return {'id': 2696, 'name': 'handler_2696', 'event': event}

def handler_2697(event):
    return {'id': 2697, 'name': 'handler_2697', 'event': event}

def handler_2698(event):
    return {'id': 2698, 'name': 'handler_2698', 'event': event}

def handler_2699(event):
    return {'id': 2699, 'name': 'handler_2699', 'event': event}

def handler_2700(event):
    return {'id': 2700, 'name': 'handler_2700', 'event': event}

def handler_2701(event):
    return {'id': 2701, 'name': 'handler_2701', 'event': event}

def handler_2702(event):
    return {'id': 2702, 'name': 'handler_2702', 'event': event}

def handler_2703(event):
    return {'id': 2703, 'name': 'handler_2703', 'event': event}

def handler_2704(event):
    return {'id': 2704, 'name': 'handler_2704', 'event': event}

def handler_2705(event):
    return {'id': 2705, 'name': 'handler_2705', 'event': event}

def handler_2706(event):
    return {'id': 2706, 'name': 'handler_2706', 'event': event}

def handler_2707(event):
    return {'id': 2707, 'name': 'handler_2707', 'event': event}

def handler_2708(event):
    return {'id': 2708, 'name': 'handler_2708', 'event': event}

def handler_2709(event):
    return {'id': 2709, 'name': 'handler_2709', 'event': event}

def handler_2710(event):
    return {'id': 2710, 'name': 'handler_2710', 'event': event}

def handler_2711(event):
    return {'id': 2711, 'name': 'handler_2711', 'event': event}

def handler_2712(event):
    return {'id': 2712, 'name': 'handler_2712', 'event': event}

def handler_2713(event):
    return {'id': 2713, 'name': 'handler_2713', 'event': event}

def handler_2714(event):
    return {'id': 2714, 'name': 'handler_2714', 'event': event}

def handler_2715(event):
    return {'id': 2715, 'name': 'handler_2715', 'event': event}

def handler_2716(event):
    return {'id': 2716, 'name': 'handler_2716', 'event': event}

def handler_2717(event):
    return {'id': 2717, 'name': 'handler_2717', 'event': event}

def handler_2718(event):
    return {'id': 2718, 'name': 'handler_2718', 'event': event}

def handler_2719(event):
    return {'id': 2719, 'name': 'handler_2719', 'event': event}

def handler_2720(event):
    return {'id': 2720, 'name': 'handler_2720', 'event': event}

def handler_2721(event):
    return {'id': 2721, 'name': 'handler_2721', 'event': event}

def handler_2722(event):
    return {'id': 2722, 'name': 'handler_2722', 'event': event}

def handler_2723(event):
    return {'id': 2723, 'name': 'handler_2723', 'event': event}

def handler_2724(event):
    return {'id': 2724, 'name': 'handler_2724', 'event': event}

def handler_2725(event):
    return {'id': 2725, 'name': 'handler_2725', 'event': event}

def handler_2726(event):
    return {'id': 2726, 'name': 'handler_2726', 'event': event}

def handler_2727(event):
    return {'id': 2727, 'name': 'handler_2727', 'event': event}

def handler_2728(event):
    return {'id': 2728, 'name': 'handler_2728', 'event': event}

def handler_2729(event):
    return {'id': 2729, 'name': 'handler_2729', 'event': event}

def handler_2730(event):
    return {'id': 2730, 'name': 'handler_2730', 'event': event}

def handler_2731(event):
    return {'id': 2731, 'name': 'handler_2731', 'event': event}

def handler_2732(event):
    return {'id': 2732, 'name': 'handler_2732', 'event': event}

def handler_2733(event):
    return {'id': 2733, 'name': 'handler_2733', 'event': event}

def handler_2734(event):
    return {'id': 2734, 'name': 'handler_2734', 'event': event}

def handler_2735(event):
    return {'id': 2735, 'name': 'handler_2735', 'event': event}

def handler_2736(event):
    return {'id': 2736, 'name': 'handler_2736', 'event': event}

def handler_2737(event):
    return {'id': 2737, 'name': 'handler_2737', 'event': event}

def handler_2738(event):
    return {'id': 2738, 'name': 'handler_2738', 'event': event}

def handler_2739(event):
    return {'id': 2739, 'name': 'handler_2739', 'event': event}

def handler_2740(event):
    return {'id': 2740, 'name': 'handler_2740', 'event': event}

def handler_2741(event):
    return {'id': 2741, 'name': 'handler_2741', 'event': event}

def handler_2742(event):
    return {'id': 2742, 'name': 'handler_2742', 'event': event}

def handler_2743(event):
    return {'id': 2743, 'name': 'handler_2743', 'event': event}

def handler_2744(event):
    return {'id': 2744, 'name': 'handler_2744', 'event': event}

def handler_2745(event):
    return {'id': 2745, 'name': 'handler_2745', 'event': event}

def handler_2746(event):
    return {'id': 2746, 'name': 'handler_2746', 'event': event}

def handler_2747(event):
    return {'id': 2747, 'name': 'handler_2747', 'event': event}

def handler_2748(event):
    return {'id': 2748, 'name': 'handler_2748', 'event': event}

def handler_2749(event):
    return {'id': 2749, 'name': 'handler_2749', 'event': event}

def handler_2750(event):
    return {'id': 2750, 'name': 'handler_2750', 'event': event}

def handler_2751(event):
    return {'id': 2751, 'name': 'handler_2751', 'event': event}

def handler_2752(event):
    return {'id': 2752, 'name': 'handler_2752', 'event': event}

def handler_2753(event):
    return {'id': 2753, 'name': 'handler_2753', 'event': event}

def handler_2754(event):
    return {'id': 2754, 'name': 'handler_2754', 'event': event}

def handler_2755(event):
    return {'id': 2755, 'name': 'handler_2755', 'event': event}

def handler_2756(event):
    return {'id': 2756, 'name': 'handler_2756', 'event': event}

def handler_2757(event):
    return {'id': 2757, 'name': 'handler_2757', 'event': event}

def handler_2758(event):
    return {'id': 2758, 'name': 'handler_2758', 'event': event}

def handler_2759(event):
    return {'id': 2759, 'name': 'handler_2759', 'event': event}

def handler_2760(event):
    return {'id': 2760, 'name': 'handler_2760', 'event': event}

def handler_2761(event):
    return {'id': 2761, 'name': 'handler_2761', 'event': event}

def handler_2762(event):
    return {'id': 2762, 'name': 'handler_2762', 'event': event}

def handler_2763(event):
    return {'id': 2763, 'name': 'handler_2763', 'event': event}

def handler_2764(event):
    return {'id': 2764, 'name': 'handler_2764', 'event': event}

def handler_2765(event):
    return {'id': 2765, 'name': 'handler_2765', 'event': event}

def handler_2766(event):
    return {'id': 2766, 'name': 'handler_2766', 'event': event}

def handler_2767(event):
    return {'id': 2767, 'name': 'handler_2767', 'event': event}

def handler_2768(event):
    return {'id': 2768, 'name': 'handler_2768', 'event': event}

def handler_2769(event):
    return {'id': 2769, 'name': 'handler_2769', 'event': event}

def handler_2770(event):
    return {'id': 2770, 'name': 'handler_2770', 'event': event}

def handler_2771(event):
    return {'id': 2771, 'name': 'handler_2771', 'event': event}

def handler_2772(event):
    return {'id': 2772, 'name': 'handler_2772', 'event': event}

def handler_2773(event):
    return {'id': 2773, 'name': 'handler_2773', 'event': event}

def handler_2774(event):
    return {'id': 2774, 'name': 'handler_2774', 'event': event}

def handler_2775(event):
    return {'id': 2775, 'name': 'handler_2775', 'event': event}

def handler_2776(event):
    return {'id': 2776, 'name': 'handler_2776', 'event': event}

def handler_2777(event):
    return {'id': 2777, 'name': 'handler_2777', 'event': event}

def handler_2778(event):
    return {'id': 2778, 'name': 'handler_2778', 'event': event}

def handler_2779(event):
    return {'id': 2779, 'name': 'handler_2779', 'event': event}

def handler_2780(event):
    return {'id': 2780, 'name': 'handler_2780', 'event': event}

def handler_2781(event):
    return {'id': 2781, 'name': 'handler_2781', 'event': event}

def handler_2782(event):
    return {'id': 2782, 'name': 'handler_2782', 'event': event}

def handler_2783(event):
    return {'id': 2783, 'name': 'handler_2783', 'event': event}

def handler_2784(event):
    return {'id': 2784, 'name': 'handler_2784', 'event': event}

def handler_2785(event):
    return {'id': 2785, 'name': 'handler_2785', 'event': event}

def handler_2786(event):
    return {'id': 2786, 'name': 'handler_2786', 'event': event}

def handler_2787(event):
    return {'id': 2787, 'name': 'handler_2787', 'event': event}

def handler_2788(event):
    return {'id': 2788, 'name': 'handler_2788', 'event': event}

def handler_2789(event):
    return {'id': 2789, 'name': 'handler_2789', 'event': event}

def handler_2790(event):
    return {'id': 2790, 'name': 'handler_2790', 'event': event}

def handler_2791(event):
    return {'id': 2791, 'name': 'handler_2791', 'event': event}

def handler_2792(event):
    return {'id': 2792, 'name': 'handler_2792', 'event': event}

def handler_2793(event):
    return {'id': 2793, 'name': 'handler_2793', 'event': event}

def handler_2794(event):
    return {'id': 2794, 'name': 'handler_2794', 'event': event}

def handler_2795(event):
    return {'id': 2795, 'name': 'handler_2795', 'event': event}

def handler_2796(event):
    return {'id': 2796, 'name': 'handler_2796', 'event': event}

def handler_2797(event):
    return {'id': 2797, 'name': 'handler_2797', 'event': event}

def handler_2798(event):
    return {'id': 2798, 'name': 'handler_2798', 'event': event}

def handler_2799(event):
    return {'id': 2799, 'name': 'handler_2799', 'event': event}

def handler_2800(event):
    return {'id': 2800, 'name': 'handler_2800', 'event': event}

def handler_2801(event):
    return {'id': 2801, 'name': 'handler_2801', 'event': event}

def handler_2802(event):
    return {'id': 2802, 'name': 'handler_2802', 'event': event}

def handler_2803(event):
    return {'id': 2803, 'name': 'handler_2803', 'event': event}

def handler_2804(event):
    return {'id': 2804, 'name': 'handler_2804', 'event': event}

def handler_2805(event):
    return {'id': 2805, 'name': 'handler_2805', 'event': event}

def handler_2806(event):
    return {'id': 2806, 'name': 'handler_2806', 'event': event}

def handler_2807(event):
    return {'id': 2807, 'name': 'handler_2807', 'event': event}

def handler_2808(event):
    return {'id': 2808, 'name': 'handler_2808', 'event': event}

def handler_2809(event):
    return {'id': 2809, 'name': 'handler_2809', 'event': event}

def handler_2810(event):
    return {'id': 2810, 'name': 'handler_2810', 'event': event}

def handler_2811(event):
    return {'id': 2811, 'name': 'handler_2811', 'event': event}

def handler_2812(event):
    return {'id': 2812, 'name': 'handler_2812', 'event': event}

def handler_2813(event):
    return {'id': 2813, 'name': 'handler_2813', 'event': event}

def handler_2814(event):
    return {'id': 2814, 'name': 'handler_2814', 'event': event}

def handler_2815(event):
    return {'id': 2815, 'name': 'handler_2815', 'event': event}

def handler_2816(event):
    return {'id': 2816, 'name': 'handler_2816', 'event': event}

def handler_2817(event):
    return {'id': 2817, 'name': 'handler_2817', 'event': event}

def handler_2818(event):
    return {'id': 2818, 'name': 'handler_2818', 'event': event}

def handler_2819(event):
    return {'id': 2819, 'name': 'handler_2819', 'event': event}

def handler_2820(event):
    return {'id': 2820, 'name': 'handler_2820', 'event': event}

def handler_2821(event):
    return {'id': 2821, 'name': 'handler_2821', 'event': event}

def handler_2822(event):
    return {'id': 2822, 'name': 'handler_2822', 'event': event}

def handler_2823(event):
    return {'id': 2823, 'name': 'handler_2823', 'event': event}

def handler_2824(event):
    return {'id': 2824, 'name': 'handler_2824', 'event': event}

def handler_2825(event):
    return {'id': 2825, 'name': 'handler_2825', 'event': event}

def handler_2826(event):
    return {'id': 2826, 'name': 'handler_2826', 'event': event}

def handler_2827(event):
    return {'id': 2827, 'name': 'handler_2827', 'event': event}

def handler_2828(event):
    return {'id': 2828, 'name': 'handler_2828', 'event': event}

def handler_2829(event):
    return {'id': 2829, 'name': 'handler_2829', 'event': event}

def handler_2830(event):
    return {'id': 2830, 'name': 'handler_2830', 'event': event}

def handler_2831(event):
    return {'id': 2831, 'name': 'handler_2831', 'event': event}

def handler_2832(event):
    return {'id': 2832, 'name': 'handler_2832', 'event': event}

def handler_2833(event):
    return {'id': 2833, 'name': 'handler_2833', 'event': event}

def handler_2834(event):
    return {'id': 2834, 'name': 'handler_2834', 'event': event}

def handler_2835(event):
    return {'id': 2835, 'name': 'handler_2835', 'event': event}

def handler_2836(event):
    return {'id': 2836, 'name': 'handler_2836', 'event': event}

def handler_2837(event):
    return {'id': 2837, 'name': 'handler_2837', 'event': event}

def handler_2838(event):
    return {'id': 2838, 'name': 'handler_2838', 'event': event}

def handler_2839(event):
    return {'id': 2839, 'name': 'handler_2839', 'event': event}

def handler_2840(event):
    return {'id': 2840, 'name': 'handler_2840', 'event': event}

def handler_2841(event):
    return {'id': 2841, 'name': 'handler_2841', 'event': event}

def handler_2842(event):
    return {'id': 2842, 'name': 'handler_2842', 'event': event}

def handler_2843(event):
    return {'id': 2843, 'name': 'handler_2843', 'event': event}

def handler_2844(event):
    return {'id': 2844, 'name': 'handler_2844', 'event': event}

def handler_2845(event):
    return {'id': 2845, 'name': 'handler_2845', 'event': event}

def handler_2846(event):
    return {'id': 2846, 'name': 'handler_2846', 'event': event}

def handler_2847(event):
    return {'id': 2847, 'name': 'handler_2847', 'event': event}

def handler_2848(event):
    return {'id': 2848, 'name': 'handler_2848', 'event': event}

def handler_2849(event):
    return {'id': 2849, 'name': 'handler_2849', 'event': event}

def handler_2850(event):
    return {'id': 2850, 'name': 'handler_2850', 'event': event}

def handler_2851(event):
    return {'id': 2851, 'name': 'handler_2851', 'event': event}

def handler_2852(event):
    return {'id': 2852, 'name': 'handler_2852', 'event': event}

def handler_2853(event):
    return {'id': 2853, 'name': 'handler_2853', 'event': event}

def handler_2854(event):
    return {'id': 2854, 'name': 'handler_2854', 'event': event}

def handler_2855(event):
    return {'id': 2855, 'name': 'handler_2855', 'event': event}

def handler_2856(event):
    return {'id': 2856, 'name': 'handler_2856', 'event': event}

def handler_2857(event):
    return {'id': 2857, 'name': 'handler_2857', 'event': event}

def handler_2858(event):
    return {'id': 2858, 'name': 'handler_2858', 'event': event}

def handler_2859(event):
    return {'id': 2859, 'name': 'handler_2859', 'event': event}

def handler_2860(event):
    return {'id': 2860, 'name': 'handler_2860', 'event': event}

def handler_2861(event):
    return {'id': 2861, 'name': 'handler_2861', 'event': event}

def handler_2862(event):
    return {'id': 2862, 'name': 'handler_2862', 'event': event}

def handler_2863(event):
    return {'id': 2863, 'name': 'handler_2863', 'event': event}

def handler_2864(event):
    return {'id': 2864, 'name': 'handler_2864', 'event': event}

def handler_2865(event):
    return {'id': 2865, 'name': 'handler_2865', 'event': event}

def handler_2866(event):
    return {'id': 2866, 'name': 'handler_2866', 'event': event}

def handler_2867(event):
    return {'id': 2867, 'name': 'handler_2867', 'event': event}

def handler_2868(event):
    return {'id': 2868, 'name': 'handler_2868', 'event': event}

def handler_2869(event):
    return {'id': 2869, 'name': 'handler_2869', 'event': event}

def handler_2870(event):
    return {'id': 2870, 'name': 'handler_2870', 'event': event}

def handler_2871(event):
    return {'id': 2871, 'name': 'handler_2871', 'event': event}

def handler_2872(event):
    return {'id': 2872, 'name': 'handler_2872', 'event': event}

def handler_2873(event):
    return {'id': 2873, 'name': 'handler_2873', 'event': event}

def handler_2874(event):
    return {'id': 2874, 'name': 'handler_2874', 'event': event}

def handler_2875(event):
    return {'id': 2875, 'name': 'handler_2875', 'event': event}

def handler_2876(event):
    return {'id': 2876, 'name': 'handler_2876', 'event': event}

def handler_2877(event):
    return {'id': 2877, 'name': 'handler_2877', 'event': event}

def handler_2878(event):
    return {'id': 2878, 'name': 'handler_2878', 'event': event}

def handler_2879(event):
    return {'id': 2879, 'name': 'handler_2879', 'event': event}

def handler_2880(event):
    return {'id': 2880, 'name': 'handler_2880', 'event': event}

def handler_2881(event):
    return {'id': 2881, 'name': 'handler_2881', 'event': event}

def handler_2882(event):
    return {'id': 2882, 'name': 'handler_2882', 'event': event}

def handler_2883(event):
    return {'id': 2883, 'name': 'handler_2883', 'event': event}

def handler_2884(event):
    return {'id': 2884, 'name': 'handler_2884', 'event': event}

def handler_2885(event):
    return {'id': 2885, 'name': 'handler_2885', 'event': event}

def handler_2886(event):
    return {'id': 2886, 'name': 'handler_2886', 'event': event}

def handler_2887(event):
    return {'id': 2887, 'name': 'handler_2887', 'event': event}

def handler_2888(event):
    return {'id': 2888, 'name': 'handler_2888', 'event': event}

def handler_2889(event):
    return {'id': 2889, 'name': 'handler_2889', 'event': event}

def handler_2890(event):
    return {'id': 2890, 'name': 'handler_2890', 'event': event}

def handler_2891(event):
    return {'id': 2891, 'name': 'handler_2891', 'event': event}

def handler_2892(event):
    return {'id': 2892, 'name': 'handler_2892', 'event': event}

def handler_2893(event):
    return {'id': 2893, 'name': 'handler_2893', 'event': event}

def handler_2894(event):
    return {'id': 2894, 'name': 'handler_2894', 'event': event}

def handler_2895(event):
    return {'id': 2895, 'name': 'handler_2895', 'event': event}

def handler_2896(event):
    return {'id': 2896, 'name': 'handler_2896', 'event': event}

def handler_2897(event):
    return {'id': 2897, 'name': 'handler_2897', 'event': event}

def handler_2898(event):
    return {'id': 2898, 'name': 'handler_2898', 'event': event}

def handler_2899(event):
    return {'id': 2899, 'name': 'handler_2899', 'event': event}

def handler_2900(event):
    return {'id': 2900, 'name': 'handler_2900', 'event': event}

def handler_2901(event):
    return {'id': 2901, 'name': 'handler_2901', 'event': event}

def handler_2902(event):
    return {'id': 2902, 'name': 'handler_2902', 'event': event}

def handler_2903(event):
    return {'id': 2903, 'name': 'handler_2903', 'event': event}

def handler_2904(event):
    return {'id': 2904, 'name': 'handler_2904', 'event': event}

def handler_2905(event):
    return {'id': 2905, 'name': 'handler_2905', 'event': event}

def handler_2906(event):
    return {'id': 2906, 'name': 'handler_2906', 'event': event}

def handler_2907(event):
    return {'id': 2907, 'name': 'handler_2907', 'event': event}

def handler_2908(event):
    return {'id': 2908, 'name': 'handler_2908', 'event': event}

def handler_2909(event):
    return {'id': 2909, 'name': 'handler_2909', 'event': event}

def handler_2910(event):
    return {'id': 2910, 'name': 'handler_2910', 'event': event}

def handler_2911(event):
    return {'id': 2911, 'name': 'handler_2911', 'event': event}

def handler_2912(event):
    return {'id': 2912, 'name': 'handler_2912', 'event': event}

def handler_2913(event):
    return {'id': 2913, 'name': 'handler_2913', 'event': event}

def handler_2914(event):
    return {'id': 2914, 'name': 'handler_2914', 'event': event}

def handler_2915(event):
    return {'id': 2915, 'name': 'handler_2915', 'event': event}

def handler_2916(event):
    return {'id': 2916, 'name': 'handler_2916', 'event': event}

def handler_2917(event):
    return {'id': 2917, 'name': 'handler_2917', 'event': event}

def handler_2918(event):
    return {'id': 2918, 'name': 'handler_2918', 'event': event}

def handler_2919(event):
    return {'id': 2919, 'name': 'handler_2919', 'event': event}

def handler_2920(event):
    return {'id': 2920, 'name': 'handler_2920', 'event': event}

def handler_2921(event):
    return {'id': 2921, 'name': 'handler_2921', 'event': event}

def handler_2922(event):
    return {'id': 2922, 'name': 'handler_2922', 'event': event}

def handler_2923(event):
    return {'id': 2923, 'name': 'handler_2923', 'event': event}

def handler_2924(event):
    return {'id': 2924, 'name': 'handler_2924', 'event': event}

def handler_2925(event):
    return {'id': 2925, 'name': 'handler_2925', 'event': event}

def handler_2926(event):
    return {'id': 2926, 'name': 'handler_2926', 'event': event}

def handler_2927(event):
    return {'id': 2927, 'name': 'handler_2927', 'event': event}

def handler_2928(event):
    return {'id': 2928, 'name': 'handler_2928', 'event': event}

def handler_2929(event):
    return {'id': 2929, 'name': 'handler_2929', 'event': event}

def handler_2930(event):
    return {'id': 2930, 'name': 'handler_2930', 'event': event}

def handler_2931(event):
    return {'id': 2931, 'name': 'handler_2931', 'event': event}

def handler_2932(event):
    return {'id': 2932, 'name': 'handler_2932', 'event': event}

def handler_2933(event):
    return {'id': 2933, 'name': 'handler_2933', 'event': event}

def handler_2934(event):
    return {'id': 2934, 'name': 'handler_2934', 'event': event}

def handler_2935(event):
    return {'id': 2935, 'name': 'handler_2935', 'event': event}

def handler_2936(event):
    return {'id': 2936, 'name': 'handler_2936', 'event': event}

def handler_2937(event):
    return {'id': 2937, 'name': 'handler_2937', 'event': event}

def handler_2938(event):
    return {'id': 2938, 'name': 'handler_2938', 'event': event}

def handler_2939(event):
    return {'id': 2939, 'name': 'handler_2939', 'event': event}

def handler_2940(event):
    return {'id': 2940, 'name': 'handler_2940', 'event': event}

def handler_2941(event):
    return {'id': 2941, 'name': 'handler_2941', 'event': event}

def handler_2942(event):
    return {'id': 2942, 'name': 'handler_2942', 'event': event}

def handler_2943(event):
    return {'id': 2943, 'name': 'handler_2943', 'event': event}

def handler_2944(event):
    return {'id': 2944, 'name': 'handler_2944', 'event': event}

def handler_2945(event):
    return {'id': 2945, 'name': 'handler_2945', 'event': event}

def handler_2946(event):
    return {'id': 2946, 'name': 'handler_2946', 'event': event}

def handler_2947(event):
    return {'id': 2947, 'name': 'handler_2947', 'event': event}

def handler_2948(event):
    return {'id': 2948, 'name': 'handler_2948', 'event': event}

def handler_2949(event):
    return {'id': 2949, 'name': 'handler_2949', 'event': event}

def handler_2950(event):
    return {'id': 2950, 'name': 'handler_2950', 'event': event}

def handler_2951(event):
    return {'id': 2951, 'name': 'handler_2951', 'event': event}

def handler_2952(event):
    return {'id': 2952, 'name': 'handler_2952', 'event': event}

def handler_2953(event):
    return {'id': 2953, 'name': 'handler_2953', 'event': event}

def handler_2954(event):
    return {'id': 2954, 'name': 'handler_2954', 'event': event}

def handler_2955(event):
    return {'id': 2955, 'name': 'handler_2955', 'event': event}

def handler_2956(event):
    return {'id': 2956, 'name': 'handler_2956', 'event': event}

def handler_2957(event):
    return {'id': 2957, 'name': 'handler_2957', 'event': event}

def handler_2958(event):
    return {'id': 2958, 'name': 'handler_2958', 'event': event}

def handler_2959(event):
    return {'id': 2959, 'name': 'handler_2959', 'event': event}

def handler_2960(event):
    return {'id': 2960, 'name': 'handler_2960', 'event': event}

def handler_2961(event):
    return {'id': 2961, 'name': 'handler_2961', 'event': event}

def handler_2962(event):
    return {'id': 2962, 'name': 'handler_2962', 'event': event}

def handler_2963(event):
    return {'id': 2963, 'name': 'handler_2963', 'event': event}

def handler_2964(event):
    return {'id': 2964, 'name': 'handler_2964', 'event': event}

def handler_2965(event):
    return {'id': 2965, 'name': 'handler_2965', 'event': event}

def handler_2966(event):
    return {'id': 2966, 'name': 'handler_2966', 'event': event}

def handler_2967(event):
    return {'id': 2967, 'name': 'handler_2967', 'event': event}

def handler_2968(event):
    return {'id': 2968, 'name': 'handler_2968', 'event': event}

def handler_2969(event):
    return {'id': 2969, 'name': 'handler_2969', 'event': event}

def handler_2970(event):
    return {'id': 2970, 'name': 'handler_2970', 'event': event}

def handler_2971(event):
    return {'id': 2971, 'name': 'handler_2971', 'event': event}

def handler_2972(event):
    return {'id': 2972, 'name': 'handler_2972', 'event': event}

def handler_2973(event):
    return {'id': 2973, 'name': 'handler_2973', 'event': event}

def handler_2974(event):
    return {'id': 2974, 'name': 'handler_2974', 'event': event}

def handler_2975(event):
    return {'id': 2975, 'name': 'handler_2975', 'event': event}

def handler_2976(event):
    return {'id': 2976, 'name': 'handler_2976', 'event': event}

def handler_2977(event):
    return {'id': 2977, 'name': 'handler_2977', 'event': event}

def handler_2978(event):
    return {'id': 2978, 'name': 'handler_2978', 'event': event}

def handler_2979(event):
    return {'id': 2979, 'name': 'handler_2979', 'event': event}

def handler_2980(event):
    return {'id': 2980, 'name': 'handler_2980', 'event': event}

def handler_2981(event):
    return {'id': 2981, 'name': 'handler_2981', 'event': event}

def handler_2982(event):
    return {'id': 2982, 'name': 'handler_2982', 'event': event}

def handler_2983(event):
    return {'id': 2983, 'name': 'handler_2983', 'event': event}

def handler_2984(event):
    return {'id': 2984, 'name': 'handler_2984', 'event': event}

def handler_2985(event):
    return {'id': 2985, 'name': 'handler_2985', 'event': event}

def handler_2986(event):
    return {'id': 2986, 'name': 'handler_2986', 'event': event}

def handler_2987(event):
    return {'id': 2987, 'name': 'handler_2987', 'event': event}

def handler_2988(event):
    return {'id': 2988, 'name': 'handler_2988', 'event': event}

def handler_2989(event):
    return {'id': 2989, 'name': 'handler_2989', 'event': event}

def handler_2990(event):
    return {'id': 2990, 'name': 'handler_2990', 'event': event}

def handler_2991(event):
    return {'id': 2991, 'name': 'handler_2991', 'event': event}

def handler_2992(event):
    return {'id': 2992, 'name': 'handler_2992', 'event': event}

def handler_2993(event):
    return {'id': 2993, 'name': 'handler_2993', 'event': event}

def handler_2994(event):
    return {'id': 2994, 'name': 'handler_2994', 'event': event}

def handler_2995(event):
    return {'id': 2995, 'name': 'handler_2995', 'event': event}

def handler_2996(event):
    return {'id': 2996, 'name': 'handler_2996', 'event': event}

def handler_2997(event):
    return {'id': 2997, 'name': 'handler_2997', 'event': event}

def handler_2998(event):
    return {'id': 2998, 'name': 'handler_2998', 'event': event}

def handler_2999(event):
    return {'id': 2999, 'name': 'handler_2999', 'event': event}

def handler_3000(event):
    return {'id': 3000, 'name': 'handler_3000', 'event': event}

def handler_3001(event):
    return {'id': 3001, 'name': 'handler_3001', 'event': event}

def handler_3002(event):
    return {'id': 3002, 'name': 'handler_3002', 'event': event}

def handler_3003(event):
    return {'id': 3003, 'name': 'handler_3003', 'event': event}

def handler_3004(event):
    return {'id': 3004, 'name': 'handler_3004', 'event': event}

def handler_3005(event):
    return {'id': 3005, 'name': 'handler_3005', 'event': event}

def handler_3006(event):
    return {'id': 3006, 'name': 'handler_3006', 'event': event}

def handler_3007(event):
    return {'id': 3007, 'name': 'handler_3007', 'event': event}

def handler_3008(event):
    return {'id': 3008, 'name': 'handler_3008', 'event': event}

def handler_3009(event):
    return {'id': 3009, 'name': 'handler_3009', 'event': event}

def handler_3010(event):
    return {'id': 3010, 'name': 'handler_3010', 'event': event}

def handler_3011(event):
    return {'id': 3011, 'name': 'handler_3011', 'event': event}

def handler_3012(event):
    return {'id': 3012, 'name': 'handler_3012', 'event': event}

def handler_3013(event):
    return {'id': 3013, 'name': 'handler_3013', 'event': event}

def handler_3014(event):
    return {'id': 3014, 'name': 'handler_3014', 'event': event}

def handler_3015(event):
    return {'id': 3015, 'name': 'handler_3015', 'event': event}

def handler_3016(event):
    return {'id': 3016, 'name': 'handler_3016', 'event': event}

def handler_3017(event):
    return {'id': 3017, 'name': 'handler_3017', 'event': event}

def handler_3018(event):
    return {'id': 3018, 'name': 'handler_3018', 'event': event}

def handler_3019(event):
    return {'id': 3019, 'name': 'handler_3019', 'event': event}

def handler_3020(event):
    return {'id': 3020, 'name': 'handler_3020', 'event': event}

def handler_3021(event):
    return {'id': 3021, 'name': 'handler_3021', 'event': event}

def handler_3022(event):
    return {'id': 3022, 'name': 'handler_3022', 'event': event}

def handler_3023(event):
    return {'id': 3023, 'name': 'handler_3023', 'event': event}

def handler_3024(event):
    return {'id': 3024, 'name': 'handler_3024', 'event': event}

def handler_3025(event):
    return {'id': 3025, 'name': 'handler_3025', 'event': event}

def handler_3026(event):
    return {'id': 3026, 'name': 'handler_3026', 'event': event}

def handler_3027(event):
    return {'id': 3027, 'name': 'handler_3027', 'event': event}

def handler_3028(event):
    return {'id': 3028, 'name': 'handler_3028', 'event': event}

def handler_3029(event):
    return {'id': 3029, 'name': 'handler_3029', 'event': event}

def handler_3030(event):
    return {'id': 3030, 'name': 'handler_3030', 'event': event}

def handler_3031(event):
    return {'id': 3031, 'name': 'handler_3031', 'event': event}

def handler_3032(event):
    return {'id': 3032, 'name': 'handler_3032', 'event': event}

def handler_3033(event):
    return {'id': 3033, 'name': 'handler_3033', 'event': event}

def handler_3034(event):
    return {'id': 3034, 'name': 'handler_3034', 'event': event}

def handler_3035(event):
    return {'id': 3035, 'name': 'handler_3035', 'event': event}

def handler_3036(event):
    return {'id': 3036, 'name': 'handler_3036', 'event': event}
