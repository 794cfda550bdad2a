"""The importer's wing piece by piece: punctuation repair, figures in any script, places from the
gazetteer, measures from structure, the report and its JSON, and what `make check` shows after an import."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from casebook.contrib import cleaning, figures, importer, measures, places
from casebook.load import load_data
from casebook.textnorm import numbers_in
from casebook.validate import validate
from casebook.yamlsafe import load_yaml_file

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT / "tests" / "contrib_eval"
REGIONS = load_yaml_file(ROOT / "data" / "regions.yml", "regions")[0].data


def _figures(text: str) -> list[tuple]:
    return [(f.value, f.unit, f.qualifier) for f in figures.find_figures([text])]


def test_doubled_punctuation_is_repaired():
    assert cleaning.normalise_punctuation("建强队伍，，夯实基础。。共有队员12名，。") == "建强队伍，夯实基础。共有队员12名。"
    assert cleaning.normalise_punctuation("真的吗？！") == "真的吗？！"


@pytest.mark.parametrize("text, expected", [
    ("吸纳老党员一万余名", [(10000, "名", "over")]),
    ("安排经费20.51万元", [(20.51, "万元", None)]),
    ("流动党员占近4成", [(4, "成", "nearly")]),
    ("占比10.7%", [(10.7, "%", None)]),
    ("采纳率达到百分之八十五", [(85, "%", None)]),
    ("现有离退休干部两千余名，其中党员一千三百余名", [(2000, "名", "over"), (1300, "名", "over")]),
    ("受众达1.2萬人次", [(12000, "人次", None)]),
    ("退休二十年来讲党课200余场", [(20, "年", None), (200, "场", "over")]),
    ("每个议事厅配备议事员不少于15名", [(15, "名", "at-least")]),
    ("每人联系居民30户左右", [(30, "户", "about")]),
    ("调解成功率达97%以上", [(97, "%", "at-least")]),
    ("收集意见建议500余条，形成报告20余篇", [(500, "条", "over"), (20, "篇", "over")]),
    ("60岁及以上人口已超过2.8亿", [(60, "岁", "at-least"), (280000000, "人", "over")]),
])
def test_figures_in_any_script(text, expected):
    assert _figures(text) == [(float(v), u, q) for v, u, q in expected]
    for figure in figures.find_figures([text]):  # the validator's number check reads the same value in the quote
        assert figure.value in numbers_in(figure.evidence)


@pytest.mark.parametrize("text", [
    "2019年11月27日召开会议", "第二网格的老党员", "获得市级一等奖", "一是建强队伍", "（一）设立调解室",
    "探索“12345”工作法", "“1+6”志愿服务体系", "“一”支队伍：以先锋队为龙头", "每月召开一次", "千家万户",
    "三四个老党员", "上世纪八十年代建成", "“十四五”期间", "增强四个意识", "每天早上7:30", "每月开展活动2次",
    "开通24小时服务热线", "二〇一九年以来", "党的二十届三中全会", "三天两头上门",
])
def test_not_figures(text):
    assert _figures(text) == []


@pytest.mark.parametrize("header, date, publisher, author", [
    ("合肥晚报 记者 王晓东", "", "合肥晚报", "王晓东"),
    ("四川日报全媒体记者 陈松", "", "四川日报", "陈松"),
    ("黑龙江日报 2023-10-12", "2023-10-12", "黑龙江日报", ""),
    ("发布日期：2023年11月03日 信息来源：五华区融媒体中心", "2023-11-03", "五华区融媒体中心", ""),
])
def test_metadata_from_bylines(header, date, publisher, author):
    body = "街道组织老党员参与社区治理，成立服务队，开展志愿服务活动，受到居民欢迎。"
    cleaned = cleaning.clean_text(f"某某街道老党员服务队受欢迎\n{header}\n{body}\n")
    meta = cleaning.find_metadata(cleaned)
    assert (meta.date, meta.publisher, meta.author) == (date, publisher, author)
    assert cleaned.paragraphs == [body]  # the byline is not a paragraph of the article


def _place(name: str) -> places.Place:
    cleaned = cleaning.clean_text((EVAL / name).read_text(encoding="utf-8"))
    return places.find_place(cleaned.title, cleaned.paragraphs, REGIONS)


def test_a_prefecture_city_names_its_province():
    place = _place("05-zaozhuang-shizhong.txt")  # 棗莊市市中區: 市中区 is in four cities, 枣庄 in one province
    assert (place.province, place.city, place.county, place.division_code) == ("shandong", "枣庄市", "市中区", "370402")
    assert "枣庄市 (title)" in place.decided_by


def test_xian_is_not_beijing():
    place = _place("02-xian-beilin.txt")  # the text also names 北京 and 朝阳 (learnt from there)
    assert place.province == "shaanxi" and place.community == "建设路社区" and place.level == "community"


def test_places_cited_from_party_history_or_streets_do_not_count():
    place = places.find_place("老党员讲好红色故事", ["钟楼区委老干部局组织老党员重温延安精神、遵义会议精神，在北京路社区开展宣讲。"],
                              REGIONS)
    assert place.province == "jiangsu" and place.county == "钟楼区"  # 钟楼区 is Changzhou's; 延安, 遵义, 北京 are not places here
    alone = places.find_place("老党员讲好红色故事", ["社区组织老党员重温延安精神，赴井冈山学习。"], REGIONS)
    assert not alone.decided
    words = places.find_place("老党员服务队进小区", ["市委和县委组织老党员在小区东区开展服务，覆盖新县城。"], REGIONS)
    assert not words.decided and not words.candidates  # 和县, 东区, 新县 are counties, but not here


def test_a_township_settles_which_county_of_that_name():
    # 新城区 is in Xi'an and in Hohhot; only Hohhot's has a 西街街道
    place = places.find_place("新城区西街街道老党员组建红色突击小队", ["社区党委把离退休老党员组织起来，参与社区治理。"], REGIONS)
    assert (place.province, place.city, place.county) == ("neimenggu", "呼和浩特市", "新城区")
    assert "西街街道 (title)" in place.decided_by


def test_two_provinces_in_the_opening_are_a_question():
    place = _place("08-hu-su.txt")
    assert not place.decided
    assert {"shanghai", "jiangsu"} <= set(place.candidates) and "苏州市" in place.candidates["jiangsu"]


def test_no_place_is_a_question():
    assert not _place("06-no-place.txt").decided


def test_given_province_still_fills_the_locality():
    cleaned = cleaning.clean_text((EVAL / "15-xiamen-siming.txt").read_text(encoding="utf-8"))
    place = places.find_place(cleaned.title, cleaned.paragraphs, REGIONS, province="fujian")
    assert place.given and (place.city, place.county, place.township) == ("厦门市", "思明区", "鹭江街道")


@pytest.mark.parametrize("paragraphs, names", [
    (["街道探索三项做法。其一，建强队伍。街道选聘老党员担任楼长。其二，完善机制。每月召开议事会。"], ["建强队伍", "完善机制"]),
    (["① 建立台账。社区为每名老党员建立档案。", "② 结对帮扶。老党员与困难群众结对。"], ["建立台账", "结对帮扶"]),
    (["第一步：摸底登记。社区逐户走访，登记老党员特长。第二步：分类编组。按特长编入服务队。"], ["摸底登记", "分类编组"]),
])
def test_measures_from_more_markers(paragraphs, names):
    assert [m.name for m in measures.find_measures(paragraphs)] == names


def test_a_given_province_that_disagrees_with_the_text_is_reported():
    cleaned = cleaning.clean_text((EVAL / "15-xiamen-siming.txt").read_text(encoding="utf-8"))
    place = places.find_place(cleaned.title, cleaned.paragraphs, REGIONS, province="hubei")
    assert place.province == "hubei" and "福建省" in place.reason and "厦门市" in place.reason


def test_measures_from_lead_phrases_and_headings():
    found = measures.find_measures(["近年来，街道组织老党员参与治理，取得明显成效，群众满意度不断提升，得到上级肯定。",
                                    "突出政治优势，建强宣讲队伍。街道从退休干部中选聘宣讲员，组建宣讲团。",
                                    "创新宣讲形式，扩大覆盖面。宣讲团采取院坝会等形式开展宣讲。"])
    assert [(m.name, m.marker, m.paragraph) for m in found] == [
        ("突出政治优势，建强宣讲队伍", "lead phrase", 2), ("创新宣讲形式，扩大覆盖面", "lead phrase", 3)]
    assert found[0].evidence == "街道从退休干部中选聘宣讲员，组建宣讲团"
    # sentences of a story are not lead phrases, even two of them
    assert measures.find_measures(["老党员老王刚进来，社区书记便迎上前：“大家正等您呢！”活动室里很热闹。",
                                   "不一会儿，活动室就坐满了人。大家围坐一圈商量小区的事。"]) == []
    # one short sentence alone is not a structure
    assert measures.find_measures(["强化服务保障。区财政每年列支经费5.6万元，为讲师团配备设备。"]) == []


def _run(*args, data: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "import_source.py"), *args, "--data", str(data),
                           "--today", "2024-01-01"], capture_output=True, text=True)


def test_undecided_province_asks_and_writes_nothing(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    result = _run(str(EVAL / "08-hu-su.txt"), "--id", "hu-su-test", data=data)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "shanghai" in result.stderr and "上海市, 长宁区" in result.stderr and "--province" in result.stderr
    assert not (data / "sources" / "hu-su-test.txt").exists()
    assert not list((data / "cases").glob("*/hu-su-test.yml"))


def test_json_report_for_tools(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    result = _run(str(EVAL / "13-foshan-nanhai.txt"), "--id", "guangdong-foshan-guicheng", "--json", data=data)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["place"]["province"] == "guangdong" and report["place"]["township"] == "桂城街道"
    assert report["files"]["case"] == "data/cases/guangdong/guangdong-foshan-guicheng.yml"
    first = report["figures"][0]
    assert (first["value"], first["unit"], first["metric"], first["confidence"]) == (86, "名", "members-engaged", "high")
    assert [m["marker"] for m in report["measures"]] == ["lead phrase"] * 3
    assert all(m["type"] for m in report["measures"])


def test_after_an_import_check_shows_only_what_a_person_decides(tmp_path):
    """Every problem `make check` reports for fresh skeletons is a TODO: the proposals themselves validate."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    imported = 0
    taxonomies = {name: doc.data for name, doc in load_data(data).taxonomies.items()}
    for article in sorted(EVAL.glob("*.txt")):
        case_id = f"eval-{article.stem}"
        result = importer.run(article.read_text(encoding="utf-8"), case_id, taxonomies, "2024-01-01")
        if not result.place.decided:
            continue  # the ones that ask for --province
        (data / "sources" / f"{case_id}.txt").write_text(result.cleaned.text, encoding="utf-8")
        case = data / "cases" / result.place.province / f"{case_id}.yml"
        case.parent.mkdir(exist_ok=True)
        case.write_text(result.yaml_text, encoding="utf-8")
        imported += 1
    assert imported >= 20
    problems = validate(load_data(data))
    assert problems and all("still marked TODO" in p.message for p in problems), \
        "\n".join(p.format() for p in problems if "still marked TODO" not in p.message)


def test_page_metadata_wins_over_the_text_and_reaches_the_skeleton():
    taxonomies = {name: doc.data for name, doc in load_data(ROOT / "data").taxonomies.items()}
    stated = {"title": "老党员“楼栋长”让老旧小区焕发新颜", "publisher": "厦门网", "date": "2022-12-04"}
    result = importer.run((EVAL / "15-xiamen-siming.txt").read_text(encoding="utf-8"), "fujian-xiamen-lujiang", taxonomies,
                          "2024-01-01", page_meta=lambda text_meta: stated, url="https://example.org/a.html")
    assert (result.meta.publisher, result.meta.date) == ("厦门网", "2022-12-04")
    assert result.meta_sources["publisher"] == "page" and result.meta_sources["title"] == "page"
    source = yaml.safe_load(result.yaml_text)["sources"][0]
    assert (source["publisher"], str(source["date"]), source["url"]) == ("厦门网", "2022-12-04", "https://example.org/a.html")
