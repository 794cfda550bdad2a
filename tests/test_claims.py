"""Numbers in our own words (casebook/claims.py) on sentences written in the genre's styles: names, ordinals,
years, set phrases and rounded figures pass; numbers no figure supports, vague words next to an exact figure and
averages stated as if they held for everyone are found. The figures are those of a made-up case."""
from __future__ import annotations

import pytest

from casebook.claims import check_text, figures_of

CASE = {"metrics": [
    {"metric": "members-registered", "value": 112, "unit": "位", "scope": "主动亮明身份的流动老党员",
     "scope_en": "Mobile veteran members who declared their membership", "evidence": "112位流动老党员主动亮明身份"},
    {"metric": "volunteer-teams", "value": 29, "unit": "个", "scope": "特色志愿服务队", "scope_en": "Themed volunteer teams",
     "evidence": "29个特色志愿服务队"},
    {"metric": "average-age", "value": 68, "unit": "岁", "scope": "巧手婆婆的平均年龄", "scope_en": "Average age of the women",
     "evidence": "平均年龄68岁的巧手婆婆"},
    {"metric": "practice-duration", "value": 3, "unit": "年", "qualifier": "nearly", "scope": "工作走向成熟历时",
     "scope_en": "Time the work took to mature", "evidence": "历时近3年"},
    {"metric": "mobile-member-share", "value": 7, "unit": "成", "scope": "流动党员占党员比例", "scope_en": "Share of mobile members",
     "evidence": "这个比例高达7成"},
    {"metric": "funds-raised", "value": 20.51, "unit": "万元", "scope": "老同志捐款", "scope_en": "Money donated", "evidence": "捐款20.51万元"},
    {"metric": "volunteers", "value": 1000, "unit": "人", "qualifier": "over", "scope": "社区志愿者", "scope_en": "Community volunteers",
     "evidence": "志愿者1000多人"},
    {"metric": "funding", "value": 300, "unit": "元", "scope": "每月工作补贴", "scope_en": "Monthly allowance", "evidence": "补贴300元"},
]}
FIGURES = figures_of(CASE, {"average-age": {"zh": "平均年龄"}})
QUOTE = ["网格党支部党员每月上门一次看望困难流动老党员"]
ARTICLE = {1.0, 2.0, 3.0, 4.0, 5.0, 80.0}  # numbers the made-up article has besides the figures

GOOD_ZH = [
    "推行“12345”工作法和“1+6”志愿服务体系，落实“三报到”“双报到”制度。",
    "一是建强组织，二是搭建平台，三是健全机制，四要常态长效。",
    "党的十八大以来，社区坚持“两学一做”和“三会一课”，由第一书记带头，十九届四中全会后继续推进。",
    "2017年起试点，2018年3月推广，9月初总结经验，二〇一九年形成制度。",
    "每月一次上门走访，一名老党员结对一户困难群众，形成一批骨干，进一步统一思想。",
    "依托四位一体平台开展“服务进万家”，惠及千家万户，12345热线和24小时服务热线同时开通。",
    "先后有112名流动老党员亮明身份，一百余名老党员成为骨干，工作历时近三年。",
    "社区七成党员是流动党员，29个特色志愿服务队由他们领头。",
    "老同志捐款20.51万元，另一说法为205100元；志愿者1000多人，千余名志愿者参与；每月补贴300元。",
    "巧手婆婆平均年龄68岁；为80岁以上老人送餐；庆祝建党100周年；落实“十四五”规划。",
    "每个月第二个星期四是志愿服务日，网格员几乎每天巡查，分三步推进。",
]
GOOD_EN = [
    'Under the "12345" method and the 1+6 system, first the branches, second the teams.',
    "In 2017 the pilot began; since March 2018 and on 1 July each year the branches meet at 4:30.",
    "112 mobile veterans came forward; more than a hundred now lead teams, over nearly three years.",
    "Seven in ten members are mobile; 29 themed teams; over 1,000 volunteers; 205,100 yuan donated.",
    "After the 19th Party Congress and COVID-19, 5G services, a four-step method, one by one.",
    "The women have an average age of 68, and a monthly allowance of 300 yuan is paid.",
]
BAD = [  # (text, english, words the finding must contain)
    ("以数十支特色志愿服务队为载体", False, "'数十支' is vague"),
    ("组建了三十支特色志愿服务队", False, "the number 30"),
    ("一百五十名流动老党员亮明身份", False, "the number 150"),
    ("上百名流动老党员亮明身份", False, "'上百名' is vague"),
    ("巧手婆婆都已68岁", False, "is an average"),
    ("工作超过三年", False, "says more than 3"),
    ("近千名社区志愿者", False, "says less than 1000"),
    ("dozens of themed volunteer teams", True, "'dozens' is vague"),
    ("150 mobile veterans declared their membership", True, "the number 150"),
    ("thirty themed teams", True, "the number 30"),
    ("the women are all 68", True, "is an average"),
]


@pytest.mark.parametrize("text", GOOD_ZH + GOOD_EN)
def test_supported_or_not_a_figure(text):
    assert check_text(text, text in GOOD_EN, FIGURES, QUOTE, ARTICLE) == []


@pytest.mark.parametrize("text, english, expected", BAD)
def test_unsupported_vague_or_average_is_found(text, english, expected):
    findings = check_text(text, english, FIGURES, QUOTE, ARTICLE)
    assert len(findings) == 1 and expected in findings[0].message, findings
