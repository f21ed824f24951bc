"""Preset 专题库 for the industries named in the 2015 work plan (IPC sets plus title keywords; editable after creation)."""
from __future__ import annotations

# key, name, description, query (search language), IPC prefixes, WIPO fields
PRESETS = [
    ("marine", "山东半岛蓝色经济区海洋经济", "船舶与海洋工程装备、海水淡化与综合利用、海洋渔业与水产养殖、海洋生物、港口与海洋能源",
     "TI=(海洋 OR 海水 OR 船舶 OR 海上 OR 海底 OR 海藻 OR 海参 OR 海产品 OR 港口 OR 潮汐 OR 水产养殖 OR 渔船)",
     ["B63B", "B63C", "B63G", "B63H", "B63J", "E02B", "A01K61/", "A01K69/", "A01K73/", "A01K75/", "A01K80/", "F03B13/"], []),
    ("ngit", "新一代信息技术", "新一代通信网络、集成电路、人工智能、物联网、云计算与大数据",
     "TI=(人工智能 OR 物联网 OR 云计算 OR 大数据 OR 区块链 OR 集成电路 OR 芯片 OR 5G OR 神经网络 OR 智能终端)",
     ["G06F", "G06N", "G06Q", "G06T", "G06V", "H04L", "H04W", "H04N", "H01L", "G11C"], []),
    ("equipment", "高端装备制造", "智能制造装备、工业机器人、数控机床、轨道交通装备、航空航天装备",
     "TI=(机器人 OR 数控 OR 智能制造 OR 航空 OR 航天 OR 轨道交通 OR 动车组 OR 卫星 OR 盾构)",
     ["B25J", "B23Q", "G05B", "B64C", "B64D", "B64F", "B64G", "B61D", "B61F", "B61L", "E21D9/"], []),
    ("materials", "新材料", "先进高分子材料、特种金属功能材料、高性能复合材料、前沿新材料（石墨烯、纳米材料）",
     "TI=(石墨烯 OR 纳米 OR 复合材料 OR 碳纤维 OR 高分子材料 OR 稀土 OR 陶瓷材料 OR 功能材料)",
     ["C08L", "C08K", "C08J", "C04B35/", "C22C", "B82Y", "B82B", "C01B32/", "D01F"], []),
    ("biomed", "生物医药", "生物药、化学药、现代中药、医疗器械",
     "TI=(药物 OR 疫苗 OR 抗体 OR 基因 OR 中药 OR 制剂 OR 医疗器械 OR 蛋白 OR 细胞)",
     ["A61K", "A61P", "C07K", "C12N", "C12P", "C12Q", "A61B", "A61F", "A61M"], []),
    ("energy", "新能源", "太阳能、风能、储能电池、氢能与燃料电池、生物质能",
     "TI=(光伏 OR 太阳能 OR 风电 OR 风力发电 OR 锂电池 OR 锂离子 OR 储能 OR 氢能 OR 燃料电池 OR 生物质)",
     ["H01M", "F03D", "H02S", "H01L31/", "F24S", "H02J7/", "C10L5/"], []),
    ("green", "节能环保", "高效节能、先进环保（大气、水、固废治理）、资源循环利用",
     "TI=(节能 OR 环保 OR 污水 OR 废水 OR 废气 OR 脱硫 OR 脱硝 OR 除尘 OR 固废 OR 垃圾 OR 余热 OR 回收利用)",
     ["B01D53/", "C02F", "B09B", "B09C", "F23G", "F01N3/", "F27D17/"], []),
    ("chemical", "化工（传统产业）", "石油化工、基础化工、精细化工、涂料与胶黏剂",
     "TI=(化工 OR 催化剂 OR 合成方法 OR 制备方法 OR 涂料 OR 胶黏剂 OR 精细化学品 OR 炼油)",
     ["C07B", "C07C", "C07D", "C08F", "C08G", "C09B", "C09D", "C09J", "C09K", "C10G", "C01B", "C01D", "C01F"], []),
    ("textile", "纺织（传统产业）", "纺纱、织造、非织造、印染整理、服装家纺",
     "TI=(纺织 OR 纱线 OR 织物 OR 面料 OR 服装 OR 印染 OR 纺纱 OR 织机 OR 无纺布)",
     ["D01B", "D01D", "D01G", "D01H", "D02G", "D02J", "D03C", "D03D", "D04B", "D04H", "D06B", "D06C", "D06M", "D06P", "A41D"], []),
    ("metallurgy", "冶金（传统产业）", "钢铁冶炼、有色金属冶炼、轧制与热处理、铸造与粉末冶金",
     "TI=(冶炼 OR 炼钢 OR 炼铁 OR 钢铁 OR 轧制 OR 轧机 OR 有色金属 OR 铸造 OR 烧结 OR 连铸)",
     ["C21B", "C21C", "C21D", "C22B", "C22F", "B21B", "B22D", "B22F", "C25C"], []),
    ("machinery", "机械（传统产业）", "通用机械零部件、金属加工机械、液压气动、泵与压缩机",
     "TI=(齿轮 OR 轴承 OR 减速器 OR 传动装置 OR 液压 OR 机床 OR 夹具 OR 阀门 OR 泵)",
     ["F16B", "F16C", "F16D", "F16H", "F16K", "B21D", "B23B", "B23C", "B23K", "B23P", "B24B", "F15B", "F04B", "F04D"], []),
    ("food", "食品（传统产业）", "农副食品加工、食品制造、饮料与酿造、食品保鲜与检测",
     "TI=(食品 OR 饮料 OR 保鲜 OR 酿造 OR 调味 OR 果汁 OR 面粉 OR 肉制品 OR 乳制品 OR 茶)",
     ["A23B", "A23C", "A23F", "A23G", "A23J", "A23K", "A23L", "A23N", "A23P", "A21D", "C12C", "C12G", "C12H", "C13K"], []),
]

PRESET_KEYS = [p[0] for p in PRESETS]
