"""One translation table for every label a chart shows (zh first edition, en later).

``t(key)`` returns the label in the requested language; a missing key or
language raises ``KeyError`` so an untranslated label can never reach a page.
"""

from __future__ import annotations

LANGUAGES = ("zh", "en")

LABELS: dict[str, dict[str, str]] = {
    # generic
    "all": {"zh": "全部", "en": "All"},
    "year": {"zh": "年份", "en": "Year"},
    "count": {"zh": "数量", "en": "Count"},
    "total": {"zh": "合计", "en": "Total"},
    "first_year": {"zh": "最早年份", "en": "First year"},
    "last_year": {"zh": "最晚年份", "en": "Last year"},
    "dimension": {"zh": "问题维度", "en": "Dimension"},
    "source": {"zh": "来源", "en": "Source"},
    "note": {"zh": "说明", "en": "Note"},
    "studies": {"zh": "研究", "en": "Studies"},
    "region": {"zh": "地区", "en": "Region"},
    "scenario": {"zh": "方案", "en": "Scenario"},
    # timeline
    "stage": {"zh": "阶段", "en": "Stage"},
    "stage.emergence": {"zh": "萌芽阶段（1949—1978）", "en": "Emergence (1949–1978)"},
    "stage.exploration": {"zh": "探索阶段（1979—2009）", "en": "Exploration (1979–2009)"},
    "stage.improvement": {"zh": "完善阶段（2010—2021）", "en": "Improvement (2010–2021)"},
    "stage.upgrading": {"zh": "升级阶段（2022— ）", "en": "Upgrading (2022– )"},
    "event": {"zh": "事件或文件", "en": "Event or document"},
    "issuer": {"zh": "发文或主办机构", "en": "Issuer"},
    "document_number": {"zh": "文号", "en": "Document number"},
    "content": {"zh": "主要内容", "en": "Main content"},
    "in_table1": {"zh": "综述表1所列", "en": "In the review's Table 1"},
    "yes": {"zh": "是", "en": "yes"},
    "no": {"zh": "否（正文提及）", "en": "no (named in the text)"},
    "kind": {"zh": "类型", "en": "Kind"},
    "kind.document": {"zh": "政策文件", "en": "Policy document"},
    "kind.meeting": {"zh": "会议", "en": "Meeting"},
    "kind.report": {"zh": "工作报告", "en": "Work report"},
    "kind.press": {"zh": "报刊文章", "en": "Press article"},
    "kind.programme": {"zh": "专项计划", "en": "Programme"},
    "kind.mechanism": {"zh": "工作机制", "en": "Working mechanism"},
    "timeline.list": {"zh": "所选范围内的事件", "en": "Events in the selection"},
    "timeline.title": {"zh": "对口支援的演变：事件与政策文件", "en": "The evolution of pairing assistance: events and documents"},
    "timeline.brush": {"zh": "在下方时间条上拖动以放大年份范围", "en": "Drag on the strip below to zoom into years"},
    "timeline.pick_stage": {"zh": "选择阶段：", "en": "Stage: "},
    # equalisation model
    "eq.title": {"zh": "横向与纵向转移：人均可支配财力", "en": "Horizontal vs vertical transfers: fiscal resources per head"},
    "eq.rate": {"zh": "转移力度（盈余的比例）", "en": "Transfer rate (share of surplus)"},
    "eq.cost_vertical": {"zh": "纵向转移的效率损失（每元）", "en": "Efficiency cost of vertical transfers (per yuan)"},
    "eq.cost_horizontal": {"zh": "横向转移的协调损失（每元）", "en": "Coordination cost of horizontal transfers (per yuan)"},
    "eq.resources": {"zh": "人均财力（元）", "en": "Resources per head (yuan)"},
    "eq.gini": {"zh": "基尼系数", "en": "Gini"},
    "eq.cv": {"zh": "变异系数", "en": "Coefficient of variation"},
    "eq.loss": {"zh": "损耗占总财力（%）", "en": "Loss, % of total resources"},
    "eq.need": {"zh": "支出需要", "en": "Spending need"},
    "eq.measure": {"zh": "指标", "en": "Measure"},
    "eq.value": {"zh": "数值", "en": "Value"},
    "scenario.before": {"zh": "转移前", "en": "Before transfers"},
    "scenario.vertical": {"zh": "纵向转移", "en": "Vertical transfer"},
    "scenario.horizontal": {"zh": "横向转移（对口）", "en": "Horizontal (pairing) transfer"},
    # growth model
    "gr.title": {"zh": "经济支援与智力支援：“双轮驱动”", "en": "Economic and intellectual support: a two-wheel drive"},
    "gr.capital": {"zh": "经济支援：资本转移（占受援方产出）", "en": "Economic support: capital transfer (share of recipient output)"},
    "gr.productivity": {"zh": "智力支援：生产率提升", "en": "Intellectual support: productivity gain"},
    "gr.end": {"zh": "支援持续年数", "en": "Years of support"},
    "gr.output": {"zh": "人均产出（支援前受援方=1）", "en": "Output per worker (recipient before support = 1)"},
    "gr.ratio": {"zh": "受援方/支援方人均产出", "en": "Recipient / donor output per worker"},
    "gr.years": {"zh": "支援开始后的年数", "en": "Years since support began"},
    "gr.economy": {"zh": "地区", "en": "Economy"},
    "economy.donor": {"zh": "支援方", "en": "Donor"},
    "economy.recipient": {"zh": "受援方", "en": "Recipient"},
    "economy.recipient_baseline": {"zh": "受援方（无支援）", "en": "Recipient (no support)"},
    # evidence map
    "ev.title": {"zh": "证据图：综述所述研究发现", "en": "Evidence map: findings named in the review"},
    "ev.domain": {"zh": "领域", "en": "Domain"},
    "ev.direction": {"zh": "结论方向", "en": "Direction of finding"},
    "ev.programme": {"zh": "项目或地区：", "en": "Programme or region: "},
    "ev.findings": {"zh": "研究发现数", "en": "Findings"},
    "ev.click": {"zh": "点击格子查看对应研究", "en": "Click a cell to list its studies"},
    "ev.study": {"zh": "研究", "en": "Study"},
    "ev.summary": {"zh": "发现", "en": "Finding"},
    "ev.horizon": {"zh": "时间维度", "en": "Horizon"},
    "ev.method": {"zh": "方法", "en": "Method"},
    "domain.growth": {"zh": "经济增长", "en": "Growth"},
    "domain.industry": {"zh": "产业与企业", "en": "Industry and firms"},
    "domain.regional_gap": {"zh": "区域差距", "en": "Regional gaps"},
    "domain.urban_rural_gap": {"zh": "城乡差距", "en": "Urban–rural gap"},
    "domain.poverty": {"zh": "贫困治理", "en": "Poverty governance"},
    "domain.governance": {"zh": "政府治理", "en": "Government governance"},
    "domain.public_services": {"zh": "公共服务", "en": "Public services"},
    "direction.positive": {"zh": "正向", "en": "Positive"},
    "direction.negative": {"zh": "负向", "en": "Negative"},
    "direction.mixed": {"zh": "混合或因对象而异", "en": "Mixed or varies by case"},
    "direction.none": {"zh": "未发现效应", "en": "No effect found"},
    "programme.tibet": {"zh": "对口援藏", "en": "Tibet"},
    "programme.xinjiang": {"zh": "对口援疆", "en": "Xinjiang"},
    "programme.wenchuan": {"zh": "汶川地震援建", "en": "Wenchuan reconstruction"},
    "programme.east_west": {"zh": "东西部扶贫协作", "en": "East–West cooperation"},
    "programme.guangdong_intra": {"zh": "广东省内帮扶", "en": "Guangdong intra-province"},
    "programme.covid_hubei": {"zh": "对口支援湖北抗疫", "en": "COVID-19 Hubei"},
    "programme.moe_universities": {"zh": "高校对口支援", "en": "University pairing"},
    "programme.general": {"zh": "总体或多项目", "en": "General"},
    "horizon.short_run": {"zh": "短期", "en": "Short run"},
    "horizon.long_run": {"zh": "长期", "en": "Long run"},
    "horizon.lagged": {"zh": "滞后", "en": "Lagged"},
    "horizon.unspecified": {"zh": "未说明", "en": "Not stated"},
    "method.quantitative": {"zh": "计量分析", "en": "Quantitative"},
    "method.survey": {"zh": "问卷调查", "en": "Survey"},
    "method.case_or_theory": {"zh": "案例或理论分析", "en": "Case or theory"},
    "method.not_stated": {"zh": "综述未说明", "en": "Not stated"},
    # problems
    "pr.title": {"zh": "问题与优化方向", "en": "Problems and directions for upgrading"},
    "pr.dimension": {"zh": "问题维度", "en": "Dimension"},
    "pr.pick_dimension": {"zh": "问题维度：", "en": "Dimension: "},
    "pr.problem": {"zh": "问题", "en": "Problem"},
    "pr.remedy": {"zh": "对应的优化方向", "en": "Direction for upgrading"},
    "pr.phase": {"zh": "环节", "en": "Phase"},
    "pr.description": {"zh": "说明", "en": "Description"},
    "dimension.government_role": {"zh": "政府作用", "en": "Role of government"},
    "dimension.incentives": {"zh": "参与积极性", "en": "Incentives to take part"},
    "dimension.efficiency": {"zh": "实施效率", "en": "Efficiency"},
    "phase.throughout": {"zh": "全过程", "en": "Throughout"},
    "phase.before": {"zh": "实施前", "en": "Before"},
    "phase.during": {"zh": "实施中", "en": "During"},
    "phase.after": {"zh": "实施后", "en": "After"},
    "remedy.government_coordinator": {"zh": "政府转向协调者", "en": "Government as coordinator"},
    "remedy.market_decisive": {"zh": "市场起决定性作用", "en": "Market as decisive"},
    "remedy.broader_participation": {"zh": "拓展领域与参与主体", "en": "Broader fields and participants"},
    "no_reference": {"zh": "（综述未标注文献）", "en": "(no reference given)"},
}


def t(key: str, lang: str = "zh") -> str:
    """Label for ``key`` in ``lang``; raises KeyError if either is unknown."""
    if lang not in LANGUAGES:
        raise KeyError(f"unknown language {lang!r}; expected one of {LANGUAGES}")
    return LABELS[key][lang]


def enum_labels(prefix: str, codes, lang: str = "zh") -> dict[str, str]:
    """Map each code to its label, e.g. ``enum_labels('stage', ['emergence'])``."""
    return {code: t(f"{prefix}.{code}", lang) for code in codes}
