"""Dates as articles write them (casebook/dates.py): what a record's dates are checked against."""
from __future__ import annotations

import pytest

from casebook.dates import after, dates_in, dates_in_address, expand, start_dates_in


@pytest.mark.parametrize("text, year, expected", [
    ("发布时间:2019年09月24日07:40", None, {"2019", "2019-09", "2019-09-24"}),
    ("2021-8-17 15:03", None, {"2021", "2021-08", "2021-08-17"}),
    ("日期:2019-11-27", None, {"2019", "2019-11", "2019-11-27"}),
    ("2018年10月30日16:02", None, {"2018", "2018-10", "2018-10-30"}),
    ("二〇一九年九月", None, {"2019", "2019-09"}),
    ("2018年7月至2019年9月期间", None, {"2018", "2018-07", "2019", "2019-09"}),
    ("先锋引领2019 主题", None, {"2019"}),
    ("老同志参与疫情防控达2000余人次", None, set()),  # a count, not a year
    ("9月初,部分兄弟省市", 2019, {"2019", "2019-09"}),  # a month in the article's year
    ("9月初", None, set()),
    ("去年以来帮扶100人,今年3月新建", 2021, {"2020", "2021", "2021-03"}),
    ("近年来, 目前, 截止目前", 2021, set()),
    ("2019年2月30日", None, {"2019", "2019-02"}),  # not a real day: the month is read
])
def test_dates_in(text, year, expected):
    assert dates_in(text, year) == expected


def test_dates_in_an_address():
    assert dates_in_address("http://dangjian.people.com.cn/n1/2018/1030/c117092-30372136.html") >= {"2018"}
    assert "2019-09-24" in dates_in_address("https://news.example.cn/201909/t20190924_123.html")
    assert dates_in_address("") == set()


def test_start_of_a_count():
    assert start_dates_in("从2018年3月起每月给予离退休党支部书记工作补贴300元") == {"2018-03"}
    assert start_dates_in("2017年以来共给予了2个离退休干部党支部活动经费") == {"2017"}
    assert start_dates_in("2020年,全区各银发先锋之家共组织活动28次") == set()


def test_precision_and_order():
    assert expand("2019-09-24") == {"2019", "2019-09", "2019-09-24"}
    assert after("2019-10", "2019-09-24") and not after("2019", "2019-09-24") and not after("2019-09", "2019-09-24")
