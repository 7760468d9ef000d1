"""Sample leads and prevention events for the demo station, in the shape the forms produce."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

_COMPANIES = (
    "某互联网公司安全中心",
    "某支付机构风控部",
    "某电商平台风控中心",
    "某通信运营商唐山分公司",
)
_LEAD_STORIES = (
    ("company_request", "平台发现有人在群内收购个人银行卡及支付账户", "bank_account"),
    ("public_tip", "群众举报邻村有人高价收购手机卡、银行卡", "phone"),
    ("found_at_work", "巡查中发现网吧内有人集中办理转账并出借账户", "bank_account"),
    ("company_request", "支付机构反映多个账户短时间内集中收付刷单款项", "alipay"),
    ("public_tip", "群众举报有人在微信群招募“跑分”人员", "wechat"),
)
# (kind, target group, audience range, places, notes)
_EVENTS = (
    (
        "street_campaign",
        "unemployed",
        (60, 300),
        ("滨海镇中心广场", "滨海镇集市", "人力资源市场门口"),
        "设置咨询台，发放反诈宣传折页，讲解刷单返利、虚假贷款骗局",
    ),
    (
        "street_campaign",
        "rural_women",
        (40, 200),
        ("滨海镇集市", "南堡村文化广场", "八里滩村委会"),
        "入村宣传，讲解网络婚恋交友、冒充熟人骗局，指导安装国家反诈中心APP",
    ),
    (
        "lecture",
        "students",
        (80, 500),
        ("曹妃甸区第一中学", "唐山学院曹妃甸校区", "滨海镇中学"),
        "开展反诈讲座，讲解游戏装备交易、刷单返利骗局",
    ),
    (
        "lecture",
        "finance_staff",
        (20, 80),
        ("工业区管委会会议室", "曹妃甸港务公司"),
        "为企业财会人员讲解冒充领导、熟人骗局和转账核实流程",
    ),
    (
        "bank_counter",
        "elderly",
        (10, 60),
        ("唐山银行滨海支行", "农业银行曹妃甸支行", "邮储银行滨海营业所"),
        "在银行网点提示大额转账风险，讲解冒充公检法、养老投资骗局",
    ),
    (
        "online_post",
        "self_employed",
        (500, 5000),
        ("派出所微信公众号", "辖区商户微信群"),
        "发布虚假网络投资理财、冒充客服退款骗局案例",
    ),
)


def _account(rng: random.Random) -> str:
    return "6222" + "".join(rng.choice("0123456789") for _ in range(15))


def _identifier(kind: str, rng: random.Random) -> dict[str, str]:
    if kind == "bank_account":
        return {"kind": kind, "value": _account(rng)}
    if kind in ("phone", "alipay"):
        return {
            "kind": kind,
            "value": "1" + rng.choice("3578") + "".join(rng.choice("0123456789") for _ in range(9)),
        }
    return {
        "kind": kind,
        "value": "pf" + "".join(rng.choice("abcdefgh0123456789") for _ in range(8)),
    }


def generate_leads(n: int, *, seed: int, now: datetime) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    for _ in range(n):
        source, summary, kind = rng.choice(_LEAD_STORIES)
        at = now - timedelta(minutes=rng.randint(60, 60 * 24 * 60))
        yield {
            "received_at": at.isoformat(timespec="seconds"),
            "source": source,
            "source_detail": rng.choice(_COMPANIES) if source == "company_request" else "",
            "summary": summary,
            "narrative": f"{summary}，涉及账户若干，已登记待核查。",
            "identifiers": [_identifier(kind, rng) for _ in range(rng.randint(1, 3))],
        }


def generate_prevention(n: int, *, seed: int, now: datetime) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    for _ in range(n):
        kind, group, (low, high), places, notes = rng.choice(_EVENTS)
        yield {
            "held_on": (now.date() - timedelta(days=rng.randint(0, 60))).isoformat(),
            "kind": kind,
            "place": rng.choice(places),
            "target_group": group,
            "audience": rng.randint(low, high),
            "notes": notes,
        }
