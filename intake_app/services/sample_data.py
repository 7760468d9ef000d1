"""Realistic, reproducible sample cases in the interchange format `intake-case/1`.

Used for demos, load tests and the cross-case linking tests: `generate_cases(n, seed=...)` yields
plain dicts exactly as an import file would hold them. Output depends only on `seed` and `now`,
and the first k cases of a run do not depend on `n`.

The data is invented: names, ID numbers, phone numbers and accounts are random but well formed
(resident IDs carry a correct GB 11643 check character, payee cards a correct Luhn digit and a
real issuer prefix from resources/bank-bin). A small share of cases reuses the identifiers and
payee accounts of an earlier case of the same fraud type, as one gang would, so that linking
has something to find. Stdlib and python-stdnum only: this module runs without the store.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime, timedelta, timezone
from itertools import accumulate
from typing import Any

from stdnum.cn import ric

CASE_FORMAT = "intake-case/1"
CST = timezone(timedelta(hours=8))
DEFAULT_NOW = datetime(2026, 11, 30, 18, 0, 0, tzinfo=CST)
MAX_AMOUNT_FEN = 138_000_000  # 1.38 million yuan, the largest single loss in the Tangshan report
MIN_AMOUNT_FEN = 20_000  # 200 yuan
LINK_SHARE = 0.05  # share of cases that reuse a gang's identifiers
NEW_GANG_SHARE = 0.2  # of those, how many start a new gang instead of reusing one


class _FastRandom(random.Random):
    """random.Random with choice/randint/randrange built on random(): several times faster than
    the exact-integer versions, and unbiased enough for sample data (ranges stay below 2**53)."""

    def choice(self, seq: Sequence[Any]) -> Any:  # type: ignore[override]
        return seq[int(self.random() * len(seq))]

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def randrange(self, start: int, stop: int | None = None, step: int = 1) -> int:
        if step != 1:
            return super().randrange(start, stop, step)
        if stop is None:
            start, stop = 0, start
        return start + int(self.random() * (stop - start))


class _Weighted:
    """A fixed weighted choice with precomputed cumulative weights (random.choices is slow
    when it has to sum the weights on every call)."""

    __slots__ = ("cum", "items", "total")

    def __init__(self, pairs: Sequence[tuple[Any, float]]) -> None:
        self.items = [item for item, _ in pairs]
        self.cum = list(accumulate(weight for _, weight in pairs))
        self.total = self.cum[-1]

    def pick(self, rng: random.Random) -> Any:
        return self.items[bisect_right(self.cum, rng.random() * self.total)]


# --- Places -----------------------------------------------------------------------------------

# (area code, district, urban roads, residential compounds, towns); villages are composed.
_District = tuple[str, str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]
_DISTRICTS: tuple[_District, ...] = (
    (
        "130203",
        "路北区",
        (
            "建设北路",
            "龙泽北路",
            "卫国北路",
            "长宁道",
            "北新西道",
            "翔云道",
            "裕华道",
            "友谊路",
            "学院路",
        ),
        (
            "龙华里小区",
            "凤凰新城",
            "金色家园",
            "远洋城",
            "君瑞花园",
            "友谊里",
            "翔云里",
            "长宁小区",
        ),
        (),
    ),
    (
        "130202",
        "路南区",
        ("新华西道", "文化路", "南新西道", "复兴路", "西山道", "增盛路"),
        ("增盛里", "女织寨小区", "稷丰里", "复兴里", "盛世华庭", "学院南楼"),
        ("女织寨乡",),
    ),
    (
        "130204",
        "古冶区",
        ("京华道", "林西大街", "唐家庄路"),
        ("林西矿南区", "北新街小区", "唐家庄矿宿舍"),
        ("范各庄镇", "卑家店乡", "王辇庄乡"),
    ),
    (
        "130205",
        "开平区",
        ("开平大街", "新苑路", "税务庄路"),
        ("马家沟小区", "税东里", "越河小区", "开平新苑"),
        ("双桥镇", "洼里镇", "郑庄子镇"),
    ),
    (
        "130207",
        "丰南区",
        ("惠丰道", "文化大街", "光明道"),
        ("惠丰小区", "文化里小区", "运河花园"),
        ("胥各庄街道", "小集镇", "黄各庄镇", "大新庄镇"),
    ),
    (
        "130208",
        "丰润区",
        ("浭阳大街", "曹雪芹西大街", "太平路", "光华道"),
        ("浭阳新城", "太平小区", "曹雪芹家园"),
        ("丰登坞镇", "左家坞镇", "白官屯镇", "沙流河镇"),
    ),
    (
        "130209",
        "曹妃甸区",
        ("渤海大道", "滨海大道", "唐海路"),
        ("新城佳园", "唐海花园", "渤海家园"),
        ("唐海镇", "滨海镇", "柳赞镇", "一农场", "十一农场"),
    ),
    (
        "130224",
        "滦南县",
        ("友谊路", "建设大街"),
        ("倴城花园", "滦南新城"),
        ("倴城镇", "胡各庄镇", "柏各庄镇", "宋道口镇", "司各庄镇"),
    ),
    (
        "130225",
        "乐亭县",
        ("金融街", "永安路"),
        ("乐亭新苑", "大钊花园"),
        ("乐亭镇", "汤家河镇", "胡家坨镇", "王滩镇", "闫各庄镇"),
    ),
    (
        "130227",
        "迁西县",
        ("栗乡大街", "兴城路"),
        ("栗乡花园", "景忠山小区"),
        ("兴城镇", "三屯营镇", "洒河桥镇", "罗家屯镇"),
    ),
    (
        "130229",
        "玉田县",
        ("无终西街", "玉田大街"),
        ("无终花园", "玉田新城"),
        ("玉田镇", "鸦鸿桥镇", "林南仓镇", "亮甲店镇", "窝洛沽镇"),
    ),
    (
        "130281",
        "遵化市",
        ("文化路", "华明路"),
        ("清东陵小区", "遵化新城"),
        ("马兰峪镇", "西留村乡", "党峪镇", "平安城镇"),
    ),
    (
        "130283",
        "迁安市",
        ("燕山大路", "钢城大街"),
        ("钢城花园", "兴安小区"),
        ("杨店子镇", "野鸡坨镇", "沙河驿镇", "夏官营镇"),
    ),
)
# Relative weights by population; a station hint concentrates addresses in one district.
_DISTRICT_WEIGHTS = (12, 9, 5, 5, 6, 7, 4, 6, 5, 4, 7, 7, 8)
_HAIGANG: _District = (
    "130225",
    "海港经济开发区",
    ("港兴大街", "海港路"),
    ("港城花园", "海港家园"),
    ("王滩镇",),
)
# Area codes of people who moved to Tangshan from elsewhere (students, workers).
_OTHER_AREAS = (
    "110105",
    "120101",
    "130102",
    "130302",
    "131002",
    "150102",
    "210202",
    "230103",
    "370102",
    "410105",
    "420106",
    "510104",
    "140105",
    "220102",
)
_VILLAGE_HEAD = ("东", "西", "南", "北", "前", "后", "大", "小", "上", "下")
_VILLAGE_MID = (
    "王",
    "李",
    "张",
    "刘",
    "杨",
    "赵",
    "高",
    "马",
    "孙",
    "郭",
    "董",
    "韩",
    "田",
    "八里",
    "新",
    "侯",
)
_VILLAGE_TAIL = ("庄", "各庄", "坨", "营", "屯", "店", "官屯", "寨", "铺")

_SCHOOLS = ("华北理工大学", "唐山师范学院", "唐山学院", "河北能源职业技术学院", "唐山职业技术学院")
_HIGH_SCHOOLS = ("唐山一中", "唐山二中", "开滦一中", "丰润车轴山中学", "遵化一中", "迁安一中")


# --- People -----------------------------------------------------------------------------------

_SURNAMES = _Weighted(
    [
        ("王", 90),
        ("李", 85),
        ("张", 80),
        ("刘", 70),
        ("杨", 35),
        ("赵", 40),
        ("高", 30),
        ("陈", 30),
        ("马", 22),
        ("孙", 22),
        ("郭", 18),
        ("石", 12),
        ("徐", 12),
        ("周", 12),
        ("吴", 10),
        ("胡", 10),
        ("朱", 10),
        ("于", 14),
        ("董", 12),
        ("韩", 12),
        ("田", 10),
        ("宋", 9),
        ("冯", 8),
        ("曹", 9),
        ("何", 6),
        ("郑", 6),
        ("谢", 5),
        ("唐", 5),
        ("许", 5),
        ("邓", 4),
        ("沈", 4),
        ("吕", 5),
        ("苏", 5),
        ("魏", 6),
        ("贾", 6),
        ("丁", 5),
        ("薛", 4),
        ("阎", 4),
        ("杜", 6),
        ("姜", 5),
        ("范", 5),
        ("侯", 5),
        ("孟", 6),
        ("白", 5),
        ("崔", 6),
        ("康", 4),
        ("秦", 4),
        ("史", 4),
        ("邵", 3),
        ("常", 4),
        ("武", 4),
        ("乔", 3),
        ("齐", 4),
        ("袁", 4),
        ("付", 4),
        ("任", 4),
        ("梁", 5),
        ("林", 4),
        ("罗", 3),
        ("温", 3),
        ("尹", 3),
        ("蔡", 3),
        ("庞", 3),
        ("鲍", 2),
    ]
)
_COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "皇甫")
# Given names by generation: born before 1966, 1966-1990, after 1990.
_GIVEN = {
    ("old", "M"): (
        "建国",
        "国强",
        "志刚",
        "德明",
        "永平",
        "振华",
        "玉山",
        "宝林",
        "福生",
        "树林",
        "长海",
        "文",
        "军",
        "庆",
        "德福",
        "凤山",
        "金生",
        "广义",
    ),
    ("old", "F"): (
        "秀英",
        "桂兰",
        "淑珍",
        "玉兰",
        "凤英",
        "秀兰",
        "桂芝",
        "素芳",
        "淑华",
        "桂荣",
        "秀珍",
        "兰",
        "芳",
        "凤霞",
        "玉珍",
        "淑芬",
    ),
    ("mid", "M"): (
        "伟",
        "磊",
        "勇",
        "军",
        "涛",
        "斌",
        "超",
        "鹏",
        "海涛",
        "建华",
        "志强",
        "晓东",
        "立新",
        "红军",
        "海军",
        "建军",
        "亮",
        "刚",
        "春雷",
    ),
    ("mid", "F"): (
        "丽",
        "静",
        "敏",
        "燕",
        "艳",
        "红",
        "霞",
        "丽娜",
        "晓燕",
        "海燕",
        "秀丽",
        "丽华",
        "春梅",
        "雪梅",
        "晓红",
        "艳红",
        "娜",
    ),
    ("young", "M"): (
        "浩",
        "宇",
        "浩然",
        "子轩",
        "宇航",
        "俊杰",
        "博文",
        "一鸣",
        "子豪",
        "梓睿",
        "皓轩",
        "明哲",
        "天佑",
        "家豪",
        "思远",
        "嘉诚",
        "鑫",
    ),
    ("young", "F"): (
        "欣怡",
        "梓涵",
        "雨桐",
        "诗琪",
        "可馨",
        "思琪",
        "佳怡",
        "子涵",
        "雨萱",
        "梦琪",
        "婉清",
        "一诺",
        "语桐",
        "悦",
        "晨曦",
        "佳琪",
        "雪",
    ),
}
# Characters that old systems and fonts get wrong (outside GB 2312, some outside the BMP).
_RARE_SURNAMES = ("𠮷",)
_RARE_GIVEN = ("䶮", "𫖯", "堃", "喆", "赟")
_RARE_SHARE = 1 / 500

_NICKNAMES = (
    "小雨",
    "晴天",
    "安然",
    "A-客服小美",
    "Lucky",
    "阳光男孩",
    "浅笑",
    "静待花开",
    "一路向北",
    "木子",
    "Amy",
    "天道酬勤",
    "风轻云淡",
    "小鹿",
)

_PHONE_PREFIXES = (
    "134",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "157",
    "158",
    "159",
    "182",
    "183",
    "187",
    "188",
    "198",
    "130",
    "131",
    "132",
    "155",
    "156",
    "166",
    "185",
    "186",
    "175",
    "176",
    "133",
    "153",
    "173",
    "177",
    "180",
    "181",
    "189",
    "191",
    "199",
)
# Virtual operators and IoT ranges that scammers favour.
_SUSPECT_PREFIXES = ("170", "171", "162", "165", "167", "192", "195")

# Profiles of the person who was defrauded: (age range, occupations, groups, rural share, sex
# share female). Groups "elderly" is added by age.
_PROFILES: dict[str, tuple[tuple[int, int], tuple[str, ...], tuple[str, ...], float, float]] = {
    "student": ((17, 24), (), ("students",), 0.0, 0.5),
    "minor": ((9, 16), (), ("students",), 0.2, 0.4),
    "young": (
        (20, 35),
        ("外卖骑手", "快递员", "工人", "销售", "服务员", "网约车司机", "美发师", "保安"),
        (),
        0.25,
        0.45,
    ),
    "office": (
        (25, 58),
        ("公司职员", "教师", "护士", "工程师", "唐钢职工", "开滦集团职工", "医生", "文员"),
        (),
        0.1,
        0.5,
    ),
    "finance": ((25, 55), ("会计", "出纳", "财务主管", "公司会计"), ("finance_staff",), 0.05, 0.8),
    "self_employed": (
        (28, 62),
        ("个体（超市）", "个体（餐馆）", "个体（服装店）", "养殖户", "货车司机", "个体（五金店）"),
        ("self_employed",),
        0.4,
        0.4,
    ),
    "rural_woman": ((25, 60), ("务农", "农民", "家庭主妇"), ("rural_women",), 1.0, 1.0),
    "unemployed": ((20, 55), ("无业",), ("unemployed",), 0.35, 0.5),
    "elderly": ((60, 86), ("退休", "退休", "务农"), (), 0.4, 0.55),
}


# --- Fraud types --------------------------------------------------------------------------------

_FRAUD_WEIGHTS = _Weighted(
    [
        ("rebate_task", 24),
        ("investment", 16),
        ("impersonate_customer_service", 9),
        ("loan_credit", 9),
        ("shopping_service", 9),
        ("impersonate_acquaintance", 7),
        ("impersonate_authority", 6),
        ("romance", 5),
        ("game_trade", 5),
        ("flight_refund", 2),
        ("card_theft", 5),
        ("other", 3),
    ]
)
_SOURCES = _Weighted(
    [
        ("report", 82),
        ("instruction_110", 8),
        ("public_tip", 4),
        ("company_request", 3),
        ("found_at_work", 3),
    ]
)


class _Kind:
    """How one fraud type tends to unfold."""

    __slots__ = (
        "amount",
        "apps",
        "channels",
        "duration",
        "escalate",
        "ident_kinds",
        "methods",
        "profiles",
        "tx_count",
        "url_words",
    )

    def __init__(
        self,
        *,
        profiles: Sequence[tuple[str, float]],
        channels: Sequence[tuple[str, float]],
        tx_count: Sequence[float],
        amount: tuple[int, int],
        methods: Sequence[tuple[str, float]],
        duration: tuple[int, int],
        escalate: bool,
        url_words: tuple[str, ...],
        apps: tuple[str, ...],
        ident_kinds: Sequence[tuple[str, float]],
    ) -> None:
        self.profiles = _Weighted(profiles)
        self.channels = _Weighted(channels)
        self.tx_count = _Weighted(list(zip(range(5), tx_count, strict=True)))
        self.amount = amount  # yuan, low and high
        self.methods = _Weighted(methods)
        self.duration = duration  # minutes from first contact to the last payment
        self.escalate = escalate  # amounts grow from one payment to the next
        self.url_words = url_words
        self.apps = apps
        self.ident_kinds = _Weighted(ident_kinds)


_BANKISH = (("bank_transfer", 70), ("alipay", 15), ("wechat_pay", 15))
_KINDS: dict[str, _Kind] = {
    "rebate_task": _Kind(
        profiles=(
            ("student", 15),
            ("young", 20),
            ("unemployed", 20),
            ("rural_woman", 15),
            ("office", 15),
            ("self_employed", 5),
            ("elderly", 2),
        ),
        channels=(("qq", 30), ("wechat", 30), ("app", 30), ("sms", 10)),
        tx_count=(3, 20, 30, 27, 20),
        amount=(200, 200_000),
        methods=_BANKISH,
        duration=(60, 60 * 24 * 5),
        escalate=True,
        url_words=("renwu", "jianzhi", "fanli", "dianzan", "paidan"),
        apps=("趣打单", "点赞赚", "优选任务", "天天返", "悦购任务", "星辰派单"),
        ident_kinds=(("qq", 25), ("wechat", 25), ("app", 25), ("url", 15), ("phone", 10)),
    ),
    "investment": _Kind(
        profiles=(
            ("office", 25),
            ("self_employed", 20),
            ("elderly", 15),
            ("finance", 5),
            ("young", 15),
            ("unemployed", 10),
            ("rural_woman", 5),
        ),
        channels=(("wechat", 40), ("app", 25), ("qq", 15), ("phone", 10), ("website", 10)),
        tx_count=(3, 25, 25, 25, 22),
        amount=(5_000, 1_380_000),
        methods=(("bank_transfer", 80), ("crypto", 8), ("alipay", 6), ("wechat_pay", 6)),
        duration=(60 * 24 * 3, 60 * 24 * 120),
        escalate=True,
        url_words=("touzi", "licai", "jinrong", "caifu", "gupiao", "huangjin"),
        apps=("鼎盛财富", "汇金国际", "金牛证券Pro", "中投优选", "瑞达期货", "恒信数字资产"),
        ident_kinds=(
            ("url", 25),
            ("app", 25),
            ("wechat", 20),
            ("phone", 15),
            ("email", 5),
            ("qq", 10),
        ),
    ),
    "shopping_service": _Kind(
        profiles=(
            ("student", 25),
            ("young", 30),
            ("office", 20),
            ("rural_woman", 10),
            ("self_employed", 10),
            ("elderly", 5),
        ),
        channels=(("wechat", 35), ("qq", 15), ("app", 30), ("website", 10), ("phone", 10)),
        tx_count=(3, 70, 20, 5, 2),
        amount=(200, 12_000),
        methods=(("wechat_pay", 40), ("alipay", 35), ("bank_transfer", 25)),
        duration=(10, 60 * 24 * 3),
        escalate=False,
        url_words=("shangcheng", "tuangou", "zhekou", "haohuo"),
        apps=("淘好货", "特价汇", "同城二手集市"),
        ident_kinds=(("wechat", 35), ("qq", 15), ("alipay", 25), ("phone", 15), ("email", 10)),
    ),
    "impersonate_customer_service": _Kind(
        profiles=(
            ("young", 25),
            ("office", 25),
            ("student", 15),
            ("self_employed", 10),
            ("rural_woman", 10),
            ("elderly", 10),
            ("finance", 5),
        ),
        channels=(("phone", 75), ("sms", 10), ("app", 15)),
        tx_count=(5, 45, 30, 15, 5),
        amount=(1_000, 150_000),
        methods=(("bank_transfer", 75), ("alipay", 15), ("wechat_pay", 10)),
        duration=(20, 180),
        escalate=False,
        url_words=("kefu", "tuikuan", "lipei", "fuwu"),
        apps=("腾讯会议", "向日葵远程控制", "ZOOM会议", "安全卫士Pro"),
        ident_kinds=(("phone", 45), ("app", 30), ("url", 10), ("qq", 15)),
    ),
    "loan_credit": _Kind(
        profiles=(
            ("unemployed", 30),
            ("self_employed", 25),
            ("young", 25),
            ("rural_woman", 10),
            ("student", 10),
        ),
        channels=(("app", 40), ("phone", 30), ("sms", 15), ("wechat", 15)),
        tx_count=(3, 40, 35, 15, 7),
        amount=(500, 40_000),
        methods=_BANKISH,
        duration=(60, 60 * 24 * 7),
        escalate=True,
        url_words=("daikuan", "jiedai", "xindai", "kuaidai"),
        apps=("速易贷", "安心借", "秒批贷", "惠民金融"),
        ident_kinds=(("app", 35), ("url", 20), ("phone", 30), ("wechat", 15)),
    ),
    "impersonate_acquaintance": _Kind(
        profiles=(
            ("finance", 45),
            ("office", 20),
            ("self_employed", 10),
            ("elderly", 15),
            ("young", 10),
        ),
        channels=(("qq", 50), ("wechat", 40), ("phone", 10)),
        tx_count=(5, 55, 25, 10, 5),
        amount=(5_000, 1_380_000),
        methods=(("bank_transfer", 85), ("wechat_pay", 10), ("alipay", 5)),
        duration=(10, 360),
        escalate=False,
        url_words=(),
        apps=(),
        ident_kinds=(("qq", 50), ("wechat", 40), ("phone", 10)),
    ),
    "impersonate_authority": _Kind(
        profiles=(
            ("elderly", 35),
            ("office", 20),
            ("young", 15),
            ("rural_woman", 10),
            ("student", 10),
            ("self_employed", 10),
        ),
        channels=(("phone", 80), ("qq", 10), ("wechat", 10)),
        tx_count=(10, 45, 25, 12, 8),
        amount=(5_000, 800_000),
        methods=(("bank_transfer", 85), ("cash", 8), ("alipay", 7)),
        duration=(30, 60 * 24 * 3),
        escalate=True,
        url_words=("jiancha", "anquan", "zhifa", "qingcha"),
        apps=("警民通Pro", "国家清查系统", "安全防护"),
        ident_kinds=(("phone", 50), ("qq", 15), ("wechat", 10), ("url", 15), ("app", 10)),
    ),
    "romance": _Kind(
        profiles=(
            ("office", 20),
            ("unemployed", 20),
            ("self_employed", 15),
            ("rural_woman", 15),
            ("elderly", 15),
            ("young", 15),
        ),
        channels=(("wechat", 45), ("app", 45), ("qq", 10)),
        tx_count=(3, 30, 30, 20, 17),
        amount=(2_000, 600_000),
        methods=(("bank_transfer", 75), ("wechat_pay", 15), ("crypto", 10)),
        duration=(60 * 24 * 7, 60 * 24 * 180),
        escalate=True,
        url_words=("yuehui", "jiaoyou", "hunlian"),
        apps=("缘来交友", "心动社区", "知己", "汇金国际"),
        ident_kinds=(("wechat", 45), ("app", 25), ("url", 15), ("phone", 15)),
    ),
    "game_trade": _Kind(
        profiles=(("minor", 50), ("student", 40), ("young", 10)),
        channels=(("qq", 45), ("app", 45), ("wechat", 10)),
        tx_count=(3, 60, 25, 8, 4),
        amount=(200, 8_000),
        methods=(("wechat_pay", 45), ("alipay", 40), ("bank_transfer", 15)),
        duration=(10, 60 * 24 * 2),
        escalate=True,
        url_words=("youxi", "jiaoyi", "zhanghao", "daishou"),
        apps=("游戏交易猫Pro", "号易宝", "盼之代售Plus"),
        ident_kinds=(("qq", 40), ("url", 30), ("app", 20), ("wechat", 10)),
    ),
    "flight_refund": _Kind(
        profiles=(
            ("office", 40),
            ("self_employed", 25),
            ("young", 20),
            ("student", 10),
            ("elderly", 5),
        ),
        channels=(("sms", 60), ("phone", 40)),
        tx_count=(5, 50, 30, 10, 5),
        amount=(1_000, 60_000),
        methods=_BANKISH,
        duration=(20, 240),
        escalate=False,
        url_words=("hangban", "tuigai", "lipei", "jipiao"),
        apps=("航旅理赔", "航班管家Pro"),
        ident_kinds=(("phone", 55), ("url", 30), ("app", 15)),
    ),
    "card_theft": _Kind(
        profiles=(
            ("office", 20),
            ("young", 20),
            ("elderly", 20),
            ("rural_woman", 15),
            ("self_employed", 15),
            ("student", 10),
        ),
        channels=(("sms", 70), ("phone", 20), ("other", 10)),
        tx_count=(0, 45, 30, 15, 10),
        amount=(200, 60_000),
        methods=(("card_theft", 100),),
        duration=(2, 40),
        escalate=False,
        url_words=("etc", "jifen", "yibao", "renzheng"),
        apps=("ETC服务", "积分商城"),
        ident_kinds=(("phone", 50), ("url", 50)),
    ),
    "other": _Kind(
        profiles=(
            ("young", 20),
            ("office", 20),
            ("unemployed", 20),
            ("student", 15),
            ("elderly", 15),
            ("self_employed", 10),
        ),
        channels=(
            ("phone", 25),
            ("wechat", 25),
            ("qq", 15),
            ("sms", 10),
            ("email", 10),
            ("app", 15),
        ),
        tx_count=(10, 60, 20, 7, 3),
        amount=(200, 30_000),
        methods=_BANKISH,
        duration=(60, 60 * 24 * 10),
        escalate=False,
        url_words=("zhongjiang", "lingjiang", "zhaopin", "peixun"),
        apps=("幸运大转盘", "同城约", "兼职培训宝"),
        ident_kinds=(("phone", 30), ("wechat", 30), ("email", 20), ("qq", 20)),
    ),
}

# --- Banks ----------------------------------------------------------------------------------------

# (issuer prefix, card length, bank name as in resources/bank-bin/name.csv). The tests check
# each prefix against bin.csv, and that no longer prefix there shadows it.
_PAYEE_BINS = (
    ("622202", 19, "中国工商银行"),
    ("621226", 19, "中国工商银行"),
    ("621700", 19, "中国建设银行"),
    ("622700", 19, "中国建设银行"),
    ("622848", 19, "中国农业银行"),
    ("621661", 19, "中国银行"),
    ("622588", 16, "招商银行"),
    ("621799", 19, "中国邮政储蓄银行"),
    ("622262", 19, "交通银行"),
    ("622908", 18, "兴业银行"),
    ("621462", 19, "广东发展银行"),
    ("622150", 19, "中国邮政储蓄银行"),
)
_PAYER_BINS = _Weighted(
    [
        (("622167", 19, "唐山银行"), 12),
        (("622499", 19, "河北银行"), 8),
        (("621021", 19, "河北省农村信用社"), 14),
        (("621226", 19, "中国工商银行"), 12),
        (("621700", 19, "中国建设银行"), 12),
        (("622848", 19, "中国农业银行"), 12),
        (("621661", 19, "中国银行"), 8),
        (("621799", 19, "中国邮政储蓄银行"), 10),
        (("622262", 19, "交通银行"), 5),
        (("622588", 16, "招商银行"), 5),
    ]
)
# Corporate settlement accounts: no card BIN, and they fail the Luhn check (made sure below).
_CORPORATE = (
    ("中国建设银行", "4405", 20),
    ("中国工商银行", "4000", 19),
    ("招商银行", "755", 15),
    ("中国农业银行", "4401", 17),
)
_COMPANY_CITIES = ("深圳市", "广州市", "东莞市", "杭州市", "长沙市", "南宁市", "昆明市", "海口市")
_COMPANY_WORDS = ("鑫源达", "恒信通", "汇丰源", "锦程", "天泽", "宏运", "盛世华", "聚宝盆")
_COMPANY_TRADES = ("商贸", "科技", "网络科技", "供应链管理", "建材", "贸易")


def luhn_complete(prefix_digits: str, length: int, rng: random.Random) -> str:
    """A card number of `length` digits that starts with `prefix_digits` and passes Luhn."""
    if not prefix_digits.isdigit() or length <= len(prefix_digits):
        raise ValueError("prefix must be digits and shorter than the card number")
    body_len = length - len(prefix_digits) - 1
    body = prefix_digits
    if body_len:
        body += f"{rng.randrange(10**body_len):0{body_len}d}"
    return body + _luhn_digit(body)


_DOUBLED = {str(d): (2 * d) % 9 if d != 9 else 9 for d in range(10)}
_PLAIN = {str(d): d for d in range(10)}


def _luhn_digit(body: str) -> str:
    """The Luhn check digit for `body` (stdnum.luhn does the same, several times slower)."""
    rev = body[::-1]
    total = sum(map(_DOUBLED.__getitem__, rev[0::2])) + sum(map(_PLAIN.__getitem__, rev[1::2]))
    return str(-total % 10)


def resident_id(area: str, birth: date, sex: str, rng: random.Random) -> str:
    """An 18-character resident ID (GB 11643): area, birth date, sequence (odd for men, even
    for women, either for "U") and the MOD 11-2 check character."""
    if len(area) != 6 or not area.isdigit():
        raise ValueError("area must be six digits")
    if sex == "M":
        seq = rng.randrange(0, 499) * 2 + 1
    elif sex == "F":
        seq = rng.randrange(0, 499) * 2 + 2
    else:
        seq = rng.randrange(1, 999)
    body = f"{area}{birth:%Y%m%d}{seq:03d}"
    # calc_check_digit expects the full number and ignores its last character.
    return body + ric.calc_check_digit(body + "0")


def _fen_text(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def _yuan_words(fen: int) -> str:
    """Money as a police narrative writes it: 15000元, 1288.50元."""
    return f"{fen // 100}" if fen % 100 == 0 else _fen_text(fen)


def _iso(ts: int) -> str:
    return datetime.fromtimestamp(ts, CST).isoformat()


def _when(ts: int, year: int) -> str:
    moment = datetime.fromtimestamp(ts, CST)
    prefix = f"{moment.year}年" if moment.year != year else ""
    return f"{prefix}{moment.month}月{moment.day}日{moment.hour}时许"


# --- The generator --------------------------------------------------------------------------------


class _Gang:
    """The identifiers one group of suspects uses across its cases.

    Values are made on first use (most cases need only two or three of them) and then kept, so
    every case that meets this gang sees the same phone, QQ, accounts and so on.
    """

    __slots__ = ("_accounts", "_gen", "_kind", "_values", "ftype")

    def __init__(self, gen: _Generator, ftype: str) -> None:
        self._gen = gen
        self._kind = _KINDS[ftype]
        self.ftype = ftype
        self._values: dict[str, str] = {}
        self._accounts: list[tuple[str, str, str]] = []

    def value(self, kind: str) -> str:
        """phone, qq, wechat, alipay, url, app, email, nick, alias or wallet ("" if none)."""
        found = self._values.get(kind)
        if found is None:
            found = self._values[kind] = self._make(kind)
        return found

    def _make(self, kind: str) -> str:
        gen, rng = self._gen, self._gen.rng
        if kind == "phone":
            return gen.suspect_phone()
        if kind == "qq":
            return str(rng.randrange(10_000_000, 3_999_999_999))
        if kind == "wechat":
            return gen.wechat_id()
        if kind == "alipay":
            if rng.random() < 0.7:
                return gen.mobile()
            return f"{rng.randrange(10**8, 10**10)}@qq.com"
        if kind == "url":
            return gen.url(self._kind.url_words)
        if kind == "app":
            return rng.choice(self._kind.apps) if self._kind.apps else ""
        if kind == "email":
            return gen.email(self._kind.url_words)
        if kind == "nick":
            return rng.choice(_NICKNAMES)
        if kind == "alias":
            return rng.choice(_ALIASES)
        if kind == "wallet":
            return "T" + "".join(rng.choices(_BASE58, k=33))
        raise KeyError(kind)

    def payees(self) -> list[tuple[str, str, str]]:
        """The accounts this gang has victims pay into: (bank, account number, holder)."""
        if not self._accounts:
            gen = self._gen
            corporate = 0.12 if self.ftype in ("impersonate_acquaintance", "investment") else 0.02
            self._accounts = [gen.payee(corporate) for _ in range(gen.rng.choice((1, 1, 2, 3)))]
        return self._accounts


_CHANNEL_KINDS = {
    "phone": "phone",
    "sms": "phone",
    "qq": "qq",
    "wechat": "wechat",
    "app": "app",
    "website": "url",
    "email": "email",
}
_ALIASES = ("王老师", "李教授", "陈助理", "张经理", "刘总监", "周老师", "林助教")
_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_LOWER = "abcdefghijklmnopqrstuvwxyz"
_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"
_INITIALS = ("xx", "hx", "jt", "dfcf", "zx", "hy", "js", "ms", "bd", "yc", "hf", "tc", "qq", "wd")
_TLDS = ("com", "cc", "top", "vip", "xyz", "net", "cn", "shop")
_URL_TAILS = ("app", "vip", "pro", "hk", "world", "plus", "go")


class _Generator:
    def __init__(self, seed: int, now: datetime, station_hint: str) -> None:
        self.rng = _FastRandom(seed)
        self.now = now
        self.now_ts = int(now.timestamp())
        self.today = now.date()
        self.year = now.year
        self.gangs: dict[str, list[_Gang]] = {}
        self.districts = _districts_for(station_hint)

    # -- small values

    def mobile(self) -> str:
        rng = self.rng
        return rng.choice(_PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}"

    def suspect_phone(self) -> str:
        rng = self.rng
        prefixes = _SUSPECT_PREFIXES if rng.random() < 0.4 else _PHONE_PREFIXES
        prefix = rng.choice(prefixes)
        return prefix + f"{rng.randrange(10**8):08d}"

    def wechat_id(self) -> str:
        rng = self.rng
        if rng.random() < 0.5:
            return "wxid_" + "".join(rng.choices(_ALNUM, k=rng.randint(10, 14)))
        stem = "".join(rng.choices(_LOWER, k=rng.randint(3, 7)))
        return f"{stem}{rng.choice(('_', '', '-'))}{rng.randrange(10, 99999)}"

    def url(self, words: tuple[str, ...]) -> str:
        rng = self.rng
        word = rng.choice(words) if words else "app"
        initials = rng.choice(_INITIALS)
        tld = rng.choice(_TLDS)
        tail = rng.choice(_URL_TAILS)
        style = rng.randrange(5)
        if style == 0:
            return f"http://www.{initials}-{word}.{tld}/app"
        if style == 1:
            return f"https://{word}{rng.randrange(10, 999)}.{tld}/"
        if style == 2:
            return f"http://{tail}.{initials}{word}.{tld}/#/login"
        if style == 3:
            return f"https://h5.{word}{tail}.{tld}/index.html?code={rng.randrange(10**5, 10**6)}"
        return (
            f"http://{rng.randint(23, 223)}.{rng.randint(1, 254)}.{rng.randint(1, 254)}."
            f"{rng.randint(1, 254)}:{rng.choice((8080, 8888, 9000, 443))}/"
        )

    def email(self, words: tuple[str, ...]) -> str:
        rng = self.rng
        if rng.random() < 0.5:
            return f"{rng.randrange(10**8, 4 * 10**9)}@qq.com"
        word = rng.choice(words) if words else "kefu"
        domain = rng.choice(("163.com", "126.com", "gmail.com", "outlook.com"))
        return f"{word}{rng.choice(('_', '', '.'))}{rng.randrange(1, 9999)}@{domain}"

    def name(self, generation: str, sex: str) -> str:
        rng = self.rng
        given_pool = _GIVEN[(generation, "F" if sex == "F" else "M")]
        roll = rng.random()
        if roll < _RARE_SHARE:
            if rng.random() < 0.4:
                return rng.choice(_RARE_SURNAMES) + rng.choice(given_pool)
            return _SURNAMES.pick(rng) + rng.choice(_RARE_GIVEN) + rng.choice(("", "明", "宇"))
        if roll < 0.004:
            return rng.choice(_COMPOUND_SURNAMES) + rng.choice(given_pool)[0]
        return _SURNAMES.pick(rng) + rng.choice(given_pool)

    def masked_name(self) -> str:
        """How a payment app shows the payee: the surname hidden."""
        full = self.name("mid", self.rng.choice("MF"))
        return "*" * (len(full) - 1) + full[-1]

    def company(self) -> str:
        rng = self.rng
        return (
            f"{rng.choice(_COMPANY_CITIES)}{rng.choice(_COMPANY_WORDS)}"
            f"{rng.choice(_COMPANY_TRADES)}有限公司"
        )

    def payee(self, corporate_share: float) -> tuple[str, str, str]:
        """(bank name, account number, account holder) of an account that received money."""
        rng = self.rng
        if rng.random() < corporate_share:
            bank, prefix, length = rng.choice(_CORPORATE)
            number = luhn_complete(prefix, length, rng)
            # Corporate accounts carry no Luhn digit: make sure this one fails the check.
            number = number[:-1] + str((int(number[-1]) + rng.randint(1, 9)) % 10)
            return bank, number, self.company()
        prefix, length, bank = rng.choice(_PAYEE_BINS)
        return bank, luhn_complete(prefix, length, rng), self.name("mid", rng.choice("MF"))

    def address(self, district: _District, rural: bool) -> str:
        rng = self.rng
        _, dname, roads, compounds, towns = district
        head = "河北省唐山市" if rng.random() < 0.6 else "唐山市"
        if rural and towns:
            village = (
                rng.choice(_VILLAGE_HEAD) + rng.choice(_VILLAGE_MID) + rng.choice(_VILLAGE_TAIL)
            )
            return f"{head}{dname}{rng.choice(towns)}{village}村{rng.randint(1, 320)}号"
        return (
            f"{head}{dname}{rng.choice(roads)}{rng.randint(1, 260)}号{rng.choice(compounds)}"
            f"{rng.randint(1, 36)}号楼{rng.randint(1, 6)}单元{rng.randint(1, 28)}"
            f"{rng.randint(1, 4):02d}室"
        )

    def workplace(self) -> str:
        rng = self.rng
        _, dname, roads, _, _ = self.districts.pick(rng)
        spot = rng.choice(("某公司办公室", "某超市", "某工地宿舍", "某物流园", "某饭店后厨"))
        return f"唐山市{dname}{rng.choice(roads)}{rng.randint(1, 260)}号{spot}"

    # -- people

    def person(
        self,
        profile: str,
        *,
        age: int | None = None,
        sex: str | None = None,
        district: _District | None = None,
        address: str | None = None,
    ) -> dict[str, Any]:
        rng = self.rng
        (low, high), occupations, groups, rural_share, female_share = _PROFILES[profile]
        if age is None:
            age = rng.randint(low, high)
        if sex is None:
            sex = "F" if rng.random() < female_share else "M"
        birth = date(self.year - age, 1, 1) + timedelta(days=rng.randrange(365))
        if birth > self.today - timedelta(days=365 * age):
            birth -= timedelta(days=365)
        born = birth.year
        generation = "old" if born < 1966 else "mid" if born <= 1990 else "young"
        district = district or self.districts.pick(rng)
        rural = rng.random() < rural_share
        groups_out = list(groups)
        if profile == "student":
            school = rng.choice(_SCHOOLS)
            if age <= 18 and rng.random() < 0.5:
                school = rng.choice(_HIGH_SCHOOLS)
            occupation = f"{school}学生"
            area = rng.choice(_OTHER_AREAS) if rng.random() < 0.4 else district[0]
            if address is None and school in _SCHOOLS:
                address = (
                    f"唐山市{school}{rng.randint(1, 18)}号宿舍楼{rng.randint(1, 6)}"
                    f"{rng.randint(1, 40):02d}室"
                )
        elif profile == "minor":
            occupation = "学生"
            area = district[0]
        else:
            occupation = rng.choice(occupations)
            area = rng.choice(_OTHER_AREAS) if rng.random() < 0.08 else district[0]
        if age >= 60 and "elderly" not in groups_out:
            groups_out.append("elderly")
        if occupation == "务农" and sex == "F" and "rural_women" not in groups_out:
            groups_out.append("rural_women")
        id_type = "resident_id"
        roll = rng.random()
        if roll < 0.004 and profile not in ("minor",):
            id_type, id_number = self.foreign_document()
        else:
            id_number = resident_id(area, birth, sex, rng)
        phone = "" if profile == "minor" and rng.random() < 0.6 else self.mobile()
        return {
            "name": self.name(generation, sex),
            "sex": sex,
            "birth_date": birth.isoformat(),
            "id_type": id_type,
            "id_number": id_number,
            "phone": phone,
            "address": address or self.address(district, rural),
            "occupation": occupation,
            "groups": groups_out,
        }

    def foreign_document(self) -> tuple[str, str]:
        rng = self.rng
        kind = rng.choice(("passport", "hk_macau_permit", "taiwan_permit"))
        if kind == "passport":
            return kind, "E" + f"{rng.randrange(10**8):08d}"
        if kind == "hk_macau_permit":
            return kind, rng.choice("HM") + f"{rng.randrange(10**8):08d}"
        return kind, f"{rng.randrange(10**8):08d}"

    # -- one case

    def case(self) -> dict[str, Any]:
        rng = self.rng
        source = _SOURCES.pick(rng)
        if source in ("public_tip", "company_request", "found_at_work"):
            roll = rng.random()
            if source == "company_request" and roll < 0.5:
                return self.bank_counter_case()
            if source == "found_at_work" and roll < 0.5:
                return self.victim_case("found_at_work", warned=True)
            if source == "public_tip" and roll < 0.3:
                return self.scam_call_tip()
            return self.lead_case(source)
        return self.victim_case(source)

    def timeline(self, kind: _Kind, *, quick_report: bool = False) -> tuple[int, int, int, int]:
        """(occurred_from, occurred_to, discovered_at, reported_at) as POSIX seconds."""
        rng = self.rng
        days_back = rng.randrange(365)
        hour = rng.choice((8, 9, 9, 10, 10, 10, 11, 14, 14, 15, 15, 16, 16, 17, 19, 20, 21))
        day = self.today - timedelta(days=days_back)
        reported = int(
            datetime(day.year, day.month, day.day, hour, rng.randrange(60), tzinfo=CST).timestamp()
        )
        if reported > self.now_ts:
            reported -= 86_400
        if quick_report or rng.random() < 0.5:
            delay = rng.randint(10, 180) * 60
        elif rng.random() < 0.7:
            delay = rng.randint(180, 60 * 48) * 60
        else:
            delay = rng.randint(2, 30) * 86_400
        discovered = reported - delay
        occurred_to = discovered - (0 if rng.random() < 0.3 else rng.randint(1, 360) * 60)
        low, high = kind.duration
        occurred_from = occurred_to - rng.randint(low, high) * 60 - rng.randrange(60)
        if (occurred_from + 8 * 3600) % 86_400 < 7 * 3600 and rng.random() < 0.85:
            occurred_from -= 8 * 3600  # a first contact after midnight is rare: move it
        return occurred_from, occurred_to, discovered, reported

    def payment_times(self, start: int, end: int, count: int, awake: bool) -> list[int]:
        """Sorted payment times between start and end; most people pay while awake (7-23 h)."""
        rng = self.rng
        times = []
        for _ in range(count):
            at = rng.randint(start, end)
            if awake and (at + 8 * 3600) % 86_400 < 7 * 3600:
                if at + 8 * 3600 <= end:
                    at += 8 * 3600
                elif at - 8 * 3600 >= start:
                    at -= 8 * 3600
            times.append(at)
        times.sort()
        return times

    def gang_for(self, ftype: str) -> _Gang:
        rng = self.rng
        if rng.random() < LINK_SHARE:
            pool = self.gangs.setdefault(ftype, [])
            if not pool or rng.random() < NEW_GANG_SHARE:
                pool.append(_Gang(self, ftype))
            return rng.choice(pool)
        return _Gang(self, ftype)

    def amounts(self, kind: _Kind, count: int, cap: int = MAX_AMOUNT_FEN) -> list[int]:
        rng = self.rng
        low, high = kind.amount
        high = min(high, cap // 100)
        values = []
        for _ in range(count):
            yuan = low * (high / low) ** (rng.random() ** 1.6)
            if yuan < 1000:
                step = 10
            elif yuan < 10_000:
                step = 100
            elif yuan < 100_000:
                step = 1000 if rng.random() < 0.7 else 100
            else:
                step = 10_000 if rng.random() < 0.6 else 1000
            fen = max(int(yuan / step) * step * 100, MIN_AMOUNT_FEN)
            if rng.random() < 0.08:
                fen = max(fen - 100, MIN_AMOUNT_FEN)  # 1299.00, 4999.00
            elif fen < 1_000_000 and rng.random() < 0.05:
                fen += rng.randrange(1, 100)  # a payment with fen: 1288.50
            values.append(min(fen, MAX_AMOUNT_FEN))
        if kind.escalate:
            values.sort()
        return values

    def transactions(
        self,
        kind: _Kind,
        gang: _Gang,
        times: list[int],
        payer: dict[str, Any],
        payer_card: tuple[str, str],
        cap: int = MAX_AMOUNT_FEN,
    ) -> list[dict[str, Any]]:
        rng = self.rng
        out = []
        for at, fen in zip(times, self.amounts(kind, len(times), cap), strict=True):
            method = kind.methods.pick(rng)
            if method in ("alipay", "wechat_pay") and fen > 5_000_000:
                method = "bank_transfer"  # payment apps cap transfers; big sums go by bank
            bank, account, holder = rng.choice(gang.payees())
            payer_bank, payer_account = payer_card
            stamp = datetime.fromtimestamp(at, CST).strftime("%Y%m%d")
            if method == "alipay":
                payer_bank, payer_account = "", payer["phone"]
                bank, holder = "", self.masked_name()
                alipay = gang.value("alipay")
                account = alipay if alipay.isdigit() else ""
                serial = f"{stamp}2200141{rng.randrange(10**13):013d}"
            elif method == "wechat_pay":
                payer_bank, payer_account = "", ""
                bank, account, holder = "", "", gang.value("nick")
                serial = f"4200{rng.randrange(10**6):06d}{stamp}{rng.randrange(10**10):010d}"
            elif method == "cash":
                payer_account, bank, account = "", "", ""
                holder = "上门取款的陌生男子"
                serial = ""
            elif method == "crypto":
                bank, account, holder = "", "", "USDT钱包（" + gang.value("wallet")[:6] + "…）"
                serial = "".join(rng.choices("0123456789abcdef", k=64))
            elif method == "card_theft" and rng.random() < 0.4:
                holder = self.company().replace("有限公司", "（快捷支付商户）")
                bank, account = "", ""
                serial = f"{stamp}{rng.randrange(10**14):014d}"
            else:
                serial = f"{stamp}{rng.randrange(10**12):012d}" if rng.random() < 0.85 else ""
            out.append(
                {
                    "at": _iso(at),
                    "amount": _fen_text(fen),
                    "method": method,
                    "payer_bank": payer_bank,
                    "payer_account": payer_account,
                    "payee_name": holder,
                    "payee_bank": bank,
                    "payee_account": account,
                    "serial_no": serial,
                }
            )
        return out

    def identifiers(
        self,
        kind: _Kind,
        gang: _Gang,
        channel: str,
        txs: list[dict[str, Any]],
        mentioned: Sequence[str] = (),
    ) -> list[dict[str, str]]:
        """What the officer records about the suspects: mostly what the narrative names (an
        officer sometimes leaves one out), the channel's contact, now and then one more."""
        rng = self.rng
        wanted = [k for i, k in enumerate(mentioned) if i == 0 or rng.random() < 0.85]
        first = _CHANNEL_KINDS.get(channel)
        if first and first not in wanted and gang.value(first):
            wanted.append(first)
        if rng.random() < 0.3:
            extra = kind.ident_kinds.pick(rng)
            if extra not in wanted and gang.value(extra):
                wanted.append(extra)
        out = [self.identifier(k, gang, channel) for k in wanted[:4]]
        accounts = [t["payee_account"] for t in txs if t["payee_account"] and t["payee_bank"]]
        if accounts and rng.random() < 0.6:
            out.append({"kind": "bank_account", "value": accounts[0], "note": "一级收款账户"})
        if any(t["method"] == "crypto" for t in txs):
            out.append(
                {"kind": "other", "value": gang.value("wallet"), "note": "USDT（TRC20）钱包地址"}
            )
        return out[:6]

    def identifier(self, kind: str, gang: _Gang, channel: str = "") -> dict[str, str]:
        rng = self.rng
        if kind == "phone":
            phone = gang.value("phone")
            value = phone if rng.random() < 0.9 else "+86" + phone
            note = {"sms": "短信发送号码", "phone": "对方来电号码"}.get(channel, "嫌疑人联系电话")
            if rng.random() < 0.15:
                note = ""
        elif kind == "qq":
            value, note = gang.value("qq"), f"对方QQ，昵称“{gang.value('nick')}”"
        elif kind == "wechat":
            value, note = gang.value("wechat"), f"对方微信，昵称“{gang.value('nick')}”"
        elif kind == "alipay":
            value, note = gang.value("alipay"), "对方支付宝账户"
        elif kind == "url":
            value = gang.value("url")
            if rng.random() < 0.1 and "//" in value:
                scheme, rest = value.split("//", 1)
                host, _, path = rest.partition("/")
                value = f"{scheme}//{host.upper()}/{path}"
            note = (
                "短信中的链接"
                if channel == "sms"
                else rng.choice(("对方提供的平台网址", "诈骗网站", ""))
            )
        elif kind == "app":
            value, note = gang.value("app"), rng.choice(("对方让下载的APP", "涉案APP", ""))
        else:
            value, note = gang.value("email"), rng.choice(("对方客服邮箱", "对方联系邮箱", ""))
        return {"kind": kind, "value": value, "note": note}

    def victim_case(self, source: str, *, warned: bool = False) -> dict[str, Any]:
        rng = self.rng
        ftype = _FRAUD_WEIGHTS.pick(rng)
        if warned:
            ftype = rng.choice(
                (
                    "impersonate_authority",
                    "impersonate_authority",
                    "investment",
                    "romance",
                    "impersonate_customer_service",
                )
            )
        kind = _KINDS[ftype]
        profile = kind.profiles.pick(rng)
        victim = self.person(profile)
        reporter = victim
        relation = ""
        separate = (
            profile == "minor"
            or (profile == "elderly" and rng.random() < 0.3)
            or (profile not in ("student", "elderly") and rng.random() < 0.02)
        )
        if separate:
            # Who comes to the station: a parent, a grown-up child or the spouse.
            age = self.year - int(victim["birth_date"][:4])
            if profile == "minor":
                reporter = self.person(
                    "office" if rng.random() < 0.6 else "self_employed",
                    age=age + rng.randint(24, 38),
                    address=victim["address"],
                )
                relation = "儿子" if victim["sex"] == "M" else "女儿"
            elif age >= 55:
                reporter = self.person(
                    rng.choice(("office", "young", "self_employed")),
                    age=max(22, age - rng.randint(24, 34)),
                )
                relation = "父亲" if victim["sex"] == "M" else "母亲"
            else:
                reporter = self.person(
                    "office",
                    age=max(20, age + rng.randint(-4, 4)),
                    sex="M" if victim["sex"] == "F" else "F",
                    address=victim["address"],
                )
                relation = "妻子" if victim["sex"] == "F" else "丈夫"
        channel = kind.channels.pick(rng)
        occurred_from, occurred_to, discovered, reported = self.timeline(kind, quick_report=warned)
        count = kind.tx_count.pick(rng)
        if warned:
            count = rng.choice((0, 0, 1))
        tx_times = self.payment_times(occurred_from, occurred_to, count, ftype != "card_theft")
        gang = self.gang_for(ftype)
        payer_prefix, payer_len, payer_bank = _PAYER_BINS.pick(rng)
        payer_card = (payer_bank, luhn_complete(payer_prefix, payer_len, rng))
        # A fake boss asks a finance clerk for company money; a fake relative asks for less.
        boss = ftype == "impersonate_acquaintance" and (
            profile == "finance" or (profile == "office" and rng.random() < 0.3)
        )
        cap = MAX_AMOUNT_FEN if boss or ftype != "impersonate_acquaintance" else 8_000_000
        txs = self.transactions(kind, gang, tx_times, reporter, payer_card, cap)
        same_day = (discovered + 8 * 3600) // 86_400 == (reported + 8 * 3600) // 86_400
        story = _Story(
            self,
            ftype,
            victim,
            reporter,
            relation,
            gang,
            txs,
            occurred_from,
            source,
            warned=warned,
            card=payer_card,
            channel=channel,
            boss=boss,
            same_day=same_day,
        )
        narrative = _NARRATORS[ftype](story)
        channel = story.channel
        idents = self.identifiers(kind, gang, channel, txs, story.mentioned)
        working = profile in ("young", "office", "finance", "self_employed")
        place = self.workplace() if working and rng.random() < 0.3 else victim["address"]
        return _record(
            reported,
            source,
            reporter,
            victim if separate else None,
            occurred_from,
            None if rng.random() < 0.03 else occurred_to,
            discovered,
            place,
            ftype,
            channel,
            narrative,
            txs,
            idents,
        )

    def bank_counter_case(self) -> dict[str, Any]:
        """A bank teller stopped a customer at the counter and called the police."""
        rng = self.rng
        ftype = rng.choice(("impersonate_authority", "investment", "romance"))
        kind = _KINDS[ftype]
        victim = self.person(rng.choice(("elderly", "elderly", "rural_woman", "office")))
        staff = self.person("office")
        staff["occupation"] = "银行职员"
        occurred_from, occurred_to, discovered, reported = self.timeline(kind, quick_report=True)
        gang = self.gang_for(ftype)
        prefix, length, bank = _PAYER_BINS.pick(rng)
        card = (bank, luhn_complete(prefix, length, rng))
        count = rng.choice((0, 0, 1, 2))
        times = self.payment_times(occurred_from, occurred_to, count, True)
        txs = self.transactions(kind, gang, times, victim, card)
        intended = self.amounts(kind, 1)[0] * rng.choice((1, 2, 5))
        intended = min(max(intended, 3_000_000), MAX_AMOUNT_FEN)
        age = self.year - int(victim["birth_date"][:4])
        lure = {
            "impersonate_authority": "涉嫌洗钱，要把钱转到“安全账户”接受清查",
            "investment": "跟着“老师”投资的平台要追加本金才能提现",
            "romance": "网上认识的男友要一笔钱“周转”",
        }[ftype]
        earlier = ""
        if txs:
            total = sum(int(t["amount"].replace(".", "")) for t in txs)
            earlier = (
                f"经询问，{victim['name']}此前已向对方转账{len(txs)}笔共{_yuan_words(total)}元。"
            )
        narrative = (
            f"{bank}{rng.choice(('新华道', '建设路', '文化路', '惠民道', '光明路'))}支行工作人员"
            f"{staff['name']}报称：客户{victim['name']}（{age}岁）在柜台要求办理"
            f"{_yuan_words(intended)}元转账，神情紧张，一直在接听电话，称{lure}。"
            f"工作人员怀疑其遭遇电信网络诈骗，暂缓办理并报警求助。民警到场后对其进行劝阻，"
            f"该笔资金未转出。{earlier}"
        )
        idents = self.identifiers(kind, gang, "phone", txs)
        district = self.districts.pick(rng)[1]
        return _record(
            reported,
            "company_request",
            staff,
            victim,
            occurred_from,
            occurred_to,
            discovered,
            f"唐山市{district}{bank}营业网点",
            ftype,
            "phone",
            narrative,
            txs,
            idents,
        )

    def scam_call_tip(self) -> dict[str, Any]:
        """A citizen reports a scam call or message that did not fool them."""
        rng = self.rng
        ftype = rng.choice(
            (
                "impersonate_customer_service",
                "impersonate_authority",
                "flight_refund",
                "loan_credit",
                "card_theft",
            )
        )
        kind = _KINDS[ftype]
        reporter = self.person(kind.profiles.pick(rng))
        occurred_from, occurred_to, discovered, reported = self.timeline(kind, quick_report=True)
        gang = self.gang_for(ftype)
        pitch = {
            "impersonate_customer_service": "自称快递客服说包裹丢失要理赔，让下载会议软件共享屏幕",
            "impersonate_authority": "自称公安局民警说其涉嫌洗钱，要求添加QQ接受“远程笔录”",
            "flight_refund": "称其航班取消可办理改签理赔，让其点击链接填写银行卡信息",
            "loan_credit": "推销无抵押低息贷款，要求先交“保证金”",
            "card_theft": "称其ETC认证失效，让其点击链接重新认证",
        }[ftype]
        channel = (
            "sms"
            if ftype in ("flight_refund", "card_theft")
            else rng.choice(("phone", "phone", "sms"))
        )
        narrative = (
            f"举报人{reporter['name']}称：{_when(occurred_from, self.year)}，其接到号码"
            f"{gang.value('phone')}的{'短信' if channel == 'sms' else '电话'}，对方{pitch}。"
            f"其识破骗局未按对方要求操作，未造成损失，现将该号码举报，希望警方核查处理。"
        )
        idents = [self.identifier("phone", gang, channel)]
        if ftype in ("flight_refund", "card_theft"):
            idents.append(self.identifier("url", gang, channel))
        return _record(
            reported,
            "public_tip",
            reporter,
            None,
            occurred_from,
            occurred_to,
            discovered,
            reporter["address"],
            ftype,
            channel,
            narrative,
            [],
            idents,
        )

    def lead_case(self, source: str) -> dict[str, Any]:
        """A lead about trading bank cards and phone cards ("两卡"): no victim, no money."""
        rng = self.rng
        kind = _KINDS["other"]
        occurred_from, occurred_to, discovered, reported = self.timeline(kind)
        gang = self.gang_for("other")
        district = self.districts.pick(rng)
        spot = rng.choice(("一家宾馆", "一处出租屋", "一家网吧", "城中村", "一家电竞馆"))
        price = rng.choice((300, 500, 800, 1000, 1500))
        count = rng.choice((20, 50, 80, 100, 200, 600, 1000))
        if source == "public_tip":
            offer = rng.choice(("高价收卡", "兼职出租账户", "日结工资"))
            reporter = self.person(rng.choice(("young", "office", "self_employed", "elderly")))
            channel = "wechat"
            narrative = (
                f"举报人{reporter['name']}称：近期在{district[1]}{spot}附近，有人以“{offer}”"
                f"为名收购银行卡、手机卡，每套给{price}元，要求本人到银行开户后"
                f"将卡、U盾和手机卡一并交出。对方微信号{gang.value('wechat')}，"
                f"电话{gang.value('phone')}。举报人怀疑对方为电信网络诈骗团伙收集“两卡”，"
                f"特来举报。"
            )
            idents = [self.identifier("wechat", gang), self.identifier("phone", gang)]
        elif source == "company_request":
            reporter = self.person("office")
            city = rng.choice(("北京", "杭州", "深圳", "上海"))
            company = f"{city}{rng.choice(_COMPANY_WORDS)}网络科技有限公司"
            reporter["occupation"] = f"{company}安全专员"
            channel = "app"
            narrative = (
                f"{company}向我局求助称：其平台风控监测发现，有{count}余个用户账户在"
                f"{district[1]}集中注册、批量实名后转至外地登录使用，疑似有人组织买卖个人账户，"
                f"主要联系人QQ号{gang.value('qq')}，手机号{gang.value('phone')}。"
                f"企业已提供异常账户清单，请求警方协查。"
            )
            idents = [self.identifier("qq", gang), self.identifier("phone", gang)]
        else:
            reporter = self.person("office")
            reporter["occupation"] = "民警"
            channel = "other"
            narrative = (
                f"民警在工作中发现，{district[1]}{spot}内有多人频繁出入，经技术部门研判，"
                f"该处有人组织他人开办银行卡后集中收购，已查获银行卡{count}余张，"
                f"部分卡号与已报电信网络诈骗案件的收款账户吻合。"
            )
            idents = []
        bank, account, _ = gang.payees()[0]
        if bank and rng.random() < 0.7:
            idents.append(
                {"kind": "bank_account", "value": account, "note": "疑似被买卖的银行账户"}
            )
        return _record(
            reported,
            source,
            reporter,
            None,
            occurred_from,
            occurred_to,
            discovered,
            self.address(district, False) if rng.random() < 0.5 else f"唐山市{district[1]}{spot}",
            "other",
            channel,
            narrative,
            [],
            idents,
        )


def _record(
    reported: int,
    source: str,
    reporter: dict[str, Any],
    victim: dict[str, Any] | None,
    occurred_from: int,
    occurred_to: int | None,
    discovered: int,
    place: str,
    ftype: str,
    channel: str,
    narrative: str,
    txs: list[dict[str, Any]],
    idents: list[dict[str, str]],
) -> dict[str, Any]:
    return {
        "format": CASE_FORMAT,
        "reported_at": _iso(reported),
        "source": source,
        "reporter": reporter,
        "victim": victim,
        "incident": {
            "occurred_from": _iso(occurred_from),
            "occurred_to": _iso(occurred_to) if occurred_to is not None else "",
            "discovered_at": _iso(discovered),
            "place": place,
            "fraud_type": ftype,
            "contact_channel": channel,
            "narrative": narrative,
        },
        "transactions": txs,
        "identifiers": idents,
        "attachments": [],
    }


def _districts_for(hint: str) -> _Weighted:
    """District weights for a station hint: the whole city, or one district favoured.

    The hint may be a bare name ("唐山", "曹妃甸", "玉田县") or a unit's full name
    ("唐山市公安局曹妃甸分局滨海派出所"): the first district named in it wins.
    """
    text = hint.strip()
    whole = _Weighted(list(zip(_DISTRICTS, _DISTRICT_WEIGHTS, strict=True)))
    if text in ("", "唐山", "唐山市", "河北省唐山市"):
        return whole
    named = [(text.find(d[1][:-1]), i) for i, d in enumerate(_DISTRICTS) if d[1][:-1] in text]
    if "海港" in text:
        named.append((text.find("海港"), -1))
    if not named:
        if "唐山" in text:
            return whole
        raise ValueError(f"unknown station hint: {hint!r}")
    _, index = min(named)
    favoured = _HAIGANG if index < 0 else _DISTRICTS[index]
    pairs = [
        (d, w) for d, w in zip(_DISTRICTS, _DISTRICT_WEIGHTS, strict=True) if d is not favoured
    ]
    return _Weighted([(favoured, 3 * sum(w for _, w in pairs)), *pairs])


def generate_cases(
    n: int, *, seed: int = 0, now: datetime | None = None, station_hint: str = "唐山"
) -> Iterator[dict[str, Any]]:
    """Yield `n` varied intake-case/1 records (without uuid), all times before `now`.

    `station_hint` is the city ("唐山") or one of its districts ("曹妃甸区", "玉田", "海港"):
    a district hint puts three in four addresses there. Same seed and now, same records.
    """
    if n < 0:
        raise ValueError("n must not be negative")
    moment = DEFAULT_NOW if now is None else now
    moment = moment.replace(tzinfo=CST) if moment.tzinfo is None else moment.astimezone(CST)
    gen = _Generator(seed, moment, station_hint)
    for _ in range(n):
        yield gen.case()


# --- Narratives ---------------------------------------------------------------------------
#
# Written the way a front-desk officer records the brief facts (简要案情): who reports, when,
# how the suspects made contact, what the victim was told, what was paid, how it came out.

_METHOD_LABELS = {
    "bank_transfer": "银行转账",
    "alipay": "支付宝转账",
    "wechat_pay": "微信转账",
    "cash": "现金交付",
    "crypto": "购买虚拟币转出",
    "card_theft": "被盗刷",
    "other": "其他方式",
}
_METHOD_ONE = {
    "bank_transfer": "通过手机银行向对方提供的银行账户转账",
    "alipay": "通过支付宝向对方转账",
    "wechat_pay": "通过微信扫码向对方付款",
    "cash": "在银行取现后交给上门取款的陌生人，共",
    "crypto": "按对方指引购买USDT（泰达币）后转入对方钱包地址，折合人民币",
    "card_theft": "被盗刷",
    "other": "通过其他方式支付",
}
_VIA = {"qq": "QQ（{}）", "wechat": "微信（{}）", "url": "网址{}"}
# Where an advertisement or a group was seen, and the contact channel that implies.
_AD_PLACES = (
    ("抖音", "app"),
    ("快手", "app"),
    ("小红书", "app"),
    ("QQ群", "qq"),
    ("招聘网站", "website"),
    ("朋友圈", "wechat"),
)
_AGENCIES = (
    ("上海市公安局", "王警官"),
    ("北京市公安局", "李警官"),
    ("哈尔滨市公安局", "刘队长"),
    ("市医保局", "张科长"),
    ("市人民检察院", "陈检察官"),
    ("广州市公安局刑侦支队", "赵警官"),
    ("国家金融监督管理总局", "工作人员孙某"),
)


class _Story:
    """What a narrative needs to know about one case. Narrators also set `channel` to the way
    their story says the suspects made contact, and `mentioned` lists the identifiers named."""

    __slots__ = (
        "boss",
        "card",
        "channel",
        "ftype",
        "gang",
        "mentioned",
        "rel",
        "reporter",
        "rng",
        "same_day",
        "source",
        "txs",
        "v",
        "v1",
        "v1s",
        "victim",
        "vs",
        "warned",
        "when",
    )

    def __init__(
        self,
        gen: _Generator,
        ftype: str,
        victim: dict[str, Any],
        reporter: dict[str, Any],
        relation: str,
        gang: _Gang,
        txs: list[dict[str, Any]],
        start: int,
        source: str,
        *,
        warned: bool,
        card: tuple[str, str],
        channel: str,
        boss: bool,
        same_day: bool,
    ) -> None:
        self.rng = gen.rng
        self.same_day = same_day
        self.ftype = ftype
        self.victim = victim
        self.reporter = reporter
        self.rel = relation
        self.gang = gang
        self.txs = txs
        self.source = source
        self.warned = warned
        self.card = card
        self.channel = channel
        self.boss = boss
        self.mentioned: list[str] = []
        self.when = _when(start, gen.year)
        # The victim as first named, then as referred to, and the possessive forms of both.
        if relation:
            self.v1, self.v = f"其{relation}{victim['name']}", victim["name"]
            self.v1s, self.vs = f"{self.v1}的", f"{self.v}的"
        else:
            self.v1 = self.v = self.v1s = self.vs = "其"

    def say(self, kind: str) -> str:
        """A suspect identifier the narrative names; it then goes into the identifier list."""
        if kind not in self.mentioned:
            self.mentioned.append(kind)
        return self.gang.value(kind)

    def contact(self) -> str:
        """How the suspects were reached, as the victim tells it (and so the channel)."""
        kind = self.channel if self.channel in ("qq", "wechat", "phone") else None
        if kind is None:
            kind = self.rng.choice(("qq", "wechat", "wechat", "phone"))
            self.channel = kind
        label = {"qq": "QQ号", "wechat": "微信号", "phone": "电话"}[kind]
        return label + self.say(kind)

    def head(self) -> str:
        if self.warned:
            return (
                f"市反诈中心预警发现{self.victim['name']}疑似正在遭受电信网络诈骗，"
                f"民警随即电话联系并上门劝阻。经了解："
            )
        return f"报案人{self.reporter['name']}称："

    def where(self) -> str:
        if "宿舍" in self.victim["address"]:
            return "在宿舍"
        if self.victim["occupation"] in ("无业", "退休", "务农", "农民", "家庭主妇", "学生"):
            return "在家中"
        return self.rng.choice(("在家中", "在家中", "在单位", "下班途中"))

    def total(self) -> int:
        return sum(int(t["amount"].replace(".", "")) for t in self.txs)

    def paid(self) -> str:
        """The payments, as a clause that starts with the victim."""
        txs, v = self.txs, self.v
        if not txs:
            return f"{v}察觉异常，未按对方要求转账，未造成财产损失"
        if self.ftype == "card_theft":
            amount = _yuan_words(self.total())
            return f"被转走{amount}元" if len(txs) == 1 else f"被分{len(txs)}笔转走共{amount}元"
        if len(txs) == 1:
            tx = txs[0]
            amount = _yuan_words(int(tx["amount"].replace(".", "")))
            text = f"{v}{_METHOD_ONE[tx['method']]}{amount}元"
            if tx["payee_account"] and tx["payee_bank"] and self.rng.random() < 0.5:
                text += (
                    f"（收款账户：{tx['payee_bank']}{tx['payee_account']}，户名{tx['payee_name']}）"
                )
            return text
        labels: list[str] = []
        for tx in txs:
            label = _METHOD_LABELS[tx["method"]]
            if label not in labels:
                labels.append(label)
        return (
            f"{v}先后以{'、'.join(labels)}方式向对方支付{len(txs)}笔，"
            f"共计人民币{_yuan_words(self.total())}元"
        )

    def after(self, text: str) -> str:
        """What happened after paying; left out when nothing was paid or police stepped in."""
        return text if self.txs and not self.warned else ""

    def ending(self) -> str:
        if self.warned:
            return "民警对其进行了反诈宣传，并指导其保存证据。"
        if self.source == "instruction_110":
            return "随后拨打110报警，民警接110指令后到场处置。"
        if self.rel:
            return f"报案人得知后陪同{self.v}来所报案。"
        endings = ["遂来我所报案。", "现来所报案。"]
        if self.same_day:
            endings.append("于当日来所报案。")
        if self.txs:
            endings += ["现来所报案，要求追回损失。", "特来报案，请求警方止付、追回损失。"]
        return self.rng.choice(endings)


def _rebate(s: _Story) -> str:
    rng, g = s.rng, s.gang
    place, s.channel = rng.choice(_AD_PLACES)
    v = s.v
    if rng.random() < 0.5:
        group = rng.choice(("好评返利2群", "兼职日结福利群", "抖音点赞任务群", "宝妈兼职交流群"))
        shop = rng.choice(("抖音", "淘宝", "拼多多", "京东"))
        app = f"下载APP“{s.say('app')}”" if g.value("app") else "按要求注册账号"
        body = (
            f"{s.when}，{s.v1}{s.where()}通过{place}被拉入名为“{group}”的群聊，群内称给"
            f"{shop}店铺刷单、点赞关注可获取佣金。{v}{app}并做了几单小额任务，"
            f"先后收到返利{rng.randint(3, 60)}元。随后对方以“连单任务”“卡单需补单”为由，"
            f"要求{v}继续垫付，{s.paid()}。"
            + s.after(f"之后平台称操作失误需缴纳解冻金方可提现，{v}意识到被骗。")
        )
    else:
        body = (
            f"{s.when}，{s.v1}在{place}上看到“在家兼职、日结佣金”的广告，添加对方"
            f"{s.contact()}后，被派单给商品点赞、刷单。前两单各返利数十元，对方随后称"
            f"进入“团队任务”，必须完成全部订单才能一次性返还本金和佣金。{s.paid()}。"
            + s.after(f"对方又以“信誉分不足”为由要求继续充值，{v}拒绝后被拉黑。")
        )
    return s.head() + body + s.ending()


def _investment(s: _Story) -> str:
    rng, g, v = s.rng, s.gang, s.v
    product = rng.choice(("黄金期货", "外汇", "虚拟币合约", "原始股", "新能源项目", "港股打新"))
    if "elderly" in s.victim["groups"] and rng.random() < 0.5:
        product = rng.choice(("养老项目", "康养基金"))
    app = f"“{s.say('app')}”" if g.value("app") else "一个投资"
    alias = g.value("alias")
    if rng.random() < 0.5:
        met, s.channel = rng.choice(
            (
                ("微信群", "wechat"),
                ("短视频直播间", "app"),
                ("QQ群", "qq"),
                ("朋友介绍的微信", "wechat"),
            )
        )
        body = (
            f"{s.when}，{s.v1}通过{met}结识自称“{alias}”的人，对方每天分享“内部消息”，"
            f"并推荐{v}下载{app}平台（网址{s.say('url')}）做{product}。"
            + (f"{v}起初小额投入获利并成功提现，随后陆续加大投入，" if s.txs else "")
            + f"{s.paid()}。"
            + s.after(
                f"近日{v}申请提现时，平台以“账户异常需缴纳保证金”“个人所得税”为由"
                f"拒绝出金，客服失联，遂发现被骗。"
            )
        )
    else:
        s.channel = "app"
        profit = rng.randint(2, 30) * 10_000
        body = (
            f"{s.v1}自{s.when}起在{app}平台上按“{alias}”的指导做{product}，"
            f"对方称该平台有内幕渠道、稳赚不赔。{s.paid()}。"
            + s.after(
                f"平台账面显示盈利{profit}元，但一直无法提现，对方又以缴纳风险金等理由继续要钱。"
            )
        )
    return s.head() + body + s.ending()


def _shopping(s: _Story) -> str:
    rng, v = s.rng, s.v
    place = rng.choice(("闲鱼", "朋友圈", "抖音", "QQ群", "同城论坛", "快手"))
    if rng.random() < 0.6:
        item = rng.choice(
            (
                "二手iPhone",
                "演唱会门票",
                "低价白酒",
                "二手电动车",
                "品牌奶粉",
                "二手挖掘机配件",
                "布偶猫",
                "低价手机",
            )
        )
        body = (
            f"{s.when}，{s.v1}在{place}上看到有人低价出售{item}，与卖家{s.contact()}"
            f"联系后，按对方要求绕开平台交易，{s.paid()}。"
            + s.after(
                f"付款后对方以“需交保证金”“物流被扣需缴费”为由再次索要费用，"
                f"后将{v}拉黑，货物始终未收到。"
            )
        )
    else:
        service = rng.choice(
            ("驾照消分", "代办健康证", "代抢演唱会门票", "代办居住证", "办理加急护照")
        )
        body = (
            f"{s.when}，{s.v1}为{service}，通过{place}联系到自称能“内部办理、当天出结果”"
            f"的人（{s.contact()}），{s.paid()}。"
            + s.after("对方收款后以“手续没走完”为由拖延，随后失联。")
        )
    return s.head() + body + s.ending()


def _customer_service(s: _Story) -> str:
    rng, g, v = s.rng, s.gang, s.v
    s.channel = "phone"
    company = rng.choice(("京东", "淘宝", "抖音", "顺丰快递", "中通快递", "拼多多", "美团"))
    pretext = rng.choice(
        (
            "快递丢失，可办理双倍理赔",
            "误开通了“百万保障”业务，每月将自动扣费",
            "购买的商品检测出质量问题需退款",
            "会员即将自动续费，需要关闭",
            "学生身份误开通了代理商资格，不关闭会影响征信",
        )
    )
    phone = s.say("phone")
    app = s.say("app") if g.value("app") else "会议软件"
    body = (
        f"{s.when}，{s.v1}接到自称“{company}客服”的电话（{phone}），对方准确说出{s.vs}"
        f"订单信息，称{pretext}。对方引导{v}下载“{app}”并开启屏幕共享，以“验证流水”"
        f"“解除绑定”为由要求操作，{s.paid()}。"
    )
    if s.txs and rng.random() < 0.5:
        body += f"挂断电话后{v}查看银行卡余额，才意识到被骗。"
    return s.head() + body + s.ending()


def _loan(s: _Story) -> str:
    rng, g, v = s.rng, s.gang, s.v
    if rng.random() < 0.65:
        s.channel = "app"
        loan = rng.choice((2, 3, 5, 8, 10, 20, 30)) * 10_000
        app = f"“{s.say('app')}”APP" if g.value("app") else "对方发来的APP"
        seen = rng.choice(("抖音上", "短信中", "网页上", "朋友圈里"))
        body = (
            f"{s.when}，{s.v1}因资金周转需要，在{seen}看到“无抵押、低息、快速放款”的"
            f"贷款广告，下载{app}后申请贷款{loan}元。平台随即显示“银行卡号填写错误，"
            f"资金被冻结”，客服要求{v}缴纳解冻金、保证金，{s.paid()}。"
            + s.after(f"之后对方又以“流水不足”为由要求继续转账，{v}发现被骗。")
        )
    else:
        s.channel = "phone"
        who = rng.choice(("某金融平台", "某银行信用卡中心", "网贷平台"))
        body = (
            f"{s.when}，{s.v1}接到自称“{who}客服”的电话（{s.say('phone')}），称{v}"
            f"早年开通过校园贷账户，如不注销将影响个人征信。对方要求{v}将名下网贷额度"
            f"借出后转入“指定账户”进行“清零”，{s.paid()}。"
        )
    return s.head() + body + s.ending()


def _acquaintance(s: _Story) -> str:
    rng, v = s.rng, s.v
    if s.boss:
        s.channel = "qq"
        title = rng.choice(("总经理", "董事长", "老板", "厂长"))
        reason = rng.choice(("合同保证金", "工程款", "货款", "投标保证金"))
        paid = f"便{s.paid()[len(v) :]}" if s.txs else "准备转账时被同事提醒，未造成损失"
        body = (
            f"{s.when}，{s.v1}{s.where()}收到一个昵称和头像与单位{title}相同的QQ号"
            f"（{s.say('qq')}）的好友申请，通过后被拉入一个“工作群”，对方称有一笔{reason}"
            f"急需支付，要求{v}先向指定账户转账。{v}未电话核实，{paid}。"
            + s.after(f"后{v}当面向{title}核实时发现被骗。")
        )
    else:
        s.channel = "wechat"
        relative = rng.choice(("儿子", "外甥", "老同学", "表哥", "侄女", "战友"))
        story = rng.choice(
            (
                "在外地出了车祸要交押金",
                "换了新手机号，帮朋友周转货款",
                "在学校参加培训需交费",
                "住院急需交押金",
            )
        )
        body = (
            f"{s.when}，{s.v1}微信收到自称{relative}的消息（微信号{s.say('wechat')}），"
            f"称自己{story}，急需用钱且不方便接电话。{s.paid()}。"
            f"后{v}给{relative}打电话核实，才发现对方是冒充的。"
        )
    return s.head() + body + s.ending()


def _authority(s: _Story) -> str:
    rng, v = s.rng, s.v
    s.channel = "phone"
    agency, officer = rng.choice(_AGENCIES)
    crime = rng.choice(("洗钱", "非法出售个人信息", "医保卡违规套现", "跨境赌博资金流转"))
    phone = s.say("phone")
    via_kind = rng.choice(("qq", "wechat", "url"))
    via = _VIA[via_kind].format(s.say(via_kind))
    body = (
        f"{s.when}，{s.v1}接到自称“{agency}{officer}”的电话（{phone}），对方称{v}名下的"
        f"银行卡涉嫌{crime}，要求配合调查并保密，不得告诉家人。随后对方通过{via}发来"
        f"“逮捕令”“冻结令”截图，要求{v}将资金转入“安全账户”进行“资金清查”。"
        f"{s.paid()}。"
    )
    if s.txs and not s.warned and rng.random() < 0.5:
        body += f"{v}后与家人说起此事，才知被骗。"
    return s.head() + body + s.ending()


def _romance(s: _Story) -> str:
    rng, g, v = s.rng, s.gang, s.v
    persona = rng.choice(
        (
            "在新加坡做跨境电商的单身人士",
            "部队军官",
            "离异的企业高管",
            "海外医生",
            "在外地做工程的老板",
        )
    )
    pretext = rng.choice(
        ("带其一起在“内部平台”投资", "家人住院急需手术费", "见面前需交路费", "海外包裹清关需交费用")
    )
    place, s.channel = rng.choice(
        (
            ("婚恋网站", "website"),
            ("交友APP", "app"),
            ("短视频平台", "app"),
            ("微信“附近的人”", "wechat"),
        )
    )
    body = (
        f"{s.v1}自{s.when}起通过{place}结识网友“{g.value('nick')}”"
        f"（微信号{s.say('wechat')}），对方自称{persona}，两人很快以恋人相称。"
        f"对方以{pretext}为由要钱，{s.paid()}。" + s.after(f"之后对方逐渐失联，{v}意识到被骗。")
    )
    return s.head() + body + s.ending()


def _game(s: _Story) -> str:
    rng, g, v = s.rng, s.gang, s.v
    s.channel = "app"
    game = rng.choice(("王者荣耀", "和平精英", "原神", "蛋仔派对", "我的世界", "梦幻西游"))
    item = rng.choice(("游戏账号", "皮肤", "点券", "装备"))
    deal = rng.choice(("购买", "出售"))
    body = (
        f"{s.when}，{s.v1}在{game}中与玩家“{g.value('nick')}”商议{deal}{item}，"
        f"对方（QQ号{s.say('qq')}）引导{v}到一个交易平台（网址{s.say('url')}）交易。"
        f"平台显示{s.vs}账户因“信息填写错误被冻结”，需充值解冻，{s.paid()}。"
        + s.after("之后对方失联。")
    )
    if s.rel and s.txs:
        body += f"{v}所付款项系使用家长手机支付。"
    return s.head() + body + s.ending()


def _flight(s: _Story) -> str:
    rng, v = s.rng, s.v
    s.channel = "sms"
    route = rng.choice(
        ("唐山飞往昆明", "北京大兴飞往三亚", "天津飞往成都", "唐山飞往广州", "北京首都飞往深圳")
    )
    flight = rng.choice(("MU", "CA", "HU", "GS", "CZ")) + str(rng.randint(1000, 9899))
    comp = rng.choice((200, 300, 500, 800))
    body = (
        f"{s.when}，{s.v1}收到短信（号码{s.say('phone')}）称其预订的{route}的{flight}"
        f"航班因“机械故障”取消，可办理改签并获赔偿{comp}元，短信附有链接{s.say('url')}。"
        f"{v}按短信内客服电话联系后，对方引导其打开手机银行进行“理赔验证”，{s.paid()}。"
    )
    return s.head() + body + s.ending()


def _card_theft(s: _Story) -> str:
    rng, v = s.rng, s.v
    bank, account = s.card
    tail = account[-4:]
    if rng.random() < 0.6:
        s.channel = "sms"
        lure = rng.choice(
            ("ETC认证失效", "积分即将清零可兑换现金", "医保卡余额清零", "快递派送异常")
        )
        body = (
            f"{s.when}，{s.v1s}手机连续收到{rng.randint(5, 40)}条验证码短信，随后收到"
            f"{bank}扣款提醒，名下尾号{tail}的银行卡{s.paid()}。{v}称未向他人透露过验证码，"
            f"事前曾点击过一条“{lure}”的短信链接（{s.say('url')}）。"
        )
    else:
        s.channel = "phone"
        body = (
            f"{s.when}，{s.v1}发现手机信号突然消失，恢复后收到多条银行短信，尾号{tail}的"
            f"{bank}卡{s.paid()}。此前{v}曾接到号码{s.say('phone')}的来电，对方自称"
            f"运营商客服，要求办理“5G升级”。"
        )
    return s.head() + body + s.ending()


def _other(s: _Story) -> str:
    rng, v = s.rng, s.v
    roll = rng.randrange(3)
    if roll == 0:
        s.channel = "email"
        event = rng.choice(("周年庆", "幸运抽奖", "节目互动"))
        prize = rng.choice(("笔记本电脑", "小轿车", "现金大奖"))
        body = (
            f"{s.when}，{s.v1}收到一封邮件（发件人{s.say('email')}），称其在“{event}”"
            f"活动中抽中{prize}，领奖前需缴纳个人所得税和公证费，{s.paid()}。"
            + s.after(f"之后对方继续以各种名义要钱，{v}察觉被骗。")
        )
    elif roll == 1:
        s.channel = "wechat"
        body = (
            f"{s.when}，{s.v1}通过网络结识陌生人（微信号{s.say('wechat')}），对方诱导其"
            f"进行视频聊天并录屏，随后以将视频发给其亲友相威胁索要钱财，{s.paid()}。"
        )
    else:
        body = (
            f"{s.when}，{s.v1}在网上求职时，对方（{s.contact()}）称录用前需参加岗前培训"
            f"并缴纳培训费、服装费，{s.paid()}。" + s.after("之后对方失联。")
        )
    return s.head() + body + s.ending()


_NARRATORS: dict[str, Callable[[_Story], str]] = {
    "rebate_task": _rebate,
    "investment": _investment,
    "shopping_service": _shopping,
    "impersonate_customer_service": _customer_service,
    "loan_credit": _loan,
    "impersonate_acquaintance": _acquaintance,
    "impersonate_authority": _authority,
    "romance": _romance,
    "game_trade": _game,
    "flight_refund": _flight,
    "card_theft": _card_theft,
    "other": _other,
}
