"""The 专利价值度 model: PVD = α·LVD + β·TVD + γ·EVD, indicator definitions with scoring guidance,
default weights per scenario, and the arithmetic (pure functions, no database)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ipplatform.core.inputs import InputError

SCORE_LEVELS = (10, 8, 6, 4, 2, 0)

# The current national standard, shown beside the model (facts as published with the standard; not a mapping of indicators).
NATIONAL_STANDARD = {
    "code": "GB/T 42748-2023",
    "title": "专利评估指引",
    "effective": "2023-09-01",
    "issuers": "国家知识产权局会同中国人民银行、国家金融监督管理总局组织编制，国家市场监督管理总局（国家标准化管理委员会）批准发布",
    "structure": "法律价值、技术价值、经济价值3项一级指标，14项二级指标，27项三级指标及若干扩展指标",
    "scenarios": "许可转让、金融、财务报告、侵权救济、管理等场景，按场景选取指标、调整权重",
    "relation": "本平台的专利价值度模型（PVD = α·LVD + β·TVD + γ·EVD）的法律、技术、经济三个维度与该标准的一级指标对应；"
    "二级、三级指标未逐项对照，出具正式评估报告时应按该标准选取指标和方法",
}


@dataclass(frozen=True)
class Indicator:
    code: str
    group: str  # legal / technical / economic
    label: str
    question: str
    guidance: dict  # score level -> what the appraiser should see to give it


INDICATORS: tuple[Indicator, ...] = (
    # ---- legal value (LVD)
    Indicator(
        "stability",
        "legal",
        "稳定性",
        "专利权被宣告无效的可能性有多大？",
        {
            10: "经过无效宣告程序维持有效，或检索未发现影响新颖性、创造性的对比文件",
            8: "检索仅发现相关度较低的对比文件，权利要求层次清楚",
            6: "存在一定相关的对比文件，但独立权利要求仍有区别特征",
            4: "存在较接近的对比文件，部分权利要求可能被无效",
            2: "存在可能破坏新颖性或创造性的对比文件",
            0: "已被请求无效且理由充分，或已部分无效",
        },
    ),
    Indicator(
        "non_circumvention",
        "legal",
        "不可规避性",
        "他人能否用替代方案绕开该专利的保护范围？",
        {
            10: "无法规避，或规避成本极高",
            8: "规避需要较大技术改动且效果明显下降",
            6: "可以规避，但需付出相当成本",
            4: "较容易规避",
            2: "很容易规避",
            0: "保护范围极窄，几乎没有排他作用",
        },
    ),
    Indicator(
        "dependency",
        "legal",
        "依赖性",
        "实施该专利是否依赖他人的在先专利？",
        {
            10: "不依赖任何他人专利即可实施",
            8: "依赖本单位自有的其他专利",
            6: "依赖他人专利，但已取得许可",
            4: "依赖他人专利，许可可以取得",
            2: "依赖他人专利，许可难以取得",
            0: "实施必然侵犯他人有效专利",
        },
    ),
    Indicator(
        "detectability",
        "legal",
        "侵权可判定性",
        "发现和证明他人侵权的难易程度？",
        {
            10: "从公开销售的产品即可直接判定侵权",
            8: "对产品简单拆解即可判定",
            6: "需要专业检测才能判定",
            4: "需要对方配合或证据保全才能判定",
            2: "方法类专利，取证很困难",
            0: "几乎无法发现和证明侵权",
        },
    ),
    Indicator(
        "remaining_term",
        "legal",
        "有效期（剩余保护期）",
        "剩余保护期有多长？（系统按基准日计算，见右侧数据）",
        {
            10: "剩余保护期15年以上（发明）或8年以上（实用新型、外观设计）",
            8: "发明10-15年；实用新型6-8年",
            6: "发明6-10年；实用新型4-6年",
            4: "发明3-6年；实用新型2-4年",
            2: "不足3年（发明）或不足2年（实用新型）",
            0: "已届满或失效",
        },
    ),
    Indicator(
        "multi_country",
        "legal",
        "多国申请",
        "是否在其他国家或地区提出了同族申请？（同族数见右侧数据）",
        {
            10: "在美、欧、日等5个以上国家或地区获得授权",
            8: "在2-4个国家或地区获得授权",
            6: "提出了PCT或其他国家申请且在审",
            4: "仅有1件境外申请",
            2: "计划境外申请",
            0: "仅在国内申请",
        },
    ),
    Indicator(
        "licensing",
        "legal",
        "专利许可状态",
        "专利的许可情况？（许可、转让事件见右侧数据）",
        {
            10: "未许可他人，权利完整（质押、转让场景）或已有多家被许可人（许可场景）",
            8: "仅有普通许可",
            6: "有排他许可",
            4: "有独占许可，但可协商解除",
            2: "有长期独占许可",
            0: "权属存在争议",
        },
    ),
    # ---- technical value (TVD)
    Indicator(
        "advancement",
        "technical",
        "先进性",
        "与同领域现有技术相比的先进程度？",
        {10: "国际领先", 8: "国内领先", 6: "国内先进", 4: "与主流技术相当", 2: "落后于主流技术", 0: "已被淘汰"},
    ),
    Indicator(
        "trend",
        "technical",
        "行业发展趋势",
        "所属技术的发展阶段？",
        {10: "朝阳技术，处于快速成长期", 8: "成长期", 6: "成熟期前段", 4: "成熟期后段", 2: "衰退期", 0: "已被替代"},
    ),
    Indicator(
        "applicability",
        "technical",
        "适用范围",
        "技术可应用的产品和行业有多广？",
        {
            10: "可广泛应用于多个行业",
            8: "可用于本行业多类产品",
            6: "可用于本行业若干产品",
            4: "仅用于少数产品",
            2: "仅用于单一产品",
            0: "尚无明确应用",
        },
    ),
    Indicator(
        "complementary",
        "technical",
        "配套技术依存度",
        "实施时对其他配套技术的依赖程度？",
        {
            10: "可独立实施",
            8: "少量通用配套技术即可实施",
            6: "需要若干配套技术，均易获得",
            4: "需要较多配套技术",
            2: "依赖难以获得的配套技术",
            0: "无法单独实施",
        },
    ),
    Indicator(
        "substitutability",
        "technical",
        "可替代性",
        "市场上是否存在可替代的技术方案？",
        {
            10: "无可替代技术",
            8: "有替代技术但明显处于劣势",
            6: "有替代技术，各有优劣",
            4: "替代技术与之相当",
            2: "替代技术更优",
            0: "已被更优技术替代",
        },
    ),
    Indicator(
        "maturity",
        "technical",
        "成熟度",
        "技术的成熟程度（技术就绪水平）？",
        {
            10: "已规模化生产并稳定运行",
            8: "已小批量生产",
            6: "已完成中试",
            4: "已完成样机或小试",
            2: "实验室阶段",
            0: "仅为构想",
        },
    ),
    # ---- economic value (EVD)
    Indicator(
        "market_application",
        "economic",
        "市场应用情况",
        "专利技术是否已在市场上应用？",
        {
            10: "已广泛应用并产生显著收益",
            8: "已应用并产生收益",
            6: "已应用，收益尚不明显",
            4: "即将投入应用",
            2: "有应用意向",
            0: "尚未应用且无应用计划",
        },
    ),
    Indicator(
        "market_size",
        "economic",
        "市场规模前景",
        "相关产品的市场规模？",
        {10: "百亿元以上", 8: "十亿至百亿元", 6: "一亿至十亿元", 4: "千万至一亿元", 2: "千万元以下", 0: "无市场"},
    ),
    Indicator(
        "market_share",
        "economic",
        "市场占有率",
        "专利产品的市场占有率？",
        {10: "30%以上", 8: "15%-30%", 6: "5%-15%", 4: "1%-5%", 2: "1%以下", 0: "尚无销售"},
    ),
    Indicator(
        "competition",
        "economic",
        "竞争情况",
        "市场竞争格局对权利人是否有利？",
        {
            10: "几乎没有竞争对手",
            8: "竞争对手少，权利人处于优势",
            6: "竞争适度",
            4: "竞争激烈，权利人不占优势",
            2: "竞争非常激烈",
            0: "权利人已退出市场竞争",
        },
    ),
    Indicator(
        "policy_fit",
        "economic",
        "政策适应性",
        "与国家和我省产业政策的契合程度？",
        {
            10: "属于国家和省重点支持的战略性新兴产业",
            8: "属于鼓励类产业",
            6: "与产业政策无冲突",
            4: "政策导向不明确",
            2: "属于限制类产业",
            0: "属于淘汰类产业",
        },
    ),
)

BY_CODE = {i.code: i for i in INDICATORS}
GROUPS = ("legal", "technical", "economic")


def group_codes(group: str) -> list[str]:
    return [i.code for i in INDICATORS if i.group == group]


def _equal(group: str) -> dict[str, float]:
    codes = group_codes(group)
    return {c: round(1 / len(codes), 4) for c in codes}


DEFAULT_SUBWEIGHTS = {
    "stability": 0.20,
    "non_circumvention": 0.15,
    "dependency": 0.10,
    "detectability": 0.15,
    "remaining_term": 0.15,
    "multi_country": 0.10,
    "licensing": 0.15,
    "advancement": 0.20,
    "trend": 0.15,
    "applicability": 0.15,
    "complementary": 0.15,
    "substitutability": 0.15,
    "maturity": 0.20,
    "market_application": 0.25,
    "market_size": 0.20,
    "market_share": 0.20,
    "competition": 0.15,
    "policy_fit": 0.20,
}

# (α, β, γ) by scenario: pledge financing stresses legal certainty, licensing the market.
DEFAULT_GROUP_WEIGHTS = {"pledge": (0.40, 0.30, 0.30), "licensing": (0.30, 0.30, 0.40), "transfer": (0.30, 0.35, 0.35)}

TWO = Decimal("0.01")


def validate_weights(*, alpha, beta, gamma, weights: dict) -> None:
    """Raise InputError unless α+β+γ = 1, each group's sub-weights sum to 1 and every weight lies in [0, 1]."""
    for name, value in (("alpha", alpha), ("beta", beta), ("gamma", gamma)):
        if not 0 <= Decimal(str(value)) <= 1:
            raise InputError(f"权重{name}应在0到1之间，当前为{value}", field=name)
    total = Decimal(str(alpha)) + Decimal(str(beta)) + Decimal(str(gamma))
    if abs(total - 1) > Decimal("0.001"):
        raise InputError(f"α+β+γ 应等于1，当前合计为{total}", field="alpha")
    for group in GROUPS:
        subtotal = Decimal("0")
        for code in group_codes(group):
            if code not in weights:
                raise InputError(f"缺少指标“{BY_CODE[code].label}”的权重", field=f"w_{code}")
            w = Decimal(str(weights[code]))
            if not 0 <= w <= 1:
                raise InputError(f"指标“{BY_CODE[code].label}”的权重应在0到1之间，当前为{w}", field=f"w_{code}")
            subtotal += w
        if abs(subtotal - 1) > Decimal("0.001"):
            label = {"legal": "法律", "technical": "技术", "economic": "经济"}[group]
            raise InputError(f"{label}价值度各子指标权重合计应为1，当前为{subtotal}", field=f"group_{group}")


def validate_scores(scores: dict) -> dict[str, int]:
    """Scores must be given for every indicator, each one of the guided levels 0-10."""
    clean = {}
    for ind in INDICATORS:
        raw = scores.get(ind.code)
        if raw in (None, ""):
            raise InputError(f"请为指标“{ind.label}”评分", field=f"s_{ind.code}")
        try:
            value = int(raw)
        except (TypeError, ValueError):
            raise InputError(f"指标“{ind.label}”的评分“{raw}”不是整数", field=f"s_{ind.code}")
        if not 0 <= value <= 10:
            raise InputError(f"指标“{ind.label}”的评分应在0到10之间，当前为{value}", field=f"s_{ind.code}")
        clean[ind.code] = value
    return clean


def group_value(scores: dict, weights: dict, group: str) -> Decimal:
    """Weighted sum of a group's scores (0-10 scale)."""
    total = sum((Decimal(str(weights[c])) * Decimal(scores[c]) for c in group_codes(group)), Decimal("0"))
    return total.quantize(TWO, ROUND_HALF_UP)


def compute(*, scores: dict, alpha, beta, gamma, weights: dict) -> dict[str, Decimal]:
    """LVD, TVD, EVD and PVD = α·LVD + β·TVD + γ·EVD, all on a 0-10 scale rounded to 0.01."""
    lvd, tvd, evd = (group_value(scores, weights, g) for g in GROUPS)
    pvd = (Decimal(str(alpha)) * lvd + Decimal(str(beta)) * tvd + Decimal(str(gamma)) * evd).quantize(
        TWO, ROUND_HALF_UP
    )
    return {"lvd": lvd, "tvd": tvd, "evd": evd, "pvd": pvd}


def grade(pvd) -> str:
    """A verbal grade for a PVD on the 0-10 scale."""
    if pvd is None:
        return "—"
    value = float(pvd)
    if value >= 8:
        return "高价值"
    if value >= 6:
        return "较高价值"
    if value >= 4:
        return "一般价值"
    return "较低价值"
