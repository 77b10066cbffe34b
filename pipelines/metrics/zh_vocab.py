"""Chinese phrasing vocabulary: units, magnitudes, counters, kind triggers and qualifiers.

Every Chinese pattern in chinese.py and zh_periods.py is built from these tables, so a new
word is added in one place (examples in tests/metrics/test_metrics_chinese.py).
"""

from __future__ import annotations

import re

from .facts import Qualifier

#: Magnitudes written after a number: 1075亿元, 3.5万户, 1.2万亿元.
MAGNITUDES = {"万亿": 1e12, "千亿": 1e11, "百亿": 1e10, "十亿": 1e9, "千万": 1e7, "百万": 1e6,
              "亿": 1e8, "万": 1e4, "千": 1e3, "百": 1e2}

#: Unit words after a number (and its magnitude) → (canonical unit, basis).
UNITS: dict[str, tuple[str, str | None]] = {
    # money (ISO 4217)
    "元人民币": ("CNY", None), "人民币": ("CNY", None), "元": ("CNY", None),
    "美元": ("USD", None), "欧元": ("EUR", None), "日元": ("JPY", None), "韩元": ("KRW", None),
    "港元": ("HKD", None), "港币": ("HKD", None), "英镑": ("GBP", None), "卢布": ("RUB", None),
    "澳元": ("AUD", None), "加元": ("CAD", None), "新加坡元": ("SGD", None),
    "新台币": ("TWD", None), "卢比": ("INR", None), "泰铢": ("THB", None),
    # percent and percentage points
    "%": ("percent", None), "％": ("percent", None),
    "个百分点": ("percent", "percentage-points"), "百分点": ("percent", "percentage-points"),
    "倍": ("times", None),
    # physical units
    "平方公里": ("km2", None), "平方千米": ("km2", None), "平方米": ("sqm", None),
    "平米": ("sqm", None), "亩": ("mu", None), "公顷": ("hectare", None),
    "立方米": ("m3", None), "吨": ("ton", None), "千克": ("kg", None), "公斤": ("kg", None),
    "千瓦时": ("kwh", None), "千瓦": ("kw", None), "兆瓦": ("mw", None), "吉瓦": ("gw", None),
    "公里": ("km", None), "千米": ("km", None), "标箱": ("teu", None), "标准箱": ("teu", None),
}
#: Counters (measure words): a number before one of these counts something.
COUNTERS = ("人次", "家", "户", "个", "项", "人", "名", "座", "所", "台", "套", "件", "宗",
            "处", "辆", "艘", "架", "栋", "条", "款", "位", "批", "种", "场", "次", "只", "株")
#: A counter followed by one of these is a duration or another unit, not a count: 3个月.
COUNTER_NOT_BEFORE = ("月", "小时", "工作日", "季度", "星期", "百分点", "年")

#: Words before a number, in families. The last trigger in the clause before a figure decides
#: its kind; NEUTRAL words contain a trigger but are nouns ("增加值" is value added).
TRIGGERS: dict[str, tuple[str, ...]] = {
    "neutral": ("增加值", "增值税", "增长点", "增长极", "升级", "占地", "占用", "降本",
                "增资扩股", "减税降费", "增收节支", "高新", "高端", "高质量", "高技术", "新能源",
                "新材料", "新兴", "新区", "新型", "低碳", "提质增效", "降低成本"),
    "level_to": ("增长至", "增长到", "增加至", "增加到", "提高至", "提高到", "提升至", "提升到",
                 "上升至", "上升到", "下降至", "下降到", "降至", "增至", "减至", "升至", "扩大至",
                 "扩大到", "减少至", "减少到", "回落至", "回落到"),
    "level": ("达到", "实现", "完成", "总计", "合计", "累计", "拥有", "共有"),
    "fall": ("负增长", "下降", "减少", "降低", "回落", "下滑", "收窄", "缩小", "放缓", "降幅",
             "减幅", "低于", "低", "减", "降"),
    "rise": ("同比增长", "增长率", "增长", "增加", "提高", "上升", "提升", "扩大", "加快",
             "上涨", "攀升", "增幅", "增速", "涨幅", "高出", "高于", "高", "增", "涨", "升"),
    "share": ("占比", "比重", "比例", "份额", "占"),
    "delta": ("新增", "新设", "新引进", "新认定", "新签约", "新开工", "新落地", "新建", "新注册",
              "新入驻", "新培育", "新登记", "新落户", "新招引", "净增"),
}
#: Single-character triggers only decide the kind of a percent (增速高1.2个百分点): before a
#: count or an amount they are far more often part of a word.
PERCENT_ONLY_TRIGGERS = frozenset(w for f in ("rise", "fall") for w in TRIGGERS[f] if len(w) == 1)
#: Qualifier words right before a number (after particles such as 了 / 为 are skipped).
QUALIFIERS_BEFORE: dict[Qualifier, tuple[str, ...]] = {
    Qualifier.MORE_THAN: ("超过", "超", "逾", "突破", "高于", "多于", "大于"),
    Qualifier.APPROX: ("将近", "接近", "近", "约", "大约", "约合", "大概", "近乎"),
    Qualifier.AT_LEAST: ("至少", "不少于", "不低于", "最少"),
    Qualifier.LESS_THAN: ("不足", "不到", "低于", "少于", "未满"),
    Qualifier.AT_MOST: ("最多", "不超过", "至多", "不高于"),
}
#: Particles between a qualifier and its number: 约为, 超过了, 达到近.
PARTICLES = ("了", "为", "达", "是", "在", "达到")
#: Qualifier words right after the number and its unit: 100家以上, 30亿元左右.
QUALIFIERS_AFTER = {"以上": Qualifier.AT_LEAST.value, "以下": Qualifier.AT_MOST.value,
                    "左右": Qualifier.APPROX.value, "上下": Qualifier.APPROX.value}
#: Written between the number and its unit: 100余家, 30多个, 1000多万元.
MORE_THAN_INFIX = ("余", "多")

#: Comparison words: the period after one is the base of a change, not the figure's period.
COMPARATORS = ("相比于", "相较于", "相比", "相较", "比", "较", "与", "同")
#: Basis phrases in the clause before a change.
BASIS = {"同比": "year-on-year", "环比": "month-on-month", "同期": "year-on-year"}
#: Markers of the present: a figure after one is not dated by a carried period.
PRESENT = ("目前", "现有", "截至目前", "当前", "现已", "目前已")


def alternation(words: tuple[str, ...] | list[str]) -> str:
    """A regex alternation of literal words, longest first (so 同比增长 wins over 增长)."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def stems(words: tuple[str, ...] | list[str]) -> frozenset[str]:
    """The first characters of the words: a cheap prefilter any match must contain."""
    return frozenset(w[0] for w in words)


#: Trigger words sorted so longer words win whatever the family (regex alternation order).
_ALL_TRIGGERS = sorted(((w, f) for f, ws in TRIGGERS.items() for w in ws),
                       key=lambda wf: len(wf[0]), reverse=True)
TRIGGER_ANY_RE = re.compile(alternation([w for w, _ in _ALL_TRIGGERS]))
TRIGGER_FAMILY = {w: f for w, f in reversed(_ALL_TRIGGERS)}
TRIGGER_STEMS = stems([w for w, _ in _ALL_TRIGGERS])

_QUALIFIER_OF = {w: q.value for q, ws in QUALIFIERS_BEFORE.items() for w in ws}
_VERBS = [w for f in ("delta", "level", "rise", "fall") for w in TRIGGERS[f] if len(w) > 1]
#: A qualifier, then particles or one verb before the number: 约为, 超过了, 至少新增.
QUALIFIER_BEFORE_RE = re.compile(
    rf"(?P<q>{alternation(list(_QUALIFIER_OF))})(?:{alternation(PARTICLES)})?"
    rf"(?:{alternation(_VERBS)})?(?:{alternation(PARTICLES)})?\s*$")


def qualifier_before(left: str) -> str | None:
    """The qualifier ending the text before a number: 超过 → more_than, 约为 → approx."""
    m = QUALIFIER_BEFORE_RE.search(left[-10:])
    return _QUALIFIER_OF[m.group("q")] if m else None
