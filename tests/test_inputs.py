"""What a contributor has, through the real importer: saved web pages (tests/fixtures/pages: a government
site with its metadata tags, a news site in GBK with Open Graph tags, an old table-laid site in Big5 whose
metadata is only in its visible byline), a Word file made here with python-docx, text pasted on standard
input, and text files in GBK and Big5. Then bad input (tests/bad_inputs, golden): a clear error naming the
file, a hint, no traceback, and nothing written."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from casebook.textnorm import to_simplified
from casebook.yamlsafe import load_yaml_file

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "tests" / "fixtures" / "pages"
ARTICLES = ROOT / "tests" / "fixtures" / "articles"
BAD = ROOT / "tests" / "bad_inputs"
SCRIPT = ROOT / "scripts" / "import_source.py"

# page -> what its markup or byline says, and words of its body; CHROME: what no archive may keep
PAGE_GOLD = {
    "gov-meta.html": {"title": "天宁区“银发议事厅”让老党员成为小区治理主心骨", "date": "2021-05-12", "publisher": "天宁区委老干部局",
                      "author": "周敏", "url": "http://www.changzhou-example.gov.cn/html/czsz/2021/OKEQBQMA_0512.html",
                      "read": "web page (utf-8)", "body": ["吸纳议事员520余名", "办结率达到93.5%", "全区社区全覆盖"]},
    "news-og-gbk.html": {"title": "西安碑林区：老党员“红色管家”守护老旧小区", "date": "2022-03-08", "publisher": "西安日报",
                         "author": "李蕾", "url": "http://sn.example.com.cn/n2/2022/0308/c378287-35164127.html",
                         "read": "web page (gbk)", "body": ["平均年龄67岁", "筹集维修资金15.6万元", "在家门口发挥作用"]},
    "visible-big5.html": {"title": "棗莊市薛城區：老黨員當起“網格參謀”", "date": "2023-09-21", "publisher": "枣庄日报",
                          "author": "孙浩", "url": None, "read": "web page (big5)",
                          "body": ["\n來源：棗莊日報\n作者：孫浩\n發布時間：2023-09-21\n\n", "共有“網格參謀”158人", "提出意見建議500餘條", "每年評選表彰一次"]},
    "wechat.html": {"title": "“银龄红管家”上岗记", "date": "2022-05-11", "publisher": "昭阳区委组织部", "author": "昭阳区委组织部",
                    "url": "http://mp.weixin.qq.com/s?__biz=MzA5NDExMDAwMA==&mid=2650000001&idx=1&sn=abc", "read": "web page (utf-8)",
                    "body": ["吸纳老党员418名", "问题早发现。“红管家”每天", "累计化解矛盾纠纷156件"]},
    "people-style.html": {"title": "山东平阴：“四位一体”让老党员在乡村治理中唱主角", "date": "2021-07-01", "publisher": "示例人民网－示例日报",
                          "author": None, "url": None, "read": "web page (utf-8)",  # its author tag holds a staff number
                          "body": ["一是搭建议事平台。", "开展宣讲480场次", "下降近3成"]},
    "gov-inline.html": {"title": "庐阳区：老党员“红色议事会”破解小区治理难题", "date": "2020-10-15", "publisher": "庐阳区委老干部局",
                        "author": "王芳", "url": None, "read": "web page (utf-8)",  # its byline is inside the article's box
                        "body": ["\n发布日期：2020-10-15 10:20:33\n信息来源：庐阳区委老干部局\n作者：王芳\n\n", "首先，建立“红色议事会”组织体系",
                                 "专项经费50万元"]},
    "trs-br.html": {"title": "红旗区退休老党员组建“银发调解团”", "date": "2019-11-27", "publisher": "区委老干部局", "author": None,
                    "url": None, "read": "web page (utf-8)",  # a TRS-style editor box: paragraphs are <br> runs in a <font>
                    "body": ["\n日期：2019-11-27\n来源：区委老干部局\n\n近日，", "目前共有成员72人", "调解成功率达到92%"]},
    "site-title.html": {"title": "皋兰路街道“银发红管家”：老党员守护小区平安", "date": "2023-04-18", "publisher": "皋兰路街道办事处",
                        "author": None, "url": None, "read": "web page (utf-8)",  # <title> names only the site; a date in the top bar
                        "body": ["\n来源：皋兰路街道办事处\n时间：2023年4月18日\n\n今年以来", "队员136人", "解决问题65个"]},
    # written after the ones above passed, as a blind check: title, date, publisher right first time; authors fixed after
    "xinhua-style.html": {"title": "成都武侯：退休老干部当起社区“和事佬”", "date": "2020-10-15", "publisher": "示例新华网",
                          "author": None, "url": None, "read": "web page (utf-8)",
                          "body": ["\n2020-10-15\n来源：示例新华网\n\n", "调解成功690件", "实现社区全覆盖"]},
    "jsonld.html": {"title": "“银发议事会”让城中村治理有了主心骨", "date": "2021-09-03", "publisher": "示例都市报", "author": "林晓",
                    "url": "https://news.example-dushi.cn/2021/09/03/silver-council.html", "read": "web page (utf-8)",
                    "body": ["议事成员310名", "覆盖村民8000多人次"]},
    "hk-traditional.html": {"title": "廈門思明區：老黨員“樓棟長”架起連心橋", "date": "2021-03-02", "publisher": "思明区委组织部",
                            "author": None, "url": None, "read": "web page (utf-8)",
                            "body": ["\n發佈日期：2021年3月2日\n資料來源：思明區委組織部\n\n", "選聘“樓棟長”128名", "居民滿意率達98%"]},
}
CHROME = ["首页", "首頁", "分享", "字号", "浏览次数", "點擊數", "责编", "责任编辑", "ICP", "版权所有", "版權所有", "热点推荐", "熱點文章",
          "相关新闻", "网友评论", "24小时排行", "上一篇", "扫一扫", "打印", "關閉窗口", "设为首页", "設為首頁", "相关阅读", "相关文章",
          "热门排行", "公众号", "二维码", "在看", "无障碍", "网站标识码", "微博", "字体", "技术支持", "今天是", "兰州市城关区人民政府", "纠错", "猜你喜欢", "臉書", "(qū)"]


def run_import(article: str | Path, case_id: str, data: Path, *extra: str, stdin: bytes | None = None,
               cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), str(article), "--id", case_id, "--data", str(data), "--today", "2024-01-01",
                           *extra], input=stdin, capture_output=True, cwd=cwd)


def imported(data: Path, province: str, case_id: str) -> tuple[dict, str]:
    doc, problems = load_yaml_file(data / "cases" / province / f"{case_id}.yml", case_id)
    assert not problems, [p.format() for p in problems]
    return doc.data, (data / "sources" / f"{case_id}.txt").read_text(encoding="utf-8")


@pytest.fixture
def data(tmp_path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(ROOT / "data", copy)
    return copy


@pytest.mark.parametrize("page", sorted(PAGE_GOLD))
def test_saved_web_page_imports_with_its_metadata(page, data):
    gold = PAGE_GOLD[page]
    result = run_import(PAGES / page, "page-case", data, "--province", "jiangsu")
    out = result.stdout.decode()
    assert result.returncode == 0, out + result.stderr.decode()
    record, archive = imported(data, "jiangsu", "page-case")
    source = record["sources"][0]
    assert source["title"] == gold["title"]  # as published, without the site's name
    assert record["title"] == to_simplified(gold["title"])
    assert str(source["date"]) == gold["date"]
    assert source["publisher"] == gold["publisher"]
    assert source.get("author") == gold["author"]
    assert source.get("url") == gold["url"]
    assert f"read:      {gold['read']}" in out
    # the archive: headline first, then the byline, then the article's own paragraphs in its own script
    assert archive.startswith(gold["title"] + "\n")
    for words in gold["body"]:
        assert words in archive
    for word in CHROME:
        assert word not in archive, f"{word!r} from the page's chrome kept in the archive of {page}"
    assert record["metrics"] and all(m["evidence"] for m in record["metrics"])


def make_word_article(path: Path, title_property: str = "") -> Path:
    """An article as a contributor's Word file: a title, a byline, paragraphs with bold lead phrases, a table."""
    import docx

    document = docx.Document()
    document.core_properties.author = "Administrator"  # the machine's user, not the article's author
    document.core_properties.title = title_property
    document.add_paragraph("合肥市庐阳区：“银发先锋”扎根网格解民忧", style="Title")
    document.add_paragraph("来源：合肥日报　　发布时间：2020年10月15日")
    paragraphs = [
        ("", "近年来，合肥市庐阳区杏林街道组织辖区离退休干部和老党员组建“银发先锋”志愿服务队，让老同志在网格治理中继续发光发热。"),
        ("织密服务网络。", "街道按照“一网格一先锋岗”的思路，在32个网格设立先锋岗，目前服务队已有队员286名，平均年龄66岁。"),
        ("畅通民意渠道。", "队员每周走访网格内居民，今年以来收集意见建议410余条，协助解决楼道照明、车辆乱停等问题173个，居民满意率达到97%。"),
        ("", "杏林街道相关负责人表示，下一步将完善积分激励办法，把“银发先锋”经验推广到全区。"),
    ]
    for lead, rest in paragraphs:
        paragraph = document.add_paragraph()
        if lead:
            paragraph.add_run(lead).bold = True
        paragraph.add_run(rest)
    table = document.add_table(rows=2, cols=2)
    for row, (label, value) in zip(table.rows, [("服务队员", "286名"), ("先锋岗", "32个")]):
        row.cells[0].text, row.cells[1].text = label, value
    document.save(path)
    return path


def test_word_file_imports_with_title_date_and_publisher(data, tmp_path):
    article = make_word_article(tmp_path / "庐阳银发先锋.docx", title_property="Microsoft Word - 文档1")
    result = run_import(article, "word-case", data, "--province", "anhui")
    out = result.stdout.decode()
    assert result.returncode == 0, out + result.stderr.decode()
    assert "read:      Word file" in out
    record, archive = imported(data, "anhui", "word-case")
    source = record["sources"][0]
    assert source["title"] == "合肥市庐阳区：“银发先锋”扎根网格解民忧"  # Word's default title property is not used
    assert str(source["date"]) == "2020-10-15"
    assert source["publisher"] == "合肥日报"
    assert "author" not in source  # Administrator is the computer's user
    assert archive.startswith("合肥市庐阳区：“银发先锋”扎根网格解民忧\n")
    assert "织密服务网络。街道按照" in archive  # a bold lead phrase stays with its paragraph
    found = {(m["value"], m["unit"]) for m in record["metrics"]}
    assert {(286, "名"), (97, "%")} <= found, found  # figures come from the text as from a .txt


def test_word_title_property_is_used_when_set(data, tmp_path):
    article = make_word_article(tmp_path / "a.docx", title_property="庐阳区“银发先锋”扎根网格")
    result = run_import(article, "word-title", data, "--province", "anhui")
    assert result.returncode == 0, result.stderr.decode()
    assert imported(data, "anhui", "word-title")[0]["sources"][0]["title"] == "庐阳区“银发先锋”扎根网格"


def test_single_file_web_archive(data, tmp_path):
    """Chrome's "Webpage, single file" (.mhtml): the page inside, quoted-printable, beside its resources."""
    import email.charset
    import email.mime.multipart
    import email.mime.text

    message = email.mime.multipart.MIMEMultipart("related", type="text/html")
    message["From"] = "<Saved by Blink>"
    charset = email.charset.Charset("utf-8")
    charset.body_encoding = email.charset.QP
    message.attach(email.mime.text.MIMEText((PAGES / "gov-meta.html").read_text(encoding="utf-8"), "html", charset))
    message.attach(email.mime.text.MIMEText(".title{font-size:20px}", "css", "utf-8"))
    article = tmp_path / "天宁区.mhtml"
    article.write_bytes(message.as_bytes())
    result = run_import(article, "mhtml-case", data, "--province", "jiangsu")
    assert result.returncode == 0, result.stderr.decode()
    source = imported(data, "jiangsu", "mhtml-case")[0]["sources"][0]
    gold = PAGE_GOLD["gov-meta.html"]
    assert (source["title"], str(source["date"]), source["publisher"]) == (gold["title"], gold["date"], gold["publisher"])


def test_contributing_documents_every_input_in_both_languages():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    chinese, english = text.split("\n## English\n")
    for part in (chinese, english):
        for word in (".html", ".docx", "ARTICLE=-", "GBK", "Big5", "make serve"):
            assert word in part, word


def test_pasted_text_on_standard_input(data):
    text = (ARTICLES / "simplified.txt").read_bytes()
    result = run_import("-", "pasted-case", data, "--province", "zhejiang", stdin=text)
    assert result.returncode == 0, result.stderr.decode()
    assert "read:      pasted text (utf-8)" in result.stdout.decode()
    record, archive = imported(data, "zhejiang", "pasted-case")
    assert record["sources"][0]["publisher"] == "示例市委老干部局" and str(record["sources"][0]["date"]) == "2023-06-18"


@pytest.mark.parametrize("name,encoding,label", [("pinyin", "gbk", "gbk"), ("simplified", "gb18030", "gbk"), ("traditional", "big5", "big5"),
                                                 ("traditional", "gbk", "gbk"), ("simplified", "utf-16", "utf-16")])
def test_text_in_gbk_big5_or_utf16_reads_as_in_utf8(name, encoding, label, data, tmp_path):
    """Big5 bytes also decode as GBK (into other characters): the archive must be the article, not that."""
    article = tmp_path / f"{name}.txt"
    article.write_bytes((ARTICLES / f"{name}.txt").read_text(encoding="utf-8").encode(encoding))
    reference = run_import(ARTICLES / f"{name}.txt", "utf8-case", data, "--province", "zhejiang")
    result = run_import(article, "encoded-case", data, "--province", "zhejiang")
    assert reference.returncode == 0 and result.returncode == 0, result.stderr.decode()
    assert f"read:      text file ({label})" in result.stdout.decode()
    assert imported(data, "zhejiang", "encoded-case")[1] == imported(data, "zhejiang", "utf8-case")[1]


# --- bad input ---------------------------------------------------------------------------------

BAD_FILES = sorted(p.name for p in BAD.iterdir() if p.suffix != ".expected" and p.name != "README.md")
NO_FILE = {  # name -> arguments: what a contributor types wrong without a bad file
    "missing-file": ["no-such-article.html", "--province", "jiangsu"],
    "unknown-province": ["list-page.html", "--province", "jaingsu"],
    "folder": [".", "--province", "jiangsu"],
    "nothing-pasted": ["-", "--province", "jiangsu"],
}


def snapshot(directory: Path) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("case", BAD_FILES + sorted(NO_FILE))
def test_bad_input_is_refused_clearly_and_writes_nothing(case, data):
    before = snapshot(data)
    args = NO_FILE.get(case, [case, "--province", "jiangsu"])
    result = run_import(args[0], "bad-case", data, *args[1:], cwd=BAD, stdin=b"" if args[0] == "-" else None)
    stderr = result.stderr.decode()
    assert result.returncode != 0
    assert "Traceback" not in stderr + result.stdout.decode()
    expected = BAD / f"{Path(case).stem if case in BAD_FILES else case}.expected"
    if os.environ.get("UPDATE_GOLDEN"):
        expected.write_text(stderr, encoding="utf-8")
    assert stderr == expected.read_text(encoding="utf-8")
    lines = stderr.splitlines()
    assert len(lines) == 2 and lines[0].startswith("error: ") and lines[1].startswith("    Hint: "), stderr
    named = {"unknown-province": "--province", "nothing-pasted": "standard input"}.get(case, args[0])
    assert lines[0].startswith(f"error: {named}: "), "the message names the file (or the option) first"
    assert snapshot(data) == before, "a refused import must not write anything under data/"


def test_what_the_page_states_comes_before_what_the_text_suggests():
    from types import SimpleNamespace as Metadata  # what the importer read from the text: any object with these fields

    from casebook.contrib.inputs import Article, page_metadata

    text_meta = Metadata(title="正文猜的标题", date="2020-01-01", publisher="某某网", author="")
    page = Article(text="", kind="web page", title="网页标题", date="2021-05-12", publisher="天寧區委老幹部局", site="某市政府网",
                   searched_date="2019-09-09")
    assert page_metadata(page, text_meta) == {"title": "网页标题", "date": "2021-05-12", "publisher": "天宁区委老干部局"}
    # the site's name and htmldate's search of the whole page stand in only where neither page nor text says
    bare = Article(text="", kind="web page", site="某市政府网", searched_date="2019-09-09")
    assert page_metadata(bare, text_meta) == {}
    empty = Metadata(title="", date="", publisher="", author="")
    assert page_metadata(bare, empty) == {"date": "2019-09-09", "publisher": "某市政府网"}


def test_web_page_downloaded_as_doc(data, tmp_path):
    """Sites often offer a page as a “Word” download that is the HTML itself: it is read as the page it is."""
    article = tmp_path / "下载.doc"
    shutil.copy(PAGES / "gov-meta.html", article)
    result = run_import(article, "doc-case", data, "--province", "jiangsu")
    assert result.returncode == 0, result.stderr.decode()
    assert "read:      web page" in result.stdout.decode()
    assert imported(data, "jiangsu", "doc-case")[0]["sources"][0]["publisher"] == PAGE_GOLD["gov-meta.html"]["publisher"]
