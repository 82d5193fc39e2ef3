"""Fuzzing the page parser and the extractor: arbitrary HTML, broken markup, arbitrary Unicode
(NFC/NFD mixed, zero-width characters, control characters, very long lines, 10 MB pages) never
crash; when a page holds nothing, the error is a ParseError that names the input.

Hypothesis runs derandomized with a bounded number of examples (the "thidua-ci" profile), so the
suite is deterministic; THIDUA_FUZZ=deep runs many more random examples (the "thidua-deep" profile).
"""
from __future__ import annotations

import os
import signal
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from crawl import ParseError, parse_page
from crawl.article import Article
from thidua.pipeline import SourceError, extract_article, read_source

settings.register_profile("thidua-ci", derandomize=True, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("thidua-deep", max_examples=2000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
DEEP = os.environ.get("THIDUA_FUZZ") == "deep"
PROFILE = settings.get_profile("thidua-deep" if DEEP else "thidua-ci")


def fuzz(n: int):
    """Hypothesis settings: ``n`` examples (x20 with THIDUA_FUZZ=deep)."""
    return settings(PROFILE, max_examples=n * 20 if DEEP else n)


ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted((ROOT / "corpus").glob("*.html")) + sorted((ROOT / "tests" / "crawl_fixtures" / "pages").glob("*.html"))
REAL = PAGES[0].read_text(encoding="utf-8")

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u202e\u2028\u2029"
VIET = "Cụm thi đua số 10 VKSND tỉnh Đồng Tháp Cụm trưởng năm 2023 Nguyễn Văn Hồng Viện trưởng Hà Nội "
TAGS = ["p", "div", "h1", "h2", "title", "script", "style", "table", "tr", "td", "br", "img", "a", "meta",
        "article", "span", "b", "figcaption", "time", "noscript", "iframe", "svg", "template", "textarea"]


def _mixed_form(text: str, draw) -> str:
    form = draw(st.sampled_from(["NFC", "NFD", "NFKC", "NFKD", None]))
    return unicodedata.normalize(form, text) if form else text


@st.composite
def unicode_text(draw, long_lines: bool = True) -> str:
    """Vietnamese, arbitrary code points (surrogates excluded: not encodable), zero-width and
    bidi characters, NFC/NFD mixed, sometimes one very long line."""
    parts = draw(st.lists(st.one_of(
        st.text(max_size=60),
        st.sampled_from(VIET.split()),
        st.text(alphabet=ZERO_WIDTH + "\t\r\n\x00\x0b\x0c\x1f\x7f\x85", max_size=8),
        st.text(alphabet="àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ", max_size=20),
    ), max_size=12))
    text = " ".join(parts)
    if draw(st.booleans()):
        text = "".join(_mixed_form(w, draw) + " " for w in text.split(" "))
    if long_lines and draw(st.integers(0, 9)) == 0:
        text += "x" * draw(st.integers(10_000, 60_000))  # a very long line
    return text


@st.composite
def html_pages(draw) -> str:
    """Tag soup: random nesting, unclosed and stray tags, attributes with junk, comments, CDATA."""
    out = []
    for _ in range(draw(st.integers(0, 25))):
        kind = draw(st.integers(0, 7))
        tag = draw(st.sampled_from(TAGS))
        if kind == 0:
            out.append(f"<{tag}>")
        elif kind == 1:
            out.append(f"</{tag}>")
        elif kind == 2:
            attr = draw(st.text(max_size=20)).replace('"', "&quot;")
            out.append(f'<{tag} class="{attr}" href="{attr}" content="{attr}">')
        elif kind == 3:
            out.append(draw(st.sampled_from(["<!--", "-->", "<![CDATA[", "]]>", "<!DOCTYPE html>", "<?xml ?>",
                                             "&", "&#0;", "&#xD800;", "&#99999999;", "&nbsp", "<", ">", "</"])))
        else:
            out.append(draw(unicode_text(long_lines=False)))
    if draw(st.integers(0, 19)) == 0:
        out.append("<p>" + "y" * 100_000 + "</p>")  # a very long line
    return "".join(out)


def _check_article(article: Article) -> None:
    text = article.text()
    assert isinstance(text, str)
    assert unicodedata.is_normalized("NFC", text), "parse_page promises NFC text"
    assert not any(c in text for c in "\u200b\u200c\u200d\u2060\ufeff"), "invisible characters are removed"


def _parse(page, url="https://fuzz.example/bai-1.html"):
    try:
        article = parse_page(page, url)
    except ParseError as exc:
        assert url in str(exc), f"the error must name the input: {exc}"
        return None
    _check_article(article)
    return article


def _spans(node):
    """Every {"start", "end", "text"} evidence span in ``facts.evidence()``."""
    if isinstance(node, dict):
        if {"start", "end", "text"} <= set(node):
            yield node
        for v in node.values():
            yield from _spans(v)
    elif isinstance(node, list):
        for v in node:
            yield from _spans(v)


def _check_extraction(article: Article) -> None:
    ex = extract_article(article)
    record = ex.facts.to_record()
    assert set(record) >= {"event", "clusters", "officials", "slogans", "awards", "dates", "provinces"}
    for sp in _spans(ex.facts.evidence()):
        assert 0 <= sp["start"] <= sp["end"] <= len(ex.body), sp
        assert ex.body[sp["start"]:sp["end"]] == sp["text"], "evidence must be the body's own text"


# ------------------------------------------------------------------------------------ parser
@fuzz(80)
@given(html_pages())
@example("<html><body><p>" + "\u200b" * 50 + "</p></body></html>")
@example("<p>" + unicodedata.normalize("NFD", VIET) + "</p>")
@example("<<<<>>>><p<p<p>>></")
@example("\x00" * 100)
def test_parse_page_never_crashes_on_tag_soup(page):
    _parse(page)
    _parse(page.encode("utf-8", "surrogatepass"))


@fuzz(100)
@given(st.binary(max_size=4000), st.sampled_from([None, "text/html", "text/html; charset=utf-16",
                                                   "text/html; charset=x-nonsense", "text/html; charset=windows-1258",
                                                   "text/html; charset=\x00"]))
def test_parse_page_never_crashes_on_arbitrary_bytes(raw, content_type):
    try:
        article = parse_page(raw, "https://fuzz.example/raw.html", content_type=content_type)
    except ParseError as exc:
        assert "https://fuzz.example/raw.html" in str(exc)
    else:
        _check_article(article)


@fuzz(60)
@given(st.sampled_from(PAGES), st.data())
def test_real_pages_mutated_never_crash(path, data):
    """Real pages of every profile, cut, spliced and sprinkled with hostile Unicode."""
    page = path.read_text(encoding="utf-8")
    cut = data.draw(st.integers(0, len(page)))
    insert = data.draw(unicode_text())
    mode = data.draw(st.sampled_from(["truncate", "insert", "nfd", "drop-closing"]))
    if mode == "truncate":
        page = page[:cut]
    elif mode == "insert":
        page = page[:cut] + insert + page[cut:]
    elif mode == "nfd":
        page = unicodedata.normalize("NFD", page)
    else:
        page = page.replace("</p>", "").replace("</div>", "")
    article = _parse(page, url=f"https://fuzz.example/{path.name}")
    if article is not None and mode == "nfd":
        assert article.text() == unicodedata.normalize("NFC", article.text())


def test_a_10_mb_page_is_parsed_and_extracted():
    big = REAL.replace("</body>", "<div><p>" + ("Cụm thi đua số 10 tổng kết năm 2023. " * 280_000) + "</p></div></body>")
    raw = big.encode("utf-8")
    assert len(raw) > 10_000_000
    article = parse_page(raw, "https://fuzz.example/big.html")
    _check_article(article)
    _check_extraction(article)


def test_a_10_mb_single_line_without_markup_is_parsed():
    article = parse_page(("x" * 10_000_000).encode(), "https://fuzz.example/line.html")
    assert len(article.text()) == 10_000_000


@pytest.mark.parametrize("page", ["", "   \n\t ", "<html></html>", "<!-- only a comment -->",
                                  "<script>var a = 1;</script>", "\u200b\u200b", "<p>\u200b</p>"])
def test_a_page_without_text_is_a_parse_error_naming_the_input(page):
    with pytest.raises(ParseError, match="https://fuzz.example/empty.html"):
        parse_page(page, "https://fuzz.example/empty.html")


def test_a_file_without_text_is_a_source_error_naming_the_file(tmp_path):
    for name, content in [("e.html", b"<html><body></body></html>"), ("z.txt", b"\xe2\x80\x8b"),
                          ("b.txt", b"abc\x00def"), ("n.txt", b"")]:
        f = tmp_path / name
        f.write_bytes(content)
        try:
            read_source(f)
        except SourceError as exc:
            assert str(f) in str(exc)
        # a zero-width-only text is not empty to Python's str.strip(): it must not crash either way


# ------------------------------------------------------------------------------------ extractor
@fuzz(100)
@given(unicode_text())
@example("")
@example("\u200b" * 1000)
@example(unicodedata.normalize("NFD", VIET * 20))
@example("Cụm thi đua số " + "9" * 400 + " năm " + "9" * 50)
@example("ngày 31/02/2023 ngày 00/00/0000 năm 99999999999999999999 tháng 13/2023")
@example("Cụm thi đua số -1 năm 0; Khối thi đua số 1e309; Cụm thi đua số ½")
@example("“" * 500 + "”" * 3)
def test_extractor_never_crashes_on_arbitrary_text(text):
    _check_extraction(Article(url="file:fuzz", title=text[:200] or None, paragraphs=[text]))


@fuzz(40)
@given(st.lists(st.sampled_from(VIET.split() + ["Cụm", "thi", "đua", "số", "10", "Khối", "trưởng", "phó",
                                              "(", ")", ",", ".", "–", "\n", "đồng chí", "tỉnh", "năm", "2024",
                                              "tổng kết", "giao ước", "Cờ thi đua", "“", "”"]), max_size=300))
def test_extractor_never_crashes_on_domain_word_salad(words):
    _check_extraction(Article(url="file:salad", paragraphs=[" ".join(words)]))


def test_extractor_handles_a_megabyte_of_prose_quickly():
    """Linear time: 20 000 province mentions outside 20 000 person-name spans."""
    from extract.places import find_provinces
    text = "Đồng Tháp, " * 20_000
    exclude = [(len(text) + 2 * i, len(text) + 2 * i + 1) for i in range(20_000)]

    def alarm(*_):
        raise TimeoutError("find_provinces is quadratic in the text size")

    old = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(3)
    try:
        assert len(find_provinces(text, exclude)) == 20_000
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)

